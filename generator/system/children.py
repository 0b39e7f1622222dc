"""Every process a handbook process forks ends when its parent ends, however the parent ends.

A build forks language workers (`engines/mkdocs/build`) and helpers (`speed.helper`: the
exports, the last pages' blocks, the files parsed ahead); each holds the build's locks and
writes into its folders. Killed outright (SIGKILL, the OOM killer, `docker stop` after its
grace period), the parent cannot stop them: a worker left behind kept the staging folder's
lock, and with it the folder, forever. So the tie is made in the child by the kernel, once for
every fork of the process (`os.register_at_fork`) rather than by each place that forks: the
next kind of child cannot forget it.

On Linux the child asks for SIGTERM when its parent ends (`PR_SET_PDEATHSIG`) and then checks
that its parent is still the process that forked it: a parent that ended before the request
took effect would never send it. SIGTERM is set to its default action in the child, because a
handler inherited from the parent (the CLI turns SIGTERM into an unwinding `KeyboardInterrupt`)
could be caught by code that goes on waiting for work. A child that must clean up when it ends
this way (a helper removes its folder) names its clean-up before the fork (`cleaning_up`): the
handler that runs it is in place in the child before the tie is made, so no signal can come
between the two.

The signal comes when the *thread* that forked the child ends. Children are forked only from a
process's main thread (`helper.may_fork` asks for a process with one thread), which ends with
the process.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import NoReturn

_PR_SET_PDEATHSIG = 1
_FAILED = 1

TIED = sys.platform == "linux"
"""Whether a forked child is tied to its parent on this system (elsewhere nothing forks:
`helper.can_fork`)."""

_forking_process = os.getpid()
"""The process about to fork, as the child will find it: set just before every fork."""
_clean_up: Callable[[], None] | None = None
"""What the next child forked runs before it ends by SIGTERM (`cleaning_up`)."""


@contextlib.contextmanager
def cleaning_up(action: Callable[[], None]) -> Iterator[None]:
    """Children forked meanwhile run `action` and end when SIGTERM comes (their parent's end
    included), instead of ending at once."""
    global _clean_up
    _clean_up = action
    try:
        yield
    finally:
        _clean_up = None


def _note_parent() -> None:
    global _forking_process
    _forking_process = os.getpid()


def _tie_to_parent() -> None:
    """In a new child: end with the process that forked it, or now if it has already ended."""
    action = _clean_up
    try:
        if action is None:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        else:
            signal.signal(signal.SIGTERM, lambda number, frame: _end(action))
        libc = ctypes.CDLL(None, use_errno=True)
        asked = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM)) == 0
    except (OSError, AttributeError, ValueError):
        asked = False
    if asked and os.getppid() != _forking_process:
        # The parent ended before the tie was made: no signal will come, so end now, and
        # clean up as the signal would have (a helper's folder was made before the fork).
        if action is not None:
            _end(action)
        os._exit(_FAILED)


def _end(action: Callable[[], None]) -> NoReturn:
    try:
        action()
    finally:
        os._exit(_FAILED)


def end_with_parent() -> None:
    """For `subprocess`'s `preexec_fn`: the program it starts ends with this process too (the
    request survives `exec`)."""
    _tie_to_parent()


if TIED:
    os.register_at_fork(before=_note_parent, after_in_child=_tie_to_parent)
