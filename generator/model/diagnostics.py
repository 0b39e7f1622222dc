"""Diagnostics are data: a closed list of rules, each with one severity, and a location on every
message. The library only returns them; the CLI and the MkDocs plugin decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from generator.model.items import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Family(StrEnum):
    STRUCTURE = "structure"
    TRACEABILITY = "traceability"
    COVERAGE = "coverage"
    LIFECYCLE = "lifecycle"
    LANGUAGE = "language"


class Rule(StrEnum):
    """Every problem the handbook can report. Codes are stable: CI filters and docs cite them."""

    # structure: the YAML itself, and its shape against the schema
    YAML_SYNTAX = "yaml-syntax"
    FILE_ENCODING = "file-encoding"
    FILE_TOO_LARGE = "file-too-large"
    FILE_OUTSIDE = "file-outside-standards"
    FILE_NAME_CLASH = "file-name-clash"
    FILE_UNREADABLE = "file-unreadable"
    TAB_INDENT = "tab-indent"
    NESTING_TOO_DEEP = "nesting-too-deep"
    DUPLICATE_KEY = "duplicate-key"
    YAML_ALIAS = "yaml-alias"
    YAML_TAG = "yaml-tag"
    MULTIPLE_DOCUMENTS = "multiple-documents"
    UNKNOWN_FIELD = "unknown-field"
    MISSING_FIELD = "missing-field"
    WRONG_TYPE = "wrong-type"
    BAD_ENUM = "bad-enum"
    BAD_ID = "bad-id"
    BAD_DATE = "bad-date"
    BAD_HANDLE = "bad-handle"
    RESERVED_ID = "reserved-id"
    NO_STANDARDS = "no-standards"
    MISSING_SETTINGS = "missing-settings"
    BAD_LANGUAGE = "bad-language"
    EMPTY_TEXT = "empty-text"
    MEASURE_RANGE = "measure-range"
    # traceability: how items point at each other
    DUPLICATE_ID = "duplicate-id"
    NORM_WITHOUT_VALUE = "norm-without-value"
    PARAMETER_WITHOUT_NORM = "parameter-without-norm"
    UNKNOWN_REFERENCE = "unknown-reference"
    TRACES_TO_INACTIVE = "traces-to-inactive"
    REPLACEMENT_CYCLE = "replacement-cycle"
    CHANNEL_NOT_IN_NORM = "channel-not-in-norm"
    ROLE_NOT_IN_NORM = "role-not-in-norm"
    # coverage: what is missing for the standards to be complete
    VALUE_WITHOUT_NORM = "value-without-norm"
    NORM_WITHOUT_PARAMETER = "norm-without-parameter"
    REQUIRED_CELL_EMPTY = "required-cell-empty"
    ROLE_UNBOUND = "role-unbound"
    ROLE_CHANNEL_EMPTY = "role-channel-empty"
    # lifecycle: owners and dates
    MISSING_OWNER = "missing-owner"
    REVIEW_OVERDUE = "review-overdue"
    DATES_OUT_OF_ORDER = "dates-out-of-order"
    REPLACED_STILL_ACTIVE = "replaced-still-active"
    # language: texts that a published language lacks
    MISSING_TRANSLATION = "missing-translation"
    MISSING_REQUIRED_TRANSLATION = "missing-required-translation"
    MISSING_DEFAULT_LANGUAGE = "missing-default-language"
    UNPUBLISHED_LANGUAGE = "unpublished-language"
    # repository: files generated from the standards
    CODEOWNERS_OUTDATED = "codeowners-outdated"
    SCHEMA_OUTDATED = "schema-outdated"
    SCHEMA_SUGGESTIONS_OUTDATED = "schema-suggestions-outdated"
    CODEOWNERS_PATH = "codeowners-path"
    # releases: what only a comparison with the published history can show
    ITEM_REMOVED = "item-removed"
    ID_REUSED = "id-reused"
    EFFECTIVE_BEFORE_RELEASE = "effective-before-release"


@dataclass(frozen=True)
class RuleInfo:
    family: Family
    severity: Severity
    title: str


RULES: dict[Rule, RuleInfo] = {
    Rule.YAML_SYNTAX: RuleInfo(Family.STRUCTURE, Severity.ERROR, "YAML syntax error"),
    Rule.FILE_ENCODING: RuleInfo(Family.STRUCTURE, Severity.ERROR, "File is not UTF-8"),
    Rule.FILE_TOO_LARGE: RuleInfo(Family.STRUCTURE, Severity.ERROR, "File is too large"),
    Rule.NESTING_TOO_DEEP: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Nesting is too deep"),
    Rule.FILE_OUTSIDE: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Link to a file outside the standards"
    ),
    Rule.FILE_NAME_CLASH: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "File names differ only in case or accents"
    ),
    Rule.FILE_UNREADABLE: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "File or folder cannot be read"
    ),
    Rule.TAB_INDENT: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Tab used for indentation"),
    Rule.DUPLICATE_KEY: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Key written twice"),
    Rule.YAML_ALIAS: RuleInfo(Family.STRUCTURE, Severity.ERROR, "YAML anchor or alias"),
    Rule.YAML_TAG: RuleInfo(Family.STRUCTURE, Severity.ERROR, "YAML tag"),
    Rule.MULTIPLE_DOCUMENTS: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "More than one YAML document in a file"
    ),
    Rule.UNKNOWN_FIELD: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Unknown field"),
    Rule.MISSING_FIELD: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Required field missing"),
    Rule.WRONG_TYPE: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Wrong type"),
    Rule.BAD_ENUM: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Value not allowed"),
    Rule.BAD_ID: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Id or handle malformed or of the wrong kind"
    ),
    Rule.BAD_DATE: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Malformed date"),
    Rule.BAD_HANDLE: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Not a reviewer CODEOWNERS can name"
    ),
    Rule.RESERVED_ID: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Id is the name of a page the site makes itself"
    ),
    Rule.NO_STANDARDS: RuleInfo(Family.STRUCTURE, Severity.ERROR, "No standards found"),
    Rule.MISSING_SETTINGS: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Handbook settings missing or repeated"
    ),
    Rule.BAD_LANGUAGE: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Language that cannot be published as set"
    ),
    Rule.EMPTY_TEXT: RuleInfo(Family.STRUCTURE, Severity.ERROR, "Text empty in every language"),
    Rule.MEASURE_RANGE: RuleInfo(
        Family.STRUCTURE, Severity.ERROR, "Measure's limits contradict each other"
    ),
    Rule.DUPLICATE_ID: RuleInfo(Family.TRACEABILITY, Severity.ERROR, "Id used twice"),
    Rule.NORM_WITHOUT_VALUE: RuleInfo(
        Family.TRACEABILITY, Severity.ERROR, "Norm traces to no value"
    ),
    Rule.PARAMETER_WITHOUT_NORM: RuleInfo(
        Family.TRACEABILITY, Severity.ERROR, "Parameter traces to no norm"
    ),
    Rule.UNKNOWN_REFERENCE: RuleInfo(Family.TRACEABILITY, Severity.ERROR, "Unknown reference"),
    Rule.TRACES_TO_INACTIVE: RuleInfo(
        Family.TRACEABILITY, Severity.ERROR, "Active item traces to a draft or retired one"
    ),
    Rule.REPLACEMENT_CYCLE: RuleInfo(
        Family.TRACEABILITY, Severity.ERROR, "Items replace each other in a cycle"
    ),
    Rule.CHANNEL_NOT_IN_NORM: RuleInfo(
        Family.TRACEABILITY, Severity.ERROR, "Parameter's channel is not one of its norm's"
    ),
    Rule.ROLE_NOT_IN_NORM: RuleInfo(
        Family.TRACEABILITY, Severity.WARNING, "Parameter binds a role its norms do not"
    ),
    Rule.ROLE_UNBOUND: RuleInfo(Family.COVERAGE, Severity.WARNING, "No norm binds the role"),
    Rule.ROLE_CHANNEL_EMPTY: RuleInfo(
        Family.COVERAGE, Severity.WARNING, "Role has no parameter in a moment of truth it works in"
    ),
    Rule.VALUE_WITHOUT_NORM: RuleInfo(Family.COVERAGE, Severity.WARNING, "Value has no norm"),
    Rule.NORM_WITHOUT_PARAMETER: RuleInfo(
        Family.COVERAGE, Severity.WARNING, "Norm has no behaviour parameter"
    ),
    Rule.REQUIRED_CELL_EMPTY: RuleInfo(
        Family.COVERAGE, Severity.ERROR, "Required channel and category have no parameter"
    ),
    Rule.MISSING_OWNER: RuleInfo(Family.LIFECYCLE, Severity.WARNING, "No owner"),
    Rule.REVIEW_OVERDUE: RuleInfo(Family.LIFECYCLE, Severity.WARNING, "Review date has passed"),
    Rule.DATES_OUT_OF_ORDER: RuleInfo(
        Family.LIFECYCLE, Severity.ERROR, "Review date before effective date"
    ),
    Rule.REPLACED_STILL_ACTIVE: RuleInfo(
        Family.LIFECYCLE, Severity.ERROR, "Replaced item still active"
    ),
    Rule.MISSING_TRANSLATION: RuleInfo(
        Family.LANGUAGE, Severity.WARNING, "Text not translated into a published language"
    ),
    Rule.MISSING_REQUIRED_TRANSLATION: RuleInfo(
        Family.LANGUAGE, Severity.ERROR, "Text not translated into a required language"
    ),
    Rule.MISSING_DEFAULT_LANGUAGE: RuleInfo(
        Family.LANGUAGE, Severity.ERROR, "Text without the default language"
    ),
    Rule.UNPUBLISHED_LANGUAGE: RuleInfo(
        Family.LANGUAGE, Severity.WARNING, "Text in a language that is not published"
    ),
    Rule.CODEOWNERS_OUTDATED: RuleInfo(
        Family.LIFECYCLE, Severity.WARNING, "CODEOWNERS does not match the owners"
    ),
    Rule.SCHEMA_OUTDATED: RuleInfo(
        Family.LIFECYCLE, Severity.WARNING, "The editors' schema does not match the standards"
    ),
    Rule.SCHEMA_SUGGESTIONS_OUTDATED: RuleInfo(
        Family.LIFECYCLE, Severity.INFO, "The editors' schema suggests outdated values or norms"
    ),
    Rule.CODEOWNERS_PATH: RuleInfo(
        Family.LIFECYCLE, Severity.ERROR, "File name CODEOWNERS cannot name"
    ),
    Rule.ITEM_REMOVED: RuleInfo(
        Family.LIFECYCLE, Severity.ERROR, "A released item was deleted instead of retired"
    ),
    Rule.ID_REUSED: RuleInfo(
        Family.LIFECYCLE, Severity.ERROR, "A retired id was brought back for another item"
    ),
    Rule.EFFECTIVE_BEFORE_RELEASE: RuleInfo(
        Family.LIFECYCLE, Severity.WARNING, "Effective before the release that introduced it"
    ),
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem, pointing at the YAML node at fault and saying what to write instead."""

    rule: Rule
    location: Location
    message: str
    hint: str = ""
    ids: tuple[str, ...] = ()

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule.value, self.message)


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """File, then line, then column: the order a person fixes them in; duplicates dropped."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def has_errors(diagnostics: list[Diagnostic], *, strict: bool = False) -> bool:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(d.severity in failing for d in diagnostics)
