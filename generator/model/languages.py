"""Languages: which codes a handbook can be published in, and what its settings say of them.

A language can be published when three things have it: Babel (the language's own name in the
switcher, dates and numbers written its way), Material for MkDocs (the theme's own words, one
file per code in `material/templates/partials/languages/`: `pt-BR` and `zh-TW` are there, `en-GB`
is not), and the search, which every language has: lunr's stemmer where the handbook gives one
(`plugin.SEARCH_LANGUAGES`), else matching by the beginnings of words, as for Latvian. The
generator's own words are translated for some languages (`generator/site/locale/`) and shown in
English in the others.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import LANGUAGE_PATTERN, Origin, Settings
from generator.model.suggestions import did_you_mean
from generator.text.printable import shown

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


def settings_problems(settings: Settings, origin: Origin) -> list[Diagnostic]:
    """What is wrong with the languages of the settings, each where it is written: a code that
    cannot be published, one listed twice, a default or required language not among them."""
    problems: list[Diagnostic] = []
    listed: dict[str, int] = {}
    for index, code in enumerate(settings.languages):
        at = origin.of("languages", index)
        if code in listed:
            problems.append(
                Diagnostic(
                    Rule.BAD_LANGUAGE,
                    at,
                    f"`{code}` is listed twice in `languages` (first as entry {listed[code] + 1})",
                    "Remove the second one.",
                    (code,),
                )
            )
            continue
        listed[code] = index
        reason = unpublishable(code)
        if reason is not None:
            problems.append(
                Diagnostic(
                    Rule.BAD_LANGUAGE,
                    at,
                    f"`languages` has `{shown(code)}`: {reason}",
                    language_hint(code),
                    (code,),
                )
            )
    if problems:
        return problems  # the default or a required language may be the one misspelt there
    default = settings.default_language
    if default not in listed:
        written = (*origin.path, "default_language") in origin.positions
        problems.append(
            Diagnostic(
                Rule.BAD_LANGUAGE,
                origin.of("default_language" if written else "languages"),
                f"the default language `{default}` is not among `languages` "
                f"({', '.join(settings.languages) or 'none'})",
                f"Add `{default}` to `languages`, or set `default_language:` to one of them.",
                (default,),
            )
        )
    for index, code in enumerate(settings.required_languages):
        if code not in listed:
            problems.append(
                Diagnostic(
                    Rule.BAD_LANGUAGE,
                    origin.of("required_languages", index),
                    f"the required language `{code}` is not among `languages`",
                    f"Add `{code}` to `languages`, or remove it from `required_languages`.",
                    (code,),
                )
            )
    return problems
