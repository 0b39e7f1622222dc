"""The handbook in a real browser (Debian's Chromium, driven by Playwright), as employees use it.

The example is released twice (1.0, then 1.1) in its four languages into a site branch, and
that branch is served on localhost exactly as a static intranet server would serve it. A test
that cannot start the browser fails: it never skips.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Page, Request, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from generator.model.items import Settings
from generator.site.sitepages import words
from generator.source.load import load_handbook
from tests.conftest import ROOT, git, init_repository, run_cli
from tests.hostile import write_hostile_standards

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LANGUAGES = ("en", "ru", "lv", "tr")
# One page of every kind the generator makes, and a hand-written one.
PAGE_KINDS = {
    "home": "",
    "value": "values/val-004/",
    "values": "values/",
    "channel": "channels/phone/",
    "category": "categories/speed/",
    "norms": "norms/",
    "changes": "changes/",
    "audit": "audit/",
    "matrix": "audit/matrix/",
    "trace": "audit/trace/",
    "coverage": "audit/coverage/",
    "gaps": "audit/gaps/",
    "graph": "audit/graph/",
    "downloads": "audit/downloads/",
    "checklist": "checklists/phone/",
    "roles": "roles/",
    "role": "roles/contact-centre/",
    "role checklist": "checklists/delivery/phone/",
    "about": "about/",
    "print": "print/",
}


@pytest.fixture(scope="module")
def site(released: Path) -> Iterator[str]:
    """The example released as 1.0 and 1.1, served from its site branch on localhost."""
    with _served(released) as url:
        yield url


@pytest.fixture(scope="module")
def released(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of the example's site branch after releasing 1.0 and 1.1."""
    work = tmp_path_factory.mktemp("browser")
    repo = work / "handbook"
    shutil.copytree(example_project, repo, ignore=shutil.ignore_patterns("site"))
    init_repository(repo, "1.0")
    assert run_cli("release", "1.0", "--date", "2026-01-10", cwd=repo).code == 0
    values = repo / "standards" / "values.yml"
    values.write_text(
        values.read_text(encoding="utf-8").replace("Bad news comes from us first.",
                                                    "Bad news always comes from us first."),
        encoding="utf-8",
    )  # fmt: skip
    git(repo, "commit", "-q", "-am", "1.1")
    released = run_cli("release", "1.1", "--date", "2026-03-10", cwd=repo)
    assert released.code == 0, released.stderr
    served = work / "served"
    served.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, check=True,
                             capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(served)], input=archive, check=True)
    return served


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    """`folder` as a web site on this machine, as an intranet server would serve it."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextlib.contextmanager
def _hosted(folder: Path, prefix: str, not_found: str) -> Iterator[str]:
    """`folder` served under the path `prefix` (`intranet/handbook/`), as a static host does,
    answering a missing address with a not-found page: `root`, the site root's own `404.html`
    (GitHub Pages); `nearest`, the first `404.html` up the address (Cloudflare Pages, an Apache
    `ErrorDocument` in each folder)."""

    class Host(QuietHandler):
        def translate_path(self, path: str) -> str:
            asked = urllib.parse.urlsplit(path).path
            if not asked.startswith(f"/{prefix}"):
                return str(folder.with_name(folder.name + "-outside"))  # nothing is there
            return super().translate_path("/" + asked[len(prefix) + 1 :])

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            page = self._not_found_page() if code == 404 else None
            if page is None:
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _not_found_page(self) -> Path | None:
            asked = Path(self.translate_path(self.path))
            if folder not in asked.parents:
                return None
            if not_found == "root":
                return folder / "404.html"
            for up in asked.parents:
                if (up / "404.html").is_file():
                    return up / "404.html"
                if up == folder:
                    break
            return None

    handler = functools.partial(Host, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Chromium is missing: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A tab that records every request to a host other than this machine (none can succeed
    here: the machine has no route to the internet, so a recorded request is a failure)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            outside.append(request.url)

    # Watched, not intercepted: intercepting every request also reroutes the search worker's
    # own download of its index, which then at times never arrives.
    context.on("request", watch)
    tab = context.new_page()
    tab.outside = outside  # type: ignore[attr-defined]
    yield tab
    context.close()


def _url(site: str, language: str, path: str, version: str = "1.1") -> str:
    return f"{site}{language}/{version}/{path}"


def test_a_reader_follows_the_trace_down_and_back_up(page: Page, site: str) -> None:
    page.goto(site)
    page.wait_for_url(re.compile(r"/en/1\.1/$"))
    page.locator("article").get_by_role("link", name="No surprises", exact=True).click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^No surprises"))
    page.locator(".md-tabs").get_by_role("link", name="All norms").click()
    page.get_by_role("link", name="NRM-014", exact=True).click()
    expect(page).to_have_url(re.compile(r"values/val-004/#NRM-014$"))
    expect(page.locator("#NRM-014")).to_be_in_viewport()
    page.goto(_url(site, "en", "channels/phone/"))
    row = page.locator("tr", has=page.locator("#PAR-045"))
    if row.count() == 0:  # PAR-045 is face to face: take the first phone parameter instead
        row = page.locator("tbody tr").first
    row.get_by_role("link").first.click()
    norm = page.url.rsplit("#", 1)[1]
    assert norm.startswith("NRM-")
    serves = page.locator(f"#{norm} ~ .hb-norm-head").first.get_by_role("link").first
    serves.click()
    expect(page.locator("h1")).to_be_visible()
    assert "/values/val-" in page.url
    assert page.outside == []  # type: ignore[attr-defined]


HOME_VISIT = {
    "en": "Call ahead before every home visit",
    "ru": "Звоните заранее перед каждым визитом к клиенту домой",
    "lv": "Piezvaniet pirms katra mājas apmeklējuma",
    "tr": "Her ev ziyaretinden önce arayıp haber verin",  # noqa: RUF001
}
SEARCHES = [
    # (language, what a reader types, why it must find the home-visit norm). English, Russian
    # and Turkish are stemmed: a form of a word that is not on the page finds the page.
    ("en", "unannounced", "the word as written: the index holds its stem"),
    ("en", "unannou", "half a word, as it is being typed"),
    ("ru", "предупреждение", "the page says «без предупреждения»"),
    ("ru", "предупрежд", "half a word, as it is being typed"),
    ("tr", "ziyaretleri", "the page says «ziyaretinden»"),
    ("tr", "ziyar", "half a word, as it is being typed"),
    # Latvian has no stemmer in lunr: words are found by their beginning.
    ("lv", "māj apmeklēj", "the page says «mājās», «apmeklējuma»"),
]


@pytest.mark.parametrize(("language", "query", "why"), SEARCHES)
def test_search_finds_a_norm_from_a_word_of_it(
    page: Page, site: str, language: str, query: str, why: str
) -> None:
    _search(page, query, _url(site, language, ""))
    expect(page.locator(".md-search-result"), why).to_contain_text(HOME_VISIT[language])


@functools.cache
def _example_titles() -> dict[str, dict[str, str]]:
    """Each item's title by id, in each language, as the example's YAML writes it."""
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return {
        item.id: item.title if isinstance(item.title, dict) else {"en": item.title}
        for item in handbook.items()
    }


# (what a reader types, the item whose section it must find). Every language's search keeps
# what is written in Latin script and digits: Russian's own trimmer drops both, Turkish's the
# digits, and the reader of any edition types ids and the company's name as they are written.
LATIN_SCRIPT = [
    ("NRM-012", "NRM-012"),
    ("PAR-038", "NRM-012"),  # a parameter's row is in its norm's section
    ("nrm-012", "NRM-012"),
    ("Meridian", "VAL-006"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("query", "item"), LATIN_SCRIPT)
def test_search_finds_ids_and_latin_script_names_in_every_language(
    page: Page, site: str, language: str, query: str, item: str
) -> None:
    title = _example_titles()[item][language]
    _search(page, query, _url(site, language, ""))
    expect(page.locator(".md-search-result"), query).to_contain_text(title)


def _search(page: Page, query: str, url: str | None = None) -> None:
    """Type a query as a reader does. The index is built in a worker after the page loads, and
    a query typed before it is ready is not run again: type it again until results show; if
    the worker never answers, load the page again, as a reader would."""
    said = []
    for _ in range(3):
        if url is not None:
            page.goto(url)
        search = page.locator("input.md-search__input")
        search.click()
        results = page.locator(".md-search-result__item")
        for _ in range(10):
            # Material reads the box on `keyup` (and once, when its index is ready); `fill`,
            # like typing a letter missing from the keyboard, sends no key event: a key does.
            search.fill("")
            search.fill(query)
            search.press("End")
            try:
                results.first.wait_for(state="visible", timeout=2_000)
                return
            except PlaywrightTimeoutError:
                continue
        said.append(page.locator(".md-search-result__meta").inner_text())
        if url is None:
            break
    raise AssertionError(f"no search results for {query!r}; the search said {said!r}")


def test_version_selector_and_outdated_banner(page: Page, site: str) -> None:
    page.goto(_url(site, "en", "values/val-004/", version="1.0"))
    banner = page.locator("[data-md-component=outdated]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("earlier edition")
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text="1.1").click()
    page.wait_for_url(re.compile(r"/en/1\.1/values/val-004/$"))
    expect(page.locator("[data-md-component=outdated]")).to_be_hidden()


def test_language_switcher_keeps_the_page_and_the_version(page: Page, site: str) -> None:
    page.goto(_url(site, "en", "values/val-004/", version="1.0"))
    page.locator("button[aria-label='Select language']").hover()
    page.locator("a.md-select__link[hreflang=ru]").click()
    page.wait_for_url(re.compile(r"/ru/1\.0/values/val-004/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^Никаких сюрпризов"))
    # ... and the version selector, in Russian, keeps the language.
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text="1.1").click()
    page.wait_for_url(re.compile(r"/ru/1\.1/values/val-004/$"))


@pytest.mark.parametrize(("path", "selector"), [("audit/coverage/", ".hb-heatmap svg"),
                                                 ("audit/graph/", ".hb-graph svg")])  # fmt: skip
def test_heat_map_and_graph_are_drawn(page: Page, site: str, path: str, selector: str) -> None:
    page.goto(_url(site, "en", path))
    picture = page.locator(selector).first
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert picture.locator("rect").count() > 10


@pytest.mark.parametrize(("width", "height", "label"), [(1280, 900, "desktop"),
                                                        (390, 844, "phone")])  # fmt: skip
def test_screenshots_of_the_pages_people_read(
    browser: Browser, site: str, width: int, height: int, label: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    for name, path in (("home", ""), ("value", "values/val-004/"),
                       ("channel", "channels/phone/"), ("heatmap", "audit/coverage/")):  # fmt: skip
        tab.goto(_url(site, "en", path))
        shot = ARTIFACTS / f"{name}-{label}.png"
        tab.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_kind_passes_axe_and_requests_nothing_outside(
    page: Page, site: str, language: str
) -> None:
    axe = Axe()
    found = {}
    for kind, path in PAGE_KINDS.items():
        page.goto(_url(site, language, path))
        result = axe.run(page)
        serious = [
            (v["id"], len(v["nodes"]))
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[kind] = serious
    assert found == {}
    assert page.outside == []  # type: ignore[attr-defined]


DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  if (!e) return "";
  return [e.getAttribute("href") || "", e.className || "", e.getAttribute("aria-label") || ""]
    .join("|");
}"""


def test_the_keyboard_reaches_search_version_language_and_every_link(page: Page, site: str) -> None:
    page.goto(_url(site, "en", "values/val-004/"))
    page.locator(".md-version").wait_for()
    reached: list[str] = []
    for _ in range(500):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(DESCRIBE_FOCUS))
    joined = "\n".join(reached)
    assert "md-search__input" in joined
    assert "md-version__current" in joined
    assert "Select language" in joined
    links = page.locator("article a[href]")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    reached_hrefs = {item.split("|", 1)[0] for item in reached}
    assert hrefs <= reached_hrefs


def test_no_payload_from_the_yaml_runs_in_a_readers_browser(browser: Browser, small: Path) -> None:
    """Every page of a handbook whose every text carries a script payload, opened as a reader
    opens it: no dialog opens, no payload's mark is set, no page fails to run its own script."""
    write_hostile_standards(small / "standards")
    built = run_cli("build", "--strict", cwd=small)
    assert built.code == 0, built.stderr
    pages = sorted(p.relative_to(small / "site") for p in (small / "site").rglob("index.html"))
    assert len(pages) > 20
    context = browser.new_context()
    dialogs: list[str] = []
    errors: list[str] = []
    tab = context.new_page()

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", record)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    with _served(small / "site") as url:
        for page in pages:
            tab.goto(url + page.parent.as_posix() + "/")
            tab.wait_for_load_state("load")
            tab.mouse.move(200, 300)  # for `onmouseover` payloads
            assert tab.evaluate("typeof document$ !== 'undefined'"), page  # Material ran
    context.close()
    assert dialogs == []
    assert errors == []


PAGE_OBJECT = re.compile(rb"/Type\s*/Page[^s]")


def _page_count(pdf: bytes) -> int:
    return len(PAGE_OBJECT.findall(pdf))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_release_offers_a_pdf_of_the_whole_handbook(
    page: Page, site: str, language: str
) -> None:
    page.goto(_url(site, language, "audit/downloads/"))
    link = page.locator("article a[href$='handbook.pdf']")
    expect(link).to_have_count(1)
    response = page.request.get(_url(site, language, "audit/downloads/handbook.pdf"))
    assert response.ok
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    # A cover and contents, then a page or more for every norm in force.
    assert _page_count(pdf) > 35
    if language == "en":
        # No page of the site holds the whole handbook; the PDF does, from its print parts.
        text = " ".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        in_force = {
            n.id
            for n in load_handbook(ROOT / "standards").handbook.norms  # type: ignore[union-attr]
            if n.status == "active"
        }
        assert {norm for norm in in_force if norm not in text} == set()


def test_each_release_offers_a_pdf_of_each_jobs_rules(page: Page, site: str) -> None:
    page.goto(_url(site, "en", "roles/delivery/"))
    expect(page.locator("article a[href$='audit/downloads/roles/delivery.pdf']")).to_have_text(
        "this job's rules"
    )
    texts = {}
    for role in ("delivery", "contact-centre"):
        response = page.request.get(_url(site, "en", f"audit/downloads/roles/{role}.pdf"))
        assert response.ok, role
        reader = pypdf.PdfReader(io.BytesIO(response.body()))
        texts[role] = " ".join(sheet.extract_text() for sheet in reader.pages)
        assert "Meridian Service Standards · 1.1" in texts[role]
    assert "NRM-018" in texts["delivery"] and "NRM-018" not in texts["contact-centre"]
    assert "PAR-068" in texts["contact-centre"] and "PAR-068" not in texts["delivery"]


@pytest.mark.parametrize("path", ["values/val-004/", "channels/phone/", "checklists/phone/"])
def test_a_page_printed_from_the_browser_names_the_edition_on_every_sheet(
    page: Page, site: str, path: str
) -> None:
    """A reader prints a page with the browser's own Print: no menus, every sheet says which
    handbook and edition it is from and its page number, and a value's norms each start a
    sheet of their own."""
    page.goto(_url(site, "en", path, version="1.0"))
    norms = page.locator("article h3[id^='NRM-']").all_inner_texts()
    sheets = [
        sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    ]
    assert len(sheets) >= 1
    for number, sheet in enumerate(sheets, 1):
        assert "Meridian Service Standards · 1.0" in sheet, (number, sheet[:200])
        assert f"{number} / {len(sheets)}" in sheet
        assert "Table of contents" not in sheet and "Type to start searching" not in sheet
    tops = [" ".join(sheet.splitlines()[1:3]) for sheet in sheets]
    for title in norms:
        assert any(top.startswith(title.strip()[:30]) for top in tops), (title, tops)
    if path.startswith("values/"):
        assert len(norms) >= 2


def test_handbook_pdf_prints_a_built_site(small: Path, tmp_path: Path) -> None:
    assert run_cli("build", cwd=small).code == 0
    result = run_cli("pdf", "--out", str(tmp_path / "pdf"), cwd=small)
    assert result.code == 0, result.stderr
    pdf = (tmp_path / "pdf" / "handbook.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert _page_count(pdf) >= 3  # the cover and contents, then one page per norm


def test_the_site_works_opened_from_disk(
    browser: Browser, example_project: Path, tmp_path: Path
) -> None:
    project = tmp_path / "offline"
    shutil.copytree(example_project, project, ignore=shutil.ignore_patterns("site"))
    result = run_cli("build", "--offline", cwd=project)
    assert result.code == 0, result.stderr
    home = (project / "site" / "index.html").as_uri()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(home)
    tab.wait_for_url(re.compile(r"/en/index\.html$"))
    tab.locator("article").get_by_role("link", name="No surprises", exact=True).click()
    expect(tab.locator("h1")).to_have_text(re.compile(r"^No surprises"))
    tab.locator("button[aria-label='Select language']").hover()
    tab.locator("a.md-select__link[hreflang=tr]").click()
    tab.wait_for_url(re.compile(r"/tr/values/val-004\.html$"))
    context.close()
    # Search runs in a web worker, which Chromium refuses to start from a file:// page unless
    # told to allow it (Firefox allows it); with that, the index built into the page is used.
    local = browser.browser_type.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--allow-file-access-from-files"]
    )
    tab = local.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(home)
    tab.wait_for_url(re.compile(r"/en/index\.html$"))
    _search(tab, "unannounced")
    local.close()


def test_a_reader_picks_their_job_on_the_home_page_and_narrows_its_rules(
    page: Page, site: str
) -> None:
    page.goto(_url(site, "en", ""))
    page.locator(".hb-roles").get_by_role("link", name="Delivery and installation crews").click()
    page.wait_for_url(re.compile(r"/en/1\.1/roles/delivery/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^Delivery and installation crews"))
    rows = page.locator("tr[data-hb-row]")
    total = rows.count()
    assert total > 20
    form = page.locator("[data-hb-filter]")
    expect(form).to_be_visible()  # the script shows the filter; without it the page is whole
    form.locator("select[name=channel]").select_option("phone")
    visible = page.locator("tr[data-hb-row]:visible")
    on_phone = visible.count()
    assert 0 < on_phone < total
    for cell in visible.locator("td:first-child span[id]").all():
        assert (
            page.locator(
                f"tr[data-hb-row][data-hb-channel=phone] span[id='{cell.get_attribute('id')}']"
            ).count()
            == 1
        )
    expect(page.locator("h2#written")).to_be_hidden()  # a heading over nothing left is hidden
    form.locator("select[name=category]").select_option("speed")
    narrowed = page.locator("tr[data-hb-row]:visible")
    assert 0 < narrowed.count() <= on_phone
    for row in narrowed.all():
        assert row.get_attribute("data-hb-channel") == "phone"
        assert row.get_attribute("data-hb-category") == "speed"
    expect(form.locator("output")).to_contain_text(
        f"of {rows.count() + page.locator('li[data-hb-row]').count()} shown"
    )
    # The choice is in the address, for the next page of a list, a reload or a shared link.
    page.wait_for_url(re.compile(r"/roles/delivery/\?channel=phone&category=speed$"))
    page.reload()
    expect(form.locator("select[name=category]")).to_have_value("speed")
    assert page.locator("tr[data-hb-row]:visible").count() == narrowed.count()
    form.locator("select[name=channel]").select_option("")
    form.locator("select[name=category]").select_option("")
    assert page.locator("tr[data-hb-row]:visible").count() == total
    page.locator("article").get_by_role("link", name="Phone and video").first.click()
    page.wait_for_url(re.compile(r"/checklists/delivery/phone/$"))
    expect(page.locator("h1")).to_contain_text("Delivery and installation crews")


def test_without_script_a_role_page_is_the_whole_list(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(_url(site, "en", "roles/contact-centre/"))
    expect(tab.locator("[data-hb-filter]")).to_be_hidden()
    assert (
        tab.locator("tr[data-hb-row]").count()
        == tab.locator("tr[data-hb-row]:visible").count()
        > 20
    )
    context.close()


def test_the_filter_works_opened_from_disk(
    browser: Browser, example_project: Path, tmp_path: Path
) -> None:
    project = tmp_path / "offline"
    shutil.copytree(example_project, project, ignore=shutil.ignore_patterns("site"))
    assert run_cli("build", "--offline", cwd=project).code == 0
    tab = browser.new_page()
    tab.goto((project / "site" / "en" / "index.html").as_uri())
    tab.locator(".hb-roles").get_by_role("link", name="Store staff").click()
    tab.wait_for_url(re.compile(r"/en/roles/store\.html$"))
    tab.locator("[data-hb-filter] select[name=channel]").select_option("written")
    shown = tab.locator("tr[data-hb-row]:visible")
    assert shown.count() > 0
    assert {row.get_attribute("data-hb-channel") for row in shown.all()} == {"written"}
    tab.close()


def test_an_old_link_to_a_norm_on_a_later_page_of_its_value_still_opens_it(
    browser: Browser, tmp_path: Path
) -> None:
    from benchmarks.synthetic import write
    from tests.test_paging import crowd_first_value

    project = write(tmp_path / "synthetic", 150)
    crowd_first_value(project, 150)
    assert run_cli("build", cwd=project).code == 0
    first = project / "site" / "values" / "val-0001" / "index.html"
    moved = re.findall(r'data-hb-moved="(NRM-\d+)', first.read_text(encoding="utf-8"))
    assert moved, "150 norms and 750 parameters of one value fill two pages"
    with _served(project / "site") as url:
        tab = browser.new_page()
        tab.goto(f"{url}values/val-0001/#{moved[-1]}")
        tab.wait_for_url(re.compile(rf"/values/val-0001/2/#{moved[-1]}$"))
        expect(tab.locator(f"[id='{moved[-1]}']")).to_be_visible()
        tab.close()


# A site served from a folder of an intranet host, not from its root: a not-found page written
# with links from the host's root would lose its style and every link there.
HOSTED_AT = "intranet/handbook/"
MISSING = ["no-such-page", "values/no-such-value/", "values/val-004/gone/further/deeper.html"]
INDIGO = "rgb(64, 81, 181)"  # the header, as the theme (and the root page's own style) draws it


@pytest.fixture(scope="module")
def built(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as `handbook build` makes it: a folder per language, no versions."""
    project = tmp_path_factory.mktemp("built") / "handbook"
    shutil.copytree(example_project, project, ignore=shutil.ignore_patterns("site"))
    result = run_cli("build", cwd=project)
    assert result.code == 0, result.stderr
    return project / "site"


def _home_title(language: str) -> re.Pattern[str]:
    """The heading of the home page in `language` (followed by its permalink)."""
    settings = _example_settings()
    title = settings.title if isinstance(settings.title, str) else settings.title[language]
    return re.compile(f"^{re.escape(title)}")


@functools.cache
def _example_settings() -> Settings:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return handbook.settings


def _built_or_released(kind: str, built: Path, released: Path) -> tuple[Path, str]:
    """The site's folder, and a build's folder under it without its language."""
    return (built, "") if kind == "built" else (released, "1.1/")


@pytest.mark.parametrize("kind", ["built", "released"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_address_in_a_language_shows_its_not_found_page_styled_and_linked(
    browser: Browser, built: Path, released: Path, kind: str, language: str
) -> None:
    """Served by a host that shows the nearest not-found page: the language's own, at any
    depth, in its language, styled, its links and its language switcher working."""
    folder, version = _built_or_released(kind, built, released)
    tab = browser.new_page()
    with _hosted(folder, HOSTED_AT, "nearest") as url:
        home = f"{url}{language}/{version}"
        for missing in MISSING:
            response = tab.goto(home + missing)
            assert response is not None and response.status == 404
            expect(tab.locator("h1")).to_have_text(str(words(language).title))
            header = tab.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
            assert header == INDIGO, missing
            switcher = tab.locator("a.md-select__link").evaluate_all(
                "links => links.map(a => [a.hreflang, a.href])"
            )
            assert switcher == [[other, f"{url}{other}/{version}"] for other in LANGUAGES]
            tabs = tab.locator(".md-tabs a").evaluate_all("links => links.map(a => a.href)")
            assert f"{home}values/" in tabs and f"{home}norms/" in tabs
        if version:  # Material found versions.json from the base, not from the address
            expect(tab.locator(".md-version__current")).to_have_text(re.compile(r"^1\.1"))
            # Under the alias, the nearest page is the version's own, not mike's redirect.
            alias = f"{url}{language}/latest/{MISSING[1]}"
            response = tab.goto(alias)
            assert response is not None and response.status == 404
            expect(tab.locator("h1")).to_have_text(str(words(language).title))
            assert tab.url == alias
            home_link = tab.locator("article").get_by_role("link")
            assert home_link.evaluate("a => a.href") == home
        tab.locator("article").get_by_role("link").click()
        tab.wait_for_url(home)
        expect(tab.locator("h1")).to_have_text(_home_title(language))
        other = LANGUAGES[(LANGUAGES.index(language) + 1) % len(LANGUAGES)]
        tab.goto(f"{home}{MISSING[1]}")
        tab.locator(f"a.md-select__link[hreflang={other}]").dispatch_event("click")
        tab.wait_for_url(f"{url}{other}/{version}")
        expect(tab.locator("h1")).to_have_text(_home_title(other))
    tab.close()


@pytest.mark.parametrize("kind", ["built", "released"])
@pytest.mark.parametrize("not_found", ["root", "nearest"])
def test_a_missing_address_at_the_root_shows_the_roots_not_found_page(
    browser: Browser, built: Path, released: Path, kind: str, not_found: str
) -> None:
    """At the site's root, and anywhere when the host shows the root's page alone (GitHub
    Pages): a page in the default language, styled, leading to each language's home."""
    folder, version = _built_or_released(kind, built, released)
    missing = ["no-such-page", "a/b/c/", "values/val-004/"]
    if not_found == "root":
        missing += [f"ru/{version}{MISSING[1]}", f"tr/{version}{MISSING[2]}"]
    tab = browser.new_page()
    with _hosted(folder, HOSTED_AT, not_found) as url:
        for address in missing:
            response = tab.goto(url + address)
            assert response is not None and response.status == 404
            expect(tab.locator("h1")).to_have_text(str(words(LANGUAGES[0]).title))
            header = tab.locator("header").evaluate("e => getComputedStyle(e).backgroundColor")
            assert header == INDIGO, address
            homes = tab.locator("main a").evaluate_all(
                "links => links.map(a => [a.hreflang, a.href])"
            )
            assert homes == [[language, f"{url}{language}/"] for language in LANGUAGES]
        tab.locator("main a[hreflang=lv]").click()
        tab.wait_for_url(f"{url}lv/{version}")
        expect(tab.locator("h1")).to_have_text(_home_title("lv"))
    tab.close()


def test_a_handbook_in_one_language_has_a_working_not_found_page(
    browser: Browser, small: Path
) -> None:
    """One language, no versions: the site's root is the build's root, and its page is there."""
    assert run_cli("build", cwd=small).code == 0
    tab = browser.new_page()
    with _hosted(small / "site", HOSTED_AT, "root") as url:
        for missing in MISSING:
            response = tab.goto(url + missing)
            assert response is not None and response.status == 404
            expect(tab.locator("h1")).to_have_text(str(words("en").title))
            header = tab.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
            assert header == INDIGO, missing
        links = tab.locator("nav.md-nav--primary a").evaluate_all("links => links.map(a => a.href)")
        assert f"{url}values/" in links
        tab.locator("article").get_by_role("link").click()
        tab.wait_for_url(url)
        expect(tab.locator("h1")).to_have_text(re.compile("^Small Handbook"))
    tab.close()
