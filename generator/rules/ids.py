"""Ids: each is given once, and none takes the name of a page the site makes itself."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import SECTION_NOUN, SITE_PAGE_NAMES, TERMS_WITH_PAGES
from generator.rules.registry import Model, checks


@checks(Rule.DUPLICATE_ID)
def duplicate_ids(model: Model) -> Iterator[Diagnostic]:
    handbook = model.handbook
    for key, origin in handbook.duplicates:
        first = (handbook.origins.get(key) or handbook.unreadable_origins[key]).location
        shown = key.split(":", 1)[-1]
        yield Diagnostic(
            Rule.DUPLICATE_ID,
            origin.of("id"),
            f"id {shown} is already used at {first}",
            "Give this item a new id that was never used before; ids are never reused, "
            "even for retired items.",
            (shown,),
        )


@checks(Rule.RESERVED_ID)
def reserved_ids(model: Model) -> Iterator[Diagnostic]:
    """A term with a page of its own cannot be named like a page the site makes in the same
    folder: told here, in the pull request, rather than by a build that refuses to publish."""
    for section in TERMS_WITH_PAGES:
        for term in model.handbook.taxonomy.get(section, ()):
            if term.id in SITE_PAGE_NAMES:
                noun = SECTION_NOUN[section]
                yield Diagnostic(
                    Rule.RESERVED_ID,
                    model.origin(f"{section}:{term.id}").of("id"),
                    f"`{term.id}` cannot be the id of a {noun}: `{section}/{term.id}` is the "
                    f"site's page of all {section}, which the {noun}'s own page would replace",
                    f"Choose another id for the {noun}, for example `{term.id}-{noun}`, and "
                    "use it wherever the old one is named.",
                    (term.id,),
                )
