"""A cold `handbook validate` after an edit parses again only the file that changed: counted
through the parse function the store is given, not timed."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing.process
import os
from pathlib import Path

import pytest

from benchmarks import synthetic
from generator.source import parsecache
from generator.source.load import load_handbook
from generator.source.parsecache import ParseStore
from generator.source.yamlsource import ParsedYaml, parse_yaml
from generator.system.environment import NO_HELPERS as NO_HELPERS_VARIABLE
from generator.system.environment import read_environment

TEXT = "norms:\n  - id: NRM-001\n    title: Greet\n    title: twice\n    n: 12\n"


class _Counting:
    """The files parsed in this process (a forked process counts in its own copy)."""

    def __init__(self, fail_elsewhere: bool = False) -> None:
        self.files: list[str] = []
        self.pid = os.getpid()
        self.fail_elsewhere = fail_elsewhere

    def __call__(self, text: str, file: str) -> ParsedYaml:
        if self.fail_elsewhere and os.getpid() != self.pid:
            raise MemoryError("the forked process fails")
        if os.getpid() == self.pid:
            self.files.append(Path(file).name)
        return parse_yaml(text, file)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def test_a_file_parsed_in_an_earlier_run_is_read_back_not_parsed(tmp_path: Path) -> None:
    first_run, second_run = _Counting(), _Counting()
    before = ParseStore(tmp_path, first_run).parse(TEXT, "n.yml", _digest(TEXT))
    after = ParseStore(tmp_path, second_run).parse(TEXT, "n.yml", _digest(TEXT))
    assert (first_run.files, second_run.files) == (["n.yml"], [])
    assert after.data == before.data
    assert after.problems == before.problems
    assert dict(after.positions) == dict(before.positions)


def test_one_changed_byte_is_parsed_again(tmp_path: Path) -> None:
    ParseStore(tmp_path).parse(TEXT, "n.yml", _digest(TEXT))
    changed = TEXT.replace("12", "13")
    counting = _Counting()
    parsed = ParseStore(tmp_path, counting).parse(changed, "n.yml", _digest(changed))
    assert counting.files == ["n.yml"]
    assert parsed.data == {"norms": ({"id": "NRM-001", "title": "Greet", "n": 13},)}


def test_a_corrupt_entry_is_ignored_and_written_again(tmp_path: Path) -> None:
    ParseStore(tmp_path).parse(TEXT, "n.yml", _digest(TEXT))
    [entry] = tmp_path.iterdir()
    for damage in (b"", b"not a cache entry", entry.read_bytes()[:-3]):
        entry.write_bytes(damage)
        counting = _Counting()
        parsed = ParseStore(tmp_path, counting).parse(TEXT, "n.yml", _digest(TEXT))
        assert counting.files == ["n.yml"]
        assert parsed.problems == parse_yaml(TEXT, "n.yml").problems
    assert ParseStore(tmp_path, counting).parse(TEXT, "n.yml", _digest(TEXT)).data
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
    store.parse(TEXT, "old.yml", _digest(TEXT))
    store.prune()
    assert len(list(tmp_path.iterdir())) == 1
    ParseStore(tmp_path).prune()
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def several_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A handbook of several files, each large enough to be parsed on two cores."""
    monkeypatch.setattr(parsecache, "AHEAD_CHARACTERS", 1)
    monkeypatch.delenv(NO_HELPERS_VARIABLE, raising=False)
    return synthetic.write(tmp_path / "several", 350) / "standards"


def _names(standards: Path) -> list[str]:
    return sorted(path.name for path in standards.glob("*.yml"))


def test_a_cold_load_parses_the_later_files_in_another_process(
    several_files: Path, tmp_path: Path
) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: everything is parsed in one process")
    counting = _Counting()
    loaded = load_handbook(several_files, store=ParseStore(tmp_path / "cache", counting))
    names = _names(several_files)
    assert len(names) > 4
    assert 1 <= len(counting.files) < len(names)
    assert counting.files == names[: len(counting.files)]  # the earlier ones
    assert loaded == load_handbook(several_files)
    again = _Counting()
    load_handbook(several_files, store=ParseStore(tmp_path / "cache", again))
    assert again.files == []  # the other process stored what it parsed


def test_what_the_other_process_fails_to_parse_is_parsed_here(
    several_files: Path, tmp_path: Path
) -> None:
    counting = _Counting(fail_elsewhere=True)
    loaded = load_handbook(several_files, store=ParseStore(tmp_path / "cache", counting))
    assert sorted(counting.files) == _names(several_files)
    assert loaded == load_handbook(several_files)


def test_one_process_parses_everything_when_asked_to(
    several_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = read_environment({**os.environ, NO_HELPERS_VARIABLE: "1"})
    counting = _Counting()
    load_handbook(
        several_files, store=ParseStore(tmp_path / "cache", counting, helpers=asked.helpers)
    )
    assert counting.files == _names(several_files)


def test_prune_removes_what_a_stopped_run_left_half_written(tmp_path: Path) -> None:
    """A run stopped while an entry was being written leaves its scratch file; the next run's
    clean-up removes it with the entries nobody uses."""
    store = ParseStore(tmp_path / "cache")
    store.folder.mkdir()
    kept = store.folder / "kept.marshal"
    kept.write_bytes(b"x")
    scratch = store.folder / ".0123.marshal.89ab.partial"
    scratch.write_bytes(b"half")
    store._used.add(kept.name)
    store.prune()
    assert kept.exists()
    assert not scratch.exists()


def test_parsing_ahead_where_the_fork_is_refused_parses_here(
    several_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: object) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    counting = _Counting()
    loaded = load_handbook(several_files, store=ParseStore(tmp_path / "cache", counting))
    assert counting.files == _names(several_files)
    assert loaded == load_handbook(several_files)
