"""The example handbook reads like a real company's standards and is complete: the counts, the
coverage of every moment of truth by behaviour category, and the seeds' contrast examples."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from generator.model.items import Handbook
from generator.pipeline import validate
from generator.source.load import load_handbook
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def example() -> Handbook:
    loaded = load_handbook(ROOT / "standards")
    assert loaded.handbook is not None
    return loaded.handbook


def test_example_is_valid_even_in_strict_mode() -> None:
    validation = validate(ROOT / "standards", today=dt.date(2026, 11, 22))
    assert validation.diagnostics == []


def test_example_has_the_size_of_a_real_handbook(example: Handbook) -> None:
    active = [
        i for i in (*example.values, *example.norms, *example.parameters) if i.status == "active"
    ]
    assert len(example.values) >= 6
    assert len(example.norms) >= 30
    assert len(example.parameters) >= 80
    assert len(active) >= 6 + 30 + 80


def test_every_channel_by_category_cell_has_active_parameters(example: Handbook) -> None:
    channels = [c.id for c in example.taxonomy["channels"]]
    categories = [c.id for c in example.taxonomy["categories"]]
    assert channels == ["face-to-face", "phone", "written"]
    assert categories == ["gestures", "vocabulary", "proxemics", "appearance", "speed", "safety"]
    cells = {(p.channel, p.category) for p in example.parameters if p.status == "active"}
    assert set(itertools.product(channels, categories)) <= cells


def test_pillars_factors_and_audiences_are_all_used(example: Handbook) -> None:
    pillars = {p for v in example.values for p in v.pillars}
    factors = {f for n in example.norms for f in n.factors}
    audiences = {a for n in example.norms for a in n.audiences}
    assert pillars == {"strategy", "service-systems", "team"}
    assert factors == {"legislation", "culture", "offering"}
    assert audiences == {"external", "internal"}


def test_every_item_names_its_source(example: Handbook) -> None:
    for item in example.items():
        assert item.source, item.id
    seeds = {i.source for i in example.items() if str(i.source).startswith("seeds/")}
    assert seeds == {
        "seeds/000_f4b85bb1a311c0fb.txt",
        "seeds/001_307329248a910464.txt",
        "seeds/002_6a5959d2d35b35f9.txt",
    }


@pytest.mark.parametrize(
    "scene",
    ["internet banking", "without calling ahead", "your call is important to us", "clinic"],
)
def test_the_seeds_contrast_examples_are_dont_examples(example: Handbook, scene: str) -> None:
    donts = [str(text).lower() for n in example.norms for text in n.examples.dont]
    assert any(scene in text for text in donts)


def test_there_is_a_draft_and_a_retired_norm_to_show_the_lifecycle(example: Handbook) -> None:
    statuses = {n.status for n in example.norms}
    assert statuses == {"draft", "active", "retired"}
    retired = {n.id for n in example.norms if n.status == "retired"}
    assert any(set(n.replaces) & retired for n in example.norms if n.status == "active")
