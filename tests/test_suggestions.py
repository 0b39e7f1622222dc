""" "Did you mean …?" proposes what a person would: the name one slip away, a swap of two
neighbours counting as one slip, and among equally close names the one with the same digits,
then the nearest number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.model.suggestions import Names, did_you_mean, distance
from tests.conftest import run_cli

VALUES = ["VAL-001", "VAL-002", "VAL-008", "VAL-021", "VAL-120"]


@pytest.mark.parametrize(
    ("written", "known", "meant"),
    [
        ("VAL-020", VALUES, "VAL-002"),  # two digits swapped: one slip, same digits
        ("VAL-020", ["VAL-008", "VAL-002"], "VAL-002"),
        ("VAL-012", ["VAL-021", "VAL-011", "VAL-013"], "VAL-021"),  # same digits first
        ("VAL-014", ["VAL-011", "VAL-013", "VAL-019"], "VAL-013"),  # then the nearest number
        ("VAL-0001", ["VAL-001", "VAL-100"], "VAL-001"),
        ("val-001", VALUES, "VAL-001"),  # case is no slip
        ("NRM-00l", ["NRM-001", "NRM-002"], "NRM-001"),
        ("fone", ["face-to-face", "phone", "written"], "phone"),
        ("face-to-fase", ["face-to-face", "phone"], "face-to-face"),
        ("trace_to", ["title", "traces_to", "traces"], "traces_to"),
        ("requries", ["id", "title", "requires"], "requires"),
        ("organization", ["title", "organisation"], "organisation"),
        ("VAL-999", VALUES, None),  # three slips in a short id: not what was meant
        ("telephone", ["phone", "written"], None),
        ("x", ["y"], None),
        ("", VALUES, None),
        ("VAL-001", ["VAL-001"], None),  # a name is no suggestion for itself
    ],
)
def test_the_closest_name_as_a_person_sees_it(
    written: str, known: list[str], meant: str | None
) -> None:
    assert did_you_mean(written, known) == meant


@pytest.mark.parametrize(
    ("first", "second", "steps"),
    [
        ("abc", "abc", 0),
        ("abc", "acb", 1),
        ("abcd", "badc", 2),
        ("ca", "abc", 3),  # optimal string alignment: no character moved twice
        ("kitten", "sitting", 3),
        ("VAL-020", "VAL-002", 1),
        ("VAL-020", "VAL-008", 2),
        ("", "abc", 3),
    ],
)
def test_distance_counts_a_swap_of_neighbours_as_one_step(
    first: str, second: str, steps: int
) -> None:
    assert distance(first, second, 10) == steps
    assert distance(second, first, 10) == steps
    if steps:  # past the bound, the bound plus one
        assert distance(first, second, steps - 1) == steps


def test_a_large_handbook_is_searched_once_per_list() -> None:
    """Ten thousand ids: the list is prepared once and each unknown id looked up in it."""
    names = Names(f"NRM-{number:05d}" for number in range(10_000))
    assert names.closest("NRM-01234X") == "NRM-01234"
    assert names.closest("NRM-10001") == "NRM-01001"  # a swap, the same digits
    assert names.closest("NRM-ABCDE") is None


def test_unknown_references_are_suggested_by_closeness(small: Path) -> None:
    values = small / "standards" / "values.yml"
    values.write_text(
        values.read_text(encoding="utf-8")
        + "".join(
            f"  - id: {identifier}\n    title: Extra\n    statement: Extra.\n"
            "    owner: head-of-service\n"
            for identifier in ("VAL-008", "VAL-021")
        ),
        encoding="utf-8",
    )
    (small / "standards" / "zz.yml").write_text(
        "norms:\n  - id: NRM-900\n    title: Thanks\n    statement: Thank the customer.\n"
        "    traces_to: [VAL-020]\n    channels: [phnoe]\n    owner: head-of-servcie\n",
        encoding="utf-8",
    )
    result = run_cli("validate", "standards", "--format", "json", cwd=small)
    hints = {
        d["ids"][1]: d["hint"]
        for d in json.loads(result.stdout)["diagnostics"]
        if d["rule"] == "unknown-reference"
    }
    assert hints == {
        "VAL-020": "Did you mean `VAL-002`?",
        "phnoe": "Did you mean `phone`?",
        "head-of-servcie": "Did you mean `head-of-service`?",
    }
