"""The list of values, and a page per value: its norms in full with their parameters. A norm's
permalink is on the page of the first value it serves (`Planner.homes`)."""

from __future__ import annotations

from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import Group, NavEntry, Page, row_id, value_page
from generator.site.paging import Part


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    links = planner.links
    values = planner.active_values()
    made = planner.paged(
        Page("values/index.md", "values.md.j2", planner._("Values")),
        [
            (
                Group("values", "values"),
                [(v, links.active_norms_of_value.get(v.id, ())) for v in values],
            )
        ],
        row_id=lambda row: row[0].id,
    )
    for value in values:
        made.extend(
            planner.paged(
                Page(
                    value_page(value),
                    "value.md.j2",
                    planner.text(value.title),
                    {"value": value, "moved": planner.moved(value)},
                ),
                [],
                row_id=row_id,
                pages=[
                    [
                        Part(
                            part.group,
                            tuple(
                                planner.norm_view(n) if part.group.kind == "own" else n
                                for n in part.rows
                            ),
                            part.first,
                        )
                        for part in page
                    ]
                    for page in planner.value_parts(value)
                ],
            )
        )
    return made


def navigation(facts: Facts) -> list[NavEntry]:
    planner = facts.planner
    return [
        {
            planner._("Values"): [
                "values/index.md",
                *(value_page(v) for v in planner.active_values()),
            ]
        }
    ]


KIND = PageKind("values", pages, navigation)
