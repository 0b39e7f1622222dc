"""Builds and releases stopped part-way (SIGTERM, as CI cancels a job; SIGKILL, as the
kernel's OOM killer or a power cut does): readers see the old site or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import synthetic
from tests.conftest import ROOT, git, init_repository

pytestmark = pytest.mark.slow

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
MOMENTS = (0.3, 1.5, 3.0, 6.0)
"""Seconds after the start at which a build is stopped: while Python and MkDocs load, while the
four languages are rendered side by side, about when the result is moved into place, and after
it is done."""


def _digest(site: Path) -> str:
    files = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        files.update(path.relative_to(site).as_posix().encode() + b"\0")
        files.update(hashlib.sha256(path.read_bytes()).digest())
    return files.hexdigest()


def _start(project: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=project,
        env={**os.environ, **EPOCH, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes], after: float, how: signal.Signals) -> str:
    try:
        process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        # To the whole process group, as a terminal, a CI runner or systemd does: mike and
        # MkDocs, run as child processes, stop too.
        os.killpg(process.pid, how)
    _, stderr = process.communicate(timeout=120)
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    return text


@pytest.fixture(scope="module")
def sites(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The example built as it is (old) and after one wording change (new)."""
    project = tmp_path_factory.mktemp("interrupt") / "handbook"
    shutil.copytree(example_project, project, ignore=shutil.ignore_patterns("site"))
    assert _start(project, "build").wait(timeout=300) == 0
    old = project / "old-site"
    shutil.copytree(project / "site", old)
    values = project / "standards" / "values.yml"
    text = values.read_text(encoding="utf-8")
    values.write_text(text.replace("No surprises", "No surprises at all", 1), encoding="utf-8")
    new = project / "new-site"
    assert _start(project, "build", "--site-dir", str(new)).wait(timeout=300) == 0
    return {"project": project, "old": _digest(old), "new": _digest(new), "old_site": old}


def _old_site_in_place(sites: dict[str, object]) -> tuple[Path, Path]:
    """The project with its old site where a reader finds it; (project, site)."""
    project = sites["project"]
    old_site = sites["old_site"]
    assert isinstance(project, Path) and isinstance(old_site, Path)
    site = project / "site"
    shutil.rmtree(site)
    shutil.copytree(old_site, site)
    return project, site


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_build_leaves_the_old_site_or_the_new_one(
    sites: dict[str, object], moment: float, how: signal.Signals
) -> None:
    project, site = _old_site_in_place(sites)
    process = _start(project, "build")
    stderr = _stop(process, moment, how)
    state = _digest(site)
    assert state in (sites["old"], sites["new"]), f"a mixed site after {how.name} at {moment}s"
    staging = list(project.glob(".site.building-*"))
    if how is signal.SIGTERM:
        assert staging == [], "a build stopped by SIGTERM cleans up after itself"
        # Stopped before the command started (Python still importing), the default action
        # ends the process; once it runs, it unwinds and says so.
        assert process.returncode in (0, 130, -signal.SIGTERM)
        if process.returncode == 130:
            assert "what was published is as it was" in stderr
    if how is signal.SIGKILL:
        # The next build removes what a killed one left behind, and succeeds.
        assert _start(project, "build").wait(timeout=300) == 0
        assert _digest(site) == sites["new"]
        assert list(project.glob(".site.building-*")) == []


def test_sigterm_to_the_build_alone_stops_its_workers_too(sites: dict[str, object]) -> None:
    """`kill PID` or `docker stop` signal only the main process; the languages it builds in
    worker processes stop with it, and nothing is left writing into the staging folder."""
    project, site = _old_site_in_place(sites)
    process = _start(project, "build")
    while not list(project.glob(".site.building-*/*/index.html")):
        assert process.poll() is None, "the build ended before its languages were written"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr.decode()
    assert _digest(site) == sites["old"]
    time.sleep(1)  # a worker still running would write again meanwhile
    assert list(project.glob(".site.building-*")) == []


def _process(pid: int) -> tuple[bytes, str] | None:
    """A live process's state and command line; None once it has ended (a zombie, which runs
    nothing and holds nothing, has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return None
    return None if state == b"Z" else (state, command.decode("utf-8", "ignore"))


def _tree(root: int) -> dict[int, str]:
    """`root` and every live process it descends from it, with their command lines. Chromium
    runs in a process group of its own: only the tree finds it."""
    found: dict[int, str] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        alive = _process(pid)
        if alive is None or pid in found:
            continue
        found[pid] = alive[1]
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text(encoding="ascii").split())
            except OSError:
                continue
    return found


def _left_behind(processes: dict[int, str], seconds: float = 5.0) -> dict[int, str]:
    """Which of `processes` are still alive after `seconds` (none: as soon as none is)."""
    deadline = time.monotonic() + seconds
    while True:
        alive = {pid: command for pid, command in processes.items() if _process(pid)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _kill_alone(process: subprocess.Popen[bytes], until: Callable[[dict[int, str]], bool]) -> None:
    """SIGKILL to `process` alone once its tree is as `until` wants it, then no process of
    that tree may outlive it by more than a few seconds."""
    deadline = time.monotonic() + 300
    while not until(tree := _tree(process.pid)):
        assert process.poll() is None, "it ended before it got that far"
        assert time.monotonic() < deadline, "it never got that far"
        time.sleep(0.01)
    try:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert _left_behind(tree) == {}
    finally:
        for pid in _left_behind(tree, 0):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic handbook large enough that its build runs for seconds, its parsing is
    shared with a forked process and its pages with helper processes."""
    return synthetic.write(tmp_path_factory.mktemp("large") / "handbook", norms=500)


@pytest.mark.parametrize("languages", [("en",), ("en", "ru")], ids=["helpers", "languages"])
def test_a_build_killed_alone_leaves_no_process_and_no_lock_behind(
    large: Path, languages: tuple[str, ...], tmp_path: Path
) -> None:
    """SIGKILL to the build process alone (the OOM killer, `docker stop` after its grace
    period) gives it no chance to stop what it forked: the language workers, the helpers and
    the parsing process end with it all the same, and with them the staging folder's lock, so
    the next build removes the folder and succeeds."""
    project = tmp_path / "handbook"
    shutil.copytree(large, project)
    settings = project / "standards" / "handbook.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "handbook:\n", f"handbook:\n  languages: [{', '.join(languages)}]\n", 1
        ),
        encoding="utf-8",
    )
    # A cache of its own: the first build parses, and shares the parsing with a fork.
    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build"],
        cwd=project,
        env={**os.environ, **EPOCH, **cache, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Killed once it has forked: its language workers, or its parsing process and helpers.
    _kill_alone(process, lambda tree: len(tree) > len(languages))
    abandoned = list(project.glob(".site.building-*"))
    assert abandoned, "the build was killed before it made its staging folder"
    again = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build"],
        cwd=project,
        env={**os.environ, **EPOCH, **cache, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert list(project.glob(".site.building-*")) == []
    assert (project / "site" / "index.html").is_file()


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small handbook in two languages, committed, with 1.0 released."""
    repo = tmp_path_factory.mktemp("release-interrupt") / "handbook"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", repo)
    settings = repo / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("handbook:\n", "handbook:\n  languages: [en, ru]\n", 1), encoding="utf-8"
    )
    mkdocs = repo / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text(encoding="utf-8").replace(
            "plugins:", "extra:\n  version:\n    provider: mike\n    default: latest\nplugins:", 1
        ),
        encoding="utf-8",
    )
    init_repository(repo, "Standards")
    assert _start(repo, "release", "1.0", "--date", "2026-01-10").wait(timeout=600) == 0
    return repo


def _published(repo: Path, version: str) -> list[bool]:
    found = []
    for language in ("en", "ru"):
        versions = json.loads(git(repo, "show", f"gh-pages:{language}/versions.json"))
        found.append(any(v["version"] == version for v in versions))
    return found


@pytest.mark.parametrize(
    ("moment", "how"),
    [
        (1.0, signal.SIGKILL),
        (4.0, signal.SIGTERM),
        (8.0, signal.SIGKILL),
        (15.0, signal.SIGKILL),
    ],
    ids=lambda v: v.name if isinstance(v, signal.Signals) else f"{v}s",
)
def test_a_stopped_release_leaves_the_site_branch_as_it_was_or_fully_released(
    repository: Path, moment: float, how: signal.Signals
) -> None:
    before = git(repository, "rev-parse", "gh-pages").strip()
    version = f"2.{int(moment * 10)}"
    process = _start(repository, "release", version, "--date", "2026-02-01")
    _stop(process, moment, how)
    after = git(repository, "rev-parse", "gh-pages").strip()
    published = _published(repository, version)
    if after == before:
        assert published == [False, False]
    else:
        assert process.returncode == 0
        assert published == [True, True]
        assert git(repository, "rev-parse", "gh-pages^").strip() != ""
    # The scratch branch of a stopped release is gone, or the next release removes it.
    assert _start(repository, "release", f"{version}.1", "--date", "2026-02-02").wait(600) == 0
    assert _published(repository, f"{version}.1") == [True, True]
    branches = git(repository, "branch", "--list", "handbook-release/*").split()
    assert branches == []


RELEASE_MOMENTS: dict[str, Callable[[dict[int, str]], bool]] = {
    # mike's build has forked a helper (two processes run `mike deploy`): most of it to come
    "mike-building": lambda tree: sum("mike" in command for command in tree.values()) > 1,
    # Chromium prints the PDF, under Playwright's driver, under mike's build
    "chromium-printing": lambda tree: any("chromium" in command for command in tree.values()),
}


@pytest.mark.parametrize("moment", sorted(RELEASE_MOMENTS))
def test_a_release_killed_alone_leaves_no_process_behind(repository: Path, moment: str) -> None:
    """mike, run by the release, ends with it, and so does what mike's build started (its
    helpers, Playwright's driver and the Chromium that prints the PDF): nothing goes on
    writing to the scratch branch that the next release starts again from."""
    before = git(repository, "rev-parse", "gh-pages").strip()
    process = _start(repository, "release", "3.0", "--date", "2026-03-01")
    _kill_alone(process, RELEASE_MOMENTS[moment])
    assert git(repository, "rev-parse", "gh-pages").strip() == before
    again = f"3.1.{sorted(RELEASE_MOMENTS).index(moment)}"
    assert _start(repository, "release", again, "--date", "2026-03-02").wait(600) == 0
    assert _published(repository, again) == [True, True]
