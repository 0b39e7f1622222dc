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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from generator.model.items import Handbook, Measure, Norm, Parameter, Term, Text, Value, id_order
from generator.model.lifecycle import coming_from
from generator.model.roles import RoleBinding, bindings, role_channels
from generator.model.trace import Links
from generator.site.paging import Part, page_paths, pagers, paginate
from generator.text import mdtext

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
class Group:
    """A heading of a paged list and what its rows are (`kind` tells the template how to draw
    them): a category's parameters, the norms that apply, a value's trace …"""

    kind: str
    anchor: str
    term: Term | None = None
    """The taxonomy term or item the group is about; None for a group the page names itself."""
    label: str = ""
    """The heading, already in the reader's language, for a group without a term."""
    within: Term | None = None
    """The group one level up (a role page's moment of truth above its categories)."""
    item: Value | Norm | None = None


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    listed: bool = True
    """Whether the page is in the navigation (a list's second and later pages are reached
    from its first page, so the navigation stays the size of the taxonomy)."""

    @property
    def searched(self) -> bool:
        """Whether search indexes the page (`elsewhere_in_search`)."""
        return not (self.meta.get("search") or {}).get("exclude")


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
        today: dt.date | None = None,
        files_at_addresses: bool = False,
    ) -> None:
        self.handbook = handbook
        self.directory_urls = directory_urls
        self.files_at_addresses = files_at_addresses
        """Whether each page's Markdown file stands where its HTML is built (`page_file`), as
        in a project built without the plugin (`engines/markdown/project.py`)."""
        self.today = today or dt.date.today()
        """The build date: what takes effect after it is shown as coming, not in force."""
        self.links = links
        self.language = language
        self.messages = messages or gettext.NullTranslations()
        self._ = self.messages.gettext
        self.terms = {
            section: {term.id: term for term in terms}
            for section, terms in handbook.taxonomy.items()
        }
        self._value_parts: dict[str, list[list[Part[Group, Any]]]] = {}
        self._coming: dict[str, dt.date | None] = {}
        self._roles: dict[str, RoleBinding] | None = None
        self._views: dict[str, NormView] = {}
        self._measures: dict[int, str] = {}
        self._rows: dict[str, ParameterRow] = {}
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
        """A measure in one line: 'Rings before pick-up: target 2 rings, at most 3 rings'.
        Made once per measure (by identity: each belongs to one parameter of the model, which
        outlives the planner): a parameter is shown on up to ten pages."""
        made = self._measures.get(id(measure))
        if made is None:
            made = self._measures[id(measure)] = self._measure(measure)
        return made

    def _measure(self, measure: Measure) -> str:
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
        """Each item's page and anchor: values own a page (or, when their norms do not fit on
        one, pages: `paging.py`), norms and parameters an anchor on their value's page."""
        homes: dict[str, tuple[str, str | None]] = {}
        values = self.active_values()
        for value in values:
            homes[value.id] = (value_page(value), None)
        own: dict[str, list[Norm]] = {}
        published: set[str] = set()
        for norm in self.handbook.norms:
            if norm.status != "active":
                continue
            served = [v for v in norm.traces_to if v in homes and v.startswith("VAL-")]
            if served and norm.id not in published:
                published.add(norm.id)
                own.setdefault(served[0], []).append(norm)
        for value in values:
            own_ids = {n.id for n in own.get(value.id, ())}
            shared = [
                n
                for n in self.links.active_norms_of_value.get(value.id, ())
                if n.id in published and n.id not in own_ids
            ]
            parts = paginate(
                [
                    (Group("own", "norms", label=self._("Norms")), own.get(value.id, [])),
                    *(
                        [
                            (
                                Group(
                                    "shared",
                                    "norms-described-under-another-value",
                                    label=self._("Norms described under another value"),
                                ),
                                shared,
                            )
                        ]
                        if shared
                        else []
                    ),
                ],
                weight=self._norm_weight,
            )
            self._value_parts[value.id] = parts
            for path, page in zip(page_paths(value_page(value), len(parts)), parts, strict=True):
                for part in page:
                    if part.group.kind == "own":
                        for norm in part.rows:
                            homes[norm.id] = (path, norm.id)
        for norm in self.handbook.norms:
            if norm.id not in homes:
                continue
            for parameter in self.links.active_parameters_of_norm.get(norm.id, ()):
                homes.setdefault(parameter.id, (homes[norm.id][0], parameter.id))
        return homes

    def moved(self, value: Value) -> list[tuple[Norm, tuple[Parameter, ...]]]:
        """The value's norms on its second and later pages, each with its parameters: a link
        to one of them made for the value's first page still finds it (`assets/handbook.js`)."""
        return [
            (norm, self.links.active_parameters_of_norm.get(norm.id, ()))
            for page in self._value_parts.get(value.id, ())[1:]
            for part in page
            if part.group.kind == "own"
            for norm in part.rows
        ]

    def value_parts(self, value: Value) -> list[list[Part[Group, Any]]]:
        """A value's own norms and the rest of its trace, as laid on its pages."""
        return self._value_parts[value.id]

    def _norm_weight(self, norm: Norm) -> int:
        """A norm shown in full: its heading and text, and a row per parameter."""
        return 1 + len(self.links.active_parameters_of_norm.get(norm.id, ()))

    def url_from(self, page: str) -> Any:
        directory = posixpath.dirname(self._file(page))

        def url(target: str | Value | Norm | Parameter) -> Any:
            if isinstance(target, str):
                path, fragment = target, None
            else:
                path, fragment = self.homes[target.id]
            relative = posixpath.relpath(self._file(path), directory or ".")
            return mdtext.link(relative + (f"#{fragment}" if fragment else ""))

        return url

    def _file(self, path: str) -> str:
        return page_file(path, self.directory_urls) if self.files_at_addresses else path

    def href_from_root(self, root: str) -> Url:
        """Like `url_from`, for HTML, where MkDocs does not turn a link to a Markdown file into
        the page's address: the link as the built site has it, from the site's root marked by
        `root`, which each page replaces by its own way up (`root_prefix`). The same link
        for every page, so that a piece of HTML shared by many pages is made once."""
        known: dict[str, Markup] = {}

        def href(target: str | Value | Norm | Parameter) -> Markup:
            if isinstance(target, str):
                path, _, fragment = target.partition("#")
            else:
                path, fragment = self.homes[target.id][0], self.homes[target.id][1] or ""
            key = f"{path}#{fragment}"
            if key not in known:
                address = site_url(path, self.directory_urls).removeprefix("./")
                known[key] = mdtext.link(root + address + (f"#{fragment}" if fragment else ""))
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
        """The norms published on this value's pages (a norm serving several values is
        published under the first of them)."""
        return [
            norm
            for page in self._value_parts.get(value.id, ())
            for part in page
            if part.group.kind == "own"
            for norm in part.rows
        ]

    # --- lifecycle --------------------------------------------------------------------------
    def coming_from(self, item: Norm | Parameter) -> dt.date | None:
        """The first day the item binds, when that is after the build date (`lifecycle.py`)."""
        if item.id not in self._coming:
            self._coming[item.id] = coming_from(item, self.links.norms, self.today)
        return self._coming[item.id]

    def coming(self, item: Norm | Parameter) -> bool:
        return self.coming_from(item) is not None

    def in_force(self, item: Norm | Parameter) -> bool:
        return item.status == "active" and not self.coming(item)

    def state(self, item: Norm | Parameter) -> tuple[str, str]:
        """The item's standing as its badge says it: a key (for the filter and the colour) and
        the words, "In force" or "From 1 June 2027"."""
        _ = self._
        if item.status != "active":
            return item.status, {"draft": _("Draft"), "retired": _("Retired")}[item.status]
        day = self.coming_from(item)
        if day is not None:
            return "coming", _("From %(date)s") % {"date": self.date(day)}
        return "in-force", _("In force")

    def overdue(self, norm: Norm) -> bool:
        return norm.review is not None and norm.review < self.today

    def norm_view(self, norm: Norm) -> NormView:
        """A norm as its pages show it; made once per norm (a norm is shown on its value's
        page, in all norms, the matrix, the print view …)."""
        view = self._views.get(norm.id)
        if view is None:
            view = self._views[norm.id] = self._norm_view(norm)
        return view

    def _norm_view(self, norm: Norm) -> NormView:
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
            self.row(p)
            for p in sorted(parameters, key=lambda p: id_order(p.id))
            if p.id in self.homes
        )

    def row(self, parameter: Parameter) -> ParameterRow:
        """A parameter with the published norms it implements; made once per parameter (it is
        a row of several pages)."""
        row = self._rows.get(parameter.id)
        if row is None:
            norms = dict.fromkeys(parameter.traces_to)
            row = self._rows[parameter.id] = ParameterRow(
                parameter, tuple(self.links.norms[n] for n in norms if n in self.homes)
            )
        return row

    def sections(self, parameters: Sequence[Parameter], by: str) -> tuple[Section, ...]:
        """Parameters grouped by the terms of `by` (categories or channels), in taxonomy order."""
        key = "category" if by == "categories" else "channel"
        grouped: dict[str, list[Parameter]] = {}
        for parameter in parameters:  # one pass, not one per term
            grouped.setdefault(getattr(parameter, key), []).append(parameter)
        return tuple(
            Section(term, rows)
            for term in self.handbook.taxonomy[by]
            if (rows := self.rows(grouped.get(term.id, ())))
        )

    def paged(
        self,
        page: Page,
        groups: Sequence[tuple[Group, Sequence[Any]]],
        row_id: Callable[[Any], str],
        weight: Callable[[Any], int] = lambda row: 1,
        pages: list[list[Part[Group, Any]]] | None = None,
    ) -> list[Page]:
        """`page` with its long list (`groups`) laid on as many pages as it needs
        (`paging.py`); each gets `parts` (its share) and `pager`. The first page is `page`
        itself; the others carry its metadata, a numbered title, and stay out of the
        navigation."""
        laid = pages if pages is not None else paginate(groups, weight)
        paths = page_paths(page.path, len(laid))
        labels = [_label(parts, row_id) for parts in laid]
        made = []
        for parts, path, pager in zip(laid, paths, pagers(paths, labels), strict=True):
            title = page.title
            if pager.number > 1:
                title = self._("%(title)s, page %(number)d of %(count)d") % {
                    "title": page.title,
                    "number": pager.number,
                    "count": pager.count,
                }
            made.append(
                Page(
                    path,
                    page.template,
                    title,
                    {**page.context, "parts": parts, "pager": pager},
                    meta=dict(page.meta),
                    listed=page.listed and pager.number == 1,
                )
            )
        return made

    def parameter_groups(
        self, parameters: Sequence[Parameter], by: str, kind: str = "parameters"
    ) -> list[tuple[Group, Sequence[ParameterRow]]]:
        return [
            (Group(kind, section.term.id, section.term), section.rows)
            for section in self.sections(parameters, by)
        ]

    # --- roles ------------------------------------------------------------------------------
    def role_bindings(self) -> dict[str, RoleBinding]:
        """What binds each role, as far as the site publishes it."""
        if self._roles is None:
            self._roles = bindings(self.handbook, self.links, self.homes)
        return self._roles

    def role_sections(self, binding: RoleBinding) -> list[tuple[Group, Sequence[ParameterRow]]]:
        """A role's parameters by moment of truth, then by category, in taxonomy order."""
        groups: list[tuple[Group, Sequence[ParameterRow]]] = []
        for channel in role_channels(binding.role, self.handbook.taxonomy["channels"]):
            on_channel = [p for p in binding.parameters if p.channel == channel.id]
            for section in self.sections(on_channel, "categories"):
                groups.append(
                    (
                        Group(
                            "parameters",
                            f"{channel.id}-{section.term.id}",
                            section.term,
                            within=channel,
                        ),
                        section.rows,
                    )
                )
        return groups

    def filters(self, channels: Sequence[Term], categories: Collection[str]) -> Filters:
        """What a list can be narrowed by, in the reader's language (`assets/handbook.js`)."""
        _ = self._
        return Filters(
            tuple((c.id, self.text(c.title)) for c in channels),
            tuple(
                (c.id, self.text(c.title))
                for c in self.handbook.taxonomy["categories"]
                if c.id in categories
            ),
            (("in-force", _("In force")), ("coming", _("Coming"))),
        )


@dataclass(frozen=True)
class Filters:
    """The choices of a list's filter: (key, words) pairs."""

    channels: tuple[tuple[str, str], ...]
    categories: tuple[tuple[str, str], ...]
    states: tuple[tuple[str, str], ...]


def row_id(row: Any) -> str:
    """The id a row of a list is known by (for the labels of its pages)."""
    if isinstance(row, ParameterRow):
        return row.parameter.id
    if isinstance(row, NormView):
        return row.norm.id
    if isinstance(row, tuple) and row:
        return row_id(row[0])
    identifier = getattr(row, "id", None)
    if isinstance(identifier, str):
        return identifier
    parameter = getattr(row, "parameter", None)
    return str(getattr(parameter, "id", ""))


def _label(parts: Sequence[Part[Group, Any]], row_id: Callable[[Any], str]) -> str:
    rows = [row for part in parts for row in part.rows]
    if not rows:
        return ""
    first, last = row_id(rows[0]), row_id(rows[-1])
    return first if first == last else f"{first}\u2009\u2013\u2009{last}"


def site_url(path: str, directory_urls: bool) -> str:
    """The address MkDocs gives the page of the Markdown file `path` (`values/val-001.md` is
    `values/val-001/`, or `values/val-001.html` without directory URLs)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        return (posixpath.dirname(stem) or ".") + "/"
    return stem + "/"


def site_file(path: str, directory_urls: bool) -> str:
    """The file of the built site the page of the Markdown file `path` is written to
    (`values/val-001.md` to `values/val-001/index.html`)."""
    url = site_url(path, directory_urls)
    return url.removeprefix("./") + "index.html" if url.endswith("/") else url


def page_file(path: str, directory_urls: bool) -> str:
    """The Markdown file of the page `path` put where its HTML is built: `values/val-001.md`
    is `values/val-001/index.md` with directory URLs. A link relative to the page's address is
    then relative to its file too: MkDocs leaves a link in raw HTML as it is (relative to the
    address), Zensical reads it from the file's folder. A file that is not a page stays."""
    if not path.endswith(".md"):
        return path
    return site_file(path, directory_urls).removesuffix(".html") + ".md"


def root_prefix(page: str, directory_urls: bool) -> str:
    """The way up from the page of the Markdown file `page` to the site's root (`../../` from
    `channels/phone/`), or `./` at the root itself."""
    here = site_url(page, directory_urls)
    folder = here.rstrip("/") if here.endswith("/") else posixpath.dirname(here)
    depth = 0 if folder in ("", ".") else folder.count("/") + 1
    return "../" * depth or "./"


def value_page(value: Value) -> str:
    return f"values/{value.id.lower()}.md"
