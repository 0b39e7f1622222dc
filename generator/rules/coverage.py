"""Coverage: what is missing for the standards to be complete. An active value needs a norm
that makes it concrete, an active norm a parameter that makes it observable, and a moment of
truth a parameter in each category it requires."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Channel, Handbook, Norm, Origin, Value
from generator.model.trace import Links
from generator.rules.registry import Model, checks


@checks(Rule.VALUE_WITHOUT_NORM)
def values_without_norm(model: Model) -> Iterator[Diagnostic]:
    handbook, links = model.handbook, model.links
    for value in handbook.values:
        yield from _value_coverage(value, model.origin(value.id), handbook, links)
    for read in model.partly_read():
        if isinstance(read.item, Value) and read.status is not None:
            yield from _value_coverage(read.item, read.origin, handbook, links)


@checks(Rule.NORM_WITHOUT_PARAMETER)
def norms_without_parameter(model: Model) -> Iterator[Diagnostic]:
    handbook, links = model.handbook, model.links
    for norm in handbook.norms:
        yield from _norm_coverage(norm, model.origin(norm.id), handbook, links)
    for read in model.partly_read():
        if isinstance(read.item, Norm) and read.status is not None:
            yield from _norm_coverage(read.item, read.origin, handbook, links)


@checks(Rule.REQUIRED_CELL_EMPTY)
def required_cells(model: Model) -> Iterator[Diagnostic]:
    handbook = model.handbook
    # A parameter that failed the schema may well fill a cell: its error is reported, and an
    # empty-cell error on top of it would only send the policy owner looking in the wrong place.
    if any(i.startswith("PAR-") for i in handbook.unreadable_ids):
        return
    categories = {c.id for c in handbook.taxonomy.get("categories", ())}
    for channel in handbook.taxonomy.get("channels", ()):
        if not isinstance(channel, Channel):
            continue
        covered = model.links.categories_of_channel.get(channel.id, frozenset())
        origin = model.origin(f"channels:{channel.id}")
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
