"""Where a YAML syntax error really is, said in the words of the person who made it.

libyaml stops at the first thing it cannot read and says so in its own terms ("could not find
expected ':'", "mapping values are not allowed here", "while scanning a quoted scalar") at the
place it stopped: often the line after the mistake, and for a quote left open the end of the
file, hundreds of lines later. A policy owner needs the line they got wrong and what to write
there instead.

So an error is explained from the text and from what the parser read before it stopped. The
explanations are tried from the most certain to the least (a merge-conflict marker explains
anything after it; a key written `key:value` explains a colon that libyaml finds out of place
on the next line), and the first that fits is reported, at the place it names: the conflict
marker, the opening quote or bracket, the colon without a space, the first character of a line
indented off its siblings. Whatever no explanation fits is still reported where libyaml
stopped, in plain words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import yaml

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Location


class _Events(Protocol):
    def get_event(self) -> yaml.Event | None: ...

    def dispose(self) -> None: ...


def line_column(text: str, index: int) -> tuple[int, int]:
    """The line and column (from 1) of a character of `text`, as an editor counts them."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


class _Found(NamedTuple):
    at: int
    message: str
    hint: str
    rule: Rule = Rule.YAML_SYNTAX


@dataclass(frozen=True)
class _Error:
    """One syntax error of libyaml's, with the text it was found in."""

    text: str
    problem: str
    context: str
    at: int
    """Where libyaml stopped."""
    opened: int | None
    """Where the construct it was reading started (a quote, a bracket, a key), if it says."""
    parser: Callable[[str], _Events]

    @functools.cached_property
    def events(self) -> tuple[yaml.Event, ...]:
        """What the parser read before it stopped."""
        read: list[yaml.Event] = []
        events = self.parser(self.text)
        try:
            while (event := events.get_event()) is not None:
                read.append(event)
        except yaml.YAMLError:
            pass
        finally:
            events.dispose()
        return tuple(read)

    @functools.cached_property
    def read(self) -> tuple[yaml.Event, ...]:
        """What the parser read before it stopped, without the lists and mappings it ended
        at the very place it stopped (a line indented less ends them first)."""
        end = len(self.events)
        while end and _ends(self.events[end - 1]):
            end -= 1
        return self.events[:end]

    def scalar(self, back: int = 1) -> yaml.ScalarEvent | None:
        """The text read `back` steps before the error (not counting the ends of lists and
        mappings), if that was a text."""
        for event in reversed(self.read):
            if not _ends(event):
                back -= 1
                if not back:
                    return event if isinstance(event, yaml.ScalarEvent) else None
        return None

    @property
    def last_scalar(self) -> yaml.ScalarEvent | None:
        """The value read last before the error, if the last thing read was a value."""
        return self.scalar()

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line(self, index: int) -> str:
        """The line that holds `index`, without its line break."""
        start = self.line_start(index)
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end == -1 else end].rstrip("\r")

    def line_number(self, index: int) -> int:
        return self.text.count("\n", 0, index) + 1


def syntax_problem(
    error: yaml.MarkedYAMLError, text: str, file: str, parser: Callable[[str], _Events]
) -> Diagnostic:
    """libyaml's error, located where the mistake is and said in plain words."""
    mark = error.problem_mark or error.context_mark
    at = min(mark.index, len(text)) if mark is not None else 0
    opened = error.context_mark.index if error.context_mark is not None else None
    problem = _Error(text, error.problem or "", error.context or "", at, opened, parser)
    for explain in _EXPLANATIONS:
        found = explain(problem)
        if found is not None:
            break
    else:
        found = _unexplained(problem)
    line, column = line_column(text, found.at)
    return Diagnostic(found.rule, Location(file, line, column), found.message, found.hint)


# --- the explanations, from the most certain to the least ---------------------------------

_CONFLICT = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?=[ \t\r\n]|$)", re.MULTILINE)


def _conflict_marker(error: _Error) -> _Found | None:
    """A merge that git could not finish leaves its markers in the file; whatever libyaml
    says, they are the mistake."""
    found = _CONFLICT.search(error.text)
    if found is None:
        return None
    return _Found(
        found.start(),
        f"a merge-conflict marker `{found.group(1)}` is left in the file",
        "Git wrote both versions of the lines it could not merge between `<<<<<<<`, "
        "`=======` and `>>>>>>>` (and `|||||||`): keep the lines you want and delete the "
        "marker lines.",
    )


def _tab(error: _Error) -> _Found | None:
    text, at = error.text, error.at
    if not text.startswith("\t", at):
        if "tab" not in error.problem:
            return None
        at = text.find("\t", error.line_start(at))
        if at == -1:
            return None
    return _Found(
        at,
        "a tab character is used where YAML expects spaces",
        "Indent with spaces only (two per level); set your editor to insert spaces for Tab.",
        Rule.TAB_INDENT,
    )


def _quote_left_open(error: _Error) -> _Found | None:
    """libyaml reads an open quote to the end of the file (or to a `---` line) before it
    complains: the mistake is the quote."""
    if "quoted scalar" not in error.context or error.opened is None:
        return None
    if "end of stream" not in error.problem and "document indicator" not in error.problem:
        return None
    quote = error.text[error.opened]
    if "document indicator" in error.problem:
        return _Found(
            error.opened,
            f"the quote {quote} opened here runs into the `---` or `...` line "
            f"{error.line_number(error.at)}",
            f"End the text with {quote} before that line; inside a quoted text no line may "
            "start with `---` or `...`.",
        )
    return _Found(
        error.opened,
        f"the quote {quote} opened here is never closed",
        f"End the text with {quote}, on the same line: "
        f"`{_excerpt(error.line(error.opened).strip())}{quote}`.",
    )


_YAML_LINE = re.compile(r"^[ \t]*(?:-(?:[ \t]|$)|[^\s\"'#:-][^:#]*:(?:[ \t]|$))", re.MULTILINE)
"""A line that looks like a field (`name: …`) or a list item (`- …`)."""


def _quote_runs_on(error: _Error) -> _Found | None:
    """A quote closed only on a later line (by the next quote in the file) swallowed the
    lines between, which look like fields or list items: the mistake is the first quote."""
    scalar = error.last_scalar
    if scalar is None or scalar.style not in ('"', "'"):
        return None
    start, end = _start(scalar), _end(scalar)
    first_line_end = error.text.find("\n", start, end)
    if first_line_end == -1 or not _YAML_LINE.search(error.text, first_line_end + 1, end):
        return None
    quote = error.text[start]
    return _Found(
        start,
        f"the quote {quote} opened here is not closed on its line, so the text runs on to "
        f"line {error.line_number(end)}",
        f"End the text with {quote} on this line: `{_excerpt(error.line(start).strip())}{quote}`"
        + (
            "; inside '…' an apostrophe is written twice (`''`)."
            if quote == "'"
            else '; a " inside the text is written `\\"`.'
        ),
    )


def _text_after_quote(error: _Error) -> _Found | None:
    """Text after the quote or bracket that closes a value, on the same line."""
    if not error.events:
        return None
    last = error.events[-1]
    end, at = _end(last), error.at
    closer = error.text[end - 1 : end]
    quoted = isinstance(last, yaml.ScalarEvent) and last.style in ('"', "'")
    if not quoted and not (_ends(last) and closer in ("]", "}")):
        return None
    if not (end <= at < len(error.text) and error.text[end:at].strip(" \t") == ""):
        return None
    if error.text[at] in "\r\n#":
        return None
    if not quoted:
        what = "a list in brackets ends" if closer == "]" else "fields in braces end"
        return _Found(
            at,
            f"text after the closing `{closer}`: {what} with the `{closer}`",
            "Put the text inside the brackets, or remove it.",
        )
    if closer == "'" and at == end and error.text[at].isalpha():
        hint = (
            "Inside '…' an apostrophe is written twice (`customer''s`), or put the text in "
            'double quotes: `"the customer\'s name"`.'
        )
    else:
        hint = f"Put the whole value inside the quotes, or remove the quotes: `{closer}…{closer}`."
    return _Found(
        at, f"text after the closing quote {closer}: a quoted value ends with its quote", hint
    )


_GLUED = re.compile(r"[ \t]*(?:-[ \t]+)*([^\W\d][\w.-]*):(?=[^\s:/])")


def _glued_colon(error: _Error) -> _Found | None:
    """`key:value` is no field for YAML: a colon needs a space after it. libyaml reads text,
    and complains on the next line or at the next colon."""
    places = [error.at]
    if error.opened is not None:
        places.insert(0, error.opened)
    scalar = error.last_scalar
    if scalar is not None and scalar.style == "" and _end(scalar) >= error.at - 1:
        places.insert(0, _start(scalar))
    for place in places:
        start = error.line_start(place)
        found = _GLUED.match(error.text, start, start + 200)
        if found is not None:
            colon = found.end(1)
            value = re.match(r"[^\s,#]*", error.text[colon + 1 : colon + 40])
            written = f"{found.group(1)}:{value.group() if value else ''}"
            fixed = written.replace(":", ": ", 1)
            return _Found(
                colon,
                f"`{_excerpt(written)}` needs a space after the colon",
                f"Write `{_excerpt(fixed)}`: YAML reads a field only where `: ` has a space.",
            )
    return None


_KEY_ALONE = re.compile(r"[ \t]*(?:-[ \t]+)*([^\s:#\"'][^:#]*?)[ \t]*(?:#.*)?$")


def _missing_colon(error: _Error) -> _Found | None:
    """A line of text where a field was expected: libyaml notices the missing colon only at
    the next line."""
    if "could not find expected ':'" in error.problem and error.opened is not None:
        start: int | None = error.opened
    else:
        start = _bare_word_run_on(error)
    if start is None:
        return None
    line = error.line(start)
    found = _KEY_ALONE.match(line)
    written = found.group(1) if found else line.strip()
    name, _, rest = written.partition(" ")
    fixed = f"{name}: {rest}" if rest else f"{name}: …"
    return _Found(
        start,
        f"`{_excerpt(written)}` has no colon: a field is written `name: value`",
        f"Write `{_excerpt(fixed)}`. If the line continues the text of the line above, indent "
        "it deeper than that field's name.",
    )


def _bare_word_run_on(error: _Error) -> int | None:
    """Where a single word without a colon (`norms`) starts a line whose next line libyaml
    then read as more of the same text, finding a colon there."""
    scalar = error.last_scalar
    if scalar is None or scalar.style != "" or "mapping values" not in error.problem:
        return None
    start = _start(scalar)
    before = error.text[error.line_start(start) : start]
    first_line = error.line(start)[len(before) :]
    if before.strip(" \t-") or not re.fullmatch(r"[^\W\d][\w.-]*[ \t]*", first_line):
        return None
    if error.line_number(error.at) == error.line_number(start):
        return None
    return start


def _brackets(error: _Error) -> _Found | None:
    """Lists in brackets and fields in braces: one left open, a comma missing, a colon that
    YAML and libyaml read differently there."""
    in_brackets = "flow" in error.context or "flow" in error.problem
    if not in_brackets and "unexpected ':'" not in error.problem:
        return None
    text, at = error.text, error.at
    char = text[at] if at < len(text) else ""
    if "expected ','" in error.problem and error.opened is not None:
        unclosed = _never_closed(error, error.opened)
        if unclosed is not None:
            return unclosed
        opener, closer = text[error.opened], "]" if text[error.opened] == "[" else "}"
        if char in ("]", "}") and char != closer:
            return _Found(
                at,
                f"`{char}` does not close the `{opener}` opened on line "
                f"{error.line_number(error.opened)}",
                "A list in brackets ends with `]`, fields in braces with `}`.",
            )
    if char == ":" and "unexpected ':'" in error.problem:
        return _Found(
            at,
            "inside brackets a colon must be followed by a space",
            "Put a space after the colon, or put the text in quotes: `'…'`.",
        )
    scalar = error.last_scalar
    if (
        char == ":"
        and scalar is not None
        and "expected ','" in error.problem
        and error.line_number(_start(scalar)) < error.line_number(at)
    ):
        return _Found(
            at,
            "inside brackets a key and its colon must stand on one line",
            "Write the key, the colon and a space on one line: `{title: …}`.",
        )
    if char == ":":
        return _Found(
            at,
            "inside brackets a text cannot start with `:` or hold `: `",
            "Put the text in quotes: `'…'`.",
        )
    if char == ",":
        return _Found(
            at,
            "an item is missing between two commas",
            "Remove one of the commas, or write the missing item.",
        )
    if "expected ','" in error.problem:
        return _Found(
            at,
            "a comma is missing before this item",
            "Separate the items in brackets with `, `; an item that holds a comma or a colon "
            "goes in quotes.",
        )
    return None


def _never_closed(error: _Error, opened: int) -> _Found | None:
    """libyaml reads on after an unclosed bracket until the next line that cannot belong to
    the list: a field or a list item no deeper than the line of the bracket, or the end of
    the file."""
    at = error.at
    opener = error.text[opened]
    closer = "]" if opener == "[" else "}"
    if error.line_number(at) == error.line_number(opened):
        return None
    if at < len(error.text):
        line, opening_line = error.line(at), error.line(opened)
        deeper = len(line) - len(line.lstrip(" ")) > len(opening_line) - len(opening_line.lstrip())
        if deeper or not _YAML_LINE.match(error.text, error.line_start(at)):
            return None
    example = "[VAL-001, VAL-002]" if opener == "[" else "{en: …, ru: …}"
    return _Found(
        opened,
        f"the `{opener}` opened here is never closed",
        f"Close it with `{closer}`, as in `{example}`.",
    )


_BLOCK_HEADER = re.compile(r"(?:^|[ \t])([|>][1-9+-]{0,2})[ \t]*(?:#.*)?$")


def _unindented_block_text(error: _Error) -> _Found | None:
    """The lines of a text must be indented deeper than its field, and those of a text under
    `|` or `>` not less than the blank lines before its first line; a line that is not ends
    the text, and libyaml reads it as a field or as stray text."""
    at = error.opened if "simple key" in error.context and error.opened else error.at
    start = error.line_start(at)
    before = error.text[:start].rstrip()
    if not before:
        return None
    header = _BLOCK_HEADER.search(error.line(len(before) - 1))
    if header is not None:
        return _first_line_of_block_text(error, start, len(before), header.group(1))
    return _text_continued_unindented(error, start, error.last_scalar)


def _first_line_of_block_text(error: _Error, start: int, header_end: int, mark: str) -> _Found:
    header_line = error.line_number(header_end - 1)
    header = error.line(header_end - 1)
    line = error.line(start)
    indent = len(line) - len(line.lstrip(" "))
    if indent <= len(header) - len(header.lstrip(" ")):
        return _Found(
            start + indent,
            f"the text under `{mark}` (line {header_line}) is not indented",
            "Indent every line of the text deeper than its field, two spaces are usual.",
        )
    blank = error.text.find("\n", header_end) + 1
    while blank < start and len(error.line(blank)) <= indent:
        blank = error.text.find("\n", blank) + 1
    return _Found(
        blank,
        f"this blank line has more spaces than the first line of the text under `{mark}` "
        f"(line {header_line}), which YAML does not allow",
        "Remove the spaces from the blank lines at the start of the text.",
    )


def _text_continued_unindented(
    error: _Error, start: int, scalar: yaml.ScalarEvent | None
) -> _Found | None:
    """A line that goes on with the text above it (`scalar`: a text under `|` or `>`, or one
    written over several lines) but is indented less than that text's field: the text ended
    before it, and libyaml reads it as a field without a colon."""
    if scalar is None or error.text[_end(scalar) : start].strip():
        return None
    opened = _start(scalar)
    block = scalar.style in ("|", ">")
    if not block and error.line_number(opened) == error.line_number(_end(scalar)):
        return None
    line = error.line(start)
    if _YAML_LINE.match(line) and not block:
        return None
    text = f"the text under `{error.line(opened).split()[-1]}`" if block else "the text"
    return _Found(
        start + len(line) - len(line.lstrip(" ")),
        f"this line is indented less than {text} that starts on line "
        f"{error.line_number(opened)}, which it seems to continue",
        "Indent it like the lines of that text; if it starts a new field, write `name: value`.",
    )


@dataclass(frozen=True)
class _Block:
    """A mapping or list written by indentation, as the parser had it open."""

    column: int
    start: int
    is_list: bool


def _open_blocks(error: _Error, line_start: int) -> list[_Block]:
    """The mappings and lists written by indentation that were open just before the line at
    `line_start`: still open when the parser stopped, or ended by that line."""
    open_: list[_Block] = []
    ended: list[_Block] = []
    for event in error.events:
        if isinstance(event, yaml.CollectionStartEvent) and not event.flow_style:
            is_list = isinstance(event, yaml.SequenceStartEvent)
            open_.append(_Block(_column(event), _start(event), is_list))
        elif isinstance(event, yaml.CollectionStartEvent):
            open_.append(_Block(-1, _start(event), False))
        elif isinstance(event, yaml.CollectionEndEvent) and open_:
            block = open_.pop()
            if block.column >= 0 and _start(event) >= line_start:
                ended.append(block)
    return [block for block in open_ + ended if block.column >= 0]


_ITEM = re.compile(r"[ \t]*-(?=\s|$)")


def _indentation(error: _Error) -> _Found | None:
    """A line indented off the fields or list items it belongs with: libyaml says what it
    expected there (a key, a `-`, the end of something), at that line or at the next colon."""
    if not any(
        words in error.problem
        for words in ("expected key", "'-' indicator", "block end", "mapping values", "document")
    ):
        return None
    text = error.text
    start = error.line_start(error.at)
    column = len(error.line(start)) - len(error.line(start).lstrip(" "))
    first = start + column
    if "mapping values" in error.problem:
        return _too_deep(error, first, column)
    is_item = _ITEM.match(text, start) is not None
    blocks = [b for b in _open_blocks(error, start) if b.is_list == is_item and b.start < start]
    if not blocks or any(block.column == column for block in blocks):
        return None
    sibling = min(blocks, key=lambda block: (abs(block.column - column), -block.column))
    if sibling is blocks[0] and sibling.column > column and column == 0:
        return _Found(
            sibling.start,
            "the file's first line is indented",
            "Start the top-level fields at column 1, without spaces before them.",
        )
    return _off_siblings(error, first, column, sibling, is_item)


def _too_deep(error: _Error, first: int, column: int) -> _Found | None:
    """A field indented deeper than the one above it, which libyaml reads as more of that
    field's text until the colon."""
    scalar = error.last_scalar
    if (
        scalar is None
        or scalar.style != ""
        or error.line_number(_start(scalar)) == (error.line_number(error.at))
    ):
        return None
    key = error.scalar(2)
    if key is None or _column(key) >= column:
        return None
    key_line = error.line_start(_start(key))
    if re.search(r"\s", key.value):  # no field name: a line of text that lost its indentation
        found = _text_continued_unindented(error, key_line, error.scalar(3))
        if found is not None:
            return found
    if not _YAML_LINE.match(error.text, error.line_start(first)):
        return None
    if _first_of_its_mapping(error, key) and _next_indentation(error, first) == column:
        # The fields after agree with this line: the first field is the one that is off.
        block = _Block(column, first, is_list=False)
        return _off_siblings(error, _start(key), _column(key), block, is_item=False)
    block = _Block(_column(key), _start(key), is_list=False)
    return _off_siblings(error, first, column, block, is_item=False)


def _first_of_its_mapping(error: _Error, key: yaml.ScalarEvent) -> bool:
    at = error.read.index(key)
    return at > 0 and isinstance(error.read[at - 1], yaml.MappingStartEvent)


def _next_indentation(error: _Error, index: int) -> int | None:
    """How deep the next line after the one at `index` that is not blank is indented."""
    line_end = error.text.find("\n", index)
    while line_end != -1:
        line = error.line(line_end + 1)
        if line.strip():
            return len(line) - len(line.lstrip(" "))
        line_end = error.text.find("\n", line_end + 1)
    return None


def _off_siblings(error: _Error, first: int, column: int, sibling: _Block, is_item: bool) -> _Found:
    kind = "list items" if is_item else "fields"
    name = _excerpt(error.line(first).strip(), 30)
    nearest = _nearest_sibling(error, error.line_start(first), sibling)
    sibling_line = error.line(nearest)
    sibling_name = _excerpt(sibling_line[nearest - error.line_start(nearest) :], 30)
    return _Found(
        first,
        f"this line starts at column {column + 1}, but the {kind} it belongs with start at "
        f"column {sibling.column + 1} (`{sibling_name}`, line {error.line_number(nearest)})",
        f"Start `{name}` at column {sibling.column + 1}, lined up with `{sibling_name}`: "
        "YAML tells by the indentation what belongs together.",
    )


def _nearest_sibling(error: _Error, line_start: int, block: _Block) -> int:
    """Where the last entry of `block` before the line at `line_start` starts."""
    text, start = error.text, line_start
    while start > block.start:
        start = text.rfind("\n", 0, start - 1) + 1
        line = error.line(start)
        if len(line) - len(line.lstrip(" ")) == block.column and line.strip():
            entry = start + block.column
            if text.startswith("-", entry) == block.is_list and not text.startswith("#", entry):
                return max(entry, block.start)
    return block.start


def _misplaced_dash(error: _Error) -> _Found | None:
    text, at = error.text, error.at
    if "block sequence entries" in error.problem:
        line = error.line(at)
        key, _, item = line.partition(":")
        item = item.strip().lstrip("-").strip()
        return _Found(
            at,
            "a list cannot start on the same line as its field",
            f"Put `- {_excerpt(item, 30)}` on the next line, indented under "
            f"`{key.strip()}:`, or write the list in brackets: "
            f"`{key.strip()}: [{_excerpt(item, 30)}]`.",
        )
    if "expected key" in error.problem and _ITEM.match(text, error.line_start(at)):
        dash = text.index("-", error.line_start(at))
        return _Found(
            dash,
            "a list item `-` stands where a field `name: value` is expected",
            "Remove the `-`, or put the list under a field of its own (`traces_to:`, then "
            "`- VAL-001` on the next line, indented).",
        )
    if "'-' indicator" in error.problem and _YAML_LINE.match(text, error.line_start(at)):
        start = error.line_start(at)
        return _Found(
            start + len(error.line(start)) - len(error.line(start).lstrip(" ")),
            "a field stands where the list above expects its next item `- …`",
            "Start the line with `- ` to add an item, or indent it like the fields of the "
            "item above.",
        )
    return None


def _colon_in_value(error: _Error) -> _Found | None:
    if "mapping values" not in error.problem:
        return None
    line = error.line(error.at)
    key, _, value = line.partition(": ")
    value = value.strip()
    if value and not value.startswith(("'", '"')):
        example = f'`{key.strip()}: "{_excerpt(value, 40)}"`'
    else:
        example = '`"…"`'
    return _Found(
        error.at,
        "a colon and a space inside a value make YAML read a new field here",
        f"Put the whole value in quotes: {example}.",
    )


_STARTS = {
    "alias": ("*", "a reference to another value (an alias)"),
    "anchor": ("&", "an anchor"),
    "tag": ("!", "a tag"),
}


def _reserved_start(error: _Error) -> _Found | None:
    """A value that starts with a character YAML keeps for itself."""
    for what, (char, meaning) in _STARTS.items():
        if f"scanning an {what}" in error.context or f"scanning a {what}" in error.context:
            at = error.opened if error.opened is not None else error.at
            return _Found(
                at,
                f"a value starting with `{char}` is read as {meaning} in YAML",
                f"Put the value in quotes: `{_quoted(error, at)}`.",
            )
    if "tag" in error.problem or "tag" in error.context:
        return _Found(
            error.at,
            "a value starting with `!` is read as a tag in YAML",
            "Put the value in quotes.",
        )
    if "cannot start any token" not in error.problem or error.at >= len(error.text):
        return None
    char = error.text[error.at]
    return _Found(
        error.at,
        f"a value cannot start with {_NAMES.get(char, f'`{char}`')} unless it is in quotes",
        f"Put the value in quotes: `{_quoted(error, error.at)}`.",
    )


_NAMES = {"`": "a backtick (`)", "'": "a single quote", '"': "a double quote"}


def _quoted(error: _Error, at: int) -> str:
    """The line with its value from `at` in quotes."""
    line = error.line(at)
    before, value = line[: at - error.line_start(at)], line[at - error.line_start(at) :]
    value = value.rstrip()
    quote = '"' if "'" in value else "'"
    return _excerpt(f"{before.strip()} {quote}{value}{quote}".strip(), 60)


def _escape(error: _Error) -> _Found | None:
    if "escape" not in error.problem and "hexdecimal" not in error.problem:
        return None
    text = error.text
    backslash = text.rfind("\\", 0, error.at + 1)
    at = backslash if backslash != -1 else error.at
    written = text[at : at + 2]
    if "escape character" not in error.problem:
        return _Found(
            at,
            f"`{written}` must be followed by hexadecimal digits (0-9, A-F) inside double quotes",
            "Write the character's code after it in full (`\\u00e9` is é), or write `\\\\` "
            "for a backslash.",
        )
    return _Found(
        at,
        f"`{written}` is not an escape sequence inside double quotes",
        "Write `\\\\` for a backslash, or use single quotes, inside which `\\` is an ordinary "
        "character: `'C:\\folder'`.",
    )


def _block_text_header(error: _Error) -> _Found | None:
    if "block scalar" not in error.context:
        return None
    if "equal to 0" in error.problem:
        return _Found(
            error.at,
            "the number after `|` or `>` must be 1 to 9",
            "Remove the number: YAML then takes the indentation of the first line.",
        )
    if "comment or line break" not in error.problem:
        return None
    return _Found(
        error.at,
        "after `|` or `>` only a comment may follow on the same line",
        "Start the text on the next line, indented under its field.",
    )


def _directive(error: _Error) -> _Found | None:
    """A `%` line before the content is a YAML directive; the reader knows `%YAML` and
    `%TAG` only, and YAML versions 1.1 and 1.2."""
    if not any(
        "directive" in words or "incompatible YAML" in words
        for words in (error.context, error.problem)
    ):
        return None
    at = error.opened if error.opened is not None else error.at
    start = error.line_start(at)
    line = error.line(start).strip()
    if "incompatible" in error.problem:
        message = f"`{_excerpt(line, 30)}`: the reader reads YAML versions 1.1 and 1.2"
    elif "duplicate" in error.problem:
        message = f"`{_excerpt(line, 30)}`: this directive is written twice"
    else:
        message = (
            f"`{_excerpt(line, 30)}`: a line starting with `%` is a YAML directive, and "
            "this is not one the reader knows"
        )
    return _Found(
        start,
        message,
        "Delete the line; a text that starts with `%` goes in quotes, under its field.",
    )


def _document_end(error: _Error) -> _Found | None:
    """`...` ends a YAML document: text after it, or `...` with nothing before it."""
    if "document start" not in error.problem and "node content" not in error.problem:
        return None
    text, at = error.text, error.at
    if text.startswith("...", at):
        return _Found(
            at,
            "`...` marks the end of the file's content, but there is none before it",
            "Delete the `...` line.",
        )
    end = text.rfind("\n...", 0, at)
    if end == -1 and not text.startswith("..."):
        return None
    end = 0 if end == -1 else end + 1
    return _Found(
        end,
        f"`...` marks the end of the file's content, but more follows on line "
        f"{error.line_number(at)}",
        "Delete the `...` line.",
    )


def _outside(error: _Error) -> _Found | None:
    if "document start" in error.problem:
        return _Found(
            error.at,
            "this line stands outside every field: the file's content ended before it",
            "Indent it under the field it belongs to, or delete it.",
        )
    if "node content" in error.problem or "expected key" in error.problem:
        char = error.text[error.at] if error.at < len(error.text) else ""
        if char == ":":
            return _Found(
                error.at,
                "a colon stands here with no field name before it",
                "Write the field's name before the colon, or delete the colon.",
            )
        if char == ",":
            return _Found(
                error.at,
                "a comma cannot start a field or a value",
                "Delete the comma, or put the text in quotes.",
            )
        if char in ("|", ">"):
            return _Found(
                error.at,
                f"`{char}` must stand on the line of its field, after the colon",
                f"Write it right after the field's name: `name: {char}`, with the text on the "
                "lines below, indented.",
            )
        if char in ("]", "}"):
            return _Found(
                error.at,
                f"this `{char}` closes nothing",
                "Remove it, or add the opening bracket it belongs to.",
            )
        if "node content" in error.problem:
            return _Found(
                error.at,
                "a value is missing here",
                "Write the value, or put the text in quotes if it starts with a special character.",
            )
    if "mapping keys" in error.problem:
        return _Found(
            error.at,
            "a value starting with `? ` marks a complex key in YAML",
            "Put the value in quotes: `'? …'`.",
        )
    return None


def _unexplained(error: _Error) -> _Found:
    char = error.text[error.at] if error.at < len(error.text) else ""
    found = f" at `{char}`" if char.strip() else ""
    return _Found(
        error.at,
        f"YAML cannot read this line{found}",
        "Check the indentation and the punctuation on this line and the one before it; text "
        "containing `: ` or starting with a special character needs quotes.",
    )


_EXPLANATIONS: tuple[Callable[[_Error], _Found | None], ...] = (
    _conflict_marker,
    _tab,
    _quote_left_open,
    _escape,
    _block_text_header,
    _directive,
    _reserved_start,
    _quote_runs_on,
    _text_after_quote,
    _glued_colon,
    _unindented_block_text,
    _missing_colon,
    _brackets,
    _indentation,
    _misplaced_dash,
    _colon_in_value,
    _document_end,
    _outside,
)


def _ends(event: yaml.Event | None) -> bool:
    return isinstance(event, yaml.CollectionEndEvent)


def _start(event: yaml.Event) -> int:
    assert event.start_mark is not None  # the parser marks every event
    return event.start_mark.index


def _end(event: yaml.Event) -> int:
    assert event.end_mark is not None
    return event.end_mark.index


def _column(event: yaml.Event) -> int:
    assert event.start_mark is not None
    return event.start_mark.column


def _excerpt(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
