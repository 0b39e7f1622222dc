"""`handbook new`: add a value, norm or parameter with the next free id, in the right file.

The entry is written as text (the file keeps its layout and comments), then the whole
handbook is validated again; if the new entry brought any error, the file is put back as it
was and the errors are returned. A text is given once per language (`--title "Call ahead"`
for the default language, `--title ru="Позвоните заранее"` for another): the command asks for,
or refuses without, each language the handbook requires, so what it writes validates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.model.diagnostics import Diagnostic, Rule, Severity
from generator.model.items import Handbook, Settings
from generator.model.schema import SCHEMA_FILE, SCHEMA_FOLDER, schema_text
from generator.pipeline import validate
from generator.rules.codeowners import LOCATION, codeowners
from generator.system.filesystem import write_whole

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
# The texts of each kind, in the order a person is asked for them; metric and unit are the
# measure's (a parameter's), the others the item's own.
TEXTS = {
    "value": ("title", "statement", "rationale"),
    "norm": ("title", "statement", "rationale"),
    "parameter": ("title", "requirement", "rationale", "metric", "unit"),
}
PLAIN = {"status", "owner", "channel", "category", "effective", "review"}
"""Fields written without quotes: ids and dates, which the schema checks as such."""
_LANGUAGE_PREFIX = re.compile(r"([a-z]{2,3}(?:-[A-Z]{2})?)=(.*)", re.DOTALL)


class UsageError(Exception):
    """What the command line asks for cannot be written; nothing is (exit 2)."""


@dataclass(frozen=True)
class Languages:
    """The handbook's languages as `handbook new` needs them."""

    default: str
    published: tuple[str, ...]
    required: tuple[str, ...]
    """Those every text must have: the default one, then `required_languages`."""

    @classmethod
    def of(cls, settings: Settings | None) -> Languages:
        if settings is None:  # the standards cannot be read; `add` reports why
            return cls("en", ("en",), ("en",))
        default = settings.default_language
        published = tuple(dict.fromkeys((default, *settings.languages)))
        required = tuple(dict.fromkeys((default, *settings.required_languages)))
        return cls(default, published, required)

    def flag(self, field: str, language: str) -> str:
        """How the command line gives this text: `--title "…"`, `--title ru="…"`."""
        option = "--" + field.replace("_", "-")
        return f'{option} "…"' if language == self.default else f'{option} {language}="…"'


def parse_texts(field: str, given: Sequence[str], languages: Languages) -> dict[str, str]:
    """The texts given for one field, by language: `TEXT` is the default language's,
    `LANG=TEXT` another's (`en=` writes a default-language text that itself starts so)."""
    option = "--" + field.replace("_", "-")
    texts: dict[str, str] = {}
    for value in given:
        prefixed = _LANGUAGE_PREFIX.fullmatch(value)
        language, text = prefixed.groups() if prefixed else (languages.default, value)
        if language not in languages.published:
            raise UsageError(
                f"{option} {language}=…: {language} is not a language of this handbook "
                f"({', '.join(languages.published)})"
            )
        if language in texts:
            raise UsageError(f"{option} gives the {language} text twice")
        if not text.strip():
            raise UsageError(f"{option} gives an empty {language} text")
        texts[language] = text.strip()
    return texts


def given_texts(
    kind: str, given: Mapping[str, Sequence[str]], numbers: bool, languages: Languages
) -> tuple[dict[str, dict[str, str]], bool]:
    """Each text field of the kind, by language, and whether the item gets a measure (a
    number or a text of one was given)."""
    for field in sorted({f for fields in TEXTS.values() for f in fields} - set(TEXTS[kind])):
        if given.get(field):
            raise UsageError(f"a {kind} has no {field}: --{field} is not for it")
    if kind != "parameter" and numbers:
        raise UsageError(f"a {kind} has no measure: --target, --min and --max are not for it")
    texts = {field: parse_texts(field, given.get(field, ()), languages) for field in TEXTS[kind]}
    return texts, numbers or bool(texts.get("metric") or texts.get("unit"))


def still_wanted(
    kind: str,
    texts: Mapping[str, Mapping[str, str]],
    given: Mapping[str, object],
    measured: bool,
    languages: Languages,
) -> list[tuple[str, str | None]]:
    """What must still be given, in the order a person is asked for it, as (field, language):
    each required field, and each required language of every text that will be written (a
    measure needs its metric). The language is None for a field that is not a text."""
    needed = [*REQUIRED[kind]]
    needed += [
        field
        for field in TEXTS[kind]
        if field not in needed and (texts[field] or (field == "metric" and measured))
    ]
    wanted: list[tuple[str, str | None]] = []
    for field in needed:
        if field in texts:
            wanted += [(field, lang) for lang in languages.required if lang not in texts[field]]
        elif not given.get(field):
            wanted.append((field, None))
    return wanted


def text_value(texts: Mapping[str, str], languages: Languages) -> str | dict[str, str] | None:
    """A text as the YAML holds it: plain in a handbook of one language, else a map in the
    order the languages are declared."""
    if not texts:
        return None
    if languages.published == (languages.default,):
        return texts[languages.default]
    return {language: texts[language] for language in languages.published if language in texts}


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
    refreshed: tuple[Path, ...] = ()
    """Files made from the standards (the editors' schema, CODEOWNERS) that were current before
    the item was added and were written again so that they stay so."""


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
    are: no text a person types can turn into a number, a date or a boolean; numbers (a
    measure's target, min and max) are written as numbers."""
    return "\n".join([f"  - id: {item_id}", *_field_lines(fields, 4)]) + "\n"


def _field_lines(fields: Mapping[str, object], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for name, value in fields.items():
        if value is None or (isinstance(value, list | dict | str) and not value):
            continue
        if isinstance(value, dict):
            lines += [f"{pad}{name}:", *_field_lines(value, indent + 2)]
        elif isinstance(value, list):
            lines.append(f"{pad}{name}: [{', '.join(str(v) for v in value)}]")
        elif name in PLAIN:
            lines.append(f"{pad}{name}: {value}")
        else:
            lines.append(f"{pad}{name}: {json.dumps(value, ensure_ascii=False)}")
    return lines


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
    blocking = [d for d in new if d.severity is Severity.ERROR]
    if blocking:
        if original is None:
            path.unlink()
        else:
            write_whole(path, original)
        raise NewItemError(f"{item_id} was not written", blocking, after.loaded.sources)
    assert after.handbook is not None
    refreshed = _refresh_derived(standards, after.handbook, {d.rule for d in new})
    return Written(
        item_id, path, line, _untranslated(fields, Languages.of(handbook.settings)), refreshed
    )


def _refresh_derived(standards: Path, handbook: Handbook, new: set[Rule]) -> tuple[Path, ...]:
    """A file made from the standards that the new item made stale is made again: otherwise
    every `handbook new` would leave the next `validate` a note or a warning to act on."""
    project = standards.resolve().parent
    refreshed: list[Path] = []
    if new & {Rule.SCHEMA_OUTDATED, Rule.SCHEMA_SUGGESTIONS_OUTDATED}:
        schema = project / SCHEMA_FOLDER / SCHEMA_FILE
        write_whole(schema, schema_text(handbook))
        refreshed.append(schema)
    if Rule.CODEOWNERS_OUTDATED in new:
        made = codeowners(handbook, standards.resolve().name)
        if not made.problems:
            write_whole(project / LOCATION, made.text)
            refreshed.append(project / LOCATION)
    return tuple(refreshed)


def _untranslated(fields: Mapping[str, object], languages: Languages) -> tuple[str, ...]:
    """The published languages that some text of the new item still lacks."""
    measure = fields.get("measure")
    texts = {**fields, **(measure if isinstance(measure, dict) else {})}
    present = [
        set(value) if isinstance(value, dict) else {languages.default}
        for name, value in texts.items()
        if name in {*TEXTS["value"], *TEXTS["parameter"]} and value
    ]
    return tuple(
        language for language in languages.published if any(language not in p for p in present)
    )
