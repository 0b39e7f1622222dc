"""The catalogue: every module that registers checks, in the order their checks run, and the two
entry points that run them.

Structure problems were found while loading; what is checked here is what only the whole
handbook can show: references between items, traceability from every norm up to a value and
from every parameter up to a norm, coverage, jobs, owners and dates, texts and languages; and,
for a handbook in a project, whether the files generated from it are up to date. Every problem
is reported at the YAML node at fault, never just the item.

Importing this module registers every check, once (`registry`). Checks run module by module in
the order of `MODULES`, and within a module in the order they are written. The order changes no
output (`sorted_diagnostics` orders by file, line, column, rule and message); it is fixed so that
a run is the same run every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

from generator.model.diagnostics import Diagnostic, sorted_diagnostics
from generator.model.items import Handbook
from generator.rules import (
    coverage,
    ids,
    languages,
    lifecycle,
    measures,
    references,
    registry,
    replacements,
    repository,
    roles,
    texts,
    traceability,
)
from generator.rules.registry import Context, Model, Registered, Repository

MODULES: tuple[ModuleType, ...] = (
    languages,
    ids,
    references,
    traceability,
    coverage,
    roles,
    lifecycle,
    replacements,
    measures,
    texts,
    repository,  # the only module of repository checks
)
"""Every module that registers checks. A new theme's module is added here, and nowhere else."""


def ordered(registered: Sequence[Registered[Context]]) -> tuple[Registered[Context], ...]:
    """The checks in the order they run: by their module's place in `MODULES`."""
    place = {module.__name__: index for index, module in enumerate(MODULES)}
    return tuple(sorted(registered, key=lambda entry: place[entry.module]))


MODEL_CHECKS = ordered(registry.MODEL_CHECKS)
REPOSITORY_CHECKS = ordered(registry.REPOSITORY_CHECKS)


def check(handbook: Handbook, *, today: dt.date) -> list[Diagnostic]:
    """Every problem of the model, sorted by file and line: the model checks alone, so the
    answer depends on the handbook and `today` and on nothing on disk.

    Entries that failed the schema are checked too, as far as they could be read
    (`handbook.partials`), so that every problem of an entry is reported in one run; nothing
    is concluded from what could not be read (`Partial.unread`)."""
    return sorted_diagnostics(list(_run(MODEL_CHECKS, Model.of(handbook, today))))


def check_repository(handbook: Handbook, standards: Path, *, complete: bool) -> list[Diagnostic]:
    """What the files generated from the standards, beside them, no longer say right.
    `complete` is false when loading reported an error (entries are missing from the model)."""
    return sorted_diagnostics(
        list(_run(REPOSITORY_CHECKS, Repository(handbook, standards, complete)))
    )


def _run(checks: Sequence[Registered[Context]], context: Context) -> Iterator[Diagnostic]:
    for registered in checks:
        yield from registered.run(context)
