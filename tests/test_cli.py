"""The `handbook` command as a policy owner meets it: exit codes, and the exact text it prints.

Golden files pin the output byte for byte; after an intended change, regenerate them with
`UPDATE_GOLDEN=1 make test` and review the diff like any other change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, golden, run_cli

MISTAKES = FIXTURES / "mistakes"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("text", "validate.txt"), ("json", "validate.json"), ("github", "validate.github.txt")],
)
def test_validate_output_is_pinned(fmt: str, expected: str) -> None:
    result = run_cli(
        "validate", "standards", "--format", fmt, "--today", "2026-11-22", cwd=MISTAKES
    )
    assert result.code == 1
    assert result.stderr == ""
    golden(expected, result.stdout)


def test_json_report_agrees_with_the_text_report() -> None:
    args = ("validate", "standards", "--today", "2026-11-22")
    text = run_cli(*args, cwd=MISTAKES).stdout
    report = json.loads(run_cli(*args, "--format", "json", cwd=MISTAKES).stdout)
    for d in report["diagnostics"]:
        header = f"{d['file']}:{d['line']}:{d['column']}: {d['severity']}[{d['rule']}] "
        assert header + d["message"] in text
    assert text.rstrip().endswith(
        f"{report['errors']} errors, {report['warnings']} warning in 3 files"
    )


def test_clean_standards_exit_zero(small: Path) -> None:
    result = run_cli("validate", "standards", "--strict", cwd=small)
    assert (result.code, result.stdout) == (0, "0 errors, 0 warnings in 3 files\n")


def test_usage_errors_exit_two(small: Path) -> None:
    assert run_cli("validate", "--format", "xml", cwd=small).code == 2
    assert run_cli("validate", "no-such-folder", cwd=small).code == 2
    assert run_cli("validate", "--today", "tomorrow", cwd=small).code == 2
    assert run_cli(cwd=small).code == 2


def test_review_deadline_is_checked_against_the_given_day(small: Path) -> None:
    before = run_cli("validate", "standards", "--today", "2026-12-31", cwd=small)
    after = run_cli("validate", "standards", "--today", "2027-01-02", cwd=small)
    assert "review-overdue" not in before.stdout
    assert "warning[review-overdue] norm NRM-001 was due for review on 2027-01-01" in after.stdout
    assert after.code == 0


def test_render_writes_a_project_for_each_language(small: Path, tmp_path: Path) -> None:
    result = run_cli("render", str(tmp_path / "out"), cwd=small)
    assert result.code == 0, result.stderr
    project = tmp_path / "out" / "en"
    assert str(project / "mkdocs.yml") in result.stdout
    docs = project / "docs"
    written = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    # Each page's file stands where its HTML is built; the hand-written page as it is.
    assert "values/val-001/index.md" in written
    assert "channels/phone/index.md" in written
    assert "about.md" in written
    norm = (docs / "values/val-001/index.md").read_text(encoding="utf-8")
    assert "### Greet every customer { #NRM-001 }" in norm
    # The parts written as HTML stand in the Markdown, with links as the built site has them.
    assert '<td><span id="PAR-001"></span>PAR-001</td>' in norm
    assert 'href="../../channels/phone/"' in norm
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"^hb[0-9a-f]{24}-\d+$", text, re.MULTILINE), page
        assert not re.search(r'href="[^"]*\.md', text), page
    # A handbook in one language has no root page to choose a language on.
    assert not (tmp_path / "out" / "index.html").exists()


def test_render_refuses_invalid_standards(tmp_path: Path) -> None:
    result = run_cli("render", str(tmp_path / "out"), cwd=MISTAKES)
    assert result.code == 1
    assert "error[unknown-field]" in result.stderr
    assert not (tmp_path / "out").exists()
