"""The auditor's figures, on small hand-made handbooks and through `handbook audit`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator.audit.compute import Audit, audit
from generator.source.load import load_handbook
from tests.conftest import FIXTURES, golden, run_cli

TODAY = dt.date(2026, 11, 22)


def _audit_of(standards: Path) -> Audit:
    handbook = load_handbook(standards).handbook
    assert handbook is not None
    return audit(handbook, today=TODAY)


def _add(small: Path, name: str, text: str) -> None:
    (small / "standards" / name).write_text(text, encoding="utf-8")


def test_small_handbook_is_fully_traced(small: Path) -> None:
    result = _audit_of(small / "standards")
    assert result.passed
    assert (str(result.norms_with_value), str(result.parameters_with_norm)) == ("2/2", "4/4")
    assert result.counts["norms"] == {"active": 2, "draft": 0, "retired": 0}
    assert [[c.count for c in row] for row in result.grid] == [[1, 1], [1, 1]]
    assert [p.id for p in result.parameters_without_measure] == ["PAR-001", "PAR-004"]


def test_an_orphan_parameter_fails_the_audit(small: Path) -> None:
    _add(
        small,
        "orphan.yml",
        "parameters:\n  - id: PAR-900\n    title: Lost\n    traces_to: [NRM-404]\n"
        "    channel: phone\n    category: speed\n    requirement: Hurry.\n"
        "    owner: head-of-service\n",
    )
    result = _audit_of(small / "standards")
    assert not result.passed
    assert [p.id for p in result.parameters_without_norm] == ["PAR-900"]
    assert [d.rule.value for d in result.traceability_errors] == ["unknown-reference"]
    assert str(result.parameters_with_norm) == "4/5"


def test_an_empty_required_cell_is_shown_and_reported(small: Path) -> None:
    handbook_yml = small / "standards" / "handbook.yml"
    handbook_yml.write_text(
        handbook_yml.read_text(encoding="utf-8").replace(
            "  - id: phone\n    title: Phone\n",
            "  - id: phone\n    title: Phone\n    requires: [vocabulary, speed]\n",
        ),
        encoding="utf-8",
    )
    (small / "standards" / "norms.yml").write_text(
        (small / "standards" / "norms.yml")
        .read_text(encoding="utf-8")
        .replace(
            "    channel: phone\n    category: vocabulary\n",
            "    channel: phone\n    category: speed\n",
        ),
        encoding="utf-8",
    )
    result = _audit_of(small / "standards")
    assert [(c.channel.id, c.category.id) for c in result.required_cells_empty] == [
        ("phone", "vocabulary")
    ]
    assert str(result.cells_covered) == "3/4"
    validation = run_cli("validate", "standards", cwd=small)
    assert validation.code == 1
    assert "error[required-cell-empty]" in validation.stdout


def test_a_norm_serving_two_values_counts_for_both(small: Path) -> None:
    handbook = load_handbook(small / "standards").handbook
    assert handbook is not None
    result = audit(handbook, today=TODAY)
    assert result.values_without_norms == ()  # VAL-002 is served only by NRM-002, with VAL-001


def test_retired_items_are_counted_but_not_audited_as_gaps(small: Path) -> None:
    _add(
        small,
        "retired.yml",
        "values:\n  - id: VAL-900\n    title: Thrift\n    statement: Old.\n    status: retired\n"
        "norms:\n  - id: NRM-900\n    title: Old rule\n    statement: Old.\n"
        "    traces_to: [VAL-900]\n    status: retired\n",
    )
    result = _audit_of(small / "standards")
    assert result.counts["values"] == {"active": 2, "draft": 0, "retired": 1}
    assert result.counts["norms"] == {"active": 2, "draft": 0, "retired": 1}
    assert result.passed
    assert result.values_without_norms == () and result.norms_without_parameters == ()
    assert result.items_without_owner == ()


def test_overdue_reviews_depend_on_the_given_day(small: Path) -> None:
    handbook = load_handbook(small / "standards").handbook
    assert handbook is not None
    assert audit(handbook, today=dt.date(2026, 12, 31)).reviews_overdue == ()
    late = audit(handbook, today=dt.date(2027, 1, 15)).reviews_overdue
    assert [n.id for n in late] == ["NRM-001"]


@pytest.mark.parametrize(("fmt", "expected"), [("text", "audit.txt"), ("json", "audit.json")])
def test_audit_command_output_is_pinned(fmt: str, expected: str) -> None:
    result = run_cli(
        "audit", "standards", "--format", fmt, "--today", "2026-11-22", cwd=FIXTURES / "small"
    )
    assert result.code == 0, result.stderr
    golden(expected, result.stdout)


def test_audit_command_fails_on_a_traceability_error(small: Path) -> None:
    shutil.copy(FIXTURES / "bad" / "unknown-reference.yml", small / "standards" / "zz.yml")
    result = run_cli("audit", "standards", "--format", "json", cwd=small)
    assert result.code == 1
    report = json.loads(result.stdout)
    assert report["passed"] is False
    assert {e["rule"] for e in report["traceability_errors"]} == {"unknown-reference"}


def test_audit_refuses_standards_it_cannot_read(small: Path) -> None:
    shutil.copy(FIXTURES / "bad" / "yaml-syntax.yml", small / "standards" / "zz.yml")
    result = run_cli("audit", "standards", cwd=small)
    assert result.code == 1
    assert "cannot be audited" in result.stderr
    assert result.stdout == ""


def test_example_handbook_passes_the_audit() -> None:
    result = run_cli("audit", "--today", "2026-11-22", cwd=Path(__file__).parent.parent)
    assert result.code == 0
    assert "result: no traceability error" in result.stdout
    assert "18/18 cells covered; 0 required cells empty" in result.stdout
