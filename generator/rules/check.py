"""Check: the rules a loaded handbook must satisfy, as one pure function.

Structure problems were found while loading; what is checked here is what only the whole
handbook can show: references between items, traceability from every norm up to a value and
from every parameter up to a norm, coverage, owners and dates. Every problem is reported with
the location of the YAML node at fault, never just the item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence

from generator.model.diagnostics import Diagnostic, Rule, sorted_diagnostics
from generator.model.items import (
    SECTION_NOUN,
    SITE_PAGE_NAMES,
    TERMS_WITH_PAGES,
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
from generator.model.languages import settings_problems
from generator.model.roles import bindings, handbook_roles, norm_roles, role_channels
from generator.model.suggestions import Names
from generator.model.trace import Links, link
from generator.rules.texts import check_texts


def check(handbook: Handbook, *, today: dt.date) -> list[Diagnostic]:
    """Every problem in the handbook, sorted by file and line. `today` dates the review check,
    so that the same input and the same day always give the same answer.

    Entries that failed the schema are checked too, as far as they could be read
    (`handbook.partials`), so that every problem of an entry is reported in one run; nothing
    is concluded from what could not be read (`Partial.unread`)."""
    links = link(handbook)
    languages: list[Diagnostic] = []
    if handbook.settings_origin is not None and handbook.languages_read:
        languages = settings_problems(handbook.settings, handbook.settings_origin)
    found: list[Diagnostic] = [*languages]
    found.extend(_duplicates(handbook))
    found.extend(_reserved_ids(handbook))
    found.extend(_references(handbook, links))
    found.extend(_traceability(handbook, links))
    found.extend(_coverage(handbook, links))
    found.extend(_roles(handbook, links))
    found.extend(_lifecycle(handbook, today))
    cycles = list(_replacement_cycles(handbook))
    found.extend(cycles)
    found.extend(_replaced_still_active(handbook, links, today, cycles))
    found.extend(_measures(handbook))
    found.extend(_partials(handbook, links, today))
    found.extend(
        check_texts(
            handbook, handbook.languages_read and not languages, handbook.unreadable_origins
        )
    )
    return sorted_diagnostics(found)


def _origin(handbook: Handbook, key: str) -> Origin:
    return handbook.origins[key]


def _duplicates(handbook: Handbook) -> Iterator[Diagnostic]:
    for key, origin in handbook.duplicates:
        first = (handbook.origins.get(key) or handbook.unreadable_origins[key]).location
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


def _references(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    """Every id an item names must exist: items by id, taxonomy terms by section. An entry that
    failed the schema exists all the same (its own error is reported): naming it is no error."""
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
        (item, _origin(handbook, item.id), frozenset())
        for item in (handbook.items() if unknown else ())
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
                _origin(handbook, f"roles:{role.id}"),
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
                _origin(handbook, f"channels:{channel.id}"),
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


def _traceability(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    values, norms = links.values, links.norms
    for item in links.untraced:
        yield _untraced(item, _origin(handbook, item.id), links)
    # Most handbooks have no draft or retired value or norm: then no trace can reach one.
    if "values" in links.inactive:
        for norm in handbook.norms:
            if norm.status == "active":
                yield from _inactive_targets(norm, _origin(handbook, norm.id), values)
    if "norms" in links.inactive:
        for parameter in handbook.parameters:
            if parameter.status == "active":
                yield from _inactive_targets(parameter, _origin(handbook, parameter.id), norms)
    # Parameters are looked at one by one only if some norm has one on a channel it lacks.
    if any(
        (implemented := norms.get(norm_id)) is not None
        and implemented.channels
        and not channels.issubset(implemented.channels)
        for norm_id, channels in links.channels_under_norm.items()
    ):
        for parameter in handbook.parameters:
            origin = _origin(handbook, parameter.id)
            yield from _channel_not_in_norm(parameter, origin, norms)


def _untraced(item: Norm | Parameter, origin: Origin, links: Links) -> Diagnostic:
    if isinstance(item, Norm):
        return Diagnostic(
            Rule.NORM_WITHOUT_VALUE,
            origin.of("traces_to"),
            f"norm {item.id} traces to no value",
            "Every norm makes at least one value concrete. Add the value(s) it serves:\n"
            f"    traces_to: [{_first(links.values) or 'VAL-001'}]",
            (item.id,),
        )
    return Diagnostic(
        Rule.PARAMETER_WITHOUT_NORM,
        origin.of("traces_to"),
        f"parameter {item.id} traces to no norm",
        "Every behaviour parameter makes a norm observable. Add the norm it implements:\n"
        f"    traces_to: [{_first(links.norms) or 'NRM-001'}]",
        (item.id,),
    )


def _channel_not_in_norm(
    parameter: Parameter, origin: Origin, norms: Mapping[str, Norm]
) -> Iterator[Diagnostic]:
    for norm_id in parameter.traces_to:
        implemented = norms.get(norm_id)
        if (
            implemented is not None
            and implemented.channels
            and parameter.channel not in implemented.channels
        ):
            yield Diagnostic(
                Rule.CHANNEL_NOT_IN_NORM,
                origin.of("channel"),
                f"parameter {parameter.id} is for `{parameter.channel}`, but norm {norm_id} "
                f"applies to {', '.join(implemented.channels)} only",
                f"Add `{parameter.channel}` to the channels of {norm_id}, or trace "
                "the parameter to a norm that applies on its channel.",
                (parameter.id, norm_id),
            )


def _first(items: Mapping[str, Value] | Mapping[str, Norm]) -> str | None:
    return next(iter(items), None)


def _inactive_targets(
    item: Norm | Parameter, origin: Origin, targets: Mapping[str, Value] | Mapping[str, Norm]
) -> Iterator[Diagnostic]:
    for index, target_id in enumerate(item.traces_to):
        target = targets.get(target_id)
        if target is not None and target.status != "active":
            yield Diagnostic(
                Rule.TRACES_TO_INACTIVE,
                origin.of("traces_to", index),
                f"{item.id} is active but traces to {target_id}, which is {target.status}",
                f"Trace {item.id} to an active item instead, or set its status to "
                f"`{target.status}` as well.",
                (item.id, target_id),
            )


def _coverage(handbook: Handbook, links: Links) -> Iterator[Diagnostic]:
    categories = {c.id for c in handbook.taxonomy.get("categories", ())}
    for value in handbook.values:
        yield from _value_coverage(value, _origin(handbook, value.id), handbook, links)
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
        yield from _norm_coverage(norm, _origin(handbook, norm.id), handbook, links)


def _value_coverage(
    value: Value, origin: Origin, handbook: Handbook, links: Links
) -> Iterator[Diagnostic]:
    if value.id in handbook.unreadable_refs:
        return  # a norm that failed the schema may serve it; that error is reported
    if value.status == "active" and not links.active_norms_of_value.get(value.id):
        yield Diagnostic(
            Rule.VALUE_WITHOUT_NORM,
            origin.of("id"),
            f"value {value.id} has no active norm that makes it concrete",
            f"Add `{value.id}` to the `traces_to` of the norms that serve it, or write one.",
            (value.id,),
        )


def _norm_coverage(
    norm: Norm, origin: Origin, handbook: Handbook, links: Links
) -> Iterator[Diagnostic]:
    if norm.id in handbook.unreadable_refs:
        return
    if norm.status == "active" and not links.active_parameters_of_norm.get(norm.id):
        yield Diagnostic(
            Rule.NORM_WITHOUT_PARAMETER,
            origin.of("id"),
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
        yield _ownerless(item, _origin(handbook, item.id), owners)
    for norm in handbook.index.reviewed:
        yield from _review(norm, _origin(handbook, norm.id), today, frozenset())


def _ownerless(item: Item, origin: Origin, owners: Sequence[str]) -> Diagnostic:
    return Diagnostic(
        Rule.MISSING_OWNER,
        origin.of("id"),
        f"{item.id} has no owner",
        "Add `owner:` with the role that answers for it"
        + (f", e.g. `owner: {owners[0]}`." if owners else "."),
        (item.id,),
    )


def _review(
    norm: Norm, origin: Origin, today: dt.date, unread: frozenset[str]
) -> Iterator[Diagnostic]:
    if norm.effective and norm.review and norm.review < norm.effective:
        yield Diagnostic(
            Rule.DATES_OUT_OF_ORDER,
            origin.of("review"),
            f"norm {norm.id} is due for review on {norm.review}, before it takes effect "
            f"on {norm.effective}",
            "Set `review:` to a date after `effective:`.",
            (norm.id,),
        )
    if "status" not in unread and norm.status == "active" and norm.review and norm.review < today:
        yield Diagnostic(
            Rule.REVIEW_OVERDUE,
            origin.of("review"),
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


def _replaced_still_active(
    handbook: Handbook, links: Links, today: dt.date, cycles: Sequence[Diagnostic]
) -> Iterator[Diagnostic]:
    """An item in force that replaces another leaves two rules binding for the same thing: the
    replaced one must be retired. Until the new one takes effect, the old one still binds."""
    looped = {identifier for cycle in cycles for identifier in cycle.ids}
    items: dict[str, Item] = {**links.values, **links.norms, **links.parameters}
    for identifier in handbook.index.replacing:
        item = items.get(identifier)
        if item is not None and identifier not in looped:
            yield from _replaced(item, _origin(handbook, identifier), items, handbook, today)


def _replaced(
    item: Item, origin: Origin, items: Mapping[str, Item], handbook: Handbook, today: dt.date
) -> Iterator[Diagnostic]:
    effective = getattr(item, "effective", None)
    if item.status != "active" or (effective is not None and effective > today):
        return
    for index, old_id in enumerate(item.replaces):
        old = items.get(old_id)
        if old is None or old.status != "active":
            continue
        yield Diagnostic(
            Rule.REPLACED_STILL_ACTIVE,
            origin.of("replaces", index),
            f"{item.id} replaces {old_id}, but {old_id} is still active: both bind",
            f"Set `status: retired` on {old_id} ({_origin(handbook, old_id).of('id')}), or "
            f"remove it from `replaces` of {item.id} if both are meant to bind.",
            (item.id, old_id),
        )


def _measures(handbook: Handbook) -> Iterator[Diagnostic]:
    for parameter in handbook.parameters:
        measure = parameter.measure
        if measure is None:
            continue
        low, high, target = measure.min, measure.max, measure.target
        # Tested here, not by a call per parameter: a large handbook has 50,000 of them.
        if (low is not None and high is not None and low > high) or (
            isinstance(target, int | float)
            and ((low is not None and target < low) or (high is not None and target > high))
        ):
            yield from _measure(parameter, _origin(handbook, parameter.id))


def _measure(parameter: Parameter, origin: Origin) -> Iterator[Diagnostic]:
    """An observer cannot score a measure whose acceptable range is empty, or whose target lies
    outside what it accepts."""
    measure = parameter.measure
    assert measure is not None
    low, high, target = measure.min, measure.max, measure.target
    if low is not None and high is not None and low > high:
        yield Diagnostic(
            Rule.MEASURE_RANGE,
            origin.of("measure", "min"),
            f"the measure of {parameter.id} accepts nothing: `min` {low} is above `max` {high}",
            "Swap the two, or correct the one that is wrong.",
            (parameter.id,),
        )
        return
    if not isinstance(target, int | float):
        return  # a target in words ("every time") is read by the observer
    for bound, limit, words in ((low, "min", "below"), (high, "max", "above")):
        if bound is not None and (target < bound if limit == "min" else target > bound):
            yield Diagnostic(
                Rule.MEASURE_RANGE,
                origin.of("measure", "target"),
                f"the target {target} of {parameter.id} is {words} its `{limit}` {bound}: "
                "reaching it would fail the measure",
                f"Set a target within `min` and `max`, or correct `{limit}`.",
                (parameter.id,),
            )


def _partials(handbook: Handbook, links: Links, today: dt.date) -> Iterator[Diagnostic]:
    """The checks of one item at a time, on the items that failed the schema, for what could be
    read of them. (References and texts are checked with everything else's.)"""
    owners = [t.id for t in handbook.taxonomy.get("owners", ())]
    items: dict[str, Item] = {**links.values, **links.norms, **links.parameters}
    for partial in handbook.partials:
        item, unread = partial.item, partial.unread
        if not isinstance(item, Value | Norm | Parameter):
            continue
        origin = handbook.unreadable_origins[item.id]
        status = None if "status" in unread else item.status
        if isinstance(item, Norm | Parameter) and "traces_to" not in unread:
            if not item.traces_to:
                yield _untraced(item, origin, links)
            if status == "active":
                targets = links.values if isinstance(item, Norm) else links.norms
                yield from _inactive_targets(item, origin, targets)
        if isinstance(item, Parameter) and not {"traces_to", "channel"} & unread:
            yield from _channel_not_in_norm(item, origin, links.norms)
        if status == "active" and "owner" not in unread and item.owner is None:
            yield _ownerless(item, origin, owners)
        if isinstance(item, Norm):
            yield from _review(item, origin, today, unread)
            if status is not None:
                yield from _norm_coverage(item, origin, handbook, links)
        if isinstance(item, Value) and status is not None:
            yield from _value_coverage(item, origin, handbook, links)
        if isinstance(item, Parameter) and item.measure is not None and "measure" not in unread:
            yield from _measure(item, origin)
        if status is not None and "replaces" not in unread:
            yield from _replaced(item, origin, items, handbook, today)
