"""The helper processes of a build: their results are the build's own, and a helper that fails
or is killed changes nothing but the time the build takes."""

from __future__ import annotations

import errno
import functools
import multiprocessing.process
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator.speed.helper import Helper, Here, Job, elsewhere
from generator.system import children
from tests.conftest import ROOT


def _fail() -> bytes:
    raise RuntimeError("a template error, say")


def test_results_come_back_whole_in_any_order_of_asking() -> None:
    big = bytes(range(256)) * 40_000
    helper = Helper([("small", lambda: b"first"), ("big", lambda: big)])
    helper.start()
    try:
        assert helper.result("big") == big
        assert helper.result("small") == b"first"
        assert helper.result("never asked for") is None
    finally:
        helper.stop()
    assert not helper.folder.exists()


def test_a_job_that_fails_is_left_to_the_build_with_every_job_after_it() -> None:
    helper = Helper([("before", lambda: b"1"), ("fails", _fail), ("after", lambda: b"2")])
    helper.start()
    try:
        assert helper.result("before") == b"1"
        assert helper.result("fails") is None
        assert helper.result("after") is None
    finally:
        helper.stop()


def _slow() -> bytes:
    time.sleep(60)
    return b""


def test_a_killed_helper_is_not_waited_for() -> None:
    helper = Helper([("slow", _slow)])
    helper.start()
    try:
        assert helper.process is not None and helper.process.pid is not None
        os.kill(helper.process.pid, signal.SIGKILL)
        started = time.monotonic()
        assert helper.result("slow") is None
        assert time.monotonic() - started < 10
    finally:
        helper.stop()


def test_a_damaged_result_is_not_used() -> None:
    helper = Helper([("job", lambda: b"the real result")])
    helper.start()
    try:
        assert helper.size("job") == len(b"the real result")
        done = helper.folder / "0.done"
        done.write_bytes(done.read_bytes()[:-1] + b"!")
        assert helper.result("job") is None
    finally:
        helper.stop()


def test_a_result_is_taken_once() -> None:
    """Read, a result leaves the folder: the build holds what it needs, not two copies."""
    helper = Helper([("job", lambda: b"x" * 1000)])
    helper.start()
    try:
        assert helper.size("job") == 1000
        assert helper.result("job") == b"x" * 1000
        assert not list(helper.folder.glob("*.done"))
        assert helper.result("job") is None
    finally:
        helper.stop()


def test_a_helper_ends_with_the_build_process_however_it_ends() -> None:
    """A build process killed alone (no process group signal) takes its helper with it, and
    the helper takes its folder."""
    script = (
        "import sys, time\n"
        "from generator.speed.helper import Helper\n"
        "helper = Helper([('slow', lambda: time.sleep(120) or b'')])\n"
        "helper.start()\n"
        "print(helper.process.pid, helper.folder, flush=True)\n"
        "time.sleep(120)\n"
    )
    build = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert build.stdout is not None
        pid, folder = build.stdout.readline().split()
        helper_pid = int(pid)
        assert Path(folder).is_dir()
        build.kill()
        build.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _running(helper_pid):
            time.sleep(0.05)
        assert not _running(helper_pid)
        assert not Path(folder).exists()  # the helper removed its own folder
    finally:
        build.kill()


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an orphan is reaped by init)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_new_helper_removes_the_folders_of_helpers_killed_with_their_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL to a whole process group leaves no one to clean up: the next build does, and
    leaves alone a folder a live build still holds."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    abandoned = tmp_path / "handbook-helper-killed"
    abandoned.mkdir()
    (abandoned / "0.done").write_bytes(b"x" * 100)
    live = Helper([("job", lambda: b"")])
    try:
        assert not abandoned.exists()
        again = Helper([("job", lambda: b"")])
        try:
            assert live.folder.is_dir()  # its lock is held by the build that made it
        finally:
            again.stop()
    finally:
        live.stop()
    assert not list(tmp_path.glob("handbook-helper-*"))


def test_a_child_whose_parent_ended_before_the_tie_still_cleans_up(tmp_path: Path) -> None:
    """The parent may be killed between the fork and the child's request to be told of its
    end (then no signal ever comes): the child ends at once, and runs its clean-up first."""
    folder = tmp_path / "helper-folder"
    folder.mkdir()
    pid = os.fork()
    if pid == 0:  # the child, as if its parent had ended before the tie
        try:
            children._forking_process = -1
            children._clean_up = functools.partial(shutil.rmtree, folder, True)
            children._tie_to_parent()
        finally:
            os._exit(0)  # reached only if the child did not end itself
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1
    assert not folder.exists()


def test_where_nothing_may_be_forked_the_twin_leaves_every_job_to_the_build() -> None:
    """The one interface of work done elsewhere has a twin that does nothing elsewhere: every
    result is the build's to make, as after a helper that failed."""
    jobs: list[Job] = [("a", lambda: b"made elsewhere")]
    for twin in (elsewhere(jobs, allowed=False), elsewhere([], allowed=True)):
        assert isinstance(twin, Here)
        assert twin.result("a") is None
        assert twin.result_file("a") is None
        assert twin.size("a") is None
        twin.stop()


def test_a_forked_helper_and_its_twin_answer_through_the_same_interface() -> None:
    helper = elsewhere([("a", lambda: b"made elsewhere")], allowed=True)
    try:
        if isinstance(helper, Here):
            pytest.skip("this system gives no process to fork")
        assert helper.size("a") == len(b"made elsewhere")
        assert helper.result("a") == b"made elsewhere"
        assert helper.result("not a job") is None
    finally:
        helper.stop()


def test_a_fork_the_system_refuses_leaves_the_twin_and_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a limit on processes the fork fails: the build gets the twin and does the jobs
    itself, and the helper's folder and lock do not stay behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def refused(self: object) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    helper = elsewhere([("a", lambda: b"made elsewhere")], allowed=True)
    assert isinstance(helper, Here)
    assert list(tmp_path.iterdir()) == []
