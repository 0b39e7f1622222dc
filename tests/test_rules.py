"""One bad YAML fixture per rule: the CLI reports the rule at the exact line and column.

Each file in tests/fixtures/bad/ is dropped into a copy of the small handbook; its first lines
say what must be reported (`# expect: RULE LINE:COL`). Every error reported for that file must
be expected, so a fixture also proves that one mistake does not cascade into several.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from generator.model.diagnostics import RULES, Rule, Severity
from generator.rules.catalogue import MODEL_CHECKS, REPOSITORY_CHECKS
from tests.conftest import FIXTURES, ROOT, run_cli

BAD = FIXTURES / "bad"
EXPECT = re.compile(rb"^# expect: ([a-z-]+) (\d+):(\d+)$", re.MULTILINE)
# Rules that need more than one extra file to show, each proved by a test of its own below.
PROVED_ELSEWHERE = {
    Rule.FILE_TOO_LARGE,
    # need links and file names a fixture folder cannot hold portably: see test_hostile.py
    Rule.FILE_OUTSIDE,
    Rule.FILE_NAME_CLASH,
    # needs links in a loop, a folder without permission …: see test_filesystem.py
    Rule.FILE_UNREADABLE,
    Rule.NO_STANDARDS,
    Rule.MISSING_SETTINGS,
    # found by comparing with a release, not by validating one folder: see test_releases.py
    Rule.ITEM_REMOVED,
    Rule.ID_REUSED,
    Rule.EFFECTIVE_BEFORE_RELEASE,
    # need a handbook in several languages: see test_i18n.py
    Rule.MISSING_TRANSLATION,
    Rule.MISSING_REQUIRED_TRANSLATION,
    # needs a repository with a CODEOWNERS file: see test_workflow.py
    Rule.CODEOWNERS_OUTDATED,
    # needs a project with the editors' schema beside the standards: see test_schema.py
    Rule.SCHEMA_OUTDATED,
    Rule.SCHEMA_SUGGESTIONS_OUTDATED,
    # needs file names a fixture folder cannot hold portably: see test_codeowners.py
    Rule.CODEOWNERS_PATH,
    # need the small handbook's own norms to name roles: see test_roles.py
    Rule.ROLE_UNBOUND,
    Rule.ROLE_CHANNEL_EMPTY,
}


READERS = ROOT / "generator" / "source"
"""The modules that read the YAML: they report what is wrong with a file or an entry's shape."""
RELEASES = (ROOT / "generator" / "releases", ROOT / "generator" / "publish.py")
"""What compares a handbook with its published history."""


def rules_named_in(paths: Iterable[Path]) -> set[Rule]:
    """Every `Rule.X` the code of these modules names."""
    named: set[Rule] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        named.update(
            Rule[node.attr]
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Rule"
            and node.attr in Rule.__members__
        )
    return named


def _fixtures() -> list[Path]:
    return sorted(BAD.glob("*.yml"))


def _expectations(path: Path) -> set[tuple[str, int, int]]:
    return {
        (rule.decode(), int(line), int(column))
        for rule, line, column in EXPECT.findall(path.read_bytes())
    }


def _diagnostics(project: Path) -> list[dict[str, Any]]:
    result = run_cli(
        "validate", "standards", "--format", "json", "--today", "2026-11-22", cwd=project
    )
    assert result.code in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return found


def test_every_rule_has_a_fixture_or_a_test_of_its_own() -> None:
    covered = {path.stem for path in _fixtures()}
    missing = {rule.value for rule in Rule} - covered - {r.value for r in PROVED_ELSEWHERE}
    assert missing == set()
    assert set(RULES) == set(Rule)


def test_every_rule_is_reported_by_a_registered_check_or_a_reader() -> None:
    """The list of rules, the registry and the fixtures cannot drift apart: a rule no
    registered check declares and no reader reports is one that nothing enforces, unless a
    test of its own proves it (the rules found against a release)."""
    declared = {rule for check in MODEL_CHECKS for rule in check.rules}
    declared |= {rule for check in REPOSITORY_CHECKS for rule in check.rules}
    read = rules_named_in(READERS.rglob("*.py"))
    assert set(Rule) - declared - read - PROVED_ELSEWHERE == set()
    releases = rules_named_in(
        path for place in RELEASES for path in ([place] if place.is_file() else place.rglob("*.py"))
    )
    assert set(Rule) - declared - read - releases == set()


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.stem)
def test_bad_fixture_is_reported_at_its_line_and_column(small: Path, fixture: Path) -> None:
    expected = _expectations(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    assert {rule for rule, _, _ in expected} == {fixture.stem}
    shutil.copy(fixture, small / "standards" / f"zz-{fixture.name}")
    diagnostics = _diagnostics(small)
    in_file = [d for d in diagnostics if d["file"] == f"standards/zz-{fixture.name}"]
    found = {(d["rule"], d["line"], d["column"]) for d in in_file}
    assert expected <= found
    unexpected_errors = {
        (d["rule"], d["line"], d["column"]) for d in in_file if d["severity"] == "error"
    } - expected
    assert unexpected_errors == set()
    for d in in_file:
        assert d["message"] and d["hint"], d
    # The rest of the handbook is untouched by the bad file: nothing reported elsewhere.
    assert [d for d in diagnostics if d not in in_file] == []


def test_unknown_field_suggests_the_field_that_was_meant(small: Path) -> None:
    shutil.copy(BAD / "unknown-field.yml", small / "standards" / "zz.yml")
    [diagnostic] = _diagnostics(small)
    assert diagnostic["hint"] == "Did you mean `traces_to`?"


def test_unknown_reference_suggests_a_close_id(small: Path) -> None:
    shutil.copy(BAD / "unknown-reference.yml", small / "standards" / "zz.yml")
    diagnostics = _diagnostics(small)
    hints = {d["ids"][1]: d["hint"] for d in diagnostics}
    assert hints["fone"] == "Did you mean `phone`?"
    assert hints["VAL-099"] == "Did you mean `VAL-002`?"


def test_a_file_over_the_size_limit_is_refused_unread(small: Path) -> None:
    big = small / "standards" / "big.yml"
    big.write_text("# padding\n" * 900_000, encoding="utf-8")
    diagnostics = _diagnostics(small)
    assert [(d["rule"], d["file"], d["line"]) for d in diagnostics] == [
        ("file-too-large", "standards/big.yml", 1)
    ]


def test_an_empty_folder_has_no_standards(tmp_path: Path) -> None:
    (tmp_path / "standards").mkdir()
    result = run_cli("validate", "standards", cwd=tmp_path)
    assert result.code == 1
    assert "error[no-standards] no YAML files found in `standards`" in result.stdout


def test_handbook_settings_are_required_once(small: Path) -> None:
    settings = small / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    (small / "standards" / "again.yml").write_text(
        "handbook:\n  title: Again\n  organisation: Again\n", encoding="utf-8"
    )
    again = _diagnostics(small)
    assert [(d["rule"], d["file"], d["line"]) for d in again] == [
        ("missing-settings", "standards/handbook.yml", 1)
    ] or [(d["rule"], d["file"], d["line"]) for d in again] == [
        ("missing-settings", "standards/again.yml", 1)
    ]
    (small / "standards" / "again.yml").unlink()
    settings.write_text(text.replace("handbook:", "handbook_settings:", 1), encoding="utf-8")
    rules = {d["rule"] for d in _diagnostics(small)}
    assert "missing-settings" in rules


def test_warnings_pass_unless_strict(small: Path) -> None:
    shutil.copy(BAD / "value-without-norm.yml", small / "standards" / "zz.yml")
    assert run_cli("validate", "standards", cwd=small).code == 0
    assert run_cli("validate", "standards", "--strict", cwd=small).code == 1
    assert RULES[Rule.VALUE_WITHOUT_NORM].severity is Severity.WARNING
