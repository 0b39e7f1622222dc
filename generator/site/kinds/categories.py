"""Behaviour: the list of categories (gestures, vocabulary, proxemics …), and a page per
category with its parameters by moment of truth."""

from __future__ import annotations

from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import NavEntry, Page, elsewhere_in_search, row_id


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    links = planner.links
    channels = planner.handbook.taxonomy["channels"]
    categories = planner.handbook.taxonomy["categories"]
    made = [
        Page(
            "categories/index.md",
            "categories.md.j2",
            planner._("Behaviour"),
            {
                "categories": [
                    (c, links.active_parameters_of_category.get(c.id, ())) for c in categories
                ]
            },
        )
    ]
    for category in categories:
        parameters = links.active_parameters_of_category.get(category.id, ())
        made.extend(
            planner.paged(
                Page(
                    f"categories/{category.id}.md",
                    "category.md.j2",
                    planner.text(category.title),
                    {
                        "category": category,
                        "filters": planner.filters(
                            [c for c in channels if any(p.channel == c.id for p in parameters)],
                            (),
                        ),
                    },
                    meta=elsewhere_in_search(),
                ),
                planner.parameter_groups(parameters, "channels"),
                row_id=row_id,
            )
        )
    return made


def navigation(facts: Facts) -> list[NavEntry]:
    planner = facts.planner
    return [
        {
            planner._("Behaviour"): [
                "categories/index.md",
                *(f"categories/{c.id}.md" for c in planner.handbook.taxonomy["categories"]),
            ]
        }
    ]


KIND = PageKind("categories", pages, navigation)
