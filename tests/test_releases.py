"""Releases in a real git repository: publish 1.0, change the standards, publish 1.1.

Checks what an auditor relies on: both versions are on the site branch in mike's format, 1.0 is
byte for byte what was published, 1.1's changes page lists exactly the changes made, the diff
command agrees, and `asof` names the rules in force before, between and after the releases.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import FIXTURES, git, init_repository, run_cli

pytestmark = pytest.mark.slow


def tree(repo: Path, ref: str, folder: str) -> dict[str, str]:
    """Every file of a folder on a branch, with its blob id: equal ids mean equal bytes."""
    listing = git(repo, "ls-tree", "-r", ref, "--", folder)
    return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


NEW_NORM = """  - id: NRM-003
    title: Say goodbye
    statement: End every contact with a goodbye and the customer's name.
    traces_to: [VAL-001]
    channels: [phone]
    audiences: [external]
    owner: head-of-service
    effective: 2026-03-20
    review: 2027-03-20
"""
NEW_PARAMETER = """  - id: PAR-005
    title: Goodbye formula
    traces_to: [NRM-003]
    channel: phone
    category: vocabulary
    requirement: Say "Thank you for calling, goodbye".
    owner: head-of-service
    effective: 2026-03-20
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    repo = tmp_path_factory.mktemp("releases") / "handbook"
    shutil.copytree(FIXTURES / "small", repo)
    edit(
        repo / "mkdocs.yml",
        "plugins:",
        "extra:\n  version:\n    provider: mike\n    default: latest\nplugins:",
    )
    first = init_repository(repo, "Standards 1.0")
    released = run_cli("release", "1.0", "--date", "2026-01-10", cwd=repo)
    assert released.code == 0, released.stderr + released.stdout
    before = tree(repo, "gh-pages", "1.0")

    norms = repo / "standards" / "norms.yml"
    edit(norms, "parameters:\n", NEW_NORM + "parameters:\n")
    norms.write_text(norms.read_text(encoding="utf-8") + NEW_PARAMETER, encoding="utf-8")
    edit(norms, "statement: Answer the phone before the third ring.",
         "statement: Answer the phone before the second ring.")  # fmt: skip
    edit(norms, "traces_to: [VAL-002, VAL-001]", "traces_to: [VAL-002]")
    retire = "    verification: [call-sample]\n    owner: head-of-service\n"
    edit(
        norms,
        'How can I help?".\n' + retire,
        'How can I help?".\n' + retire + "    status: retired\n",
    )
    # PAR-002 moves to a file of its own, unchanged.
    text = norms.read_text(encoding="utf-8")
    start = text.index("  - id: PAR-002")
    end = text.index("  - id: PAR-003")
    (repo / "standards" / "timing.yml").write_text(
        "parameters:\n" + text[start:end], encoding="utf-8"
    )
    norms.write_text(text[:start] + text[end:], encoding="utf-8")
    second = commit(repo, "Standards 1.1")
    released = run_cli("release", "1.1", "--title", "Spring 2026", "--date", "2026-03-10",
                       cwd=repo)  # fmt: skip
    assert released.code == 0, released.stderr + released.stdout
    yield {"repo": repo, "first": first, "second": second, "before": before,
           "output": released.stdout}  # fmt: skip


def test_both_versions_are_on_the_site_branch_in_mikes_format(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        ("1.1", "Spring 2026", ["latest"]),
        ("1.0", "1.0", []),
    ]
    files = set(git(repo, "ls-tree", "--name-only", "gh-pages").split())
    assert {"1.0", "1.1", "latest", "versions.json", "index.html", "404.html"} <= files
    assert "latest/" in git(repo, "show", "gh-pages:index.html")
    # Where a static host looks for the not-found page: it finds the root by mike's list.
    not_found = git(repo, "show", "gh-pages:404.html")
    assert 'data-marker="versions.json"' in not_found and 'href="./"' in not_found
    assert "../1.1/" in git(repo, "show", "gh-pages:latest/index.html")


def test_publishing_1_1_left_1_0_byte_identical(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    assert tree(repo, "gh-pages", "1.0") == history["before"]


def test_each_version_records_its_release(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    record = json.loads(git(repo, "show", "gh-pages:1.1/release.json"))
    manifest = json.loads(git(repo, "show", "gh-pages:1.1/audit/downloads/manifest.json"))
    assert record == {
        "version": "1.1",
        "title": "Spring 2026",
        "date": "2026-03-10",
        "commit": history["second"],
        "manifest_sha256": manifest["sha256"],
        "standards": "standards",
    }
    first = json.loads(git(repo, "show", "gh-pages:1.0/release.json"))
    assert (first["commit"], first["date"]) == (history["first"], "2026-01-10")


def _changes_page(repo: Path) -> BeautifulSoup:
    html = git(repo, "show", "gh-pages:1.1/changes/index.html")
    return BeautifulSoup(html, "html.parser")


def test_the_changes_page_lists_exactly_the_changes_made(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    article = _changes_page(repo).find("article")
    assert article is not None
    text = " ".join(article.get_text(" ").split())
    assert "compared with version 1.0" in text
    entries = set()
    for li in article.select("h2#by-value ~ h3 + ul > li"):
        badges = ", ".join(b.get_text() for b in li.select(".hb-badge--change"))
        line = " ".join(li.get_text(" ").split())
        found = re.search(r"(value|norm|parameter) (\S+)", line)
        assert found and badges, line
        entries.add((badges, *found.groups()))
    assert entries == {
        ("Added", "norm", "NRM-003"),
        ("Added", "parameter", "PAR-005"),
        ("Changed, re-traced", "norm", "NRM-002"),
        ("Retired", "parameter", "PAR-004"),
    }
    moved = article.find("h2", id="moved-between-files")
    assert moved is not None
    listing = moved.find_next("ul")
    assert listing is not None
    assert "PAR-002" in listing.get_text()


def test_diff_command_agrees_with_the_changes_page(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    result = run_cli(
        "diff", str(history["first"]), str(history["second"]), "--format", "json", cwd=repo
    )
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    found = {(i["id"], i["change"], i["retraced"]) for i in report["items"]}
    assert found == {
        ("NRM-002", "changed", True),
        ("NRM-003", "added", False),
        ("PAR-005", "added", False),
        ("PAR-004", "retired", False),
        ("PAR-002", "moved", False),
    }
    [statement] = [
        f
        for i in report["items"]
        if i["id"] == "NRM-002"
        for f in i["fields"]
        if f["field"] == "statement"
    ]
    assert statement["before"] == "Answer the phone before the third ring."
    assert statement["after"] == "Answer the phone before the second ring."


@pytest.mark.parametrize(
    ("day", "version", "has_new_norm"),
    [("2026-02-01", "1.0", False), ("2026-03-15", "1.1", False), ("2026-04-01", "1.1", True)],
)
def test_asof_names_the_release_and_rules_in_force(
    history: dict[str, object], day: str, version: str, has_new_norm: bool
) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    result = run_cli("asof", day, "--channel", "phone", "--format", "json", cwd=repo)
    assert result.code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["release"]["version"] == version
    norms = {n["id"] for n in answer["norms"]}
    assert ("NRM-003" in norms) is has_new_norm
    assert all(p["channel"] == "phone" for p in answer["parameters"])
    parameters = {p["id"] for p in answer["parameters"]}
    assert ("PAR-004" in parameters) is (version == "1.0")


def test_asof_before_the_first_release_says_so(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    result = run_cli("asof", "2025-12-31", cwd=repo)
    assert result.code == 1
    assert "no release of the standards was published by 2025-12-31" in result.stderr


def test_a_published_version_is_not_replaced_without_force(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    head = git(repo, "rev-parse", "gh-pages")
    result = run_cli("release", "1.0", cwd=repo)
    assert result.code == 1
    assert "already published" in result.stderr
    assert git(repo, "rev-parse", "gh-pages") == head


def test_uncommitted_changes_are_refused(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    head = git(repo, "rev-parse", "gh-pages")
    (repo / "standards" / "draft.yml").write_text("values: []\n", encoding="utf-8")
    try:
        result = run_cli("release", "1.2", cwd=repo)
    finally:
        (repo / "standards" / "draft.yml").unlink()
    assert result.code == 1
    assert "uncommitted changes" in result.stderr
    assert git(repo, "rev-parse", "gh-pages") == head


def test_deleting_a_released_item_is_refused(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    head = git(repo, "rev-parse", "gh-pages")
    (repo / "standards" / "timing.yml").unlink()
    commit(repo, "Delete PAR-002")
    try:
        result = run_cli("release", "1.2", "--date", "2026-05-01", cwd=repo)
    finally:
        git(repo, "revert", "--no-edit", "HEAD")
    assert result.code == 1
    assert "error[item-removed]" in result.stderr
    assert "PAR-002" in result.stderr
    assert git(repo, "rev-parse", "gh-pages") == head


def test_an_item_effective_before_its_first_release_is_warned_about(
    history: dict[str, object],
) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    norms = repo / "standards" / "norms.yml"
    edit(
        norms,
        "parameters:\n",
        NEW_NORM.replace("NRM-003", "NRM-004").replace("2026-03-20", "2026-01-01")
        + "parameters:\n",
    )
    norms.write_text(
        norms.read_text(encoding="utf-8")
        + NEW_PARAMETER.replace("PAR-005", "PAR-006").replace("NRM-003", "NRM-004"),
        encoding="utf-8",
    )
    commit(repo, "Standards 1.2")
    result = run_cli("release", "1.2", "--date", "2026-06-01", cwd=repo)
    assert result.code == 0, result.stderr
    assert "[effective-before-release] NRM-004 takes effect on 2026-01-01" in result.stdout
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert (versions[0]["version"], versions[0]["aliases"]) == ("1.2", ["latest"])


def test_a_release_from_a_fresh_clone_keeps_every_version_published(
    history: dict[str, object], tmp_path: Path
) -> None:
    """CI releases from a fresh clone, where the site branch exists only as origin/gh-pages:
    the new version joins the published ones, it does not replace them."""
    origin = history["repo"]
    assert isinstance(origin, Path)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    git(clone, "config", "user.name", "Release Test")
    git(clone, "config", "user.email", "release@test.invalid")
    assert git(clone, "branch", "--list", "gh-pages").strip() == ""
    published = [v["version"] for v in json.loads(git(origin, "show", "gh-pages:versions.json"))]
    assert {"1.0", "1.1"} <= set(published)
    result = run_cli("release", "7.0", "--date", "2026-12-01", cwd=clone)
    assert result.code == 0, result.stderr + result.stdout
    versions = json.loads(git(clone, "show", "gh-pages:versions.json"))
    assert [v["version"] for v in versions] == ["7.0", *published]
    assert f"changes since {published[0]}" in result.stdout
    # A local site branch that went its own way is refused, not overwritten.
    git(clone, "checkout", "-q", "--orphan", "elsewhere")
    git(clone, "commit", "-q", "--allow-empty", "-m", "unrelated")
    git(clone, "branch", "-f", "gh-pages", "elsewhere")
    git(clone, "checkout", "-q", "-f", "main")
    refused = run_cli("release", "7.1", "--date", "2026-12-02", cwd=clone)
    assert refused.code != 0
    assert "have diverged" in refused.stderr


def test_one_release_publishes_every_language_of_a_version(
    example_project: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "example"
    shutil.copytree(example_project, repo, ignore=shutil.ignore_patterns("site"))
    init_repository(repo, "Standards 1.0")
    result = run_cli("release", "1.0", "--date", "2026-01-10", cwd=repo)
    assert result.code == 0, result.stderr + result.stdout
    top = set(git(repo, "ls-tree", "--name-only", "gh-pages").split())
    assert {"en", "ru", "lv", "tr", "index.html", "404.html"} <= top
    assert 'href="ru/"' in git(repo, "show", "gh-pages:404.html")
    assert "en/" in git(repo, "show", "gh-pages:index.html")
    for language in ("en", "ru", "lv", "tr"):
        versions = json.loads(git(repo, "show", f"gh-pages:{language}/versions.json"))
        assert [(v["version"], v["aliases"]) for v in versions] == [("1.0", ["latest"])]
        page = git(repo, "show", f"gh-pages:{language}/1.0/values/val-004/index.html")
        soup = BeautifulSoup(page, "html.parser")
        html = soup.find("html")
        assert html is not None and html.get("lang") == language
        links = {
            str(a.get("hreflang")): str(a.get("href")) for a in soup.select("a.md-select__link")
        }
        # From <lang>/1.0/values/val-004/ to the same page of the same version in Russian.
        assert links["ru"] == "../../../../ru/1.0/values/val-004/"
        record = json.loads(git(repo, "show", f"gh-pages:{language}/1.0/release.json"))
        assert record["version"] == "1.0"
    # Each language records the release; `handbook diff` finds it without the tag.
    git(repo, "tag", "--delete", "v1.0")
    compared = run_cli("diff", "1.0", "--format", "json", cwd=repo)
    assert compared.code == 0, compared.stderr
    assert json.loads(compared.stdout)["items"] == []


def test_each_release_is_tagged_with_its_version(history: dict[str, object]) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    for tag, commit in (("v1.0", history["first"]), ("v1.1", history["second"])):
        assert git(repo, "rev-parse", f"{tag}^{{commit}}").strip() == commit
        assert git(repo, "cat-file", "-t", tag).strip() == "tag"  # annotated: who and when
    assert "Spring 2026" in git(repo, "tag", "-l", "--format=%(contents)", "v1.1")
    assert "tagged this commit v1.1" in str(history["output"])


def test_diff_takes_a_released_version_whether_or_not_its_tag_is_here(
    history: dict[str, object], tmp_path: Path
) -> None:
    """A clone without the tags, whose site branch is only `origin/gh-pages` (as in CI): the
    release records on the site branch name each version's commit."""
    origin = history["repo"]
    assert isinstance(origin, Path)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(origin), str(clone)], check=True)
    assert git(clone, "tag", "--list").strip() == ""
    expected = run_cli(
        "diff", str(history["first"]), str(history["second"]), "--format", "json", cwd=clone
    )
    assert expected.code == 0, expected.stderr
    for old, new in (("1.0", "1.1"), ("v1.0", "v1.1"), ("1.0", str(history["second"]))):
        result = run_cli("diff", old, new, "--format", "json", cwd=clone)
        assert result.code == 0, result.stderr
        found = json.loads(result.stdout)
        assert (found["old"], found["new"]) == (old, new)
        assert found["items"] == json.loads(expected.stdout)["items"]
    unknown = run_cli("diff", "v9.9", cwd=clone)
    assert unknown.code == 1
    assert "neither a folder, a version released on `gh-pages` nor a git ref" in unknown.stderr


def test_a_tag_that_names_another_commit_stops_the_release_before_it_starts(
    history: dict[str, object],
) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    head = git(repo, "rev-parse", "gh-pages")
    git(repo, "tag", "v8.0", str(history["first"]))
    refused = run_cli("release", "8.0", "--date", "2026-12-20", cwd=repo)
    assert refused.code == 1
    assert "the tag v8.0 already names commit" in refused.stderr
    assert "--force" in refused.stderr
    assert git(repo, "rev-parse", "gh-pages") == head
    assert git(repo, "rev-parse", "v8.0^{commit}").strip() == history["first"]
    untaggable = run_cli("release", "8.0 beta", "--date", "2026-12-20", cwd=repo)
    assert untaggable.code == 1
    assert "not a name git accepts" in untaggable.stderr
    assert git(repo, "rev-parse", "gh-pages") == head


def test_a_release_started_by_pushing_its_tag_keeps_the_tag(history: dict[str, object]) -> None:
    """What the generated CI does: the tag `v8.1` (here a plain one) names the commit checked
    out, and the release of 8.1 publishes that commit without touching the tag."""
    repo = history["repo"]
    assert isinstance(repo, Path)
    git(repo, "tag", "v8.1")
    tag = git(repo, "rev-parse", "v8.1")
    result = run_cli("release", "8.1", "--date", "2026-12-21", cwd=repo)
    assert result.code == 0, result.stderr + result.stdout
    assert "the tag v8.1 already names this commit" in result.stdout
    assert git(repo, "rev-parse", "v8.1") == tag


def test_what_a_release_needs_outside_python_is_asked_for_first(
    history: dict[str, object], tmp_path: Path
) -> None:
    repo = history["repo"]
    assert isinstance(repo, Path)
    head = git(repo, "rev-parse", "gh-pages")
    no_chromium = run_cli(
        "release", "8.2", cwd=repo, env={"HANDBOOK_CHROMIUM": str(tmp_path / "chromium")}
    )
    assert no_chromium.code == 1
    assert f"no Chromium at {tmp_path / 'chromium'}" in no_chromium.stderr
    assert "Traceback" not in no_chromium.stderr
    name = git(repo, "config", "user.email").strip()
    git(repo, "config", "--unset", "user.email")
    try:
        anonymous = run_cli(
            "release",
            "8.2",
            cwd=repo,
            env={"GIT_CONFIG_GLOBAL": "/dev/null", "HOME": str(tmp_path)},
        )
    finally:
        git(repo, "config", "user.email", name)
    assert anonymous.code == 1
    assert "git does not know who publishes this release (no user.email)" in anonymous.stderr
    for command in (("release", "8.2"), ("diff", "1.0")):
        no_git = run_cli(*command, cwd=repo, env={"PATH": str(tmp_path)})
        assert no_git.code == 1
        assert no_git.stderr.startswith(f"handbook {command[0]}: git is not installed")
        assert len(no_git.stderr.splitlines()) == 1
    assert git(repo, "rev-parse", "gh-pages") == head
