"""The same commit, released from two checkouts, publishes the same bytes: an auditor can
rebuild a release and compare it with what employees read."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, git, init_repository, run_cli

pytestmark = pytest.mark.slow


def _release(checkout: Path, seed: str) -> str:
    result = run_cli(
        "release", "1.0", "--date", "2026-01-10", cwd=checkout, env={"PYTHONHASHSEED": seed}
    )
    assert result.code == 0, result.stderr + result.stdout
    return git(checkout, "rev-parse", "gh-pages^{tree}").strip()


def test_two_checkouts_of_one_commit_release_byte_identical_sites(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    shutil.copytree(FIXTURES / "small", origin)
    settings = origin / "standards" / "handbook.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "handbook:\n", "handbook:\n  languages: [en, ru]\n", 1
        ),
        encoding="utf-8",
    )
    mkdocs = origin / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text(encoding="utf-8").replace(
            "plugins:", "extra:\n  version:\n    provider: mike\n    default: latest\nplugins:", 1
        ),
        encoding="utf-8",
    )
    init_repository(origin)
    first = tmp_path / "a" / "checkout"
    second = tmp_path / "somewhere" / "else" / "entirely"
    for checkout in (first, second):
        subprocess.run(["git", "clone", "-q", str(origin), str(checkout)], check=True)
        git(checkout, "config", "user.name", "Release Test")
        git(checkout, "config", "user.email", "release@test.invalid")
    tree = _release(first, "1")
    time.sleep(1.5)  # another second on the clock, which nothing published may show
    assert _release(second, "4242") == tree
    # What the comparison covers: every language's pages, search index, exports, manifest
    # and PDF.
    listed = set(git(second, "ls-tree", "-r", "--name-only", "gh-pages").split())
    for language in ("en", "ru"):
        for path in (
            "search/search_index.json",
            "audit/downloads/traceability.json",
            "audit/downloads/traceability.csv",
            "audit/downloads/traceability.xlsx",
            "audit/downloads/manifest.json",
            "audit/downloads/handbook.pdf",
        ):
            assert f"{language}/1.0/{path}" in listed
    # Links in the PDF lead to places in the PDF, never to the printing machine's disk.
    pdf = subprocess.run(
        ["git", "show", "gh-pages:en/1.0/audit/downloads/handbook.pdf"],
        cwd=second,
        capture_output=True,
        check=True,
    ).stdout
    assert b"file://" not in pdf
    assert b"/Dest /NRM-001" in pdf
