"""The strict reader held to yaml-test-suite: invalid YAML is refused with a location, valid
YAML reads as the suite says, unless it uses what the reader refuses by design.

The suite's 402 cases (94 invalid, 308 valid; `tests/fixtures/yaml-test-suite/`, see its README)
go through both ways the reader has: the node walker over libyaml's composed tree
(`_from_nodes`, which may hand a file to the event reader) and the event reader
(`_from_events`). Every problem must be a structure rule at a line and column of the case, in
words without libyaml's jargon.

Before the reader checked what libyaml lets through: 12 invalid cases accepted; 5 valid ones
read otherwise than the suite says (`{ ?foo: bar }`, `[?x]`, two block texts ending in a line
of spaces without a line break, an empty key read as the key `""`); 124 refused by design;
179 read as the suite says. Now: 0 invalid cases accepted, 0 valid ones misread; 127 refused by
design, 91 for a feature the reader refuses (anchors and aliases, tags, several documents, a key
that is a list, a mapping or empty) and the 36 in `REFUSED_BY_DESIGN`, each for its reason;
181 read as the suite says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from generator.model.diagnostics import RULES, Family
from generator.source.yamlsource import (
    ParsedYaml,
    _from_events,
    _from_nodes,
    _may_need_events,
    _NeedsEventsError,
    parse_yaml,
)
from tests.conftest import FIXTURES

SUITE = FIXTURES / "yaml-test-suite"
CASES: list[dict[str, Any]] = json.loads((SUITE / "cases.json").read_text(encoding="utf-8"))

_TABS = "a tab in the indentation or between items, which editors show at any width"
_DIRECTIVE = "a directive other than `%YAML 1.1`/`1.2` or `%TAG`"
_COLON = "inside brackets, a text starting with `:`, or a key whose `:` is on another line"
REFUSED_BY_DESIGN: dict[str, str] = {
    **dict.fromkeys(
        ("6BCT", "6CA3", "96NN/00", "96NN/01", "A2M4", "DK95/00", "DK95/03", "DK95/04"),
        _TABS,
    ),
    **dict.fromkeys(("Q5MG", "R4YG", "Y79Y/01", "Y79Y/10"), _TABS),
    **dict.fromkeys(("2LFX", "6LVF", "MUS6/05", "MUS6/06", "BEC7"), _DIRECTIVE),
    **dict.fromkeys(
        ("4ABK", "4MUZ/00", "4MUZ/01", "4MUZ/02", "58MP", "5MUD", "5T43", "DBG4", "HM87/00"),
        _COLON,
    ),
    **dict.fromkeys(("K3WX", "VJP3/01"), _COLON),
    **dict.fromkeys(("9SA2", "NJ66"), "a key inside braces written over two lines"),
    **dict.fromkeys(
        ("652Z", "HM87/01"),
        "`?` glued to text inside brackets: libyaml reads a key where YAML reads text",
    ),
    **dict.fromkeys(("DK3J", "FP8R"), "a block text after `---` that is not indented"),
    **dict.fromkeys(("HWV9", "QT73"), "a `...` with no document before it"),
}
"""Valid YAML that libyaml cannot read (or reads wrongly) and the reader refuses, in words."""

JSON_DISAGREES = {
    "S4JQ": "the suite's JSON reads `! 12` as a number; its events and the YAML spec "
    "(example 6.28) as the text `12`, as the reader does"
}
"""Cases whose JSON disagrees with their own events; the events decide."""

JARGON = re.compile(
    r"scalar|token|stream|block end|flow|simple key|indicator|mapping values|"
    r"<document start>|(?:did not|could not) find|found unexpected|while (?:scanning|parsing)",
    re.IGNORECASE,
)
"""libyaml's words, which a policy owner does not know (outside the text quoted in `…`)."""


@dataclass(frozen=True)
class _ByDesign:
    reason: str


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "\\": "\\", "0": "\0"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def _plain(text: str) -> Any:
    """A plain scalar typed by YAML's JSON schema, which is what the reader promises."""
    if text in _NULLS:
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _scalar(rest: str, as_key: bool) -> Any:
    """`=VAL` in the suite's event notation: properties, then a style character and text."""
    non_specific = rest.startswith("<!> ")
    if non_specific:
        rest = rest[4:]
    if rest.startswith(("&", "<")):
        raise _RefusedError("an anchor" if rest[0] == "&" else "a tag")
    style, text = rest[0], re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], rest[1:])
    if as_key:
        if style == ":" and not text:
            raise _RefusedError("an empty key")
        return text
    return _plain(text) if style == ":" and not non_specific else text


class _RefusedError(Exception):
    """The case uses a feature the reader refuses by design."""


def _from_tree(tree: str) -> Any:
    """The data the suite's event stream (`tree`) describes, built without the reader."""
    stack: list[dict[str, Any] | list[Any]] = []
    keys: list[str | None] = []
    documents: list[Any] = []

    def put(value: Any) -> None:
        if not stack:
            documents.append(value)
        elif isinstance(top := stack[-1], list):
            top.append(value)
        else:
            top[keys[-1]] = value  # type: ignore[index]
            keys[-1] = None

    for line in tree.splitlines():
        head, _, rest = line.lstrip(" ").partition(" ")
        expects_key = bool(stack) and isinstance(stack[-1], dict) and keys[-1] is None
        if head == "+DOC" and documents:
            raise _RefusedError("several documents")
        if head in ("+MAP", "+SEQ"):
            if "&" in rest or re.search(r"<(?!!>)", rest):
                raise _RefusedError("an anchor or a tag")
            if expects_key:
                raise _RefusedError("a key that is a list or a mapping")
            stack.append({} if head == "+MAP" else [])
            keys.append(None)
        elif head in ("-MAP", "-SEQ"):
            keys.pop()
            done = stack.pop()
            put(tuple(done) if isinstance(done, list) else done)
        elif head == "=ALI":
            raise _RefusedError("an alias")
        elif head == "=VAL":
            value = _scalar(rest, as_key=expects_key)
            if expects_key:
                if value in stack[-1]:
                    raise _RefusedError("a key written twice")
                keys[-1] = value
            else:
                put(value)
    return documents[0] if documents else None


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _expected(case: dict[str, Any]) -> Any:
    """What a valid case must read as, or why the reader refuses it."""
    if case["id"] in REFUSED_BY_DESIGN:
        return _ByDesign(REFUSED_BY_DESIGN[case["id"]])
    try:
        data = _from_tree(case["tree"])
    except _RefusedError as refused:
        return _ByDesign(str(refused))
    if "json" in case and case["id"] not in JSON_DISAGREES:
        assert _json(case["json"]) == data, "the suite's JSON and its events agree"
    return data


def _json(text: str) -> Any:
    """The suite's JSON for a case of one document, or none (an empty stream)."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        value, end = decoder.raw_decode(text, at + len(text[at:]) - len(text[at:].lstrip()))
        documents.append(_frozen(value))
        at = end
    assert len(documents) <= 1
    return documents[0] if documents else None


def _readings(text: str) -> Iterator[tuple[str, ParsedYaml | None]]:
    """The reader's result by each of its ways; None where the node walker hands the file on
    or is not given it (the event reader then reads it, as `parse_yaml` does)."""
    yield "parse_yaml", parse_yaml(text, "case.yml")
    yield "events", _from_events(text, "case.yml")
    if _may_need_events(text):
        yield "nodes", None  # a text `parse_yaml` never gives the walker
        return
    try:
        yield "nodes", _from_nodes(text, "case.yml")
    except (yaml.YAMLError, _NeedsEventsError):
        yield "nodes", None


def _assert_refused_with_locations(text: str, parsed: ParsedYaml) -> None:
    assert parsed.problems, "refused"
    lines = text.removeprefix("\ufeff").split("\n")
    for problem in parsed.problems:
        assert RULES[problem.rule].family is Family.STRUCTURE
        line, column = problem.location.line, problem.location.column
        assert 1 <= line <= len(lines), problem
        assert 1 <= column <= len(lines[line - 1]) + 1, problem
        assert not JARGON.search(re.sub(r"`[^`]*`", "", problem.message)), problem.message
        assert problem.hint, problem


def _cases(fail: bool) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in CASES if case["fail"] is fail]


@pytest.mark.parametrize("case", _cases(fail=True))
def test_invalid_yaml_is_refused_where_it_goes_wrong(case: dict[str, Any]) -> None:
    for _, parsed in _readings(case["yaml"]):
        if parsed is not None:
            _assert_refused_with_locations(case["yaml"], parsed)


@pytest.mark.parametrize("case", _cases(fail=False))
def test_valid_yaml_reads_as_the_suite_says(case: dict[str, Any]) -> None:
    expected = _expected(case)
    for way, parsed in _readings(case["yaml"]):
        if parsed is None:
            continue
        if isinstance(expected, _ByDesign):
            if way != "nodes" or parsed.problems:
                _assert_refused_with_locations(case["yaml"], parsed)
            continue
        assert parsed.problems == [], way
        assert parsed.data == expected, way


def test_the_counts_stand_as_the_docstring_gives_them() -> None:
    valid = [case for case in CASES if not case["fail"]]
    by_design = [case for case in valid if isinstance(_expected(case), _ByDesign)]
    assert (len(CASES), len(CASES) - len(valid), len(valid)) == (402, 94, 308)
    assert (len(by_design), len(REFUSED_BY_DESIGN)) == (127, 36)
    assert set(REFUSED_BY_DESIGN) <= {case["id"] for case in valid}
