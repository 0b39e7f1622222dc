"""A policy owner's workflow: a new handbook repository, new items, the pull-request checks of
its CI files run locally command by command, CODEOWNERS from the owners, pre-commit."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.rules.codeowners import codeowners
from generator.source.load import load_handbook
from tests.conftest import GOLDEN, ROOT, git, golden, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A new handbook repository with one commit on `main`, pushed to a local `origin`."""
    target = tmp_path / "handbook"
    result = run_cli("init", str(target), "--organisation", "Acme Parcels", cwd=tmp_path)
    assert result.code == 0, result.stderr
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "user.name", "Policy Owner")
    git(target, "config", "user.email", "owner@acme.invalid")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "New handbook")
    git(tmp_path, "clone", "-q", "--bare", str(target), "origin.git")
    git(target, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(target, "fetch", "-q", "origin")
    git(target, "checkout", "-q", "-b", "proposal")
    return target


def test_init_gives_a_handbook_that_validates_and_builds(repo: Path) -> None:
    assert run_cli("validate", "--strict", cwd=repo).code == 0
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=repo,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    assert (repo / "site" / "channels" / "phone" / "index.html").is_file()
    for expected in (
        ".github/workflows/handbook.yml",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        ".github/CODEOWNERS",
        "schemas/handbook.schema.json",
        ".gitignore",
    ):
        assert (repo / expected).is_file(), expected


def test_init_refuses_to_overwrite_a_handbook(repo: Path) -> None:
    again = run_cli("init", str(repo), cwd=repo.parent)
    assert again.code == 1
    assert "already has a handbook" in again.stderr


def test_new_norm_twice_gives_two_numbered_valid_norms(repo: Path) -> None:
    first = run_cli(
        "new",
        "norm",
        "--title",
        "Call ahead",
        "--statement",
        "Phone the customer 30 minutes before you arrive.",
        "--traces-to",
        "VAL-001",
        "--channel",
        "phone",
        "--owner",
        "head-of-service",
        cwd=repo,
    )
    second = run_cli(
        "new",
        "norm",
        "--title",
        "Say goodbye",
        "--statement",
        "End every contact with a goodbye.",
        "--traces-to",
        "VAL-001",
        cwd=repo,
    )
    assert (first.code, second.code) == (0, 0), first.stderr + second.stderr
    assert first.stdout.startswith("wrote NRM-002 to ")
    assert second.stdout.startswith("wrote NRM-003 to ")
    handbook = load_handbook(repo / "standards").handbook
    assert handbook is not None
    norms = {n.id: n for n in handbook.norms}
    assert norms["NRM-002"].title == "Call ahead"
    assert norms["NRM-002"].channels == ("phone",)
    assert norms["NRM-003"].status == "draft"
    assert run_cli("validate", "--strict", cwd=repo).code == 0


def test_new_refuses_an_item_that_would_break_the_handbook(repo: Path) -> None:
    before = (repo / "standards" / "norms.yml").read_text(encoding="utf-8")
    result = run_cli(
        "new", "norm", "--title", "X", "--statement", "Y", "--traces-to", "VAL-404", cwd=repo
    )
    assert result.code == 1
    assert "error[unknown-reference]" in result.stderr
    assert (repo / "standards" / "norms.yml").read_text(encoding="utf-8") == before


def test_new_without_a_terminal_names_the_missing_flag(repo: Path) -> None:
    result = run_cli("new", "parameter", "--title", "Advance call", cwd=repo)
    assert result.code == 2
    assert "needs --traces-to" in result.stderr


def _run_steps(
    repo: Path, commands: list[str], env: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """Each command as the CI runner would run it: bash, in the repository, with the CI's
    variables; installing the package is left out (it is installed here already)."""
    results = []
    bin_dir = str(Path(sys.executable).parent)
    for command in commands:
        if command.startswith("pip install"):
            continue
        results.append(
            subprocess.run(
                ["bash", "-eo", "pipefail", "-c", command],
                cwd=repo,
                env={
                    **os.environ,
                    **env,
                    "PATH": bin_dir + os.pathsep + os.environ["PATH"],
                    "NO_MKDOCS_2_WARNING": "1",
                },
                capture_output=True,
                text=True,
                check=False,
            )
        )
    return results


def _github_check_steps(repo: Path) -> list[str]:
    workflow = yaml.safe_load((repo / ".github/workflows/handbook.yml").read_text(encoding="utf-8"))
    return [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]


def _bad_change(repo: Path) -> None:
    norms = repo / "standards" / "norms.yml"
    text = norms.read_text(encoding="utf-8")
    text = text.replace("    traces_to: [VAL-001]\n", "    trace_to: [VAL-001]\n", 1)
    text = text.replace(
        "    category: vocabulary\n", "    category: vocabulary\n    status: yes\n", 1
    )
    norms.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "A change with mistakes")


def _good_change(repo: Path) -> None:
    assert (
        run_cli(
            "new",
            "norm",
            "--title",
            "Call ahead",
            "--statement",
            "Phone the customer 30 minutes before you arrive.",
            "--traces-to",
            "VAL-001",
            "--channel",
            "phone",
            "--owner",
            "head-of-service",
            "--status",
            "active",
            cwd=repo,
        ).code
        == 0
    )
    assert (
        run_cli(
            "new",
            "parameter",
            "--title",
            "Advance call",
            "--traces-to",
            "NRM-002",
            "--channel",
            "phone",
            "--category",
            "speed",
            "--requirement",
            "Call 30 to 60 minutes before arrival.",
            "--owner",
            "head-of-service",
            "--status",
            "active",
            cwd=repo,
        ).code
        == 0
    )
    norms = repo / "standards" / "norms.yml"
    norms.write_text(
        norms.read_text(encoding="utf-8").replace(
            "Greet every customer at the start of every contact",
            "Greet every customer warmly at the start of every contact",
        ),
        encoding="utf-8",
    )
    # The new norm joins the editors' suggestions, as docs/editing.md asks.
    assert run_cli("schema", cwd=repo).code == 0
    git(repo, "commit", "-qam", "Call ahead before a visit")


def test_github_check_on_a_bad_pull_request(repo: Path, tmp_path: Path) -> None:
    _bad_change(repo)
    summary = tmp_path / "summary.md"
    validate, describe = _run_steps(
        repo,
        _github_check_steps(repo),
        {"GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert validate.returncode == 1
    golden("workflow-bad.annotations.txt", validate.stdout)
    assert "::error file=standards/norms.yml,line=" in validate.stdout
    # The summary step still runs, and says the standards could not be compared.
    assert describe.returncode == 1
    assert "cannot be read" in describe.stderr


def test_github_check_on_a_good_pull_request(repo: Path, tmp_path: Path) -> None:
    _good_change(repo)
    summary = tmp_path / "summary.md"
    validate, describe = _run_steps(
        repo,
        _github_check_steps(repo),
        {"GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert validate.returncode == 0, validate.stdout
    assert validate.stdout == ""
    assert describe.returncode == 0, describe.stderr
    golden("workflow-good.summary.md", summary.read_text(encoding="utf-8"))
    assert (repo / "handbook-diff.md").read_text(encoding="utf-8") == summary.read_text(
        encoding="utf-8"
    )


def test_gitlab_check_runs_the_same_commands(repo: Path) -> None:
    _good_change(repo)
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    results = _run_steps(
        repo, pipeline["standards"]["script"], {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    )
    assert [r.returncode for r in results] == [0, 0, 0]
    assert (repo / "handbook-diff.md").read_text(encoding="utf-8") == (
        GOLDEN / "workflow-good.summary.md"
    ).read_text(encoding="utf-8")


def test_pre_commit_hook_runs_validate(repo: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["handbook", "validate"]
    assert run_cli(*entry[1:], cwd=repo).code == 0
    _bad_change(repo)
    assert run_cli(*entry[1:], cwd=repo).code == 1


def test_codeowners_is_golden_and_stable() -> None:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    made = codeowners(handbook, "standards")
    assert made == codeowners(handbook, "standards")
    assert made.problems == ()
    text = made.text
    assert text == (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    golden("CODEOWNERS", text)


def test_validate_warns_when_codeowners_is_out_of_date(repo: Path) -> None:
    owners = repo / ".github" / "CODEOWNERS"
    owners.write_text(
        owners.read_text(encoding="utf-8") + "/standards/x.yml @someone\n", encoding="utf-8"
    )
    result = run_cli("validate", cwd=repo)
    assert result.code == 0
    assert ".github/CODEOWNERS:1:1: warning[codeowners-outdated]" in result.stdout
    assert run_cli("validate", "--strict", cwd=repo).code == 1
    assert run_cli("codeowners", cwd=repo).code == 0
    assert run_cli("validate", "--strict", cwd=repo).code == 0
