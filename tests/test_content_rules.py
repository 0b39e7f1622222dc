"""What the schema cannot see in one field: texts that say nothing or lack the default language,
translations that are never published, a measure no one can meet, a replaced rule still in
force."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli


def _write(small: Path, text: str) -> None:
    (small / "standards" / "zz.yml").write_text(text, encoding="utf-8")


def _found(small: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("validate", "standards", "--format", "json", *args, cwd=small)
    assert result.code in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return found


def _in_zz(found: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return [(d["rule"], d["line"], d["column"]) for d in found if d["file"] == "standards/zz.yml"]


def _languages(small: Path, lines: str) -> None:
    settings = small / "standards" / "handbook.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "  organisation: Small Shop\n", f"  organisation: Small Shop\n{lines}", 1
        ),
        encoding="utf-8",
    )


VALUE = "values:\n  - id: VAL-900\n    owner: head-of-service\n    statement: We listen.\n"


@pytest.mark.parametrize(
    "title",
    ['""', '"   "', '"\\u200b"', '"\\ufeff\\n"', "{en: '', ru: ' '}", "{}", '"\\u00a0\\u3000"'],
)
def test_a_text_that_shows_nothing_in_any_language_is_an_error(small: Path, title: str) -> None:
    _languages(small, "  languages: [en, ru]\n")
    _write(small, VALUE + f"    title: {title}\n")
    found = _in_zz(_found(small))
    assert ("empty-text", 5, 12) in found
    # Nothing else about that text: an empty text is not also an untranslated one.
    assert [f for f in found if f[1] == 5] == [("empty-text", 5, 12)]


def test_a_blank_translation_counts_as_missing(small: Path) -> None:
    _languages(small, "  languages: [en, ru, lv]\n  required_languages: [ru]\n")
    _write(small, VALUE.replace("We listen.", "{en: We listen., ru: ' ', lv: Mēs klausāmies.}"))
    found = [(d["rule"], d["message"]) for d in _found(small) if d["file"] == "standards/zz.yml"]
    assert ("missing-required-translation", "`statement` of VAL-900 has no ru text") in found


def test_a_map_without_the_default_language_is_an_error_at_the_text(small: Path) -> None:
    _languages(small, "  languages: [en, ru]\n")
    _write(small, VALUE + "    title:\n      ru: Слушаем\n")
    found = _in_zz(_found(small))
    assert ("missing-default-language", 6, 7) in found


def test_a_language_not_published_is_one_warning_however_many_texts_have_it(small: Path) -> None:
    _languages(small, "  languages: [en, ru]\n")
    values = "values:\n" + "".join(
        f"  - id: VAL-9{n:02d}\n    owner: head-of-service\n"
        f"    title: {{en: Value {n}, ru: Ценность {n}, de: Wert {n}}}\n"
        f"    statement: {{en: Text {n}, ru: Текст {n}, de: Text {n}}}\n"
        for n in range(10)
    )
    _write(small, values)
    found = [d for d in _found(small) if d["rule"] == "unpublished-language"]
    assert [(d["file"], d["line"], d["column"], d["severity"]) for d in found] == [
        ("standards/zz.yml", 4, 42, "warning")
    ]
    assert "and of 19 more" in found[0]["message"]


def test_texts_are_not_checked_against_languages_the_settings_got_wrong(small: Path) -> None:
    _languages(small, "  languages: [en, ru, ru]\n")
    _write(small, VALUE + "    title: {ru: Только по-русски, de: Nur Deutsch}\n")
    found = _found(small)
    assert {d["rule"] for d in found} <= {"bad-language", "value-without-norm"}


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("{metric: Seconds, min: 10, max: 5}", [("measure-range", 6, 37)]),
        ("{metric: Seconds, min: 5, max: 10, target: 12}", [("measure-range", 6, 57)]),
        ("{metric: Seconds, min: 5, max: 10, target: 4.5}", [("measure-range", 6, 57)]),
        ("{metric: Seconds, min: 5, max: 10, target: 10}", []),
        ("{metric: Seconds, min: 5, max: 5}", []),
        ("{metric: Seconds, max: 5, target: every time}", []),
        ("{metric: Seconds, min: -3.5, target: -4}", [("measure-range", 6, 51)]),
    ],
)
def test_a_measure_must_accept_its_target(
    small: Path, measure: str, expected: list[tuple[str, int, int]]
) -> None:
    _write(
        small,
        "parameters:\n  - id: PAR-900\n    title: Speed\n    traces_to: [NRM-002]\n"
        f"    channel: phone\n    measure: {measure}\n    category: speed\n"
        "    requirement: Pick up.\n    owner: head-of-service\n",
    )
    assert [f for f in _in_zz(_found(small)) if f[0] == "measure-range"] == expected


REPLACING = (
    "norms:\n  - id: NRM-900\n    title: Greet sooner\n    statement: Greet within 5 s.\n"
    "    traces_to: [VAL-001]\n    owner: head-of-service\n    replaces: [NRM-001]\n"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("", [("replaced-still-active", 7, 16)]),
        ("    effective: 2026-01-01\n", [("replaced-still-active", 7, 16)]),
        ("    effective: 2099-01-01\n", []),  # not yet in force: the old one still binds
        ("    status: draft\n", []),  # a proposal to replace it
    ],
)
def test_a_replaced_item_in_force_beside_its_replacement_is_an_error(
    small: Path, change: str, expected: list[tuple[str, int, int]]
) -> None:
    _write(small, REPLACING + change)
    found = _found(small, "--today", "2026-11-22")
    assert [f for f in _in_zz(found) if f[0] == "replaced-still-active"] == expected
    for diagnostic in found:
        if diagnostic["rule"] == "replaced-still-active":
            assert diagnostic["ids"] == ["NRM-900", "NRM-001"]
            assert "standards/norms.yml:2:9" in diagnostic["hint"]  # where to retire it


def test_a_retired_replaced_item_is_as_it_should_be(small: Path) -> None:
    norms = small / "standards" / "norms.yml"
    norms.write_text(
        norms.read_text(encoding="utf-8").replace(
            "    effective: 2026-01-01\n", "    effective: 2026-01-01\n    status: retired\n", 1
        ),
        encoding="utf-8",
    )
    _write(small, REPLACING)
    assert not [d for d in _found(small) if d["rule"] == "replaced-still-active"]


def test_items_that_replace_each_other_are_one_loop_not_two_replacements(small: Path) -> None:
    text = REPLACING.replace("replaces: [NRM-001]", "replaces: [NRM-901]")
    _write(
        small,
        text + "  - id: NRM-901\n    title: Greet\n    statement: Greet.\n"
        "    traces_to: [VAL-001]\n    owner: head-of-service\n    replaces: [NRM-900]\n",
    )
    rules = [d["rule"] for d in _found(small) if d["severity"] == "error"]
    assert rules == ["replacement-cycle"]
