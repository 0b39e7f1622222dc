"""Your job: what binds each role, by moment of truth and category, and the norms; with PDFs,
each role's printable sheet."""

from __future__ import annotations

from generator.model.items import id_order
from generator.model.roles import role_channels
from generator.site.auditpages import role_pdf
from generator.site.kinds.base import Facts, PageKind
from generator.site.pages import Group, NavEntry, Page, elsewhere_in_search, row_id


def pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    roles = planner.role_bindings()
    if not roles:
        return []
    _ = planner._
    channels = planner.handbook.taxonomy["channels"]
    made = [
        Page(
            "roles/index.md",
            "roles.md.j2",
            _("Your job"),
            {
                "roles": [
                    (
                        binding,
                        [
                            (c, sum(1 for p in binding.parameters if p.channel == c.id))
                            for c in role_channels(binding.role, channels)
                        ],
                    )
                    for binding in roles.values()
                ]
            },
        )
    ]
    for binding in roles.values():
        role = binding.role
        norms = sorted(binding.norms, key=lambda n: id_order(n.id))
        made.extend(
            planner.paged(
                Page(
                    f"roles/{role.id}.md",
                    "role.md.j2",
                    planner.text(role.title),
                    {
                        "role": role,
                        "binding": binding,
                        "channels": role_channels(role, channels),
                        "filters": planner.filters(
                            role_channels(role, channels),
                            {p.category for p in binding.parameters},
                        ),
                        "pdf": role_pdf(role.id) if facts.pdf else None,
                    },
                    meta=elsewhere_in_search(),
                ),
                [
                    *planner.role_sections(binding),
                    *(
                        [(Group("norms", "norms-that-bind-you", label=_("The norms")), norms)]
                        if norms
                        else []
                    ),
                ],
                row_id=row_id,
            )
        )
    return made


def navigation(facts: Facts) -> list[NavEntry]:
    planner = facts.planner
    roles = planner.role_bindings()
    if not roles:
        return []
    return [{planner._("Your job"): ["roles/index.md", *(f"roles/{r}.md" for r in roles)]}]


KIND = PageKind("roles", pages, navigation)
