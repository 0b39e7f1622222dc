"""Lifecycle: what an item's standing is on a given day.

An active norm whose `effective` date is after the build date is not yet binding: pages,
checklists, exports and the PDF say "from 1 June 2027" instead of "in force", and today's
checklists leave it out. One function decides it, so every place that shows an item agrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from generator.model.items import Norm, Parameter

Standing = Literal["in-force", "coming", "draft", "retired"]


def coming_from(
    item: Norm | Parameter, norms: Mapping[str, Norm], today: dt.date
) -> dt.date | None:
    """The first day the item binds, when that is after `today`; None for an item in force. A
    parameter binds once it and one of the norms it implements do."""
    days: list[dt.date] = []
    if item.effective is not None and item.effective > today:
        days.append(item.effective)
    if isinstance(item, Parameter):
        implemented = [norms[n] for n in item.traces_to if n in norms]
        starts = [coming_from(norm, norms, today) for norm in implemented]
        if implemented and all(start is not None for start in starts):
            days.append(min(start for start in starts if start is not None))
    return max(days) if days else None


def standing(item: Norm | Parameter, norms: Mapping[str, Norm], today: dt.date) -> Standing:
    if item.status != "active":
        return item.status
    return "coming" if coming_from(item, norms, today) is not None else "in-force"
