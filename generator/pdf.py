"""PDF: the whole handbook of one version and language, printed by Chromium.

The print page (`print/index.html`) is laid out for paper by the handbook's print CSS; Chromium
turns it into an A4 PDF with the handbook's title, the version and page numbers in every
footer. Debian's Chromium is used, driven by Playwright; fonts come from the system
(DejaVu covers Latin, Latvian, Turkish and Cyrillic letters).
"""

from __future__ import annotations

import html
import os
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


class PdfError(Exception):
    """Chromium is missing or could not print the page."""


def print_pdf(page: Path, out: Path, footer: str) -> Path:
    """Print the HTML file `page` to `out`; `footer` (plain text) goes on every page."""
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
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
            try:
                tab = browser.new_page()
                tab.goto(page.resolve().as_uri(), wait_until="load")
                tab.emulate_media(media="print")
                tab.pdf(
                    path=str(out),
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
    return out
