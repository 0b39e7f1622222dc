"""The built site, read the way a reader meets it: real MkDocs builds, parsed HTML."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup, Tag
from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]

from generator.engines.mkdocs.searchtext import for_search
from generator.model.items import Handbook
from generator.source.load import load_handbook
from tests.conftest import FIXTURES, ROOT, copy_handbook, run_cli
from tests.hostile import PAYLOADS, write_hostile_standards

pytestmark = pytest.mark.slow

FIXED_EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01, as a commit date would give


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def _article(soup: BeautifulSoup) -> Tag:
    article = soup.find("article")
    assert isinstance(article, Tag)
    return article


def _section(article: Tag, heading_id: str) -> list[Tag]:
    """The elements under a heading, up to the next heading of the same or a higher level."""
    heading = article.find(id=heading_id)
    assert isinstance(heading, Tag), heading_id
    level = int(heading.name[1])
    found: list[Tag] = []
    for sibling in heading.find_next_siblings():
        if sibling.name in {f"h{n}" for n in range(1, level + 1)}:
            break
        found.append(sibling)
    return found


def _attr(element: Tag, name: str) -> str:
    """An attribute as text (bs4 types class-like attributes as lists)."""
    value = element.get(name)
    return " ".join(value) if isinstance(value, list) else str(value or "")


def _text(element: Tag | None) -> str:
    assert element is not None
    return element.get_text()


def _tree_digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def example_site(example_project: Path) -> Path:
    """The English build of the example (each language is built into `site/<lang>/`)."""
    result = run_cli("build", "--strict", cwd=example_project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr + result.stdout
    return example_project / "site" / "en"


@pytest.fixture(scope="module")
def example() -> Handbook:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return handbook


def _list_pages(site: Path, first: str) -> Iterator[Tag]:
    """The article of a list's first page, then of each later page (`paging.py`), in order."""
    page = site / first
    soup = _page(page.parent, page.name)
    yield _article(soup)
    for link in soup.select("nav.hb-pager a[data-hb-part]"):
        target = (page.parent / _attr(link, "href")).resolve() / "index.html"
        yield _article(_page(target.parent, target.name))


def _generated_pages(site: Path) -> Iterator[Path]:
    for folder in ("values", "channels", "categories", "norms"):
        yield from sorted((site / folder).rglob("index.html"))
    yield site / "index.html"


def test_home_page_points_to_every_moment_of_truth_and_value(
    example_site: Path, example: Handbook
) -> None:
    article = _article(_page(example_site, "index.html"))
    links = {_attr(a, "href") for a in article.find_all("a", href=True)}
    for channel in example.taxonomy["channels"]:
        assert f"channels/{channel.id}/" in links
    for value in example.values:
        assert f"values/{value.id.lower()}/" in links
    assert "Meridian Service Group" in article.get_text()


def test_badges_name_each_channel_category_and_status_the_same_way_everywhere(
    example_site: Path, example: Handbook
) -> None:
    """A reader learns a badge once: the same channel or category is the same pill, with the
    same words and the same link, on every page; every norm shown says it is in force."""
    seen: dict[tuple[str, str], set[tuple[str, str]]] = {}
    pages = [
        *_generated_pages(example_site),
        *sorted((example_site / "audit").rglob("index.html")),
    ]
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for badge in _article(soup).select(".hb-badge"):
            classes = _attr(badge, "class").split()
            kind = next(c for c in classes if c.count("--") == 1 and c.startswith("hb-badge--"))
            key = next(c for c in classes if c.startswith(f"{kind}-"))
            link = badge.parent
            href = ""
            if isinstance(link, Tag) and link.name == "a":
                target = (path.parent / _attr(link, "href")).resolve()
                href = str(target.relative_to(example_site.resolve()))
            seen.setdefault((kind, key.removeprefix(f"{kind}-")), set()).add(
                (badge.get_text(), href)
            )
    for section, kind in (("channels", "channel"), ("categories", "category")):
        for term in example.taxonomy[section]:
            assert seen[(f"hb-badge--{kind}", term.id)] == {
                (
                    term.title if isinstance(term.title, str) else term.title["en"],
                    f"{section}/{term.id}",
                )
            }
    assert seen[("hb-badge--state", "in-force")] == {("In force", "")}
    norms_shown = _article(_page(example_site, "values/val-004/index.html")).select(
        "h3[id^='NRM-']"
    )
    statuses = _article(_page(example_site, "values/val-004/index.html")).select(
        ".hb-badge--state-in-force"
    )
    assert len(statuses) == len(norms_shown) > 0


def test_each_value_page_lists_its_norms(example_site: Path, example: Handbook) -> None:
    for value in example.values:
        article = _article(_page(example_site, f"values/{value.id.lower()}/index.html"))
        assert article.find("h1", id=value.id) is not None
        own = {_attr(h, "id") for h in article.find_all("h3")}
        elsewhere = {_attr(a, "href").split("#")[1] for a in article.select("ul a[href*='#NRM-']")}
        serving = {n.id for n in example.norms if n.status == "active" and value.id in n.traces_to}
        assert serving == own | elsewhere
        assert serving, value.id
        drafts_and_retired = {n.id for n in example.norms if n.status != "active"}
        assert not (own | elsewhere) & drafts_and_retired


def test_each_norm_shows_the_values_it_serves_and_its_parameters(
    example_site: Path, example: Handbook
) -> None:
    homes: dict[str, Path] = {}
    for page in (example_site / "values").glob("val-*/index.html"):
        article = _article(_page(example_site, str(page.relative_to(example_site))))
        for heading in article.find_all("h3"):
            homes[_attr(heading, "id")] = page
    active = [n for n in example.norms if n.status == "active"]
    assert set(homes) == {n.id for n in active}
    for norm in active:
        article = _article(BeautifulSoup(homes[norm.id].read_text(encoding="utf-8"), "html.parser"))
        section = _section(article, norm.id)
        text = " ".join(element.get_text(" ") for element in section)
        hrefs = [_attr(a, "href") for element in section for a in element.find_all("a", href=True)]
        served = {h.rstrip("/").split("/")[-1] for h in hrefs if "val-" in h or h == "./"}
        own_value = homes[norm.id].parent.name
        served = {own_value if s in {".", ""} else s for s in served}
        assert served == {v.lower() for v in norm.traces_to}, norm.id
        parameters = {
            p.id for p in example.parameters if p.status == "active" and norm.id in p.traces_to
        }
        anchors = {span["id"] for element in section for span in element.find_all("span", id=True)}
        assert parameters <= anchors | set(
            _anchors_on_other_pages(example_site, parameters, homes[norm.id])
        )
        assert norm.id in text


def _anchors_on_other_pages(site: Path, wanted: set[str], page: Path) -> set[str]:
    """A parameter serving two norms is tabled under the first; it is an anchor there."""
    found: set[str] = set()
    for other in (site / "values").glob("val-*/index.html"):
        if other == page:
            continue
        html = other.read_text(encoding="utf-8")
        found |= {p for p in wanted if f'id="{p}"' in html}
    return found


def test_each_channel_page_holds_all_of_its_parameters(
    example_site: Path, example: Handbook
) -> None:
    for channel in example.taxonomy["channels"]:
        article = _article(_page(example_site, f"channels/{channel.id}/index.html"))
        shown = {_attr(span, "id") for span in article.find_all("span", id=True)}
        expected = {
            p.id for p in example.parameters if p.status == "active" and p.channel == channel.id
        }
        assert shown == expected
        headings = {_attr(h, "id") for h in article.find_all("h2")}
        categories = headings - {"norms-that-apply-here"}
        assert categories == {c.id for c in example.taxonomy["categories"]}


def test_each_category_page_holds_all_of_its_parameters(
    example_site: Path, example: Handbook
) -> None:
    for category in example.taxonomy["categories"]:
        article = _article(_page(example_site, f"categories/{category.id}/index.html"))
        shown = {_attr(span, "id") for span in article.find_all("span", id=True)}
        expected = {
            p.id for p in example.parameters if p.status == "active" and p.category == category.id
        }
        assert shown == expected


def test_all_norms_page_lists_every_norm_in_force_by_id(
    example_site: Path, example: Handbook
) -> None:
    article = _article(_page(example_site, "norms/index.html"))
    listed = [_text(row.find("td")) for row in article.select("tbody tr")]
    active = sorted(n.id for n in example.norms if n.status == "active")
    assert listed == active


def test_no_template_leftovers_none_or_empty_sections(example_site: Path) -> None:
    for page in _generated_pages(example_site):
        article = _article(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        text = article.get_text(" ")
        for leftover in ("{{", "}}", "{%", "%}", "{#", "None", "Undefined"):
            assert leftover not in text, (page, leftover)
        for heading in article.find_all(["h2", "h3"]):
            content = _section(article, _attr(heading, "id")) if heading.get("id") else []
            assert any(el.get_text(strip=True) for el in content), (page, heading.get_text())


def test_every_internal_link_resolves(example_site: Path) -> None:
    """On every page, the audit's graph, tables and checklists included: their links are
    written as HTML, which MkDocs does not check or rewrite."""
    pages = sorted(example_site.rglob("index.html"))
    assert len(pages) >= 40
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in _article(soup).find_all("a", href=True):
            href = _attr(a, "href")
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            path, _, fragment = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (page, href)
            if fragment:
                assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), (page, href)


def test_a_parameter_shown_under_two_norms_of_a_page_has_its_id_once(small: Path) -> None:
    """PAR-004 serves two norms that both stand under the value Care: its row is on the value
    page and the printed value twice, its id on the first row only, the second linking to it."""
    norms = small / "standards" / "norms.yml"
    text = norms.read_text(encoding="utf-8")
    for old, new in (("traces_to: [VAL-002, VAL-001]", "traces_to: [VAL-001]"),
                     ("title: Phone greeting\n    traces_to: [NRM-001]",
                      "title: Phone greeting\n    traces_to: [NRM-001, NRM-002]")):  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    norms.write_text(text, encoding="utf-8")
    result = run_cli("build", cwd=small, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    site = small / "site"
    for path in ("values/val-001/index.html", "print/values/val-001/index.html"):
        article = _article(_page(site, path))
        rows = [row for row in article.select("tr") if "PAR-004" in row.get_text()]
        assert len(rows) == 2, path
        assert len(article.select("[id='PAR-004']")) == 1, path
        assert rows[0].select_one("[id='PAR-004']") is not None
        assert rows[1].select_one("a[href='#PAR-004']") is not None, path
    for page in site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), page


def test_search_runs_materials_worker_with_stemming(example_site: Path) -> None:
    """Every page starts the worker that stems typed words, and that worker loads Material's
    own, which must exist in the site (its name changes with each Material release)."""
    config = _page(example_site, "index.html").find("script", id="__config")
    assert config is not None
    worker_path = json.loads(config.get_text())["search"]
    assert worker_path == "assets/javascripts/workers/handbook-search.js"
    worker = (example_site / worker_path).read_text(encoding="utf-8")
    imported = re.match(r'importScripts\("([^"]+)"\);', worker)
    assert imported is not None, worker[:200]
    assert (example_site / "assets/javascripts/workers" / imported[1]).is_file()
    assert "lunr.QueryParser.prototype.parse" in worker
    index = json.loads((example_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"]
    assert "stemmer" in index["config"]["pipeline"]


def test_site_requests_nothing_from_outside_hosts(example_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag):
                url = _attr(element, attribute)
                if not url or (tag == "link" and "stylesheet" not in _attr(element, "rel")):
                    continue
                assert not url.startswith(("http:", "https:", "//")), (page, url)
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "variation",
    [
        {"PYTHONHASHSEED": "12345"},
        # The helpers that make the exports and the last pages' HTML on the other core change
        # the time a build takes, never a byte of what it builds.
        {"HANDBOOK_NO_HELPERS": "1"},
    ],
    ids=["elsewhere-other-hash-seed", "one-process"],
)
def test_two_builds_of_the_same_input_are_byte_identical(
    example_site: Path, tmp_path: Path, variation: dict[str, str]
) -> None:
    project = example_site.parent.parent
    again = copy_handbook(project, tmp_path / "elsewhere")
    shutil.rmtree(again / "site", ignore_errors=True)
    result = run_cli("build", cwd=again, env={**FIXED_EPOCH, **variation})
    assert result.code == 0, result.stderr
    assert _tree_digest(again / "site") == _tree_digest(project / "site")


def test_plain_mkdocs_varies_only_the_sitemap_timestamp(small: Path, tmp_path: Path) -> None:
    """Without SOURCE_DATE_EPOCH MkDocs stamps sitemap.xml.gz with the build time; nothing else
    differs between two builds (sitemap.xml would differ too across midnight)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    digests = []
    for run in range(2):
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / f"site{run}")],
            cwd=small,
            env=env,
            check=True,
        )
        digests.append(_tree_digest(tmp_path / f"site{run}"))
    differing = {path for path in digests[0] if digests[0][path] != digests[1].get(path)}
    assert differing <= {"sitemap.xml.gz", "sitemap.xml"}
    assert digests[0].keys() == digests[1].keys()


def test_a_failed_build_leaves_the_previous_site_intact(small: Path) -> None:
    assert run_cli("build", cwd=small, env=FIXED_EPOCH).code == 0
    before = _tree_digest(small / "site")
    shutil.copy(FIXTURES / "bad" / "unknown-reference.yml", small / "standards" / "zz.yml")
    result = run_cli("build", cwd=small, env=FIXED_EPOCH)
    assert result.code == 1
    assert "error[unknown-reference]" in result.stderr
    assert "the previous site is unchanged" in result.stderr
    assert _tree_digest(small / "site") == before
    # MkDocs itself, through the plugin, stops before it empties the site folder.
    mkdocs = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=small,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert mkdocs.returncode == 1
    assert "standards/zz.yml:7:30: error[unknown-reference]" in mkdocs.stderr
    assert _tree_digest(small / "site") == before
    assert not [p for p in small.iterdir() if p.name.startswith(".site.building")]


def test_languages_build_side_by_side_and_report_errors_once(small: Path) -> None:
    settings = small / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("handbook:\n", "handbook:\n  languages: [en, ru, lv]\n"))
    assert run_cli("build", cwd=small, env=FIXED_EPOCH).code == 0
    before = _tree_digest(small / "site")
    assert {p.name for p in (small / "site").iterdir() if p.is_dir()} == {"en", "ru", "lv"}
    html = _page(small / "site", "lv/index.html").find("html")
    assert isinstance(html, Tag) and _attr(html, "lang") == "lv"
    shutil.copy(FIXTURES / "bad" / "unknown-reference.yml", small / "standards" / "zz.yml")
    result = run_cli("build", cwd=small, env=FIXED_EPOCH)
    assert result.code == 1
    assert result.stderr.count("The handbook's standards have errors") == 1
    assert "the previous site is unchanged" in result.stderr
    assert _tree_digest(small / "site") == before


def test_strict_build_fails_on_warnings(small: Path) -> None:
    shutil.copy(FIXTURES / "bad" / "value-without-norm.yml", small / "standards" / "zz.yml")
    assert run_cli("build", cwd=small, env=FIXED_EPOCH).code == 0
    strict = run_cli("build", "--strict", cwd=small, env=FIXED_EPOCH)
    assert strict.code == 1
    assert "value-without-norm" in strict.stderr


def _override(project: Path, template: str, text: str) -> None:
    """The project overrides a built-in template with its own, in `overrides/`."""
    overrides = project / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / template).write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - handbook\n", "  - handbook:\n      templates: overrides\n"
        ),
        encoding="utf-8",
    )


def test_project_templates_override_the_built_in_ones(small: Path) -> None:
    _override(
        small,
        "home.md.j2",
        "# {{ settings.title | t }}\n\nWelcome to the counter, {{ settings.organisation | t }}.\n",
    )
    assert run_cli("build", cwd=small, env=FIXED_EPOCH).code == 0
    text = _article(_page(small / "site", "index.html")).get_text(" ")
    assert "Welcome to the counter, Small Shop." in text
    assert "Care" in _article(_page(small / "site", "values/val-001/index.html")).get_text()


def test_text_from_yaml_cannot_inject_markup_or_script(small: Path) -> None:
    write_hostile_standards(small / "standards")
    result = run_cli("build", "--strict", cwd=small, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    site = small / "site"
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        scripts = [(_attr(s, "src"), s.string or "") for s in soup.find_all("script")]
        for src, body in scripts:
            assert "alert" not in body, page
            # Only the theme's scripts and the handbook's own (shipped in the package).
            assert not src or "assets/javascripts/" in src or src.endswith("assets/handbook.js")
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                assert not attribute.lower().startswith("on"), (page, element)
                if attribute in {"href", "src"}:
                    assert not str(value).strip().lower().startswith(("javascript:", "data:"))
        article = soup.find("article")
        assert article is not None
        assert not article.find_all(["img", "iframe", "object", "embed"]), page
        assert not article.find_all("form"), page
        for form in article.select("[data-hb-filter]"):  # the template's own list filter
            assert _attr(form, "class") == "hb-filter", page
            allowed = {"fieldset", "legend", "label", "select", "option", "output"}
            assert {element.name for element in form.find_all(True)} <= allowed, page
        for svg in article.find_all("svg"):
            figure = svg.find_parent("figure")
            assert figure is not None and _attr(figure, "class") in {"hb-heatmap", "hb-graph"}
    home = _article(_page(site, "index.html")).get_text()
    assert f"Small Handbook {PAYLOADS[0]}" in home  # the settings' texts
    assert f"Face to face {PAYLOADS[2]}" in home  # a moment of truth's
    value_page = _article(_page(site, "values/val-900/index.html"))
    assert _text(value_page.find("h1")) == PAYLOADS[0]
    breakout = _page(site, f"values/val-9{len(PAYLOADS) - 1:02d}/index.html")
    assert breakout.title is not None
    assert breakout.title.get_text().startswith(PAYLOADS[-1])
    template_page = _article(_page(site, "values/val-906/index.html")).get_text()
    assert "{{ 7 * 7 }} {% raw %} {# note #}" in template_page
    assert "49" not in template_page
    channel_text = _article(_page(site, "channels/phone/index.html")).get_text()
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in " ".join(channel_text.split())


def test_matrix_has_a_row_for_every_active_norm_with_its_values_marked(
    example_site: Path, example: Handbook
) -> None:
    article = _article(_page(example_site, "audit/matrix/index.html"))
    table = article.find("table")
    assert isinstance(table, Tag)
    headers = [_text(th).strip() for th in table.select("thead th")]
    values = [v.id for v in example.values if v.status == "active"]
    assert headers == ["Norm", *values]
    rows = {}
    for tr in table.select("tbody tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        rows[cells[0].split(" ")[0]] = {values[i] for i, c in enumerate(cells[1:]) if c == "●"}
    active = {n.id: set(n.traces_to) for n in example.norms if n.status == "active"}
    assert rows == active


def test_trace_up_lists_each_parameter_once_under_its_moment_of_truth(
    example_site: Path, example: Handbook
) -> None:
    active_norms = {n.id: n for n in example.norms if n.status == "active"}
    found: dict[str, tuple[str, set[str], set[str]]] = {}
    channels = [c for c in example.taxonomy["channels"]]
    headings: list[str] = []
    for article in _list_pages(example_site, "audit/trace/index.html"):
        ups = [h for h in article.find_all("h3") if _attr(h, "id").startswith("up-")]
        headings += [_attr(h, "id") for h in ups if "(continued)" not in h.get_text()]
        for heading in ups:
            channel = _attr(heading, "id").removeprefix("up-")
            for table in (t for t in _section(article, _attr(heading, "id")) if t.name == "table"):
                for tr in table.select("tbody tr"):
                    cells = tr.find_all("td")
                    parameter = cells[0].get_text(" ", strip=True).split(" ")[0]
                    assert parameter not in found
                    linked = [{a.get_text(strip=True) for a in c.find_all("a")} for c in cells]
                    found[parameter] = (channel, linked[3], linked[4])
    assert headings == [f"up-{c.id}" for c in channels]
    expected = {}
    for p in example.parameters:
        if p.status != "active":
            continue
        norms = {n for n in p.traces_to if n in active_norms}
        values = {v for n in norms for v in active_norms[n].traces_to}
        expected[p.id] = (p.channel, norms, values)
    assert found == expected


def test_heat_map_has_every_cell_with_its_count(example_site: Path, example: Handbook) -> None:
    article = _article(_page(example_site, "audit/coverage/index.html"))
    cells = {
        (_attr(g, "data-channel"), _attr(g, "data-category")): int(_attr(g, "data-count"))
        for g in article.select("svg g.hb-heatmap__cell")
    }
    expected = {
        (c.id, k.id): sum(
            1
            for p in example.parameters
            if p.status == "active" and p.channel == c.id and p.category == k.id
        )
        for c in example.taxonomy["channels"]
        for k in example.taxonomy["categories"]
    }
    assert cells == expected
    assert len(cells) == 18
    assert all(_attr(g, "data-required") == "yes" for g in article.select("g.hb-heatmap__cell"))


def test_checklist_has_a_line_for_every_measurable_parameter(
    example_site: Path, example: Handbook
) -> None:
    for channel in example.taxonomy["channels"]:
        article = _article(_page(example_site, f"checklists/{channel.id}/index.html"))
        lines = {_attr(span, "id") for span in article.select("tbody span[id]")}
        measurable = {
            p.id
            for p in example.parameters
            if p.status == "active" and p.channel == channel.id and p.measure is not None
        }
        assert lines == measurable
        for row in article.select("tbody tr"):
            text = row.get_text(" ").replace("\xa0", " ")
            assert "☐ Met ☐ Not met ☐ N/A" in text and "Met when" in text
            assert "NRM-" in text and "VAL-" in text
        # One table per category, in taxonomy order, the lines numbered through all of them.
        numbers = [int(_text(tr.find("td"))) for tr in article.select("tbody tr")]
        assert numbers == list(range(1, len(measurable) + 1))
        categories = {p.id: p.category for p in example.parameters}
        order = [c.id for c in example.taxonomy["categories"]]
        tables = article.find_all("table")
        assert len(tables) == len({categories[line] for line in lines}) > 1
        for table in tables:
            heading = table.find_previous("h2")
            assert isinstance(heading, Tag)
            in_table = {categories[_attr(span, "id")] for span in table.select("span[id]")}
            [category] = in_table
            assert _attr(heading, "id") == category
        seen = [categories[_attr(span, "id")] for span in article.select("tbody span[id]")]
        assert seen == sorted(seen, key=order.index)


def test_graph_draws_every_link_of_the_handbook(example_site: Path, example: Handbook) -> None:
    article = _article(_page(example_site, "audit/graph/index.html"))
    overview = article.find("svg")
    assert isinstance(overview, Tag)
    active = {n.id for n in example.norms if n.status == "active"}
    links = sum(len(n.traces_to) for n in example.norms if n.id in active)
    links += sum(
        len([t for t in p.traces_to if t in active])
        for p in example.parameters
        if p.status == "active"
    )
    assert len(overview.find_all("path")) == links
    assert len(article.find_all("svg")) == 1 + len(example.values)


def test_audit_page_reports_the_result_and_offers_the_downloads(example_site: Path) -> None:
    article = _article(_page(example_site, "audit/index.html"))
    assert "No traceability error" in article.get_text()
    hrefs = {_attr(a, "href") for a in article.find_all("a", href=True)}
    for name in ("traceability.json", "traceability.csv", "traceability.xlsx", "manifest.json"):
        assert f"../audit/downloads/{name}" in hrefs or f"downloads/{name}" in hrefs
        assert (example_site / "audit" / "downloads" / name).stat().st_size > 1000


def test_the_downloads_page_gives_the_size_of_each_file(example_site: Path) -> None:
    article = _article(_page(example_site, "audit/downloads/index.html"))
    rows = {
        _text(row.find("td")): _text(row.find_all("td")[-1]) for row in article.select("tbody tr")
    }
    for name in ("traceability.json", "traceability.csv", "traceability.xlsx", "manifest.json"):
        size = (example_site / "audit" / "downloads" / name).stat().st_size
        assert size > 1000, name
        assert rows[name] == f"{size:,} bytes", (name, rows[name])
    json.loads((example_site / "audit/downloads/traceability.json").read_text(encoding="utf-8"))


def test_search_reads_each_page_without_the_tags_it_ignores_and_finds_the_same(
    example_site: Path,
) -> None:
    """What the handbook hands Material's search (searchtext.py) gives the index Material
    makes of the full page: the same sections, titles and text."""
    lighter_pages = 0
    for page in sorted(example_site.rglob("index.html")):
        content = _article(_page(page.parent, "index.html")).decode_contents()
        lighter = for_search(content)
        if lighter is None:
            continue
        lighter_pages += 1
        assert len(lighter) < len(content)
        indexes = []
        for html in (content, lighter):
            index = SearchIndex()
            index.add_entry_from_context(
                SimpleNamespace(content=html, toc=[], url="page/", meta={}, title="Title")
            )
            indexes.append(index.entries)
        assert indexes[0] == indexes[1], page
    assert lighter_pages > 30


def test_a_block_a_template_hides_in_raw_html_fails_the_build_naming_the_page(
    small: Path,
) -> None:
    _override(
        small,
        "norms.md.j2",
        '# All norms\n\n<div class="x">\n{{ block(h.norms_table, norms) }}\n</div>\n',
    )
    result = run_cli("build", cwd=small, env=FIXED_EPOCH)
    assert result.code != 0
    assert "norms/index.md" in result.stderr
    assert "on a line of its own" in result.stderr


def test_every_link_of_a_site_for_opening_from_disk_leads_to_a_file(small: Path) -> None:
    """`handbook build --offline` makes pages as `.html` files (Material's offline plugin
    turns directory URLs off after the handbook has rendered its pages): links written as
    HTML must follow, as MkDocs' own links do."""
    result = run_cli("build", "--offline", cwd=small, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    site = small / "site"
    pages = sorted(site.rglob("*.html"))
    assert site / "values" / "val-001.html" in pages
    for page in pages:
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("article")
        for a in article.find_all("a", href=True) if isinstance(article, Tag) else []:
            href = _attr(a, "href")
            if href.startswith(("http:", "https:", "mailto:", "#")):
                continue
            target = (page.parent / href.partition("#")[0]).resolve()
            assert target.is_file(), (page, href)
