"""Suggestions: which declared name a mistyped one most likely meant, as a person sees closeness.

Closeness is the optimal string alignment distance (Damerau-Levenshtein without moving a
character twice): an insertion, a deletion, a replacement or two neighbours swapped each count
one, so `VAL-020` is one step from `VAL-002` (swapped) and two from `VAL-008`. Upper and lower
case count as the same letter. Among names equally close, the one written with the same digits
comes first, then the nearest number, then the one declared first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DIGITS = re.compile(r"\d+")


class Names:
    """Declared names to suggest from. Each is also kept as a bag of its characters, so that
    most names are passed over by a set difference: a name more steps away in its characters
    alone cannot be closer in order (a handbook has tens of thousands of ids)."""

    def __init__(self, known: Iterable[str]) -> None:
        self._known = list(dict.fromkeys(known))
        self._bags: list[frozenset[tuple[str, int]]] | None = None

    def closest(self, written: str) -> str | None:
        """The declared name `written` most likely stands for, or None when none is close
        enough (`_steps_allowed`)."""
        if self._bags is None:
            self._bags = [_bag(name) for name in self._known]
        folded = written.casefold()
        bag = _bag(written)
        digits = sorted(c for c in written if c.isdigit())
        number = _number(written)
        best: tuple[int, int, int, int] | None = None
        chosen: str | None = None
        for order, (candidate, other_bag) in enumerate(zip(self._known, self._bags, strict=True)):
            bound = _steps_allowed(max(len(written), len(candidate)))
            if len(bag - other_bag) > bound or len(other_bag - bag) > bound:
                continue
            if candidate == written:
                continue
            steps = distance(folded, candidate.casefold(), bound)
            if steps > bound or steps >= min(len(written), len(candidate)):
                continue  # too far, or nothing of the one left in the other
            other = _number(candidate)
            key = (
                steps,
                0 if sorted(c for c in candidate if c.isdigit()) == digits else 1,
                abs(number - other) if number is not None and other is not None else 1 << 62,
                order,
            )
            if best is None or key < best:
                best, chosen = key, candidate
        return chosen


def _steps_allowed(length: int) -> int:
    """How many steps away a name may be and still be offered: one in a short name, two in
    an id or a word (`fone` for `phone`), three in a long name. Further than that, a person
    no longer sees the one in the other."""
    return 1 if length <= 3 else 2 if length <= 9 else 3


def did_you_mean(written: str, known: Iterable[str]) -> str | None:
    """`Names(known).closest(written)`, for a list asked once."""
    return Names(known).closest(written)


def _bag(text: str) -> frozenset[tuple[str, int]]:
    """The characters of `text` (upper and lower case alike), each occurrence numbered."""
    seen: dict[str, int] = {}
    bag = []
    for character in text.casefold():
        count = seen.get(character, 0)
        seen[character] = count + 1
        bag.append((character, count))
    return frozenset(bag)


def distance(first: str, second: str, bound: int) -> int:
    """The optimal string alignment distance of two texts, or `bound + 1` if it is larger.

    What the two share at the start and at the end is left out first: ids of one kind share
    their prefix, so the table is that of the few characters in between."""
    start = 0
    while start < len(first) and start < len(second) and first[start] == second[start]:
        start += 1
    end_first, end_second = len(first), len(second)
    while (
        end_first > start and end_second > start and first[end_first - 1] == second[end_second - 1]
    ):
        end_first -= 1
        end_second -= 1
    a, b = first[start:end_first], second[start:end_second]
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    if not a or not b:
        return len(a) or len(b)
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            steps = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                steps = min(steps, before[j - 2] + 1)
            current[j] = steps
        if min(current) > bound:
            return bound + 1
        before, previous = previous, current
    return min(previous[-1], bound + 1)


def _number(text: str) -> int | None:
    found = _DIGITS.findall(text)
    return int("".join(found)) if found else None
