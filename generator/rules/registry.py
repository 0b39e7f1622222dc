"""The registry of checks: each rule over a loaded handbook is enforced by one function,
registered with the rules it may report, so that "where is rule X checked?" has one answer.

A check is one of two kinds, told apart by its decorator and by what it is given:

- `@checks(...)`: a **model check**. It is given a `Model` (the handbook, its links, the audit
  date) and nothing else: pure, the same answer for the same handbook on the same day wherever it
  runs (`handbook validate`, the audit page of a build, a test).
- `@checks_repository(...)`: a **repository check**. It is given a `Repository` (the handbook
  and the standards folder on disk) and compares the handbook with what was generated from it
  beside the standards (CODEOWNERS, the editors' schema). It reads files, so it runs only where
  the standards are a folder of a project: `handbook validate`, not the audit.

Which modules hold checks, and the order they run in, is listed in `generator/rules/catalogue.py`,
the one module that imports them: registration happens there, once. A check that reports a rule
it did not declare is a programming error, raised as soon as it does (`UndeclaredRuleError`).

Adding a rule touches three files:

1. `generator/model/diagnostics.py`: the `Rule` member and its `RuleInfo` in `RULES`;
2. the module of its theme in `generator/rules/`: one function decorated `@checks(Rule.NEW)`
   (or `@checks_repository`) that yields its `Diagnostic`s;
3. `tests/fixtures/bad/<rule>.yml`: the smallest YAML that breaks it, with `# expect:` lines
   (or, for a rule no single file can show, an entry in `PROVED_ELSEWHERE` of
   `tests/test_rules.py` and a test of its own).

A rule that needs a theme of its own adds its module to `catalogue.MODULES` as well: four files.
`tests/test_rules.py` and `tests/test_registry.py` fail for a rule that nothing declares or
reports, one declared by two checks, or a module that registers checks outside the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Handbook, Norm, Origin, Parameter, Value
from generator.model.trace import Links, link


class PartlyRead(NamedTuple):
    """An item that failed the schema, as far as it could be read: its checks are those of any
    item, minus what `unread` holds (nothing is concluded from a field that was wrong)."""

    item: Value | Norm | Parameter
    origin: Origin
    unread: frozenset[str]

    @property
    def status(self) -> str | None:
        """None when the status itself could not be read: no check may assume one."""
        return None if "status" in self.unread else self.item.status


@dataclass(frozen=True)
class Model:
    """What a model check is given: the loaded handbook and the day it is checked on."""

    handbook: Handbook
    links: Links
    today: dt.date
    """Dates the review and replacement checks, so the same input and day give the same answer."""

    @classmethod
    def of(cls, handbook: Handbook, today: dt.date) -> Model:
        return cls(handbook, link(handbook), today)

    def origin(self, key: str) -> Origin:
        """Where an item (by id) or a taxonomy term (`section:id`) was written."""
        return self.handbook.origins[key]

    def partly_read(self) -> Iterator[PartlyRead]:
        """The values, norms and parameters that failed the schema, for the checks of one item
        at a time: every problem of an entry is reported in one run."""
        for partial in self.handbook.partials:
            item = partial.item
            if isinstance(item, Value | Norm | Parameter):
                yield PartlyRead(item, self.handbook.unreadable_origins[item.id], partial.unread)


@dataclass(frozen=True)
class Repository:
    """What a repository check is given: the handbook and where its standards folder is."""

    handbook: Handbook
    standards: Path
    """The standards folder as given on the command line; its parent is the project."""
    complete: bool
    """False when loading reported an error: an entry is then missing from the model, and a
    file generated from the whole handbook cannot be compared with it."""

    @property
    def project(self) -> Path:
        return self.standards.resolve().parent


Context = TypeVar("Context", Model, Repository)


class UndeclaredRuleError(Exception):
    """A check reported a rule it did not declare: the registry would send a reader looking for
    that rule's check in the wrong place."""


@dataclass(frozen=True)
class Registered(Generic[Context]):
    """One registered check and the rules it may report."""

    function: Callable[[Context], Iterable[Diagnostic]]
    rules: frozenset[Rule]

    @property
    def module(self) -> str:
        return self.function.__module__

    @property
    def name(self) -> str:
        return f"{self.module}.{self.function.__qualname__}"

    def run(self, context: Context) -> list[Diagnostic]:
        found = list(self.function(context))
        undeclared = {diagnostic.rule for diagnostic in found} - self.rules
        if undeclared:
            listed = ", ".join(sorted(undeclared))
            raise UndeclaredRuleError(f"{self.name} reported {listed}, which it does not declare")
        return found


MODEL_CHECKS: list[Registered[Model]] = []
"""Filled once, as `catalogue` imports the rule modules; read through `catalogue`."""
REPOSITORY_CHECKS: list[Registered[Repository]] = []

ModelCheck = Callable[[Model], Iterable[Diagnostic]]
RepositoryCheck = Callable[[Repository], Iterable[Diagnostic]]


def checks(first: Rule, *rules: Rule) -> Callable[[ModelCheck], ModelCheck]:
    """Registers a model check that may report `first` and `rules`."""

    def register(function: ModelCheck) -> ModelCheck:
        MODEL_CHECKS.append(Registered(function, frozenset((first, *rules))))
        return function

    return register


def checks_repository(first: Rule, *rules: Rule) -> Callable[[RepositoryCheck], RepositoryCheck]:
    """Registers a repository check that may report `first` and `rules`."""

    def register(function: RepositoryCheck) -> RepositoryCheck:
        REPOSITORY_CHECKS.append(Registered(function, frozenset((first, *rules))))
        return function

    return register
