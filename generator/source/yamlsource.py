"""Strict YAML: one file's text to JSON-like data plus the position of every node.

Policy owners are not programmers, and YAML's conveniences are its traps: `no` silently becoming
`False`, `2026-01-05` becoming a date object, `0755` an octal number, a copied key quietly
overriding the first, an alias making one edit change two rules. So this reader builds the data
from parser events itself and refuses every such feature with a located diagnostic:

- anchors and aliases are errors (they also stop "billion laughs" expansion);
- tags (`!!python/object`, even `!!str`) are errors: nothing is ever constructed from YAML;
- a key written twice in one mapping is an error that names the first occurrence, and a key
  must be text: a list, a mapping or nothing at all (`: value`) in its place is an error;
- one document per file; nesting deeper than `MAX_DEPTH` levels is an error;
- plain scalars follow the JSON subset only: `null`/`~`/empty, `true`/`false`, JSON-shaped
  numbers; everything else, dates and `yes`/`no`/`0755` included, stays a string for the
  schema to type. A number too large for a float (`1e999`) is an error: JSON has no infinity.

Sequences become tuples so that the model built from the data is immutable all the way down.

libyaml reads YAML 1.1, and lets through some text that YAML forbids or means otherwise. The
reader finds it: lines of a quoted text or of brackets that are not indented under their field
(here), a comment glued to a value, and `?` or a lone `-` inside brackets
(`yamlgaps.py`); a last line of spaces without a line break, which libyaml drops from
a block text, gets its line break. What libyaml refuses although YAML allows it stays refused,
in plain words (`yamlerrors.py`): a tab in the indentation or between items (editors
show a tab at any width, so a reader could not see the structure the parser sees), a directive
other than `%YAML` and `%TAG`, inside brackets a colon right before a comma, a text starting
with `:` or a key whose colon stands on another line, a block text right after `---` that is
not indented, and a `...` with no document before it. `tests/test_yaml_test_suite.py` holds the
reader to yaml-test-suite.

Most files use none of those features. For them libyaml composes the node tree in C and one
Python pass turns it into data, and where each node stands is worked out only when a step
asks (reading a position for every node costs as much as the parse itself). Any file that
might hold an anchor, a tag or very deep nesting, that the pass finds a problem in, or that
fails to parse, is read event by event instead, which words every problem.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import cast

import yaml
from yaml.nodes import CollectionNode, ScalarNode, SequenceNode

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Location, NodePositions
from generator.source import yamlgaps
from generator.source.yamlerrors import line_column, syntax_problem

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
_SHORT_INT = 300
"""Fewer characters than this, and a plain integer surely fits a float."""
_LONGEST_INT = 310
"""Characters of a plain integer that may still fit a float (its sign and 309 digits); a longer
one does not, and Python would refuse to read one of 4,300 digits at all."""


@dataclass
class ParsedYaml:
    """The data of one file, where each node was written, and what was wrong with it."""

    data: Data
    positions: NodePositions = field(default_factory=lambda: NodePositions({}))
    key_positions: NodePositions = field(default_factory=lambda: NodePositions({}))
    problems: list[Diagnostic] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)
    """Nodes already reported (aliases, tagged values): the schema need not complain again."""


class _NeedsEventsError(Exception):
    """The file needs the event reader: a tag, nesting deeper than the walker takes, or a
    problem that the event reader locates and words."""


class _NumberTooLargeError(_NeedsEventsError):
    """A plain number that no float holds: read as infinity, it would make the JSON export
    invalid JSON."""


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
        return int(text) if len(text) < _SHORT_INT else _long_int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        if math.isinf(number):
            raise _NumberTooLargeError
        return number
    return text


def _long_int(text: str) -> int:
    if len(text) > _LONGEST_INT:
        raise _NumberTooLargeError
    number = int(text)
    try:
        float(number)
    except OverflowError:
        raise _NumberTooLargeError from None
    return number


def _readable(text: str) -> str:
    """The text as libyaml reads it right. It drops a last line of spaces that has no line
    break (a block text's last empty line, which YAML keeps): given its line break, the line
    is read as YAML says. A byte-order mark at the start goes: libyaml skips it anyway."""
    if text.startswith("\ufeff"):  # libyaml does not count it: positions would be off by one
        text = text[1:]
    if text.endswith(" ") and not text[text.rfind("\n") + 1 :].strip(" "):
        return text + "\n"
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
    indent: int = -1
    """The column of the innermost block mapping or list around the children (-1: none)."""
    in_brackets: bool = False
    flow_start: int = -1
    """Where the outermost bracketed list or mapping starts (index, line): its end checks all
    its lines."""
    flow_line: int = -1

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
    text = _readable(text)
    composer = _Composer(text)
    try:
        root = composer.get_single_node()
    finally:
        composer.dispose()
    problems: list[Diagnostic] = []
    data = None if root is None else _Walker(text, file, problems).node(root, 0, -1)
    if yamlgaps.problems(text, file, _Parser):
        raise _NeedsEventsError
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
    """Composed nodes to data and key problems, exactly as the event reader makes them. What
    the event reader refuses besides (a misplaced line, a key missing, a number too large) the
    walker only notices, and hands the file over to it."""

    def __init__(self, text: str, file: str, problems: list[Diagnostic]) -> None:
        self.text = text
        self.file = file
        self.problems = problems
        self.seen: set[int] = set()
        """Collections walked: one reached twice is an alias, which the scan before missed."""

    def node(self, node: yaml.Node, depth: int, indent: int) -> Data:
        """`indent`: the column of the innermost block mapping or list holding the node."""
        tag: object = node.tag
        if type(tag) is not slice or depth > _MAX_WALK_DEPTH:
            raise _NeedsEventsError
        kind = type(node)
        if kind is ScalarNode:
            value: str = node.value
            style: str = cast(ScalarNode, node).style
            if style == "":
                return resolve_plain(value)
            start, end = node.start_mark, node.end_mark
            if (start.line != end.line or not value) and _scalar_misfit(
                self.text, style, value, start.index, end.index, indent
            ) is not None:
                raise _NeedsEventsError
            return value
        if id(node) in self.seen:
            raise _NeedsEventsError
        self.seen.add(id(node))
        start = node.start_mark
        if not cast(CollectionNode, node).flow_style:
            inner = start.column
        else:
            end = node.end_mark
            multiline = start.line != end.line
            if multiline and misfit_line(self.text, start.index, end.index, indent) is not None:
                raise _NeedsEventsError
            inner = -1  # the lines of the brackets are all checked above
        if kind is SequenceNode:
            return tuple([self.node(child, depth + 1, inner) for child in node.value])
        mapping: dict[str, Data] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.problems.append(_key_not_text(self.at(key_node)))
                continue
            key_tag: object = key_node.tag
            if type(key_tag) is not slice:
                raise _NeedsEventsError
            key: str = key_node.value
            if not key and key_node.style == "":
                raise _NeedsEventsError
            if key in mapping:
                self.problems.append(_duplicate_key(key, self.at(key_node), self.first(node, key)))
                continue
            mapping[key] = self.node(value_node, depth + 1, inner)
        return mapping

    def at(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def first(self, mapping: yaml.Node, key: str) -> Location:
        for key_node, _ in mapping.value:
            if type(key_node) is ScalarNode and key_node.value == key:
                return self.at(key_node)
        raise AssertionError("a repeated key was written once before")


def _scalar_misfit(
    text: str, style: str, value: str, start: int, end: int, indent: int
) -> int | None:
    """Where a quoted or block text (`style`, written from `start` to `end`) breaks what
    libyaml does not check, if it does: a line of a quoted text not indented under its field,
    or blank lines at the start of an empty block text deeper than the comment after it."""
    if style == '"' or style == "'":
        return misfit_line(text, start, end, indent, closing="")
    if value and (value[0] != "\n" or value.strip("\n")):
        return None
    return _blank_lines_too_deep(text, start, end, indent)


def misfit_line(text: str, start: int, end: int, indent: int, closing: str = "]}") -> int | None:
    """Where the first line after the first of a quoted text or bracketed list (from `start`
    to `end`) starts that is not indented more than `indent`, the column of the block mapping
    or list holding it: YAML needs every such line deeper, as the editor's YAML checker does,
    libyaml does not check. Blank lines are free; inside brackets comment lines are too, and a
    line that starts with a closing bracket may stand at `indent` itself."""
    line = text.find("\n", start, end)
    while line != -1:
        first = line + 1
        while first < end and text[first] == " ":
            first += 1
        spaces = first - line - 1
        rest = first
        while rest < end and text[rest] in " \t\r":
            rest += 1
        char = text[rest] if rest < end else "\n"
        free = char == "\n" or (closing != "" and char == "#")  # blank, or a comment in brackets
        if not free and spaces < (indent if char in closing else indent + 1):
            return first
        line = text.find("\n", first, end)
    return None


def _blank_lines_too_deep(text: str, start: int, end: int, indent: int) -> int | None:
    """A block text (`|`, `>`) with no text and no indentation digit takes its indentation
    from its first line that is not blank: a comment after the blank lines, indented deeper
    than the field but less than a blank line before it, is that first line for YAML, and
    the blank lines are too deep for it. libyaml ends the text before it instead. Returns
    where the comment starts."""
    header_end = text.find("\n", start, end)
    if header_end == -1 or any(mark.isdigit() for mark in text[start + 1 : start + 3]):
        return None  # `|2`, `>-1`: the indentation is given, not taken from a line
    deepest = max(len(line) for line in text[header_end + 1 : end].split("\n"))
    after = end
    while after < len(text) and text[after] == " ":
        after += 1
    spaces = after - end
    if text.startswith("#", after) and indent < spaces < deepest:
        return after
    return None


def _from_events(text: str, file: str) -> ParsedYaml:
    text = _readable(text)
    parsed = _read_events(text, file)[0]
    found = yamlgaps.problems(text, file, _Parser)
    if found:
        parsed.data = None
        parsed.problems.extend(found)
    return parsed


def _read_events(
    text: str, file: str
) -> tuple[ParsedYaml, dict[Path, Location], dict[Path, Location]]:
    """The exact reader: the parsed file, and the tables of its node and key positions."""
    text = _readable(text)
    positions: dict[Path, Location] = {}
    key_positions: dict[Path, Location] = {}
    result = ParsedYaml(None, NodePositions(positions), NodePositions(key_positions))
    parser = _Parser(text)
    try:
        builder = _Builder(text, file, result, positions, key_positions)
        builder.run(parser)
        if builder.misfits:
            result.data = None
            result.problems.extend(builder.misfits)
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
        text: str,
        file: str,
        result: ParsedYaml,
        positions: dict[Path, Location],
        key_positions: dict[Path, Location],
    ) -> None:
        self.text = text
        self.file = file
        self.result = result
        self.positions = positions
        self.key_positions = key_positions
        self.stack: list[_Frame] = []
        self.misfits: list[Diagnostic] = []
        """Lines that break what YAML allows and libyaml does not check. If the parser stops
        at an error, that error alone is reported; if not, these are, and the file gives no
        data, as for any other syntax error."""

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
                text = event.value
                plain = event.implicit[0] and event.tag is None
                if top is not None and top.mapping is not None and top.pending_key is None:
                    self.key(top, text, location, missing=not text and plain)
                elif plain:
                    try:
                        self.value(resolve_plain(text), location)
                    except _NumberTooLargeError:
                        self.too_large(text, location, top)
                else:
                    end = event.end_mark
                    assert end is not None
                    if (end.line != mark.line or not text) and event.style:
                        self.check_scalar(event, top)
                    self.value(text, location, refused=event.tag not in (None, "!"))
                continue
            if kind in ends:
                frame = stack.pop()
                if frame.flow_line >= 0 and frame.flow_line != mark.line:
                    self.check_lines(frame, event)
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
                self.open(cast(yaml.CollectionStartEvent, event), location, top)

    def too_large(self, text: str, location: Location, top: _Frame | None) -> None:
        if not _dropped(top):
            self.result.problems.append(_number_too_large(text, location))
        self.value(None, location, refused=True)

    def check_scalar(self, event: yaml.ScalarEvent, top: _Frame | None) -> None:
        """A quoted or block text outside brackets (the outermost brackets check every line
        of them)."""
        style, start, end = event.style, event.start_mark, event.end_mark
        assert style is not None and start is not None and end is not None
        if _dropped(top) or (top is not None and top.in_brackets):
            return
        indent = top.indent if top is not None else -1
        found = _scalar_misfit(self.text, style, event.value, start.index, end.index, indent)
        if found is None:
            return
        opened = start.line + 1
        if style in "|>":
            self.misfit(found, _comment_above_blank_lines(opened))
        else:
            self.misfit(found, _misplaced_line("the quoted text", opened, indent))

    def check_lines(self, frame: _Frame, end: yaml.Event) -> None:
        assert end.end_mark is not None
        found = misfit_line(self.text, frame.flow_start, end.end_mark.index, frame.indent)
        if found is not None:
            what = "the list in brackets" if frame.mapping is None else "the fields in braces"
            opened = frame.flow_line + 1
            self.misfit(found, _misplaced_line(what, opened, frame.indent))

    def misfit(self, index: int, words: tuple[str, str]) -> None:
        line, column = line_column(self.text, index)
        if self.text.startswith("\t", index):
            message = words[0].replace("is not indented", "is indented with a tab")
        else:
            message = words[0]
        self.misfits.append(
            Diagnostic(Rule.YAML_SYNTAX, Location(self.file, line, column), message, words[1])
        )

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

    def open(
        self, event: yaml.CollectionStartEvent, location: Location, top: _Frame | None
    ) -> None:
        mapping: dict[str, Data] | None = {} if isinstance(event, yaml.MappingStartEvent) else None
        if top is None:
            path: Path = ()
        elif top.discard or top.pending_key == _SKIP:
            self.stack.append(_Frame((), mapping, [], discard=True, in_brackets=True))
            return
        elif top.mapping is None:
            path = (*top.path, len(top.items))
        elif top.pending_key is None:
            self.result.problems.append(_key_not_text(location))
            top.pending_key = _SKIP
            self.stack.append(_Frame((), mapping, [], discard=True, is_key=True, in_brackets=True))
            return
        else:
            path = (*top.path, top.pending_key)
        self.positions[path] = location
        if getattr(event, "tag", None) not in (None, "!"):
            self.result.refused.add(path)
        if not event.flow_style:
            frame = _Frame(path, mapping, [], indent=location.column - 1)
        elif top is not None and top.in_brackets:
            frame = _Frame(path, mapping, [], indent=top.indent, in_brackets=True)
        else:  # the outermost brackets: their end checks every line of them
            assert event.start_mark is not None
            indent = top.indent if top is not None else -1
            frame = _Frame(path, mapping, [], indent=indent, in_brackets=True)
            frame.flow_start, frame.flow_line = event.start_mark.index, event.start_mark.line
        self.stack.append(frame)

    def key(
        self, top: _Frame, text: str | None, location: Location, *, missing: bool = False
    ) -> None:
        if top.discard or text is None:  # an alias as a key: already reported
            top.pending_key = _SKIP
            return
        if missing:
            self.result.problems.append(_key_missing(location))
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


def _dropped(top: _Frame | None) -> bool:
    """Whether a value goes with a key already refused (written twice, not text): the node
    walker never looks at such a value, and the event reader reports nothing in it either."""
    return top is not None and (top.discard or top.pending_key == _SKIP)


def _key_not_text(location: Location) -> Diagnostic:
    return Diagnostic(
        Rule.WRONG_TYPE,
        location,
        "a key must be a plain word, not a list or a mapping",
        "Write the key as text followed by a colon, e.g. `title: …`.",
    )


def _key_missing(location: Location) -> Diagnostic:
    return Diagnostic(
        Rule.WRONG_TYPE,
        location,
        "a field name is missing before the colon",
        "Write the field's name before `:` (for example `title: …`), or delete the line.",
    )


def _number_too_large(text: str, location: Location) -> Diagnostic:
    shown = f"`{text}`" if len(text) <= 24 else f"`{text[:20]}…` ({len(text)} characters)"
    quoted = f": `'{text}'`" if len(text) <= 24 else ""
    return Diagnostic(
        Rule.WRONG_TYPE,
        location,
        f"the number {shown} is too large to be stored",
        f"Write a smaller number; if it is meant as text, put it in quotes{quoted}.",
    )


def _misplaced_line(what: str, opened: int, indent: int) -> tuple[str, str]:
    """The words for a line of a quoted text or of brackets that is not indented under its
    field (`indent`: the column of the field's mapping or list, counted from 0)."""
    deeper = f"at least {indent + 1} space{'s' if indent else ''}"
    return (
        f"this line continues {what} that starts on line {opened}, but is not indented",
        f"Indent the line with {deeper}, deeper than the field it belongs to, or write "
        f"{what} on one line.",
    )


def _comment_above_blank_lines(opened: int) -> tuple[str, str]:
    return (
        f"this comment is indented less than the blank lines above it, which YAML reads as the "
        f"start of the text under `|` or `>` on line {opened}",
        "Remove the spaces from the blank lines above, or move the comment to the start of "
        "its line.",
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
