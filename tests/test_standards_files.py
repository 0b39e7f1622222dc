"""Which files are the standards is decided once (`load.is_standards_file`, then
`load._refused_file`) and is the same for every command: `validate`, the languages `build`
reads first, and the standards of a release or a git ref that `diff` and `release` compare
with. A YAML file is never passed over in silence: it is read, or reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.source.load import is_standards_file, load_handbook, read_settings
from tests.conftest import init_repository, run_cli

EXTRA = "values:\n  - id: VAL-900\n    title: Extra\n    statement: Read, wherever it is.\n"


@pytest.mark.parametrize("name", ["extra.yml", "extra.yaml", "extra.YML", "Extra.Yaml"])
def test_a_yaml_file_counts_whatever_the_case_of_its_suffix(small: Path, name: str) -> None:
    (small / "standards" / name).write_text(EXTRA, encoding="utf-8")
    result = run_cli("validate", "standards", cwd=small)
    assert result.stdout.endswith("0 errors, 2 warnings in 4 files\n"), result.stdout
    assert f"standards/{name}:2:9: warning[value-without-norm] value VAL-900" in result.stdout


@pytest.mark.parametrize("name", ["handbook.YML", "HANDBOOK.yaml"])
def test_the_settings_are_found_in_a_file_with_a_capital_suffix(small: Path, name: str) -> None:
    standards = small / "standards"
    (standards / "handbook.yml").rename(standards / name)
    whole = load_handbook(standards).handbook
    assert whole is not None and whole.settings.title == "Small Handbook"
    assert read_settings(standards) == whole.settings


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("norms.yml", True),
        ("NORMS.YAML", True),
        (".norms.yml", False),  # hidden, like an editor's scratch file
        (".norms.yml.1a2b3c4d.partial", False),  # a file being replaced (`write_whole`)
        ("norms.yml~", False),
        ("norms.yml.orig", False),
        ("norms.json", False),
    ],
)
def test_what_counts_as_a_standards_file(name: str, read: bool) -> None:
    assert is_standards_file(name) is read


def test_a_ref_is_read_as_the_work_tree_is_read(small: Path) -> None:
    """Links inside the folder and capital suffixes are read from a commit as from the work
    tree: a diff of the work tree against its own commit finds nothing (the commit's links
    were dropped, and everything they led to reported as added)."""
    standards = small / "standards"
    (standards / ".shared").mkdir()
    (standards / "values.yml").rename(standards / ".shared" / "values.txt")
    (standards / "values.yml").symlink_to(".shared/values.txt")
    (standards / "norms.yml").rename(standards / "NORMS.YAML")
    init_repository(small)
    assert run_cli("validate", "standards", cwd=small).code == 0
    result = run_cli("diff", "HEAD", "--format", "text", cwd=small)
    assert result.code == 0, result.stderr
    assert "No value, norm or parameter changed." in result.stdout


def test_a_ref_with_a_link_out_of_the_folder_is_reported_as_the_work_tree_is(
    small: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text("values:\n  - id: VAL-901\n    title: Secret\n", encoding="utf-8")
    (small / "standards" / "innocent.yml").symlink_to(secret)
    init_repository(small)
    result = run_cli("diff", "HEAD", "--format", "text", cwd=small)
    assert result.code == 1
    assert "file-outside-standards" in result.stderr
    assert "Secret" not in result.stdout + result.stderr


def test_the_example_handbook_is_the_same_from_a_commit(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(Path(__file__).parent.parent / "standards", project / "standards")
    init_repository(project)
    result = run_cli("diff", "HEAD", "--format", "text", cwd=project)
    assert "No value, norm or parameter changed." in result.stdout, result.stderr
