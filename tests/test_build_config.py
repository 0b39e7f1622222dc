"""What a project asks of a build, beyond its standards: a folder of its own templates, and
languages written as regional codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli


def _settings(small: Path, lines: str) -> None:
    settings = small / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("  organisation: Small Shop\n", f"  organisation: Small Shop\n{lines}", 1),
        encoding="utf-8",
    )


@pytest.mark.slow
def test_regional_codes_the_theme_has_build_in_every_language(small: Path) -> None:
    _settings(small, "  languages: [en, pt-BR, zh-TW]\n")
    assert run_cli("validate", "standards", cwd=small).code == 0
    built = run_cli("build", cwd=small, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert built.code == 0, built.stderr
    assert "Traceback" not in built.stderr
    for code, name in (("pt-BR", "português (Brasil)"), ("zh-TW", "中文 (繁體, 台灣)")):
        page = BeautifulSoup(
            (small / "site" / code / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        # The theme's own file for the code may name the language alone (`pt` for pt-BR).
        assert page.html is not None
        assert str(page.html.get("lang")).split("-")[0] == code.split("-")[0]
        english = BeautifulSoup(
            (small / "site" / "en" / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        switcher = {
            link.get("hreflang"): link.get_text(strip=True) for link in english.select("[hreflang]")
        }
        assert switcher.get(code) == name, switcher


def test_a_templates_folder_that_is_not_there_stops_the_build_by_name(small: Path) -> None:
    config = small / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - handbook\n", "  - handbook:\n      templates: overides\n"
        ),
        encoding="utf-8",
    )
    built = run_cli("build", cwd=small)
    assert built.code == 1
    assert "`templates: overides`" in built.stderr and "does not exist" in built.stderr
    assert "Traceback" not in built.stderr
    assert not (small / "site").exists()
    rendered = run_cli("render", "out", "--templates", "overides", cwd=small)
    assert rendered.code == 2 and "overides" in rendered.stderr
