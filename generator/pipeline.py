"""The library's front door: load → check → render, the same for the CLI and the MkDocs plugin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.model.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from generator.model.items import Handbook
from generator.rules.catalogue import check, check_repository
from generator.source.load import LoadedFile, LoadResult, load_handbook
from generator.source.parsecache import ParseStore
from generator.speed import collector
from generator.speed.filecache import FileCache

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Validation:
    """Everything `handbook validate` reports: the model (if any) and all diagnostics."""

    loaded: LoadResult
    diagnostics: list[Diagnostic]
    checked: tuple[Diagnostic, ...] = ()
    """What `check` found (among `diagnostics`), for the audit of the same handbook."""

    @property
    def handbook(self) -> Handbook | None:
        return self.loaded.handbook

    @property
    def file_count(self) -> int:
        return len(self.loaded.sources)

    def failed(self, *, strict: bool = False) -> bool:
        return self.loaded.handbook is None or has_errors(self.diagnostics, strict=strict)


def validate(
    standards: Path,
    *,
    today: dt.date,
    cache: FileCache[LoadedFile] | None = None,
    store: ParseStore | None = None,
) -> Validation:
    with collector.paused():
        loaded = load_handbook(standards, cache=cache, store=store)
        found = list(loaded.diagnostics)
        checked: list[Diagnostic] = []
        if loaded.handbook is not None:
            checked = check(loaded.handbook, today=today)
            found.extend(checked)
            complete = not has_errors(loaded.diagnostics)  # else items are missing from the model
            found.extend(check_repository(loaded.handbook, standards, complete=complete))
    return Validation(loaded, sorted_diagnostics(found), tuple(checked))


class InvalidHandbookError(Exception):
    """The standards have errors; rendering them would publish a broken handbook."""

    def __init__(self, validation: Validation) -> None:
        super().__init__("the standards have errors")
        self.validation = validation


def valid_handbook(validation: Validation, *, strict: bool = False) -> Handbook:
    """The handbook, if it may be published; InvalidHandbookError with every problem if not."""
    if validation.failed(strict=strict) or validation.handbook is None:
        raise InvalidHandbookError(validation)
    return validation.handbook
