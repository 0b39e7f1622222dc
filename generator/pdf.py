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
from pathlib import Path

CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


def print_pdf(page: Path, out: Path, footer: str, created: dt.datetime | None = None) -> Path:
    """Print the HTML file `page` to `out`; `footer` (plain text) goes on every page.

    `created` (the commit's or the release's date) replaces the clock in the PDF's dates, so
    that the same site prints the same bytes."""
    from playwright.sync_api import Error, sync_playwright

    if not Path(CHROMIUM).is_file():
        raise PdfError(f"no Chromium at {CHROMIUM}; install Debian's chromium package")
    out.parent.mkdir(parents=True, exist_ok=True)
    template = (
        '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;'
        'justify-content:space-between;font-family:sans-serif">'
        f"<span>{html.escape(footer)}</span>"
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )
    try:
        with sync_playwright() as playwright:
            # In UTC, the dates' zone is always `+00'00'`, whatever the machine's zone.
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=_ARGS, env={**os.environ, "TZ": "UTC"}
            )
            try:
                tab = browser.new_page()
                tab.goto(page.resolve().as_uri(), wait_until="load")
                tab.emulate_media(media="print")
                tab.evaluate(_SELF_CONTAINED)
                printed = tab.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=template,
                    margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                browser.close()
    except Error as error:
        raise PdfError(str(error)) from None
    out.write_bytes(printed if created is None else dated(printed, created))
    return out


def dated(pdf: bytes, created: dt.datetime) -> bytes:
    stamp = created.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S").encode("ascii")
    return _PDF_DATE.sub(lambda found: b"/" + found[1] + b" (D:" + stamp, pdf)


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), as the build set it; None if unset."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else None
