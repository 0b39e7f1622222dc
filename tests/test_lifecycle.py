"""Standing on the build date: what a page says is binding, is.

The small handbook's NRM-002 takes effect on 1 February 2026; built on 15 January it must be
shown as coming wherever it appears, its parameter must be on no checklist, and a norm whose
review date has passed must say so on the norm itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

BUILT_ON = {"SOURCE_DATE_EPOCH": "1768435200"}  # 2026-01-15


@pytest.fixture
def site(small: Path) -> Path:
    norms = small / "standards" / "norms.yml"
    norms.write_text(
        norms.read_text("utf-8").replace("    review: 2027-01-01\n", "    review: 2026-01-10\n"),
        encoding="utf-8",
    )
    result = run_cli("build", cwd=small, env=BUILT_ON)
    assert result.code == 0, result.stderr
    return small / "site"


def _pages(site: Path) -> list[tuple[Path, BeautifulSoup]]:
    return [
        (page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        for page in sorted(site.rglob("*.html"))
        if page.name != "404.html"
    ]


def test_a_norm_that_takes_effect_later_is_nowhere_in_force(site: Path) -> None:
    shown = 0
    for page, soup in _pages(site):
        for body in soup.select(".hb-norm-head"):
            strong = body.find("strong")
            if strong is None or strong.get_text() not in {"NRM-001", "NRM-002"}:
                continue
            badges = [b.get_text() for b in body.select(".hb-badge--state")]
            if strong.get_text() == "NRM-002":
                shown += 1
                assert badges == ["From February 1, 2026"], page
            else:
                assert badges[0] == "In force", page
        for row in soup.select("[data-hb-row]"):
            text = row.get_text(" ")
            if re.search(r"\b(NRM-002|PAR-003)\b", text.split(":")[0]):
                assert row["data-hb-state"] == "coming", (page, text)
                assert "In force" not in text, page
    assert shown >= 2  # its value's page and the print page at least


def test_what_takes_effect_later_is_on_no_checklist(site: Path) -> None:
    checklists = list((site / "checklists").rglob("index.html"))
    assert checklists
    for page in checklists:
        html = page.read_text(encoding="utf-8")
        assert "PAR-003" not in html, page
    assert 'id="PAR-002"' in (site / "checklists" / "face-to-face" / "index.html").read_text()


def test_an_overdue_review_is_marked_on_the_norm(site: Path) -> None:
    value = (site / "values" / "val-001" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(value, "html.parser")
    overdue = [b.get_text() for b in soup.select(".hb-badge--state-overdue")]
    assert overdue and set(overdue) == {"Review overdue since January 10, 2026"}
    heading = soup.find(id="NRM-001")
    assert heading is not None
    assert heading.find_next(class_="hb-badge--state-overdue") is not None


def test_the_exports_say_what_is_coming(site: Path) -> None:
    document = json.loads((site / "audit/downloads/traceability.json").read_bytes())
    standing = {item["id"]: item["standing"] for item in document["norms"]}
    assert standing == {"NRM-001": "in-force", "NRM-002": "coming"}
    rows = (site / "audit/downloads/traceability.csv").read_text("utf-8-sig").splitlines()
    header = rows[0].split(",")
    assert {"norm_standing", "parameter_standing", "roles"} <= set(header)
    by_parameter = {r.split(",")[header.index("parameter_id")]: r.split(",") for r in rows[1:]}
    assert by_parameter["PAR-003"][header.index("parameter_standing")] == "coming"
