"""Roles: which norms and parameters bind each employee's job.

A norm names the roles it binds, or none for every role. A parameter names its own, or none
for the roles of the norms it implements: a parameter makes a norm observable and cannot bind
a job its norm leaves free. A role may also say which moments of truth it works in; an item
that applies only elsewhere does not bind it (a courier's van is not a phone queue).

Made once per handbook from the model (it crosses files: a parameter's roles come from its
norms), for the role pages, the checks and the audit alike, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model.index import Index
from generator.model.items import Handbook, Norm, Parameter, Role, Term


@dataclass(frozen=True)
class RoleBinding:
    """What binds one role, in the order the items were written."""

    role: Role
    norms: tuple[Norm, ...]
    parameters: tuple[Parameter, ...]


def handbook_roles(handbook: Handbook) -> tuple[Role, ...]:
    return tuple(term for term in handbook.taxonomy.get("roles", ()) if isinstance(term, Role))


def norm_roles(norm: Norm, every: Collection[str]) -> frozenset[str]:
    return frozenset(norm.roles) if norm.roles else frozenset(every)


def parameter_roles(
    parameter: Parameter, norms: Mapping[str, Norm], every: Collection[str]
) -> frozenset[str]:
    """The parameter's own roles, else those of the norms it implements (every role when it
    implements no known norm: it binds nobody less than its norms would)."""
    if parameter.roles:
        return frozenset(parameter.roles)
    implemented = [norms[n] for n in parameter.traces_to if n in norms]
    if not implemented:
        return frozenset(every)
    return frozenset().union(*(norm_roles(norm, every) for norm in implemented))


def works_in(role: Role, channels: Iterable[str]) -> bool:
    """Whether the role works in any of these moments of truth (an item on none: all)."""
    channels = tuple(channels)
    return not role.channels or not channels or bool(set(channels) & set(role.channels))


def bindings(
    handbook: Handbook, index: Index, published: Collection[str] | None = None
) -> dict[str, RoleBinding]:
    """Each role's active norms and parameters (only those in `published`, when given: the
    reader's pages show what the site publishes)."""
    roles = handbook_roles(handbook)
    every = [role.id for role in roles]
    found: dict[str, tuple[list[Norm], list[Parameter]]] = {r.id: ([], []) for r in roles}
    by_id = {role.id: role for role in roles}

    def shown(item: Norm | Parameter) -> bool:
        return item.status == "active" and (published is None or item.id in published)

    for norm in handbook.norms:
        if not shown(norm):
            continue
        for role_id in norm_roles(norm, every):
            if role_id in by_id and works_in(by_id[role_id], norm.channels):
                found[role_id][0].append(norm)
    for parameter in handbook.parameters:
        if not shown(parameter):
            continue
        for role_id in parameter_roles(parameter, index.norms, every):
            if role_id in by_id and works_in(by_id[role_id], (parameter.channel,)):
                found[role_id][1].append(parameter)
    return {
        role.id: RoleBinding(role, tuple(found[role.id][0]), tuple(found[role.id][1]))
        for role in roles
    }


def role_channels(role: Role, channels: Iterable[Term]) -> tuple[Term, ...]:
    """The moments of truth the role works in, in taxonomy order."""
    return tuple(c for c in channels if not role.channels or c.id in role.channels)


def item_roles(
    item: Norm | Parameter, handbook: Handbook, every: Sequence[str] | None = None
) -> tuple[str, ...]:
    """The jobs the item binds, in taxonomy order (every role for a norm that names none);
    empty in a handbook without roles. `every`: the handbook's role ids, when known."""
    if every is None:
        every = [role.id for role in handbook_roles(handbook)]
    if isinstance(item, Norm):
        bound = norm_roles(item, every)
    else:
        bound = parameter_roles(item, handbook.index.norms, every)
    return tuple(role for role in every if role in bound)
