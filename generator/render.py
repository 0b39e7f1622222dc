"""Render: the model to Markdown pages (and their downloads) through Jinja templates.

Every page is a pure function of the handbook and the audit date, so the same YAML gives
byte-identical output. What goes on which page is decided in `pages.py` and `auditpages.py`;
this module runs the templates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from generator import mdtext
from generator.audit import audit
from generator.auditpages import (
    audit_nav,
    downloads,
    heat,
    manifest_hash,
    plan_audit,
    score,
    wrap,
)
from generator.changespage import changes_nav, plan_changes, plan_print
from generator.i18n import translations
from generator.model import Handbook
from generator.pages import NavEntry, Page, Planner
from generator.releases import ReleaseContext
from generator.trace import link

ASSETS = ("handbook.css", "handbook.js")


@dataclass(frozen=True)
class Rendered:
    """The generated pages (path → Markdown), other generated files (path → bytes: downloads,
    the stylesheet) and the navigation that orders the pages."""

    pages: Mapping[str, str]
    files: Mapping[str, bytes]
    nav: list[NavEntry]


def make_environment(override: Path | None) -> jinja2.Environment:
    """Templates from the project's override folder first, then the package's own."""
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.PackageLoader("generator", "templates"))
    environment = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=mdtext.finalize,
        autoescape=True,  # with `finalize`: text is escaped once, for Markdown and HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.policies["ext.i18n.trimmed"] = True
    environment.filters["paragraphs"] = mdtext.paragraphs
    # For text from YAML passed into a translated sentence: escaped like any printed text.
    environment.filters["md"] = mdtext.finalize
    environment.filters["html"] = mdtext.html
    environment.filters["wrap"] = wrap
    environment.globals["anchor"] = mdtext.anchor
    environment.globals["heat"] = heat
    return environment


def render_handbook(
    handbook: Handbook,
    *,
    today: dt.date,
    override: Path | None = None,
    language: str | None = None,
    releases: ReleaseContext | None = None,
    pdf: bool = False,
) -> Rendered:
    """Every generated page and file of the handbook in one language (by default its default
    one). `today` dates the audit section, so the same day always gives the same site."""
    lang = language or handbook.settings.default_language
    messages = translations(lang)
    planner = Planner(handbook, link(handbook), lang, messages)
    environment = make_environment(override)
    environment.install_gettext_translations(messages, newstyle=True)  # type: ignore[attr-defined]
    environment.filters["t"] = planner.marked_text
    environment.globals.update(
        term=planner.term,
        date=planner.date,
        number=planner.number,
        measure=planner.measure,
        score=lambda parameter: score(planner, parameter),
    )
    files = {f"assets/{name}": _asset(name) for name in ASSETS}
    files.update(downloads(handbook, lang))
    history = releases or ReleaseContext((), None, None, None)
    changes, release_files = plan_changes(planner, history, manifest_hash(files))
    files.update(release_files)
    plan = [
        *planner.plan(),
        *changes,
        *plan_audit(planner, audit(handbook, today=today), files, pdf=pdf),
        plan_print(planner, history, manifest_hash(files), today),
    ]
    pages: dict[str, str] = {}
    for page in plan:
        template = environment.get_template(page.template)
        context: dict[str, Any] = {
            "handbook": handbook,
            "settings": handbook.settings,
            "page_path": page.path,
            "url": planner.url_from(page.path),
            **page.context,
        }
        pages[page.path] = _front_matter(page) + _tidy(template.render(context))
    nav = [*planner.nav(), *changes_nav(), *audit_nav(planner)]
    return Rendered(pages=pages, files=files, nav=nav)


def _asset(name: str) -> bytes:
    return (Path(__file__).parent / "assets" / name).read_bytes()


def _front_matter(page: Page) -> str:
    """The page title as MkDocs metadata, HTML-escaped.

    MkDocs and Material treat page titles as HTML: the navigation prints them as they are, and
    the browser tab title goes through `striptags`, which un-escapes entities. A title from
    `meta.title` is printed as given in both places, so escaping it here once keeps a title
    such as `</title><script>` inert everywhere. JSON strings are valid YAML scalars.
    """
    fields = {"title": str(markupsafe.escape(page.title)), **page.meta}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _tidy(markdown: str) -> str:
    """Templates leave blank-line runs where optional parts were skipped; fold them."""
    text = re.sub(r"\n{3,}", "\n\n", markdown.strip())
    return text + "\n"
