"""The pages of a site that no handbook page makes: its root's home and the not-found pages.

A web server shows a not-found page at whatever address was asked for. Each language's build
has its own (`ru/404.html`, `ru/1.1/404.html` when released), and the site's root another
(`404.html`): a static host such as GitHub Pages looks for the root's alone, others for the
nearest one up the address. None can know its address when it is built, so each is written from
the root of its build and finds that root when it is shown (`assets/notfound.js`). The root's
page stands alone (its style is in the page): it sends the reader to each language's home, in
the handbook's default language, as the root's home page sends them to the default language.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from markupsafe import Markup, escape

from generator.site.folders import asset_text
from generator.site.i18n import translations

NOT_FOUND = "404.html"


def script() -> Markup:
    """The script that finds the page's base, to be written inline first in its <head>."""
    return Markup(asset_text("notfound.js"))


def build_root(language: str | None, version: str | None) -> str:
    """The folder of a build from the site's root: `ru/1.1/` for Russian released as 1.1, `ru/`
    unreleased, `1.1/` for a handbook in one language, or the root itself."""
    return (f"{language}/" if language else "") + (f"{version}/" if version else "")


@dataclass(frozen=True)
class Words:
    """What a not-found page says, in one language, escaped for HTML."""

    title: Markup
    text: Markup
    home: Markup
    languages: Markup


def words(language: str) -> Words:
    _ = translations(language).gettext  # `make messages` finds the words by this name
    return Words(
        title=escape(_("Page not found")),
        text=escape(
            _(
                "There is no page at this address: it may have moved, or the address may be "
                "mistyped."
            )
        ),
        home=escape(_("Go to the home page")),
        languages=escape(_("Read the handbook in:")),
    )


def language_name(language: str) -> str:
    """A language's name in that language (`Русский`; `pt-BR` "português (Brasil)"), as the
    language switcher shows it. Codes are written with a hyphen, as in HTML, where Babel's
    default separator is `_`."""
    locale = Locale.parse(language, sep="-")
    return locale.get_display_name(locale) or language


_ROOT_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<script data-own="" data-marker="{marker}">{script}</script>
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title} · {site}</title>
<style>
body {{ margin: 0; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica,
  Arial, sans-serif; color: rgba(0, 0, 0, .87); line-height: 1.6; }}
header {{ background: #4051b5; color: #fff; padding: .9rem 1.5rem; font-size: 1.1rem;
  font-weight: 700; }}
main {{ max-width: 40rem; margin: 2.5rem auto; padding: 0 1.5rem; }}
h1 {{ font-weight: 300; font-size: 2rem; color: rgba(0, 0, 0, .54); margin: 0 0 1.25rem; }}
a {{ color: #303fa1; }}
</style>
</head>
<body>
<header>{site}</header>
<main>
<h1>{title}</h1>
<p>{text}</p>
<p>{choose}</p>
<ul>
{links}
</ul>
</main>
</body>
</html>
"""


def root_page(site_name: str, languages: tuple[str, ...], *, offline: bool = False) -> str:
    """The site root's not-found page: in the first (default) language, a link to the home of
    each. `languages` empty: a handbook in one language released with versions (`1.1/`), whose
    home is the root itself. From disk (`offline`) a folder is not a page: its index.html is
    named."""
    default = languages[0] if languages else None
    said = words(default or "en")
    index = "index.html" if offline else ""
    if languages:
        marker = f"{languages[0]}/index.html"
        homes = [(language_name(lang), f"{lang}/{index}", lang) for lang in languages]
        choose = said.languages
    else:
        marker = "versions.json"  # mike's list of the versions, beside their folders
        homes = [(site_name, f"./{index}", default or "")]
        choose = said.home
    links = "\n".join(
        f'<li><a href="{escape(href)}"'
        + (f' hreflang="{lang}" lang="{lang}"' if lang else "")
        + f">{escape(name)}</a></li>"
        for name, href, lang in homes
    )
    return _ROOT_PAGE.format(
        language=escape(default or "en"),
        marker=escape(marker),
        script=script(),
        title=said.title,
        site=escape(site_name),
        text=said.text,
        choose=choose,
        links=links,
    )


REDIRECT = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body><a href="{target}">{target}</a></body>
</html>
"""


def redirect_page(site_name: str, language: str, target: str) -> str:
    """The site root's home: sends the reader to the default language's home."""
    return REDIRECT.format(
        language=escape(language), title=escape(site_name), target=escape(target)
    )
