"""Replacements: an item that replaces another takes over from it. The replaced one must be
retired once the new one is in force, and no chain of `replaces` may come back to its start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Handbook, Item, Origin
from generator.rules.registry import Model, checks


@checks(Rule.REPLACEMENT_CYCLE)
def replacement_cycles(model: Model) -> Iterator[Diagnostic]:
    """`replaces` is the one relation that may loop by mistake (A replaces B replaces A)."""
    for cycle in _cycles(model.handbook.index.replacing):
        first = min(cycle)
        loop = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)]])
        yield Diagnostic(
            Rule.REPLACEMENT_CYCLE,
            model.origin(first).of("replaces"),
            f"items replace each other in a loop: {loop} → {first}",
            "An item can only replace older ones: remove one `replaces` entry.",
            tuple(sorted(cycle)),
        )


@checks(Rule.REPLACED_STILL_ACTIVE)
def replaced_still_active(model: Model) -> Iterator[Diagnostic]:
    """An item in force that replaces another leaves two rules binding for the same thing: the
    replaced one must be retired. Until the new one takes effect, the old one still binds.
    Items on a loop are left to the loop's error."""
    handbook, links, today = model.handbook, model.links, model.today
    looped = {identifier for cycle in _cycles(handbook.index.replacing) for identifier in cycle}
    items: dict[str, Item] = {**links.values, **links.norms, **links.parameters}
    for identifier in handbook.index.replacing:
        item = items.get(identifier)
        if item is not None and identifier not in looped:
            yield from _replaced(item, model.origin(identifier), items, handbook, today)
    for read in model.partly_read():
        if read.status is not None and "replaces" not in read.unread:
            yield from _replaced(read.item, read.origin, items, handbook, today)


def _cycles(edges: Mapping[str, Sequence[str]]) -> Iterator[list[str]]:
    """Each loop of `replaces` once, as the path that found it."""
    # Only items that replace something can be on a loop; the others end every path at once.
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
                    yield cycle
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append((step, iter(edges[step])))


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
            f"Set `status: retired` on {old_id} ({handbook.origins[old_id].of('id')}), or "
            f"remove it from `replaces` of {item.id} if both are meant to bind.",
            (item.id, old_id),
        )
