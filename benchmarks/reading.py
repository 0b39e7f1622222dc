"""How heavy the built handbook's pages are for the employees who open them.

Every page of a built site (the folder `handbook build` writes) is sorted into a kind by its
path, with item ids and page numbers generalised: `values/val-0001/` is `values/*`,
`channels/phone/2/` (the second page of a long list) is `channels/*/N`,
`checklists/store/phone/` is `checklists/*/*`, `audit/trace/` stays `audit/trace`, the site's
first page is `home`. Paths count from the folder of their own build:
a site in several languages (`<site>/<lang>/…`) gives the same kinds for each language, and the
largest of all stands for the kind. For the largest page of each kind: its bytes, its elements
(start tags, counted with the standard library's HTML parser) and the seconds headless Chromium
takes to open it from a local web server, from the start of the navigation to the end of the
page's load event (Navigation Timing's `loadEventEnd`), each time in a fresh browser context
with the cache disabled; the median of `runs` loads.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import math
import os
import re
import statistics
import threading
import time
from collections.abc import Collection, Generator, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from generator.engines.pdf import CHROMIUM_ARGS
from generator.system.environment import read_environment

# Sections whose pages below are pages of their own (the audit's matrix, trace …, the print
# section's values/): below any other section a page is one of many alike, for an item or a
# term (a value, a channel, a role …), and its name is an id wherever else it occurs too.
FIXED_SECTIONS = frozenset({"audit", "print"})
ITEM_ID = re.compile(r"[a-z]+-\d+", re.IGNORECASE)  # val-0001, nrm-00042, par-000123
LOAD_END = "() => performance.getEntriesByType('navigation')[0]?.loadEventEnd || 0"


class Page(NamedTuple):
    kind: str
    path: str  # relative to the site folder, as a URL path is
    bytes: int


class Reading(NamedTuple):
    kind: str
    path: str
    bytes: int
    elements: int
    seconds: float  # the median load; inf when a load reached the timeout, nan when one failed


def _parts(path: str) -> list[str] | None:
    """The folders of the page at `path` ("/"-separated), None for MkDocs' 404 page."""
    parts = path.split("/")
    name = parts.pop()
    if name == "404.html":
        return None
    if name != "index.html":
        parts.append(name.removesuffix(".html"))  # use_directory_urls: false
    return parts


def page_kind(path: str, ids: Collection[str] = ()) -> str | None:
    """The kind of the page at `path` (relative to its build's folder, "/"-separated), or None
    for a page no reader opens on purpose (MkDocs' 404 page). Generalised: a page number
    (2, 3 …) to N; to * every name below a section not in FIXED_SECTIONS, and below one that
    is, an item id or a name in `ids` (the ids of the site's pages of the other sections:
    `largest_pages` gathers them)."""
    parts = _parts(path)
    if parts is None:
        return None
    kind = []
    for depth, part in enumerate(parts):
        if depth > 0 and part.isdigit() and int(part) >= 2:
            kind.append("N")  # a continuation page: <page>/<n>/
        elif depth > 0 and (
            parts[0] not in FIXED_SECTIONS or part in ids or ITEM_ID.fullmatch(part)
        ):
            kind.append("*")
        else:
            kind.append(part)
    return "/".join(kind) or "home"


def _is_redirect(file: Path, size: int) -> bool:
    """A page that only sends the reader on (the root page of a site in several languages)."""
    if size > 4096:
        return False
    return b'http-equiv="refresh"' in file.read_bytes().lower()


def largest_pages(site: Path) -> list[Page]:
    """The largest page of each kind in the built site `site`, sorted by kind."""
    site = site.resolve()
    roots: dict[Path, Path] = {}

    def root(folder: Path) -> Path:
        """The folder of the build `folder` belongs to: the nearest one with MkDocs' 404 page."""
        if folder not in roots:
            if folder == site or (folder / "404.html").is_file():
                roots[folder] = folder
            else:
                roots[folder] = root(folder.parent)
        return roots[folder]

    found: list[tuple[Path, str]] = []  # each page and its path in its build
    for file in sorted(site.rglob("*.html")):
        if file.is_file():
            found.append((file, file.relative_to(root(file.parent)).as_posix()))
    ids: set[str] = set()
    for _, path in found:
        parts = _parts(path)
        if parts is not None and len(parts) > 1 and parts[0] not in FIXED_SECTIONS:
            ids.update(part for part in parts[1:] if not part.isdigit())
    largest: dict[str, Page] = {}
    for file, path in found:
        kind = page_kind(path, ids)
        size = file.stat().st_size
        if kind is None or _is_redirect(file, size):
            continue
        if kind not in largest or size > largest[kind].bytes:
            largest[kind] = Page(kind, file.relative_to(site).as_posix(), size)
    return [largest[kind] for kind in sorted(largest)]


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count += 1  # <br/> too: handle_startendtag calls this


def count_elements(html: str) -> int:
    """The elements of an HTML document: its start tags (none inside scripts and styles)."""
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.count


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a tab closed before a download ended (the search index, say)


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` as a web site on 127.0.0.1 at a free port: the URL of its root."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def open_seconds(browser: Browser, url: str, timeout: float) -> float:
    """Seconds from navigation start to the end of the load event of `url`, opened in a fresh
    context with the cache disabled; inf when it takes longer than `timeout` seconds, nan when
    the page fails to open (a crashed tab)."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        devtools = context.new_cdp_session(tab)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        deadline = time.monotonic() + timeout
        try:
            tab.goto(url, wait_until="load", timeout=timeout * 1000)
            # The load event has fired; its end is recorded once its handlers have run.
            left = max(1.0, deadline - time.monotonic())
            end = tab.wait_for_function(LOAD_END, timeout=left * 1000).json_value()
        except PlaywrightTimeoutError:
            return math.inf
        except PlaywrightError:
            return math.nan
        seconds = float(end) / 1000
        return seconds if seconds <= timeout else math.inf
    finally:
        context.close()


def _median(loads: list[float]) -> float:
    if any(math.isnan(s) for s in loads):
        return math.nan
    if any(math.isinf(s) for s in loads):
        return math.inf
    return statistics.median(loads)


def read(
    site: Path,
    pages: Iterable[Page],
    runs: int = 3,
    timeout: float = 180.0,
    once_over: int | None = None,
) -> Generator[Reading, None, None]:
    """Count and open each of `pages` of `site` (see `largest_pages`), one after the other:
    `runs` loads each, but one for a page of more than `once_over` bytes, and no more after a
    load that failed or reached the timeout. The browser and the server live while the
    generator does: close it (contextlib.closing) when not reading it to the end."""
    site = site.resolve()
    with served(site) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=read_environment(os.environ).chromium, args=list(CHROMIUM_ARGS)
        )
        try:
            for page in pages:
                elements = count_elements((site / page.path).read_text(encoding="utf-8"))
                url = root + quote(page.path.removesuffix("index.html"))
                loads: list[float] = []
                for _ in range(1 if once_over is not None and page.bytes > once_over else runs):
                    loads.append(open_seconds(browser, url, timeout))
                    if not math.isfinite(loads[-1]):
                        break
                yield Reading(page.kind, page.path, page.bytes, elements, _median(loads))
        finally:
            browser.close()


def measure(
    site: Path, runs: int = 3, timeout: float = 180.0, once_over: int | None = None
) -> list[Reading]:
    """The largest page of each kind of the built site `site`, counted and opened (see `read`),
    sorted by kind."""
    return list(read(site, largest_pages(site), runs, timeout, once_over))
