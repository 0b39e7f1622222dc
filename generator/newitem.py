"""`handbook new`: add a value, norm or parameter with the next free id, in the right file.

The entry is written as text (the file keeps its layout and comments), then the whole
handbook is validated again; if the new entry brought an error other than a missing
translation, the file is put back as it was and the errors are returned.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Rule, Severity
from generator.filesystem import write_whole
from generator.model import Handbook
from generator.pipeline import validate

PREFIXES = {"value": "VAL", "norm": "NRM", "parameter": "PAR"}
SECTIONS = {"value": "values", "norm": "norms", "parameter": "parameters"}
DEFAULT_FILES = {"value": "values.yml", "norm": "norms.yml", "parameter": "norms.yml"}
# What each kind needs before it can be written, in the order a person is asked for it.
REQUIRED = {
    "value": ("title", "statement"),
    "norm": ("title", "statement", "traces_to"),
    "parameter": ("title", "traces_to", "channel", "category", "requirement"),
}
LISTS = {"traces_to", "channels", "audiences", "roles", "factors", "pillars", "verification"}


class NewItemError(Exception):
    def __init__(
        self,
        message: str,
        diagnostics: Sequence[Diagnostic] = (),
        sources: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)
        self.sources = dict(sources or {})
        """The files as they were when the problems were found, to show the lines at fault."""


@dataclass(frozen=True)
class Written:
    id: str
    file: Path
    line: int
    still_to_translate: tuple[str, ...]


def next_id(handbook: Handbook, kind: str) -> str:
    """One past the highest number ever used for this kind (retired ids included, so an id is
    never given twice), written with at least three digits like the house style."""
    prefix = PREFIXES[kind]
    numbers = [
        int(match.group(1))
        for item_id in (
            *(i.id for i in handbook.items()),
            *handbook.unreadable_ids,
            *(key for key, _ in handbook.duplicates),
        )
        if (match := re.fullmatch(rf"{prefix}-(\d+)", item_id))
    ]
    width = max([3, *(len(m) for m in _digits(handbook, prefix))])
    return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"


def _digits(handbook: Handbook, prefix: str) -> list[str]:
    return [
        match.group(1)
        for item in handbook.items()
        if (match := re.fullmatch(rf"{prefix}-(\d+)", item.id))
    ]


def target_file(
    handbook: Handbook, standards: Path, kind: str, fields: Mapping[str, object]
) -> Path:
    """Where a person would look for the new item: beside the norms of the same value, or the
    parameters of the same norm; the first file with that section otherwise."""
    traced = fields.get("traces_to")
    first = traced[0] if isinstance(traced, list) and traced else None
    if kind == "norm" and first is not None:
        for norm in handbook.norms:
            if first in norm.traces_to and (file := handbook.relative_file(norm.id)):
                return standards / file
    if kind == "parameter" and first is not None:
        file = handbook.relative_file(first)
        if file is not None:
            return standards / file
    section = SECTIONS[kind]
    for item in handbook.items():
        if SECTIONS[_kind_of(item.id)] == section and (file := handbook.relative_file(item.id)):
            return standards / file
    return standards / DEFAULT_FILES[kind]


def _kind_of(item_id: str) -> str:
    return next(kind for kind, prefix in PREFIXES.items() if item_id.startswith(prefix + "-"))


def entry_text(item_id: str, kind: str, fields: Mapping[str, object]) -> str:
    """The new entry as YAML. Strings are written as JSON strings, which YAML reads as they
    are: no text a person types can turn into a number, a date or a boolean."""
    lines = [f"  - id: {item_id}"]
    for name, value in fields.items():
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            lines.append(f"    {name}: [{', '.join(str(v) for v in value)}]")
        elif name in {"status", "owner", "channel", "category", "effective", "review"}:
            lines.append(f"    {name}: {value}")
        else:
            lines.append(f"    {name}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def insert(text: str, section: str, entry: str) -> tuple[str, int]:
    """`text` with `entry` appended to its `section:` list (created if missing), and the line
    the entry starts on."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{section}:"), None)
    if start is None:
        body = text if text.endswith("\n") or not text else text + "\n"
        prefix = body + ("\n" if body.strip() else "") + f"{section}:\n"
        return prefix + entry, prefix.count("\n") + 1
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"[A-Za-z_]", lines[i])),
        len(lines),
    )
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, entry)
    return "".join(lines), end + 1


def add(standards: Path, kind: str, fields: Mapping[str, object], *, today: dt.date) -> Written:
    before = validate(standards, today=today)
    if before.handbook is None:
        raise NewItemError(
            "the standards cannot be read", before.diagnostics, before.loaded.sources
        )
    handbook = before.handbook
    item_id = next_id(handbook, kind)
    path = target_file(handbook, standards, kind, fields)
    original = path.read_text(encoding="utf-8") if path.exists() else None
    if original is None:
        original_text = "# yaml-language-server: $schema=../schemas/handbook.schema.json\n"
    else:
        original_text = original
    updated, line = insert(original_text, SECTIONS[kind], entry_text(item_id, kind, fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, updated)  # a full disk leaves the file as it was, not cut short
    after = validate(standards, today=today)
    known = {(d.rule, d.location, d.message) for d in before.diagnostics}
    new = [d for d in after.diagnostics if (d.rule, d.location, d.message) not in known]
    blocking = [
        d
        for d in new
        if d.severity is Severity.ERROR and d.rule is not Rule.MISSING_REQUIRED_TRANSLATION
    ]
    if blocking:
        if original is None:
            path.unlink()
        else:
            write_whole(path, original)
        raise NewItemError(f"{item_id} was not written", blocking, after.loaded.sources)
    settings = handbook.settings
    others = tuple(lang for lang in settings.languages if lang != settings.default_language)
    return Written(item_id, path, line, others)
