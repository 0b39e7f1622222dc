"""Re-validating after an edit reads again only the file that changed: counted, not timed."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.source.load
from generator.source.load import LoadedFile, load_handbook
from generator.source.yamlsource import ParsedYaml, parse_yaml
from generator.speed.filecache import FileCache


@pytest.fixture
def parsed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader parses, in order, as the test goes on."""
    parsed: list[str] = []

    def counting(text: str, file: str) -> ParsedYaml:
        parsed.append(Path(file).name)
        return parse_yaml(text, file)

    monkeypatch.setattr(generator.source.load, "parse_yaml", counting)
    return parsed


def test_an_unchanged_handbook_is_not_parsed_again(small: Path, parsed_files: list[str]) -> None:
    cache: FileCache[LoadedFile] = FileCache()
    first = load_handbook(small / "standards", cache=cache)
    assert sorted(parsed_files) == ["handbook.yml", "norms.yml", "values.yml"]
    again = load_handbook(small / "standards", cache=cache)
    assert len(parsed_files) == 3
    assert again == first


def test_one_changed_byte_reads_that_file_again_and_only_it(
    small: Path, parsed_files: list[str]
) -> None:
    cache: FileCache[LoadedFile] = FileCache()
    load_handbook(small / "standards", cache=cache)
    values = small / "standards" / "values.yml"
    text = values.read_text(encoding="utf-8")
    values.write_text(text.replace("guest.", "guest!"), encoding="utf-8")
    parsed_files.clear()
    loaded = load_handbook(small / "standards", cache=cache)
    assert parsed_files == ["values.yml"]
    assert loaded.handbook is not None
    assert "guest!" in str(loaded.handbook.values[0].statement)


def test_a_cached_load_reports_what_a_fresh_load_reports(small: Path) -> None:
    norms = small / "standards" / "norms.yml"
    norms.write_text(norms.read_text(encoding="utf-8") + "  - id: NRM-BAD\n", encoding="utf-8")
    cache: FileCache[LoadedFile] = FileCache()
    load_handbook(small / "standards", cache=cache)
    cached = load_handbook(small / "standards", cache=cache)
    fresh = load_handbook(small / "standards")
    assert cached.diagnostics == fresh.diagnostics
    assert cached.diagnostics


def test_a_deleted_file_is_not_brought_back_from_the_cache(small: Path) -> None:
    cache: FileCache[LoadedFile] = FileCache()
    load_handbook(small / "standards", cache=cache)
    (small / "standards" / "norms.yml").unlink()
    loaded = load_handbook(small / "standards", cache=cache)
    assert loaded.handbook is not None
    assert loaded.handbook.norms == ()
