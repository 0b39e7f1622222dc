"""The handbook built without its MkDocs plugin: `handbook render` writes a project for each
language, and stock MkDocs (`mkdocs build --strict`, with no plugin but search) and Zensical
build it as it is. Each built site is crawled as the plugin-built one is (test_sitecheck: every
link and fragment leads somewhere) and read as a reader reads it: every page the plugin build
has, with the same title and the same words. `handbook build --engine zensical` builds the same
way and keeps the previous site when it fails."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, expect

from generator.site.sitepages import words
from generator.source.load import load_handbook
from tests.conftest import FIXTURES, copy_handbook, run_cli
from tests.test_browser import HOSTED_AT, INDIGO, LANGUAGES, MISSING, _home_title, _hosted
from tests.test_browser import browser as browser  # the fixture: Chromium, as a person opens it
from tests.test_sitecheck import FIXED_EPOCH, _target, broken_links

ENGINES = ("mkdocs", "zensical")
ENVIRONMENT = {**FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A program of this environment (`mkdocs`, `zensical`), as a person runs it."""
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        env={**os.environ, **ENVIRONMENT},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in _files(folder).items()}


def _build(engine: str, out: Path, languages: tuple[str, ...], site: Path) -> Path:
    """Each language's project of `out` built by `engine` as its own documentation tells,
    strictly, and put together as the site is published: `<lang>/` each beside the root pages
    `handbook render` wrote, or the one language as the site itself."""
    several = len(languages) > 1
    for language in languages:
        project = out / language
        built = site / language if several else site
        if engine == "mkdocs":
            run = _run(
                "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(built), cwd=project
            )
        else:
            run = _run("zensical", "build", "--strict", "-f", "mkdocs.yml", cwd=project)
            shutil.copytree(project / "site", built)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "WARNING" not in run.stderr, run.stderr
    for page in ("index.html", "404.html") if several else ():
        shutil.copy2(out / page, site / page)
    return site


@pytest.fixture(scope="module")
def project(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_handbook(example_project, tmp_path_factory.mktemp("engines") / "handbook")


@pytest.fixture(scope="module")
def rendered(project: Path) -> Path:
    result = run_cli("render", "out", cwd=project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    return project / "out"


@pytest.fixture(scope="module")
def sites(rendered: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The rendered example built by each engine, from a copy of the project of its own (an
    engine writes into the project: Zensical its site and its cache)."""
    built = {}
    for engine in ENGINES:
        folder = tmp_path_factory.mktemp(engine)
        shutil.copytree(rendered, folder / "out")
        built[engine] = _build(engine, folder / "out", LANGUAGES, folder / "site")
    return built


@pytest.fixture(scope="module")
def plugin_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as `handbook build` makes it, with the plugin."""
    project = copy_handbook(example_project, tmp_path_factory.mktemp("plugin") / "handbook")
    result = run_cli("build", "--strict", cwd=project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    return project / "site"


@pytest.mark.slow
def test_each_language_is_a_project_with_no_plugin_but_search(rendered: Path) -> None:
    assert sorted(p.name for p in rendered.iterdir() if p.is_dir()) == sorted(LANGUAGES)
    for language in LANGUAGES:
        config = yaml.safe_load((rendered / language / "mkdocs.yml").read_text(encoding="utf-8"))
        assert [next(iter(plugin)) for plugin in config["plugins"]] == ["search"]
        assert config["theme"]["language"] == language
        assert config["site_name"] == "Meridian Service Standards"
        assert {link["lang"] for link in config["extra"]["alternate"]} == set(LANGUAGES)
        assert "assets/handbook.css" in config["extra_css"]
        assert (
            rendered / language / "docs" / "audit" / "downloads" / "traceability.xlsx"
        ).is_file()
    # The Russian edition has the Russian hand-written page in the English one's place.
    russian = (rendered / "ru" / "docs" / "about.md").read_text(encoding="utf-8")
    assert russian == (rendered.parent / "docs" / "ru" / "about.md").read_text(encoding="utf-8")
    assert not (rendered / "ru" / "docs" / "ru").exists()
    assert 'content="0; url=en/"' in (rendered / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_rendering_again_gives_the_same_bytes_and_leaves_nothing_of_before(
    project: Path, rendered: Path
) -> None:
    first = _files(rendered)
    again = run_cli("render", "again", cwd=project, env=FIXED_EPOCH)
    assert again.code == 0, again.stderr
    assert _files(project / "again") == first
    # Into the same folder: a page that is no longer made goes with the rest.
    stale = project / "again" / "en" / "docs" / "values" / "val-099" / "index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("# Gone\n", encoding="utf-8")
    assert run_cli("render", "again", cwd=project, env=FIXED_EPOCH).code == 0
    assert _files(project / "again") == first
    assert list(project.glob(".again.building-*")) == []


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_every_link_and_fragment_of_the_built_project_resolves(
    sites: dict[str, Path], engine: str
) -> None:
    checked, broken = broken_links(sites[engine])
    assert checked > 10_000
    assert broken == []


def _shown(page: Path) -> tuple[str, str] | None:
    """What a reader sees of a page: its title, and the words of its content with the spacing
    left aside (an engine spaces highlighted code its own way); None for a page without
    content (the root's redirect)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    if article is None or soup.title is None:
        return None
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    return soup.title.get_text(), "".join(article.get_text().split())


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_shows_every_page_the_plugin_build_shows(
    sites: dict[str, Path], plugin_site: Path, engine: str
) -> None:
    pages = [p.relative_to(plugin_site) for p in sorted(plugin_site.rglob("*.html"))]
    assert len(pages) > 250
    different = []
    for page in pages:
        built = sites[engine] / page
        assert built.is_file(), page
        if _shown(plugin_site / page) != _shown(built):
            different.append(page.as_posix())
    assert different == []
    assert sum(_shown(plugin_site / page) is not None for page in pages) > 250


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_a_reader_switches_language_and_meets_missing_pages_as_in_the_plugin_build(
    browser: Browser, sites: dict[str, Path], engine: str
) -> None:
    """Served from a folder of a host that shows the nearest not-found page: the switcher
    opens the same page in the other language (not that language's home, where the theme's
    own script would send the reader), and a missing address at any depth shows the
    language's not-found page, styled, its link leading home."""
    tab = browser.new_page()
    with _hosted(sites[engine], HOSTED_AT, "nearest") as url:
        tab.goto(f"{url}en/values/val-001/")
        tab.locator("a.md-select__link[hreflang=ru]").dispatch_event("click")
        tab.wait_for_url(f"{url}ru/values/val-001/")
        expect(tab.locator("h1")).to_have_text(re.compile("Клиентоориентированность"))
        for language in ("en", "ru"):
            home = f"{url}{language}/"
            for missing in MISSING:
                response = tab.goto(home + missing)
                assert response is not None and response.status == 404
                expect(tab.locator("h1")).to_have_text(str(words(language).title))
                header = tab.locator(".md-header").evaluate(
                    "e => getComputedStyle(e).backgroundColor"
                )
                assert header == INDIGO, missing
            tab.locator("article").get_by_role("link").click()
            tab.wait_for_url(home)
            expect(tab.locator("h1")).to_have_text(_home_title(language))
    tab.close()


def _norm_page(site: Path, language: str) -> BeautifulSoup:
    return BeautifulSoup(
        (site / language / "values" / "val-001" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )


@pytest.mark.slow
def test_handbook_build_with_zensical_makes_the_handbook_a_reader_knows(
    example_project: Path, tmp_path: Path
) -> None:
    project = copy_handbook(example_project, tmp_path / "handbook")
    result = run_cli("build", "--engine", "zensical", "--strict", cwd=project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    assert "zensical (ru): No issues found" in result.stderr
    site = project / "site"
    handbook = load_handbook(project / "standards").handbook
    assert handbook is not None
    norm = next(n for n in handbook.norms if n.id == "NRM-001")
    assert isinstance(norm.title, dict) and isinstance(norm.statement, dict)
    for language in LANGUAGES:
        page = _norm_page(site, language)
        assert page.html is not None and page.html["lang"] == language
        heading = page.find(id="NRM-001")
        assert heading is not None and norm.title[language] in heading.get_text()
        said = " ".join(page.get_text().split())
        assert " ".join(norm.statement[language].split()) in said
    # The language switcher leads to the same page in each language.
    russian = site / "ru" / "values" / "val-001" / "index.html"
    for link in _norm_page(site, "ru").select("a.md-select__link[hreflang]"):
        found = _target(site, russian, str(link["href"]))
        assert found is not None
        assert found[0] == site / str(link["hreflang"]) / "values" / "val-001" / "index.html"
    # The site's root sends the reader to the default language; every link leads somewhere.
    assert 'content="0; url=en/"' in (site / "index.html").read_text(encoding="utf-8")
    checked, broken = broken_links(site)
    assert checked > 10_000 and broken == []
    assert list(project.glob(".site.building-*")) == []


@pytest.mark.slow
def test_a_failed_zensical_build_leaves_the_previous_site_byte_for_byte(small: Path) -> None:
    assert run_cli("build", "--engine", "zensical", cwd=small, env=FIXED_EPOCH).code == 0
    before = _digests(small / "site")
    assert (small / "site" / "values" / "val-001" / "index.html").is_file()
    # Zensical itself refuses: a hand-written link to no page, built strictly.
    about = small / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Gone](gone.md)\n", encoding="utf-8")
    refused = run_cli("build", "--engine", "zensical", "--strict", cwd=small, env=FIXED_EPOCH)
    assert refused.code == 1
    assert "build failed, the previous site is unchanged" in refused.stderr
    assert "Zensical could not build the edition in en" in refused.stderr
    assert "about.md:" in refused.stderr and "Traceback" not in refused.stderr
    assert "\x1b" not in refused.stderr
    # The standards have an error.
    (small / "standards" / "zz-more.yml").write_text(
        "norms:\n  - id: NRM-009\n    title: Smile\n    statement: Smile.\n"
        "    traces_to: [VAL-404]\n",
        encoding="utf-8",
    )
    invalid = run_cli("build", "--engine", "zensical", cwd=small, env=FIXED_EPOCH)
    assert invalid.code == 1
    assert "build failed, the previous site is unchanged" in invalid.stderr
    assert "zz-more.yml:5:" in invalid.stderr
    for _ in (refused, invalid):
        assert _digests(small / "site") == before
        assert list(small.glob(".site.building-*")) == []


def test_without_zensical_the_build_says_what_to_install(small: Path) -> None:
    """As where Zensical is not installed: the module cannot be found."""
    hidden = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['zensical'] = None; sys.argv[0] = 'handbook';"
            "from generator.cli import entry; entry()",
            "build",
            "--engine",
            "zensical",
        ],
        cwd=small,
        env={**os.environ, **ENVIRONMENT},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert hidden.returncode == 1
    [line] = hidden.stderr.splitlines()
    assert line.startswith("handbook build: Zensical is not installed")
    assert "pip install 'service-handbook[zensical]'" in line
    assert not (small / "site").exists()


def test_render_replaces_only_a_folder_it_wrote(small: Path) -> None:
    mine = small / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me\n", encoding="utf-8")
    result = run_cli("render", "notes", cwd=small)
    assert result.code == 1
    assert "notes holds files that `handbook render` did not write" in result.stderr
    assert _files(mine) == {"todo.txt": b"keep me\n"}
    # An empty folder, or one it wrote, is its to replace.
    (small / "empty").mkdir()
    assert run_cli("render", "empty", cwd=small).code == 0
    assert run_cli("render", "empty", cwd=small).code == 0


def test_render_refuses_a_hand_written_page_where_the_handbook_writes_one(small: Path) -> None:
    (small / "docs" / "values").mkdir()
    (small / "docs" / "values" / "index.md").write_text("# Mine\n", encoding="utf-8")
    result = run_cli("render", "out", cwd=small)
    assert result.code == 1
    assert "docs/values/index.md and the generated values/index.md" in result.stderr
    assert "values/index.html" in result.stderr
    assert not (small / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_a_project_without_directory_urls_builds_as_files(tmp_path: Path, engine: str) -> None:
    """`use_directory_urls: false`: each page is a file (`values/val-001.html`), and the links
    in its HTML are written for that; one language, so the project is the site itself."""
    project = copy_handbook(FIXTURES / "small", tmp_path / "small")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8"
    )
    assert run_cli("render", "out", cwd=project, env=FIXED_EPOCH).code == 0
    out = project / "out"
    assert (out / "en" / "docs" / "values" / "val-001.md").is_file()
    assert re.search(
        r'href="\.\./channels/phone\.html',
        (out / "en" / "docs" / "values" / "val-001.md").read_text(encoding="utf-8"),
    )
    site = _build(engine, out, ("en",), tmp_path / "site")
    assert (site / "values" / "val-001.html").is_file()
    checked, broken = broken_links(site)
    assert checked > 100
    assert broken == []


def test_render_says_what_is_wrong_with_mkdocs_yml(small: Path) -> None:
    config = small / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "docs_dir: nowhere\n", encoding="utf-8")
    result = run_cli("render", "out", cwd=small)
    assert result.code == 1
    assert "handbook render: mkdocs.yml: Aborted with a configuration error!" in result.stderr
    assert "'docs_dir'" in result.stderr and "Traceback" not in result.stderr
    assert not (small / "out").exists()


def test_each_language_takes_its_own_hand_written_pages_whatever_the_order(small: Path) -> None:
    """The default language need not come first among `languages`: each build has its own
    translation of a hand-written page, and no build has another language's folder."""
    settings = small / "standards" / "handbook.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "  organisation: Small Shop\n",
            "  organisation: Small Shop\n  default_language: en\n  languages: [ru, lv, en]\n",
        ),
        encoding="utf-8",
    )
    (small / "docs" / "ru").mkdir()
    russian = "# Наш магазин\n"
    (small / "docs" / "ru" / "about.md").write_text(russian, encoding="utf-8")
    result = run_cli("render", "out", cwd=small)
    assert result.code == 0, result.stderr
    out = small / "out"
    english = (small / "docs" / "about.md").read_bytes()
    assert (out / "ru" / "docs" / "about.md").read_text(encoding="utf-8") == russian
    assert (out / "en" / "docs" / "about.md").read_bytes() == english
    assert (out / "lv" / "docs" / "about.md").read_bytes() == english  # not translated yet
    for language in ("en", "ru", "lv"):
        assert not (out / language / "docs" / "ru").exists()
    # The site's home sends the reader to the default language, as `handbook build` does.
    assert 'content="0; url=en/"' in (out / "index.html").read_text(encoding="utf-8")
