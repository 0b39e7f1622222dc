"""What a policy owner sees in the editor: the real yaml-language-server (the language server of
VS Code's YAML extension), driven over the Language Server Protocol, reading the example
handbook's committed schema through the modeline its files begin with.

`make tools` installs the server at the version pinned in tests/tools/package-lock.json.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.model.items import Handbook, id_order
from generator.model.schema import SCHEMA_FILE
from generator.source.load import load_handbook
from tests.conftest import ROOT
from tests.languageserver import LanguageServer

SERVER = ROOT / ".cache/npm/node_modules/yaml-language-server/bin/yaml-language-server"
MODELINE = "# yaml-language-server: $schema=../schemas/handbook.schema.json\n"
CURSOR = "‸"

pytestmark = pytest.mark.slow

_names = itertools.count(1)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's standards and its committed schema, where an editor opens them."""
    target = tmp_path_factory.mktemp("editor") / "handbook"
    shutil.copytree(ROOT / "standards", target / "standards")
    shutil.copytree(ROOT / "schemas", target / "schemas")
    return target


@pytest.fixture(scope="module")
def example() -> Handbook:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return handbook


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[LanguageServer]:
    if not SERVER.is_file():
        pytest.fail("yaml-language-server is not installed: run `make tools`")
    with LanguageServer(["node", str(SERVER), "--stdio"], project) as running:
        yield running


def _open(server: LanguageServer, project: Path, body: str) -> tuple[str, int, int]:
    """Open a new standards file holding `body` as typed (not saved); where `‸` stands is
    the cursor, as (uri, line, character)."""
    text = MODELINE + body
    line = next((n for n, row in enumerate(text.splitlines()) if CURSOR in row), -1)
    character = text.splitlines()[line].index(CURSOR) if line >= 0 else -1
    path = project / "standards" / f"editing-{next(_names)}.yml"
    return server.open(path, text.replace(CURSOR, "")), line, character


def _inserted(item: dict[str, Any]) -> str:
    edit = item.get("textEdit")
    return str(edit["newText"] if edit else item.get("insertText", item["label"]))


def _documentation(item: dict[str, Any]) -> str:
    shown = item.get("documentation", "")
    return str(shown["value"] if isinstance(shown, dict) else shown)


def _named(handbook: Handbook, section: str) -> dict[str, str]:
    """The ids a field naming `section` accepts, with their titles in the default language."""
    if section == "languages":
        return {language: language for language in handbook.settings.languages}
    if section in ("values", "norms"):
        items = handbook.values if section == "values" else handbook.norms
        active = sorted((i for i in items if i.status == "active"), key=lambda i: id_order(i.id))
        return {item.id: _english(item.title) for item in active}
    return {term.id: _english(term.title) for term in handbook.taxonomy[section]}


def _english(text: Any) -> str:
    return str(text if isinstance(text, str) else text["en"])


def _every_id(handbook: Handbook) -> set[str]:
    sections = [*handbook.taxonomy, "values", "norms", "languages"]
    return {ident for section in sections for ident in _named(handbook, section)}


VALUE = "values:\n  - id: VAL-900\n    title: Listening\n    statement: We listen.\n"
NORM = "norms:\n  - id: NRM-900\n    title: Listen\n    statement: Listen first.\n"
PARAMETER = "parameters:\n  - id: PAR-900\n    title: Nod\n    requirement: Nod.\n"
CHANNEL = "channels:\n  - id: chat\n    title: Chat\n"
ROLE = "roles:\n  - id: night-shift\n    title: Night shift\n"
SETTINGS = "handbook:\n  title: Standards\n  organisation: Meridian\n"


def _scalar(field: str) -> str:
    return f"    {field}: {CURSOR}\n"


def _listed(field: str) -> str:
    return f"    {field}:\n      - {CURSOR}\n"


# Where a policy owner names something, and the section whose ids belong there.
REFERENCES = [
    ("value owner", VALUE + _scalar("owner"), "owners"),
    ("value pillars", VALUE + _listed("pillars"), "pillars"),
    ("norm owner", NORM + _scalar("owner"), "owners"),
    ("norm traces_to", NORM + _listed("traces_to"), "values"),
    ("norm channels", NORM + _listed("channels"), "channels"),
    ("norm audiences", NORM + _listed("audiences"), "audiences"),
    ("norm factors", NORM + _listed("factors"), "factors"),
    ("norm roles", NORM + _listed("roles"), "roles"),
    ("parameter owner", PARAMETER + _scalar("owner"), "owners"),
    ("parameter traces_to", PARAMETER + _listed("traces_to"), "norms"),
    ("parameter channel", PARAMETER + _scalar("channel"), "channels"),
    ("parameter category", PARAMETER + _scalar("category"), "categories"),
    ("parameter verification", PARAMETER + _listed("verification"), "methods"),
    ("parameter roles", PARAMETER + _listed("roles"), "roles"),
    ("channel requires", CHANNEL + _listed("requires"), "categories"),
    ("role channels", ROLE + _listed("channels"), "channels"),
    ("default language", SETTINGS.replace("    ", "  ") + "  default_language: ‸\n", "languages"),
    ("required languages", SETTINGS + "  required_languages:\n    - ‸\n", "languages"),
]


@pytest.mark.parametrize(("where", "body", "section"), REFERENCES, ids=[r[0] for r in REFERENCES])
def test_completion_offers_the_ids_of_the_fields_own_kind(
    server: LanguageServer, project: Path, example: Handbook, where: str, body: str, section: str
) -> None:
    uri, line, character = _open(server, project, body)
    items = server.complete(uri, line, character)
    server.close(uri)
    expected = _named(example, section)
    offered = [_inserted(item) for item in items]
    # Every id of the kind, each once, and nothing else: no id of another kind, no `null`.
    assert sorted(offered) == sorted(expected), where
    for item in items:
        ident = _inserted(item)
        assert not re.search(r"\bnull\b", ident) and item["label"] != "null"
        if section in ("values", "norms"):
            # An item is chosen by what it says: its title stands beside its id in the list,
            # cut to the list's width with the whole title in the documentation.
            label, whole = str(item["label"]), f"{ident} — {expected[ident]}"
            assert len(label) <= 60
            if label != whole:
                assert label.endswith("…") and whole.startswith(label[:-1]), label
                assert _documentation(item) == expected[ident]
        else:
            assert item["label"] == ident


def test_completion_never_offers_ids_of_another_kind(
    server: LanguageServer, project: Path, example: Handbook
) -> None:
    # The same check from the other side: for the moments of truth a field that names an
    # owner never shows `phone`, whatever else it shows.
    for where, body, section in REFERENCES:
        uri, line, character = _open(server, project, body)
        offered = {_inserted(item) for item in server.complete(uri, line, character)}
        server.close(uri)
        foreign = _every_id(example) - set(_named(example, section))
        assert not offered & foreign, (where, offered & foreign)


# A blank line inside each kind of entry, where the editor offers the fields still missing.
FIELD_PLACES = {
    "settings": SETTINGS + f"  {CURSOR}\n",
    "channel": CHANNEL + f"    {CURSOR}\n",
    "role": ROLE + f"    {CURSOR}\n",
    "owner": "owners:\n  - id: chat-lead\n    title: Chat lead\n" + f"    {CURSOR}\n",
    "value": "values:\n  - id: VAL-900\n" + f"    {CURSOR}\n",
    "norm": "norms:\n  - id: NRM-900\n" + f"    {CURSOR}\n",
    "parameter": "parameters:\n  - id: PAR-900\n" + f"    {CURSOR}\n",
    "measure": PARAMETER + "    measure:\n" + f"      {CURSOR}\n",
    "examples": NORM + "    examples:\n" + f"      {CURSOR}\n",
}


@pytest.mark.parametrize("where", FIELD_PLACES)
def test_completing_a_field_never_inserts_null(
    server: LanguageServer, project: Path, where: str
) -> None:
    uri, line, character = _open(server, project, FIELD_PLACES[where])
    items = server.complete(uri, line, character)
    server.close(uri)
    assert items, where
    for item in items:
        assert not re.search(r"\bnull\b", _inserted(item)), (where, item)
        assert "[]" not in _inserted(item), (where, item)  # a list starts with its first item


@pytest.mark.parametrize("field", ["title", "statement", "rationale"])
def test_completing_a_text_field_asks_for_every_published_language(
    server: LanguageServer, project: Path, field: str
) -> None:
    uri, line, character = _open(server, project, FIELD_PLACES["norm"])
    items = {item["label"]: _inserted(item) for item in server.complete(uri, line, character)}
    server.close(uri)
    inserted = items[field]
    assert re.fullmatch(
        rf"{field}:\n +en: \$\{{1\}}\n +ru: \$\{{2\}}\n +lv: \$\{{3\}}\n +tr: \$\{{4\}}", inserted
    ), inserted


def test_completing_a_language_in_a_text_offers_the_published_languages(
    server: LanguageServer, project: Path, example: Handbook
) -> None:
    body = NORM.replace("title: Listen\n", f"title:\n      en: Listen\n      {CURSOR}\n")
    uri, line, character = _open(server, project, body)
    offered = {str(item["label"]) for item in server.complete(uri, line, character)}
    server.close(uri)
    assert set(example.settings.languages) - {"en"} <= offered
    assert not offered - set(example.settings.languages) - {"en, ru, lv, tr"}


HOVERS = [
    ("Norm", "statement", NORM.replace("statement:", f"{CURSOR}statement:")),
    ("Value", "title", VALUE.replace("title:", f"{CURSOR}title:")),
    ("Norm", "title", NORM.replace("title:", f"ti{CURSOR}tle:")),
    ("Norm", "traces_to", NORM + f"    {CURSOR}traces_to: [VAL-001]\n"),
    ("Parameter", "traces_to", PARAMETER + f"    traces_{CURSOR}to: [NRM-001]\n"),
    ("Parameter", "channel", PARAMETER + f"    {CURSOR}channel: phone\n"),
    ("Norm", "owner", NORM + f"    {CURSOR}owner: head-of-service\n"),
    ("Norm", "rationale", NORM + f"    {CURSOR}rationale: Because.\n"),
    ("Channel", "requires", CHANNEL + f"    {CURSOR}requires: [speed]\n"),
]


@pytest.mark.parametrize(("model", "field", "body"), HOVERS, ids=[f"{m}.{f}" for m, f, _ in HOVERS])
def test_hover_shows_the_fields_title_once_and_its_description_as_written(
    server: LanguageServer, project: Path, model: str, field: str, body: str
) -> None:
    uri, line, character = _open(server, project, body)
    shown = server.hover(uri, line, character)
    server.close(uri)
    schema = json.loads((project / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    node = schema["$defs"][model]["properties"][field]
    headings = [row for row in shown.splitlines() if row.startswith("#")]
    assert headings == [f"#### {node['title']}"], shown
    assert "||" not in shown
    assert node["description"] in shown  # as written: its backticks are not escaped
    assert "\\`" not in shown and "\\_" not in shown


def test_hover_on_a_named_term_shows_what_each_id_means(
    server: LanguageServer, project: Path
) -> None:
    uri, line, character = _open(server, project, PARAMETER + f"    channel: ph{CURSOR}one\n")
    shown = server.hover(uri, line, character)
    server.close(uri)
    assert "* `phone`: Phone and video" in shown
    assert "* `written`: In writing" in shown


def _diagnosed(server: LanguageServer, project: Path, body: str) -> list[dict[str, Any]]:
    uri, _, _ = _open(server, project, body)
    found = server.diagnostics(uri)
    server.close(uri)
    return found


def _at(diagnostics: list[dict[str, Any]], line: int, character: int) -> list[str]:
    """The messages of the problems the editor underlines from that position (0-based, the
    modeline counted)."""
    return [
        str(d["message"])
        for d in diagnostics
        if d["range"]["start"] == {"line": line, "character": character}
    ]


@pytest.mark.parametrize(
    "keys",
    [("EN",), ("english",), ("EN", "english"), ("de",), ("en-GB",), ("Ru",)],
    ids=lambda keys: "+".join(keys),
)
def test_a_text_in_an_undeclared_language_is_underlined(
    server: LanguageServer, project: Path, keys: tuple[str, ...]
) -> None:
    lines = "".join(f"      {key}: Listening\n" for key in keys)
    body = VALUE.replace("title: Listening\n", "title:\n      en: Listening\n" + lines)
    found = _diagnosed(server, project, body)
    for row, key in enumerate(keys, start=5):
        messages = _at(found, row, 6)
        assert messages, (key, found)
        assert any('"en", "ru", "lv", "tr"' in m for m in messages), messages
    assert len(found) == len(keys), found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    traces_to: [NRM-001]\n", "A value id: VAL- and a number"),  # a norm id
        ("    traces_to: [VAL-1a]\n", "A value id: VAL- and a number"),
        ("    channels: [fone]\n", '"face-to-face", "phone", "written"'),
        ("    channels: [store]\n", '"face-to-face", "phone", "written"'),  # a role's id
        ("    owner: phone\n", '"head-of-service"'),  # a moment of truth's id
        ("    roles: [head-of-service]\n", '"contact-centre"'),  # an owner's id
        ("    audiences: [external, custmers]\n", '"external", "internal"'),
    ],
)
def test_an_id_of_the_wrong_kind_or_misspelt_is_underlined(
    server: LanguageServer, project: Path, line: str, expected: str
) -> None:
    found = _diagnosed(server, project, NORM + line)
    assert found, line
    assert all(d["range"]["start"]["line"] == 5 for d in found), found
    assert any(expected in str(d["message"]) for d in found), found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (PARAMETER + "    channel: phone\n    category: sped\n", '"appearance", "gestures"'),
        (PARAMETER + "    channel: phone\n    category: speed\n    verification: [obs]\n", "obs"),
        (PARAMETER + "    channel: phone\n    category: speed\n    traces_to: [VAL-001]\n", "NRM-"),
        (CHANNEL + "    requires: [phone]\n", '"appearance", "gestures"'),
    ],
)
def test_a_parameter_or_channel_naming_the_wrong_kind_is_underlined(
    server: LanguageServer, project: Path, body: str, expected: str
) -> None:
    found = _diagnosed(server, project, body)
    assert found and any(
        expected in str(d["message"]) or expected in json.dumps(d.get("data")) for d in found
    ), found


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "standards").rglob("*.yml")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_a_valid_standards_file_has_nothing_underlined(
    server: LanguageServer, project: Path, path: Path
) -> None:
    copy = project / path.relative_to(ROOT)
    uri = server.open(copy)
    found = server.diagnostics(uri)
    server.close(uri)
    assert found == []
