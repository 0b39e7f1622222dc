"""Jobs: a job's page must not be empty, nor silent about a moment of truth the job works in;
a parameter may narrow its norms' roles, never widen them."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.roles import bindings, handbook_roles, norm_roles, role_channels
from generator.rules.registry import Model, checks


@checks(Rule.ROLE_NOT_IN_NORM)
def roles_beyond_norms(model: Model) -> Iterator[Diagnostic]:
    roles = handbook_roles(model.handbook)
    if not roles:
        return
    every = [role.id for role in roles]
    known = set(every)
    for parameter in model.handbook.parameters:
        if not parameter.roles or parameter.status != "active":
            continue
        implemented = [model.links.norms[n] for n in parameter.traces_to if n in model.links.norms]
        if not implemented:
            continue
        allowed = frozenset().union(*(norm_roles(norm, every) for norm in implemented))
        origin = model.origin(parameter.id)
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


@checks(Rule.ROLE_UNBOUND, Rule.ROLE_CHANNEL_EMPTY)
def empty_role_pages(model: Model) -> Iterator[Diagnostic]:
    handbook = model.handbook
    roles = handbook_roles(handbook)
    if not roles or handbook.unreadable_ids:
        return  # an item that failed the schema may bind the role: its error is reported
    bound = bindings(handbook, model.links)
    channels = handbook.taxonomy.get("channels", ())
    for role in roles:
        origin = model.origin(f"roles:{role.id}")
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
