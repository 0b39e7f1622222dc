"""The handbook's index, merged from each file's, is the index of all its items at once; after
an edit only the changed file's index is made again, and the check reports what a fresh run
reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import generator.source.load
from benchmarks import synthetic
from generator.model.index import Index, index_items
from generator.model.items import Handbook, Norm, Parameter, Value
from generator.pipeline import validate
from generator.source.load import LoadedFile, load_handbook
from generator.speed.filecache import FileCache
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 22)


def _ordered(index: Index) -> dict[str, Any]:
    """Every field, with tables as lists of pairs: order is part of the index (groups are
    shown in the order written, the first value is the one a hint proposes)."""
    return {
        name: list(field.items()) if isinstance(field, Mapping) else field
        for name, field in vars(index).items()
    }


def _whole(handbook: Handbook) -> Index:
    return index_items(handbook.values, handbook.norms, handbook.parameters)


@pytest.mark.parametrize("source", ["example", "synthetic"])
def test_the_merged_index_is_the_index_of_all_items(source: str, tmp_path: Path) -> None:
    if source == "example":
        standards = ROOT / "standards"
    else:
        standards = synthetic.write(tmp_path / "synthetic", 120) / "standards"
    handbook = load_handbook(standards).handbook
    assert handbook is not None
    assert len({origin.file for origin in handbook.origins.values()}) > 2
    assert _ordered(handbook.index) == _ordered(_whole(handbook))
    assert handbook.index.active_parameters_of_norm  # not two empty indexes


def test_an_id_written_twice_counts_once_in_the_index(small: Path) -> None:
    """The second definition is left out of the handbook, and so are the ids it names: only the
    duplicate is reported, not an unknown value the dropped copy points at."""
    (small / "standards" / "zz-again.yml").write_text(
        "norms:\n"
        "  - id: NRM-001\n"
        "    title: Greet again\n"
        "    statement: A second definition.\n"
        "    traces_to: [VAL-404]\n"
        "    owner: head-of-service\n",
        encoding="utf-8",
    )
    result = validate(small / "standards", today=TODAY)
    handbook = result.handbook
    assert handbook is not None
    assert _ordered(handbook.index) == _ordered(_whole(handbook))
    assert "VAL-404" not in handbook.index.named["values"]
    assert [d.rule.value for d in result.diagnostics if d.severity.value == "error"] == [
        "duplicate-id"
    ]


def test_an_edit_makes_the_index_of_the_changed_file_only(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[tuple[str, ...]] = []

    def counting(
        values: tuple[Value, ...], norms: tuple[Norm, ...], parameters: tuple[Parameter, ...]
    ) -> Index:
        made.append(tuple(item.id for kind in (values, norms, parameters) for item in kind))
        return index_items(values, norms, parameters)

    monkeypatch.setattr(generator.source.load, "index_items", counting)
    cache: FileCache[LoadedFile] = FileCache()
    validate(small / "standards", today=TODAY, cache=cache)
    assert len(made) == 3  # one per file
    values = small / "standards" / "values.yml"
    values.write_text(values.read_text(encoding="utf-8").replace("guest.", "guest!"), "utf-8")
    made.clear()
    validate(small / "standards", today=TODAY, cache=cache)
    assert made == [("VAL-001", "VAL-002")]


EDITS = {
    # A parameter on a channel its norm does not apply on.
    "channel-not-in-norm": (
        "channel: phone\n    category: speed",
        "channel: face-to-face\n    category: speed",
    ),
    # A norm pointing at a value nobody declared.
    "unknown-reference": ("traces_to: [VAL-002, VAL-001]", "traces_to: [VAL-002, VAL-009]"),
    # A parameter that no longer traces to anything.
    "parameter-without-norm": ("traces_to: [NRM-002]\n", "traces_to: []\n"),
    # An active norm with nobody answering for it.
    "missing-owner": (
        "    factors: [legislation]\n    owner: head-of-service\n",
        "    factors: [legislation]\n",
    ),
    # A norm that replaces itself.
    "replacement-cycle": ("  - id: NRM-002\n", "  - id: NRM-002\n    replaces: [NRM-002]\n"),
}


@pytest.mark.parametrize("rule", sorted(EDITS))
def test_revalidating_after_an_edit_reports_what_a_fresh_run_reports(
    small: Path, rule: str
) -> None:
    cache: FileCache[LoadedFile] = FileCache()
    assert not validate(small / "standards", today=TODAY, cache=cache).failed()
    norms = small / "standards" / "norms.yml"
    before, after = EDITS[rule]
    text = norms.read_text(encoding="utf-8")
    assert before in text
    norms.write_text(text.replace(before, after, 1), encoding="utf-8")
    again = validate(small / "standards", today=TODAY, cache=cache)
    fresh = validate(small / "standards", today=TODAY)
    assert again.diagnostics == fresh.diagnostics
    assert rule in {d.rule.value for d in again.diagnostics}
