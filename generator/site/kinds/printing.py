"""The handbook for print and for the PDF: a cover with the contents, then each value's norms
in full; reached from the home page and the print button, not from the navigation."""

from __future__ import annotations

from generator.site.changespage import plan_print
from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import Page


def pages(facts: Facts) -> list[Page]:
    return plan_print(facts.planner, facts.history, facts.published, facts.today)


KIND = PageKind("print", pages)
