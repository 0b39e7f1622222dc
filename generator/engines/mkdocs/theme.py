"""What the handbook adds to Material's theme in a build: its stylesheet and script, its
template overrides, the captions extension, the words of the outdated-edition banner and of the
printed page's footer, and the not-found page that works at any address."""

from __future__ import annotations

from typing import Any, cast

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import TemplateContext

from generator.site.captions import CaptionExtension
from generator.site.changespage import PRINT_PAGE
from generator.site.folders import THEME
from generator.site.i18n import SOURCE_LANGUAGE as DEFAULT_LANGUAGE
from generator.site.i18n import translations
from generator.site.sitepages import NOT_FOUND, build_root, script, words
from generator.text.mdtext import css_string

STYLESHEET = "assets/handbook.css"
SCRIPT = "assets/handbook.js"


def dress(config: MkDocsConfig, language: str | None, version: str | None) -> None:
    """The handbook's look in this build, in `language` and for the edition `version`."""
    # A paragraph marked `{: .hb-caption }` before a Markdown table becomes its caption.
    config.markdown_extensions = [
        *config.markdown_extensions,
        *(["attr_list"] if "attr_list" not in config.markdown_extensions else []),
        CaptionExtension(),
    ]
    config.extra_css = [*config.extra_css, STYLESHEET]
    config.extra_javascript = [*config.extra_javascript, SCRIPT]
    # The outdated-version banner needs a `main.html` block; a project's own custom_dir
    # (the first theme folder when set) still wins over ours.
    position = 1 if config.theme.custom_dir else 0
    config.theme.dirs.insert(position, str(THEME))
    said = translations(language or DEFAULT_LANGUAGE).gettext
    # Escaped here: the theme prints `extra` values as they are.
    config.extra["handbook_outdated"] = {
        "notice": str(escape(said("This is an earlier edition, kept as it was published."))),
        "link": str(escape(said("Read the edition in force."))),
    }
    # Printed from the browser, every page names the handbook and its edition.
    edition = version or said("not yet published")
    config.extra["handbook_print"] = {
        "footer": str(css_string(f"{config.site_name} · {edition}")),
        "skip": PRINT_PAGE,  # the PDF has its own footer (pdf.py)
    }


def not_found_context(
    context: TemplateContext, config: MkDocsConfig, language: str | None, version: str | None
) -> TemplateContext:
    """A not-found page is served at any address, and an intranet handbook has no
    `site_url` to make its links absolute: MkDocs then writes them from the host's root,
    where the site is not. They are written from the root of this build, where the page is,
    and the page's first script makes that root its base wherever it is shown
    (`sitepages.py`, `assets/notfound.js`)."""
    context["base_url"] = "."
    context["extra_css"] = [normalize_url(path, None, ".") for path in config.extra_css]
    context["extra_javascript"] = [
        normalize_url(str(script), None, ".") for script in config.extra_javascript
    ]
    own = build_root(language, version)
    said = words(language or DEFAULT_LANGUAGE)
    cast(dict[str, Any], context)["handbook_not_found"] = {
        "script": script(),
        "own": own,
        "marker": own + NOT_FOUND,
        "title": said.title,
        "text": said.text,
        "home": said.home,
    }
    return context
