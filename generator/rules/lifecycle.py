"""Lifecycle: every item in force has an owner who answers for it, and a norm is reviewed when
its review date comes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Item, Norm, Origin
from generator.rules.registry import Model, checks


@checks(Rule.MISSING_OWNER)
def ownerless(model: Model) -> Iterator[Diagnostic]:
    owners = [t.id for t in model.handbook.taxonomy.get("owners", ())]
    for item in model.handbook.index.ownerless:
        yield _ownerless(item, model.origin(item.id), owners)
    for read in model.partly_read():
        if read.status == "active" and "owner" not in read.unread and read.item.owner is None:
            yield _ownerless(read.item, read.origin, owners)


@checks(Rule.DATES_OUT_OF_ORDER, Rule.REVIEW_OVERDUE)
def reviews(model: Model) -> Iterator[Diagnostic]:
    for norm in model.handbook.index.reviewed:
        yield from _review(norm, model.origin(norm.id), model.today, frozenset())
    for read in model.partly_read():
        if isinstance(read.item, Norm):
            yield from _review(read.item, read.origin, model.today, read.unread)


def _ownerless(item: Item, origin: Origin, owners: Sequence[str]) -> Diagnostic:
    return Diagnostic(
        Rule.MISSING_OWNER,
        origin.of("id"),
        f"{item.id} has no owner",
        "Add `owner:` with the role that answers for it"
        + (f", e.g. `owner: {owners[0]}`." if owners else "."),
        (item.id,),
    )


def _review(
    norm: Norm, origin: Origin, today: dt.date, unread: frozenset[str]
) -> Iterator[Diagnostic]:
    if norm.effective and norm.review and norm.review < norm.effective:
        yield Diagnostic(
            Rule.DATES_OUT_OF_ORDER,
            origin.of("review"),
            f"norm {norm.id} is due for review on {norm.review}, before it takes effect "
            f"on {norm.effective}",
            "Set `review:` to a date after `effective:`.",
            (norm.id,),
        )
    if "status" not in unread and norm.status == "active" and norm.review and norm.review < today:
        yield Diagnostic(
            Rule.REVIEW_OVERDUE,
            origin.of("review"),
            f"norm {norm.id} was due for review on {norm.review}",
            "Review it with its owner, then set `review:` to the next date.",
            (norm.id,),
        )
