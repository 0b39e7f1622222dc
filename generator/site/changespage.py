"""The "What changed" page: this version against the previous release, and the history.

Grouped the way readers look for change: by the value a rule serves and by the moment of truth
it applies to. The release history table answers "which edition was in force on that day";
`handbook asof` answers it item by item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from generator.releases.diff import Changes, FieldChange, ItemChange, diff
from generator.releases.history import RELEASE_FILE, Release, ReleaseContext
from generator.site.pages import Group as ListGroup
from generator.site.pages import Page, Planner

PAGE = "changes/index.md"
PRINT_PAGE = "print/index.md"


@dataclass(frozen=True)
class FieldLine:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeLine:
    change: ItemChange
    fields: tuple[FieldLine, ...]
    badges: tuple[tuple[str, str], ...]
    """What happened: (key, label in the reader's language), e.g. ('changed', 'Changed'),
    ('re-traced', 're-traced'); the key names the badge's colour."""
    kind: str
    """'value', 'norm' or 'parameter' in the reader's language."""


@dataclass(frozen=True)
class Group:
    title: str
    lines: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class HistoryRow:
    release: Release
    until: dt.date | None
    current: bool


def release_files(context: ReleaseContext, manifest_sha256: str) -> dict[str, bytes]:
    """The record of the release being made, published with it (none for a preview)."""
    current = _current(context, manifest_sha256)
    return {RELEASE_FILE: current.record().encode("utf-8")} if current is not None else {}


def _current(context: ReleaseContext, manifest_sha256: str) -> Release | None:
    if context.current is None:
        return None
    return dataclasses.replace(context.current, manifest_sha256=manifest_sha256)


def plan_changes(planner: Planner, context: ReleaseContext, manifest_sha256: str) -> list[Page]:
    current = _current(context, manifest_sha256)
    changes: Changes | None = None
    if context.base_handbook is not None:
        changes = diff(context.base_handbook, planner.handbook, language=planner.language)
    # Drafts are not published, so their coming and going is no change to a reader.
    lines = (
        tuple(_line(planner, c) for c in changes.items if c.status != "draft") if changes else ()
    )
    substantive = tuple(line for line in lines if line.change.change != "moved")
    by_value = tuple(
        group
        for value in planner.handbook.values
        if (
            group := Group(
                f"{value.id} {planner.text(value.title)}",
                tuple(line for line in substantive if value.id in line.change.values),
            )
        ).lines
    )
    by_channel = tuple(
        group
        for channel in planner.handbook.taxonomy["channels"]
        if (
            group := Group(
                planner.text(channel.title),
                tuple(line for line in substantive if channel.id in line.change.channels),
            )
        ).lines
    )
    page = Page(
        PAGE,
        "changes.md.j2",
        planner._("What changed"),
        {
            "current": current,
            "base": context.base,
            "changes": changes,
            "lines": substantive,
            "moved": tuple(line for line in lines if line.change.change == "moved"),
            "by_value": by_value,
            "by_channel": by_channel,
            "history": _history(context, current),
            "counts": [(_labels(planner)[k].lower(), n) for k, n in _counts(changes)],
        },
    )
    return [page]


@dataclass(frozen=True)
class Edition:
    """What the printed handbook's cover says of the edition."""

    version: str
    date: dt.date
    manifest: str


def plan_print(
    planner: Planner, context: ReleaseContext, manifest_sha256: str, today: dt.date
) -> list[Page]:
    """The handbook for print and for the PDF: a cover with the contents (`print/`), then each
    value with its norms in full on pages of its own (`print/values/val-001/`, each norm under
    the value it is published under), cut like any long list (`paging.py`). The PDF is all of
    them in order (`print_order`); no single page holds the whole handbook."""
    current = context.current
    edition = Edition(
        current.version if current else planner._("not yet released"),
        current.date if current else today,
        manifest_sha256,
    )
    values = planner.active_values()
    meta = {"hide": ["navigation", "toc"], "search": {"exclude": True}}
    parts: list[Page] = []
    for value in values:
        parts.extend(
            planner.paged(
                Page(
                    print_value_page(value.id),
                    "print_value.md.j2",
                    planner.text(value.title),
                    {"value": value},
                    meta=meta,
                    listed=False,
                ),
                [
                    (
                        ListGroup("own", value.id, item=value),
                        [planner.norm_view(n) for n in planner.own_norms(value)],
                    )
                ],
                row_id=lambda view: view.norm.id,
                weight=lambda view: 1 + sum(len(g.parameters) for g in view.by_channel),
            )
        )
    cover = Page(
        PRINT_PAGE,
        "print.md.j2",
        planner.text(planner.handbook.settings.title),
        {
            "edition": edition,
            "values": [(v, len(planner.own_norms(v))) for v in values],
            "part_pages": [page.path for page in parts],
        },
        meta=meta,
        listed=False,
    )
    return [cover, *parts]


def print_value_page(value_id: str) -> str:
    return f"print/values/{value_id.lower()}.md"


def _counts(changes: Changes | None) -> list[tuple[str, int]]:
    if changes is None:
        return []
    order = ("added", "changed", "retired", "reactivated", "removed", "moved")
    counted = [(kind, sum(1 for c in changes.items if c.change == kind)) for kind in order]
    retraced = sum(1 for c in changes.items if c.retraced)
    return [(k, n) for k, n in counted if n] + ([("re-traced", retraced)] if retraced else [])


def _history(context: ReleaseContext, current: Release | None) -> tuple[HistoryRow, ...]:
    releases = [r for r in context.history if current is None or r.version != current.version]
    if current is not None:
        releases.append(current)
    releases.sort()
    rows = []
    for index, release in enumerate(releases):
        following = releases[index + 1] if index + 1 < len(releases) else None
        until = following.date - dt.timedelta(days=1) if following else None
        rows.append(HistoryRow(release, until, current is not None and release is current))
    return tuple(reversed(rows))


def _labels(planner: Planner) -> dict[str, str]:
    _ = planner._
    return {
        "added": _("Added"),
        "removed": _("Removed"),
        "retired": _("Retired"),
        "reactivated": _("Reactivated"),
        "changed": _("Changed"),
        "moved": _("Moved"),
        "re-traced": _("re-traced"),
        "value": _("value"),
        "norm": _("norm"),
        "parameter": _("parameter"),
    }


def _line(planner: Planner, change: ItemChange) -> ChangeLine:
    labels = _labels(planner)
    keys = (change.change, "re-traced") if change.retraced else (change.change,)
    return ChangeLine(
        change,
        tuple(_field(planner, f) for f in change.fields),
        tuple((key, labels[key]) for key in keys),
        labels[change.kind],
    )


def _field(planner: Planner, change: FieldChange) -> FieldLine:
    return FieldLine(change.field, _show(planner, change.before), _show(planner, change.after))


def _show(planner: Planner, value: object) -> str:
    """A field's value as one line of text for the page (a language map in the reader's
    language, a list joined, nothing as a dash)."""
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        if all(len(k) <= 6 for k in value):  # a language map
            return planner.text({str(k): str(v) for k, v in value.items()})
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_show(planner, v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
