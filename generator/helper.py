"""A forked helper process that makes part of a build on the other core.

MkDocs builds pages one after another in one process. Two kinds of work need nothing from
that process once the pages are rendered to Markdown: the HTML blocks of the pages MkDocs
writes last (the print page, the audit's tables and graph, the checklists; see
`render.Rendered`) and the large exports among the audit's downloads. A helper is a fork of
the build: it shares the model and the templates with no copying, does its jobs in order and
leaves each result, with a digest, in a file of a private folder. The build takes a result
when it needs it, waiting if the helper is not that far yet; whatever went wrong in the helper
(it died, was killed, a file is missing or damaged), the build does the job itself: a helper
can make a build faster, never different.

Helpers are used only where forking is safe, that is not under `mkdocs serve`, whose server
runs threads.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path

Job = tuple[str, Callable[[], bytes]]

_DIGEST = hashlib.sha256
_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Helper:
    """One helper process and its jobs, by name."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = tuple(jobs)
        self.order = {name: index for index, (name, _) in enumerate(self.jobs)}
        self.folder = Path(tempfile.mkdtemp(prefix="handbook-helper-"))
        self.process: BaseProcess | None = None

    def start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=_work, args=(self.jobs, self.folder), daemon=True)
        self.process.start()

    def result(self, name: str) -> bytes | None:
        """The job's result once the helper has it; None if it will not have it."""
        if name not in self.order or self.process is None:
            return None
        done = self.folder / f"{self.order[name]}.done"
        while not done.exists():
            if not self.process.is_alive():
                if done.exists():
                    break
                return None
            time.sleep(0.005)
        try:
            data = done.read_bytes()
        except OSError:
            return None
        digest, body = data[:32], data[32:]
        return body if _DIGEST(body).digest() == digest else None

    def stop(self) -> None:
        """End the helper (done or not) and remove its folder."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.process.close()
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _work(jobs: Sequence[Job], folder: Path) -> None:
    """In the helper: each job in order, each result written whole (a temporary name, then
    renamed) after a digest of it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    try:
        for index, (_, job) in enumerate(jobs):
            body = job()
            partial = folder / f"{index}.partial"
            partial.write_bytes(_DIGEST(body).digest() + body)
            partial.replace(folder / f"{index}.done")
    except BaseException:  # the build does the job itself, and reports what failed
        os._exit(1)


def _end_with_parent() -> None:
    """Linux ends the helper when the build process ends, however it ends (a build process
    killed alone, as `docker stop` may do, would otherwise leave it working)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except (OSError, AttributeError):
        return
