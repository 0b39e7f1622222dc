"""Diff: what changed between two editions of the standards, item by item and by id.

A line diff of YAML answers the wrong question. A reviewer of a pull request, or a reader of
the "What changed" page, wants to know which rules now bind differently, which behaviour an
observer must now score differently, and whose sign-off that needs; moving a norm to another
file or reordering keys changes lines but nothing a customer or an employee would notice.
So the two handbooks are compared through the model: an item is the same item when it has the
same id, and it changed when one of its fields differs.

Two things only a comparison can show are reported as diagnostics: a released item that was
deleted (`item-removed`; it must be retired so that its id is never given to something else)
and a retired id that came back with other content (`id-reused`).

Every function here is pure: two Handbooks in, data or text out, the same bytes every time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from generator.model.diagnostics import RULES, Diagnostic, Rule, sorted_diagnostics
from generator.model.items import (
    Handbook,
    Item,
    Location,
    Norm,
    Parameter,
    Status,
    Text,
    Value,
    id_order,
)
from generator.model.roles import item_roles
from generator.model.trace import Links, link
from generator.text.mdtext import escape_inline
from generator.text.printable import named

ChangeKind = Literal["added", "removed", "retired", "reactivated", "changed", "moved"]
Kind = Literal["value", "norm", "parameter"]

KINDS: tuple[Kind, ...] = ("value", "norm", "parameter")
SECTIONS: tuple[tuple[ChangeKind, str], ...] = (
    ("added", "Added"),
    ("changed", "Changed"),
    ("retired", "Retired"),
    ("reactivated", "Reactivated"),
    ("removed", "Removed"),
    ("moved", "Moved"),
)
"""The order a reviewer reads: what is new, what binds differently, what stopped binding."""
CONTENT_FIELDS = frozenset({"title", "statement", "requirement"})
"""What makes an item that item: a retired id brought back with other content is a new item."""
IMPACT_CHANGES = frozenset({"changed", "retired", "removed"})
LONG_TEXT = 72
"""Above this many characters (before and after together) a change is shown on two lines."""
MINUS = "\u2212"
"""Marks a removed list element; the minus sign, because `-` would start a Markdown list."""
LISTED_IDS = 8
"""Ids shown in one impact line before the rest are only counted."""

_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control and bidirectional-override characters: in a terminal or a review they could hide or
reorder what the text says, so each is named instead (`[U+001B escape]`), as every report names
it (`text.printable.named`); line breaks and tabs are folded into spaces before."""
_WHITESPACE = re.compile(r"\s+")
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")
"""Ids, dates, numbers, versions: nothing in them can start Markdown or HTML where this module
puts them (never at the start of a line), so they are shown without backslashes."""
_SAFE_FIELD = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)*")
_SAFE_PATH = re.compile(r"[A-Za-z0-9_./:-]+")


# --- the data -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One field that differs; `field` is a dotted path into nested models (`measure.max`)."""

    field: str
    before: object
    """The old value as `model_dump(mode="json")` gives it (None when the field was unset)."""
    after: object


@dataclass(frozen=True)
class ItemChange:
    """One value, norm or parameter that is not the same in both handbooks."""

    id: str
    kind: Kind
    change: ChangeKind
    title: str
    """The new title (the old one if the item was removed), in the language asked for."""
    fields: tuple[FieldChange, ...]
    """Every field that differs, in the model's field order; empty when added, removed, moved."""
    retraced: bool
    """The item now serves other values or norms (`traces_to` differs as a set)."""
    moved_from: str | None
    """The old file, relative to the standards folder, when the item is now in another one."""
    moved_to: str | None
    owner: str | None
    channels: tuple[str, ...]
    roles: tuple[str, ...]
    """The jobs the item binds (`roles.py`: a norm without roles binds every role, a parameter
    without them its norms'), in taxonomy order; empty for a value or a handbook without roles."""
    values: tuple[str, ...]
    """The value ids the item serves: a value itself, a norm its `traces_to`, a parameter the
    values of its norms. Lets the changes page group changes by value."""
    effective: str | None
    status: Status = "active"
    """The new status (the old one if removed): drafts are not published, so a page for
    readers leaves them out while a reviewer still sees them."""


@dataclass(frozen=True)
class Impact:
    """Who must look again because a value or a norm changed: the norms and parameters below
    it, and their owners."""

    id: str
    kind: Literal["value", "norm"]
    norms: tuple[str, ...]
    """For a value: the active norms that trace to it (in the old handbook when the value was
    retired or removed, since the new one no longer links them); empty for a norm."""
    parameters: tuple[str, ...]
    """The active parameters that implement those norms (for a norm: its own)."""
    owners: tuple[str, ...]
    """Owner ids of the item and of everything listed, sorted, each once."""


@dataclass(frozen=True)
class Changes:
    items: tuple[ItemChange, ...]
    """Values, then norms, then parameters, each in natural id order."""
    impacts: tuple[Impact, ...]
    problems: tuple[Diagnostic, ...]

    def count(self, change: ChangeKind) -> int:
        return sum(1 for item in self.items if item.change == change)

    @property
    def retraced(self) -> int:
        return sum(1 for item in self.items if item.retraced)


# --- comparing --------------------------------------------------------------------------------
def diff(old: Handbook, new: Handbook, *, language: str | None = None) -> Changes:
    """Compare two handbooks item by item. `language` picks the titles shown (default: the new
    handbook's default language); it never decides whether something changed."""
    lang = language or new.settings.default_language
    old_items = {item.id: item for item in old.items()}
    new_items = {item.id: item for item in new.items()}
    either = {**old_items, **new_items}
    identifiers = sorted(either, key=lambda key: (KINDS.index(_kind(either[key])), id_order(key)))
    changes: list[ItemChange] = []
    problems: list[Diagnostic] = []
    for identifier in identifiers:
        change = _compare(identifier, old, new, old_items, new_items, lang)
        if change is None:
            continue
        changes.append(change)
        problems.extend(_problems(change, old, new, old_items))
    return Changes(
        items=tuple(changes),
        impacts=tuple(_impacts(changes, old, new)),
        problems=tuple(sorted_diagnostics(problems)),
    )


def _compare(
    identifier: str,
    old: Handbook,
    new: Handbook,
    old_items: Mapping[str, Item],
    new_items: Mapping[str, Item],
    lang: str,
) -> ItemChange | None:
    before, after = old_items.get(identifier), new_items.get(identifier)
    if before is None and after is not None:
        return _item_change(after, new, lang, "added")
    if after is None and before is not None:
        return _item_change(before, old, lang, "removed")
    assert before is not None and after is not None
    fields = tuple(_differences(before, after))
    from_file, to_file = old.relative_file(identifier), new.relative_file(identifier)
    moved = from_file != to_file
    change: ChangeKind
    if before.status != "retired" and after.status == "retired":
        change = "retired"
    elif before.status == "retired" and after.status != "retired":
        change = "reactivated"
    elif fields:
        change = "changed"
    elif moved:
        change = "moved"
    else:
        return None
    return _item_change(
        after,
        new,
        lang,
        change,
        fields=fields,
        retraced=_traces(before) != _traces(after),
        moved=(from_file, to_file) if moved else None,
    )


def _item_change(
    item: Item,
    handbook: Handbook,
    lang: str,
    change: ChangeKind,
    *,
    fields: tuple[FieldChange, ...] = (),
    retraced: bool = False,
    moved: tuple[str | None, str | None] | None = None,
) -> ItemChange:
    return ItemChange(
        id=item.id,
        kind=_kind(item),
        change=change,
        title=_text(item.title, lang, handbook),
        fields=fields,
        retraced=retraced,
        moved_from=moved[0] if moved else None,
        moved_to=moved[1] if moved else None,
        owner=item.owner,
        channels=_channels(item),
        roles=_roles(item, handbook),
        values=_values_served(item, handbook),
        effective=_effective(item),
        status=item.status,
    )


def _differences(before: BaseModel, after: BaseModel, prefix: str = "") -> Iterator[FieldChange]:
    """Fields that differ, in the model's order. Nested models (`examples`, `measure`) are
    compared field by field; everything else, a language map included, as one value, because
    a translation that changed is a change of that text, not of a field called `ru`."""
    before_json = before.model_dump(mode="json")
    after_json = after.model_dump(mode="json")
    for name in type(after).model_fields:
        old_value, new_value = getattr(before, name), getattr(after, name)
        if isinstance(old_value, BaseModel) and isinstance(new_value, BaseModel):
            yield from _differences(old_value, new_value, f"{prefix}{name}.")
        elif before_json[name] != after_json[name]:
            yield FieldChange(f"{prefix}{name}", before_json[name], after_json[name])


def _problems(
    change: ItemChange, old: Handbook, new: Handbook, old_items: Mapping[str, Item]
) -> Iterator[Diagnostic]:
    """Deleting what was released, and reusing a retired id: both break the promise that an id
    names one rule for ever, which references, audits and old printouts rely on."""
    if change.change == "removed" and old_items[change.id].status != "draft":
        # A draft was never binding nor published; withdrawing it is not deleting history.
        yield Diagnostic(
            Rule.ITEM_REMOVED,
            old.origins[change.id].location,
            f"{change.kind} {change.id} was deleted; a released item is retired, never deleted",
            f"Put {change.id} back as it was and set `status: retired`, so that its id is "
            "never used for something else.",
            (change.id,),
        )
    if change.change == "reactivated" and any(f.field in CONTENT_FIELDS for f in change.fields):
        origin = new.origins[change.id]
        yield Diagnostic(
            Rule.ID_REUSED,
            origin.fields.get(("status",)) or origin.of("id"),
            f"{change.kind} {change.id} was retired and is back with another "
            f"{_content_names(change)}; a retired id is never given to a new item",
            f"Keep {change.id} retired as it was and give the new {change.kind} a new id, "
            f"for example {_next_free_id(change.id, old, new)}.",
            (change.id,),
        )


def _content_names(change: ItemChange) -> str:
    names = [f.field for f in change.fields if f.field in CONTENT_FIELDS]
    return " and ".join(names)


def _next_free_id(identifier: str, old: Handbook, new: Handbook) -> str:
    """The next number after every id of the same prefix in either handbook, padded alike."""
    prefix = identifier.split("-", 1)[0] + "-"
    numbers = [
        part
        for item in (*old.items(), *new.items())
        if item.id.startswith(prefix) and (part := item.id[len(prefix) :]).isdigit()
    ]
    width = max((len(n) for n in numbers), default=3)
    return f"{prefix}{max((int(n) for n in numbers), default=0) + 1:0{width}d}"


def _impacts(changes: Sequence[ItemChange], old: Handbook, new: Handbook) -> Iterator[Impact]:
    """For each value or norm that binds differently, what below it must be reviewed."""
    old_links, new_links = link(old), link(new)
    for change in changes:
        if change.kind == "parameter" or not (change.change in IMPACT_CHANGES or change.retraced):
            continue
        # What hung below a retired or removed item is only linked in the old handbook.
        gone = change.change in ("retired", "removed")
        yield _impact(change, change.kind, old_links if gone else new_links)


def _impact(change: ItemChange, kind: Literal["value", "norm"], links: Links) -> Impact:
    norms = (
        sorted((n.id for n in links.active_norms_of_value.get(change.id, ())), key=id_order)
        if kind == "value"
        else []
    )
    below = norms if kind == "value" else [change.id]
    parameters = sorted(
        {p.id for norm_id in below for p in links.active_parameters_of_norm.get(norm_id, ())},
        key=id_order,
    )
    owners = {change.owner}
    owners.update(links.norms[n].owner for n in norms)
    owners.update(links.parameters[p].owner for p in parameters)
    return Impact(
        id=change.id,
        kind=kind,
        norms=tuple(norms),
        parameters=tuple(parameters),
        owners=tuple(sorted(o for o in owners if o is not None)),
    )


def _kind(item: Item) -> Kind:
    if isinstance(item, Value):
        return "value"
    if isinstance(item, Norm):
        return "norm"
    return "parameter"


def _traces(item: Item) -> frozenset[str]:
    """What the item serves, as a set: writing the same links in another order re-traces
    nothing (the field change still shows the new order)."""
    return frozenset(item.traces_to) if isinstance(item, Norm | Parameter) else frozenset()


def _channels(item: Item) -> tuple[str, ...]:
    if isinstance(item, Norm):
        return item.channels
    if isinstance(item, Parameter):
        return (item.channel,)
    return ()


def _roles(item: Item, handbook: Handbook) -> tuple[str, ...]:
    return item_roles(item, handbook) if isinstance(item, Norm | Parameter) else ()


def _values_served(item: Item, handbook: Handbook) -> tuple[str, ...]:
    if isinstance(item, Value):
        return (item.id,)
    if isinstance(item, Norm):
        return _sorted_ids(item.traces_to)
    norms = {norm.id: norm for norm in handbook.norms}
    return _sorted_ids(v for n in item.traces_to if n in norms for v in norms[n].traces_to)


def _effective(item: Item) -> str | None:
    if isinstance(item, Norm | Parameter) and item.effective is not None:
        return item.effective.isoformat()
    return None


def _sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=id_order))


def _text(value: Text, language: str, handbook: Handbook) -> str:
    """One language of a text: the one asked for, else the default one, else the first."""
    if isinstance(value, str):
        return value
    default = handbook.settings.default_language
    return value.get(language) or value.get(default) or next(iter(value.values()), "")


# --- showing a field change -------------------------------------------------------------------
@dataclass(frozen=True)
class _Shown:
    """A field change as text, before escaping: the Markdown and the terminal show the same."""

    field: str
    before: str | None
    """None when the field was empty (unset, no text, an empty list)."""
    after: str | None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    is_list: bool = False

    @property
    def elements_changed(self) -> bool:
        """A list that gained or lost elements (not one only reordered): shown as + and MINUS."""
        return self.is_list and bool(self.added or self.removed)

    @property
    def long(self) -> bool:
        if self.elements_changed:
            return sum(len(s) + 4 for s in (*self.added, *self.removed)) > LONG_TEXT
        return len(self.before or "") + len(self.after or "") > LONG_TEXT

    @property
    def published(self) -> bool:
        return self.field == "status" and (self.before, self.after) == ("draft", "active")


def _shown(change: FieldChange) -> _Shown:
    before, after = change.before, change.after
    if isinstance(before, list | None) and isinstance(after, list | None) and before != after:
        old_list, new_list = before or [], after or []
        old_shown, new_shown = [_plain(v) for v in old_list], [_plain(v) for v in new_list]
        return _Shown(
            change.field,
            ", ".join(old_shown) or None,
            ", ".join(new_shown) or None,
            added=tuple(s for s, v in zip(new_shown, new_list, strict=True) if v not in old_list),
            removed=tuple(s for s, v in zip(old_shown, old_list, strict=True) if v not in new_list),
            is_list=True,
        )
    return _Shown(change.field, _plain(before) or None, _plain(after) or None)


def _plain(value: object) -> str:
    """A JSON value as one line of plain text: whitespace folded, unsafe characters replaced;
    a mapping (a measure, a language map) as `key: value; …`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_plain(k)}: {_plain(v)}" for k, v in value.items() if v is not None)
    folded = _WHITESPACE.sub(" ", str(value)).strip()
    return _UNSAFE_CHARACTERS.sub(lambda found: named(found.group()), folded)


# --- Markdown -----------------------------------------------------------------------------------
def changes_markdown(changes: Changes, old_label: str, new_label: str) -> str:
    """The changes as a pull-request comment or a CI job summary (GitHub-flavoured Markdown).

    Everything that came from the YAML, the labels included, is escaped: a policy author must
    not be able to put a link, an image or HTML into a comment that reviewers trust.
    """
    lines = [f"## Standards changes: {_md(old_label)} → {_md(new_label)}", ""]
    if not changes.items:
        lines.append("No value, norm or parameter changed.")
        return "\n".join(lines) + "\n"
    lines += [_summary(changes), ""]
    for change_kind, heading in SECTIONS:
        listed = [c for c in changes.items if c.change == change_kind]
        if not listed:
            continue
        lines += [f"### {heading}", ""]
        if change_kind in ("added", "removed", "moved"):
            lines += [f"- {_md_entry(c)}" for c in listed]
            lines.append("")
        else:
            for change in listed:
                lines += [f"**{_md(change.id)}** {_md(change.title)}", ""]
                details = _md_fields(change)
                if details:
                    lines += [*details, ""]
    if changes.impacts:
        lines += ["### Impact", ""]
        lines += [f"- {line}" for line in _impact_lines(changes, markdown=True)]
        lines.append("")
    if changes.problems:
        lines += ["### Problems", ""]
        for problem in changes.problems:
            where = f"{problem.location.file}:{problem.location.line}"
            hint = f" {_md(problem.hint)}" if problem.hint else ""
            lines.append(
                f"- **{problem.severity}** `{problem.rule}` at {_md_path(where)}: "
                f"{_md(problem.message)}.{hint}"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_entry(change: ItemChange) -> str:
    head = f"{change.kind} **{_md(change.id)}** {_md(change.title)}"
    if change.change == "moved":
        return f"{head}: {_md_path(change.moved_from)} → {_md_path(change.moved_to)}"
    if change.change == "removed":
        return head
    return " · ".join([head, *_added_details(change, _md)])


_LANGUAGE_KEY = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


def _language_map(value: object) -> dict[str, str] | None:
    if (
        isinstance(value, dict)
        and value
        and all(
            isinstance(k, str) and _LANGUAGE_KEY.fullmatch(k) and isinstance(v, str)
            for k, v in value.items()
        )
    ):
        return value
    return None


def _per_language(fields: tuple[FieldChange, ...]) -> Iterator[FieldChange]:
    """A translated text that changed is shown language by language, and only the languages
    whose wording changed: a reviewer reads the one sentence that moved, not all four."""
    for field in fields:
        before, after = _language_map(field.before), _language_map(field.after)
        if before is None or after is None:
            yield field
            continue
        for language in dict.fromkeys([*before, *after]):
            if before.get(language) != after.get(language):
                yield FieldChange(
                    f"{field.field} [{language}]", before.get(language), after.get(language)
                )


def _md_fields(change: ItemChange) -> list[str]:
    lines: list[str] = []
    for field in _per_language(change.fields):
        if change.change == "retired" and field.field == "status":
            continue  # the section says it
        shown = _shown(field)
        name = shown.field if _SAFE_FIELD.fullmatch(shown.field) else _md(shown.field)
        if shown.elements_changed:
            marks = [
                *(f"+ {_md(s)}" for s in shown.added),
                *(f"{MINUS} {_md(s)}" for s in shown.removed),
            ]
            if shown.long:
                lines.append(f"- {name}:")
                lines += [f"  - added: {_md(s)}" for s in shown.added]
                lines += [f"  - removed: {_md(s)}" for s in shown.removed]
            else:
                lines.append(f"- {name}: {', '.join(marks)}")
        elif shown.published:
            lines.append(f"- {name}: published (~~draft~~ → **active**)")
        elif shown.long:
            lines.append(f"- {name}:")
            lines.append(f"  > {_md_before(shown.before)}")
            lines.append("  >")
            lines.append(f"  > {_md_after(shown.after)}")
        else:
            lines.append(f"- {name}: {_md_before(shown.before)} → {_md_after(shown.after)}")
    if change.moved_from != change.moved_to:
        lines.append(f"- file: {_md_path(change.moved_from)} → {_md_path(change.moved_to)}")
    return lines


def _md_before(text: str | None) -> str:
    return f"~~{_md(text)}~~" if text else "*(none)*"


def _md_after(text: str | None) -> str:
    return f"**{_md(text)}**" if text else "*(none)*"


def _md(text: str) -> str:
    """Text from the YAML made literal: the site's escaping, plus `~` (strikethrough) and `$`
    (math), which GitHub's Markdown also interprets."""
    if _PLAIN_TOKEN.fullmatch(text):
        return text
    return escape_inline(_plain(text)).replace("~", "\\~").replace("$", "\\$")


def _md_path(path: str | None) -> str:
    if path is None:
        return "*(unknown file)*"
    return f"`{path}`" if _SAFE_PATH.fullmatch(path) else _md(path)


# --- plain text ---------------------------------------------------------------------------------
def changes_text(changes: Changes, old_label: str, new_label: str) -> str:
    """The same content as the Markdown, for a terminal: plain, indented, nothing escaped
    except characters that would drive the terminal."""
    lines = [f"Standards changes: {_plain(old_label)} → {_plain(new_label)}"]
    if not changes.items:
        lines.append("No value, norm or parameter changed.")
        return "\n".join(lines) + "\n"
    lines += [_summary(changes), ""]
    for change_kind, heading in SECTIONS:
        listed = [c for c in changes.items if c.change == change_kind]
        if not listed:
            continue
        lines.append(heading)
        for change in listed:
            if change_kind in ("added", "removed", "moved"):
                lines.append(f"  {_text_entry(change)}")
            else:
                lines.append(f"  {change.id} {_plain(change.title)}")
                lines += [f"    {line}" for line in _text_fields(change)]
        lines.append("")
    if changes.impacts:
        lines.append("Impact")
        lines += [f"  {line}" for line in _impact_lines(changes, markdown=False)]
        lines.append("")
    if changes.problems:
        lines.append("Problems")
        for problem in changes.problems:
            lines.append(
                f"  {_plain(str(problem.location))}: {problem.severity}[{problem.rule}] "
                f"{_plain(problem.message)}"
            )
            if problem.hint:
                lines.append(f"      = hint: {_plain(problem.hint)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _text_entry(change: ItemChange) -> str:
    head = f"{change.kind} {change.id} {_plain(change.title)}"
    if change.change == "moved":
        return f"{head}: {_plain(change.moved_from)} → {_plain(change.moved_to)}"
    if change.change == "removed":
        return head
    return " · ".join([head, *_added_details(change, _plain)])


def _text_fields(change: ItemChange) -> list[str]:
    lines: list[str] = []
    for field in _per_language(change.fields):
        if change.change == "retired" and field.field == "status":
            continue
        shown = _shown(field)
        if shown.elements_changed:
            marks = [*(f"+ {s}" for s in shown.added), *(f"{MINUS} {s}" for s in shown.removed)]
            if shown.long:
                lines.append(f"{shown.field}:")
                lines += [f"  {mark}" for mark in marks]
            else:
                lines.append(f"{shown.field}: {', '.join(marks)}")
        elif shown.published:
            lines.append(f"{shown.field}: published (draft → active)")
        elif shown.long:
            lines.append(f"{shown.field}:")
            lines.append(f"  before: {shown.before or '(none)'}")
            lines.append(f"  after:  {shown.after or '(none)'}")
        else:
            lines.append(f"{shown.field}: {shown.before or '(none)'} → {shown.after or '(none)'}")
    if change.moved_from != change.moved_to:
        lines.append(f"file: {_plain(change.moved_from)} → {_plain(change.moved_to)}")
    return lines


# --- shared by both -----------------------------------------------------------------------------
def _summary(changes: Changes) -> str:
    """`2 added · 3 changed · 1 re-traced · 1 moved`: only what happened, in section order,
    re-traced before moved because it is a change in substance and moving is not."""
    counts: list[tuple[int, str]] = [
        (changes.count(kind), kind) for kind, _ in SECTIONS if kind != "moved"
    ]
    counts.append((changes.retraced, "re-traced"))
    counts.append((changes.count("moved"), "moved"))
    return " · ".join(f"{count} {word}" for count, word in counts if count)


def _added_details(change: ItemChange, token: Callable[[str], str]) -> list[str]:
    """What a reviewer checks first about a new item: what it serves, where, from when, whose.
    `token` shows an id or a date (as it is in Markdown when the schema vouches for it)."""
    details = []
    if change.kind != "value" and change.values:
        details.append(f"serves {', '.join(map(token, change.values))}")
    if change.channels:
        details.append(f"on {', '.join(map(token, change.channels))}")
    if change.roles:
        details.append(f"binds {', '.join(map(token, change.roles))}")
    if change.effective:
        details.append(f"effective {token(change.effective)}")
    if change.status == "draft":
        details.append("draft, not published")
    details.append(f"owner {token(change.owner)}" if change.owner else "no owner")
    return details


def _impact_line(impact: Impact, change: ItemChange, *, markdown: bool) -> str:
    """`value VAL-002 changed → 2 norms (…), 3 parameters (…) to review; owners: …`"""
    if change.retraced and [f.field for f in change.fields] == ["traces_to"]:
        verb = "re-traced"
    elif change.retraced:
        verb = f"{change.change} and re-traced"
    elif [_shown(f).published for f in change.fields] == [True]:
        verb = "published"
    else:
        verb = change.change
    name = f"**{_md(impact.id)}**" if markdown else impact.id
    parts = []
    if impact.kind == "value" and impact.norms:
        parts.append(_counted(impact.norms, "norm", markdown=markdown))
    if impact.parameters:
        parts.append(_counted(impact.parameters, "parameter", markdown=markdown))
    below = f"{', '.join(parts)} to review" if parts else "nothing active below it"
    token = _md if markdown else _plain
    owners = ", ".join(map(token, impact.owners)) if impact.owners else "none"
    return f"{impact.kind} {name} {verb} → {below}; owners: {owners}"


def _counted(ids: tuple[str, ...], noun: str, *, markdown: bool) -> str:
    shown = ", ".join((_md if markdown else _plain)(i) for i in ids[:LISTED_IDS])
    more = f" and {len(ids) - LISTED_IDS} more" if len(ids) > LISTED_IDS else ""
    return f"{len(ids)} {noun}{'' if len(ids) == 1 else 's'} ({shown}{more})"


def _impact_lines(changes: Changes, *, markdown: bool) -> list[str]:
    by_id = {c.id: c for c in changes.items}
    return [_impact_line(i, by_id[i.id], markdown=markdown) for i in changes.impacts]


# --- JSON ---------------------------------------------------------------------------------------
def changes_json(changes: Changes, old_label: str, new_label: str) -> str:
    """The changes for scripts and CI: every field change with its raw before and after."""
    summary: dict[str, int] = {kind: changes.count(kind) for kind, _ in SECTIONS}
    summary["retraced"] = changes.retraced
    document = {
        "old": old_label,
        "new": new_label,
        "summary": summary,
        "items": [
            {
                "id": c.id,
                "kind": c.kind,
                "change": c.change,
                "title": c.title,
                "fields": [
                    {"field": f.field, "before": f.before, "after": f.after} for f in c.fields
                ],
                "retraced": c.retraced,
                "moved_from": c.moved_from,
                "moved_to": c.moved_to,
                "owner": c.owner,
                "channels": list(c.channels),
                "roles": list(c.roles),
                "values": list(c.values),
                "effective": c.effective,
                "status": c.status,
            }
            for c in changes.items
        ],
        "impacts": [
            {
                "id": i.id,
                "kind": i.kind,
                "norms": list(i.norms),
                "parameters": list(i.parameters),
                "owners": list(i.owners),
            }
            for i in changes.impacts
        ],
        "problems": [_problem_json(d) for d in changes.problems],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _problem_json(diagnostic: Diagnostic) -> dict[str, object]:
    location: Location = diagnostic.location
    return {
        "rule": diagnostic.rule.value,
        "severity": diagnostic.severity.value,
        "title": RULES[diagnostic.rule].title,
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "ids": list(diagnostic.ids),
    }
