"""Index: what a file's items say about each other and about the rest, made once per file.

The check and the trace need, over the whole handbook, every id each section is asked for,
which norms serve each value, which parameters each norm has, and the like. Made from every
item, that is some twenty passes over 60,000 items each time `mkdocs serve` validates again
after a save, though one file of hundreds changed. Made per file, it is kept with the file
(`load.LoadedFile`) and the handbook's index is a merge of a few hundred small tables. The
merged index equals the one made from all items at once (a test compares them): groups keep
the order the items were written in, file by file. Only the lists the check reports from
(`ownerless`, `untraced`) go file by file, each file's values, norms and parameters in turn,
rather than all values first: the check sorts what it reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.model.items import Norm, Parameter, Value

Item = Value | Norm | Parameter
T = TypeVar("T")

REFERENCED = (
    "owners",
    "pillars",
    "values",
    "norms",
    "parameters",
    "channels",
    "audiences",
    "roles",
    "factors",
    "categories",
    "methods",
)
"""The sections and kinds an item can name an id of."""


@dataclass(frozen=True)
class Index:
    values: Mapping[str, Value]
    norms: Mapping[str, Norm]
    parameters: Mapping[str, Parameter]
    active_norms_of_value: Mapping[str, tuple[Norm, ...]]
    active_parameters_of_norm: Mapping[str, tuple[Parameter, ...]]
    active_parameters_of_channel: Mapping[str, tuple[Parameter, ...]]
    active_parameters_of_category: Mapping[str, tuple[Parameter, ...]]
    named: Mapping[str, frozenset[str]]
    """Every id each section or kind in `REFERENCED` is asked for by some item."""
    channels_under_norm: Mapping[str, frozenset[str]]
    """The channels of the parameters that trace to each norm, whatever their status."""
    categories_of_channel: Mapping[str, frozenset[str]]
    """The categories the active parameters of each channel cover."""
    ownerless: tuple[Item, ...]
    """Active items with no owner."""
    reviewed: tuple[Norm, ...]
    """Norms with a review date."""
    untraced: tuple[Norm | Parameter, ...]
    """Norms and parameters that trace to nothing."""
    inactive: frozenset[str]
    """The kinds (`values`, `norms`) of which some item is not active."""
    replacing: Mapping[str, tuple[str, ...]]
    """What each item that replaces something replaces."""


def index_items(
    values: Sequence[Value], norms: Sequence[Norm], parameters: Sequence[Parameter]
) -> Index:
    """The index of these items (one file's, or a whole handbook's), in one pass per kind."""
    named: dict[str, set[str]] = {kind: set() for kind in REFERENCED}
    norms_of_value: dict[str, list[Norm]] = {}
    parameters_of_norm: dict[str, list[Parameter]] = {}
    of_channel: dict[str, list[Parameter]] = {}
    of_category: dict[str, list[Parameter]] = {}
    channels_under_norm: dict[str, set[str]] = {}
    categories_of_channel: dict[str, set[str]] = {}
    ownerless: list[Item] = []
    untraced: list[Norm | Parameter] = []
    inactive: set[str] = set()
    replacing: dict[str, tuple[str, ...]] = {}
    owners = named["owners"]

    def common(item: Item, kind: str) -> bool:
        if item.owner is not None:
            owners.add(item.owner)
        if item.replaces:
            replacing[item.id] = item.replaces
            named[kind].update(item.replaces)
        active = item.status == "active"
        if not active:
            inactive.add(kind)
        elif item.owner is None:
            ownerless.append(item)
        return active

    for value in values:
        common(value, "values")
        named["pillars"].update(value.pillars)
    for norm in norms:
        if common(norm, "norms"):
            for value_id in dict.fromkeys(norm.traces_to):
                norms_of_value.setdefault(value_id, []).append(norm)
        if not norm.traces_to:
            untraced.append(norm)
        named["values"].update(norm.traces_to)
        named["channels"].update(norm.channels)
        named["audiences"].update(norm.audiences)
        named["factors"].update(norm.factors)
        named["roles"].update(norm.roles)
    for parameter in parameters:
        channel = parameter.channel
        if common(parameter, "parameters"):
            for norm_id in dict.fromkeys(parameter.traces_to):
                parameters_of_norm.setdefault(norm_id, []).append(parameter)
            of_channel.setdefault(channel, []).append(parameter)
            of_category.setdefault(parameter.category, []).append(parameter)
            categories_of_channel.setdefault(channel, set()).add(parameter.category)
        if not parameter.traces_to:
            untraced.append(parameter)
        for norm_id in parameter.traces_to:
            channels_under_norm.setdefault(norm_id, set()).add(channel)
        named["norms"].update(parameter.traces_to)
        named["channels"].add(channel)
        named["categories"].add(parameter.category)
        named["methods"].update(parameter.verification)
        named["roles"].update(parameter.roles)
    return Index(
        values={v.id: v for v in values},
        norms={n.id: n for n in norms},
        parameters={p.id: p for p in parameters},
        active_norms_of_value=_tuples(norms_of_value),
        active_parameters_of_norm=_tuples(parameters_of_norm),
        active_parameters_of_channel=_tuples(of_channel),
        active_parameters_of_category=_tuples(of_category),
        named={kind: frozenset(ids) for kind, ids in named.items()},
        channels_under_norm=_frozen(channels_under_norm),
        categories_of_channel=_frozen(categories_of_channel),
        ownerless=tuple(ownerless),
        reviewed=tuple(norm for norm in norms if norm.review is not None),
        untraced=tuple(untraced),
        inactive=frozenset(inactive),
        replacing=replacing,
    )


def merge(indexes: Sequence[Index]) -> Index:
    """The index of the items of several files, in the order the files are given: the same as
    `index_items` over all their items, provided no id is in two of them."""
    if len(indexes) == 1:
        return indexes[0]
    return Index(
        values=_joined(index.values for index in indexes),
        norms=_joined(index.norms for index in indexes),
        parameters=_joined(index.parameters for index in indexes),
        active_norms_of_value=_grouped(index.active_norms_of_value for index in indexes),
        active_parameters_of_norm=_grouped(index.active_parameters_of_norm for index in indexes),
        active_parameters_of_channel=_grouped(
            index.active_parameters_of_channel for index in indexes
        ),
        active_parameters_of_category=_grouped(
            index.active_parameters_of_category for index in indexes
        ),
        named={
            kind: frozenset().union(*[index.named[kind] for index in indexes])
            for kind in REFERENCED
        },
        channels_under_norm=_united(index.channels_under_norm for index in indexes),
        categories_of_channel=_united(index.categories_of_channel for index in indexes),
        ownerless=tuple(item for index in indexes for item in index.ownerless),
        reviewed=tuple(norm for index in indexes for norm in index.reviewed),
        untraced=tuple(item for index in indexes for item in index.untraced),
        inactive=frozenset().union(*[index.inactive for index in indexes]),
        replacing=_joined(index.replacing for index in indexes),
    )


def _tuples(grouped: Mapping[str, list[T]]) -> dict[str, tuple[T, ...]]:
    return {key: tuple(items) for key, items in grouped.items()}


def _frozen(grouped: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {key: frozenset(items) for key, items in grouped.items()}


def _joined(tables: Iterable[Mapping[str, T]]) -> dict[str, T]:
    joined: dict[str, T] = {}
    for table in tables:
        joined.update(table)
    return joined


def _grouped(tables: Iterable[Mapping[str, tuple[T, ...]]]) -> dict[str, tuple[T, ...]]:
    grouped: dict[str, list[T]] = {}
    for table in tables:
        for key, items in table.items():
            found = grouped.get(key)
            if found is None:
                grouped[key] = list(items)
            else:
                found.extend(items)
    return _tuples(grouped)


def _united(tables: Iterable[Mapping[str, frozenset[str]]]) -> dict[str, frozenset[str]]:
    united: dict[str, set[str]] = {}
    for table in tables:
        for key, members in table.items():
            united.setdefault(key, set()).update(members)
    return _frozen(united)


EMPTY = index_items((), (), ())
