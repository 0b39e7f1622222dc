"""The auditors' downloads: traceability as JSON, CSV and XLSX, and the release manifest."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from generator.audit.exports import (
    CSV_COLUMNS,
    manifest_json,
    traceability_csv,
    traceability_json,
    traceability_xlsx,
)
from generator.model.items import Handbook, id_order
from generator.source.load import load_handbook
from tests.conftest import FIXTURES, ROOT

SMALL = FIXTURES / "small" / "standards"
SHEETS = ["Values", "Norms", "Parameters", "Value-Norm", "Norm-Parameter"]
Pairs = set[tuple[str, str]]


def load(standards: Path) -> Handbook:
    result = load_handbook(standards)
    assert result.handbook is not None, result.diagnostics
    return result.handbook


def write_standards(folder: Path, **files: str) -> Path:
    """A standards folder: the small fixture's settings and taxonomy plus the given files."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SMALL / "handbook.yml", folder / "handbook.yml")
    for name, text in files.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def example() -> Handbook:
    return load(ROOT / "standards")


@pytest.fixture(scope="module")
def small() -> Handbook:
    return load(SMALL)


def model_pairs(handbook: Handbook) -> tuple[Pairs, Pairs]:
    value_norm = {(v, n.id) for n in handbook.norms for v in n.traces_to}
    norm_parameter = {(n, p.id) for p in handbook.parameters for n in p.traces_to}
    return value_norm, norm_parameter


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def sheet_rows(workbook: Any, name: str) -> list[dict[str, Any]]:
    rows = list(workbook[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def load_xlsx(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


# --- the three traceability formats agree with the model and with each other -----------------
@pytest.mark.parametrize("which", ["small", "example"])
def test_json_csv_and_xlsx_agree_with_the_model(which: str, request: pytest.FixtureRequest) -> None:
    handbook: Handbook = request.getfixturevalue(which)
    default = handbook.settings.default_language
    document = json.loads(traceability_json(handbook))
    rows = csv_rows(traceability_csv(handbook))
    workbook = load_xlsx(traceability_xlsx(handbook))
    value_norm, norm_parameter = model_pairs(handbook)

    # links
    assert {tuple(p) for p in document["links"]["value_norm"]} == value_norm
    assert {tuple(p) for p in document["links"]["norm_parameter"]} == norm_parameter
    assert {(r["value_id"], r["norm_id"]) for r in rows if r["norm_id"]} == value_norm
    assert {(r["norm_id"], r["parameter_id"]) for r in rows if r["parameter_id"]} == (
        norm_parameter
    )
    assert {(r["value_id"], r["norm_id"]) for r in sheet_rows(workbook, "Value-Norm")} == (
        value_norm
    )
    assert {(r["norm_id"], r["parameter_id"]) for r in sheet_rows(workbook, "Norm-Parameter")} == (
        norm_parameter
    )

    # ids and titles, per kind
    for key, items in (
        ("values", handbook.values),
        ("norms", handbook.norms),
        ("parameters", handbook.parameters),
    ):
        expected = {
            item.id: item.title if isinstance(item.title, str) else item.title[default]
            for item in items
        }
        assert {r["id"]: r["title"] for r in document[key]} == expected
        assert {r["id"]: r["title"] for r in sheet_rows(workbook, key.capitalize())} == expected
        kind = key[:-1]
        in_csv = {r[f"{kind}_id"]: r[f"{kind}_title"] for r in rows if r[f"{kind}_id"]}
        assert in_csv == expected
        assert [r["id"] for r in document[key]] == sorted(expected, key=id_order)

    # statuses and parameter columns, where the CSV repeats them
    norms = {n.id: n for n in handbook.norms}
    parameters = {p.id: p for p in handbook.parameters}
    for row in rows:
        if row["norm_id"]:
            assert row["norm_status"] == norms[row["norm_id"]].status
        if row["parameter_id"]:
            parameter = parameters[row["parameter_id"]]
            assert (row["parameter_status"], row["channel"], row["category"]) == (
                parameter.status,
                parameter.channel,
                parameter.category,
            )


def test_every_active_norm_of_the_example_is_in_every_export(example: Handbook) -> None:
    active = {n.id for n in example.norms if n.status == "active"}
    assert len(active) > 20
    in_json = {n["id"] for n in json.loads(traceability_json(example))["norms"]}
    in_csv = {r["norm_id"] for r in csv_rows(traceability_csv(example))}
    in_xlsx = {r["id"] for r in sheet_rows(load_xlsx(traceability_xlsx(example)), "Norms")}
    assert active <= in_json
    assert active <= in_csv
    assert active <= in_xlsx
    # drafts and retired norms are exported too: the auditor sees every status
    assert {n.id for n in example.norms} == in_json == in_xlsx


def test_json_fields_of_a_norm_and_a_parameter(small: Handbook) -> None:
    data = traceability_json(small, as_of=dt.date(2026, 1, 15))
    assert data.endswith(b"}\n")
    document = json.loads(data)
    assert document["handbook"] == {
        "title": "Small Handbook",
        "organisation": "Small Shop",
        "language": "en",
        "as_of": "2026-01-15",
    }
    norm = next(n for n in document["norms"] if n["id"] == "NRM-002")
    assert norm == {
        "id": "NRM-002",
        "title": "Answer quickly",
        "statement": "Answer the phone before the third ring.",
        "status": "active",
        "owner": "head-of-service",
        "traces_to": ["VAL-002", "VAL-001"],
        "channels": ["phone"],
        "audiences": ["external"],
        "factors": ["legislation"],
        "roles": [],
        "effective": "2026-02-01",
        "review": "2027-02-01",
        "standing": "coming",  # from 1 February, after the export's date
    }
    parameters = {p["id"]: p for p in document["parameters"]}
    # PAR-003 implements only NRM-002, which is still to come; PAR-001 a norm in force.
    assert (parameters["PAR-003"]["standing"], parameters["PAR-001"]["standing"]) == (
        "coming",
        "in-force",
    )
    undated = json.loads(traceability_json(small))
    assert undated["handbook"]["as_of"] is None
    assert {n["standing"] for n in undated["norms"]} == {None}
    assert parameters["PAR-002"]["measure"] == {
        "metric": "Seconds from eye contact to greeting",
        "unit": "s",
        "target": 5,
        "min": None,
        "max": 5,
    }
    assert parameters["PAR-001"]["measure"] is None
    assert parameters["PAR-001"]["verification"] == ["observation"]
    assert document["links"]["value_norm"] == [
        ["VAL-001", "NRM-001"],
        ["VAL-001", "NRM-002"],
        ["VAL-002", "NRM-002"],
    ]


LANGUAGES = """\
values:
  - id: VAL-001
    title: {en: Care, ru: Забота}
    statement: {ru: Мы заботимся., lv: Mēs rūpējamies.}
"""


def test_texts_are_resolved_to_one_language(tmp_path: Path) -> None:
    handbook = load(write_standards(tmp_path / "standards", values=LANGUAGES))

    def value(language: str | None) -> Any:
        return json.loads(traceability_json(handbook, language))["values"][0]

    assert (value("ru")["title"], value("ru")["statement"]) == ("Забота", "Мы заботимся.")
    # not in Latvian: the default language (en); not in English either: the first one written
    assert (value("lv")["title"], value("lv")["statement"]) == ("Care", "Mēs rūpējamies.")
    assert (value(None)["title"], value(None)["statement"]) == ("Care", "Мы заботимся.")
    assert json.loads(traceability_json(handbook, "ru"))["handbook"]["language"] == "ru"
    assert "Забота" in traceability_json(handbook, "ru").decode("utf-8")  # ensure_ascii=False
    rows = csv_rows(traceability_csv(handbook, "ru"))
    assert rows[0]["value_title"] == "Забота"
    sheet = sheet_rows(load_xlsx(traceability_xlsx(handbook, "ru")), "Values")
    assert sheet[0]["title"] == "Забота"


# --- CSV -----------------------------------------------------------------------------------------
ORPHANS = """\
values:
  - {id: VAL-10, title: Ten, statement: Ten.}
  - {id: VAL-2, title: Two, statement: Two.}
  - {id: VAL-3, title: Lonely, statement: A value no norm serves.}
norms:
  - {id: NRM-10, title: Ten, statement: Ten., traces_to: [VAL-2]}
  - {id: NRM-9, title: Nine, statement: Nine., traces_to: [VAL-2, VAL-10], status: draft}
  - {id: NRM-7, title: Adrift, statement: Serves a value that does not exist., traces_to: [VAL-404]}
parameters:
  - {id: PAR-1, title: One, traces_to: [NRM-9], channel: phone, category: speed, requirement: R.}
  - {id: PAR-2, title: Lost, traces_to: [NRM-404], channel: phone, category: speed,
     requirement: Serves a norm that does not exist., status: retired}
  - {id: PAR-3, title: Under adrift, traces_to: [NRM-7], channel: phone, category: speed,
     requirement: R.}
"""


def test_csv_rows_are_every_trace_path_with_orphans_last(tmp_path: Path) -> None:
    handbook = load(write_standards(tmp_path / "standards", items=ORPHANS))
    rows = csv_rows(traceability_csv(handbook))
    paths = [(r["value_id"], r["norm_id"], r["parameter_id"]) for r in rows]
    assert paths == [
        ("VAL-2", "NRM-9", "PAR-1"),  # natural order: 2 before 10, 9 before 10
        ("VAL-2", "NRM-10", ""),  # a norm without parameters
        ("VAL-3", "", ""),  # a value without norms
        ("VAL-10", "NRM-9", "PAR-1"),
        ("", "NRM-7", "PAR-3"),  # a norm whose value does not exist
        ("", "", "PAR-2"),  # a parameter whose norm does not exist
    ]
    lonely = rows[2]
    assert lonely["value_title"] == "Lonely"
    assert all(lonely[c] == "" for c in CSV_COLUMNS[2:])
    lost = rows[-1]
    assert (lost["parameter_title"], lost["parameter_status"]) == ("Lost", "retired")
    assert (lost["channel"], lost["category"]) == ("phone", "speed")
    assert rows[0]["norm_status"] == "draft"

    # the JSON keeps the dangling references as written; the workbook too, without titles
    links = json.loads(traceability_json(handbook))["links"]
    assert ["VAL-404", "NRM-7"] in links["value_norm"]
    assert ["NRM-404", "PAR-2"] in links["norm_parameter"]
    workbook = load_xlsx(traceability_xlsx(handbook))
    dangling = [r for r in sheet_rows(workbook, "Value-Norm") if r["value_id"] == "VAL-404"]
    assert dangling == [
        {"value_id": "VAL-404", "value_title": None, "norm_id": "NRM-7", "norm_title": "Adrift"}
    ]


def test_csv_has_a_byte_order_mark_and_crlf_line_ends(small: Handbook) -> None:
    data = traceability_csv(small)
    assert data.startswith(b"\xef\xbb\xbfvalue_id,value_title,norm_id,")
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert b"\n" not in b"".join(lines)
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(header) == CSV_COLUMNS
    assert len(lines) - 2 == 5  # 4 paths via VAL-001, 1 via VAL-002


# --- XLSX ----------------------------------------------------------------------------------------
def test_xlsx_sheets_have_a_frozen_bold_filterable_header(example: Handbook) -> None:
    workbook = load_xlsx(traceability_xlsx(example))
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.bold for cell in sheet[1])
        assert not any(cell.font.bold for cell in sheet[2])
        width = {letter: d.width for letter, d in sheet.column_dimensions.items()}
        assert set(width) == {cell.column_letter for cell in sheet[1]}
        assert all(8 <= w <= 60 for w in width.values())
    assert workbook["Norms"].auto_filter.ref == f"A1:M{len(example.norms) + 1}"
    assert workbook["Parameters"].auto_filter.ref == f"A1:Q{len(example.parameters) + 1}"


def test_xlsx_cells_join_lists_and_keep_dates_numbers_and_text(small: Handbook) -> None:
    workbook = load_xlsx(traceability_xlsx(small))
    norm = next(r for r in sheet_rows(workbook, "Norms") if r["id"] == "NRM-001")
    assert norm["channels"] == "face-to-face, phone"
    assert norm["factors"] is None
    assert norm["effective"] == dt.datetime(2026, 1, 1)
    parameter = next(r for r in sheet_rows(workbook, "Parameters") if r["id"] == "PAR-002")
    assert (parameter["metric"], parameter["unit"], parameter["target"]) == (
        "Seconds from eye contact to greeting",
        "s",
        5,
    )
    assert (parameter["min"], parameter["max"]) == (None, 5)


TRICKY = """\
values:
  - id: VAL-001
    title: '=HYPERLINK("http://example.invalid","click")'
    statement: "#N/A"
  - id: VAL-002
    title: "bell\\a and tab\\v"
    statement: Control characters a worksheet cannot hold.
"""


def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    handbook = load(write_standards(tmp_path / "standards", values=TRICKY))
    sheet = load_xlsx(traceability_xlsx(handbook))["Values"]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://example.invalid","click")'
    assert (sheet["C2"].data_type, sheet["C2"].value) == ("s", "#N/A")
    assert sheet["B3"].value == "bell\ufffd and tab\ufffd"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_inert(tmp_path: Path) -> None:
    handbook = load(write_standards(tmp_path / "standards", values=TRICKY))
    rows = list(csv.reader(io.StringIO(traceability_csv(handbook).decode("utf-8-sig"))))
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles["VAL-001"] == '\'=HYPERLINK("http://example.invalid","click")'
    starts = {cell[:1] for row in rows[1:] for cell in row}
    assert not starts & {"=", "+", "-", "@", "\t", "\r"}


def test_xlsx_bytes_do_not_depend_on_the_clock(
    small: Handbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = traceability_xlsx(small)
    assert traceability_xlsx(small) == first

    archive = zipfile.ZipFile(io.BytesIO(first))
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    core = archive.read("docProps/core.xml").decode("utf-8")
    assert ">2000-01-01T00:00:00Z</dcterms:created>" in core
    assert ">2000-01-01T00:00:00Z</dcterms:modified>" in core
    assert archive.namelist()[:2] == ["docProps/app.xml", "docProps/core.xml"]

    # Another day: openpyxl's and zipfile's clocks both say 2031.
    later = dt.datetime(2031, 7, 15, 12, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(
        "openpyxl.packaging.core.datetime",
        SimpleNamespace(datetime=SimpleNamespace(now=lambda tz=None: later), timezone=dt.timezone),
    )
    monkeypatch.setattr(
        zipfile, "time", SimpleNamespace(time=later.timestamp, localtime=time.localtime)
    )
    assert openpyxl.Workbook().properties.created.year == 2031  # the clocks did move
    probe = io.BytesIO()
    with zipfile.ZipFile(probe, "w") as stamped:
        stamped.writestr("probe", b"")
        assert stamped.getinfo("probe").date_time[0] == 2031
    assert traceability_xlsx(small) == first


# --- manifest ------------------------------------------------------------------------------------
def test_manifest_lists_every_item_of_the_example_once(example: Handbook) -> None:
    data = manifest_json(example)
    assert data.endswith(b"}\n")
    manifest = json.loads(data)
    items = manifest["items"]
    expected = [
        *(("value", v.id) for v in sorted(example.values, key=lambda v: id_order(v.id))),
        *(("norm", n.id) for n in sorted(example.norms, key=lambda n: id_order(n.id))),
        *(("parameter", p.id) for p in sorted(example.parameters, key=lambda p: id_order(p.id))),
    ]
    assert [(i["kind"], i["id"]) for i in items] == expected
    assert manifest["count"] == len(items) == len(set(expected))
    assert all(len(i["sha256"]) == 64 for i in items)
    assert len({i["sha256"] for i in items}) == len(items)
    lines = "".join(f"{i['kind']}:{i['id']}:{i['sha256']}\n" for i in items)
    assert manifest["sha256"] == hashlib.sha256(lines.encode("utf-8")).hexdigest()
    norm = next(i for i in items if i["kind"] == "norm")
    source = next(n for n in example.norms if n.id == norm["id"])
    assert norm == {
        "id": source.id,
        "kind": "norm",
        "status": source.status,
        "owner": source.owner,
        "effective": source.effective.isoformat() if source.effective else None,
        "review": source.review.isoformat() if source.review else None,
        "sha256": norm["sha256"],
    }
    value = items[0]
    assert (value["effective"], value["review"]) == (None, None)

    # an auditor can recompute an item's hash from the published wording alone
    canonical = json.dumps(
        source.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert norm["sha256"] == hashlib.sha256(f"norm\n{canonical}".encode()).hexdigest()


BLOCK = """\
values:
  - id: VAL-001
    title: Care
    statement: We treat every customer as a guest.
    pillars:
      - team
norms:
  - id: NRM-001
    title: Greet every customer
    statement: Greet every customer within five seconds of eye contact.
    traces_to:
      - VAL-001
    channels:
      - face-to-face
      - phone
    effective: 2026-01-01
    examples:
      do:
        - Look up and smile.
parameters:
  - id: PAR-001
    title: Time to greet
    traces_to: [NRM-001]
    channel: face-to-face
    category: speed
    requirement: Greet within five seconds.
    measure:
      metric: Seconds from eye contact to greeting
      max: 5
"""

REFORMATTED = """\
values:
- statement: "We treat every customer as a guest."
  id: VAL-001
  pillars: [team]
  title: 'Care'
norms:
    -   traces_to: [VAL-001]
        id: "NRM-001"
        channels: [face-to-face, phone]
        examples: {do: [Look up and smile.]}
        statement: >-
            Greet every customer within
            five seconds of eye contact.
        effective: "2026-01-01"
        title: Greet every customer
"""

PARAMETERS_ELSEWHERE = """\
parameters:
  - measure: {max: 5, metric: Seconds from eye contact to greeting}
    requirement: Greet within five seconds.
    category: speed
    channel: face-to-face
    traces_to:
      - NRM-001
    title: Time to greet
    id: PAR-001
"""


def manifest_of(folder: Path, **files: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(manifest_json(load(write_standards(folder, **files))))
    return manifest


def test_manifest_does_not_change_when_the_yaml_is_only_reformatted(tmp_path: Path) -> None:
    block = manifest_json(load(write_standards(tmp_path / "block", items=BLOCK)))
    reformatted = manifest_json(
        load(
            write_standards(tmp_path / "reformatted", items=REFORMATTED, more=PARAMETERS_ELSEWHERE)
        )
    )
    assert reformatted == block


def test_an_item_hash_and_the_set_hash_change_when_wording_changes(tmp_path: Path) -> None:
    before = manifest_of(tmp_path / "before", items=BLOCK)
    reworded = BLOCK.replace(
        "within five seconds of eye contact", "within 5 seconds of eye contact"
    )
    assert reworded != BLOCK
    after = manifest_of(tmp_path / "after", items=reworded)
    changed = [b["id"] for b, a in zip(before["items"], after["items"], strict=True) if b != a]
    assert changed == ["NRM-001"]
    assert after["sha256"] != before["sha256"]

    # a change elsewhere in the item (an example, not the statement) counts as well
    example_changed = BLOCK.replace("Look up and smile.", "Look up, smile.")
    third = manifest_of(tmp_path / "third", items=example_changed)
    assert [i["sha256"] for i in third["items"]][1] not in {
        before["items"][1]["sha256"],
        after["items"][1]["sha256"],
    }
    assert len({before["sha256"], after["sha256"], third["sha256"]}) == 3


def test_the_same_content_under_another_kind_hashes_differently(tmp_path: Path) -> None:
    manifest = manifest_of(tmp_path / "s", items=BLOCK)
    assert len({i["sha256"] for i in manifest["items"]}) == 3


def test_the_set_hash_changes_when_an_item_is_added(tmp_path: Path) -> None:
    before = manifest_of(tmp_path / "before", items=BLOCK)
    extra = "  - {id: VAL-002, title: Time, statement: Time matters.}\n"
    grown = BLOCK.replace("norms:\n", extra + "norms:\n")
    after = manifest_of(tmp_path / "after", items=grown)
    assert after["count"] == before["count"] + 1
    kept = [i for i in after["items"] if i["id"] != "VAL-002"]
    assert kept == before["items"]
    assert after["sha256"] != before["sha256"]
