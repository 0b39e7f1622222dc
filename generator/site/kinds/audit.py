"""The auditors' section (coverage, matrix, trace, gaps, graph, downloads) and the
checklists per moment of truth."""

from __future__ import annotations

from generator.audit.compute import audit
from generator.site.auditpages import audit_nav, plan_audit
from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import NavEntry, Page


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    return plan_audit(
        planner,
        audit(planner.handbook, today=facts.today, checked=facts.checked),
        facts.files,
        pdf=facts.pdf,
        later=facts.later,
        published_hash=facts.published,
    )


def navigation(facts: Facts) -> list[NavEntry]:
    return audit_nav(facts.planner)


KIND = PageKind("audit", pages, navigation)
