"""Exports: the traceability and a release manifest, as files an auditor can download.

The site shows what is binding; an auditor also needs the links themselves, in formats a
spreadsheet or a script reads: which norm serves which value, which parameter makes which norm
observable, including drafts, retired items and references that lead nowhere. The manifest
fingerprints every item's content, so that later one can prove which wording was published.

Every function here is pure: a Handbook in, bytes out, the same bytes for the same handbook on
every call and every day (no clock, no file, no global state). Callers export a handbook that
was loaded (and normally checked) with `generator.source.load.load_handbook`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from generator.model.items import Handbook, Item, Measure, Norm, Parameter, Text, Value, id_order
from generator.model.lifecycle import standing
from generator.model.roles import handbook_roles, item_roles

Kind = Literal["value", "norm", "parameter"]
Scalar = str | int | float | dt.date | None
Field = Scalar | tuple[str, ...] | dict[str, Scalar]
Record = dict[str, Field]
Pair = tuple[str, str]

CSV_COLUMNS = (
    "value_id",
    "value_title",
    "norm_id",
    "norm_title",
    "norm_status",
    "norm_standing",
    "parameter_id",
    "parameter_title",
    "parameter_status",
    "parameter_standing",
    "channel",
    "category",
    "roles",
)
VALUE_COLUMNS = ("id", "title", "statement", "status", "owner")
NORM_COLUMNS = (
    *VALUE_COLUMNS,
    "traces_to",
    "channels",
    "audiences",
    "factors",
    "roles",
    "effective",
    "review",
    "standing",
)
MEASURE_COLUMNS = ("metric", "unit", "target", "min", "max")
PARAMETER_COLUMNS = (
    "id",
    "title",
    "requirement",
    "status",
    "owner",
    "traces_to",
    "channel",
    "category",
    *MEASURE_COLUMNS,
    "verification",
    "roles",
    "effective",
    "standing",
)
VALUE_NORM_COLUMNS = ("value_id", "value_title", "norm_id", "norm_title")
NORM_PARAMETER_COLUMNS = ("norm_id", "norm_title", "parameter_id", "parameter_title")

FIXED_PROPERTIES_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
"""What the workbook says it was created and modified at: a constant, so bytes repeat."""
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry; every entry of the workbook gets it."""
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_FILTER_BUTTON = 3
"""Characters' worth of header width taken by the filter drop-down button."""
_XLSX_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
"""Control characters a worksheet cannot hold (openpyxl refuses them; YAML can escape them)."""


# --- public -------------------------------------------------------------------------------------
def traceability_json(
    handbook: Handbook, language: str | None = None, *, as_of: dt.date | None = None
) -> bytes:
    """All items and their links in one JSON document, for scripts and audit tools. With
    `as_of` (the build date), each norm and parameter says whether it is in force on that day
    or still to come (`lifecycle.py`)."""
    return b"".join(traceability_json_pieces(handbook, language, as_of=as_of))


def traceability_json_pieces(
    handbook: Handbook, language: str | None = None, *, as_of: dt.date | None = None
) -> Iterator[bytes]:
    """The same document a megabyte at a time: at 10,000 norms it is 50 MB, which as one
    string, then with its line break, then encoded, was in memory three times over."""
    document = _document(handbook, _language(handbook, language), as_of)
    encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False, default=_iso)
    batch: list[str] = []
    size = 0
    for piece in encoder.iterencode(document):
        batch.append(piece)
        size += len(piece)
        if size >= _PIECE:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
    batch.append("\n")
    yield "".join(batch).encode("utf-8")


_PIECE = 1 << 20


def traceability_csv(
    handbook: Handbook, language: str | None = None, *, as_of: dt.date | None = None
) -> bytes:
    """Every trace path value → norm → parameter as one row, orphans included, for Excel; the
    standing columns are filled when the export is dated (`as_of`)."""
    lang = _language(handbook, language)
    norms = handbook.index.norms
    every = [role.id for role in handbook_roles(handbook)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for value, norm, parameter in _paths(handbook):
        writer.writerow(
            _inert(
                value.id if value else "",
                _text(value.title, lang, handbook) if value else "",
                norm.id if norm else "",
                _text(norm.title, lang, handbook) if norm else "",
                norm.status if norm else "",
                _standing(norm, norms, as_of) if norm else "",
                parameter.id if parameter else "",
                _text(parameter.title, lang, handbook) if parameter else "",
                parameter.status if parameter else "",
                _standing(parameter, norms, as_of) if parameter else "",
                parameter.channel if parameter else "",
                parameter.category if parameter else "",
                " ".join(item_roles(bound, handbook, every))
                if (bound := parameter or norm)
                else "",
            )
        )
    # The byte order mark makes Excel read the file as UTF-8 instead of the locale's code page.
    return buffer.getvalue().encode("utf-8-sig")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP "CSV injection")."""


def _inert(*cells: str) -> tuple[str, ...]:
    """A title such as `=HYPERLINK("http://…")` from YAML stays text when the CSV is opened in
    Excel or LibreOffice: a leading apostrophe, which spreadsheets show as nothing, stops it
    from being evaluated. (The workbook export types every text cell as text instead.)"""
    return tuple(f"'{cell}" if cell.startswith(_FORMULA_START) else cell for cell in cells)


def traceability_xlsx(
    handbook: Handbook, language: str | None = None, *, as_of: dt.date | None = None
) -> bytes:
    """Items and links as a filterable workbook, one sheet per relation, byte-reproducible."""
    lang = _language(handbook, language)
    values, norms, parameters = _records(handbook, lang, as_of)
    value_norm, norm_parameter = _links(handbook)
    titles = {item.id: _text(item.title, lang, handbook) for item in handbook.items()}
    # Write-only: rows stream to the archive instead of living as a cell object each (a
    # handbook of 10,000 norms made 600,000 of them, half a gigabyte).
    workbook = Workbook(write_only=True)
    _sheet(workbook, "Values", VALUE_COLUMNS, map(_flat, values))
    _sheet(workbook, "Norms", NORM_COLUMNS, map(_flat, norms))
    _sheet(workbook, "Parameters", PARAMETER_COLUMNS, map(_flat, parameters))
    _sheet(workbook, "Value-Norm", VALUE_NORM_COLUMNS, _titled(value_norm, titles))
    _sheet(workbook, "Norm-Parameter", NORM_PARAMETER_COLUMNS, _titled(norm_parameter, titles))
    properties = workbook.properties
    properties.title = f"{_text(handbook.settings.title, lang, handbook)}: traceability"
    properties.creator = "service-handbook"
    properties.language = lang
    properties.created = FIXED_PROPERTIES_TIME
    properties.modified = FIXED_PROPERTIES_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # Not `workbook.save()`: openpyxl's save_workbook() sets `properties.modified` to the
        # current time right before it calls this writer (openpyxl/writer/excel.py).
        ExcelWriter(workbook, archive).write_data()
    return _repack(buffer.getvalue())


def manifest_json(handbook: Handbook) -> bytes:
    """A fingerprint of every item's content, so an auditor can prove what was published.

    Each item's `sha256` covers its kind and its whole content as the model holds it (all
    languages, rationale, examples, source …), serialised canonically: the same content gives
    the same hash whatever the YAML looked like (indentation, flow or block style, key order,
    quoting, which file the item was in). The set's `sha256` covers the lines
    `{kind}:{id}:{sha256}\\n` in the order of `items`, so it changes if and only if an item
    is added, removed or changed. Keep the manifest of each release: a later text can then be
    checked against the hash that was published. Every field of the model counts, defaults
    included, so a new field in `generator/model/items.py` changes every item's hash.
    """
    entries: list[Record] = []
    for kind, item in _kinded(handbook):
        entries.append(
            {
                "id": item.id,
                "kind": kind,
                "status": item.status,
                "owner": item.owner,
                "effective": getattr(item, "effective", None),
                "review": getattr(item, "review", None),
                "sha256": _item_sha256(kind, item),
            }
        )
    lines = "".join(f"{entry['kind']}:{entry['id']}:{entry['sha256']}\n" for entry in entries)
    manifest = {
        "items": entries,
        "count": len(entries),
        "sha256": hashlib.sha256(lines.encode("utf-8")).hexdigest(),
    }
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=_iso)
    return (text + "\n").encode("utf-8")


def _item_sha256(kind: Kind, item: Item) -> str:
    """SHA-256 of `{kind}\\n` + the item's canonical JSON: equal content, equal hash."""
    content = json.dumps(
        item.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{kind}\n{content}".encode()).hexdigest()


# --- the model as records -------------------------------------------------------------------
def _language(handbook: Handbook, language: str | None) -> str:
    return language or handbook.settings.default_language


def _text(value: Text, language: str, handbook: Handbook) -> str:
    """One language of a text: the one asked for, else the default one, else the first."""
    if isinstance(value, str):
        return value
    default = handbook.settings.default_language
    return value.get(language) or value.get(default) or next(iter(value.values()), "")


def _document(handbook: Handbook, lang: str, as_of: dt.date | None) -> dict[str, object]:
    values, norms, parameters = _records(handbook, lang, as_of)
    value_norm, norm_parameter = _links(handbook)
    return {
        "handbook": {
            "title": _text(handbook.settings.title, lang, handbook),
            "organisation": _text(handbook.settings.organisation, lang, handbook),
            "language": lang,
            "as_of": as_of,
        },
        "values": values,
        "norms": norms,
        "parameters": parameters,
        "links": {"value_norm": value_norm, "norm_parameter": norm_parameter},
    }


def _records(
    handbook: Handbook, lang: str, as_of: dt.date | None = None
) -> tuple[list[Record], list[Record], list[Record]]:
    """Values, norms and parameters as flat records in one language, in natural id order."""
    every = [role.id for role in handbook_roles(handbook)]
    return (
        [_value(v, lang, handbook) for v in _by_id(handbook.values)],
        [_norm(n, lang, handbook, as_of, every) for n in _by_id(handbook.norms)],
        [_parameter(p, lang, handbook, as_of, every) for p in _by_id(handbook.parameters)],
    )


def _standing(item: Norm | Parameter, norms: Mapping[str, Norm], as_of: dt.date | None) -> str:
    return "" if as_of is None else standing(item, norms, as_of)


def _value(value: Value, lang: str, handbook: Handbook) -> Record:
    return {
        "id": value.id,
        "title": _text(value.title, lang, handbook),
        "statement": _text(value.statement, lang, handbook),
        "status": value.status,
        "owner": value.owner,
    }


def _norm(
    norm: Norm,
    lang: str,
    handbook: Handbook,
    as_of: dt.date | None = None,
    every: Sequence[str] | None = None,
) -> Record:
    return {
        "id": norm.id,
        "title": _text(norm.title, lang, handbook),
        "statement": _text(norm.statement, lang, handbook),
        "status": norm.status,
        "owner": norm.owner,
        "traces_to": norm.traces_to,
        "channels": norm.channels,
        "audiences": norm.audiences,
        "factors": norm.factors,
        "roles": item_roles(norm, handbook, every),
        "effective": norm.effective,
        "review": norm.review,
        "standing": _standing(norm, handbook.index.norms, as_of) or None,
    }


def _parameter(
    parameter: Parameter,
    lang: str,
    handbook: Handbook,
    as_of: dt.date | None = None,
    every: Sequence[str] | None = None,
) -> Record:
    return {
        "id": parameter.id,
        "title": _text(parameter.title, lang, handbook),
        "requirement": _text(parameter.requirement, lang, handbook),
        "status": parameter.status,
        "owner": parameter.owner,
        "traces_to": parameter.traces_to,
        "channel": parameter.channel,
        "category": parameter.category,
        "measure": _measure(parameter.measure, lang, handbook),
        "verification": parameter.verification,
        "roles": item_roles(parameter, handbook, every),
        "effective": parameter.effective,
        "standing": _standing(parameter, handbook.index.norms, as_of) or None,
    }


def _measure(measure: Measure | None, lang: str, handbook: Handbook) -> dict[str, Scalar] | None:
    if measure is None:
        return None
    return {
        "metric": _text(measure.metric, lang, handbook),
        "unit": _text(measure.unit, lang, handbook) if measure.unit is not None else None,
        "target": measure.target,
        "min": measure.min,
        "max": measure.max,
    }


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot export {value!r} as JSON")


T = TypeVar("T", Value, Norm, Parameter)


def _by_id(items: Iterable[T]) -> list[T]:
    return sorted(items, key=lambda item: id_order(item.id))


def _kinded(handbook: Handbook) -> list[tuple[Kind, Item]]:
    """Every item with its kind: values, norms, parameters, each in natural id order."""
    return [
        *(("value", v) for v in _by_id(handbook.values)),
        *(("norm", n) for n in _by_id(handbook.norms)),
        *(("parameter", p) for p in _by_id(handbook.parameters)),
    ]


def _pair_order(pair: Pair) -> tuple[tuple[tuple[int, str], ...], ...]:
    return (id_order(pair[0]), id_order(pair[1]))


def _links(handbook: Handbook) -> tuple[list[Pair], list[Pair]]:
    """(value, norm) and (norm, parameter) pairs as written in `traces_to`, every status.

    A reference to an id that is not in the handbook is kept: the check reports it, and the
    auditor sees it here instead of a link that silently vanished.
    """
    value_norm = {(value_id, norm.id) for norm in handbook.norms for value_id in norm.traces_to}
    norm_parameter = {
        (norm_id, parameter.id)
        for parameter in handbook.parameters
        for norm_id in parameter.traces_to
    }
    return sorted(value_norm, key=_pair_order), sorted(norm_parameter, key=_pair_order)


TracePath = tuple[Value | None, Norm | None, Parameter | None]


def _paths(handbook: Handbook) -> list[TracePath]:
    """Every value → norm → parameter path; a missing step is None, orphans come last.

    A value without norms and a norm without parameters end their path early. A norm that
    serves no known value, or a parameter that serves no known norm, still gets a path (with
    the unknown steps empty), because what is not linked is exactly what an auditor looks for.
    """
    values = {value.id: value for value in handbook.values}
    norms = {norm.id: norm for norm in handbook.norms}
    norms_of: dict[str, list[Norm]] = {}
    for norm in handbook.norms:
        for value_id in dict.fromkeys(norm.traces_to):
            norms_of.setdefault(value_id, []).append(norm)
    parameters_of: dict[str, list[Parameter]] = {}
    for parameter in handbook.parameters:
        for norm_id in dict.fromkeys(parameter.traces_to):
            parameters_of.setdefault(norm_id, []).append(parameter)

    def below(value: Value | None, norm: Norm) -> list[TracePath]:
        return [(value, norm, p) for p in parameters_of.get(norm.id, ())] or [(value, norm, None)]

    paths: list[TracePath] = []
    for value in handbook.values:
        found = norms_of.get(value.id, ())
        paths.extend(path for norm in found for path in below(value, norm))
        if not found:
            paths.append((value, None, None))
    for norm in handbook.norms:
        if not any(value_id in values for value_id in norm.traces_to):
            paths.extend(below(None, norm))
    for parameter in handbook.parameters:
        if not any(norm_id in norms for norm_id in parameter.traces_to):
            paths.append((None, None, parameter))
    return sorted(paths, key=_path_order)


def _path_order(path: TracePath) -> tuple[object, ...]:
    key: list[object] = []
    for step in path:
        key += [step is None, id_order(step.id) if step else ()]
    return tuple(key)


# --- the workbook ---------------------------------------------------------------------------
def _flat(record: Record) -> dict[str, Scalar]:
    """A record as cells: lists joined with ", ", the measure spread over its own columns.

    Only parameters have a dict field (`measure`); its keys are exactly MEASURE_COLUMNS.
    """
    cells: dict[str, Scalar] = {}
    for key, field in record.items():
        if isinstance(field, tuple):
            cells[key] = ", ".join(field)
        elif isinstance(field, dict):
            cells.update(field)
        else:
            cells[key] = field
    return cells


def _titled(pairs: Sequence[Pair], titles: Mapping[str, str]) -> list[tuple[Scalar, ...]]:
    """Link rows: each end's id and title (an empty title where the id is unknown)."""
    return [(upper, titles.get(upper, ""), lower, titles.get(lower, "")) for upper, lower in pairs]


def _sheet(
    workbook: Workbook,
    name: str,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Scalar] | Sequence[Scalar]],
) -> None:
    """One sheet: a bold, frozen, filterable header row, then one row per record."""
    sheet = workbook.create_sheet(name)
    table = [
        [
            _cell(value)
            for value in ([row.get(c) for c in columns] if isinstance(row, Mapping) else row)
        ]
        for row in rows
    ]
    widths = [len(column) + _FILTER_BUTTON for column in columns]
    for cells in table:
        for index, value in enumerate(cells):
            shown = value.isoformat() if isinstance(value, dt.date) else value
            widths[index] = max(widths[index], len(str(shown if shown is not None else "")))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            _MIN_WIDTH, min(width + 2, _MAX_WIDTH)
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table) + 1}"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for cells in table:
        sheet.append([_typed(sheet, value) for value in cells])


def _typed(sheet: Any, value: Scalar) -> Scalar | WriteOnlyCell:
    """Text stays text: a title starting with "=" must not become a formula, nor "#N/A" an
    error value (openpyxl guesses both from the text)."""
    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _cell(value: Scalar) -> Scalar:
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("\ufffd", value)
    return value


def _repack(packed: bytes) -> bytes:
    """The same archive with every entry dated ZIP_EPOCH, so the bytes do not carry a clock."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(packed)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # ZipInfo's default depends on the platform (0 on Windows)
            info.external_attr = 0o644 << 16
            # Streamed: a sheet of 50,000 parameters is 40 MB of XML before compression.
            with source.open(entry) as unpacked, target.open(info, "w") as packed_entry:
                shutil.copyfileobj(unpacked, packed_entry, 1 << 20)
    return output.getvalue()
