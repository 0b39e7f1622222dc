"""A forked helper process that makes part of a build on the other core.

MkDocs builds pages one after another in one process. Some work needs nothing from that process
once it is under way: the HTML blocks of the pages MkDocs writes last (the print page, the
audit's tables and graph, the checklists; see `render.Rendered`), the large exports among the
audit's downloads, and the YAML files parsed ahead into the parse cache (`parsecache`). A
helper is a fork of the build: it shares the model and the templates with no copying, does its
jobs in order and leaves each result, with a digest, in a file of a private folder. The build
takes a result when it needs it, waiting if the helper is not that far yet; whatever went wrong
in the helper (it died, was killed, a file is missing or damaged), the build does the job
itself: a helper can make a build faster, never different.

Helpers are used only where forking is safe, that is not under `mkdocs serve`, whose server
runs threads. `elsewhere` is the one way a build hands a job over while it goes on (the
language builds side by side are whole builds, `engines/mkdocs/build`): it gives a helper, or
its twin `Here` (nothing forked, every job the build's own), behind the same interface, so that
no caller has a second way of doing without one.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Protocol

from generator.speed.lockedfolder import claim, remove_if_abandoned
from generator.system import children

Job = tuple[str, Callable[[], bytes | Iterable[bytes]]]
"""A name and what makes the result: bytes, or chunks of bytes written as they come."""

_DIGEST = hashlib.sha256
_PREFIX = "handbook-helper-"
_DIGEST_SIZE = 32
_CHUNK = 1 << 20
WAIT_LIMIT = 900.0
"""Seconds the build waits for one result before it does the job itself (a helper that
hangs must not hang the build)."""


def can_fork() -> bool:
    return children.TIED and "fork" in multiprocessing.get_all_start_methods()


def may_fork(helpers: bool = True) -> bool:
    """Whether this process may hand work to a forked one: where forking is safe (on Linux,
    where a helper ends with its parent, and in a process with no other thread), where more
    than one core is ours, and unless HANDBOOK_NO_HELPERS=1 asks for one process (a machine
    that limits processes, or builds of several languages side by side, which already keep
    every core busy); `helpers` is that wish, as the environment said it
    (`system.environment`)."""
    return (
        can_fork()  # first: other systems have no `sched_getaffinity`
        and helpers
        and threading.active_count() == 1
        and len(os.sched_getaffinity(0)) > 1
    )


def return_free_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (glibc's `malloc_trim`).
    Python frees large objects to the C allocator, which keeps the pages: a helper forked
    after rendering would start with them, and they would count in every later peak."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        return


def private_folder() -> tuple[Path, int]:
    """A new folder for a build's working files, locked (`lockedfolder.claim`) for the life of
    the build and of its forks: the folder and the lock's descriptor. The folders of builds
    killed outright together with their helpers (SIGKILL to the process group) go first."""
    for abandoned in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        remove_if_abandoned(abandoned)
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX))
    return folder, claim(folder)


class Helper:
    """One helper process and its jobs, by name."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = tuple(jobs)
        self.order = {name: index for index, (name, _) in enumerate(self.jobs)}
        # held by the build and, forked, by the helper
        self.folder, self.claim = private_folder()
        self.process: BaseProcess | None = None

    @classmethod
    def started(cls, jobs: Sequence[Job]) -> Helper | None:
        """A helper at work on `jobs`; None where the system gives no folder or process for
        one (a full disk, a limit on processes): the build then does the jobs itself."""
        try:
            helper = cls(jobs)
        except OSError:
            return None
        try:
            helper.start()
        except OSError:
            helper.stop()
            return None
        return helper

    def start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=_work, args=(self.jobs, self.folder), daemon=True)
        # Its folder goes with the helper when the build's end ends it (`children`).
        with children.cleaning_up(functools.partial(shutil.rmtree, self.folder, True)):
            self.process.start()

    def _done(self, name: str) -> Path | None:
        """The job's result file, once the helper has written it; None if it never will."""
        if name not in self.order or self.process is None:
            return None
        done = self.folder / f"{self.order[name]}.done"
        deadline = time.monotonic() + WAIT_LIMIT
        while not done.exists():
            if not self.process.is_alive() or time.monotonic() > deadline:
                return done if done.exists() else None
            time.sleep(0.005)
        return done

    def size(self, name: str) -> int | None:
        """The size of the job's result, without reading it."""
        done = self._done(name)
        try:
            return done.stat().st_size - _DIGEST_SIZE if done is not None else None
        except OSError:
            return None

    def result(self, name: str) -> bytes | None:
        """The job's result once the helper has it (taken: the file is removed), or None if
        it will not have it and the build must do the job itself."""
        found = self.result_file(name)
        if found is None:
            return None
        done, length = found
        try:
            with done.open("rb") as made:
                body = made.read(length)
            done.unlink()
        except OSError:
            return None
        return body

    def result_file(self, name: str) -> tuple[Path, int] | None:
        """The job's result left in its file, checked without reading it into memory: the
        file and the length of the result at its start (the rest is the digest). The file is
        removed with the helper's folder (`stop`)."""
        done = self._done(name)
        if done is None:
            return None
        try:
            with done.open("rb") as made:
                length = os.fstat(made.fileno()).st_size - _DIGEST_SIZE
                digest = _DIGEST()
                remaining = length
                while remaining > 0:
                    chunk = made.read(min(_CHUNK, remaining))
                    if not chunk:
                        return None
                    digest.update(chunk)
                    remaining -= len(chunk)
                if length < 0 or made.read() != digest.digest():
                    return None
        except OSError:
            return None
        return done, length

    def stop(self) -> None:
        """End the helper (done or not) and remove its folder."""
        if self.process is not None:
            if self.process.pid is not None:  # a fork the system refused never started
                if self.process.is_alive():
                    self.process.kill()
                self.process.join()
            self.process.close()
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.claim >= 0:
            os.close(self.claim)
            self.claim = -1


class Elsewhere(Protocol):
    """Jobs done apart from the build while it goes on, each result had by its name: the one
    interface of everything a build hands to another process. A result that is None is the
    build's to make itself, so a helper can make a build faster, never different."""

    def result(self, name: str) -> bytes | None: ...

    def result_file(self, name: str) -> tuple[Path, int] | None: ...

    def size(self, name: str) -> int | None: ...

    def stop(self) -> None: ...


class Here:
    """The twin of a helper where nothing may be forked (`may_fork`), the system gives no
    process, or there is nothing to hand over: every job is the build's own, done when its
    result is asked for, exactly as after a helper that failed."""

    def result(self, name: str) -> bytes | None:
        return None

    def result_file(self, name: str) -> tuple[Path, int] | None:
        return None

    def size(self, name: str) -> int | None:
        return None

    def stop(self) -> None:
        return None


def elsewhere(jobs: Sequence[Job], *, allowed: bool) -> Elsewhere:
    """A forked helper at work on `jobs` where `allowed` (the caller asked `may_fork`) and the
    system gives one; else its twin, and the build does the jobs itself."""
    if not allowed or not jobs:
        return Here()
    return Helper.started(jobs) or Here()


def _work(jobs: Sequence[Job], folder: Path) -> None:
    """In the helper: each job in order, each result written whole (a temporary name, then
    renamed), followed by its digest. Its temporary files (openpyxl writes some) go into its
    folder, which it removes itself if the build ends first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    tempfile.tempdir = str(folder)
    try:
        for index, (_, job) in enumerate(jobs):
            made = job()
            partial = folder / f"{index}.partial"
            digest = _DIGEST()
            with partial.open("wb") as out:
                for chunk in [made] if isinstance(made, bytes) else made:
                    digest.update(chunk)
                    out.write(chunk)
                out.write(digest.digest())
            partial.replace(folder / f"{index}.done")
            del made
            return_free_memory()  # a job's large strings, before the next job's
    except BaseException:  # the build does the job itself, and reports what failed
        os._exit(1)
