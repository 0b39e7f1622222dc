"""Schema: the JSON Schema of a standards file, generated from the model.

Editors (VS Code with yaml-language-server, the GitHub web editor with a schema store) use it
for completion, hover docs and red squiggles while a policy owner types; it is written from the
same pydantic classes that validate the YAML, so the two can never disagree about a field.
"""

from __future__ import annotations

import json
from typing import Any

from generator.model import HandbookFile

SCHEMA_FILE = "handbook.schema.json"
SCHEMA_ID = "https://service-handbook.invalid/schemas/handbook.schema.json"


def handbook_schema() -> dict[str, Any]:
    schema = HandbookFile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Service handbook standards file",
    }


def schema_text() -> str:
    """The schema as written to disk: stable key order and a final newline, so that it is
    byte-identical run after run and a stale copy in the repository shows up in review."""
    return json.dumps(handbook_schema(), indent=2, ensure_ascii=False) + "\n"
