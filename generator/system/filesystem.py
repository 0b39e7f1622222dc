"""Problems with files and folders, said in one line, and files written whole or not at all.

A full disk, a folder without permission, a read-only mount, a file name the system refuses:
anywhere below the CLI an `OSError` ends the command with `handbook <command>: <what failed>:
<path>: <reason>` and exit 1, never with a traceback (only a standards file that cannot be read
is a located diagnostic instead; see `load.py`). `doing` says what was being done where the
code knows it; the CLI names the command's own work otherwise.

A file the command replaces (a standards file, CODEOWNERS, the schema, a page, a PDF) is
written beside itself and renamed over the old one, so that a disk that fills up half-way
leaves the previous file as it was rather than cut short.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from generator.text.printable import printable as printable_text


class FileSystemError(Exception):
    """What was being done, on which path, and why the system refused."""

    def __init__(self, doing: str, path: str, reason: str) -> None:
        super().__init__(doing, path, reason)  # the arguments: it crosses process boundaries
        self.doing = doing
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return ": ".join(part for part in (self.doing, self.path, self.reason) if part)

    @classmethod
    def of(cls, doing: str, error: OSError, path: Path | str | None = None) -> FileSystemError:
        """`error` said in words; `path` names the place when the system does not (a write
        to a full disk names no file)."""
        named = error.filename if error.filename is not None else path
        shown = printable(named) if named is not None else ""
        if error.filename2 is not None:
            shown += f" → {printable(error.filename2)}"
        return cls(doing, shown, error.strerror or str(error) or type(error).__name__)


@contextlib.contextmanager
def doing(what: str, path: Path | str | None = None) -> Iterator[None]:
    """Say `what` was being done (and where) if the system refuses something meanwhile. The
    innermost `doing` says it best and is kept."""
    try:
        yield
    except FileSystemError:
        raise
    except OSError as error:
        raise FileSystemError.of(what, error, path) from error


def printable(path: object) -> str:
    """A path as a terminal can show it: bytes that are not UTF-8 written as escapes
    (`caf\\xe9.yml`), and what a terminal would act on named as in any report (a file name
    can hold an escape sequence too; `text.printable`)."""
    if isinstance(path, bytes):
        text = path.decode("utf-8", "backslashreplace")
    else:
        text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    return printable_text(text)


def write_whole(path: Path, content: bytes | str) -> None:
    """Replace `path` with `content` in one step: until the rename, the old file is untouched;
    a write that fails leaves no scratch file behind. The file keeps its permissions, and a
    link keeps pointing where it pointed (the file it leads to is the one replaced). The
    scratch file's name is hidden, so that nobody reads it as a standards file meanwhile."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None  # a new file: as the umask makes it
    scratch = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        if mode is not None:
            scratch.chmod(mode)
        scratch.replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            scratch.unlink()
        if error.filename is None:  # a full disk names no file: this is the one
            raise type(error)(error.errno, error.strerror, str(path)) from error
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            scratch.unlink()
        raise
