"""`handbook build --engine zensical`: the site built by Zensical instead of MkDocs.

Zensical reads mkdocs.yml but runs no third-party plugin, the handbook's included: it builds
the project `handbook render` writes (`engines/markdown/project.py`). The project is written
into the folder the new site is assembled in, beside the site in place (`sitefolder`); each
language is one `zensical build` (a process of its own: the languages are built side by side,
one per core); the built languages and the root pages are then put together as `handbook
build` puts them (`<lang>/` each, or the site itself for a handbook in one language), and the
whole takes the old site's place in one step. Standards with errors, a failed Zensical, a full
disk or an interrupted build leave the previous site as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.engines.failure import BuildFailedError
from generator.engines.markdown.project import (
    CONFIG,
    SITE,
    SiteSettings,
    write_project,
)
from generator.engines.sitefolder import build_beside
from generator.system import children
from generator.system.filesystem import doing
from generator.system.programs import MissingProgramError

PROJECT = ".project"
"""The project's folder inside the site being assembled; removed before the site is put in
place."""
MISSING = (
    "Zensical is not installed, and `--engine zensical` builds with it: install the generator "
    "with it, `pip install 'service-handbook[zensical]'` (or `make setup` in a clone)"
)
POLL = 0.05
"""Seconds between two looks at the running builds."""


class EngineError(BuildFailedError):
    """Zensical could not build a language; names it, with what Zensical said."""


@dataclass(frozen=True)
class Built:
    site: Path
    said: tuple[tuple[str, str], ...]
    """What Zensical printed for each language, in the handbook's order of languages."""


def require_zensical() -> None:
    """Zensical is an optional dependency: asked for before anything is written."""
    if importlib.util.find_spec("zensical") is None:
        raise MissingProgramError(MISSING)


def build_with_zensical(
    site: SiteSettings, *, target: Path, today: dt.date, strict: bool = False
) -> Built:
    """Build the handbook of `site` with Zensical into `target`. Raises InvalidHandbookError,
    CollisionError or EngineError, and FileSystemError for what the system refuses; the site
    in `target` is then as it was. `strict` fails on a warning of the standards or of
    Zensical, as `mkdocs build --strict` does."""
    require_zensical()
    said: list[tuple[str, str]] = []

    def fill(staging: Path) -> None:
        project = staging / PROJECT
        languages = write_project(site, project, today=today, strict=strict)
        said.extend(_build_languages(project, languages, strict))
        _assemble(project, languages, staging)
        shutil.rmtree(project)

    with doing("building the site", target):
        build_beside(target, fill)
    return Built(target, tuple(said))


def _command(config_file: Path, strict: bool) -> list[str]:
    # The interpreter that runs the generator runs Zensical too: its console script is
    # wherever pip put it, not always on PATH (`programs.console_script_folder`).
    return [
        sys.executable,
        "-m",
        "zensical",
        "build",
        "--config-file",
        str(config_file),
        *(["--strict"] if strict else []),
    ]


@dataclass
class _Running:
    language: str
    process: subprocess.Popen[bytes]
    output: IO[bytes]


def _build_languages(
    project: Path, languages: Sequence[str], strict: bool
) -> list[tuple[str, str]]:
    """Each language's `zensical build`, at most one per core at a time; what each printed.
    The first to fail stops the others, and the build."""
    workers = max(1, min(len(languages), os.cpu_count() or 1))
    waiting = list(languages)
    running: list[_Running] = []
    said: dict[str, str] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                language = waiting.pop(0)
                running.append(_start(project / language, language, strict))
            time.sleep(POLL)
            for run in [run for run in running if run.process.poll() is not None]:
                running.remove(run)
                run.output.seek(0)
                text = readable(run.output.read().decode("utf-8", "replace"))
                run.output.close()
                if run.process.returncode != 0:
                    raise EngineError(
                        f"Zensical could not build the edition in {run.language} "
                        f"(exit status {run.process.returncode}):\n{text.rstrip()}"
                    )
                said[run.language] = text
    finally:
        for run in running:  # stopped, or another language failed
            run.process.terminate()
        for run in running:
            try:
                run.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                run.process.kill()
                run.process.wait()
            run.output.close()
    return [(language, said[language]) for language in languages]


_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_TRACEBACK = "Traceback (most recent call last):"


def readable(said: str) -> str:
    """What Zensical printed, as a log shows it: without its colours, and its own Python
    traceback cut to the error it ends with (a strict build that found a warning ends so)."""
    text = _COLOUR.sub("", said)
    head, traceback, tail = text.partition(_TRACEBACK)
    if not traceback:
        return text
    last = [line for line in tail.splitlines() if line.strip()][-1:]
    return head + "".join(f"{line}\n" for line in last)


def _start(folder: Path, language: str, strict: bool) -> _Running:
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the build ends)
    try:
        process = subprocess.Popen(
            _command(folder / CONFIG, strict),
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Zensical ends with this build however it ends, rather than write on into a
            # folder that is being removed.
            preexec_fn=children.end_with_parent,
        )
    except BaseException:
        output.close()
        raise
    return _Running(language, process, output)


def _assemble(project: Path, languages: Sequence[str], staging: Path) -> None:
    """The built languages as `handbook build` places them: each in `<lang>/` beside the root
    pages, or a handbook in one language as the site itself."""
    if len(languages) == 1:
        for entry in sorted((project / languages[0] / SITE).iterdir()):
            entry.rename(staging / entry.name)
        return
    for language in languages:
        (project / language / SITE).rename(staging / language)
    for page in sorted(project.iterdir()):
        if page.is_file() and page.suffix == ".html":
            page.rename(staging / page.name)
