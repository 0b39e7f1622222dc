"""Paging: every long list of the site is cut into pages of a bounded size.

A page cut by the taxonomy (a moment of truth, a category, a role, the trace, the graph) holds
a share of the whole handbook, so at 10,000 norms it grew to tens of megabytes that a browser
took over a minute to open. Here such a list is a sequence of groups of rows (a category's
parameters, a value's norms …); the rows are laid on pages in reading order, at most
`ROWS_PER_PAGE` units to a page, a group continuing on the next page where it does not fit.
A handbook whose list fits on one page gets exactly the page it had before; a larger one gets
the same first page (its address unchanged) and numbered pages after it, `channels/phone/2/`,
linked by previous/next and a list of pages, so the size of any page is bounded by design and
not by the handbook.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

G = TypeVar("G")
R = TypeVar("R")

ROWS_PER_PAGE = 500
"""Units on one page: a parameter's row, a norm's row, a box of the graph; a norm shown with
its parameters counts one and one more per parameter. Sized by measurement (`make bench`,
docs/performance.md): at 500 the heaviest page kinds stay near half a megabyte and open in
Chromium in about a second on a small machine, while halving the pages of 250 saves the
build a tenth of its time at 10,000 norms."""


@dataclass(frozen=True)
class Part(Generic[G, R]):
    """A group's rows on one page."""

    group: G
    rows: tuple[R, ...]
    first: int
    """How many rows of the group came on earlier pages (0: the group starts here)."""

    @property
    def continued(self) -> bool:
        return self.first > 0


@dataclass(frozen=True)
class PageLink:
    number: int
    path: str
    """The page's Markdown file, as the planner's links take it."""
    label: str


@dataclass(frozen=True)
class Pager:
    """Where a page stands among the pages of its list; `links` is empty for a list that fits
    on one page, and then the templates show no pager at all."""

    number: int
    links: tuple[PageLink, ...]

    @property
    def count(self) -> int:
        return max(1, len(self.links))

    @property
    def previous(self) -> PageLink | None:
        return self.links[self.number - 2] if self.number > 1 and self.links else None

    @property
    def next(self) -> PageLink | None:
        return self.links[self.number] if self.number < len(self.links) else None


SINGLE = Pager(1, ())


def paginate(
    groups: Sequence[tuple[G, Sequence[R]]],
    weight: Callable[[R], int] = lambda row: 1,
    budget: int = ROWS_PER_PAGE,
) -> list[list[Part[G, R]]]:
    """The groups laid on pages in order, at most `budget` units a page (a row heavier than
    that has a page of its own). Always at least one page, even for no rows."""
    pages: list[list[Part[G, R]]] = [[]]
    used = 0
    for group, rows in groups:
        start = 0
        current: list[R] = []
        for taken, row in enumerate(rows):
            cost = max(1, weight(row))
            if used and used + cost > budget:
                if current:
                    pages[-1].append(Part(group, tuple(current), start))
                    start, current = taken, []
                pages.append([])
                used = 0
            current.append(row)
            used += cost
        if current or not rows:
            pages[-1].append(Part(group, tuple(current), start))
    return pages


def page_paths(path: str, count: int) -> list[str]:
    """The Markdown files of a list's pages: the first keeps `path`, the others are numbered in
    a folder of the same name (`channels/phone.md`, `channels/phone/2.md`; `norms/index.md`,
    `norms/2.md`), so each first page keeps the address it always had."""
    stem = path.removesuffix(".md")
    folder = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    return [path, *(posixpath.join(folder, f"{number}.md") for number in range(2, count + 1))]


def pagers(paths: Sequence[str], labels: Sequence[str]) -> list[Pager]:
    """One pager per page of a list; none shown for a list of one page."""
    if len(paths) < 2:
        return [SINGLE]
    links = tuple(
        PageLink(number, path, label)
        for number, (path, label) in enumerate(zip(paths, labels, strict=True), start=1)
    )
    return [Pager(number, links) for number in range(1, len(paths) + 1)]


def first_pages(pages: Sequence[Sequence[Part[G, R]]], key: Callable[[G], str]) -> dict[str, int]:
    """The page (0-based) each group starts on, for links to a group from elsewhere."""
    found: dict[str, int] = {}
    for number, parts in enumerate(pages):
        for part in parts:
            found.setdefault(key(part.group), number)
    return found
