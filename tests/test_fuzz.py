"""A short, seeded fuzz campaign on every run, and the corpus a long one kept (see fuzz.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import FIXTURES
from tests.fuzz import Files, byte_edits, check_files, handbooks, load_case

SHORT = settings(
    max_examples=120,
    derandomize=True,  # the same inputs on every run and every machine
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CORPUS = sorted((FIXTURES / "fuzz").glob("*.json"))


@SHORT
@given(handbooks())
def test_plausible_handbooks_with_mistakes_get_located_diagnostics(files: Files) -> None:
    check_files(files)


@SHORT
@given(byte_edits())
def test_damaged_and_random_bytes_get_located_diagnostics(files: Files) -> None:
    check_files(files)


def test_the_corpus_holds_cases() -> None:
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("case", CORPUS, ids=lambda path: path.stem)
def test_a_case_the_long_campaign_kept_still_gives_its_rules(case: Path) -> None:
    rules, files = load_case(case)
    assert check_files(files) == rules
