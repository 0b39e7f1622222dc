"""What was made from each file, kept while the file's bytes stay the same.

`mkdocs serve` validates the whole handbook again after every save, though a policy owner
changed one file of hundreds: the others need not be parsed and validated again. An entry is
found by the file's path and the SHA-256 of its bytes, so any change, even of one byte, misses.
The caller gives the digest: it reads each file once and needs the digest for other caches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class FileCache(Generic[T]):
    """One entry per path: the digest of the bytes it was made from, and what was made."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, T]] = {}

    def get(self, path: str, digest: bytes) -> T | None:
        """What was made from the file at `path` when its bytes had this SHA-256 digest."""
        entry = self._entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        return entry[1]

    def put(self, path: str, digest: bytes, made: T) -> None:
        self._entries[path] = (digest, made)

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget files that are gone, so that the cache never outgrows the handbook."""
        kept = set(paths)
        self._entries = {path: entry for path, entry in self._entries.items() if path in kept}
