"""`handbook serve`: MkDocs' development server with live reload, its failures said as the
engine-neutral `BuildFailedError`."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from generator.engines.failure import BuildFailedError


def serve(config_file: Path, dev_addr: str) -> None:
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except (Abort, BuildError, ConfigurationError) as error:
        raise BuildFailedError(str(error)) from None
