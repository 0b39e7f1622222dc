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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

if TYPE_CHECKING:
    from generator.index import Index

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

Text = Annotated[
    str | dict[Language, str],
    Field(
        description=(
            "Plain text in the handbook's default language, or a map from language code to "
            "the text in that language."
        ),
        examples=["Answer within three rings.", {"en": "Smile.", "ru": "Улыбайтесь."}],
    ),
]

TermId = Annotated[str, Field(pattern=TERM_ID_PATTERN, examples=["phone", "face-to-face"])]
ValueId = Annotated[str, Field(pattern=VALUE_ID_PATTERN, examples=["VAL-001"])]
NormId = Annotated[str, Field(pattern=NORM_ID_PATTERN, examples=["NRM-001"])]
ParameterId = Annotated[str, Field(pattern=PARAMETER_ID_PATTERN, examples=["PAR-001"])]

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
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Settings(_Strict):
    """Handbook-wide settings, written once under `handbook:`."""

    title: Text = Field(description="The handbook's title, shown in the site header.")
    organisation: Text = Field(description="The company whose standards these are.")
    introduction: Text | None = Field(
        default=None, description="One or two paragraphs for the home page: what this is for."
    )
    default_language: Language = Field(
        default="en", description="The language of plain-string texts."
    )
    languages: tuple[Language, ...] = Field(
        default=("en",), description="Every language the handbook is published in."
    )
    required_languages: tuple[Language, ...] = Field(
        default=(),
        description=(
            "Languages every text must have: a missing translation in one of them is an "
            "error, in any other language a warning."
        ),
    )


class Term(_Strict):
    """One entry of the taxonomy (a channel, a category, an audience …)."""

    id: TermId = Field(description="Stable lowercase id, used in norms and parameters.")
    title: Text
    description: Text | None = None
    source: str | None = Field(default=None, description="Where this term comes from.")


class Channel(Term):
    """A moment of truth; it may require behaviour categories to be covered on it."""

    requires: tuple[TermId, ...] = Field(
        default=(),
        description=(
            "Behaviour categories (from `categories:`) that must have at least one active "
            "parameter on this channel; an empty required cell is an error."
        ),
        examples=[["vocabulary", "speed", "safety"]],
    )


Handle = Annotated[
    str,
    Field(
        pattern=r"^(@[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[a-z]+)$",
        examples=["@meridian/service-board", "@jdoe", "quality@meridian.example"],
    ),
]


class Role(Term):
    """An employee's job (a contact-centre agent, a courier …): whom a norm or parameter binds,
    as opposed to an audience, whom it serves. Each employee opens the page of their role."""

    channels: tuple[TermId, ...] = Field(
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
    owner: TermId | None = Field(
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

    id: ValueId
    statement: Text = Field(description="The value in one or two sentences.")
    rationale: Text | None = Field(default=None, description="Why the company holds it.")
    pillars: tuple[TermId, ...] = Field(
        default=(), description="Pillars (from `pillars:`) the value rests on."
    )
    replaces: tuple[ValueId, ...] = Field(
        default=(), description="Earlier values this one takes the place of."
    )


class Norm(_Item):
    """A binding rule that makes one or more values concrete."""

    id: NormId
    statement: Text = Field(description="The rule, as an employee must follow it.")
    rationale: Text | None = None
    traces_to: tuple[ValueId, ...] = Field(
        default=(), description="The values this norm makes concrete (at least one)."
    )
    channels: tuple[TermId, ...] = Field(
        default=(), description="Moments of truth (from `channels:`) where the norm applies."
    )
    audiences: tuple[TermId, ...] = Field(
        default=(), description="Customers (from `audiences:`) the norm serves."
    )
    factors: tuple[TermId, ...] = Field(
        default=(), description="Factors (from `factors:`) the norm answers to."
    )
    roles: tuple[TermId, ...] = Field(
        default=(),
        description="The jobs (from `roles:`) the norm binds; none named means every role.",
    )
    effective: IsoDate | None = Field(default=None, description="First day the norm binds.")
    review: IsoDate | None = Field(default=None, description="Day the owner reviews it again.")
    examples: Examples = Field(default_factory=Examples)
    replaces: tuple[NormId, ...] = Field(
        default=(), description="Earlier norms this one takes the place of."
    )


class Parameter(_Item):
    """One observable behaviour that implements a norm on one channel."""

    id: ParameterId
    traces_to: tuple[NormId, ...] = Field(
        default=(), description="The norms this parameter makes observable (at least one)."
    )
    channel: TermId = Field(description="The moment of truth (from `channels:`).")
    category: TermId = Field(description="The behaviour category (from `categories:`).")
    requirement: Text = Field(description="What the employee does, observably.")
    measure: Measure | None = None
    verification: tuple[TermId, ...] = Field(
        default=(), description="How it is checked (ids from `methods:`)."
    )
    roles: tuple[TermId, ...] = Field(
        default=(),
        description=(
            "The jobs (from `roles:`) the parameter binds; none named means the roles of the "
            "norms it implements."
        ),
    )
    effective: IsoDate | None = None
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return (self.location, dict(self.fields)) == (other.location, dict(other.fields))

    __hash__ = None  # type: ignore[assignment]


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
    """What the items say about each other (`generator/index.py`), merged from each file's."""
    unreadable_ids: frozenset[str] = frozenset()
    """Ids of items that exist but failed the schema: references to them are not 'unknown'."""
    unreadable_refs: frozenset[str] = frozenset()
    """Ids that items failing the schema point at: their coverage is unknown, not missing."""
    duplicates: tuple[tuple[str, Origin], ...] = ()
    """Second and later definitions of an id (left out of the model), for the check to report."""

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
