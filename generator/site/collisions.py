"""Two things the site would write to one file, found before anything is written.

MkDocs writes each page to the file its address names (`channels/phone.md` and
`channels/phone/index.md` both to `channels/phone/index.html`), and a later file silently
replaces an earlier one. A hand-written page where a generated one goes, or two generated pages
at one address, would publish one and drop the other; and on a disk that does not tell upper
from lower case (a Windows share, a Mac), `About/` and `about/` are one folder. So every file
of the site is named before MkDocs empties the site folder, and two that would land on one
place stop the build there, with the previous site untouched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Collision:
    places: tuple[str, ...]
    """The files of the site they would be written to: one, or several that differ only in
    case or accents."""
    sources: tuple[str, ...]
    """What would write them, in the same order: a hand-written file, a generated page …"""

    def __str__(self) -> str:
        both = "both" if len(self.sources) == 2 else "all"
        written = " and ".join(dict.fromkeys(self.places))
        if len(set(self.places)) == 1:
            return f"{' and '.join(self.sources)} would {both} be written to {written}"
        return (
            f"{' and '.join(self.sources)} would be written to {written}, which are one file "
            "where upper and lower case are not told apart (Windows, macOS)"
        )


class CollisionError(Exception):
    """The site would write two things to one place."""

    def __init__(self, collisions: list[Collision], fix: str) -> None:
        lines = "\n".join(f"  - {collision}" for collision in collisions)
        super().__init__(f"two things would be one file of the site:\n{lines}\n{fix}")
        self.collisions = collisions


def collisions(written: Iterable[tuple[str, str]]) -> list[Collision]:
    """The places written more than once, given (file of the site, what writes it) pairs;
    places that differ only in case or in how an accent is encoded are one place."""
    by_place: dict[str, list[tuple[str, str]]] = {}
    for place, source in written:
        by_place.setdefault(_folded(place), []).append((place, source))
    return [
        Collision(tuple(place for place, _ in group), tuple(source for _, source in group))
        for group in by_place.values()
        if len(group) > 1
    ]


def _folded(place: str) -> str:
    return unicodedata.normalize("NFC", place).casefold()
