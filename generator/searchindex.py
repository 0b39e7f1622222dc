"""Material's search index, written a document at a time.

Material's search plugin writes `search/search_index.json` as one string made from every
page's sections, then encodes it: at 10,000 norms that is 30 MB held three times over at the
very end of the build, the build's peak of memory. Written here instead, document by document,
with the same encoder settings (`json.dumps(…, separators=(",", ":"), default=str)`, so the
file is byte for byte Material's), and the plugin left with nothing to write.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SEARCH_INDEX = "search/search_index.json"
_FIELDS = ("lang", "separator", "pipeline", "fields")  # as Material's generate_search_index


def _compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=str).encode("utf-8")


def can_write(search: Any) -> bool:
    """Whether this can stand in for Material's search plugin (`search`): not under `mkdocs
    serve --dirty`, where the plugin merges the index of the previous build."""
    entries = getattr(getattr(search, "search_index", None), "entries", None)
    return getattr(search, "is_dirty", True) is False and isinstance(entries, list)


def write_index(search: Any, site: Path) -> None:
    """Write the index Material's search plugin holds (see `can_write`)."""
    target = site / SEARCH_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        out.write(b'{"config":' + _compact({key: search.config[key] for key in _FIELDS}))
        out.write(b',"docs":[')
        for number, entry in enumerate(search.search_index.entries):
            if number:
                out.write(b",")
            out.write(_compact(entry))
        out.write(b"]}")
