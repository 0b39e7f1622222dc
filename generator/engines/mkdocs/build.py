"""Build the site with MkDocs so that a failed or interrupted build never leaves a half-written
one: MkDocs writes into a fresh folder beside the target, which then takes the target's place
in one atomic step (renameat2 RENAME_EXCHANGE where the kernel has it)."""

from __future__ import annotations

import logging
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import active_children, get_context
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from generator.engines.failure import BuildFailedError
from generator.engines.mkdocs.project import site_folder
from generator.engines.sitefolder import build_beside, site_root_pages
from generator.speed.helper import can_fork
from generator.system.environment import LANGUAGE as LANGUAGE_VARIABLE
from generator.system.environment import NO_HELPERS as NO_HELPERS_VARIABLE
from generator.system.environment import variable_set
from generator.system.filesystem import doing


def build_site(
    config_file: Path,
    *,
    strict: bool = False,
    site_dir: Path | None = None,
    languages: tuple[str, ...] = (),
    offline: bool = False,
) -> Path:
    """Build the site of `config_file` and return where it is.

    With several languages, each is a build of its own into `<site>/<lang>/` (its own search
    index and search language), and the site's root page sends the reader to the first language
    (`root_pages`).
    `offline` makes a site that works opened from disk (file://): Material's offline plugin
    links pages as files and puts the search index into a script.
    """
    target = Path(site_dir) if site_dir is not None else site_folder(config_file)

    def fill(staging: Path) -> None:
        if len(languages) > 1:
            _build_languages(config_file, staging, strict, languages, offline)
            for name, text in root_pages(config_file, languages, offline=offline).items():
                (staging / name).write_text(text, encoding="utf-8")
        else:
            _build_one(config_file, staging, strict, None, offline)

    # Whatever the system refuses (a full disk, a folder it may not write), the site in place
    # is untouched until it is swapped: the build fails with one line that says so.
    try:
        with doing("building the site", target):
            build_beside(target, fill)
    except (Abort, BuildError, ConfigurationError) as error:
        raise BuildFailedError(str(error)) from None
    return target


def root_pages(
    config_file: Path, languages: tuple[str, ...], *, offline: bool = False
) -> dict[str, str]:
    """The root of a site in several languages: its home sends the reader to the first
    (default) language, and its not-found page offers every language's home."""
    site_name = str(load_config(config_file=str(config_file)).site_name)
    return site_root_pages(site_name, languages, offline=offline)


def _build_languages(
    config_file: Path, staging: Path, strict: bool, languages: tuple[str, ...], offline: bool
) -> None:
    """Each language is a separate MkDocs build, so they run side by side, one process per
    core: four languages take about twice one language's time on two cores, not four times."""
    workers = max(1, min(len(languages), os.cpu_count() or 1))
    if workers == 1 or not can_fork():  # a worker must end with the build (`children`)
        for language in languages:
            _build_one(config_file, staging / language, strict, language, offline)
        return
    # Forked, so that workers log like the parent; stopping them is the parent's job, and
    # killed outright it cannot: then each ends with it (`children`), and with the last of
    # them the staging folder's lock.
    spare = (os.cpu_count() or 1) - workers
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("fork"),
        initializer=_worker_signals,
        initargs=(spare >= workers,),
    )
    try:
        runs = [
            pool.submit(
                _build_reported, config_file, staging / lang, strict, lang, offline, index > 0
            )
            for index, lang in enumerate(languages)
        ]
        failures = [failure for failure in (run.result() for run in runs) if failure]
    except BaseException:
        # Stopped (SIGTERM, Ctrl-C) or failed: the workers stop now, not after their build.
        # Stopped before the staging folder is removed: none may still write into it then.
        workers_left = active_children()
        for worker in workers_left:
            worker.terminate()
        for worker in workers_left:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
                worker.join()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    if failures:
        # The first language's failure, as a sequential build would have stopped at it.
        kind, message = failures[0]
        raise Abort(message) if kind == "abort" else BuildError(message)


def _worker_signals(helpers: bool) -> None:
    """A worker ends at once on SIGTERM (`children`) and leaves Ctrl-C to the parent, which
    stops every worker and then removes the staging folder (`_build_languages`). Without cores
    to spare beyond one per worker, a worker builds without helper processes (helper.py):
    languages side by side already keep every core busy."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not helpers:
        os.environ[NO_HELPERS_VARIABLE] = "1"


def _build_reported(
    config_file: Path, site_dir: Path, strict: bool, language: str, offline: bool, quiet: bool
) -> tuple[str, str] | None:
    """`_build_one` in a worker process; MkDocs' errors come back as text, because not all of
    them survive being pickled back to the parent. `quiet` keeps the error log to the first
    language: the standards' errors are the same in every language, and shown once."""
    handlers = logging.getLogger().handlers
    only_below_errors = _BelowErrors()
    for handler in handlers if quiet else []:
        handler.addFilter(only_below_errors)
    try:
        _build_one(config_file, site_dir, strict, language, offline)
    except Abort as error:
        return ("abort", str(error))
    except (BuildError, ConfigurationError) as error:
        return ("build", str(error))
    finally:
        for handler in handlers:
            handler.removeFilter(only_below_errors)
    return None


class _BelowErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


def _build_one(
    config_file: Path, site_dir: Path, strict: bool, language: str | None, offline: bool
) -> None:
    with variable_set(LANGUAGE_VARIABLE, language):
        config = load_config(config_file=str(config_file), strict=strict)
        config.site_dir = str(site_dir)
        if offline and "material/offline" not in config.plugins:
            from material.plugins.offline.plugin import OfflinePlugin  # type: ignore[import-untyped]

            plugin = OfflinePlugin()
            plugin.load_config({})
            config.plugins["material/offline"] = plugin
        # As `mkdocs build` does: plugins learn the command, and clean up however the build
        # ends (the handbook plugin stops its helper processes, Ctrl-C included).
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
