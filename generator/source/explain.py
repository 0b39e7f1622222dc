"""Explain: pydantic's validation errors as a policy owner reads them.

One diagnostic per mistake, at the YAML node at fault (the key, for a key that is wrong), in the
handbook's words: "a date written YYYY-MM-DD", "the id of a norm, where a value is named",
never a name from pydantic's vocabulary. What only follows from another error of the same entry
(a required field missing because its key was misspelt; "must be text" when the text was a
language map with a bad key) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import (
    HANDLE_HINT,
    LANGUAGE_PATTERN,
    NORM_ID_PATTERN,
    PARAMETER_ID_PATTERN,
    SECTION_NOUN,
    TERM_ID_PATTERN,
    VALUE_ID_PATTERN,
    Location,
)
from generator.model.languages import language_hint
from generator.model.suggestions import did_you_mean
from generator.source.yamlsource import Data, ParsedYaml
from generator.source.yamlsource import Path as NodePath
from generator.text.printable import shown, visible

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date written YYYY-MM-DD",
}
"""What each kind of type error expected, for every type a field of the model has."""

ID_KINDS = (
    ("value", "VAL", re.compile(VALUE_ID_PATTERN)),
    ("norm", "NRM", re.compile(NORM_ID_PATTERN)),
    ("parameter", "PAR", re.compile(PARAMETER_ID_PATTERN)),
)
_TERM_ID = re.compile(TERM_ID_PATTERN)
TERM_FIELDS = {
    "owner": "owners",
    "pillars": "pillars",
    "channels": "channels",
    "channel": "channels",
    "audiences": "audiences",
    "factors": "factors",
    "roles": "roles",
    "category": "categories",
    "requires": "categories",
    "verification": "methods",
}
"""The taxonomy section each field that names a term names it from."""
LANGUAGE_FIELDS = ("default_language", "languages", "required_languages")


def explain(
    errors: Iterable[ErrorDetails],
    model: type[BaseModel],
    raw: Data,
    parsed: ParsedYaml,
    base: NodePath,
    label: str,
) -> list[Diagnostic]:
    """Turn pydantic's errors into one diagnostic per YAML node at fault.

    A union (text or a language map) fails once per branch; those are merged into a single
    'expected text or a mapping', and dropped when the input is the right kind of container
    with something wrong inside (then only that is reported). A required field reported
    missing because its key was misspelt is dropped too: the misspelt key is the mistake.
    """
    grouped: dict[tuple[NodePath, str], list[ErrorDetails]] = {}
    for error in errors:
        data_path, kind = _data_path(raw, error)
        if (*base, *data_path) in parsed.refused:
            continue
        grouped.setdefault((data_path, kind), []).append(error)
    inside = {path[:depth] for path, _ in grouped for depth in range(len(path))}
    meant = {
        (path[:-1], did_you_mean(str(path[-1]), _allowed_fields(model, path[:-1])))
        for path, kind in grouped
        if kind == "extra_forbidden" and path
    }
    result: list[Diagnostic] = []
    for (data_path, kind), group in grouped.items():
        if kind == "type" and data_path in inside:
            continue
        if kind == "missing" and data_path and (data_path[:-1], data_path[-1]) in meant:
            continue
        result.append(_describe(kind, group, model, parsed, base, data_path, label))
    return result


def _data_path(raw: Data, error: ErrorDetails) -> tuple[NodePath, str]:
    """The path within the YAML that the error is about, without pydantic's union-branch tags."""
    node: Any = raw
    path: list[str | int] = []
    loc = list(error["loc"])
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        descends = (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, tuple) and isinstance(part, int) and 0 <= part < len(node)
        )
        if descends:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and last and error["type"] in ("missing", "extra_forbidden"):
            path.append(part)
    kind = error["type"]
    if loc and loc[-1] == "[key]":
        kind = "key_" + kind
    elif kind in _EXPECTED or kind.endswith("_type"):
        kind = "type"
    return tuple(path), kind


def _describe(
    kind: str,
    group: list[ErrorDetails],
    model: type[BaseModel],
    parsed: ParsedYaml,
    base: NodePath,
    data_path: NodePath,
    label: str,
) -> Diagnostic:
    full = (*base, *data_path)
    field = str(data_path[-1]) if data_path else ""
    where = f"`{_dotted(data_path)}` of {label}" if data_path else label
    first = group[0]
    described = _field_description(model, data_path)
    if kind == "missing":
        parent = parsed.positions.get(full[:-1]) or parsed.positions[base]
        return Diagnostic(
            Rule.MISSING_FIELD,
            parent,
            f"{label} has no `{_dotted(data_path)}`",
            f"Add a line `{field}: …` to {label}" + (f" ({described})." if described else "."),
        )
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, data_path[:-1])
        return unknown_field(
            field, parsed.key_positions.get(full) or parsed.positions[base], allowed, label
        )
    at = parsed.positions.get(full) or parsed.positions[base]
    given = first["input"]
    if kind.startswith("key_"):
        return _bad_language_key(
            field, parsed.key_positions.get(full) or at, _dotted(data_path[:-1]), label
        )
    if kind == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        return Diagnostic(
            Rule.BAD_ENUM,
            at,
            f"{where} is `{_show(given)}`; allowed: {expected}",
            f"Write one of {expected}.",
        )
    if kind == "string_pattern_mismatch":
        pattern = str(first.get("ctx", {}).get("pattern", ""))
        return _bad_pattern(str(given), pattern, data_path, at, where)
    if kind == "handle":
        return Diagnostic(
            Rule.BAD_HANDLE,
            at,
            f"{where} is `{_show(given)}`: {first.get('ctx', {}).get('reason', '')}",
            HANDLE_HINT,
        )
    if kind == "value_error" and "date" in first["msg"]:
        reason = first["msg"].removeprefix("Value error, ")
        return Diagnostic(
            Rule.BAD_DATE,
            at,
            f"{where} is `{_show(given)}`: {reason}",
            "Write the date as YYYY-MM-DD, for example 2026-03-01.",
        )
    if kind == "type":
        return _wrong_type(group, given, field, at, where)
    # A kind of error the model does not make today: said without pydantic's words.
    return Diagnostic(
        Rule.WRONG_TYPE,
        at,
        f"{where} is `{_show(given)}`, which is not allowed here",
        f"Expected here: {described}." if described else "Correct the value.",
    )


def _wrong_type(
    group: list[ErrorDetails], given: object, field: str, at: Location, where: str
) -> Diagnostic:
    kinds = [error["type"] for error in group]
    if "float_type" in kinds and "int_type" in kinds:
        kinds.remove("int_type")  # "a whole number or a number" says "a number"
    expected = " or ".join(dict.fromkeys(_EXPECTED.get(kind, "something else") for kind in kinds))
    if "date_type" in kinds:
        return Diagnostic(
            Rule.BAD_DATE,
            at,
            f"{where} must be {expected}, not {_describe_type(given)}",
            "Write the date as YYYY-MM-DD, for example 2026-03-01.",
        )
    hint = f"Write {expected} here."
    if isinstance(given, int | float | bool) and "text" in expected:
        hint = f'Put the text in quotes: `{field}: "{_show(given)}"`.'
    return Diagnostic(
        Rule.WRONG_TYPE, at, f"{where} must be {expected}, not {_describe_type(given)}", hint
    )


def _bad_pattern(
    given: str, pattern: str, data_path: NodePath, at: Location, where: str
) -> Diagnostic:
    """A text that does not have the shape its field needs: an id (perhaps of another kind), a
    term id or a language code (a handle has a check of its own, `model.Handle`)."""
    fields = [part for part in data_path if isinstance(part, str)]
    field = fields[-1] if fields else ""
    if field in LANGUAGE_FIELDS or pattern == LANGUAGE_PATTERN:
        return Diagnostic(
            Rule.BAD_LANGUAGE,
            at,
            f"{where} is `{_show(given)}`, which is not a language code",
            language_hint(given),
        )
    expected = _pattern_kind(pattern, field)
    written = _kind_of(given)
    if expected is not None and written not in (None, "term", expected):
        assert written is not None
        if field == "id":
            return Diagnostic(
                Rule.BAD_ID,
                at,
                f"{where} is `{_show(given)}`, the id of {_a(written)}, in the list of "
                f"{_plural(expected)}",
                f"Move the entry under `{written}s:`, or give it the id of {_a(expected)} "
                f"({_example(expected)}).",
            )
        return Diagnostic(
            Rule.BAD_ID,
            at,
            f"{where} is `{_show(given)}`, the id of {_a(written)}, where {_a(expected)} is named",
            f"Write the id of {_a(expected)} here ({_example(expected)}).",
        )
    meant = _meant(given, expected)
    hint = f"Did you mean `{meant}`? " if meant else ""
    if shown(given) != given:
        hint += "It holds characters that do not show (named in brackets): type it again. "
    return Diagnostic(
        Rule.BAD_ID,
        at,
        f"{where} is `{_show(given)}`, which is not a well-formed id"
        + (f" of {_a(expected)}" if expected else ""),
        hint + f"The id of {_a(expected or 'term')} is {_example(expected or 'term')}.",
    )


def _pattern_kind(pattern: str, field: str) -> str | None:
    """What a field names, by its pattern: a kind of item (`value`) or, for a term id, the
    taxonomy section the field names it from (`channels`)."""
    for noun, _, compiled in ID_KINDS:
        if pattern == compiled.pattern:
            return noun
    if pattern == TERM_ID_PATTERN:
        return TERM_FIELDS.get(field, "term")
    return None


def _plural(kind: str) -> str:
    noun = SECTION_NOUN.get(kind, kind)
    return (
        "taxonomy terms" if kind == "term" else f"{noun}s" if noun != "category" else "categories"
    )


def _kind_of(text: str) -> str | None:
    """What `text` is the id of, by its shape alone: a kind of item, or a term."""
    for noun, _, pattern in ID_KINDS:
        if pattern.match(text):
            return noun
    return "term" if _TERM_ID.match(text) else None


def _a(kind: str) -> str:
    noun = SECTION_NOUN.get(kind, kind)
    if kind == "term":
        return "a taxonomy term"
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _example(kind: str) -> str:
    for noun, prefix, _ in ID_KINDS:
        if kind == noun:
            return f"`{prefix}-` and capital letters or digits, e.g. {prefix}-001"
    return "lowercase letters, digits and hyphens, starting with a letter, e.g. `face-to-face`"


def _meant(given: str, expected: str | None) -> str | None:
    """The id `given` looks like, once what does not show is taken out and the case is
    corrected (`val-001`, `Phone`, `VAL-0` + a zero-width space + `01`)."""
    seen = visible(given)
    for candidate in (seen, seen.upper(), seen.lower()):
        kind = _kind_of(candidate)
        if candidate != given and kind is not None and _fits(kind, expected):
            return candidate
    return None


def _fits(kind: str, expected: str | None) -> bool:
    if expected is None or kind == expected:
        return True
    return kind == "term" and expected not in ("value", "norm", "parameter")


def _bad_language_key(key: str, at: Location, text: str, label: str) -> Diagnostic:
    return Diagnostic(
        Rule.BAD_LANGUAGE,
        at,
        f"`{_show(key)}` in `{text}` of {label} is not a language code",
        language_hint(key),
    )


def unknown_field(name: str, at: Location, allowed: list[str], label: str) -> Diagnostic:
    close = did_you_mean(name, allowed)
    hint = (
        f"Did you mean `{close}`?"
        if close
        else "Allowed here: " + ", ".join(f"`{a}`" for a in allowed) + "."
    )
    return Diagnostic(Rule.UNKNOWN_FIELD, at, f"`{_show(name)}` is not a field of {label}", hint)


def _allowed_fields(model: type[BaseModel], path: NodePath) -> list[str]:
    current: type[BaseModel] = model
    for part in path:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation if part in current.model_fields else None
        nested = _model_in(annotation)
        if nested is None:
            break
        current = nested
    return list(current.model_fields)


def _field_description(model: type[BaseModel], path: NodePath) -> str:
    """The schema's own description of a field, to tell a policy owner what belongs there."""
    owner = _model_in(model)
    names = [part for part in path if isinstance(part, str)]
    for name in names[:-1]:
        if owner is None or name not in owner.model_fields:
            return ""
        owner = _model_in(owner.model_fields[name].annotation)
    if owner is None or not names or names[-1] not in owner.model_fields:
        return ""
    description = owner.model_fields[names[-1]].description or ""
    return description.rstrip(".").lower() if description else ""


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _dotted(path: NodePath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return shown(text)


def _show(value: object) -> str:
    """A value as a message quotes it: cut if long, and nothing invisible left unnamed."""
    text = str(value)
    return shown(text if len(text) <= 60 else text[:57] + "…")


def _describe_type(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text `{_show(value)}`"
