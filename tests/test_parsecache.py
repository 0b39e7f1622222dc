"""A cold `handbook validate` after an edit parses again only the file that changed: counted
through the parse function the store is given, not timed."""

from __future__ import annotations

from pathlib import Path

from generator.load import load_handbook
from generator.parsecache import ParseStore
from generator.yamlsource import ParsedYaml, parse_yaml

TEXT = "norms:\n  - id: NRM-001\n    title: Greet\n    title: twice\n    n: 12\n"


class _Counting:
    def __init__(self) -> None:
        self.files: list[str] = []

    def __call__(self, text: str, file: str) -> ParsedYaml:
        self.files.append(file)
        return parse_yaml(text, file)


def test_a_file_parsed_in_an_earlier_run_is_read_back_not_parsed(tmp_path: Path) -> None:
    first_run, second_run = _Counting(), _Counting()
    before = ParseStore(tmp_path, first_run).parse(TEXT, "n.yml", TEXT.encode())
    after = ParseStore(tmp_path, second_run).parse(TEXT, "n.yml", TEXT.encode())
    assert (first_run.files, second_run.files) == (["n.yml"], [])
    assert after.data == before.data
    assert after.problems == before.problems
    assert dict(after.positions) == dict(before.positions)


def test_one_changed_byte_is_parsed_again(tmp_path: Path) -> None:
    ParseStore(tmp_path).parse(TEXT, "n.yml", TEXT.encode())
    changed = TEXT.replace("12", "13")
    counting = _Counting()
    parsed = ParseStore(tmp_path, counting).parse(changed, "n.yml", changed.encode())
    assert counting.files == ["n.yml"]
    assert parsed.data == {"norms": ({"id": "NRM-001", "title": "Greet", "n": 13},)}


def test_a_corrupt_entry_is_ignored_and_written_again(tmp_path: Path) -> None:
    ParseStore(tmp_path).parse(TEXT, "n.yml", TEXT.encode())
    [entry] = tmp_path.iterdir()
    for damage in (b"", b"not a cache entry", entry.read_bytes()[:-3]):
        entry.write_bytes(damage)
        counting = _Counting()
        parsed = ParseStore(tmp_path, counting).parse(TEXT, "n.yml", TEXT.encode())
        assert counting.files == ["n.yml"]
        assert parsed.problems == parse_yaml(TEXT, "n.yml").problems
    assert ParseStore(tmp_path, counting).parse(TEXT, "n.yml", TEXT.encode()).data
    assert counting.files == ["n.yml"]


def test_a_handbook_loaded_from_the_store_reports_what_a_fresh_load_reports(
    small: Path, tmp_path: Path
) -> None:
    norms = small / "standards" / "norms.yml"
    norms.write_text(norms.read_text(encoding="utf-8") + "  - id: NRM-BAD\n", encoding="utf-8")
    store = tmp_path / "cache"
    load_handbook(small / "standards", store=ParseStore(store))
    stored = load_handbook(small / "standards", store=ParseStore(store, _Counting()))
    fresh = load_handbook(small / "standards")
    assert stored.diagnostics == fresh.diagnostics
    assert stored.diagnostics
    assert stored.handbook == fresh.handbook


def test_entries_of_files_no_longer_there_are_deleted(tmp_path: Path) -> None:
    store = ParseStore(tmp_path)
    store.parse(TEXT, "old.yml", TEXT.encode())
    store.prune()
    assert len(list(tmp_path.iterdir())) == 1
    ParseStore(tmp_path).prune()
    assert list(tmp_path.iterdir()) == []
