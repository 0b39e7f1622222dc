# ruff: noqa: RUF001 (look-alike letters are what these tests are about)
"""Hostile standards, as a pull request could bring them: each gets a located diagnostic, in
bounded time and memory, with nothing executed and nothing outside the repository read.

Every case runs the real CLI in its own process under an address-space limit and a timeout,
so a case that expands, loops or reads without end fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

MEMORY_LIMIT = 1536 * 1024 * 1024
"""Address space a validation may use; the example needs well under a fifth of it."""
TIME_LIMIT = 60
SECRET = "TOP-SECRET-5f1c"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _validate(project: Path) -> tuple[int, list[dict[str, Any]], str]:
    completed = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "standards", "--format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limited,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    diagnostics: list[dict[str, Any]] = json.loads(completed.stdout)["diagnostics"]
    for diagnostic in diagnostics:
        assert diagnostic["file"].startswith("standards/"), diagnostic
        assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1, diagnostic
        assert diagnostic["message"] and diagnostic["hint"], diagnostic
    return completed.returncode, diagnostics, completed.stdout + completed.stderr


def _billion_laughs(standards: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    (standards / "bomb.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _deep_nesting(standards: Path) -> None:
    (standards / "deep.yml").write_text("values: " + "[" * 20_000 + "\n", encoding="utf-8")


def _deep_mapping(standards: Path) -> None:
    text = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(1_500))
    (standards / "deep.yml").write_text("values:\n" + text, encoding="utf-8")


def _fifty_megabytes(standards: Path) -> None:
    with (standards / "huge.yml").open("w", encoding="utf-8") as huge:
        line = "# " + "x" * 1022 + "\n"
        for _ in range(50 * 1024):
            huge.write(line)


def _python_tag(standards: Path) -> None:
    marker = standards.parent / "executed"
    (standards / "tag.yml").write_text(
        f"values:\n  - !!python/object/apply:os.system ['touch {marker}']\n"
        f"x: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
        encoding="utf-8",
    )


def _binary_junk(standards: Path) -> None:
    junk = bytes((n * 7919 + 13) % 256 for n in range(64 * 1024))
    (standards / "junk.yml").write_bytes(junk)


def _nul_bytes(standards: Path) -> None:
    (standards / "nul.yml").write_bytes(b"values:\n  - id: VAL-\x00001\n")


def _link_to_a_secret(standards: Path) -> None:
    secret = standards.parent.parent / "secret.yml"
    secret.write_text(f"values:\n  - id: VAL-900\n    title: {SECRET}\n", encoding="utf-8")
    (standards / "innocent.yml").symlink_to(secret)


def _link_to_a_device(standards: Path) -> None:
    (standards / "zero.yml").symlink_to("/dev/zero")


def _link_to_a_folder_outside(standards: Path) -> None:
    outside = standards.parent.parent / "elsewhere"
    outside.mkdir()
    (outside / "more.yml").write_text(f"values:\n  - id: VAL-901\n    title: {SECRET}\n")
    (standards / "linked").symlink_to(outside, target_is_directory=True)


def _names_that_differ_in_case(standards: Path) -> None:
    (standards / "Norms.yml").write_text("norms: []\n", encoding="utf-8")


def _names_that_differ_in_normalisation(standards: Path) -> None:
    name = "değerler.yml"
    (standards / unicodedata.normalize("NFC", name)).write_text("values: []\n")
    (standards / unicodedata.normalize("NFD", name)).write_text("values: []\n")


def _ids_that_fold_together(standards: Path) -> None:
    (standards / "fold.yml").write_text(
        "values:\n"
        "  - id: val-001\n    title: Lower case\n    statement: Folds onto VAL-001.\n"
        "  - id: VAL-00İ\n    title: Turkish dotted capital\n    statement: Not an ASCII id.\n"
        "  - id: VAL-00ı\n    title: Turkish dotless small\n    statement: Not an ASCII id.\n"
        "  - id: VAL-Ａ01\n    title: Full-width letter\n    statement: NFKC would fold it.\n",
        encoding="utf-8",
    )


def _dots_in_names(standards: Path) -> None:
    folder = standards / "a..b"
    folder.mkdir()
    (folder / "..x..yml").write_text("values:\n  - id: VAL-..\n    title: Dots\n")
    (folder / "x..yml").write_text("values:\n  - id: ../VAL-001\n    title: Dots\n")


def _path_in_a_reference(standards: Path) -> None:
    (standards / "refs.yml").write_text(
        "norms:\n  - id: NRM-900\n    title: Escape\n    statement: Reads a path.\n"
        "    traces_to: [../../etc/passwd]\n",
        encoding="utf-8",
    )


CASES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "billion-laughs": (_billion_laughs, {"yaml-alias"}),
    "deep-nesting": (_deep_nesting, {"nesting-too-deep"}),
    "deep-mapping": (_deep_mapping, {"nesting-too-deep"}),
    "fifty-megabytes": (_fifty_megabytes, {"file-too-large"}),
    "python-tag": (_python_tag, {"yaml-tag"}),
    "binary-junk": (_binary_junk, {"file-encoding"}),
    "nul-bytes": (_nul_bytes, {"yaml-syntax"}),
    "link-to-a-secret": (_link_to_a_secret, {"file-outside-standards"}),
    "link-to-a-device": (_link_to_a_device, {"file-outside-standards"}),
    "link-to-a-folder-outside": (_link_to_a_folder_outside, {"file-outside-standards"}),
    "names-differ-in-case": (_names_that_differ_in_case, {"file-name-clash"}),
    "names-differ-in-normalisation": (_names_that_differ_in_normalisation, {"file-name-clash"}),
    "ids-that-fold-together": (_ids_that_fold_together, {"bad-id"}),
    "path-in-a-reference": (_path_in_a_reference, {"bad-id"}),
    "dots-in-names": (_dots_in_names, {"bad-id"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_standards_get_a_located_diagnostic_and_nothing_else(
    small: Path, case: str
) -> None:
    make, expected = CASES[case]
    make(small / "standards")
    code, diagnostics, output = _validate(small)
    assert code == 1
    rules = {d["rule"] for d in diagnostics if d["severity"] == "error"}
    assert rules & expected, (case, diagnostics)
    assert SECRET not in output
    assert not (small / "executed").exists()


def test_ids_that_fold_together_are_each_refused_by_name(small: Path) -> None:
    _ids_that_fold_together(small / "standards")
    _, diagnostics, _ = _validate(small)
    messages = " ".join(d["message"] for d in diagnostics if d["rule"] == "bad-id")
    for written in ("val-001", "VAL-00İ", "VAL-00ı", "VAL-Ａ01"):
        assert f"`{written}`" in messages


def test_dots_in_a_file_name_are_only_part_of_the_name(small: Path) -> None:
    """`..` in a name never climbs out of a folder; a name starting with a dot is hidden, like
    `.git`, and not read."""
    _dots_in_names(small / "standards")
    _, diagnostics, _ = _validate(small)
    assert {d["file"] for d in diagnostics if d["rule"] == "bad-id"} == {"standards/a..b/x..yml"}


def test_thousands_of_files_are_read_in_bounded_time_and_memory(small: Path) -> None:
    standards = small / "standards"
    for number in range(1, 3001):
        folder = standards / f"part-{number // 100:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"value-{number:04d}.yml").write_text(
            f"values:\n  - id: VAL-{number + 100}\n    title: Value {number}\n"
            f"    statement: One of three thousand files.\n",
            encoding="utf-8",
        )
    code, diagnostics, _ = _validate(small)
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert errors == [], errors[:3]
    assert code == 0
    # Each of those values serves no norm: one warning per value, each in its own file.
    files = {d["file"] for d in diagnostics if d["rule"] == "value-without-norm"}
    assert len(files) == 3000
