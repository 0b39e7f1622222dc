"""Check: the rules a loaded handbook must satisfy, as one pure function.

Structure problems were found while loading; what is checked here is what only the whole
handbook can show: references between items, traceability from every norm up to a value and
from every parameter up to a norm, coverage, owners and dates. Every problem is reported with
the location of the YAML node at fault, never just the item.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from generator.diagnostics import Diagnostic, Rule, sorted_diagnostics
from generator.model import (
    SECTION_NOUN,
    SITE_PAGE_NAMES,
    TERMS_WITH_PAGES,
    Channel,
    Handbook,
    Item,
    Norm,
    Origin,
    Parameter,
    Term,
    Text,
    Value,
)
from generator.roles import bindings, handbook_roles, norm_roles, role_channels
from generator.trace import Links, link


def check(handbook: Handbook, *, today: dt.date) -> list[Diagnostic]:
    """Every problem in the handbook, sorted by file and line. `today` dates the review check,
    so that the same input and the same day always give the same answer."""
    links = link(handbook)
    found: list[Diagnostic] = []
    found.extend(_duplicates(handbook))
    found.extend(_reserved_ids(handbook))
    found.extend(_references(handbook, links))
    found.extend(_traceability(handbook, links))
    found.extend(_coverage(handbook, links))
    found.extend(_roles(handbook, links))
    found.extend(_lifecycle(handbook, today))
    found.extend(_replacement_cycles(handbook))
    found.extend(_translations(handbook))
    return sorted_diagnostics(found)


def _origin(handbook: Handbook, key: str) -> Origin:
    return handbook.origins[key]


def _duplicates(handbook: Handbook) -> Iterator[Diagnostic]:
    for key, origin in handbook.duplicates:
        first = handbook.origins[key].location
        shown = key.split(":", 1)[-1]
        yield Diagnostic(
            Rule.DUPLICATE_ID,
            origin.of("id"),
            f"id {shown} is already used at {first}",
            "Give this item a new id that was never used before; ids are never reused, "
            "even for retired items.",
            (shown,),
        )


def _reserved_ids(handbook: Handbook) -> Iterator[Diagnostic]:
    """A term with a page of its own cannot be named like a page the site makes in the same
    folder: told here, in the pull request, rather than by a build that refuses to publish."""
    for section in TERMS_WITH_PAGES:
        for term in handbook.taxonomy.get(section, ()):
            if term.id in SITE_PAGE_NAMES:
                noun = SECTION_NOUN[section]
                yield Diagnostic(
                    Rule.RESERVED_ID,
                    _origin(handbook, f"{section}:{term.id}").of("id"),
                    f"`{term.id}` cannot be the id of a {noun}: `{section}/{term.id}` is the "
                    f"site's page of all {section}, which the {noun}'s own page would replace",
                    f"Choose another id for the {noun}, for example `{term.id}-{noun}`, and "
                    "use it wherever the old one is named.",
                    (term.id,),
                )


def _suggest(unknown: str, known: Sequence[str], what: str) -> str:
    close = difflib.get_close_matches(unknown, known, n=1, cutoff=0.6)
    if close:
        return f"Did you mean `{close[0]}`?"
    if not known:
        return f"Declare the {what} first; there are none yet."
    listed = ", ".join(f"`{k}`" for k in known[:8])
    more = f" and {len(known) - 8} more" if len(known) > 8 else ""
    return f"Use one of the declared {what}: {listed}{more}."


def _references(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    """Every id an item names must exist: items by id, taxonomy terms by section."""
    item_sets: dict[str, Mapping[str, Item]] = {
        "values": links.values,
        "norms": links.norms,
        "parameters": links.parameters,
    }
    terms = {section: [t.id for t in items] for section, items in handbook.taxonomy.items()}
    term_sets = {section: set(ids) for section, ids in terms.items()}

    def refs(item: Item) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
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

    named = _named(handbook)
    unknown = any(
        target not in (item_sets[where] if where in item_sets else term_sets.get(where, ()))
        for where, targets in named.items()
        for target in targets
    )
    known_items = {kind: list(items) for kind, items in item_sets.items()} if unknown else {}
    for item in handbook.items() if unknown else ():
        origin = _origin(handbook, item.id)
        for path, target, where in refs(item):
            if where in item_sets:
                if target in item_sets[where] or target in handbook.unreadable_ids:
                    continue
                known = known_items[where]
            else:
                if target in term_sets[where]:
                    continue
                known = terms[where]
            yield Diagnostic(
                Rule.UNKNOWN_REFERENCE,
                origin.of(*path),
                f"{item.id} names `{target}` in `{path[0]}`, "
                f"but no {SECTION_NOUN[where]} has that id",
                _suggest(target, known, where),
                (item.id, target),
            )
    # Taxonomy terms that name other terms: (section, term, field, words, section named).
    term_refs: list[tuple[str, Term, str, str, str]] = [
        *(("roles", role, "channels", "works in", "channels") for role in handbook_roles(handbook)),
        *(
            ("channels", channel, "requires", "requires", "categories")
            for channel in handbook.taxonomy.get("channels", ())
            if isinstance(channel, Channel)
        ),
    ]
    for section, term, field, words, where in term_refs:
        origin = _origin(handbook, f"{section}:{term.id}")
        for index, target in enumerate(getattr(term, field)):
            if target not in term_sets.get(where, set()):
                yield Diagnostic(
                    Rule.UNKNOWN_REFERENCE,
                    origin.of(field, index),
                    f"{SECTION_NOUN[section]} `{term.id}` {words} `{target}`, "
                    f"but no {SECTION_NOUN[where]} has that id",
                    _suggest(target, terms.get(where, []), where),
                    (term.id, target),
                )


def _named(handbook: Handbook) -> dict[str, set[str]]:
    """Every id each section or kind is asked for, gathered in bulk (by the index): when all of
    them exist, as they do in a sound handbook, no item needs to be looked at one reference at
    a time. Ids of items that failed the schema count as found, as they do item by item."""
    named = {kind: set(ids) for kind, ids in handbook.index.named.items()}
    for kind in ("values", "norms", "parameters"):
        named[kind] -= handbook.unreadable_ids
    return named


def _each(
    field: str, ids: Iterable[str], where: str
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    for index, target in enumerate(ids):
        yield (field, index), target, where


def _traceability(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    values, norms = links.values, links.norms
    for item in links.untraced:
        if isinstance(item, Norm):
            yield Diagnostic(
                Rule.NORM_WITHOUT_VALUE,
                _origin(handbook, item.id).of("traces_to"),
                f"norm {item.id} traces to no value",
                "Every norm makes at least one value concrete. Add the value(s) it serves:\n"
                f"    traces_to: [{_first(values) or 'VAL-001'}]",
                (item.id,),
            )
        else:
            yield Diagnostic(
                Rule.PARAMETER_WITHOUT_NORM,
                _origin(handbook, item.id).of("traces_to"),
                f"parameter {item.id} traces to no norm",
                "Every behaviour parameter makes a norm observable. Add the norm it implements:\n"
                f"    traces_to: [{_first(norms) or 'NRM-001'}]",
                (item.id,),
            )
    # Most handbooks have no draft or retired value or norm: then no trace can reach one.
    if "values" in links.inactive:
        for norm in handbook.norms:
            if norm.status == "active":
                yield from _inactive_targets(handbook, norm, values)
    if "norms" in links.inactive:
        for parameter in handbook.parameters:
            if parameter.status == "active":
                yield from _inactive_targets(handbook, parameter, norms)
    # Parameters are looked at one by one only if some norm has one on a channel it lacks.
    if any(
        (implemented := norms.get(norm_id)) is not None
        and implemented.channels
        and not channels.issubset(implemented.channels)
        for norm_id, channels in links.channels_under_norm.items()
    ):
        yield from _channels_not_in_norm(handbook, norms)


def _channels_not_in_norm(handbook: Handbook, norms: Mapping[str, Norm]) -> Iterator[Diagnostic]:
    for parameter in handbook.parameters:
        for norm_id in parameter.traces_to:
            implemented = norms.get(norm_id)
            if (
                implemented is not None
                and implemented.channels
                and parameter.channel not in implemented.channels
            ):
                yield Diagnostic(
                    Rule.CHANNEL_NOT_IN_NORM,
                    _origin(handbook, parameter.id).of("channel"),
                    f"parameter {parameter.id} is for `{parameter.channel}`, but norm {norm_id} "
                    f"applies to {', '.join(implemented.channels)} only",
                    f"Add `{parameter.channel}` to the channels of {norm_id}, or trace "
                    "the parameter to a norm that applies on its channel.",
                    (parameter.id, norm_id),
                )


def _first(items: Mapping[str, Value] | Mapping[str, Norm]) -> str | None:
    return next(iter(items), None)


def _inactive_targets(
    handbook: Handbook, item: Norm | Parameter, targets: Mapping[str, Value] | Mapping[str, Norm]
) -> Iterator[Diagnostic]:
    for index, target_id in enumerate(item.traces_to):
        target = targets.get(target_id)
        if target is not None and target.status != "active":
            yield Diagnostic(
                Rule.TRACES_TO_INACTIVE,
                _origin(handbook, item.id).of("traces_to", index),
                f"{item.id} is active but traces to {target_id}, which is {target.status}",
                f"Trace {item.id} to an active item instead, or set its status to "
                f"`{target.status}` as well.",
                (item.id, target_id),
            )


def _coverage(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    categories = {c.id for c in handbook.taxonomy.get("categories", ())}
    for value in handbook.values:
        if value.id in handbook.unreadable_refs:
            continue  # a norm that failed the schema may serve it; that error is reported
        if value.status == "active" and not links.active_norms_of_value.get(value.id):
            yield Diagnostic(
                Rule.VALUE_WITHOUT_NORM,
                _origin(handbook, value.id).of("id"),
                f"value {value.id} has no active norm that makes it concrete",
                f"Add `{value.id}` to the `traces_to` of the norms that serve it, or write one.",
                (value.id,),
            )
    # A parameter that failed the schema may well fill a cell: its error is reported, and an
    # empty-cell error on top of it would only send the policy owner looking in the wrong place.
    unreadable_parameters = any(i.startswith("PAR-") for i in handbook.unreadable_ids)
    for channel in handbook.taxonomy.get("channels", ()):
        if not isinstance(channel, Channel) or unreadable_parameters:
            continue
        covered = links.categories_of_channel.get(channel.id, frozenset())
        origin = _origin(handbook, f"channels:{channel.id}")
        for index, category in enumerate(channel.requires):
            if category not in covered and category in categories:
                yield Diagnostic(
                    Rule.REQUIRED_CELL_EMPTY,
                    origin.of("requires", index),
                    f"no active parameter covers `{category}` on `{channel.id}`, which requires it",
                    f"Add an active parameter with `channel: {channel.id}` and "
                    f"`category: {category}`, or remove `{category}` from `requires`.",
                    (channel.id, category),
                )
    for norm in handbook.norms:
        if norm.id in handbook.unreadable_refs:
            continue
        if norm.status == "active" and not links.active_parameters_of_norm.get(norm.id):
            yield Diagnostic(
                Rule.NORM_WITHOUT_PARAMETER,
                _origin(handbook, norm.id).of("id"),
                f"norm {norm.id} has no active behaviour parameter, so it cannot be observed",
                f"Add a parameter with `traces_to: [{norm.id}]` saying what an observer sees.",
                (norm.id,),
            )


def _roles(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    """A job's page must not be empty, nor silent about a moment of truth the job works in; a
    parameter may narrow its norms' roles, never widen them."""
    roles = handbook_roles(handbook)
    if not roles:
        return
    every = [role.id for role in roles]
    known = set(every)
    for parameter in handbook.parameters:
        if not parameter.roles or parameter.status != "active":
            continue
        implemented = [links.norms[n] for n in parameter.traces_to if n in links.norms]
        if not implemented:
            continue
        allowed = frozenset().union(*(norm_roles(norm, every) for norm in implemented))
        origin = _origin(handbook, parameter.id)
        for index, role_id in enumerate(parameter.roles):
            if role_id in known and role_id not in allowed:
                norms = ", ".join(norm.id for norm in implemented)
                yield Diagnostic(
                    Rule.ROLE_NOT_IN_NORM,
                    origin.of("roles", index),
                    f"parameter {parameter.id} binds `{role_id}`, but {norms} "
                    f"bind{'s' if len(implemented) == 1 else ''} "
                    f"{', '.join(sorted(allowed))} only",
                    f"Add `{role_id}` to the roles of {implemented[0].id}, or remove it here.",
                    (parameter.id, role_id),
                )
    if handbook.unreadable_ids:
        return  # an item that failed the schema may bind the role: its error is reported
    bound = bindings(handbook, links)
    channels = handbook.taxonomy.get("channels", ())
    for role in roles:
        origin = _origin(handbook, f"roles:{role.id}")
        binding = bound[role.id]
        if not binding.norms:
            yield Diagnostic(
                Rule.ROLE_UNBOUND,
                origin.of("id"),
                f"no active norm binds the role `{role.id}`: its page would be empty",
                f"Add `{role.id}` to the `roles` of the norms its people follow, or remove "
                "the role.",
                (role.id,),
            )
            continue
        covered = {parameter.channel for parameter in binding.parameters}
        for channel in role_channels(role, channels):
            if channel.id not in covered:
                where = (
                    origin.of("channels", role.channels.index(channel.id))
                    if role.channels
                    else origin.of("id")
                )
                yield Diagnostic(
                    Rule.ROLE_CHANNEL_EMPTY,
                    where,
                    f"the role `{role.id}` works in `{channel.id}`, but no active parameter "
                    "there binds it",
                    f"Add `{role.id}` to a parameter on `{channel.id}` (or to its norm), or "
                    f"remove `{channel.id}` from the role's `channels`.",
                    (role.id, channel.id),
                )


def _lifecycle(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    owners = [t.id for t in handbook.taxonomy.get("owners", ())]
    for item in handbook.index.ownerless:
        yield Diagnostic(
            Rule.MISSING_OWNER,
            _origin(handbook, item.id).of("id"),
            f"{item.id} has no owner",
            "Add `owner:` with the role that answers for it"
            + (f", e.g. `owner: {owners[0]}`." if owners else "."),
            (item.id,),
        )
    for norm in handbook.index.reviewed:
        if norm.effective and norm.review and norm.review < norm.effective:
            yield Diagnostic(
                Rule.DATES_OUT_OF_ORDER,
                _origin(handbook, norm.id).of("review"),
                f"norm {norm.id} is due for review on {norm.review}, before it takes effect "
                f"on {norm.effective}",
                "Set `review:` to a date after `effective:`.",
                (norm.id,),
            )
        if norm.status == "active" and norm.review and norm.review < today:
            yield Diagnostic(
                Rule.REVIEW_OVERDUE,
                _origin(handbook, norm.id).of("review"),
                f"norm {norm.id} was due for review on {norm.review}",
                "Review it with its owner, then set `review:` to the next date.",
                (norm.id,),
            )


def _replacement_cycles(handbook: Handbook) -> Iterator[Diagnostic]:
    """`replaces` is the one relation that may loop by mistake (A replaces B replaces A)."""
    # Only items that replace something can be on a loop; the others end every path at once.
    edges = handbook.index.replacing
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        state[start] = 1
        path.append(start)
        while stack:
            node, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if step not in edges:
                continue
            if state.get(step) == 1:
                cycle = path[path.index(step) :]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    first = min(cycle)
                    origin = _origin(handbook, first)
                    loop = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)]])
                    yield Diagnostic(
                        Rule.REPLACEMENT_CYCLE,
                        origin.of("replaces"),
                        f"items replace each other in a loop: {loop} → {first}",
                        "An item can only replace older ones: remove one `replaces` entry.",
                        tuple(sorted(cycle)),
                    )
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append((step, iter(edges[step])))


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    Value: ("title", "statement", "rationale"),
    Norm: ("title", "statement", "rationale"),
    Parameter: ("title", "requirement"),
}


def _texts(item: Item) -> Iterator[tuple[tuple[str | int, ...], Text]]:
    """Every translatable text of an item, with its path in the YAML."""
    for name in _TEXT_FIELDS[type(item)]:
        text = getattr(item, name)
        if text is not None:
            yield (name,), text
    if isinstance(item, Norm):
        for kind in ("do", "dont"):
            for index, text in enumerate(getattr(item.examples, kind)):
                yield ("examples", kind, index), text
    if isinstance(item, Parameter) and item.measure is not None:
        yield ("measure", "metric"), item.measure.metric
        if item.measure.unit is not None:
            yield ("measure", "unit"), item.measure.unit


def _translations(handbook: Handbook) -> Iterator[Diagnostic]:
    """A text that lacks a published language is shown in the default one, marked; say so."""
    settings = handbook.settings
    others = [lang for lang in settings.languages if lang != settings.default_language]
    if not others:
        return
    required = set(settings.required_languages)

    def missing(text: Text) -> list[str]:
        present = {settings.default_language} if isinstance(text, str) else set(text)
        return [lang for lang in others if lang not in present]

    def report(
        origin: Origin, owner: str, path: tuple[str | int, ...], text: Text
    ) -> Iterator[Diagnostic]:
        absent = missing(text)
        for rule, languages in (
            (Rule.MISSING_REQUIRED_TRANSLATION, [lang for lang in absent if lang in required]),
            (Rule.MISSING_TRANSLATION, [lang for lang in absent if lang not in required]),
        ):
            if languages:
                field = ".".join(str(part) for part in path)
                yield Diagnostic(
                    rule,
                    origin.of(*path),
                    f"`{field}` of {owner} has no {', '.join(languages)} text",
                    "Write the text as a map of languages, e.g.\n"
                    f"{path[-1] if isinstance(path[-1], str) else field}:\n"
                    + "".join(f"  {lang}: …\n" for lang in (settings.default_language, *languages)),
                    (owner,),
                )

    for item in handbook.items():
        if item.status == "retired":
            continue
        origin = handbook.origins[item.id]
        for path, text in _texts(item):
            yield from report(origin, item.id, path, text)
    for section, terms in handbook.taxonomy.items():
        for term in terms:
            origin = handbook.origins[f"{section}:{term.id}"]
            for name in ("title", "description"):
                text = getattr(term, name)
                if text is not None:
                    yield from report(origin, f"{SECTION_NOUN[section]} {term.id}", (name,), text)
