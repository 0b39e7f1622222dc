"""Traceability: every norm traces up to a value and every parameter up to a norm, an active
one, on a moment of truth that norm applies to.

Each check looks at the items that failed the schema too, as far as they could be read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Norm, Origin, Parameter, Value
from generator.model.trace import Links
from generator.rules.registry import Model, checks


@checks(Rule.NORM_WITHOUT_VALUE, Rule.PARAMETER_WITHOUT_NORM)
def untraced(model: Model) -> Iterator[Diagnostic]:
    for item in model.links.untraced:
        yield _untraced(item, model.origin(item.id), model.links)
    for read in model.partly_read():
        part = read.item
        if (
            isinstance(part, Norm | Parameter)
            and "traces_to" not in read.unread
            and not part.traces_to
        ):
            yield _untraced(part, read.origin, model.links)


@checks(Rule.TRACES_TO_INACTIVE)
def traces_to_inactive(model: Model) -> Iterator[Diagnostic]:
    """Drafts and retired items are not published: an active item tracing to one would point
    readers at nothing."""
    handbook, links = model.handbook, model.links
    # Most handbooks have no draft or retired value or norm: then no trace can reach one.
    if "values" in links.inactive:
        for norm in handbook.norms:
            if norm.status == "active":
                yield from _inactive_targets(norm, model.origin(norm.id), links.values)
    if "norms" in links.inactive:
        for parameter in handbook.parameters:
            if parameter.status == "active":
                yield from _inactive_targets(parameter, model.origin(parameter.id), links.norms)
    for read in model.partly_read():
        item = read.item
        if (
            isinstance(item, Norm | Parameter)
            and "traces_to" not in read.unread
            and read.status == "active"
        ):
            targets = links.values if isinstance(item, Norm) else links.norms
            yield from _inactive_targets(item, read.origin, targets)


@checks(Rule.CHANNEL_NOT_IN_NORM)
def channel_not_in_norm(model: Model) -> Iterator[Diagnostic]:
    handbook, norms = model.handbook, model.links.norms
    # Parameters are looked at one by one only if some norm has one on a channel it lacks.
    if any(
        (implemented := norms.get(norm_id)) is not None
        and implemented.channels
        and not channels.issubset(implemented.channels)
        for norm_id, channels in model.links.channels_under_norm.items()
    ):
        for parameter in handbook.parameters:
            yield from _channel_not_in_norm(parameter, model.origin(parameter.id), norms)
    for read in model.partly_read():
        if isinstance(read.item, Parameter) and not {"traces_to", "channel"} & read.unread:
            yield from _channel_not_in_norm(read.item, read.origin, norms)


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
