"""Build the site with MkDocs so that a failed or interrupted build never leaves a half-written
one: MkDocs writes into a fresh folder beside the target, which then takes the target's place
in one atomic step (renameat2 RENAME_EXCHANGE where the kernel has it)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.plugin import LANGUAGE_VARIABLE

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


REDIRECT = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Redirecting</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body><a href="{target}">{target}</a></body>
</html>
"""


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
    index and search language), and the site's root page sends the reader to the first language.
    `offline` makes a site that works opened from disk (file://): Material's offline plugin
    links pages as files and puts the search index into a script.
    """
    target = Path(site_dir) if site_dir is not None else None
    if target is None:
        target = Path(load_config(config_file=str(config_file)).site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(target)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent)
    )
    try:
        if len(languages) > 1:
            for language in languages:
                _build_one(config_file, staging / language, strict, language, offline)
            (staging / "index.html").write_text(
                # From disk a folder is not a page: name the file.
                REDIRECT.format(target=f"{languages[0]}/" + ("index.html" if offline else "")),
                encoding="utf-8",
            )
        else:
            _build_one(config_file, staging, strict, None, offline)
        replace_directory(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _remove_abandoned_staging(target: Path) -> None:
    """A build killed outright (SIGKILL, power loss) cannot clean up after itself: its
    half-written folder is removed by the next build, once the process that made it is gone.
    The site itself was never touched by it."""
    for folder in target.parent.glob(f".{target.name}.building-*-*"):
        pid = folder.name.removeprefix(f".{target.name}.building-").split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _build_one(
    config_file: Path, site_dir: Path, strict: bool, language: str | None, offline: bool
) -> None:
    previous = os.environ.get(LANGUAGE_VARIABLE)
    if language is not None:
        os.environ[LANGUAGE_VARIABLE] = language
    try:
        config = load_config(config_file=str(config_file), strict=strict)
        config.site_dir = str(site_dir)
        if offline and "material/offline" not in config.plugins:
            from material.plugins.offline.plugin import OfflinePlugin  # type: ignore[import-untyped]

            plugin = OfflinePlugin()
            plugin.load_config({})
            config.plugins["material/offline"] = plugin
        build(config)
    finally:
        if previous is None:
            os.environ.pop(LANGUAGE_VARIABLE, None)
        else:
            os.environ[LANGUAGE_VARIABLE] = previous


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is. Afterwards `new` holds the old content (or is gone)."""
    new.chmod(0o755)  # mkdtemp makes it 0700; a site is meant to be read
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        return
    # No atomic exchange available: two renames, with a window in which target is missing
    # but never half-written.
    old = new.with_name(new.name + "-old")
    target.rename(old)
    new.rename(target)
    old.rename(new)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
