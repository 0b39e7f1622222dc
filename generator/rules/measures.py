"""Measures: an observer must be able to score a parameter's measure."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Origin, Parameter
from generator.rules.registry import Model, checks


@checks(Rule.MEASURE_RANGE)
def measure_ranges(model: Model) -> Iterator[Diagnostic]:
    for parameter in model.handbook.parameters:
        measure = parameter.measure
        if measure is None:
            continue
        low, high, target = measure.min, measure.max, measure.target
        # Tested here, not by a call per parameter: a large handbook has 50,000 of them.
        if (low is not None and high is not None and low > high) or (
            isinstance(target, int | float)
            and ((low is not None and target < low) or (high is not None and target > high))
        ):
            yield from _measure(parameter, model.origin(parameter.id))
    for read in model.partly_read():
        item = read.item
        if (
            isinstance(item, Parameter)
            and item.measure is not None
            and "measure" not in read.unread
        ):
            yield from _measure(item, read.origin)


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
