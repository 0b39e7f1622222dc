"""Roles: each employee's job gets a page with exactly what binds it, checklists and a PDF.

What binds a role is computed here again, from the YAML itself with a plain YAML reader, and
compared with what the built pages show: a page that missed a rule, or showed another job's,
would fail whichever way the generator computed it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from tests.conftest import FIXTURES, ROOT, copy_handbook, run_cli

pytestmark = pytest.mark.slow

FIXED_EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01


def _standards(folder: Path) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, entries in data.items():
            if isinstance(entries, list):
                merged.setdefault(section, []).extend(entries)
    return merged


def expected_bindings(folder: Path) -> dict[str, tuple[set[str], set[str]]]:
    """Per role: the norms and parameters the site must show on its page, from the rules as
    the handbook's documentation states them."""
    data = _standards(folder)
    roles = {r["id"]: set(r.get("channels", ())) for r in data.get("roles", [])}
    values = {v["id"] for v in data.get("values", []) if v.get("status", "active") == "active"}
    norms = {n["id"]: n for n in data.get("norms", [])}
    published_norms = {
        n["id"]
        for n in norms.values()
        if n.get("status", "active") == "active" and set(n.get("traces_to", ())) & values
    }

    def norm_roles(norm: dict[str, Any]) -> set[str]:
        return set(norm.get("roles") or roles)

    found: dict[str, tuple[set[str], set[str]]] = {r: (set(), set()) for r in roles}
    for norm_id in published_norms:
        norm = norms[norm_id]
        for role in norm_roles(norm):
            works = roles[role]
            if not works or not norm.get("channels") or works & set(norm["channels"]):
                found[role][0].add(norm_id)
    for parameter in data.get("parameters", []):
        if parameter.get("status", "active") != "active":
            continue
        implemented = [n for n in parameter.get("traces_to", ()) if n in published_norms]
        if not implemented:
            continue
        bound = set(parameter.get("roles") or ()) or set().union(
            *(norm_roles(norms[n]) for n in parameter["traces_to"] if n in norms)
        )
        for role in bound:
            if not roles[role] or parameter["channel"] in roles[role]:
                found[role][1].add(parameter["id"])
    return found


def _pages_of(first: Path) -> Iterator[BeautifulSoup]:
    """A page and the later pages of its list, in order (`paging.py`)."""
    soup = BeautifulSoup(first.read_text(encoding="utf-8"), "html.parser")
    yield soup
    for link in soup.select("nav.hb-pager a[data-hb-part]"):
        target = (first.parent / str(link["href"])).resolve() / "index.html"
        yield BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")


def _article(soup: BeautifulSoup) -> Tag:
    article = soup.find("article")
    assert isinstance(article, Tag)
    return article


def shown_on_role_page(site: Path, role: str) -> tuple[set[str], set[str]]:
    norms: set[str] = set()
    parameters: set[str] = set()
    for soup in _pages_of(site / "roles" / role / "index.html"):
        article = _article(soup)
        parameters |= {str(span["id"]) for span in article.select("tr[data-hb-row] td span[id]")}
        norms |= {a.get_text().split()[0] for a in article.select("li[data-hb-row] > a")}
    return norms, parameters


@pytest.fixture(scope="module")
def example_site(example_project: Path) -> Path:
    result = run_cli("build", "--strict", cwd=example_project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr + result.stdout
    return example_project / "site" / "en"


def test_each_role_page_lists_exactly_what_binds_the_role(example_site: Path) -> None:
    expected = expected_bindings(ROOT / "standards")
    assert len(expected) == 5
    for role, (norms, parameters) in expected.items():
        assert norms and parameters, role
        assert shown_on_role_page(example_site, role) == (norms, parameters), role


def test_every_item_of_the_example_binds_at_least_one_role() -> None:
    expected = expected_bindings(ROOT / "standards")
    bound_norms = set().union(*(norms for norms, _ in expected.values()))
    bound_parameters = set().union(*(parameters for _, parameters in expected.values()))
    data = _standards(ROOT / "standards")
    for norm in data["norms"]:
        assert norm.get("roles"), f"{norm['id']} names no role"
        if norm.get("status", "active") == "active":
            assert norm["id"] in bound_norms, norm["id"]
    for parameter in data["parameters"]:
        if parameter.get("status", "active") == "active":
            assert parameter["id"] in bound_parameters, parameter["id"]


def test_the_home_page_offers_each_job_and_every_norm_says_whom_it_binds(
    example_site: Path,
) -> None:
    home = _article(BeautifulSoup((example_site / "index.html").read_text("utf-8"), "html.parser"))
    chooser = home.select("#your-job ~ .hb-roles a")
    assert [str(a["href"]) for a in chooser] == [
        f"roles/{role}/" for role in expected_bindings(ROOT / "standards")
    ]
    value = (example_site / "values" / "val-005" / "index.html").read_text("utf-8")
    article = _article(BeautifulSoup(value, "html.parser"))
    applies = [li for li in article.find_all("li") if li.get_text().startswith("Applies to:")]
    norms = article.select("h3[id^=NRM-]")
    assert len(applies) == len(norms) > 0
    # NRM-018 (call ahead before a home visit) binds the delivery crews alone.
    heading = article.find("h3", id="NRM-018")
    assert isinstance(heading, Tag)
    call_ahead = next(li for li in applies if li.find_previous("h3") is heading)
    assert [a.get_text() for a in call_ahead.find_all("a")] == ["Delivery and installation crews"]


def test_role_checklists_hold_only_the_roles_measurable_rules(example_site: Path) -> None:
    expected = expected_bindings(ROOT / "standards")
    data = _standards(ROOT / "standards")
    measured = {p["id"]: p for p in data["parameters"] if p.get("measure")}
    for role, (_, parameters) in expected.items():
        for channel in ("face-to-face", "phone", "written"):
            page = example_site / "checklists" / role / channel / "index.html"
            wanted = {p for p in parameters if p in measured and measured[p]["channel"] == channel}
            if not page.exists():
                assert not wanted, (role, channel)
                continue
            lines: set[str] = set()
            for soup in _pages_of(page):
                lines |= {str(span["id"]) for span in _article(soup).select("td span[id]")}
            assert lines == wanted, (role, channel)


def test_exports_audit_and_diff_name_the_roles(example_site: Path, example_project: Path) -> None:
    document = json.loads((example_site / "audit/downloads/traceability.json").read_bytes())
    norms = {n["id"]: n for n in document["norms"]}
    assert norms["NRM-018"]["roles"] == ["delivery"]
    assert norms["NRM-018"]["standing"] == "in-force"
    assert document["handbook"]["as_of"] == "2026-01-01"
    audited = run_cli("audit", "standards", "--format", "json", cwd=example_project)
    by_role = json.loads(audited.stdout)["coverage_by_role"]
    assert {row["role"] for row in by_role} == set(expected_bindings(ROOT / "standards"))
    assert not any(
        row["role"] == "contact-centre" and row["channel"] == "face-to-face" for row in by_role
    )
    coverage = (example_site / "audit" / "coverage" / "index.html").read_text("utf-8")
    assert 'id="by-job"' in coverage


def test_a_role_change_shows_in_the_diff(small: Path) -> None:
    before = small / "before"
    copy_handbook(FIXTURES / "small", before)
    handbook = small / "standards" / "handbook.yml"
    handbook.write_text(
        handbook.read_text("utf-8")
        + "roles:\n  - id: desk\n    title: Counter staff\n  - id: caller\n    title: Phone desk\n",
        encoding="utf-8",
    )
    norms = small / "standards" / "norms.yml"
    norms.write_text(
        norms.read_text("utf-8").replace(
            "    factors: [legislation]\n", "    factors: [legislation]\n    roles: [caller]\n"
        ),
        encoding="utf-8",
    )
    result = run_cli("diff", str(before / "standards"), "standards", "--format", "json", cwd=small)
    assert result.code == 0, result.stderr
    changed = {c["id"]: c for c in json.loads(result.stdout)["items"]}
    assert changed["NRM-002"]["roles"] == ["caller"]
    assert [f["field"] for f in changed["NRM-002"]["fields"]] == ["roles"]


def _write_roles(project: Path, roles: str, norm_roles: str = "") -> None:
    handbook = project / "standards" / "handbook.yml"
    handbook.write_text(handbook.read_text("utf-8") + roles, encoding="utf-8")
    if norm_roles:
        norms = project / "standards" / "norms.yml"
        text = norms.read_text("utf-8")
        for norm, named in re.findall(r"(NRM-\d+)=(\S+)", norm_roles):
            text = text.replace(f"  - id: {norm}\n", f"  - id: {norm}\n    roles: [{named}]\n")
        norms.write_text(text, encoding="utf-8")


def _validate(project: Path) -> list[dict[str, Any]]:
    result = run_cli("validate", "standards", "--format", "json", cwd=project)
    found: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return found


def test_a_role_no_norm_binds_is_reported_where_it_is_defined(small: Path) -> None:
    _write_roles(
        small,
        "roles:\n  - id: desk\n    title: Counter staff\n  - id: courier\n    title: Courier\n",
        "NRM-001=desk NRM-002=desk",
    )
    found = [(d["rule"], d["line"], d["column"], d["ids"]) for d in _validate(small)]
    lines = (small / "standards" / "handbook.yml").read_text("utf-8").splitlines()
    line = lines.index("  - id: courier") + 1
    assert found == [("role-unbound", line, 9, ["courier"])]


def test_a_moment_of_truth_a_role_works_in_without_a_parameter_is_a_warning(small: Path) -> None:
    _write_roles(
        small,
        "roles:\n  - id: desk\n    title: Counter staff\n"
        "  - id: caller\n    title: Phone desk\n    channels: [face-to-face, phone]\n",
        "NRM-001=desk NRM-002=caller",
    )
    found = [(d["rule"], d["line"], d["column"], d["ids"]) for d in _validate(small)]
    lines = (small / "standards" / "handbook.yml").read_text("utf-8").splitlines()
    line = lines.index("    channels: [face-to-face, phone]") + 1
    assert found == [("role-channel-empty", line, 16, ["caller", "face-to-face"])]


def test_an_unknown_role_is_an_unknown_reference_with_a_suggestion(small: Path) -> None:
    _write_roles(small, "roles:\n  - id: desk\n    title: Counter staff\n")
    (small / "standards" / "zz.yml").write_text(
        "norms:\n  - id: NRM-900\n    title: T\n    statement: S.\n    traces_to: [VAL-001]\n"
        "    channels: [phone]\n    roles: [desc]\n    owner: head-of-service\n"
        "parameters:\n  - id: PAR-900\n    title: T\n    traces_to: [NRM-900]\n"
        "    channel: phone\n    category: speed\n    requirement: R.\n"
        "    owner: head-of-service\n",
        encoding="utf-8",
    )
    found = [(d["rule"], d["file"], d["line"], d["column"], d["hint"]) for d in _validate(small)]
    assert found == [
        ("unknown-reference", "standards/zz.yml", 7, 13, "Did you mean `desk`?"),
    ]
