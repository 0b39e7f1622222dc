"""Shared fixtures: the repository's paths, a way to run the real CLI, and handbooks on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `handbook …` as a user would: a new process, its own working directory."""
    completed = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=600,
        check=False,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def golden(name: str, actual: str) -> None:
    """Compare with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff after)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` and return what it printed; a failure fails the test."""
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def init_repository(repo: Path, message: str = "Standards") -> str:
    """Make a handbook project a git repository with everything committed, as a policy
    owner's clone is; returns the commit."""
    (repo / ".gitignore").write_text("site/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Release Test")
    git(repo, "config", "user.email", "release@test.invalid")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def copy_handbook(source: Path, target: Path) -> Path:
    """A writable copy of a handbook project (standards/, docs/, mkdocs.yml …)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".*"))
    return target


@pytest.fixture(autouse=True, scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`handbook validate` keeps parsed files in the user's cache folder: during the tests, a
    scratch folder, so that no run leaves anything in the home folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A writable copy of the small fixture handbook, as a project folder."""
    project = copy_handbook(FIXTURES / "small", tmp_path / "small")
    return project


@pytest.fixture(scope="session")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the repository's example handbook project (read-only use)."""
    target = tmp_path_factory.mktemp("example") / "handbook"
    target.mkdir()
    for name in ("mkdocs.yml", "standards", "docs", "schemas"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    yield target
