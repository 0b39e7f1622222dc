"""The site folder of any engine's build: built beside the site in place and swapped in whole,
so that a failed, interrupted or killed build leaves the previous site as it was; and the root
pages of a site in several languages."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.site.sitepages import NOT_FOUND, redirect_page, root_page
from generator.speed.lockedfolder import claim as claim_folder
from generator.speed.lockedfolder import remove_if_abandoned

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def build_beside(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a folder beside `target`, then put it in `target`'s place in one step: until then
    `target` is as it was, and a failure, an interruption or a kill leaves it so. The folder
    is held (`lockedfolder.claim`) while this build and any process it forked lives: the next
    build's clean-up tells a live folder from an abandoned one by it, across PID namespaces
    too. Every engine's build is this story: `fill` is what the engine does."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    held = claim_folder(staging)
    try:
        fill(staging)
        replace_directory(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(held)


def site_root_pages(
    site_name: str, languages: tuple[str, ...], *, offline: bool = False
) -> dict[str, str]:
    """The root of a site in several languages: its home sends the reader to the first
    (default) language, and its not-found page offers every language's home."""
    # From disk a folder is not a page: name the file.
    home = f"{languages[0]}/" + ("index.html" if offline else "")
    return {
        "index.html": redirect_page(site_name, languages[0], home),
        NOT_FOUND: root_page(site_name, languages, offline=offline),
    }


def remove_abandoned_staging(target: Path) -> None:
    """A build killed outright (SIGKILL, power loss) cannot clean up after itself: its
    half-written folder is removed by a later build or release, once nothing holds its lock.
    The site itself was never touched by it, except in one case: killed between the two
    renames of `replace_directory`'s fallback, the old site waits in `…-old`, and comes back."""
    prefix = f".{target.name}.building-"
    for folder in sorted(target.parent.glob(f"{prefix}*")):
        if folder.name.endswith("-old"):
            if not target.exists():
                folder.rename(target)
            continue
        remove_if_abandoned(folder)


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
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)  # the previous site goes back where it was
        raise
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
