"""References: every id an item or a taxonomy term names must be declared.

An entry that failed the schema exists all the same (its own error is reported), and so does an
id close to one that could not be read: naming either is no error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import (
    SECTION_NOUN,
    Channel,
    Handbook,
    Item,
    Norm,
    Origin,
    Parameter,
    Role,
    Term,
    Value,
)
from generator.model.roles import handbook_roles
from generator.model.suggestions import Names
from generator.rules.registry import Model, checks


def _suggest(unknown: str, known: Sequence[str], what: str, names: Names | None = None) -> str:
    close = (names or Names(known)).closest(unknown)
    if close:
        return f"Did you mean `{close}`?"
    if not known:
        return f"Declare the {what} first; there are none yet."
    listed = ", ".join(f"`{k}`" for k in known[:8])
    more = f" and {len(known) - 8} more" if len(known) > 8 else ""
    return f"Use one of the declared {what}: {listed}{more}."


def _refs(item: Item) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(field path, referenced id, section or kind it must be found in)."""
    if item.owner is not None:
        yield ("owner",), item.owner, "owners"
    if isinstance(item, Value):
        yield from _each("pillars", item.pillars, "pillars")
        yield from _each("replaces", item.replaces, "values")
    elif isinstance(item, Norm):
        yield from _each("traces_to", item.traces_to, "values")
        yield from _each("channels", item.channels, "channels")
        yield from _each("audiences", item.audiences, "audiences")
        yield from _each("factors", item.factors, "factors")
        yield from _each("roles", item.roles, "roles")
        yield from _each("replaces", item.replaces, "norms")
    else:
        yield from _each("traces_to", item.traces_to, "norms")
        yield ("channel",), item.channel, "channels"
        yield ("category",), item.category, "categories"
        yield from _each("verification", item.verification, "methods")
        yield from _each("roles", item.roles, "roles")
        yield from _each("replaces", item.replaces, "parameters")


@checks(Rule.UNKNOWN_REFERENCE)
def unknown_references(model: Model) -> Iterator[Diagnostic]:
    """Items are looked up by id, taxonomy terms by section."""
    handbook, links = model.handbook, model.links
    item_sets: dict[str, Mapping[str, Item]] = {
        "values": links.values,
        "norms": links.norms,
        "parameters": links.parameters,
    }
    terms = {section: [t.id for t in items] for section, items in handbook.taxonomy.items()}
    term_sets = {section: set(ids) for section, ids in terms.items()}
    unreadable = handbook.unreadable_ids
    suggesters: dict[str, Names] = {}
    suggested: dict[tuple[str, str], str] = {}

    misread: dict[str, Names] = {}

    def exists(target: str, where: str) -> bool:
        if where in item_sets:
            if target in item_sets[where] or target in unreadable:
                return True
        elif target in term_sets.get(where, ()) or f"{where}:{target}" in unreadable:
            return True
        if not handbook.misread_ids:
            return False
        # An entry whose id could not be read (`Store` for `store`) is what a name close to
        # that id means: its own error is reported.
        if where not in misread:
            prefix = "" if where in item_sets else f"{where}:"
            misread[where] = Names(
                key.removeprefix(prefix)
                for key in handbook.misread_ids
                if (key.startswith(prefix) if prefix else ":" not in key)
            )
        return misread[where].closest(target) is not None

    def hint(target: str, where: str) -> str:
        if (target, where) not in suggested:
            known = list(item_sets[where]) if where in item_sets else terms.get(where, [])
            names = suggesters.setdefault(where, Names(known))
            suggested[target, where] = _suggest(target, known, where, names)
        return suggested[target, where]

    named = _named(handbook)
    unknown = any(
        not exists(target, where) for where, targets in named.items() for target in targets
    )
    checked: list[tuple[Item, Origin, frozenset[str]]] = [
        (item, model.origin(item.id), frozenset()) for item in (handbook.items() if unknown else ())
    ]
    checked.extend(
        (partial.item, handbook.unreadable_origins[partial.item.id], partial.unread)
        for partial in handbook.partials
        if isinstance(partial.item, Value | Norm | Parameter)
    )
    for item, origin, unread in checked:
        for path, target, where in _refs(item):
            if path[0] in unread or exists(target, where):
                continue
            yield Diagnostic(
                Rule.UNKNOWN_REFERENCE,
                origin.of(*path),
                f"{item.id} names `{target}` in `{path[0]}`, "
                f"but no {SECTION_NOUN[where]} has that id",
                hint(target, where),
                (item.id, target),
            )
    # Taxonomy terms that name other terms: (section, term, origin, unread, field, words, named).
    term_refs: list[tuple[str, Term, Origin, frozenset[str], str, str, str]] = [
        *(
            (
                "roles",
                role,
                model.origin(f"roles:{role.id}"),
                frozenset(),
                "channels",
                "works in",
                "channels",
            )
            for role in handbook_roles(handbook)
        ),
        *(
            (
                "channels",
                channel,
                model.origin(f"channels:{channel.id}"),
                frozenset(),
                "requires",
                "requires",
                "categories",
            )
            for channel in handbook.taxonomy.get("channels", ())
            if isinstance(channel, Channel)
        ),
    ]
    for partial in handbook.partials:
        term = partial.item
        at = handbook.unreadable_origins.get(f"{partial.section}:{getattr(term, 'id', '')}")
        if at is None:
            continue
        origin = at
        if isinstance(term, Role):
            term_refs.append(
                ("roles", term, origin, partial.unread, "channels", "works in", "channels")
            )
        elif isinstance(term, Channel):
            term_refs.append(
                ("channels", term, origin, partial.unread, "requires", "requires", "categories")
            )
    for section, term, origin, unread, field, words, where in term_refs:
        if field in unread:
            continue
        for index, target in enumerate(getattr(term, field)):
            if not exists(target, where):
                yield Diagnostic(
                    Rule.UNKNOWN_REFERENCE,
                    origin.of(field, index),
                    f"{SECTION_NOUN[section]} `{term.id}` {words} `{target}`, "
                    f"but no {SECTION_NOUN[where]} has that id",
                    hint(target, where),
                    (term.id, target),
                )


def _named(handbook: Handbook) -> dict[str, set[str]]:
    """Every id each section or kind is asked for, gathered in bulk (by the index): when all of
    them exist, as they do in a sound handbook, no item needs to be looked at one reference at
    a time. Ids of entries that failed the schema count as found, as they do item by item."""
    named = {kind: set(ids) for kind, ids in handbook.index.named.items()}
    if handbook.unreadable_ids:
        for kind, ids in named.items():
            prefix = "" if kind in ("values", "norms", "parameters") else f"{kind}:"
            named[kind] = {i for i in ids if prefix + i not in handbook.unreadable_ids}
    return named


def _each(
    field: str, ids: Iterable[str], where: str
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    for index, target in enumerate(ids):
        yield (field, index), target, where
