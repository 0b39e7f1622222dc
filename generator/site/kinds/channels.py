"""Moments of truth: the list, and a page per channel with every parameter that applies there
by category, and the norms that apply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.model.roles import works_in
from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import Group, NavEntry, Page, elsewhere_in_search, row_id


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    links, _ = planner.links, planner._
    channels = planner.handbook.taxonomy["channels"]
    roles = planner.role_bindings()
    in_force = planner.active_norms()
    made = [
        Page(
            "channels/index.md",
            "channels.md.j2",
            _("Moments of truth"),
            {"channels": [(c, links.active_parameters_of_channel.get(c.id, ())) for c in channels]},
        )
    ]
    for channel in channels:
        parameters = links.active_parameters_of_channel.get(channel.id, ())
        norms = [n for n in in_force if channel.id in n.channels]
        groups: list[tuple[Group, Sequence[Any]]] = [
            *planner.parameter_groups(parameters, "categories"),
            *(
                [
                    (
                        Group("norms", "norms-that-apply-here", label=_("Norms that apply here")),
                        norms,
                    )
                ]
                if norms
                else []
            ),
        ]
        made.extend(
            planner.paged(
                Page(
                    f"channels/{channel.id}.md",
                    "channel.md.j2",
                    planner.text(channel.title),
                    {
                        "channel": channel,
                        "roles": [
                            b.role for b in roles.values() if works_in(b.role, (channel.id,))
                        ],
                        "filters": planner.filters((), {p.category for p in parameters}),
                    },
                    meta=elsewhere_in_search(),
                ),
                groups,
                row_id=row_id,
            )
        )
    return made


def navigation(facts: Facts) -> list[NavEntry]:
    planner = facts.planner
    return [
        {
            planner._("Moments of truth"): [
                "channels/index.md",
                *(f"channels/{c.id}.md" for c in planner.handbook.taxonomy["channels"]),
            ]
        }
    ]


KIND = PageKind("channels", pages, navigation)
