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

Most files use none of those features. For them libyaml composes the node tree in C and one
Python pass turns it into data, and where each node stands is worked out only when a step
asks (reading a position for every node costs as much as the parse itself). Any file that
might hold an anchor, a tag or very deep nesting, or that fails to parse, is read event by
event instead, which words every problem.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import cast

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from generator.diagnostics import Diagnostic, Rule
from generator.model import Location, NodePositions
from generator.yamlerrors import line_column, syntax_problem

try:  # libyaml's parser is about nine times faster than the pure-Python one.
    from yaml import CSafeLoader as _Parser
    from yaml._yaml import CParser as _CParser

    _COMPOSE_IN_C = True
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

    _CParser = object  # type: ignore[assignment, misc]
    _COMPOSE_IN_C = False

Path = tuple[str | int, ...]
Data = dict[str, "Data"] | tuple["Data", ...] | str | int | float | bool | None

MAX_DEPTH = 64
"""Deeper than any handbook file needs; the bound keeps hostile nesting cheap to refuse."""
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_NUMBER_START = frozenset("-0123456789")


@dataclass
class ParsedYaml:
    """The data of one file, where each node was written, and what was wrong with it."""

    data: Data
    positions: NodePositions = field(default_factory=lambda: NodePositions({}))
    key_positions: NodePositions = field(default_factory=lambda: NodePositions({}))
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
    if text[0] not in _NUMBER_START:
        return text
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
    if _COMPOSE_IN_C and not _may_need_events(text):
        try:
            return _from_nodes(text, file)
        except (yaml.YAMLError, _NeedsEventsError):
            pass  # the event reader below finds and words every problem
    return _from_events(text, file)


class _NeedsEventsError(Exception):
    """The file needs the event reader: a tag, or nesting deeper than the walker takes."""


# Where a node may start: the start of the text, after a space or line break, or after a flow
# indicator. A tag (`!`), an anchor or an alias (`&`/`*` and a name) only stand there.
_PROPERTY = re.compile(r"(?:^|(?<=[\s\[{,:\ufeff]))(?:!|[&*][0-9A-Za-z_-])")
# libyaml composes nodes recursively in C: unbounded nesting would overflow the C stack (a
# crash, not an exception), around 30,000 levels with an 8 MiB stack. Block nesting is bounded
# by a line's indentation and its `- `/`? `/`: ` indicators, flow nesting by the number of
# brackets; past these bounds (about 6,000 levels at most) the event reader takes over.
_MAX_FLOW_OPENERS = 5000
_DEEP_BLOCK = re.compile(r"(?:[ \t]|[-?:][ \t]){500}")
_DEEP_LINE = re.compile(r"\n(?:[ \t]|[-?:][ \t]){500}")  # a literal first: a fast scan
_MAX_WALK_DEPTH = MAX_DEPTH - 1  # deeper: the event reader, which refuses past MAX_DEPTH


def _may_need_events(text: str) -> bool:
    """Whether composing nodes in C could lose something the event reader reports or crash.

    Composed nodes do not show an anchor that no alias uses, nor the non-specific tag `!`;
    such files, rare in the standards, are read event by event as before."""
    if ("!" in text or "&" in text or "*" in text) and _PROPERTY.search(text):
        return True
    if text.count("[") + text.count("{") > _MAX_FLOW_OPENERS:
        return True
    return _DEEP_BLOCK.match(text) is not None or _DEEP_LINE.search(text) is not None


class _Composer(_CParser):
    """libyaml's composer without PyYAML's resolver: every implicit tag becomes a `slice`
    (a C call, no Python frame per node), so an explicit tag stands out as a string."""

    descend_resolver = slice
    ascend_resolver = tuple
    resolve = slice


def _from_nodes(text: str, file: str) -> ParsedYaml:
    """The fast path: libyaml builds the node tree in C; one Python pass turns it into data.
    Positions are found by the event reader, on the first question about one."""
    composer = _Composer(text)
    try:
        root = composer.get_single_node()
    finally:
        composer.dispose()
    problems: list[Diagnostic] = []
    data = None if root is None else _Walker(file, problems).node(root, 0)
    return parsed_without_positions(text, file, data, problems, set())


def parsed_without_positions(
    text: str, file: str, data: Data, problems: list[Diagnostic], refused: set[Path]
) -> ParsedYaml:
    """A parse result whose node positions the event reader finds when first asked for."""
    located = functools.cache(lambda: _read_events(text, file)[1:])
    return ParsedYaml(
        data,
        NodePositions(lambda: located()[0]),
        NodePositions(lambda: located()[1]),
        problems,
        refused,
    )


class _Walker:
    """Composed nodes to data and key problems, exactly as the event reader makes them."""

    def __init__(self, file: str, problems: list[Diagnostic]) -> None:
        self.file = file
        self.problems = problems
        self.seen: set[int] = set()
        """Collections walked: one reached twice is an alias, which the scan before missed."""

    def node(self, node: yaml.Node, depth: int) -> Data:
        tag: object = node.tag
        if type(tag) is not slice or depth > _MAX_WALK_DEPTH:
            raise _NeedsEventsError
        kind = type(node)
        if kind is ScalarNode:
            value: str = node.value
            return resolve_plain(value) if cast(ScalarNode, node).style == "" else value
        if id(node) in self.seen:
            raise _NeedsEventsError
        self.seen.add(id(node))
        if kind is SequenceNode:
            return tuple([self.node(child, depth + 1) for child in node.value])
        mapping: dict[str, Data] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.problems.append(_key_not_text(self.at(key_node)))
                continue
            key_tag: object = key_node.tag
            if type(key_tag) is not slice:
                raise _NeedsEventsError
            key: str = key_node.value
            if key in mapping:
                self.problems.append(_duplicate_key(key, self.at(key_node), self.first(node, key)))
                continue
            mapping[key] = self.node(value_node, depth + 1)
        return mapping

    def at(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def first(self, mapping: yaml.Node, key: str) -> Location:
        for key_node, _ in mapping.value:
            if type(key_node) is ScalarNode and key_node.value == key:
                return self.at(key_node)
        raise AssertionError("a repeated key was written once before")


def _from_events(text: str, file: str) -> ParsedYaml:
    return _read_events(text, file)[0]


def _read_events(
    text: str, file: str
) -> tuple[ParsedYaml, dict[Path, Location], dict[Path, Location]]:
    """The exact reader: the parsed file, and the tables of its node and key positions."""
    positions: dict[Path, Location] = {}
    key_positions: dict[Path, Location] = {}
    result = ParsedYaml(None, NodePositions(positions), NodePositions(key_positions))
    parser = _Parser(text)
    try:
        _Builder(file, result, positions, key_positions).run(parser)
    except yaml.MarkedYAMLError as error:
        result.data = None
        result.problems.append(syntax_problem(error, text, file, _Parser))
    except yaml.reader.ReaderError as error:
        result.data = None
        line, column = line_column(text, error.position)
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
    return result, positions, key_positions


class _Builder:
    """Turns parser events into data with an explicit stack, so deep nesting cannot overflow
    Python's recursion limit."""

    def __init__(
        self,
        file: str,
        result: ParsedYaml,
        positions: dict[Path, Location],
        key_positions: dict[Path, Location],
    ) -> None:
        self.file = file
        self.result = result
        self.positions = positions
        self.key_positions = key_positions
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
                    self.value(data, self.positions[frame.path])
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
            self.result.problems.append(_key_not_text(location))
            top.pending_key = _SKIP
            self.stack.append(_Frame((), mapping, [], discard=True, is_key=True))
            return
        elif top.pending_key == _SKIP:
            self.stack.append(_Frame((), mapping, [], discard=True))
            return
        else:
            path = (*top.path, top.pending_key)
        self.positions[path] = location
        if getattr(event, "tag", None) not in (None, "!"):
            self.result.refused.add(path)
        self.stack.append(_Frame(path, mapping, []))

    def key(self, top: _Frame, text: str | None, location: Location) -> None:
        if top.discard or text is None:  # an alias as a key: already reported
            top.pending_key = _SKIP
            return
        path = (*top.path, text)
        first = self.key_positions.get(path)
        if first is not None:
            self.result.problems.append(_duplicate_key(text, location, first))
            top.pending_key = _SKIP
            return
        self.key_positions[path] = location
        top.pending_key = text

    def value(self, data: Data, location: Location, *, refused: bool = False) -> None:
        if not self.stack:
            self.result.data = data
            self.positions[()] = location
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
        self.positions.setdefault(path, location)
        if refused:
            self.result.refused.add(path)


def _key_not_text(location: Location) -> Diagnostic:
    return Diagnostic(
        Rule.WRONG_TYPE,
        location,
        "a key must be a plain word, not a list or a mapping",
        "Write the key as text followed by a colon, e.g. `title: …`.",
    )


def _duplicate_key(key: str, location: Location, first: Location) -> Diagnostic:
    return Diagnostic(
        Rule.DUPLICATE_KEY,
        location,
        f"`{key}` is written twice in this mapping (first at line {first.line})",
        "Keep one of the two: YAML would silently use only the last one.",
    )


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
