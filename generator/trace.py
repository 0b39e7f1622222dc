"""Trace: the links between items in both directions, derived once from the model.

Norms point up to values and parameters up to norms; readers and auditors also need the way
down (a value's norms, a norm's parameters) and across (a channel's parameters). Deriving these
indexes in one place keeps checking and rendering from each re-walking the model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from generator.model import Handbook, Norm, Parameter, Value


@dataclass(frozen=True)
class Links:
    values: Mapping[str, Value]
    norms: Mapping[str, Norm]
    parameters: Mapping[str, Parameter]
    active_norms_of_value: Mapping[str, tuple[Norm, ...]]
    active_parameters_of_norm: Mapping[str, tuple[Parameter, ...]]
    active_parameters_of_channel: Mapping[str, tuple[Parameter, ...]]
    active_parameters_of_category: Mapping[str, tuple[Parameter, ...]]


def link(handbook: Handbook) -> Links:
    """Index the handbook; items keep their order of appearance (file order, then position)."""
    norms_of_value: defaultdict[str, list[Norm]] = defaultdict(list)
    for norm in handbook.norms:
        if norm.status == "active":
            for value_id in dict.fromkeys(norm.traces_to):
                norms_of_value[value_id].append(norm)
    parameters_of_norm: defaultdict[str, list[Parameter]] = defaultdict(list)
    of_channel: defaultdict[str, list[Parameter]] = defaultdict(list)
    of_category: defaultdict[str, list[Parameter]] = defaultdict(list)
    for parameter in handbook.parameters:
        if parameter.status != "active":
            continue
        for norm_id in dict.fromkeys(parameter.traces_to):
            parameters_of_norm[norm_id].append(parameter)
        of_channel[parameter.channel].append(parameter)
        of_category[parameter.category].append(parameter)
    return Links(
        values={v.id: v for v in handbook.values},
        norms={n.id: n for n in handbook.norms},
        parameters={p.id: p for p in handbook.parameters},
        active_norms_of_value=_freeze(norms_of_value),
        active_parameters_of_norm=_freeze(parameters_of_norm),
        active_parameters_of_channel=_freeze(of_channel),
        active_parameters_of_category=_freeze(of_category),
    )


T = TypeVar("T")


def _freeze(grouped: Mapping[str, list[T]]) -> dict[str, tuple[T, ...]]:
    return {key: tuple(items) for key, items in grouped.items()}
