"""Schema: the JSON Schema of a standards file, generated from the model.

Editors (VS Code with yaml-language-server, the GitHub web editor with a schema store) use it
for completion, hover docs and red squiggles while a policy owner types; it is written from the
same pydantic classes that validate the YAML, so the two can never disagree about a field.
"""

from __future__ import annotations

import json
from typing import Any

from generator.model import Handbook, HandbookFile

SCHEMA_FILE = "handbook.schema.json"
SCHEMA_ID = "https://service-handbook.invalid/schemas/handbook.schema.json"


# Which fields name a taxonomy term (closed lists: the editor rejects a typo at once) and which
# name an item (open lists: new items are written all the time, so the ids are only offered).
_TERM_FIELDS = {
    ("Value", "pillars"): "pillars",
    ("Norm", "channels"): "channels",
    ("Norm", "audiences"): "audiences",
    ("Norm", "factors"): "factors",
    ("Norm", "roles"): "roles",
    ("Parameter", "roles"): "roles",
    ("Role", "channels"): "channels",
    ("Parameter", "channel"): "channels",
    ("Parameter", "category"): "categories",
    ("Parameter", "verification"): "methods",
    ("Channel", "requires"): "categories",
    ("Value", "owner"): "owners",
    ("Norm", "owner"): "owners",
    ("Parameter", "owner"): "owners",
}
_ITEM_FIELDS = {
    ("Norm", "traces_to"): "values",
    ("Parameter", "traces_to"): "norms",
}


def handbook_schema(handbook: Handbook | None = None) -> dict[str, Any]:
    """The schema; given a handbook, it also lists the handbook's own ids where they are
    expected, so that the editor completes `channel: ph…` and flags `category: sped`."""
    schema = HandbookFile.model_json_schema()
    if handbook is not None:
        definitions = schema["$defs"]
        terms = {
            section: sorted(term.id for term in items)
            for section, items in handbook.taxonomy.items()
        }
        items = {
            "values": [v.id for v in handbook.values if v.status == "active"],
            "norms": [n.id for n in handbook.norms if n.status == "active"],
        }
        for (model, field), section in _TERM_FIELDS.items():
            if terms.get(section):
                _constrain(definitions[model]["properties"][field], "enum", terms[section])
        for (model, field), kind in _ITEM_FIELDS.items():
            if items[kind]:
                _constrain(definitions[model]["properties"][field], "examples", items[kind])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Service handbook standards file",
    }


def _constrain(node: dict[str, Any], keyword: str, ids: list[str]) -> None:
    """Put the ids on the string that holds an id: the field itself, its list items, or the
    text branch of an optional field."""
    if "items" in node:
        _constrain(node["items"], keyword, ids)
    elif "anyOf" in node:
        for branch in node["anyOf"]:
            if branch.get("type") == "string":
                _constrain(branch, keyword, ids)
    elif node.get("type") == "string":
        node[keyword] = ids


def schema_text(handbook: Handbook | None = None) -> str:
    """The schema as written to disk: stable key order and a final newline, so that it is
    byte-identical run after run and a stale copy in the repository shows up in review."""
    return json.dumps(handbook_schema(handbook), indent=2, ensure_ascii=False) + "\n"
