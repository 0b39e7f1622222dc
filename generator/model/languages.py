"""Languages: which codes a handbook can be published in, and which one a misspelt code means.

A language can be published when three things have it: Babel (the language's own name in the
switcher, dates and numbers written its way), Material for MkDocs (the theme's own words, one
file per code in `material/templates/partials/languages/`: `pt-BR` and `zh-TW` are there, `en-GB`
is not), and the search, which every language has: lunr's stemmer where the handbook gives one
(`plugin.SEARCH_LANGUAGES`), else matching by the beginnings of words, as for Latvian. The
generator's own words are translated for some languages (`generator/site/locale/`) and shown in
English in the others. The settings' languages are checked against this in
`generator/rules/languages.py`.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from generator.model.items import LANGUAGE_PATTERN
from generator.model.suggestions import did_you_mean

_CODE = re.compile(LANGUAGE_PATTERN)


@functools.cache
def theme_languages() -> frozenset[str]:
    """The codes Material for MkDocs has its words in, read from the installed theme."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    theme = Path(next(iter(spec.submodule_search_locations)))
    return frozenset(page.stem for page in (theme / "templates/partials/languages").glob("*.html"))


@functools.cache
def unpublishable(code: str) -> str | None:
    """Why the handbook cannot be published in `code`, in a policy owner's words; None if it
    can."""
    if not _CODE.fullmatch(code):
        return "not a language code"
    from babel import Locale, UnknownLocaleError  # only when there are languages to look at

    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return "not a language code that is known"
    if code not in theme_languages():
        return "the site's theme (Material for MkDocs) has no translation into it"
    return None


def code_meant(written: str) -> str | None:
    """The publishable code `written` most likely stands for: `EN` or `english` for `en`,
    `pt_br` for `pt-BR`, `eng` for `en`; None when nothing is close."""
    language, _, region = written.strip().replace("_", "-").partition("-")
    cased = language.lower() + (f"-{region.upper()}" if region else "")
    if cased != written and unpublishable(cased) is None:
        return cased
    if not region:
        from babel import Locale

        names: dict[str, str] = {
            str(name).casefold(): str(code) for code, name in Locale("en").languages.items()
        }
        named = names.get(written.strip().casefold())
        if named is not None and unpublishable(named) is None:
            return named
    if region and unpublishable(language.lower()) is None:
        return language.lower()
    return did_you_mean(cased, sorted(theme_languages()))


def language_hint(written: str) -> str:
    meant = code_meant(written)
    guess = f"Did you mean `{meant}`? " if meant else ""
    return (
        f"{guess}Write a language code the site can be published in: a lowercase language, "
        "then a capital region if the theme has one (`en`, `ru`, `pt-BR`, `zh-TW`)."
    )
