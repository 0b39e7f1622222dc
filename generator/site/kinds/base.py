"""What a page kind is: a function from the build's facts to its pages, and its place in the
navigation. Every kind is registered in `catalogue.py`, in the order the site lists it; adding
one is a module here, its template and its words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from generator.model.diagnostics import Diagnostic
from generator.releases.history import ReleaseContext
from generator.site.pages import NavEntry, Page, Planner


@dataclass(frozen=True)
class Facts:
    """What every page kind may plan from, the same for all of them in one language."""

    planner: Planner
    """The model in the reader's language: texts, links, rows, paging."""
    history: ReleaseContext
    files: Mapping[str, bytes]
    """The files the site offers besides its pages (downloads, the release record)."""
    published: str
    """The SHA-256 of the published manifest: what an edition's cover and record name."""
    today: dt.date
    pdf: bool
    """Whether this build prints PDFs, which the pages then offer."""
    later: Collection[str]
    """Files made while the site builds, whose sizes are not known yet."""
    checked: Sequence[Diagnostic] | None


def no_navigation(facts: Facts) -> list[NavEntry]:
    return []


@dataclass(frozen=True)
class PageKind:
    name: str
    pages: Callable[[Facts], Sequence[Page]]
    navigation: Callable[[Facts], Sequence[NavEntry]] = no_navigation
    """Its entries in the site's navigation; pages of a long list after the first and pages
    only reached from another page have none."""
