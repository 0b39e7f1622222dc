"""The settings' languages: each one the site can be built in, listed once, the default and the
required ones among them. What can be published is known in `generator.model.languages`."""

from __future__ import annotations

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Handbook
from generator.model.languages import language_hint, unpublishable
from generator.rules.registry import Model, checks
from generator.text.printable import shown


@checks(Rule.BAD_LANGUAGE)
def settings_languages(model: Model) -> list[Diagnostic]:
    return language_problems(model.handbook)


def languages_usable(handbook: Handbook) -> bool:
    """Whether texts can be checked against the settings' languages: not when those are in
    error, since every text would then be reported against languages the settings did not
    mean."""
    return handbook.languages_read and not language_problems(handbook)


def language_problems(handbook: Handbook) -> list[Diagnostic]:
    """What is wrong with the languages of the settings, each where it is written: a code that
    cannot be published, one listed twice, a default or required language not among them.
    Nothing when the languages could not be read: their own error is reported."""
    settings, origin = handbook.settings, handbook.settings_origin
    if origin is None or not handbook.languages_read:
        return []
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
