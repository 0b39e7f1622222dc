"""All norms in force, in one list a reader can filter by moment of truth."""

from __future__ import annotations

from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import Group, NavEntry, Page, elsewhere_in_search


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    return planner.paged(
        Page(
            "norms/index.md",
            "norms.md.j2",
            planner._("All norms"),
            {"filters": planner.filters(planner.handbook.taxonomy["channels"], ())},
            meta=elsewhere_in_search(),
        ),
        [(Group("norms", "norms"), [planner.norm_view(n) for n in planner.active_norms()])],
        row_id=lambda view: view.norm.id,
    )


def navigation(facts: Facts) -> list[NavEntry]:
    return ["norms/index.md"]


KIND = PageKind("norms", pages, navigation)
