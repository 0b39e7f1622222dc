"""Every process a handbook process forks ends when its parent ends, however the parent ends.

A build forks language workers (`sitebuild`), helpers (`helper`) and a parsing process
(`parsecache`); each holds the build's locks and writes into its folders. Killed outright
(SIGKILL, the OOM killer, `docker stop` after its grace period), the parent cannot stop them:
a worker left behind kept the staging folder's lock, and with it the folder, forever. So the
tie is made in the child by the kernel, once for every fork of the process
(`os.register_at_fork`) rather than by each place that forks: the next kind of child cannot
forget it.

On Linux the child asks for SIGTERM when its parent ends (`PR_SET_PDEATHSIG`) and then checks
that its parent is still the process that forked it: a parent that ended before the request
took effect would never send it. SIGTERM is set to its default action in the child, because a
handler inherited from the parent (the CLI turns SIGTERM into an unwinding `KeyboardInterrupt`)
could be caught by code that goes on waiting for work; a child that must clean up installs its
own handler after the fork and ends from it (`helper._work`).

The signal comes when the *thread* that forked the child ends. Children are forked only from a
process's main thread (`helper.may_fork` asks for a process with one thread), which ends with
the process.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
_FAILED = 1

TIED = sys.platform == "linux"
"""Whether a forked child is tied to its parent on this system (elsewhere nothing forks:
`helper.can_fork`)."""

_forking_process = os.getpid()
"""The process about to fork, as the child will find it: set just before every fork."""


def _note_parent() -> None:
    global _forking_process
    _forking_process = os.getpid()


def _tie_to_parent() -> None:
    """In a new child: end with the process that forked it, or now if it has already ended."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        libc = ctypes.CDLL(None, use_errno=True)
        asked = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM)) == 0
    except (OSError, AttributeError, ValueError):
        asked = False
    if asked and os.getppid() != _forking_process:
        os._exit(_FAILED)


def end_with_parent() -> None:
    """For `subprocess`'s `preexec_fn`: the program it starts ends with this process too (the
    request survives `exec`)."""
    _tie_to_parent()


if TIED:
    os.register_at_fork(before=_note_parent, after_in_child=_tie_to_parent)
