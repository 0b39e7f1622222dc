"""Audit pages: the auditor's section of the site and the observation checklists.

Like `pages.py` for readers, this decides what goes where; the templates draw it. The figures
come from `audit/compute.py`, the same object `handbook audit` prints.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.audit.compute import Audit, Cell
from generator.audit.exports import (
    manifest_json,
    traceability_csv,
    traceability_json_pieces,
    traceability_xlsx,
)
from generator.audit.graph import Graph, NodeSpec, layered
from generator.model.items import Handbook, Norm, Parameter, Term, Value, id_order
from generator.model.roles import role_channels
from generator.site.pages import Group, NavEntry, Page, Planner, elsewhere_in_search

DOWNLOADS = "audit/downloads"
MATRIX_COLUMNS = 24
"""Above this many values, the value-by-norm matrix is a list of each norm's values: a grid of
200 columns is read by nobody and grows with values times norms (84 MB at 10,000 norms)."""
OVERVIEW_NODES = 600
"""Above this many boxes, the graph of the whole handbook is not drawn (nobody can read it);
each value's own graph still is."""


def _descriptions(planner: Planner) -> dict[str, str]:
    _ = planner._
    return {
        "traceability.json": _("every value, norm and parameter, and the links between them"),
        "traceability.csv": _("one row per value → norm → parameter path, for a spreadsheet"),
        "traceability.xlsx": _("a workbook with one sheet per kind and per relation, with filters"),
        "manifest.json": _("every item's id, status, owner, dates and SHA-256 of its content"),
    }


@dataclass(frozen=True)
class Download:
    name: str
    path: str
    description: str
    size: int | None
    """In bytes; None for a file made while the site builds (`render.Later`)."""


@dataclass(frozen=True)
class ChecklistRow:
    parameter: Parameter
    norms: tuple[Norm, ...]
    values: tuple[Value, ...]


MANIFEST = f"{DOWNLOADS}/manifest.json"


def role_pdf(role_id: str) -> str:
    """Where a release puts the PDF of one job's rules."""
    return f"{DOWNLOADS}/roles/{role_id}.pdf"


def exports(
    handbook: Handbook, language: str, today: dt.date
) -> dict[str, Callable[[], bytes | Iterable[bytes]]]:
    """The large exports an auditor downloads, dated by the build, each made when asked for
    (the largest a piece at a time): a build can have a helper process make them while it
    writes the pages."""
    return {
        f"{DOWNLOADS}/traceability.json": lambda: traceability_json_pieces(
            handbook, language, as_of=today
        ),
        f"{DOWNLOADS}/traceability.csv": lambda: traceability_csv(handbook, language, as_of=today),
        f"{DOWNLOADS}/traceability.xlsx": lambda: traceability_xlsx(
            handbook, language, as_of=today
        ),
    }


def downloads(handbook: Handbook, language: str, today: dt.date) -> dict[str, bytes]:
    """The exports an auditor downloads, as files of the site, made now."""
    made = {path: _whole(make()) for path, make in exports(handbook, language, today).items()}
    made[MANIFEST] = manifest_json(handbook)
    return made


def _whole(made: bytes | Iterable[bytes]) -> bytes:
    return made if isinstance(made, bytes) else b"".join(made)


def heat(cell: Cell) -> str:
    """The heat map's colour class: an empty cell must stand out, full ones read as solid."""
    if cell.count == 0:
        return "none"
    if cell.count <= 2:
        return "low"
    if cell.count <= 5:
        return "mid"
    if cell.count <= 9:
        return "high"
    return "top"


def wrap(text: str, width: int) -> list[str]:
    """Split a heading into at most three short lines for the heat map's column labels."""
    lines = textwrap.wrap(text, width) or [""]
    return [*lines[:2], " ".join(lines[2:])] if len(lines) > 3 else lines


def score(planner: Planner, parameter: Parameter) -> str:
    """How an observer scores a line: the pass condition, then how it is checked."""
    _ = planner._
    measure = parameter.measure
    condition = _("Met when observed")
    if measure is not None:
        low = planner.number(measure.min) if measure.min is not None else ""
        if measure.min is not None and measure.max is not None:
            high = planner.quantity(measure.max, measure)
            condition = _("Met when between %(low)s and %(high)s") % {"low": low, "high": high}
        elif measure.max is not None:
            condition = _("Met when at most %(value)s") % {
                "value": planner.quantity(measure.max, measure)
            }
        elif measure.min is not None:
            condition = _("Met when at least %(value)s") % {
                "value": planner.quantity(measure.min, measure)
            }
        elif measure.target is not None:
            condition = _("Met when %(value)s is reached") % {
                "value": planner.quantity(measure.target, measure)
            }
    methods = [planner.text(planner.term("methods", m).title) for m in parameter.verification]
    if not methods:
        return condition
    return _("%(condition)s; by %(methods)s") % {
        "condition": condition,
        "methods": ", ".join(methods).lower(),
    }


def plan_audit(
    planner: Planner,
    result: Audit,
    files: Mapping[str, bytes],
    *,
    pdf: bool = False,
    later: Collection[str] = (),
    published_hash: str | None = None,
) -> list[Page]:
    """The audit pages; with `pdf`, the downloads also offer the PDF the build prints. The
    files in `later` are made while the site builds, so their size is not known yet."""
    handbook, links, _ = planner.handbook, planner.links, planner._
    values = planner.active_values()
    norms = planner.active_norms()
    published = set(planner.homes)
    gaps: list[tuple[str, tuple[Value | Norm | Parameter, ...]]] = [
        (_("Values without norms"), result.values_without_norms),
        (_("Norms without parameters"), result.norms_without_parameters),
        (_("Norms that serve no value"), result.norms_without_value),
        (_("Parameters that implement no norm"), result.parameters_without_norm),
        (_("Parameters without a measure"), result.parameters_without_measure),
        (_("Active items without an owner"), result.items_without_owner),
        (_("Norms overdue for review"), result.reviews_overdue),
    ]
    listed = [
        Download(
            path.rsplit("/", 1)[1],
            path,
            _descriptions(planner)[path.rsplit("/", 1)[1]],
            None if path in later else len(content),
        )
        for path, content in files.items()
        if path.startswith(DOWNLOADS + "/")
    ]
    if pdf:
        listed.append(
            Download(
                "handbook.pdf",
                f"{DOWNLOADS}/handbook.pdf",
                _("the whole handbook of this version and language, for print"),
                0,
            )
        )
        listed.extend(
            Download(
                f"{binding.role.id}.pdf",
                role_pdf(binding.role.id),
                _("the rules of one job: %(job)s") % {"job": planner.text(binding.role.title)},
                0,
            )
            for binding in planner.role_bindings().values()
        )
    if published_hash is None:
        published_hash = manifest_hash(files)
    parameters_of = {
        n.id: tuple(
            sorted(links.active_parameters_of_norm.get(n.id, ()), key=lambda p: id_order(p.id))
        )
        for n in norms
    }
    drawn = len(values) + len(norms) + sum(len(parameters_of[n.id]) for n in norms)
    kinds = [
        ("values", _("Values")),
        ("norms", _("Norms")),
        ("parameters", _("Behaviour parameters")),
    ]
    pages = [
        Page(
            "audit/index.md",
            "audit.md.j2",
            _("Audit"),
            {"audit": result, "kinds": kinds, "gaps": gaps, "downloads": listed},
        ),
        *planner.paged(
            Page(
                "audit/matrix.md",
                "audit_matrix.md.j2",
                _("Traceability matrix"),
                {
                    "values": values,
                    "as_grid": len(values) <= MATRIX_COLUMNS,
                    "values_of": {n.id: planner.norm_view(n).values for n in norms},
                },
                meta=elsewhere_in_search(),
            ),
            [
                (Group("value-norm", "value-norm", label=_("Value × norm")), norms),  # noqa: RUF001
                (
                    Group("norm-parameter", "norm-parameter", label=_("Norm × parameter")),  # noqa: RUF001
                    [(n, parameters_of[n.id]) for n in norms],
                ),
            ],
            row_id=lambda row: row[0].id if isinstance(row, tuple) else row.id,
            # A norm's row names each of its parameters.
            weight=lambda row: 1 + len(row[1]) if isinstance(row, tuple) else 1,
        ),
        *planner.paged(
            Page(
                "audit/trace.md",
                "audit_trace.md.j2",
                _("Trace in both directions"),
                # Every parameter is on it, to narrow as any long list.
                {
                    "filters": planner.filters(
                        handbook.taxonomy["channels"],
                        {c.id for c in handbook.taxonomy["categories"]},
                    )
                },
                meta=elsewhere_in_search(),
            ),
            [
                *(
                    (Group("down", f"down-{value.id}", item=value), rows)
                    for value, rows in _down(planner)
                ),
                *(
                    (Group("up", f"up-{channel.id}", channel), rows)
                    for channel, rows in _up(planner)
                ),
            ],
            row_id=lambda row: row[0].id,
            weight=lambda row: 1 + len(row[1]) if len(row) == 2 else 1,
        ),
        Page(
            "audit/coverage.md",
            "audit_coverage.md.j2",
            _("Coverage"),
            {"audit": result},
        ),
        *planner.paged(
            Page(
                "audit/gaps.md",
                "audit_gaps.md.j2",
                _("Gaps"),
                {"audit": result, "published": published},
            ),
            [
                (Group("gap", f"gap-{number}", label=label), items)
                for number, (label, items) in enumerate(gaps, start=1)
            ],
            row_id=lambda item: item.id,
        ),
        *planner.paged(
            Page(
                "audit/graph.md",
                "audit_graph.md.j2",
                _("Traceability graph"),
                {
                    # Laid out when the page is written (by a helper process in a build).
                    "overview": values if drawn <= OVERVIEW_NODES else None,
                    "graph_of": lambda of, url: _graph(planner, list(of), url),
                },
                meta=elsewhere_in_search(),
            ),
            [(Group("graphs", "graphs"), values)],
            row_id=lambda value: value.id,
            weight=lambda value: (
                1
                + sum(
                    1 + len(parameters_of.get(n.id, ()))
                    for n in links.active_norms_of_value.get(value.id, ())
                )
            ),
        ),
        Page(
            "audit/downloads.md",
            "audit_downloads.md.j2",
            _("Downloads"),
            {"downloads": listed, "manifest_hash": published_hash},
        ),
    ]
    channels = handbook.taxonomy["channels"]
    checklists = [(c, _checklist(planner, c.id)) for c in channels]
    of_channel = dict((c.id, rows) for c, rows in checklists)
    roles = []
    for binding in planner.role_bindings().values():
        bound = {p.id for p in binding.parameters}
        roles.append(
            (
                binding.role,
                [
                    (c, tuple(row for row in of_channel[c.id] if row.parameter.id in bound))
                    for c in role_channels(binding.role, channels)
                ],
            )
        )
    pages.append(
        Page(
            "checklists/index.md",
            "checklists.md.j2",
            _("Checklists"),
            {"checklists": checklists, "roles": roles},
        )
    )
    for channel, rows in checklists:
        pages.extend(_checklist_pages(planner, f"checklists/{channel.id}.md", channel, None, rows))
    for role, lists in roles:
        for channel, rows in lists:
            pages.extend(
                _checklist_pages(
                    planner, f"checklists/{role.id}/{channel.id}.md", channel, role, rows
                )
            )
    return pages


def _checklist_pages(
    planner: Planner,
    path: str,
    channel: Term,
    role: Term | None,
    rows: tuple[ChecklistRow, ...],
) -> list[Page]:
    groups = _by_category(planner, rows)
    title = planner._("Checklist:") + " " + planner.text(channel.title)
    if role is not None:
        title += " · " + planner.text(role.title)
    return planner.paged(
        Page(
            path,
            "checklist.md.j2",
            title,
            {
                "channel": channel,
                "role": role,
                "rows": rows,
                "offsets": {category.id: before for category, _, before in groups},
            },
            meta={"hide": ["navigation", "toc"], **elsewhere_in_search()},
            listed=role is None,
        ),
        [(Group("checklist", category.id, category), lines) for category, lines, _ in groups],
        row_id=lambda row: row.parameter.id,
    )


def audit_nav(planner: Planner) -> list[NavEntry]:
    channels = planner.handbook.taxonomy["channels"]
    return [
        {
            planner._("Audit"): [
                "audit/index.md",
                "audit/matrix.md",
                "audit/trace.md",
                "audit/coverage.md",
                "audit/gaps.md",
                "audit/graph.md",
                "audit/downloads.md",
            ]
        },
        {
            planner._("Checklists"): [
                "checklists/index.md",
                *(f"checklists/{c.id}.md" for c in channels),
            ]
        },
    ]


def manifest_hash(files: Mapping[str, bytes]) -> str:
    manifest = json.loads(files[f"{DOWNLOADS}/manifest.json"])
    return str(manifest["sha256"])


def _down(planner: Planner) -> list[tuple[Value, list[tuple[Norm, tuple[Parameter, ...]]]]]:
    """Each value with its norms, each norm with its parameters."""
    links = planner.links
    return [
        (
            value,
            [
                (
                    norm,
                    tuple(
                        sorted(
                            links.active_parameters_of_norm.get(norm.id, ()),
                            key=lambda p: id_order(p.id),
                        )
                    ),
                )
                for norm in sorted(
                    links.active_norms_of_value.get(value.id, ()), key=lambda n: id_order(n.id)
                )
            ],
        )
        for value in planner.active_values()
    ]


def _up(
    planner: Planner,
) -> list[tuple[Term, list[tuple[Parameter, tuple[Norm, ...], tuple[Value, ...]]]]]:
    """Each parameter with the norms and values it serves, by moment of truth (in taxonomy
    order), as the handbook's channel pages group them: one table of every parameter was
    50,000 rows at 10,000 norms, hard to read and, as one block, the build's peak of memory."""
    links = planner.links
    by_channel: dict[str, list[tuple[Parameter, tuple[Norm, ...], tuple[Value, ...]]]] = {}
    for parameter in sorted(
        (p for p in planner.handbook.parameters if p.id in planner.homes),
        key=lambda p: id_order(p.id),
    ):
        norms = tuple(
            links.norms[n] for n in dict.fromkeys(parameter.traces_to) if n in planner.homes
        )
        values = tuple(
            links.values[v]
            for v in dict.fromkeys(v for n in norms for v in n.traces_to)
            if v in planner.homes
        )
        by_channel.setdefault(parameter.channel, []).append((parameter, norms, values))
    channels = planner.handbook.taxonomy.get("channels", ())
    return [(channel, by_channel[channel.id]) for channel in channels if channel.id in by_channel]


def _short(title: str, limit: int = 28) -> str:
    """A value's title cut to fit its box in the graph; the tooltip keeps it whole."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _checklist(planner: Planner, channel: str) -> tuple[ChecklistRow, ...]:
    """Measurable parameters in force on a channel, grouped by category in taxonomy order:
    what is still to come is not observed today."""
    links = planner.links
    parameters = links.active_parameters_of_channel.get(channel, ())
    rows = []
    for section in planner.sections(parameters, "categories"):
        for row in section.rows:
            if row.parameter.measure is None or planner.coming(row.parameter):
                continue
            values = tuple(
                links.values[v]
                for v in dict.fromkeys(v for n in row.norms for v in n.traces_to)
                if v in planner.homes
            )
            rows.append(ChecklistRow(row.parameter, row.norms, values))
    return tuple(rows)


def _by_category(
    planner: Planner, rows: Sequence[ChecklistRow]
) -> list[tuple[Term, tuple[ChecklistRow, ...], int]]:
    """A checklist's lines by category, each group with the number of lines before it (the
    lines are numbered through the whole checklist): an observer watches one kind of behaviour
    at a time, and a table of thousands of lines was one block of tens of MB to render."""
    groups: list[tuple[Term, tuple[ChecklistRow, ...], int]] = []
    grouped: dict[str, list[ChecklistRow]] = {}
    for row in rows:
        grouped.setdefault(row.parameter.category, []).append(row)
    before = 0
    for category in planner.handbook.taxonomy["categories"]:
        lines = tuple(grouped.get(category.id, ()))
        if lines:
            groups.append((category, lines, before))
            before += len(lines)
    return groups


def _graph(
    planner: Planner, values: list[Value], url: Callable[[Value | Norm | Parameter], str]
) -> Graph:
    links = planner.links
    norms: dict[str, Norm] = {}
    parameters: dict[str, Parameter] = {}
    edges: list[tuple[str, str]] = []
    for value in values:
        for norm in links.active_norms_of_value.get(value.id, ()):
            edges.append((value.id, norm.id))
            norms.setdefault(norm.id, norm)
    for norm in norms.values():
        for parameter in sorted(
            links.active_parameters_of_norm.get(norm.id, ()), key=lambda p: id_order(p.id)
        ):
            edges.append((norm.id, parameter.id))
            parameters.setdefault(parameter.id, parameter)
    text = planner.text
    return layered(
        ("Values", "Norms", "Behaviour parameters"),
        [
            [
                NodeSpec(v.id, _short(text(v.title)), f"{v.id}: {text(v.title)}", str(url(v)))
                for v in values
            ],
            [NodeSpec(n.id, n.id, f"{n.id}: {text(n.title)}", str(url(n))) for n in norms.values()],
            [
                NodeSpec(p.id, p.id, f"{p.id}: {text(p.title)}", str(url(p)))
                for p in parameters.values()
            ],
        ],
        edges,
    )
