"""Working folders that a later run may remove once their owner is gone.

A process killed outright (SIGKILL, the OOM killer, a power cut) cannot remove its working
folders. Each such folder is locked (`flock`) by the process that uses it, and by any process
it forks; the kernel releases the lock when the last of them ends, however it ends, so a later
run can tell a live folder from an abandoned one across PID namespaces too.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path


def claim(folder: Path) -> int:
    """Lock `folder` for the life of this process (and its forks); the lock's descriptor."""
    held = os.open(folder, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    return held


def remove_if_abandoned(folder: Path) -> None:
    """Remove `folder` unless a live process holds its lock."""
    try:
        held = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # in use
    else:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(held)
