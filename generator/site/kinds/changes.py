"""What changed since the last release, and the history of releases."""

from __future__ import annotations

from generator.site.changespage import PAGE, plan_changes
from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import NavEntry, Page


def pages(facts: Facts) -> list[Page]:
    return plan_changes(facts.planner, facts.history, facts.published)


def navigation(facts: Facts) -> list[NavEntry]:
    return [PAGE]


KIND = PageKind("changes", pages, navigation)
