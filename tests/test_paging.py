"""Bounded pages: no generated page grows with the whole handbook.

The pure part (how a list is laid on pages) is tested on its own; then a synthetic handbook of
a few thousand norms is built and every page of the site is counted: the items it shows, and
its bytes. A page cut by the taxonomy alone (all of a moment of truth's parameters) would hold
thousands of items at this size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from benchmarks.synthetic import write
from generator.site.paging import ROWS_PER_PAGE, page_paths, pagers, paginate
from tests.conftest import run_cli

ITEM_ID = re.compile(r"\b(?:VAL|NRM|PAR)-\d+\b")
MIB = 1 << 20


def test_rows_are_laid_in_order_within_the_budget_and_groups_continue() -> None:
    groups = [("a", list(range(7))), ("b", []), ("c", list(range(5)))]
    pages = paginate(groups, budget=4)
    laid = [[(part.group, part.rows, part.first) for part in page] for page in pages]
    assert laid == [
        [("a", (0, 1, 2, 3), 0)],
        [("a", (4, 5, 6), 4), ("b", (), 0), ("c", (0,), 0)],
        [("c", (1, 2, 3, 4), 1)],
    ]
    assert pages[1][0].continued and not pages[1][1].continued


def test_weights_count_and_a_heavy_row_gets_a_page_of_its_own() -> None:
    pages = paginate([("g", [1, 9, 1, 1, 2])], weight=lambda row: row, budget=4)
    assert [[part.rows for part in page] for page in pages] == [[(1,)], [(9,)], [(1, 1, 2)]]
    assert paginate([]) == [[]]


def test_the_first_page_keeps_its_address_and_the_others_are_numbered_under_it() -> None:
    assert page_paths("channels/phone.md", 3) == [
        "channels/phone.md",
        "channels/phone/2.md",
        "channels/phone/3.md",
    ]
    assert page_paths("norms/index.md", 2) == ["norms/index.md", "norms/2.md"]
    assert page_paths("audit/trace.md", 1) == ["audit/trace.md"]
    [single] = pagers(["x.md"], ["A"])
    assert single.links == () and single.previous is None and single.next is None
    first, second = pagers(["x.md", "x/2.md"], ["A", "B"])
    assert first.next is not None and first.next.path == "x/2.md" and first.previous is None
    assert second.previous is not None and second.previous.number == 1 and second.next is None


def crowd_first_value(project: Path, norms: int) -> None:
    """Make the synthetic handbook's first value serve `norms` norms with their parameters
    (more than a page holds) by moving the next values' norms into its file."""
    standards = project / "standards"
    first = standards / "value-0001.yml"
    norms_part, parameters_part = first.read_text("utf-8").split("\nparameters:\n")
    for number in range(2, norms // 50 + 1):
        other = standards / f"value-{number:04d}.yml"
        theirs, their_parameters = other.read_text("utf-8").split("\nparameters:\n")
        norms_part += theirs.removeprefix("norms:\n").replace(
            f"traces_to: [VAL-{number:04d}", "traces_to: [VAL-0001"
        )
        parameters_part += their_parameters
        other.write_text("norms: []\nparameters: []\n", encoding="utf-8")
    first.write_text(norms_part + "\nparameters:\n" + parameters_part, encoding="utf-8")


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = write(tmp_path_factory.mktemp("large"), 1250)
    crowd_first_value(project, 150)
    result = run_cli("build", cwd=project, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.stderr[-3000:]
    return project / "site"


def _pages(site: Path) -> Iterator[Path]:
    for page in sorted(site.rglob("*.html")):
        if page.name != "404.html":
            yield page


def _article(page: Path) -> Tag:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert isinstance(article, Tag), page
    for pager in article.select("nav.hb-pager"):
        pager.decompose()  # its labels name the first and last id of every page of the list
    return article


@pytest.mark.slow
def test_every_page_of_a_large_handbook_stays_within_its_item_budget(large_site: Path) -> None:
    pages = list(_pages(large_site))
    assert len(pages) > 200
    worst = (0, "")
    for page in pages:
        assert page.stat().st_size <= MIB, page
        article = _article(page)
        text = str(article)
        items = len(set(ITEM_ID.findall(text)))
        # A row names its item and what it traces to: a parameter, its norm, their values.
        assert items <= 3 * ROWS_PER_PAGE, (page, items)
        worst = max(worst, (items, str(page.relative_to(large_site))))
    # The budget is used, not dodged: the fullest page holds many rows.
    assert worst[0] > ROWS_PER_PAGE / 2, worst


@pytest.mark.slow
def test_a_list_cut_into_pages_still_shows_every_row_once(large_site: Path) -> None:
    first = large_site / "channels" / "phone" / "index.html"
    soup = BeautifulSoup(first.read_text(encoding="utf-8"), "html.parser")
    later = [str(a["href"]) for a in soup.select("nav.hb-pager a[data-hb-part]")]
    assert len(later) >= 5
    seen: list[str] = []
    for page in [first, *((first.parent / href).resolve() / "index.html" for href in later)]:
        article = _article(page)
        seen += [str(span["id"]) for span in article.select("tr[data-hb-row] td span[id]")]
    assert len(seen) == len(set(seen))
    standards = (large_site.parent / "standards").rglob("value-*.yml")
    on_phone = {
        match
        for path in standards
        for match in re.findall(
            r"id: (PAR-\d+)\n(?:    .*\n)*?    channel: phone\n", path.read_text()
        )
    }
    assert set(seen) == on_phone


@pytest.mark.slow
def test_a_norm_that_moved_to_a_later_page_of_its_value_is_found_from_its_old_link(
    large_site: Path,
) -> None:
    first = large_site / "values" / "val-0001" / "index.html"
    soup = BeautifulSoup(first.read_text(encoding="utf-8"), "html.parser")
    moved = soup.select("a[data-hb-moved]")
    assert moved, "a value of 150 norms and 750 parameters fills more than one page"
    link = moved[-1]
    norm = str(link["data-hb-moved"]).split()[0]
    assert f'id="{norm}"' not in first.read_text(encoding="utf-8")
    target = (first.parent / str(link["href"]).partition("#")[0]).resolve() / "index.html"
    assert f'id="{norm}"' in target.read_text(encoding="utf-8")
