"""Schema errors in a policy owner's words: whatever is wrong with whatever field, the message
and the hint never speak pydantic's vocabulary, and an id of the wrong kind is named as such."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from generator.model.items import Settings
from generator.source.load import SECTION_MODELS, load_file
from generator.source.yamlsource import parse_yaml
from tests.conftest import run_cli

WRONG: list[Any] = [
    None,
    7,
    1.5,
    True,
    "x",
    "",
    "NRM-001",
    "VAL-001",
    "phone",
    "Not An Id",
    "2026-13-01",
    "2026-1-1",
    [],
    ["x"],
    [7],
    [["x"]],
    [{"a": 1}],
    {},
    {"a": 1},
    {"en": 7},
    {"EN": "x"},
    {"english": "x", "ru": "y"},
    {"metric": "m", "min": "a", "max": []},
    {"do": [7], "dont": "x"},
]
"""Values of every JSON kind, and texts shaped like ids, dates and language maps."""
PYDANTIC = re.compile(
    r"_type\b|_error\b|Input should|Value error|String should|Field required|Extra inputs|"
    r"dict\[|constrained|\[key\]|str\]|model_|pattern '|function-",
)
VALID: dict[str, dict[str, Any]] = {
    "handbook": {"title": "T", "organisation": "O"},
    "channels": {"id": "phone", "title": "Phone"},
    "owners": {"id": "boss", "title": "Boss"},
    "roles": {"id": "agent", "title": "Agent"},
    "categories": {"id": "speed", "title": "Speed"},
    "values": {"id": "VAL-001", "title": "T", "statement": "S"},
    "norms": {"id": "NRM-001", "title": "T", "statement": "S"},
    "parameters": {
        "id": "PAR-001",
        "title": "T",
        "channel": "phone",
        "category": "speed",
        "requirement": "R",
    },
}


def _model(section: str) -> type[BaseModel]:
    return Settings if section == "handbook" else SECTION_MODELS[section]


def _cases() -> list[tuple[str, str, Any]]:
    return [
        (section, field, wrong)
        for section in VALID
        for field in _model(section).model_fields
        for wrong in WRONG
    ]


def test_the_cases_reach_every_kind_of_error_the_model_makes() -> None:
    kinds: set[str] = set()
    for section, field, wrong in _cases():
        try:
            _model(section).model_validate({**VALID[section], field: wrong})
        except ValidationError as error:
            kinds.update(e["type"] for e in error.errors())
    assert kinds >= {
        "missing",
        "extra_forbidden",
        "literal_error",
        "string_pattern_mismatch",
        "value_error",
        "string_type",
        "int_type",
        "float_type",
        "dict_type",
        "tuple_type",
        "model_type",
        "date_type",
    }


def test_no_message_speaks_pydantic() -> None:
    seen = 0
    for section, field, wrong in _cases():
        entry = {**VALID[section], field: wrong}
        data = {section: entry if section == "handbook" else [entry]}
        text = json.dumps(data, ensure_ascii=False)
        for problem in load_file(text, "f.yml", parse_yaml(text, "f.yml")).problems:
            seen += 1
            written = f"{problem.message}\n{problem.hint}"
            assert PYDANTIC.search(written) is None, (section, field, wrong, written)
            assert problem.message and problem.hint
    assert seen > 500


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (
            "norms:\n  - id: NRM-900\n    title: T\n    statement: S\n    traces_to: [NRM-001]\n",
            "`traces_to[0]` of norm NRM-900 is `NRM-001`, the id of a norm, where a value is named",
        ),
        (
            "parameters:\n  - id: PAR-900\n    title: T\n    requirement: R\n    channel: phone\n"
            "    category: speed\n    traces_to: [VAL-001]\n",
            "`traces_to[0]` of parameter PAR-900 is `VAL-001`, the id of a value, where a norm is "
            "named",
        ),
        (
            "values:\n  - id: NRM-900\n    title: T\n    statement: S\n",
            "`id` of value NRM-900 is `NRM-900`, the id of a norm, in the list of values",
        ),
        (
            "norms:\n  - id: NRM-900\n    title: T\n    statement: S\n    channels: [PAR-001]\n",
            "`channels[0]` of norm NRM-900 is `PAR-001`, the id of a parameter, where a channel is "
            "named",
        ),
        (
            "norms:\n  - id: NRM-900\n    title: T\n    statement: S\n    owner: Head Of Service\n",
            "`owner` of norm NRM-900 is `Head Of Service`, which is not a well-formed id of an "
            "owner",
        ),
        (
            "norms:\n  - id: NRM-900\n    title: T\n    statement: S\n    effective: 20260101\n",
            "`effective` of norm NRM-900 must be a date written YYYY-MM-DD, not the number "
            "20260101",
        ),
        (
            "norms:\n  - id: NRM-900\n    title: {EN: T}\n    statement: S\n",
            "`EN` in `title` of norm NRM-900 is not a language code",
        ),
    ],
)
def test_messages_name_what_was_written_and_what_belongs_there(
    small: Path, entry: str, words: str
) -> None:
    (small / "standards" / "zz.yml").write_text(entry, encoding="utf-8")
    result = run_cli("validate", "standards", "--format", "json", cwd=small)
    messages = [d["message"] for d in json.loads(result.stdout)["diagnostics"]]
    assert words in messages, messages
