"""The handbook's data model: the one source of truth for every YAML field.

The same pydantic classes validate what policy owners write, generate the JSON Schema their
editors use (`handbook schema`), and are the immutable model that checking and rendering read.
Every class is frozen and strict: the loader hands over JSON-like data in which nothing was
guessed, and the schema alone decides what a string means (a date, an id, a status).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from generator.model.index import Index

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
TERM_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
VALUE_ID_PATTERN = r"^VAL-[A-Z0-9]+(-[A-Z0-9]+)*$"
NORM_ID_PATTERN = r"^NRM-[A-Z0-9]+(-[A-Z0-9]+)*$"
PARAMETER_ID_PATTERN = r"^PAR-[A-Z0-9]+(-[A-Z0-9]+)*$"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(raw: object) -> object:
    """Turn `YYYY-MM-DD` strings into dates; the YAML loader never does, so `2026-1-5` or a
    timestamp is reported by the schema instead of being guessed at."""
    if isinstance(raw, str):
        if not _ISO_DATE.match(raw):
            raise ValueError("a date is written YYYY-MM-DD, for example 2026-03-01")
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as error:
            raise ValueError(f"not a date in the calendar ({error})") from None
    return raw


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    Field(json_schema_extra={"type": "string", "format": "date", "examples": ["2026-03-01"]}),
]

Language = Annotated[str, Field(pattern=LANGUAGE_PATTERN, examples=["en", "ru", "lv", "tr"])]

# A field that names something declared elsewhere in the handbook carries the section it names
# (`REFERS_TO`): the editors' schema (`schema.py`) offers that section's ids there, and
# only those, and the key never reaches the schema file.
REFERS_TO = "x-handbook-refers-to"

LanguageRef = Annotated[
    str,
    Field(
        pattern=LANGUAGE_PATTERN,
        examples=["en", "ru", "lv", "tr"],
        json_schema_extra={REFERS_TO: "languages"},
    ),
]

Text = Annotated[
    str | dict[LanguageRef, str],
    Field(
        description=(
            "Plain text in the handbook's default language, or a map from language code to "
            "the text in that language."
        ),
    ),
]

_TERM_ID_FORM = "lowercase letters and digits, words joined by hyphens"
TermId = Annotated[
    str,
    Field(
        pattern=TERM_ID_PATTERN,
        json_schema_extra={"patternErrorMessage": f"An id is {_TERM_ID_FORM}."},
    ),
]
ValueId = Annotated[
    str,
    Field(
        pattern=VALUE_ID_PATTERN,
        examples=["VAL-001"],
        json_schema_extra={"patternErrorMessage": "A value id: VAL- and a number, e.g. VAL-001."},
    ),
]
NormId = Annotated[
    str,
    Field(
        pattern=NORM_ID_PATTERN,
        examples=["NRM-001"],
        json_schema_extra={"patternErrorMessage": "A norm id: NRM- and a number, e.g. NRM-001."},
    ),
]
ParameterId = Annotated[
    str,
    Field(
        pattern=PARAMETER_ID_PATTERN,
        examples=["PAR-001"],
        json_schema_extra={
            "patternErrorMessage": "A parameter id: PAR- and a number, e.g. PAR-001."
        },
    ),
]
ValueRef = Annotated[ValueId, Field(json_schema_extra={REFERS_TO: "values"})]
NormRef = Annotated[NormId, Field(json_schema_extra={REFERS_TO: "norms"})]


def _term_ref(section: str, *examples: str) -> object:
    """The metadata of an id that names a term of `section`, with examples of that kind."""
    return Field(
        pattern=TERM_ID_PATTERN,
        examples=list(examples),
        json_schema_extra={
            REFERS_TO: section,
            "patternErrorMessage": f"An id is {_TERM_ID_FORM}, e.g. {examples[0]}.",
        },
    )


ChannelRef = Annotated[str, _term_ref("channels", "phone", "face-to-face")]
CategoryRef = Annotated[str, _term_ref("categories", "speed", "vocabulary")]
AudienceRef = Annotated[str, _term_ref("audiences", "external", "internal")]
RoleRef = Annotated[str, _term_ref("roles", "contact-centre", "delivery")]
FactorRef = Annotated[str, _term_ref("factors", "culture", "legislation")]
PillarRef = Annotated[str, _term_ref("pillars", "team", "strategy")]
OwnerRef = Annotated[str, _term_ref("owners", "head-of-service")]
MethodRef = Annotated[str, _term_ref("methods", "mystery-shopping", "observation")]

Status = Annotated[
    Literal["draft", "active", "retired"],
    Field(
        description=(
            "draft: proposed, not binding and not published; active: binding and published; "
            "retired: no longer binding, kept so that its id is never reused."
        )
    ),
]

Number = int | float


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class Settings(_Strict):
    """Handbook-wide settings, written once under `handbook:`."""

    title: Text = Field(description="The handbook's title, shown in the site header.")
    organisation: Text = Field(description="The company whose standards these are.")
    introduction: Text | None = Field(
        default=None, description="One or two paragraphs for the home page: what this is for."
    )
    default_language: LanguageRef = Field(
        default="en", description="The language of plain-string texts."
    )
    languages: tuple[Language, ...] = Field(
        default=("en",), description="Every language the handbook is published in."
    )
    required_languages: tuple[LanguageRef, ...] = Field(
        default=(),
        description=(
            "Languages every text must have: a missing translation in one of them is an "
            "error, in any other language a warning."
        ),
    )

    @property
    def published(self) -> tuple[str, ...]:
        """The languages the site is built in, the default first (the site's root sends a
        reader there)."""
        rest = [lang for lang in self.languages if lang != self.default_language]
        return (self.default_language, *rest)


class Term(_Strict):
    """One entry of the taxonomy (a channel, a category, an audience …)."""

    id: TermId = Field(description="Stable lowercase id, used in norms and parameters.")
    title: Text
    description: Text | None = None
    source: str | None = Field(default=None, description="Where this term comes from.")


class Channel(Term):
    """A moment of truth; it may require behaviour categories to be covered on it."""

    requires: tuple[CategoryRef, ...] = Field(
        default=(),
        description=(
            "Behaviour categories (from `categories:`) that must have at least one active "
            "parameter on this channel; an empty required cell is an error."
        ),
        examples=[["vocabulary", "speed", "safety"]],
    )


_GITHUB_NAME = r"[A-Za-z0-9](?:-?[A-Za-z0-9])*"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
HANDLE_PATTERN = (
    # @user or @organisation/team: GitHub names are 1 to 39 letters, digits and single inner
    # hyphens; a team's slug adds underscores. Or an e-mail address of a GitHub account.
    rf"^(?:@(?=[A-Za-z0-9-]{{1,39}}(?:/|$)){_GITHUB_NAME}(?:/[A-Za-z0-9][A-Za-z0-9_-]*)?"
    rf"|[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*"
    r"\.[A-Za-z]{2,63})$"
)
HANDLE_HINT = (
    "Write a GitHub user `@jdoe`, a team `@organisation/team-name`, or the e-mail address of "
    "a GitHub account `quality@example.com`."
)


def _handle(value: str) -> str:
    """A reviewer as CODEOWNERS names one, and nothing else: the handle is written into that
    file as it is, where a `#` starts a comment (dropping every reviewer after it), whitespace
    ends the handle and an unknown form makes GitHub skip the line, leaving the files without
    their reviewers."""
    if len(value) <= 254 and re.fullmatch(HANDLE_PATTERN, value):
        return value
    raise PydanticCustomError("handle", "{reason}", {"reason": _why_not_a_handle(value)})


def _why_not_a_handle(value: str) -> str:
    if any(not c.isprintable() or c.isspace() for c in value):
        return "a handle is one word, with no space, line break or invisible character"
    if value.startswith("#"):
        return (
            "in CODEOWNERS `#` starts a comment: this reviewer and every one after it on the "
            "line would be dropped"
        )
    if value.startswith("@"):
        name, _, team = value[1:].partition("/")
        if not name:
            return "names nobody after `@`"
        if "/" in team:
            return "a team is written `@organisation/team-name`, with one slash"
        if not re.fullmatch(_GITHUB_NAME, name) or len(name) > 39:
            return (
                "a GitHub user or organisation name has 1 to 39 letters, digits or single "
                "hyphens, and does not start or end with a hyphen"
            )
        return (
            "a team name (after the slash) starts with a letter or digit and has letters, "
            "digits, hyphens and underscores"
        )
    if "@" in value:
        return "not an e-mail address GitHub can look up"
    return "neither a GitHub user or team (starting with `@`) nor an e-mail address"


Handle = Annotated[
    str,
    AfterValidator(_handle),
    Field(
        json_schema_extra={"pattern": HANDLE_PATTERN, "maxLength": 254},
        examples=["@meridian/service-board", "@jdoe", "quality@meridian.example"],
    ),
]


class Role(Term):
    """An employee's job (a contact-centre agent, a courier …): whom a norm or parameter binds,
    as opposed to an audience, whom it serves. Each employee opens the page of their role."""

    channels: tuple[ChannelRef, ...] = Field(
        default=(),
        description=(
            "Moments of truth (from `channels:`) this job works in; none named means all. A "
            "parameter on another moment of truth does not bind the role."
        ),
        examples=[["face-to-face", "phone"]],
    )


class Owner(Term):
    """A role that answers for items; its people review every change to those items."""

    handles: tuple[Handle, ...] = Field(
        default=(),
        description=(
            "GitHub or GitLab users or teams (`@org/team`, `@user`) or e-mail addresses of the "
            "people in this role; `handbook codeowners` makes them the reviewers of the files "
            "that hold their items."
        ),
    )


class Examples(_Strict):
    """Contrast examples: what following the norm looks like, and what breaking it looks like."""

    do: tuple[Text, ...] = Field(default=(), description="Behaviour that follows the norm.")
    dont: tuple[Text, ...] = Field(default=(), description="Behaviour that breaks the norm.")


class Measure(_Strict):
    """How a parameter is measured, so that an observer can score it."""

    metric: Text = Field(description="What is counted or observed.")
    unit: Text | None = Field(default=None, examples=["seconds", "rings", "%", "cm"])
    target: Number | str | None = Field(default=None, description="The value to reach.")
    min: Number | None = Field(default=None, description="Lowest acceptable value.")
    max: Number | None = Field(default=None, description="Highest acceptable value.")


class _Item(_Strict):
    title: Text
    owner: OwnerRef | None = Field(
        default=None, description="Id of the owner (from `owners:`) who answers for this item."
    )
    status: Status = "active"
    source: str | None = Field(
        default=None,
        description="Where the item comes from: a source text, a law, a decision.",
        examples=["seeds/002_6a5959d2d35b35f9.txt"],
    )


class Value(_Item):
    """What the company stands for; norms make it concrete."""

    id: ValueId = Field(description="The value's id, never reused for another value.")
    statement: Text = Field(description="The value in one or two sentences.")
    rationale: Text | None = Field(default=None, description="Why the company holds it.")
    pillars: tuple[PillarRef, ...] = Field(
        default=(), description="Pillars (from `pillars:`) the value rests on."
    )
    replaces: tuple[ValueId, ...] = Field(
        default=(), description="Earlier values this one takes the place of."
    )


class Norm(_Item):
    """A binding rule that makes one or more values concrete."""

    id: NormId = Field(description="The norm's id, never reused for another norm.")
    statement: Text = Field(description="The rule, as an employee must follow it.")
    rationale: Text | None = Field(default=None, description="Why the norm exists.")
    traces_to: tuple[ValueRef, ...] = Field(
        default=(), description="The values this norm makes concrete (at least one)."
    )
    channels: tuple[ChannelRef, ...] = Field(
        default=(), description="Moments of truth (from `channels:`) where the norm applies."
    )
    audiences: tuple[AudienceRef, ...] = Field(
        default=(), description="Customers (from `audiences:`) the norm serves."
    )
    factors: tuple[FactorRef, ...] = Field(
        default=(), description="Factors (from `factors:`) the norm answers to."
    )
    roles: tuple[RoleRef, ...] = Field(
        default=(),
        description="The jobs (from `roles:`) the norm binds; none named means every role.",
    )
    effective: IsoDate | None = Field(default=None, description="First day the norm binds.")
    review: IsoDate | None = Field(default=None, description="Day the owner reviews it again.")
    examples: Examples = Field(
        default_factory=Examples,
        description="What following the norm looks like (`do`), and breaking it (`dont`).",
    )
    replaces: tuple[NormId, ...] = Field(
        default=(), description="Earlier norms this one takes the place of."
    )


class Parameter(_Item):
    """One observable behaviour that implements a norm on one channel."""

    id: ParameterId = Field(description="The parameter's id, never reused for another one.")
    traces_to: tuple[NormRef, ...] = Field(
        default=(), description="The norms this parameter makes observable (at least one)."
    )
    channel: ChannelRef = Field(description="The moment of truth (from `channels:`).")
    category: CategoryRef = Field(description="The behaviour category (from `categories:`).")
    requirement: Text = Field(description="What the employee does, observably.")
    measure: Measure | None = Field(
        default=None, description="How the behaviour is measured, so that an observer can score it."
    )
    verification: tuple[MethodRef, ...] = Field(
        default=(), description="How it is checked (ids from `methods:`)."
    )
    roles: tuple[RoleRef, ...] = Field(
        default=(),
        description=(
            "The jobs (from `roles:`) the parameter binds; none named means the roles of the "
            "norms it implements."
        ),
    )
    effective: IsoDate | None = Field(default=None, description="First day the parameter binds.")
    replaces: tuple[ParameterId, ...] = Field(
        default=(), description="Earlier parameters this one takes the place of."
    )


class HandbookFile(_Strict):
    """What one YAML file under `standards/` may hold; any mix of sections is allowed."""

    handbook: Settings | None = None
    channels: tuple[Channel, ...] = Field(default=(), description="Moments of truth.")
    categories: tuple[Term, ...] = Field(default=(), description="Behaviour-parameter categories.")
    audiences: tuple[Term, ...] = Field(default=(), description="External and internal customers.")
    roles: tuple[Role, ...] = Field(
        default=(), description="Employees' jobs: whom the norms and parameters bind."
    )
    factors: tuple[Term, ...] = Field(default=(), description="What shapes the standards.")
    pillars: tuple[Term, ...] = Field(default=(), description="What the service rests on.")
    owners: tuple[Owner, ...] = Field(default=(), description="Roles that own items.")
    methods: tuple[Term, ...] = Field(default=(), description="Ways a parameter is verified.")
    values: tuple[Value, ...] = ()
    norms: tuple[Norm, ...] = ()
    parameters: tuple[Parameter, ...] = ()


TAXONOMY_SECTIONS = (
    "channels",
    "categories",
    "audiences",
    "roles",
    "factors",
    "pillars",
    "owners",
    "methods",
)
ITEM_SECTIONS = ("values", "norms", "parameters")
TERMS_WITH_PAGES = ("channels", "categories", "roles")
"""The taxonomy sections whose terms each have a page (`channels/phone.md`), in the folder of
the section's own page (`channels/index.md`, every moment of truth)."""
SITE_PAGE_NAMES = frozenset({"index"})
"""Names the site gives its own pages in such a folder: a term with one of them as its id would
take that page's place (MkDocs serves `channels/index.md` at `channels/`)."""
SECTION_NOUN = {  # one of a section, as messages name it
    "channels": "channel",
    "categories": "category",
    "audiences": "audience",
    "roles": "role",
    "factors": "factor",
    "pillars": "pillar",
    "owners": "owner",
    "methods": "method",
    "values": "value",
    "norms": "norm",
    "parameters": "parameter",
}

Item = Value | Norm | Parameter


@functools.lru_cache(maxsize=1 << 17)
def id_order(identifier: str) -> tuple[tuple[int, str], ...]:
    """Natural order: NRM-9 before NRM-10, whatever the zero padding. Remembered (a pure
    function of the id): a large handbook sorts the same 60,000 ids on many pages."""
    return tuple(
        (0, f"{int(part):020d}") if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", identifier)
        if part
    )


class Location(NamedTuple):
    """Where a node stands in the YAML, 1-based like an editor shows it.

    A named tuple rather than a frozen dataclass: the loader makes one for every node of every
    file, and a tuple is several times cheaper to create while just as immutable."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NodePath = tuple[str | int, ...]


class NodePositions(Mapping[NodePath, Location]):
    """Where each node of one file was written, by its path in the file's data.

    Knowing the position of every node costs about as much as parsing the file again, and most
    runs report nothing: the table may be given as a function that makes it when it is first
    read, once. Immutable to its readers."""

    def __init__(
        self, table: Mapping[NodePath, Location] | Callable[[], Mapping[NodePath, Location]]
    ):
        self._made = table if isinstance(table, Mapping) else None
        self._make = None if isinstance(table, Mapping) else table
        self._inside: dict[int, dict[NodePath, dict[NodePath, Location]]] = {}

    def _table(self) -> Mapping[NodePath, Location]:
        if self._made is None:
            assert self._make is not None
            self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, path: NodePath) -> Location:
        return self._table()[path]

    def __iter__(self) -> Iterator[NodePath]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def inside(self, path: NodePath) -> Mapping[NodePath, Location]:
        """The positions below `path`, relative to it. All nodes at the same depth are grouped
        in one pass over the table, not one pass each (which grows with the square of it)."""
        depth = len(path)
        grouped = self._inside.get(depth)
        if grouped is None:
            grouped = {}
            for node, location in self._table().items():
                if len(node) > depth:
                    grouped.setdefault(node[:depth], {})[node[depth:]] = location
            self._inside[depth] = grouped
        return grouped.get(path, {})


@dataclass(frozen=True, eq=False)
class Origin:
    """Where an item and each of its fields were written, so any step can point at the YAML."""

    file: str
    path: NodePath
    """The item's path in its file's data, e.g. `("norms", 3)`."""
    positions: NodePositions
    """Every node of that file; nothing is looked up until a step asks where something is."""
    keys: NodePositions | None = None
    """Where each key of that file was written, for problems with a key rather than its value."""

    @property
    def location(self) -> Location:
        return self.positions[self.path]

    @property
    def fields(self) -> Mapping[NodePath, Location]:
        """Each node of the item, by its path relative to the item."""
        return self.positions.inside(self.path)

    def of(self, *path: str | int) -> Location:
        """The location of the deepest written node along `path` (the item itself at worst)."""
        while path:
            found = self.positions.get((*self.path, *path))
            if found is not None:
                return found
            path = path[:-1]
        return self.location

    def key(self, *path: str | int) -> Location:
        """Where the key of the node at `path` was written (`ru:` of a text, not the text)."""
        found = self.keys.get((*self.path, *path)) if self.keys is not None and path else None
        return found if found is not None else self.of(*path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return (self.location, dict(self.fields)) == (other.location, dict(other.fields))

    __hash__ = None  # type: ignore[assignment]


class Partial(NamedTuple):
    """An entry that failed the schema, validated again without the fields at fault, so that
    its other problems (a reference, a date, a translation) are reported in the same run."""

    section: str
    item: Term | Value | Norm | Parameter
    unread: frozenset[str]
    """Its fields that were wrong, were filled in to make the entry whole, or may have been
    meant by a misspelt key: nothing is concluded from them."""


@dataclass(frozen=True)
class Handbook:
    """Everything the standards say, after loading; the only thing that crosses steps."""

    settings: Settings
    root: str
    """The standards folder as it was given; item locations start with it."""
    taxonomy: Mapping[str, tuple[Term, ...]]
    values: tuple[Value, ...]
    norms: tuple[Norm, ...]
    parameters: tuple[Parameter, ...]
    origins: Mapping[str, Origin]
    """Where each item and taxonomy term was written, by id (terms as `section:id`)."""
    index: Index
    """What the items say about each other (`index.py`), merged from each file's."""
    unreadable_ids: frozenset[str] = frozenset()
    """Ids of entries that exist but failed the schema (terms as `section:id`), and those a file
    that could not be parsed mentions: references to them are not 'unknown'."""
    unreadable_refs: frozenset[str] = frozenset()
    """Ids that items failing the schema point at: their coverage is unknown, not missing."""
    duplicates: tuple[tuple[str, Origin], ...] = ()
    """Second and later definitions of an id (left out of the model), for the check to report."""
    misread_ids: frozenset[str] = frozenset()
    """Ids written in a form no id has (`val-001`, `Store`; terms as `section:id`): a name
    close to one is taken to mean it, and naming it is no error either."""
    unreadable_origins: Mapping[str, Origin] = field(default_factory=dict)
    """Where each entry that failed the schema was written, by its id (terms as `section:id`)."""
    partials: tuple[Partial, ...] = ()
    """Entries that failed the schema, as far as they can be read: checked, never published."""
    settings_origin: Origin | None = None
    """Where `handbook:` was written, if it was."""
    settings_unread: frozenset[str] = frozenset()
    """The fields of the settings that failed the schema (stood in for by defaults)."""
    languages_read: bool = True
    """Whether the languages of the settings were read as written. If not (the settings failed
    the schema there, or could not be parsed, or are missing), nothing is checked against them:
    that error is reported, and a text in every language would otherwise be reported too."""
    file_names: Mapping[str, str] = field(default_factory=dict)
    """The real name, relative to the standards folder, of each file whose name reports show
    escaped (a control character, bytes that are not UTF-8), by the name reports give it:
    what must name the file itself (CODEOWNERS) reads it here."""

    def relative_file(self, key: str) -> str | None:
        """Where an item was written, relative to the standards folder (for comparing two
        checkouts of the same handbook)."""
        origin = self.origins.get(key)
        if origin is None:
            return None
        file = origin.file
        prefix = self.root.rstrip("/") + "/"
        return file[len(prefix) :] if file.startswith(prefix) else file

    def items(self) -> Iterator[Item]:
        """Values, then norms, then parameters, each in the order they were written."""
        yield from self.values
        yield from self.norms
        yield from self.parameters
