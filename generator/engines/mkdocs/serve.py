"""`handbook serve`: MkDocs' development server with live reload, its failures said as the
engine-neutral `BuildFailedError`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.livereload import LiveReloadServer

from generator.engines.failure import BuildFailedError


def serve(config_file: Path, dev_addr: str) -> None:
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except (Abort, BuildError, ConfigurationError) as error:
        raise BuildFailedError(str(error)) from None


STANDARDS_POLL = 0.1
"""Seconds between two looks at the standards under `mkdocs serve` (MkDocs looks at the
docs every half second, on average a quarter of a second of every edit's wait)."""


@contextlib.contextmanager
def polling_every(server: LiveReloadServer, seconds: float) -> Iterator[None]:
    """Folders watched meanwhile are looked at every `seconds`. MkDocs' server watches with
    watchdog's polling observer, whose watches take the observer's interval when they are
    made; without that observer (another watchdog), they take MkDocs' interval."""
    observer = getattr(server, "observer", None)
    interval = getattr(observer, "_timeout", None)
    if not isinstance(interval, int | float):
        yield
        return
    observer._timeout = seconds  # type: ignore[union-attr]
    try:
        yield
    finally:
        observer._timeout = interval  # type: ignore[union-attr]
