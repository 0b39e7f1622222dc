"""Texts: every translatable text of the handbook, and what a reader would miss in one.

A text is plain (in the default language) or a map from language to text. A text that is empty
or blank in every language says nothing; a map without the default language has nothing to
fall back on; a language the handbook does not publish is never shown; a published language a
text lacks (or leaves blank) is shown in the default language, marked.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import (
    SECTION_NOUN,
    Handbook,
    Item,
    Location,
    Norm,
    Origin,
    Parameter,
    Settings,
    Term,
    Text,
    Value,
)
from generator.rules.languages import languages_usable
from generator.rules.registry import Model, checks

TextPath = tuple[str | int, ...]

_TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    Value: ("title", "statement", "rationale"),
    Norm: ("title", "statement", "rationale"),
    Parameter: ("title", "requirement"),
    Settings: ("title", "organisation", "introduction"),
}
_TERM_TEXT_FIELDS = ("title", "description")


def texts_of(entry: Term | Item | Settings) -> Iterator[tuple[TextPath, Text]]:
    """Every translatable text of an entry, with its path in the YAML."""
    names = _TERM_TEXT_FIELDS if isinstance(entry, Term) else _TEXT_FIELDS[type(entry)]
    for name in names:
        text = getattr(entry, name)
        if text is not None:
            yield (name,), text
    if isinstance(entry, Norm):
        for kind in ("do", "dont"):
            for index, text in enumerate(getattr(entry.examples, kind)):
                yield ("examples", kind, index), text
    if isinstance(entry, Parameter) and entry.measure is not None:
        yield ("measure", "metric"), entry.measure.metric
        if entry.measure.unit is not None:
            yield ("measure", "unit"), entry.measure.unit


_NOTHING = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u3164\ufeff\uffa0"
)
"""What a text can be made of and still show nothing: spaces and line breaks of every kind,
and the characters that take no room (zero-width spaces and joiners, byte-order marks, bidi
marks, Hangul fillers)."""


def _blank(text: str) -> bool:
    return not text.strip(_NOTHING)


@dataclass
class TextCheck:
    """The checks of every text against the settings' languages, one entry at a time.

    `languages_usable` is false when the languages of the settings are themselves in error:
    then only emptiness is checked, since every text would otherwise be reported against
    languages the settings did not mean."""

    settings: Settings
    languages_usable: bool

    def __post_init__(self) -> None:
        default = self.settings.default_language
        self.default = default
        self.published = frozenset(self.settings.languages)
        self.others = (
            [lang for lang in self.settings.languages if lang != default]
            if self.languages_usable
            else []
        )
        self.required = frozenset(self.settings.required_languages)
        self.unpublished: dict[str, list[Location]] = {}
        """Where each language that is not published was written, for one report per language."""

    def entry(
        self,
        origin: Origin,
        owner: str,
        texts: Iterator[tuple[TextPath, Text]],
        *,
        languages: bool = True,
        unread: frozenset[str] = frozenset(),
    ) -> Iterator[Diagnostic]:
        """The problems of one entry's texts; `languages` false checks emptiness alone (a
        retired item is not published)."""
        for path, text in texts:
            if path[0] in unread:
                continue
            if isinstance(text, str):
                if _blank(text):
                    yield self._empty(origin, owner, path)
                elif languages and self.others:
                    yield from self._missing(origin, owner, path, self.others)
                continue
            written = [lang for lang, version in text.items() if not _blank(version)]
            if not written:
                yield self._empty(origin, owner, path)
                continue
            if not (languages and self.languages_usable):
                continue
            for lang in text:
                if lang not in self.published:
                    self.unpublished.setdefault(lang, []).append(origin.key(*path, lang))
            if self.default not in written:
                yield Diagnostic(
                    Rule.MISSING_DEFAULT_LANGUAGE,
                    origin.of(*path),
                    f"`{_field(path)}` of {owner} has no {self.default} text, the handbook's "
                    "default language",
                    f"Add the {self.default} text: a text missing in another language is shown "
                    f"in {self.default}, and this one has none to show.",
                    (owner,),
                )
            absent = [lang for lang in self.others if lang not in written]
            if absent:
                yield from self._missing(origin, owner, path, absent)

    def unpublished_languages(self) -> Iterator[Diagnostic]:
        """One warning per language that texts are written in but the handbook does not publish,
        at its first text: the languages list is one mistake, however many texts it hides."""
        for lang, places in self.unpublished.items():
            first = min(places)
            more = len(places) - 1
            shown_in = f"of this text and of {more} more" if more else "of this text"
            yield Diagnostic(
                Rule.UNPUBLISHED_LANGUAGE,
                first,
                f"`{lang}` is not among the handbook's `languages`, so the `{lang}` version "
                f"{shown_in} is never shown",
                f"Add `{lang}` to `languages` in the settings to publish it, or remove the "
                f"`{lang}` texts; if `{lang}` is a misspelt code, the language meant is "
                "reported missing where it stands.",
                (lang,),
            )

    def _empty(self, origin: Origin, owner: str, path: TextPath) -> Diagnostic:
        return Diagnostic(
            Rule.EMPTY_TEXT,
            origin.of(*path),
            f"`{_field(path)}` of {owner} is empty",
            "Write the text, or remove the line if the field is optional.",
            (owner,),
        )

    def _missing(
        self, origin: Origin, owner: str, path: TextPath, absent: list[str]
    ) -> Iterator[Diagnostic]:
        for rule, languages in (
            (Rule.MISSING_REQUIRED_TRANSLATION, [lang for lang in absent if lang in self.required]),
            (Rule.MISSING_TRANSLATION, [lang for lang in absent if lang not in self.required]),
        ):
            if languages:
                field = _field(path)
                yield Diagnostic(
                    rule,
                    origin.of(*path),
                    f"`{field}` of {owner} has no {', '.join(languages)} text",
                    "Write the text as a map of languages, e.g.\n"
                    f"{path[-1] if isinstance(path[-1], str) else field}:\n"
                    + "".join(f"  {lang}: …\n" for lang in (self.default, *languages)),
                    (owner,),
                )


def _field(path: TextPath) -> str:
    return ".".join(str(part) for part in path)


def _all_plain(handbook: Handbook) -> bool:
    """Whether every text of every item is plain text that shows something: the common case
    of a handbook in one language, told in a few passes over all texts at once rather than
    item by item (tens of thousands of items)."""
    texts: list[Text | None] = []
    for kind, items in (
        (Value, handbook.values),
        (Norm, handbook.norms),
        (Parameter, handbook.parameters),
    ):
        for name in _TEXT_FIELDS[kind]:
            texts.extend(map(operator.attrgetter(name), items))
    examples = list(map(operator.attrgetter("examples"), handbook.norms))
    texts.extend(itertools.chain.from_iterable(map(operator.attrgetter("do"), examples)))
    texts.extend(itertools.chain.from_iterable(map(operator.attrgetter("dont"), examples)))
    measures = [m for m in map(operator.attrgetter("measure"), handbook.parameters) if m]
    texts.extend(map(operator.attrgetter("metric"), measures))
    texts.extend(map(operator.attrgetter("unit"), measures))
    if not set(map(type, texts)) <= {str, type(None)}:
        return False
    written = [text for text in texts if text is not None]
    return all(map(str.strip, written, itertools.repeat(_NOTHING)))  # type: ignore[arg-type]


@checks(
    Rule.EMPTY_TEXT,
    Rule.MISSING_DEFAULT_LANGUAGE,
    Rule.MISSING_TRANSLATION,
    Rule.MISSING_REQUIRED_TRANSLATION,
    Rule.UNPUBLISHED_LANGUAGE,
)
def texts(model: Model) -> Iterator[Diagnostic]:
    """Every text of the handbook: items (those that failed the schema as far as they can be
    read), taxonomy terms and the settings."""
    handbook = model.handbook
    partial_origins = handbook.unreadable_origins
    check = TextCheck(handbook.settings, languages_usable(handbook))
    plain = not check.others and _all_plain(handbook)
    for item in () if plain else handbook.items():
        origin = handbook.origins[item.id]
        yield from check.entry(origin, item.id, texts_of(item), languages=item.status != "retired")
    for section, terms in handbook.taxonomy.items():
        for term in terms:
            origin = handbook.origins[f"{section}:{term.id}"]
            yield from check.entry(origin, f"{SECTION_NOUN[section]} {term.id}", texts_of(term))
    for partial in handbook.partials:
        entry = partial.item
        key, owner = entry.id, entry.id
        status_known = "status" not in partial.unread
        if isinstance(entry, Term):
            key, owner = (
                f"{partial.section}:{entry.id}",
                f"{SECTION_NOUN[partial.section]} {entry.id}",
            )
            status_known = True
        yield from check.entry(
            partial_origins[key],
            owner,
            texts_of(entry),
            languages=status_known and getattr(entry, "status", "active") != "retired",
            unread=partial.unread,
        )
    if handbook.settings_origin is not None:
        yield from check.entry(
            handbook.settings_origin,
            "the handbook settings",
            texts_of(handbook.settings),
            unread=handbook.settings_unread,
        )
    yield from check.unpublished_languages()
