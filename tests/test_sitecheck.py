"""The whole built site, every page of every language, checked as outside referees check it.

The example is built as `handbook build` builds it (a folder per language, directory URLs) and
as `handbook build --offline` does (pages as files). Every page is crawled: each link and each
fragment must lead somewhere, and no element id may repeat. The Nu HTML checker reads every
page, and HTML_CodeSniffer (the checker pa11y runs, WCAG 2 AA) one page of every kind in every
language in Chromium. Both come from npm, pinned, installed by `make tools`; only what
Material's own theme writes, and the project cannot change, is left out, each with its reason.
"""

from __future__ import annotations

import collections
import functools
import html.parser
import json
import posixpath
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT, copy_handbook, run_cli
from tests.test_browser import CHROMIUM, LANGUAGES, PAGE_KINDS, _served

pytestmark = pytest.mark.slow

FIXED_EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
REFEREES = ROOT / ".cache" / "npm" / "node_modules"
VNU = REFEREES / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTMLCS = REFEREES / "@pa11y" / "html_codesniffer" / "build" / "HTMLCS.js"
MISSING = "`make tools` installs the outside referees of the built site"


@pytest.fixture(scope="module")
def built(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in its four languages, as `handbook build` makes it."""
    project = copy_handbook(example_project, tmp_path_factory.mktemp("built") / "handbook")
    shutil.rmtree(project / "site", ignore_errors=True)
    result = run_cli("build", "--strict", cwd=project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def offline(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as `handbook build --offline` makes it, to be opened from disk."""
    project = copy_handbook(example_project, tmp_path_factory.mktemp("offline") / "handbook")
    shutil.rmtree(project / "site", ignore_errors=True)
    result = run_cli("build", "--offline", cwd=project, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    return project / "site"


_LINKS = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}


class _Reader(html.parser.HTMLParser):
    """A page's element ids and the addresses it leads to or loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id") is not None:
            self.ids.append(str(found["id"]))
        address = found.get(_LINKS.get(tag, ""))
        if address is not None:
            self.links.append(address)


@functools.cache
def _read(page: Path) -> _Reader:
    reader = _Reader()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_language_and_the_root_have_a_not_found_page(built: Path, offline: Path) -> None:
    for site in (built, offline):
        assert (site / "404.html").is_file()
        for language in LANGUAGES:
            assert (site / language / "404.html").is_file()


@pytest.mark.parametrize("kind", ["directory URLs", "offline"])
def test_no_page_repeats_an_element_id(built: Path, offline: Path, kind: str) -> None:
    site = built if kind == "directory URLs" else offline
    repeated = {}
    for page in _pages(site):
        twice = [id_ for id_, count in collections.Counter(_read(page).ids).items() if count > 1]
        if twice:
            repeated[page.relative_to(site).as_posix()] = twice
    assert len(_pages(site)) > 250
    assert repeated == {}


def _target(site: Path, page: Path, address: str) -> tuple[Path, str] | None:
    """The file a relative address leads to from `page` (a folder's being its index.html), and
    its fragment; None for an address outside the site (another scheme or host)."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        raise AssertionError(f"{page}: {address} leads to the host's root, not the site's")
    if not path:
        return page, unquote(parts.fragment)
    target = Path(posixpath.normpath((page.parent / path).as_posix()))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> tuple[int, list[str]]:
    """Every link and fragment of every page of `site`, not-found pages and the site's root
    pages included: how many lead into the site, and those among them that lead nowhere (to
    no file, or to no element of that id), or out of it."""
    broken: list[str] = []
    checked = 0
    for page in _pages(site):
        for address in _read(page).links:
            found = _target(site, page, address)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            where = f"{page.relative_to(site)}: {address}"
            if not target.is_file() or site.resolve() not in target.resolve().parents:
                broken.append(f"{where} (no file)")
            elif fragment and target.suffix == ".html" and fragment not in _read(target).ids:
                broken.append(f"{where} (no #{fragment} there)")
    return checked, broken


@pytest.mark.parametrize("kind", ["directory URLs", "offline"])
def test_every_link_and_fragment_resolves(built: Path, offline: Path, kind: str) -> None:
    """On every page, not-found pages and the site's root pages included: each page, asset and
    fragment a link names exists. A not-found page is written from its own folder, the root of
    its build; served at another address, its script makes that folder its base (test_browser
    serves it so). The crawl reads the files itself rather than through LinkChecker: from disk,
    LinkChecker reads a folder's address (`values/`) as a directory listing, not as the
    index.html a web server answers with, so the directory-URL site would need a server, and
    this needs no other dependency for the same check of every page, asset and fragment."""
    site = built if kind == "directory URLs" else offline
    checked, broken = broken_links(site)
    assert checked > 10_000
    assert broken == []


# What Material's own templates write, which the project cannot change without copying them:
# (the Nu checker's message, the start of the element it quotes, why it is left out).
MATERIAL_WRITES = [
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        '<input class="md-toggle',
        "base.html: the drawer and search toggles are checkboxes with autocomplete=off, so that "
        "Firefox does not restore them open",
    ),
    (
        "Bad value “” for attribute “tabindex” on element “label”",
        '<label class="md-nav__link',
        "partials/nav-item.html: a section's label has an empty tabindex under navigation.tabs",
    ),
    (
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
        '<label class="md-nav__title" for="__toc">',
        "partials/toc.html: the table of contents' title is a label for a toggle Material "
        "writes only on pages with headings",
    ),
]


def _from_material(message: dict[str, object]) -> bool:
    text = str(message.get("message", ""))
    extract = str(message.get("extract", ""))
    return any(text.startswith(said) and element in extract for said, element, _ in MATERIAL_WRITES)


def _nu_checker(pages: list[Path]) -> list[dict[str, object]]:
    assert VNU.is_file(), MISSING
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
         *map(str, pages)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    messages: list[dict[str, object]] = json.loads(run.stderr)["messages"]
    return messages


def test_the_nu_checker_finds_no_error_in_any_page(built: Path) -> None:
    """Errors and warnings; the root's redirect and not-found pages included."""
    pages = _pages(built)
    messages = _nu_checker(pages)
    assert not [m for m in messages if m["type"] == "non-document-error"]
    found = [
        f"{str(m.get('url', '')).rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
        if not _from_material(m)
    ]
    assert found == []
    # Each reason still stands: the checker still finds what it is left out for.
    for said, element, why in MATERIAL_WRITES:
        assert any(
            str(m["message"]).startswith(said) and element in str(m.get("extract", ""))
            for m in messages
        ), why


def test_the_nu_checker_still_catches_what_the_templates_once_wrote(tmp_path: Path) -> None:
    """The referee is not blind to the mistakes it is here for."""
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>t</title></head><body>'
        '<h1>a</h1><h3>b</h3><figure markdown="0"></figure><p id="x"></p><p id="x"></p>'
        "</body></html>\n",
        encoding="utf-8",
    )
    said = " ".join(str(m["message"]) for m in _nu_checker([page]))
    for mistake in ("“lang”", "“h3”", "“markdown”", "Duplicate ID"):
        assert mistake in said


HTMLCS_KINDS = {
    **PAGE_KINDS,
    "moments of truth": "channels/",
    "categories": "categories/",
    "checklists": "checklists/",
    "printed value": "print/values/val-004/",
    "not found": "404.html",
}

# HTML_CodeSniffer's errors and warnings left out, by code and element (a CSS selector):
# (code, selector, why).
HTMLCS_LEFT_OUT = [
    # Warnings asking a person to judge what a program cannot.
    ("G18.Alpha", "*", "contrast with a transparent colour: axe measures it (test_browser)"),
    ("G18.Abs", "*", "contrast over positioned content: axe measures it (test_browser)"),
    ("G145.Alpha", "*", "contrast with a transparent colour: axe measures it (test_browser)"),
    ("G145.Abs", "*", "contrast over positioned content: axe measures it (test_browser)"),
    ("C32,C31,C33,C38,SCR34,G206", "*", "asks whether fixed content reflows at 320 px"),
    ("H85.2", "select", "asks whether a list's choices form groups (they do not)"),
    # Material's own page frame.
    ("H32.2", "form.md-search__form, form[data-md-component=palette]",
     "Material's search and colour forms act as the reader types or clicks"),
    ("1_3_1.F68", "input#__toc", "Material's hidden toggle of the table of contents"),
    ("InputCheckbox.Name", "input#__toc", "Material's hidden toggle of the table of contents"),
    ("H44.NonExistentFragment", "label[for=__toc]",
     "Material labels the table of contents' toggle on pages without one"),
]  # fmt: skip

RUN_HTMLCS = r"""(leftOut) => new Promise((done) => {
  HTMLCS.process("WCAG2AA", document, () => {
    done(HTMLCS.getMessages()
      .filter((m) => m.type === HTMLCS.ERROR || m.type === HTMLCS.WARNING)
      .filter((m) => !leftOut.some(([code, selector]) =>
        m.code.endsWith("." + code) && m.element instanceof Element && m.element.matches(selector)))
      .map((m) => m.code.split(".").slice(4).join(".") + " " +
        (m.element.outerHTML || "").slice(0, 100).replace(/\s+/g, " ")));
  });
})"""


def _sniffed(site: Path, paths: dict[str, str]) -> list[str]:
    """What HTML_CodeSniffer says of each page (by name) that is not left out."""
    assert HTMLCS.is_file(), MISSING
    sniffer = HTMLCS.read_text(encoding="utf-8")
    left_out = [[code, selector] for code, selector, _ in HTMLCS_LEFT_OUT]
    found: list[str] = []
    with _served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page()
        for name, path in paths.items():
            tab.goto(f"{url}{path}")
            tab.add_script_tag(content=sniffer)
            found.extend(f"{name}: {said}" for said in tab.evaluate(RUN_HTMLCS, left_out))
        browser.close()
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_codesniffer_finds_nothing_in_any_page_kind(built: Path, language: str) -> None:
    """WCAG 2 AA, errors and warnings, as pa11y runs HTML_CodeSniffer."""
    paths = {kind: f"{language}/{path}" for kind, path in HTMLCS_KINDS.items()}
    assert _sniffed(built, paths) == []


def test_html_codesniffer_finds_nothing_in_the_roots_not_found_page(built: Path) -> None:
    assert _sniffed(built, {"the root's not found page": "404.html"}) == []


def test_html_codesniffer_still_catches_what_the_templates_once_wrote(tmp_path: Path) -> None:
    """Bold paragraphs as headings, a data table without a caption, a list as paragraphs."""
    assert HTMLCS.is_file(), MISSING
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        "<body><main><h1>Title</h1><p><strong>Phone</strong></p>"
        "<table><thead><tr><th>Id</th><th>Rule</th></tr></thead>"
        "<tbody><tr><td>A</td><td>B</td></tr></tbody></table>"
        '<p><strong>NRM-1</strong> <a href="#a">one</a><br>- <a href="#b">two</a><br>'
        '- <a href="#c">three</a></p></main></body></html>\n',
        encoding="utf-8",
    )
    with _served(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page()
        tab.goto(f"{url}page.html")
        tab.add_script_tag(content=HTMLCS.read_text(encoding="utf-8"))
        said = " ".join(tab.evaluate(RUN_HTMLCS, []))
        browser.close()
    for code in ("H42", "H39.3.NoCaption", "H48"):
        assert code in said, said
