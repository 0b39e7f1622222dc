"""Audit: what an auditor asks of a handbook, computed once from the model.

Counts per kind and status, traceability in both directions, the coverage grid of moments of
truth by behaviour category, and the gaps. The CLI's `handbook audit` and the site's audit
section show this same object, so the two can never tell different stories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from generator.model.diagnostics import RULES, Diagnostic, Family, Severity
from generator.model.items import Channel, Handbook, Item, Norm, Parameter, Term, Value, id_order
from generator.model.roles import bindings, role_channels
from generator.model.trace import Links, link
from generator.rules.catalogue import check

KINDS = ("values", "norms", "parameters")
STATUSES = ("active", "draft", "retired")


@dataclass(frozen=True)
class Cell:
    channel: Term
    category: Term
    parameters: tuple[Parameter, ...]
    required: bool

    @property
    def count(self) -> int:
        return len(self.parameters)


@dataclass(frozen=True)
class RoleRow:
    """One job's coverage: per moment of truth, the active parameters that bind it, or None
    where the job does not work."""

    role: Term
    cells: tuple[tuple[Term, int | None], ...]


@dataclass(frozen=True)
class Ratio:
    """`done` of `total`, as an auditor reads it: 'norms with a value: 33/33'."""

    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass(frozen=True)
class Audit:
    as_of: dt.date
    counts: Mapping[str, Mapping[str, int]]
    norms_with_value: Ratio
    parameters_with_norm: Ratio
    grid: tuple[tuple[Cell, ...], ...]
    """One row per channel, one cell per category, in taxonomy order."""
    values_without_norms: tuple[Value, ...]
    norms_without_parameters: tuple[Norm, ...]
    norms_without_value: tuple[Norm, ...]
    parameters_without_norm: tuple[Parameter, ...]
    parameters_without_measure: tuple[Parameter, ...]
    items_without_owner: tuple[Item, ...]
    reviews_overdue: tuple[Norm, ...]
    traceability_errors: tuple[Diagnostic, ...]
    roles: tuple[RoleRow, ...] = ()
    """Coverage by job, in taxonomy order; empty for a handbook without roles."""

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for row in self.grid for cell in row)

    @property
    def cells_covered(self) -> Ratio:
        return Ratio(sum(1 for c in self.cells if c.count), len(self.cells))

    @property
    def required_cells_empty(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.required and not c.count)

    @property
    def passed(self) -> bool:
        """What gates a release: no traceability error."""
        return not self.traceability_errors


def audit(
    handbook: Handbook, *, today: dt.date, checked: Sequence[Diagnostic] | None = None
) -> Audit:
    """The audit of the handbook on `today`. `checked`: what `check` gave for the same
    handbook and day, if it was checked already (a build validates before it renders, and a
    handbook in four languages without translations has 220,000 warnings to find again)."""
    links = link(handbook)
    counts = {
        kind: {status: sum(1 for item in items if item.status == status) for status in STATUSES}
        for kind, items in (
            ("values", handbook.values),
            ("norms", handbook.norms),
            ("parameters", handbook.parameters),
        )
    }
    active_norms = sorted(
        (n for n in handbook.norms if n.status == "active"), key=lambda n: id_order(n.id)
    )
    active_parameters = sorted(
        (p for p in handbook.parameters if p.status == "active"), key=lambda p: id_order(p.id)
    )
    norms_without_value = tuple(n for n in active_norms if not _serves(n, links))
    parameters_without_norm = tuple(p for p in active_parameters if not _implements(p, links))
    diagnostics = list(checked) if checked is not None else check(handbook, today=today)
    return Audit(
        as_of=today,
        counts=counts,
        norms_with_value=Ratio(len(active_norms) - len(norms_without_value), len(active_norms)),
        parameters_with_norm=Ratio(
            len(active_parameters) - len(parameters_without_norm), len(active_parameters)
        ),
        grid=_grid(handbook, links),
        values_without_norms=tuple(
            v
            for v in handbook.values
            if v.status == "active" and not links.active_norms_of_value.get(v.id)
        ),
        norms_without_parameters=tuple(
            n for n in active_norms if not links.active_parameters_of_norm.get(n.id)
        ),
        norms_without_value=norms_without_value,
        parameters_without_norm=parameters_without_norm,
        parameters_without_measure=tuple(p for p in active_parameters if p.measure is None),
        items_without_owner=tuple(
            i
            for i in sorted(handbook.items(), key=lambda i: id_order(i.id))
            if i.status == "active" and i.owner is None
        ),
        reviews_overdue=tuple(n for n in active_norms if n.review is not None and n.review < today),
        traceability_errors=tuple(
            d
            for d in diagnostics
            if RULES[d.rule].family is Family.TRACEABILITY and d.severity is Severity.ERROR
        ),
        roles=role_coverage(handbook, links),
    )


def role_coverage(
    handbook: Handbook, links: Links, published: Collection[str] | None = None
) -> tuple[RoleRow, ...]:
    channels = handbook.taxonomy.get("channels", ())
    rows = []
    for binding in bindings(handbook, links, published).values():
        works = {c.id for c in role_channels(binding.role, channels)}
        rows.append(
            RoleRow(
                binding.role,
                tuple(
                    (
                        channel,
                        sum(1 for p in binding.parameters if p.channel == channel.id)
                        if channel.id in works
                        else None,
                    )
                    for channel in channels
                ),
            )
        )
    return tuple(rows)


def _serves(norm: Norm, links: Links) -> bool:
    return any(
        (value := links.values.get(v)) is not None and value.status == "active"
        for v in norm.traces_to
    )


def _implements(parameter: Parameter, links: Links) -> bool:
    return any(
        (norm := links.norms.get(n)) is not None
        and norm.status == "active"
        and _serves(norm, links)
        for n in parameter.traces_to
    )


def _grid(handbook: Handbook, links: Links) -> tuple[tuple[Cell, ...], ...]:
    categories = handbook.taxonomy.get("categories", ())
    rows = []
    for channel in handbook.taxonomy.get("channels", ()):
        required = set(channel.requires) if isinstance(channel, Channel) else set()
        on_channel = links.active_parameters_of_channel.get(channel.id, ())
        rows.append(
            tuple(
                Cell(
                    channel,
                    category,
                    tuple(p for p in on_channel if p.category == category.id),
                    category.id in required,
                )
                for category in categories
            )
        )
    return tuple(rows)
