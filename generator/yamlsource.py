"""Strict YAML: one file's text to JSON-like data plus the position of every node.

Policy owners are not programmers, and YAML's conveniences are its traps: `no` silently becoming
`False`, `2026-01-05` becoming a date object, `0755` an octal number, a copied key quietly
overriding the first, an alias making one edit change two rules. So this reader builds the data
from parser events itself and refuses every such feature with a located diagnostic:

- anchors and aliases are errors (they also stop "billion laughs" expansion);
- tags (`!!python/object`, even `!!str`) are errors: nothing is ever constructed from YAML;
- a key written twice in one mapping is an error that names the first occurrence;
- plain scalars follow the JSON subset only: `null`/`~`/empty, `true`/`false`, JSON-shaped
  numbers; everything else, dates and `yes`/`no`/`0755` included, stays a string for the
  schema to type.

Sequences become tuples so that the model built from the data is immutable all the way down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

import yaml

from generator.diagnostics import Diagnostic, Rule
from generator.model import Location

try:  # libyaml's parser is about nine times faster than the pure-Python one.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

Path = tuple[str | int, ...]
Data = dict[str, "Data"] | tuple["Data", ...] | str | int | float | bool | None

MAX_DEPTH = 64
"""Deeper than any handbook file needs; the bound keeps hostile nesting cheap to refuse."""
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})


@dataclass
class ParsedYaml:
    """The data of one file, where each node was written, and what was wrong with it."""

    data: Data
    positions: dict[Path, Location] = field(default_factory=dict)
    key_positions: dict[Path, Location] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)
    """Nodes already reported (aliases, tagged values): the schema need not complain again."""


def resolve_plain(text: str) -> Data:
    """Type an unquoted scalar the way JSON would, and nothing more."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


_SKIP = "\0skip"  # pending key whose value is dropped: a repeated or unusable key


@dataclass
class _Frame:
    path: Path
    mapping: dict[str, Data] | None
    items: list[Data]
    pending_key: str | None = None
    discard: bool = False
    is_key: bool = False

    @property
    def expects_key(self) -> bool:
        return self.mapping is not None and self.pending_key is None


def parse_yaml(text: str, file: str) -> ParsedYaml:
    """Parse one document. On a syntax error the data is None and the problem says where."""
    result = ParsedYaml(data=None)
    parser = _Parser(text)
    try:
        _Builder(file, result).run(parser)
    except yaml.MarkedYAMLError as error:
        result.data = None
        result.problems.append(_syntax_problem(error, file, text))
    except yaml.reader.ReaderError as error:
        result.data = None
        line, column = _line_column(text, error.position)
        result.problems.append(
            Diagnostic(
                Rule.YAML_SYNTAX,
                Location(file, line, column),
                f"character U+{_code_point(error.character):04X} is not allowed in YAML text",
                "Delete the character; if it was pasted from another program, retype the text.",
            )
        )
    finally:
        parser.dispose()
    return result


class _Builder:
    """Turns parser events into data with an explicit stack, so deep nesting cannot overflow
    Python's recursion limit."""

    def __init__(self, file: str, result: ParsedYaml) -> None:
        self.file = file
        self.result = result
        self.stack: list[_Frame] = []

    def run(self, parser: _Parser) -> None:
        documents = 0
        file, result, stack = self.file, self.result, self.stack
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        get_event = parser.get_event
        # The loop runs once per node of every file: the commonest event (a scalar) is
        # handled first, and an anchor or tag is looked at only when one is there.
        while True:
            event = get_event()
            assert event is not None  # a stream always ends with StreamEndEvent
            mark = event.start_mark
            assert mark is not None
            kind = type(event)
            if kind is scalar:
                event = cast(yaml.ScalarEvent, event)
                location = Location(file, mark.line + 1, mark.column + 1)
                if event.anchor is not None or event.tag is not None:
                    _refuse_anchor_and_tag(event, location, result)
                top = stack[-1] if stack else None
                if top is not None and top.mapping is not None and top.pending_key is None:
                    self.key(top, event.value, location)
                else:
                    plain = event.implicit[0] and event.tag is None
                    value = resolve_plain(event.value) if plain else event.value
                    self.value(value, location, refused=event.tag not in (None, "!"))
                continue
            if kind in ends:
                frame = stack.pop()
                if not frame.discard:
                    data = frame.mapping if frame.mapping is not None else tuple(frame.items)
                    self.value(data, result.positions[frame.path])
                elif not frame.is_key and stack and stack[-1].pending_key == _SKIP:
                    stack[-1].pending_key = None
                continue
            if kind in (yaml.StreamStartEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.StreamEndEvent:
                return
            location = Location(file, mark.line + 1, mark.column + 1)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    result.problems.append(
                        Diagnostic(
                            Rule.MULTIPLE_DOCUMENTS,
                            location,
                            "a second YAML document starts here (after `---`)",
                            "Put each document in a file of its own, or remove the `---` line.",
                        )
                    )
                    return
                continue
            _refuse_anchor_and_tag(event, location, result)
            top = stack[-1] if stack else None
            if kind is alias:
                if top is not None and top.expects_key:
                    self.key(top, None, location)
                else:
                    self.value(None, location, refused=True)
            elif kind in starts:
                if len(stack) >= MAX_DEPTH:
                    self.too_deep(location)
                    return
                self.open(event, location, top)

    def too_deep(self, location: Location) -> None:
        """Each node's path is as long as its depth, so a file of 20,000 nested `[` would
        hold 200 million path entries: the file is refused at the first node too deep."""
        self.result.data = None
        self.result.problems.append(
            Diagnostic(
                Rule.NESTING_TOO_DEEP,
                location,
                f"the lists and mappings here are nested more than {MAX_DEPTH} levels deep",
                "A handbook needs at most six levels (a norm's examples, say); look for "
                "brackets or indentation that do not close.",
            )
        )

    def open(self, event: yaml.Event, location: Location, top: _Frame | None) -> None:
        mapping: dict[str, Data] | None = {} if isinstance(event, yaml.MappingStartEvent) else None
        if top is None:
            path: Path = ()
        elif top.discard:
            self.stack.append(_Frame((), mapping, [], discard=True))
            return
        elif top.mapping is None:
            path = (*top.path, len(top.items))
        elif top.pending_key is None:
            self.result.problems.append(
                Diagnostic(
                    Rule.WRONG_TYPE,
                    location,
                    "a key must be a plain word, not a list or a mapping",
                    "Write the key as text followed by a colon, e.g. `title: …`.",
                )
            )
            top.pending_key = _SKIP
            self.stack.append(_Frame((), mapping, [], discard=True, is_key=True))
            return
        elif top.pending_key == _SKIP:
            self.stack.append(_Frame((), mapping, [], discard=True))
            return
        else:
            path = (*top.path, top.pending_key)
        self.result.positions[path] = location
        if getattr(event, "tag", None) not in (None, "!"):
            self.result.refused.add(path)
        self.stack.append(_Frame(path, mapping, []))

    def key(self, top: _Frame, text: str | None, location: Location) -> None:
        if top.discard or text is None:  # an alias as a key: already reported
            top.pending_key = _SKIP
            return
        path = (*top.path, text)
        first = self.result.key_positions.get(path)
        if first is not None:
            self.result.problems.append(
                Diagnostic(
                    Rule.DUPLICATE_KEY,
                    location,
                    f"`{text}` is written twice in this mapping (first at line {first.line})",
                    "Keep one of the two: YAML would silently use only the last one.",
                )
            )
            top.pending_key = _SKIP
            return
        self.result.key_positions[path] = location
        top.pending_key = text

    def value(self, data: Data, location: Location, *, refused: bool = False) -> None:
        if not self.stack:
            self.result.data = data
            self.result.positions[()] = location
            return
        top = self.stack[-1]
        if top.discard:
            return
        if top.mapping is None:
            path: Path = (*top.path, len(top.items))
            top.items.append(data)
        else:
            key, top.pending_key = top.pending_key, None
            if key is None or key == _SKIP:
                return
            path = (*top.path, key)
            top.mapping[key] = data
        self.result.positions.setdefault(path, location)
        if refused:
            self.result.refused.add(path)


def _refuse_anchor_and_tag(event: yaml.Event, location: Location, result: ParsedYaml) -> None:
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        result.problems.append(
            Diagnostic(
                Rule.YAML_ALIAS,
                location,
                f"alias `*{anchor}` repeats another node",
                "Write the text out in full: in a handbook every rule must be readable where it "
                "stands, and one edit must never change two places.",
            )
        )
    elif anchor is not None:
        result.problems.append(
            Diagnostic(
                Rule.YAML_ALIAS,
                location,
                f"anchor `&{anchor}` marks a node for reuse",
                f"Remove `&{anchor}`; anchors and aliases are not allowed in the standards.",
            )
        )
    tag = getattr(event, "tag", None)
    if tag is not None and tag != "!":
        result.problems.append(
            Diagnostic(
                Rule.YAML_TAG,
                location,
                f"tag `{tag}` is not allowed",
                "Remove the tag. To keep something as text, put it in quotes instead.",
            )
        )


def _code_point(character: object) -> int:
    return character if isinstance(character, int) else ord(str(character)[:1] or "\0")


def _syntax_problem(error: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = error.problem or "the YAML cannot be read"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return Diagnostic(
            Rule.TAB_INDENT,
            Location(file, line, column),
            "a tab character is used where YAML expects spaces",
            "Indent with spaces only (two per level); set your editor to insert spaces for Tab.",
        )
    context = f" {error.context}" if error.context else ""
    start = error.context_mark
    if context and start is not None and start is not mark:
        context += f" that starts at line {start.line + 1}, column {start.column + 1}"
    return Diagnostic(
        Rule.YAML_SYNTAX,
        Location(file, line, column),
        f"{problem}{context}".strip(),
        "Check the indentation and the punctuation on this line and the one before it; "
        "text containing `: ` or starting with a special character needs quotes.",
    )


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    line = before.count("\n") + 1
    return line, position - (before.rfind("\n") + 1) + 1
