"""The home page: the handbook's values, moments of truth and jobs at a glance."""

from __future__ import annotations

from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import NavEntry, Page

HOME_VALUES = 24
"""Values the home page describes; beyond them it links to the list of all values."""


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    handbook, links = planner.handbook, planner.links
    values = planner.active_values()
    channels = handbook.taxonomy["channels"]
    roles = planner.role_bindings()
    return [
        Page(
            "index.md",
            "home.md.j2",
            planner.text(handbook.settings.title),
            {
                "values": [
                    (v, len(links.active_norms_of_value.get(v.id, ())))
                    for v in values[:HOME_VALUES]
                ],
                "more_values": len(values) > HOME_VALUES,
                "channels": [
                    (c, len(links.active_parameters_of_channel.get(c.id, ()))) for c in channels
                ],
                "roles": [(b.role, len(b.norms), len(b.parameters)) for b in roles.values()],
                "value_count": len(values),
                "norm_count": len(planner.active_norms()),
                "parameter_count": sum(1 for p in handbook.parameters if p.id in planner.homes),
            },
            meta={"hide": ["navigation"]},
        )
    ]


def navigation(facts: Facts) -> list[NavEntry]:
    return ["index.md"]


KIND = PageKind("home", pages, navigation)
