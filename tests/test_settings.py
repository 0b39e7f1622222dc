"""`handbook build` reads the handbook's languages before it builds, from its settings alone:
the same settings as the whole handbook's, without reading every item."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.source.load import load_handbook, read_settings
from tests.conftest import ROOT


@pytest.mark.parametrize("source", ["example", "small", "settings-last"])
def test_the_settings_read_alone_are_those_of_the_whole_handbook(source: str, small: Path) -> None:
    """`handbook build` asks for the languages first: from the `handbook:` section only."""
    standards = ROOT / "standards" if source == "example" else small / "standards"
    if source == "settings-last":
        (standards / "handbook.yml").rename(standards / "zz-settings.yml")
        (standards / "aa-notes.yml").write_text(
            "# handbook: in a comment\nvalues:\n  - id: VAL-009\n    title: |\n"
            "      handbook: inside a text\n    statement: x\n",
            encoding="utf-8",
        )
    whole = load_handbook(standards).handbook
    assert whole is not None
    assert read_settings(standards) == whole.settings
    if source == "example":
        assert len(whole.settings.languages) > 1


def test_no_settings_are_read_from_a_handbook_without_them(tmp_path: Path) -> None:
    (tmp_path / "norms.yml").write_text("norms: []\n", encoding="utf-8")
    assert read_settings(tmp_path) is None
    assert read_settings(tmp_path / "absent") is None
