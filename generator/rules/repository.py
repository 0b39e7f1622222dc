"""The files generated from the standards and kept in the repository beside them: CODEOWNERS
and the editors' schema must say what the standards say now.

These are the repository checks: they read those files, and run only where the standards are a
folder of a project (`handbook validate`), never for the audit of a handbook already loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Location
from generator.model.schema import SCHEMA_FILE, SCHEMA_FOLDER, outdated
from generator.rules.codeowners import LOCATION, codeowners
from generator.rules.registry import Repository, checks_repository
from generator.system.filesystem import doing


@checks_repository(Rule.CODEOWNERS_OUTDATED, Rule.CODEOWNERS_PATH)
def codeowners_current(repository: Repository) -> Iterable[Diagnostic]:
    """A CODEOWNERS file beside the standards must say what the owners say, and be able to
    (a file name it cannot name is an error; it can only be brought up to date after)."""
    handbook = repository.handbook
    written = repository.project / LOCATION
    if not written.is_file() or any(k.startswith("owners:") for k in handbook.unreadable_ids):
        return []  # an owner that could not be read is reported; its reviewers are unknown
    expected = codeowners(handbook, repository.standards.resolve().name)
    if expected.problems:
        return list(expected.problems)
    with doing("reading CODEOWNERS"):
        if written.read_bytes() == expected.text.encode("utf-8"):  # whatever its encoding
            return []
    return [
        Diagnostic(
            Rule.CODEOWNERS_OUTDATED,
            Location(LOCATION, 1, 1),
            "the reviewers in CODEOWNERS are not those the standards' owners give",
            "Run `handbook codeowners` and commit the file it writes.",
        )
    ]


@checks_repository(Rule.SCHEMA_OUTDATED, Rule.SCHEMA_SUGGESTIONS_OUTDATED)
def schema_current(repository: Repository) -> Iterable[Diagnostic]:
    """The editors' schema beside the standards must be the one `handbook schema` writes. A
    stale one underlines a new channel, owner or language as a mistake: a warning. One that
    only suggests values and norms as they were misleads nobody into an error: a note, so that
    a pull request adding a norm does not fail on it."""
    written = repository.project / SCHEMA_FOLDER / SCHEMA_FILE
    if not repository.complete or not written.is_file():
        return []  # a schema made from a handbook with entries missing would differ anyway
    try:
        difference = outdated(written.read_text(encoding="utf-8"), repository.handbook)
    except (OSError, UnicodeDecodeError):
        difference = "checks"  # unreadable: as wrong as a stale one, and rewritten the same way
    if difference is None:
        return []
    where = Location(f"{SCHEMA_FOLDER}/{SCHEMA_FILE}", 1, 1)
    hint = "Run `handbook schema` and commit the file it writes."
    if difference == "suggestions":
        return [
            Diagnostic(
                Rule.SCHEMA_SUGGESTIONS_OUTDATED,
                where,
                "the editors' schema suggests the values and norms as they were: new ones are "
                "missing, changed titles are old",
                hint,
            )
        ]
    return [
        Diagnostic(
            Rule.SCHEMA_OUTDATED,
            where,
            "the editors' schema does not check what the standards declare: an editor "
            "underlines their new ids or languages, or accepts ones they no longer have",
            hint,
        )
    ]
