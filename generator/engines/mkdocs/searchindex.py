"""Material's search plugin: what the handbook hands it, and the index file it writes for it.

Each page is handed to the plugin without the tags its parser ignores (`searchtext.py`) and
marked as indexed, so that the plugin does not read it again in full.

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

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from generator.engines.mkdocs.searchtext import for_search

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


def material_search(config: MkDocsConfig) -> Any:
    """Material's search plugin; None without it (MkDocs' own is not handled here)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None or not type(search).__module__.startswith("material."):
        return None
    return search


def searchable(config: MkDocsConfig) -> Any:
    """Material's search plugin, if it is there, enabled and indexing; else None (MkDocs' own
    search plugin would index a page again, ignoring the handbook's mark)."""
    search = material_search(config)
    if search is None or not search.config.get("enabled", True):
        return None
    index = getattr(search, "search_index", None)
    return search if index is not None and hasattr(index, "add_entry_from_context") else None


def index_for_search(page: Page, config: MkDocsConfig) -> None:
    """Hand Material's search plugin the page without the tags it ignores (searchtext.py),
    then mark the page as indexed so that the plugin does not read it again in full."""
    search = searchable(config)
    meta_search = page.meta.get("search") or {}
    if search is None or page.content is None or meta_search.get("exclude"):
        return
    add_entry(search, page, page.content)
    page.meta["search"] = {**meta_search, "exclude": True}


def add_entry(search: Any, page: Page, content: str) -> None:
    shown, page.content = page.content, for_search(content) or content
    try:
        search.search_index.add_entry_from_context(page)
    finally:
        page.content = shown
