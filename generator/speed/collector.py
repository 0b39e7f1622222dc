"""Pausing CPython's cyclic garbage collector while a handbook is loaded and checked.

Loading makes a few objects per YAML node (hundreds of thousands at company scale) and none of
them form reference cycles, so reference counting frees them all. The cyclic collector would
still walk the growing heap again and again as it grows: about 40 % of `handbook validate` at
10,000 norms. It runs again, with its earlier setting, as soon as the step is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What was made meanwhile joins the oldest generation at once (freeze, then
            # unfreeze, moves it there without a pass over it); left young, the next
            # collections would walk all of it up through the generations.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
