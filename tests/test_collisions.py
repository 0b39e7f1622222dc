"""Two things at one place of the site: a hand-written page where the handbook makes one, or
an id that names a page the site makes itself. Each is refused before anything is written, by
`mkdocs build` and `handbook build` (with MkDocs or Zensical) alike, and the site built before
stays byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.releases.history import ReleaseContext
from generator.site.collisions import CollisionError
from generator.site.render import render_handbook
from generator.source.load import load_handbook
from tests.conftest import FIXTURES, ROOT, copy_handbook, run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
COMMANDS = {
    "mkdocs build": [sys.executable, "-m", "mkdocs", "build", "--quiet"],
    "handbook build": [sys.executable, "-m", "generator.cli", "build"],
    "handbook build --engine zensical": [
        *(sys.executable, "-m", "generator.cli", "build", "--engine", "zensical")
    ],
}


def _build(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        COMMANDS[command],
        cwd=project,
        env={**os.environ, **EPOCH, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _files(site: Path) -> dict[str, str]:
    """Every file of the site and the SHA-256 of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small handbook built once by each command: the site a refused build must keep."""
    projects = {}
    for command in COMMANDS:
        project = copy_handbook(FIXTURES / "small", tmp_path_factory.mktemp("built") / "small")
        result = _build(project, command)
        assert result.returncode == 0, result.stderr
        projects[command] = project
    return projects


def _write(relative: str, text: str = "# Mine\n") -> Callable[[Path], None]:
    def make(project: Path) -> None:
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    return make


def _term(section: str, term: str) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        (project / "standards" / "zz-more.yml").write_text(
            f"{section}:\n  - id: {term}\n    title: Index desk\n", encoding="utf-8"
        )

    return make


# What is added to a built handbook, and the words the refusal must contain.
CASES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "page-at-a-generated-path": (
        _write("docs/channels/phone.md"),
        ("docs/channels/phone.md", "channels/phone/index.html"),
    ),
    "page-at-a-generated-address": (
        _write("docs/values/val-001/index.md"),
        ("docs/values/val-001/index.md", "values/val-001/index.html"),
    ),
    "page-differing-only-in-case": (
        _write("docs/Channels/Phone.md"),
        ("docs/Channels/Phone.md", "upper and lower case"),
    ),
    "home-page-written-by-hand": (_write("docs/README.md"), ("docs/README.md", "index.html")),
    "file-at-a-generated-download": (
        _write("docs/audit/downloads/traceability.csv", "id\n"),
        ("docs/audit/downloads/traceability.csv",),
    ),
    "stylesheet-at-the-handbook-s": (
        _write("docs/assets/handbook.css", "body {}\n"),
        ("docs/assets/handbook.css",),
    ),
    "channel-named-index": (_term("channels", "index"), ("reserved-id", "zz-more.yml:2:9")),
    "category-named-index": (_term("categories", "index"), ("reserved-id", "zz-more.yml:2:9")),
}


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_collision_is_refused_and_the_previous_site_stays_byte_for_byte(
    built: dict[str, Path], tmp_path: Path, command: str, case: str
) -> None:
    project = tmp_path / "small"
    shutil.copytree(built[command], project)
    before = _files(project / "site")
    add, words = CASES[case]
    add(project)
    result = _build(project, command)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert _files(project / "site") == before
    assert list(project.glob(".site.building-*")) == []


def test_a_page_written_by_hand_where_none_is_generated_is_kept(small: Path) -> None:
    """Only a real collision stops a build: a page beside the generated ones is published."""
    _write("docs/channels/phone-etiquette.md")(small)
    result = subprocess.run(
        COMMANDS["mkdocs build"],
        cwd=small,
        env={**os.environ, **EPOCH},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (small / "site" / "channels" / "phone-etiquette" / "index.html").is_file()
    assert (small / "site" / "channels" / "phone" / "index.html").is_file()


@pytest.mark.parametrize("section", ["channels", "categories", "roles"])
def test_a_term_named_like_a_page_of_the_site_is_reported_where_it_is_written(
    small: Path, section: str
) -> None:
    _term(section, "index")(small)
    result = run_cli("validate", "standards", cwd=small)
    assert result.code == 1
    assert "standards/zz-more.yml:2:9: error[reserved-id] `index` cannot be the id" in (
        result.stdout
    )
    assert f"`{section}/index`" in result.stdout


@pytest.mark.parametrize("directory_urls", [True, False], ids=["folders", "files"])
def test_two_generated_pages_at_one_address_are_refused_while_rendering(
    small: Path, directory_urls: bool
) -> None:
    """What `validate` refuses by id is refused by place too: rendered anyway, a moment of
    truth named `index` would have replaced the page of all of them without a word."""
    _term("channels", "index")(small)
    handbook = load_handbook(small / "standards").handbook
    assert handbook is not None
    with pytest.raises(CollisionError) as refused:
        render_handbook(
            handbook,
            today=dt.date(2026, 1, 1),
            releases=ReleaseContext((), None, None, None),
            directory_urls=directory_urls,
        )
    # Its page and its checklist: each over the page of them all.
    assert [c.sources for c in refused.value.collisions] == [
        ("the page channels/index.md", "the page channels/index.md"),
        ("the page checklists/index.md", "the page checklists/index.md"),
    ]
