"""The languages a handbook is published in: a code the site cannot be built in is refused by
`handbook validate` where it is written, once, and every code that passes builds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.model.languages import code_meant, theme_languages, unpublishable
from tests.conftest import run_cli

SETTINGS_AT = "standards/handbook.yml"


def _settings(small: Path, lines: str) -> None:
    """The small handbook's settings with `lines` added after its organisation."""
    settings = small / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("  organisation: Small Shop\n", f"  organisation: Small Shop\n{lines}", 1),
        encoding="utf-8",
    )


def _diagnostics(small: Path) -> list[dict[str, Any]]:
    result = run_cli("validate", "standards", "--format", "json", cwd=small)
    assert result.code in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return found


def _where(found: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    return [(d["rule"], d["file"], d["line"], d["column"]) for d in found]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("xx", "not a language code that is known"),  # made up
        ("qaa", "not a language code that is known"),
        ("sh", "not a language code that is known"),  # the theme has it, Babel does not
        ("en-GB", "has no translation into it"),  # Babel knows it, the theme does not
        ("ga", "has no translation into it"),
        ("de-CH", "has no translation into it"),
    ],
)
def test_a_code_the_site_cannot_be_built_in_is_one_error_where_it_is_written(
    small: Path, code: str, why: str
) -> None:
    _settings(small, f"  languages: [en, {code}]\n")
    found = _diagnostics(small)
    # One error, at the code itself: no missing translation for every text besides.
    assert _where(found) == [("bad-language", SETTINGS_AT, 4, 19)]
    assert why in found[0]["message"] and f"`{code}`" in found[0]["message"]


def test_a_language_listed_twice_is_reported_at_the_second(small: Path) -> None:
    _settings(small, "  languages: [en, ru, ru]\n")
    found = [d for d in _diagnostics(small) if d["severity"] == "error"]
    assert _where(found) == [("bad-language", SETTINGS_AT, 4, 23)]
    assert "listed twice" in found[0]["message"]


@pytest.mark.parametrize(
    ("lines", "line", "column", "words"),
    [
        ("  default_language: ru\n", 4, 21, "the default language `ru` is not among"),
        ("  languages: [ru, lv]\n", 4, 14, "the default language `en` is not among"),
        (
            "  languages: [en, ru]\n  required_languages: [ru, lv]\n",
            5,
            28,
            "the required language `lv` is not among",
        ),
    ],
)
def test_a_default_or_required_language_must_be_published(
    small: Path, lines: str, line: int, column: int, words: str
) -> None:
    _settings(small, lines)
    found = [d for d in _diagnostics(small) if d["severity"] == "error"]
    assert _where(found) == [("bad-language", SETTINGS_AT, line, column)]
    assert words in found[0]["message"]
    # The languages are in doubt: no text is checked against them.
    assert not [d for d in _diagnostics(small) if d["rule"] != "bad-language"]


@pytest.mark.parametrize("code", ["EN", "english", "pt_br", "e n"])
def test_a_code_that_is_not_one_at_all_is_one_error_with_the_code_meant(
    small: Path, code: str
) -> None:
    _settings(small, f'  languages: [en, ru, "{code}"]\n')
    found = _diagnostics(small)
    assert [(d["rule"], d["line"]) for d in found] == [("bad-language", 4)]
    assert "is not a language code" in found[0]["message"]
    # Settings that are there but wrong are not "missing".
    assert "no file has a `handbook:` section" not in json.dumps(found)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("EN", "en"),
        ("english", "en"),
        ("Russian", "ru"),
        ("pt_br", "pt-BR"),
        ("pt-br", "pt-BR"),
        ("zh_tw", "zh-TW"),
        ("en-GB", "en"),
        ("eng", "en"),
        ("zz-top", None),
    ],
)
def test_the_code_meant_is_proposed(written: str, meant: str | None) -> None:
    assert code_meant(written) == meant


def test_the_theme_languages_are_read_from_the_installed_theme() -> None:
    codes = theme_languages()
    assert {"en", "ru", "lv", "tr", "pt-BR", "zh-TW"} <= codes
    for code in ("en", "ru", "lv", "tr", "pt-BR", "zh-TW", "uk", "ja"):
        assert unpublishable(code) is None, code


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("code", ["xx", "en-GB"])
def test_a_build_in_a_language_that_cannot_be_published_is_refused_and_nothing_is_built(
    small: Path, code: str
) -> None:
    assert run_cli("build", cwd=small).code == 0
    before = _site_files(small / "site")
    _settings(small, f"  languages: [en, {code}]\n")
    built = run_cli("build", cwd=small)
    assert built.code == 1
    assert "Traceback" not in built.stderr
    assert f"{SETTINGS_AT}:4:19" in built.stderr and "[bad-language]" in built.stderr
    assert _site_files(small / "site") == before
