"""Trace: the links between items in both directions, derived once from the model.

Norms point up to values and parameters up to norms; readers and auditors also need the way
down (a value's norms, a norm's parameters) and across (a channel's parameters). The loader
derives these indexes once, file by file (`index.py`), so that checking and rendering
never re-walk the model for them.
"""

from __future__ import annotations

from generator.model.index import Index
from generator.model.items import Handbook

Links = Index


def link(handbook: Handbook) -> Links:
    """The handbook's links; items keep their order of appearance (file order, then position)."""
    return handbook.index
