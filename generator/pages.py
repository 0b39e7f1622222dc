"""Pages: what goes on which page of the reader's handbook, and where each item lives.

Python decides grouping, ordering and permalinks here; templates only decide how it looks.

Page granularity: one page per value (its norms and their parameters, each anchored by id),
one per channel and one per category, plus indexes. Norms do not get a page each: Material
renders the navigation into every page, so ten thousand norm pages would make the build grow
with the square of the norm count, and an employee reads a norm in the context of its value.
A norm's permalink is `values/<value>/#NRM-…` on the page of the first value it serves.
"""

from __future__ import annotations

import datetime as dt
import gettext
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from generator import mdtext
from generator.model import Handbook, Measure, Norm, Parameter, Term, Text, Value, id_order
from generator.trace import Links

NavEntry = str | dict[str, "str | list[NavEntry]"]


def elsewhere_in_search() -> dict[str, Any]:
    """The metadata of a page that shows again what a value's page shows (a channel's
    parameters, all norms, the audit's tables): search finds each norm and parameter once, on
    its value's page, instead of on every page that lists it; and indexing those pages cost a
    fifth of a large build. A new dict each time: MkDocs keeps and may change a page's meta."""
    return {"search": {"exclude": True}}


Url = Callable[[str | Value | Norm | Parameter], Markup]


@dataclass(frozen=True)
class ChannelGroup:
    channel: Term
    parameters: tuple[Parameter, ...]


@dataclass(frozen=True)
class NormView:
    norm: Norm
    values: tuple[Value, ...]
    by_channel: tuple[ChannelGroup, ...]


@dataclass(frozen=True)
class ParameterRow:
    parameter: Parameter
    norms: tuple[Norm, ...]


@dataclass(frozen=True)
class Section:
    term: Term
    rows: tuple[ParameterRow, ...]


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


class Planner:
    """What templates may ask for; all answers derive from the model and the chosen language."""

    def __init__(
        self,
        handbook: Handbook,
        links: Links,
        language: str,
        messages: gettext.NullTranslations | None = None,
        *,
        directory_urls: bool = True,
    ) -> None:
        self.handbook = handbook
        self.directory_urls = directory_urls
        self.links = links
        self.language = language
        self.messages = messages or gettext.NullTranslations()
        self._ = self.messages.gettext
        self.terms = {
            section: {term.id: term for term in terms}
            for section, terms in handbook.taxonomy.items()
        }
        self.homes = self._homes()
        self._dates: dict[dt.date, str] = {}
        self._numbers: dict[tuple[type, int | float], str] = {}

    # --- text -------------------------------------------------------------------------------
    def text(self, value: Text | None) -> str:
        """A text in the reader's language, else in the handbook's default language."""
        return str(self.marked_text(value))

    def marked_text(self, value: Text | None) -> str:
        """Like `text`, but a text shown in another language than the reader's comes back as
        `Fallback`, which the page marks visibly (see mdtext.finalize)."""
        if value is None:
            raise TypeError("template printed a missing text; guard it with `if`")
        default = self.handbook.settings.default_language
        if isinstance(value, str):
            return value if self.language == default else mdtext.Fallback(value, default)
        if value.get(self.language):
            return value[self.language]
        for language in (default, *value):
            if value.get(language):
                return mdtext.Fallback(value[language], language)
        return ""

    def term(self, section: str, term_id: str) -> Term:
        return self.terms[section][term_id]

    def date(self, day: dt.date) -> str:
        # Babel formats a date or number in tens of microseconds; a large handbook prints the
        # same few hundred of them tens of thousands of times.
        if day not in self._dates:
            self._dates[day] = format_date(
                day, format="long", locale=self.language.replace("-", "_")
            )
        return self._dates[day]

    def number(self, value: int | float | str) -> str:
        """A number as the reader writes it (decimal comma in Russian, Latvian, Turkish)."""
        if isinstance(value, str):
            return value
        key = (type(value), value)
        if key not in self._numbers:
            self._numbers[key] = format_decimal(value, locale=self.language.replace("-", "_"))
        return self._numbers[key]

    def quantity(self, value: int | float | str, measure: Measure) -> str:
        unit = f" {self.text(measure.unit)}" if measure.unit else ""
        return f"{self.number(value)}{unit}"

    def measure(self, measure: Measure) -> str:
        """A measure in one line: 'Rings before pick-up: target 2 rings, at most 3 rings'."""
        _ = self._
        parts: list[str] = []
        if measure.target is not None:
            parts.append(_("target %(value)s") % {"value": self.quantity(measure.target, measure)})
        if measure.min is not None and measure.max is not None:
            parts.append(
                _("between %(low)s and %(high)s")
                % {"low": self.number(measure.min), "high": self.quantity(measure.max, measure)}
            )
        elif measure.min is not None:
            parts.append(_("at least %(value)s") % {"value": self.quantity(measure.min, measure)})
        elif measure.max is not None:
            parts.append(_("at most %(value)s") % {"value": self.quantity(measure.max, measure)})
        metric = self.text(measure.metric)
        return f"{metric}: {', '.join(parts)}" if parts else metric

    # --- where things live ------------------------------------------------------------------
    def _homes(self) -> dict[str, tuple[str, str | None]]:
        """Each item's page and anchor: values own a page, norms and parameters an anchor."""
        homes: dict[str, tuple[str, str | None]] = {}
        for value in self.active_values():
            homes[value.id] = (_value_page(value), None)
        for norm in self.handbook.norms:
            if norm.status != "active":
                continue
            served = [v for v in norm.traces_to if v in homes and v.startswith("VAL-")]
            if served:
                homes.setdefault(norm.id, (homes[served[0]][0], norm.id))
        for norm in self.handbook.norms:
            if norm.id not in homes:
                continue
            for parameter in self.links.active_parameters_of_norm.get(norm.id, ()):
                homes.setdefault(parameter.id, (homes[norm.id][0], parameter.id))
        return homes

    def url_from(self, page: str) -> Any:
        directory = posixpath.dirname(page)

        def url(target: str | Value | Norm | Parameter) -> Any:
            if isinstance(target, str):
                path, fragment = target, None
            else:
                path, fragment = self.homes[target.id]
            relative = posixpath.relpath(path, directory or ".")
            return mdtext.link(relative + (f"#{fragment}" if fragment else ""))

        return url

    def href_from(self, page: str) -> Url:
        """Like `url_from`, for HTML, where MkDocs does not turn a link to a Markdown file
        into the page's address: the link as the built site has it."""
        here = site_url(page, self.directory_urls)
        known: dict[str, Markup] = {}

        def href(target: str | Value | Norm | Parameter) -> Markup:
            if isinstance(target, str):
                path, _, fragment = target.partition("#")
            else:
                path, fragment = self.homes[target.id][0], self.homes[target.id][1] or ""
            key = f"{path}#{fragment}"
            if key not in known:
                relative = get_relative_url(site_url(path, self.directory_urls), here)
                known[key] = mdtext.link(relative + (f"#{fragment}" if fragment else ""))
            return known[key]

        return href

    # --- what is on each page ---------------------------------------------------------------
    def active_values(self) -> list[Value]:
        return [v for v in self.handbook.values if v.status == "active"]

    def active_norms(self) -> list[Norm]:
        """Norms in force, by id: the order people quote and look them up in."""
        return sorted(
            (n for n in self.handbook.norms if n.status == "active" and n.id in self.homes),
            key=lambda n: id_order(n.id),
        )

    def own_norms(self, value: Value) -> list[Norm]:
        """The norms published on this value's page (a norm serving several values is
        published under the first of them)."""
        page = _value_page(value)
        return [
            n
            for n in self.links.active_norms_of_value.get(value.id, ())
            if self.homes.get(n.id, ("", None))[0] == page
        ]

    def norm_view(self, norm: Norm) -> NormView:
        parameters = self.links.active_parameters_of_norm.get(norm.id, ())
        by_channel = tuple(
            ChannelGroup(channel, group)
            for channel in self.handbook.taxonomy["channels"]
            if (group := tuple(p for p in parameters if p.channel == channel.id))
        )
        values = tuple(
            self.links.values[v] for v in dict.fromkeys(norm.traces_to) if v in self.homes
        )
        return NormView(norm, values, by_channel)

    def rows(self, parameters: Sequence[Parameter]) -> tuple[ParameterRow, ...]:
        """Table rows by parameter id, so that a printed checklist reads in a stable order."""
        return tuple(
            ParameterRow(
                p,
                tuple(self.links.norms[n] for n in dict.fromkeys(p.traces_to) if n in self.homes),
            )
            for p in sorted(parameters, key=lambda p: id_order(p.id))
            if p.id in self.homes
        )

    def sections(self, parameters: Sequence[Parameter], by: str) -> tuple[Section, ...]:
        """Parameters grouped by the terms of `by` (categories or channels), in taxonomy order."""
        key = "category" if by == "categories" else "channel"
        return tuple(
            Section(term, rows)
            for term in self.handbook.taxonomy[by]
            if (rows := self.rows([p for p in parameters if getattr(p, key) == term.id]))
        )

    def plan(self) -> list[Page]:
        handbook, links = self.handbook, self.links
        values = self.active_values()
        channels = handbook.taxonomy["channels"]
        categories = handbook.taxonomy["categories"]
        title = self.text(handbook.settings.title)
        pages = [
            Page(
                "index.md",
                "home.md.j2",
                title,
                {
                    "values": [(v, len(links.active_norms_of_value.get(v.id, ()))) for v in values],
                    "channels": [
                        (c, len(links.active_parameters_of_channel.get(c.id, ()))) for c in channels
                    ],
                    "norm_count": len(self.active_norms()),
                    "parameter_count": sum(1 for p in handbook.parameters if p.id in self.homes),
                },
                meta={"hide": ["navigation"]},
            ),
            Page(
                "values/index.md",
                "values.md.j2",
                self._("Values"),
                {"values": [(v, links.active_norms_of_value.get(v.id, ())) for v in values]},
            ),
        ]
        for value in values:
            norms = links.active_norms_of_value.get(value.id, ())
            pages.append(
                Page(
                    _value_page(value),
                    "value.md.j2",
                    self.text(value.title),
                    {
                        "value": value,
                        "own": [
                            self.norm_view(n)
                            for n in norms
                            if self.homes[n.id][0] == _value_page(value)
                        ],
                        "shared": [n for n in norms if self.homes[n.id][0] != _value_page(value)],
                    },
                )
            )
        pages.append(
            Page(
                "channels/index.md",
                "channels.md.j2",
                self._("Moments of truth"),
                {
                    "channels": [
                        (c, links.active_parameters_of_channel.get(c.id, ())) for c in channels
                    ]
                },
            )
        )
        in_force = self.active_norms()
        for channel in channels:
            parameters = links.active_parameters_of_channel.get(channel.id, ())
            pages.append(
                Page(
                    f"channels/{channel.id}.md",
                    "channel.md.j2",
                    self.text(channel.title),
                    {
                        "channel": channel,
                        "sections": self.sections(parameters, "categories"),
                        "norms": [n for n in in_force if channel.id in n.channels],
                    },
                    meta=elsewhere_in_search(),
                )
            )
        pages.append(
            Page(
                "categories/index.md",
                "categories.md.j2",
                self._("Behaviour"),
                {
                    "categories": [
                        (c, links.active_parameters_of_category.get(c.id, ())) for c in categories
                    ]
                },
            )
        )
        for category in categories:
            parameters = links.active_parameters_of_category.get(category.id, ())
            pages.append(
                Page(
                    f"categories/{category.id}.md",
                    "category.md.j2",
                    self.text(category.title),
                    {"category": category, "sections": self.sections(parameters, "channels")},
                    meta=elsewhere_in_search(),
                )
            )
        pages.append(
            Page(
                "norms/index.md",
                "norms.md.j2",
                self._("All norms"),
                {"norms": [self.norm_view(n) for n in self.active_norms()]},
                meta=elsewhere_in_search(),
            )
        )
        return pages

    def nav(self) -> list[NavEntry]:
        """Paths only: each page's title comes from its own (escaped) metadata."""
        handbook = self.handbook
        return [
            "index.md",
            {
                self._("Values"): [
                    "values/index.md",
                    *(_value_page(v) for v in self.active_values()),
                ]
            },
            {
                self._("Moments of truth"): [
                    "channels/index.md",
                    *(f"channels/{c.id}.md" for c in handbook.taxonomy["channels"]),
                ]
            },
            {
                self._("Behaviour"): [
                    "categories/index.md",
                    *(f"categories/{c.id}.md" for c in handbook.taxonomy["categories"]),
                ]
            },
            "norms/index.md",
        ]


def site_url(path: str, directory_urls: bool) -> str:
    """The address MkDocs gives the page of the Markdown file `path` (`values/val-001.md` is
    `values/val-001/`, or `values/val-001.html` without directory URLs)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        return (posixpath.dirname(stem) or ".") + "/"
    return stem + "/"


def _value_page(value: Value) -> str:
    return f"values/{value.id.lower()}.md"
