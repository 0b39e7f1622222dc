"""The editors' JSON Schema: up to date, referenced by every standards file, and in agreement
with the loader (checked with jsonschema, an independent judge). What an editor makes of it is
tested with a real language server in test_editor.py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.model.items import REFERS_TO, TERM_ID_PATTERN, Handbook, Norm, Value, id_order
from generator.model.schema import SCHEMA_FILE, schema_text
from generator.source.load import load_handbook
from generator.source.yamlsource import parse_yaml
from tests.conftest import FIXTURES, ROOT, run_cli

STANDARDS = sorted((ROOT / "standards").rglob("*.yml"))
OUTDATED = "schemas/handbook.schema.json:1:1: warning[schema-outdated]"
SUGGESTIONS_OUTDATED = "schemas/handbook.schema.json:1:1: info[schema-suggestions-outdated]"

# Every field that names something declared elsewhere, and the section it names: written out
# here, apart from the model's own marks, so that a field that lost its mark is caught.
REFERENCES = [
    ("Settings", "default_language", "languages"),
    ("Settings", "required_languages", "languages"),
    ("Channel", "requires", "categories"),
    ("Role", "channels", "channels"),
    ("Value", "owner", "owners"),
    ("Value", "pillars", "pillars"),
    ("Norm", "owner", "owners"),
    ("Norm", "traces_to", "values"),
    ("Norm", "channels", "channels"),
    ("Norm", "audiences", "audiences"),
    ("Norm", "factors", "factors"),
    ("Norm", "roles", "roles"),
    ("Parameter", "owner", "owners"),
    ("Parameter", "traces_to", "norms"),
    ("Parameter", "channel", "channels"),
    ("Parameter", "category", "categories"),
    ("Parameter", "verification", "methods"),
    ("Parameter", "roles", "roles"),
]
ITEM_SECTIONS = {"values", "norms"}


def _as_json(path: Path) -> Any:
    parsed = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    assert parsed.problems == []
    return json.loads(json.dumps(parsed.data))  # tuples → arrays, as an editor sees them


def _validator(schema: Any | None = None) -> jsonschema.Draft202012Validator:
    if schema is None:
        schema = json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def example() -> Handbook:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return handbook


@pytest.fixture(scope="module")
def committed() -> Any:
    return json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generic() -> Any:
    return json.loads(schema_text())


def _named(handbook: Handbook, section: str) -> list[str]:
    """The ids a field naming `section` may hold in `handbook`, in the order offered."""
    if section == "languages":
        return list(handbook.settings.languages)
    if section in ITEM_SECTIONS:
        items = handbook.values if section == "values" else handbook.norms
        return sorted((i.id for i in items if i.status == "active"), key=id_order)
    return sorted(term.id for term in handbook.taxonomy[section])


def _id_node(schema: Any, model: str, field: str) -> Any:
    node = schema["$defs"][model]["properties"][field]
    return node.get("items", node)


DATA = {"defaultSnippets", "examples", "enum", "enumDescriptions", "default"}


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema in a schema (not the data it holds: examples, suggestions …)."""
    if isinstance(node, dict):
        yield node
        for key, child in node.items():
            if key not in DATA:
                yield from _nodes(child)
    elif isinstance(node, list):
        for child in node:
            yield from _nodes(child)


def test_committed_schema_is_what_handbook_schema_writes(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path), cwd=ROOT)
    assert result.code == 0
    written = (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")
    assert written == (ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    generic = run_cli("schema", "--out", str(tmp_path / "generic"), cwd=tmp_path)
    assert generic.code == 0
    assert (tmp_path / "generic" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


def test_handbook_schema_writes_beside_the_standards_it_reads(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "standards", project / "standards")
    result = run_cli("schema", "--standards", str(project / "standards"), cwd=tmp_path)
    assert result.code == 0, result.stderr
    written = project / "schemas" / SCHEMA_FILE
    assert written.read_bytes() == (ROOT / "schemas" / SCHEMA_FILE).read_bytes()
    assert not (tmp_path / "schemas").exists()


def test_handbook_schema_refuses_standards_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "handbook.yml").write_text("handbook: [\n", encoding="utf-8")
    result = run_cli("schema", cwd=tmp_path)
    assert result.code == 1
    assert "standards/handbook.yml:" in result.stderr
    assert not (tmp_path / "schemas").exists()


def test_the_same_standards_give_the_same_bytes(tmp_path: Path, example: Handbook) -> None:
    runs = []
    for run in ("first", "second"):
        assert run_cli("schema", "--out", str(tmp_path / run), cwd=ROOT).code == 0
        runs.append((tmp_path / run / SCHEMA_FILE).read_bytes())
    assert runs[0] == runs[1] == schema_text(example).encode("utf-8")


@pytest.mark.parametrize(("model", "field", "section"), REFERENCES)
def test_a_reference_offers_the_ids_of_its_own_section(
    committed: Any, example: Handbook, model: str, field: str, section: str
) -> None:
    node = _id_node(committed, model, field)
    expected = _named(example, section)
    assert expected
    if section in ITEM_SECTIONS:
        # Open: suggested with their titles, and a new item is not underlined.
        assert "enum" not in node and "examples" not in node
        snippets = node["defaultSnippets"]
        assert [s["bodyText"] for s in snippets] == expected
        items: dict[str, Value | Norm] = {v.id: v for v in example.values}
        items.update({n.id: n for n in example.norms})
        for snippet in snippets:
            title = items[snippet["bodyText"]].title
            assert isinstance(title, dict)
            whole = f"{snippet['bodyText']} — {title['en']}"
            if len(whole) <= 60:
                assert snippet["label"] == whole and "description" not in snippet
            else:  # cut at a word to what an editor's list shows, the whole title beside it
                assert len(snippet["label"]) <= 60 and snippet["label"].endswith("…")
                assert whole.startswith(snippet["label"][:-1].rstrip())
                assert snippet["description"] == title["en"]
    else:
        # Closed: anything else is underlined.
        assert node["enum"] == expected
        assert "examples" not in node


@pytest.mark.parametrize(("model", "field", "section"), REFERENCES)
def test_without_a_handbook_a_reference_shows_examples_of_its_own_kind(
    generic: Any, example: Handbook, model: str, field: str, section: str
) -> None:
    node = _id_node(generic, model, field)
    assert "enum" not in node and "defaultSnippets" not in node
    examples = node["examples"]
    assert examples
    if section in ITEM_SECTIONS:
        prefix = {"values": "VAL-", "norms": "NRM-"}[section]
        assert all(str(e).startswith(prefix) for e in examples)
    else:
        assert set(examples) <= set(_named(example, section)), (section, examples)
    others = {s for _, _, s in REFERENCES} - {section}
    for other in others - ITEM_SECTIONS - {"languages"}:
        assert not set(examples) & set(_named(example, other)), (section, other)


def test_every_term_reference_in_the_handbooks_schema_is_a_closed_list(committed: Any) -> None:
    # A field of term-id form that is not a term's own id and kept its pattern would accept a
    # typo unseen: every such field must have become a list of the handbook's ids.
    for name, definition in committed["$defs"].items():
        for field, node in definition.get("properties", {}).items():
            target = node.get("items", node)
            if field != "id" and target.get("pattern") == TERM_ID_PATTERN:
                pytest.fail(f"{name}.{field} is not a closed list of ids")


def test_the_marks_on_the_model_never_reach_the_schema(committed: Any, generic: Any) -> None:
    assert REFERS_TO not in json.dumps(committed)
    assert REFERS_TO not in json.dumps(generic)


@pytest.mark.parametrize("which", ["committed", "generic"])
def test_the_schema_never_offers_null_or_an_empty_default(
    which: str, request: pytest.FixtureRequest
) -> None:
    # An editor completes a field with its default, and offers `null` where it is allowed:
    # `owner: null` and `roles: []` were typed into the standards that way.
    for node in _nodes(request.getfixturevalue(which)):
        types = node.get("type")
        assert types != "null" and "null" not in (types if isinstance(types, list) else [])
        assert node.get("default", "unset") not in (None, [], {})
        assert None not in node.get("enum", [])


@pytest.mark.parametrize("which", ["committed", "generic"])
def test_alternatives_are_told_apart_and_descriptions_are_markdown(
    which: str, request: pytest.FixtureRequest
) -> None:
    for node in _nodes(request.getfixturevalue(which)):
        assert "anyOf" not in node  # an editor cannot tell its matching branches apart
        if "oneOf" in node:
            kinds = [branch["type"] for branch in node["oneOf"]]
            assert len(set(kinds)) == len(kinds) and sorted(kinds) == sorted(node["type"])
        if isinstance(node.get("description"), str):
            assert node["markdownDescription"] == node["description"]


@pytest.mark.parametrize("which", ["committed", "generic"])
def test_the_schema_is_a_valid_draft_2020_12_schema(
    which: str, request: pytest.FixtureRequest
) -> None:
    schema = request.getfixturevalue(which)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    "text",
    [
        {"EN": "Smile."},
        {"english": "Smile."},
        {"en": "Smile.", "En": "Smile."},
        {"en": "Smile.", "de": "Lächeln."},  # a real language, not one this handbook publishes
        {"en": "Smile.", "ru": 5},
    ],
)
def test_a_text_in_an_undeclared_language_is_rejected(committed: Any, text: Any) -> None:
    value = {"values": [{"id": "VAL-900", "title": text, "statement": "We smile."}]}
    assert list(_validator(committed).iter_errors(value))


@pytest.mark.parametrize("text", [{"EN": "Smile."}, {"english": "Smile."}, {"en-gb": "x"}])
def test_without_a_handbook_a_language_key_must_still_be_a_language_code(
    generic: Any, text: Any
) -> None:
    value = {"values": [{"id": "VAL-900", "title": text, "statement": "We smile."}]}
    assert list(_validator(generic).iter_errors(value))
    fine = {"values": [{"id": "VAL-900", "title": {"de": "Lächeln"}, "statement": "We smile."}]}
    assert list(_validator(generic).iter_errors(fine)) == []


def test_a_text_in_every_declared_language_is_offered_ready_to_fill_in(committed: Any) -> None:
    title = committed["$defs"]["Norm"]["properties"]["statement"]
    [snippet] = title["defaultSnippets"]
    assert list(snippet["body"]) == ["en", "ru", "lv", "tr"]


def test_a_title_cannot_disturb_the_editors_list(small: Path) -> None:
    # A title is shown in a completion list as one line of text, whatever was typed.
    values = small / "standards" / "values.yml"
    _edit(values, "title: Care", 'title: "Care\\e[31m\\u200b\\nfor <b>all</b>\\tnow"')
    _edit(values, "title: Respect for time", "title: " + "Respect " * 12)
    assert run_cli("schema", cwd=small).code == 0
    schema = json.loads((small / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    snippets = _id_node(schema, "Norm", "traces_to")["defaultSnippets"]
    labels = [snippet["label"] for snippet in snippets]
    assert labels[0] == "VAL-001 — Care [31m for <b>all</b> now"
    assert labels[1] == "VAL-002 — " + "Respect " * 5 + "Respect…"
    assert all(label.isprintable() and len(label) <= 60 for label in labels)


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
        ("wrong-type.yml", "404 is not of type 'string', 'object'"),
        ("bad-date.yml", "'1.3.2026' is not a 'date'"),
        ("unknown-reference.yml", "'fone' is not one of ['face-to-face', 'phone', 'written']"),
    ],
)
def test_schema_rejects_bad_fixtures_for_the_same_reason(fixture: str, complaint: str) -> None:
    errors = list(_validator().iter_errors(_as_json(FIXTURES / "bad" / fixture)))
    # An optional field is an anyOf; the reason of its failed branch is in the error's context.
    messages = [e.message for e in errors] + [c.message for e in errors for c in e.context]
    assert any(complaint in m for m in messages), messages


def test_schema_documents_every_field_for_hover_help(generic: Any) -> None:
    for name, definition in generic["$defs"].items():
        assert definition.get("description"), name
        for field, node in definition.get("properties", {}).items():
            assert node.get("description"), f"{name}.{field}"


# --- a stale schema ------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example's standards with the schema committed beside them, as in a handbook
    repository."""
    target = tmp_path / "project"
    shutil.copytree(ROOT / "standards", target / "standards")
    shutil.copytree(ROOT / "schemas", target / "schemas")
    return target


def _edit(path: Path, old: str, new: str) -> None:
    """Change the first place where `old` is written, as a person would."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW_CHANNEL = """channels:
  - id: chat
    title: Chat
"""
NEW_OWNER = """owners:
  - id: chat-lead
    title: Chat lead
"""


NEW_METHOD = """methods:
  - id: phone-audit
    title: Phone audit
"""
NEW_CATEGORY = """categories:
  - id: empathy
    title: Empathy
"""
NEW_ROLE = """roles:
  - id: night-shift
    title: Night shift
"""


def _change(project: Path, change: str) -> None:
    settings = project / "standards" / "handbook.yml"
    norms = project / "standards" / "norms"
    values = project / "standards" / "values.yml"
    if change == "a new channel":
        _edit(settings, "channels:\n", NEW_CHANNEL)
    elif change == "a new owner":
        _edit(settings, "owners:\n", NEW_OWNER)
    elif change == "a new method":
        _edit(settings, "methods:\n", NEW_METHOD)
    elif change == "a new category":
        _edit(settings, "categories:\n", NEW_CATEGORY)
    elif change == "a new role":
        _edit(settings, "roles:\n", NEW_ROLE)
    elif change == "a channel removed":
        _edit(settings, "  - id: written\n", "  - id: letters\n")
    elif change == "a new language":
        _edit(settings, "  languages: [en, ru, lv, tr]", "  languages: [en, ru, lv, tr, de]")
    elif change == "a new default language":
        _edit(settings, "  default_language: en", "  default_language: ru")
    elif change == "a retired norm":
        _edit(norms / "care.yml", "status: active", "status: retired")
    elif change == "a new norm":
        # A copy of the file's first norm under a new id, as a writer starts one.
        text = (norms / "care.yml").read_text(encoding="utf-8")
        first = "  - id: " + text.split("\n  - id: ")[1] + "\n"
        copy = first.replace("id: NRM-", "id: NRM-9", 1)
        (norms / "care.yml").write_text(text.replace("norms:\n", "norms:\n" + copy, 1))
    else:
        assert change == "a value renamed"
        _edit(values, "en: Customer orientation", "en: Customers first")


@pytest.mark.parametrize(
    "change",
    [
        "a new channel",
        "a new owner",
        "a new method",
        "a new category",
        "a new role",
        "a channel removed",
        "a new language",
        "a new default language",
    ],
)
def test_validate_warns_when_the_schema_checks_what_the_standards_no_longer_say(
    project: Path, change: str
) -> None:
    assert OUTDATED not in run_cli("validate", cwd=project).stdout
    _change(project, change)
    result = run_cli("validate", cwd=project)
    assert OUTDATED in result.stdout, result.stdout
    assert "hint: Run `handbook schema` and commit the file it writes." in result.stdout
    assert SUGGESTIONS_OUTDATED not in result.stdout
    assert run_cli("schema", cwd=project).code == 0
    after = run_cli("validate", cwd=project).stdout
    assert OUTDATED not in after and SUGGESTIONS_OUTDATED not in after


@pytest.mark.parametrize("change", ["a new norm", "a retired norm", "a value renamed"])
def test_validate_notes_when_only_the_suggested_items_are_old(project: Path, change: str) -> None:
    # A pull request that adds a norm must not fail on the schema: nothing the editor checks
    # is wrong, only its list of suggestions is short.
    _change(project, change)
    result = run_cli("validate", cwd=project)
    assert SUGGESTIONS_OUTDATED in result.stdout, result.stdout
    assert OUTDATED not in result.stdout
    assert run_cli("schema", cwd=project).code == 0
    assert SUGGESTIONS_OUTDATED not in run_cli("validate", cwd=project).stdout


def test_an_item_that_does_not_load_is_not_blamed_on_the_schema(project: Path) -> None:
    # One mistake, one report: a norm the loader refuses is missing from the model, and the
    # schema made from that model is no reason to complain about the committed one.
    _edit(project / "standards" / "norms" / "care.yml", "    traces_to:", "    trace_to:")
    result = run_cli("validate", cwd=project)
    assert "error[unknown-field]" in result.stdout
    assert "schema-" not in result.stdout


def test_a_change_the_editor_does_not_see_leaves_the_schema_current(project: Path) -> None:
    _edit(
        project / "standards" / "norms" / "care.yml",
        "Make eye contact with every customer",
        "Look at every customer",
    )
    result = run_cli("validate", "--strict", cwd=project)
    assert OUTDATED not in result.stdout


def test_validate_says_when_the_schema_is_not_one_handbook_schema_writes(project: Path) -> None:
    schema = project / "schemas" / SCHEMA_FILE
    schema.write_text(schema_text(), encoding="utf-8")  # the schema of no handbook
    assert OUTDATED in run_cli("validate", cwd=project).stdout
    schema.write_bytes(b"\xff\xfe not text")
    result = run_cli("validate", cwd=project)
    assert OUTDATED in result.stdout and result.code == 0
    assert run_cli("validate", "--strict", cwd=project).code == 1
    shutil.rmtree(project / "schemas")  # a handbook need not keep a schema at all
    assert OUTDATED not in run_cli("validate", cwd=project).stdout


def test_a_new_handbook_starts_with_a_current_schema(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert run_cli("init", str(target), "--organisation", "Acme", cwd=tmp_path).code == 0
    result = run_cli("validate", "--strict", cwd=target)
    assert result.code == 0, result.stdout
    written = (target / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    handbook = load_handbook(target / "standards").handbook
    assert handbook is not None
    assert written == schema_text(handbook)
    _validator(json.loads(written))
    for path in sorted((target / "standards").rglob("*.yml")):
        assert list(_validator(json.loads(written)).iter_errors(_as_json(path))) == []
