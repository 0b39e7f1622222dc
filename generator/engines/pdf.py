"""PDF: the whole handbook of one version and language, printed by Chromium.

The print page (`print/index.html`) is laid out for paper by the handbook's print CSS; Chromium
turns it into an A4 PDF with the handbook's title, the version and page numbers in every
footer. Debian's Chromium is used, driven by Playwright; fonts come from the system
(DejaVu covers Latin, Latvian, Turkish and Cyrillic letters).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Sequence
from pathlib import Path

from generator.system.filesystem import FileSystemError, write_whole

CHROMIUM_ARGS = (
    # Without the background-networking flags Chromium keeps trying hosts this machine cannot
    # reach; as root it needs --no-sandbox.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")
"""Chromium dates the PDF by the clock; only the 14 digits are replaced, so every byte
offset in the file (its cross-reference table) stays right."""


_SELF_CONTAINED = """() => {
  for (const link of document.querySelectorAll("a[href]")) {
    const url = new URL(link.href, document.baseURI);
    const path = url.pathname.replace(/\\/(index\\.html)?$/, "").split("/").pop() || "";
    let fragment = url.hash.slice(1);
    try { fragment = decodeURIComponent(fragment); } catch (malformed) { /* keep it raw */ }
    const target = [fragment, path.toUpperCase()]
      .find(id => id && document.getElementById(id));
    if (target) {
      link.setAttribute("href", "#" + target);
    } else if (url.protocol === "file:") {
      link.removeAttribute("href");
    }
  }
}"""
"""Links in the PDF go to the place in the PDF where the rule is (`values/val-004/#NRM-014`
becomes `#NRM-014`); a link to a page the PDF does not hold becomes plain text. Otherwise
Chromium writes them as `file://` links into the folder of the machine that printed it:
broken for every reader, and different on every checkout."""


class PdfError(Exception):
    """Chromium is missing or could not print the page."""


_PART = re.compile(
    r'<a [^>]*?data-hb-part[^>]*?href="([^"]*)"|<a [^>]*?href="([^"]*)"[^>]*?data-hb-part'
)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_APPEND = """(parts) => {
  const article = document.querySelector("article.md-content__inner");
  for (const part of parts) article.insertAdjacentHTML("beforeend", part);
  for (const style of document.querySelectorAll('style[media="print"]')) {
    if (style.textContent.includes("@bottom")) style.remove();  // the PDF has its own footer
  }
}"""


def parts_of(page: Path) -> list[Path]:
    """The built pages a printed document is made of: `page`, then each page it lists as one
    of its parts (`data-hb-part`: the print page's values, a paged list's later pages), in
    order. No single page of the site holds a whole handbook of ten thousand norms; the PDF
    does."""
    text = page.read_text(encoding="utf-8")
    found = [page.resolve()]
    for match in _PART.finditer(text):
        target = html.unescape(match.group(1) or match.group(2)).partition("#")[0]
        if not target:
            continue
        path = (page.parent / target).resolve()
        if path.is_dir() or target.endswith("/"):
            path = path / "index.html"
        if path not in found:
            found.append(path)
    return found


def chromium(program: Path) -> Path:
    """The Chromium program that prints; pip cannot install it, so say how to get one."""
    if not program.is_file():
        raise PdfError(
            f"no Chromium at {program}: install Debian's chromium package (apt-get install "
            "chromium), or set HANDBOOK_CHROMIUM to the path of a Chromium or Chrome program"
        )
    return program


def print_pdf(
    page: Path, out: Path, footer: str, program: Path, created: dt.datetime | None = None
) -> Path:
    """Print the HTML file `page` and its parts (`parts_of`) as one PDF to `out`."""
    return print_pdfs([(page, out)], footer, program, created)[0]


def print_pdfs(
    documents: Sequence[tuple[Path, Path]],
    footer: str,
    program: Path,
    created: dt.datetime | None = None,
) -> list[Path]:
    """Print each (page, PDF) pair, all in one run of Chromium; `footer` (plain text) goes on
    every sheet.

    `created` (the commit's or the release's date) replaces the clock in the PDF's dates, so
    that the same site prints the same bytes."""
    from playwright.sync_api import Error, sync_playwright

    chromium(program)
    template = (
        '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;'
        'justify-content:space-between;font-family:sans-serif">'
        f"<span>{html.escape(footer)}</span>"
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )
    written = []
    try:
        with sync_playwright() as playwright:
            # In UTC, the dates' zone is always `+00'00'`, whatever the machine's zone.
            browser = playwright.chromium.launch(
                executable_path=program, args=list(CHROMIUM_ARGS), env={**os.environ, "TZ": "UTC"}
            )
            try:
                for page, out in documents:
                    parts = parts_of(page)
                    tab = browser.new_page()
                    tab.goto(parts[0].as_uri(), wait_until="load")
                    tab.emulate_media(media="print")
                    tab.evaluate(_APPEND, [_article(part) for part in parts[1:]])
                    tab.evaluate(_SELF_CONTAINED)
                    printed = tab.pdf(
                        format="A4",
                        print_background=True,
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=template,
                        margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                    )
                    tab.close()
                    out.parent.mkdir(parents=True, exist_ok=True)
                    write_whole(out, printed if created is None else dated(printed, created))
                    written.append(out)
            finally:
                browser.close()
    except Error as error:
        raise PdfError(str(error)) from None
    except OSError as error:
        raise PdfError(str(FileSystemError.of("printing the PDF", error))) from None
    return written


def _article(page: Path) -> str:
    """The content of a built page: what is inside its article, without the theme around it."""
    found = _ARTICLE.search(page.read_text(encoding="utf-8"))
    if found is None:
        raise PdfError(f"{page}: no article to print in this page")
    return found.group(1)


def dated(pdf: bytes, created: dt.datetime) -> bytes:
    stamp = created.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S").encode("ascii")
    return _PDF_DATE.sub(lambda found: b"/" + found[1] + b" (D:" + stamp, pdf)
