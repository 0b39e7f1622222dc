"""The editors' JSON Schema: up to date, referenced by every standards file, and in agreement
with the loader (checked with jsonschema, an independent judge)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.schema import SCHEMA_FILE, schema_text
from generator.yamlsource import parse_yaml
from tests.conftest import FIXTURES, ROOT, run_cli

STANDARDS = sorted((ROOT / "standards").rglob("*.yml"))


def _as_json(path: Path) -> Any:
    parsed = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    assert parsed.problems == []
    return json.loads(json.dumps(parsed.data))  # tuples → arrays, as an editor sees them


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_committed_schema_is_what_handbook_schema_writes(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path), cwd=ROOT)
    assert result.code == 0
    written = (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")
    assert written == (ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    generic = run_cli("schema", "--out", str(tmp_path / "generic"), cwd=tmp_path)
    assert generic.code == 0
    assert (tmp_path / "generic" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


def test_the_schema_completes_this_handbooks_ids() -> None:
    schema = json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    parameter = schema["$defs"]["Parameter"]["properties"]
    assert parameter["channel"]["enum"] == ["face-to-face", "phone", "written"]
    assert "speed" in parameter["category"]["enum"]
    assert "NRM-001" in parameter["traces_to"]["items"]["examples"]
    owners = next(b for b in parameter["owner"]["anyOf"] if b.get("type") == "string")["enum"]
    assert "head-of-service" in owners


@pytest.mark.parametrize("path", STANDARDS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_standards_file_points_its_editor_at_the_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix)
    target = (path.parent / first_line.removeprefix(prefix)).resolve()
    assert target == (ROOT / "schemas" / SCHEMA_FILE).resolve()


@pytest.mark.parametrize("path", STANDARDS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_standards_file_validates_against_the_schema(path: Path) -> None:
    errors = list(_validator().iter_errors(_as_json(path)))
    assert errors == []


@pytest.mark.parametrize(
    ("fixture", "complaint"),
    [
        ("unknown-field.yml", "Additional properties are not allowed ('trace_to' was unexpected)"),
        ("bad-enum.yml", "'no' is not one of ['draft', 'active', 'retired']"),
        ("bad-id.yml", "'nrm-1' does not match"),
        ("missing-field.yml", "'statement' is a required property"),
        ("wrong-type.yml", "404 is not valid under any of the given schemas"),
        ("bad-date.yml", "'1.3.2026' is not a 'date'"),
        ("unknown-reference.yml", "'fone' is not one of ['face-to-face', 'phone', 'written']"),
    ],
)
def test_schema_rejects_bad_fixtures_for_the_same_reason(fixture: str, complaint: str) -> None:
    errors = list(_validator().iter_errors(_as_json(FIXTURES / "bad" / fixture)))
    # An optional field is an anyOf; the reason of its failed branch is in the error's context.
    messages = [e.message for e in errors] + [c.message for e in errors for c in e.context]
    assert any(complaint in m for m in messages), messages


def test_schema_documents_every_field_for_hover_help() -> None:
    schema = json.loads(schema_text())
    norm = schema["$defs"]["Norm"]["properties"]
    for field in ("statement", "traces_to", "channels", "effective", "review"):
        assert norm[field].get("description"), field
