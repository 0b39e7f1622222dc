"""What libyaml reads although YAML forbids it or means something else, found in its tokens.

libyaml follows YAML 1.1; YAML 1.2, which editors check against, tightened a few places that
libyaml still reads its own way:

- a comment needs a space before its `#`: libyaml takes `"text"# note`, `[a, b]#x`, `[a,#x`,
  `key: >#x` and `%YAML 1.1#x` as a value and a comment, YAML refuses them;
- inside brackets `?` marks a key only when a space follows: libyaml reads `[?x]` as a mapping
  from `x` and `{ ?x: y }` as the key `x`, YAML as the texts `?x`. The reader cannot give the
  data YAML means, so such text must be quoted;
- a lone `-` inside brackets (`[-]`, `[a, -]`) is no value for YAML; libyaml reads the text `-`.

Tokenising costs about as much as parsing, so a file is tokenised only when a quick look at
its text finds a place where one of these could be: a `#` after something other than a space,
a `?` with text right after it, a `-` right before a bracket or a comma. Most files have none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

import yaml

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Location
from generator.source.yamlerrors import line_column

_BLANK = " \t\r\n\ufeff"
_AFTER_KEY_MARK = " \t\r\n,[]{}"
"""What may follow a `?` that marks a key inside brackets, as YAML reads it."""
_DASH_IN_BRACKETS = re.compile(r"-[,\[\]{}]")


class _Tokens(Protocol):
    def get_token(self) -> yaml.Token | None: ...

    def dispose(self) -> None: ...


def problems(text: str, file: str, tokens: Callable[[str], _Tokens]) -> list[Diagnostic]:
    """Each place in `text` that libyaml reads although YAML does not; none if libyaml cannot
    read the text at all (the parser reports that)."""
    if not _suspect(text):
        return []
    found: list[Diagnostic] = []
    scanner = tokens(text)
    try:
        _scan(text, file, scanner, found)
    except yaml.YAMLError:
        return []
    finally:
        scanner.dispose()
    return found


def _suspect(text: str) -> bool:
    at = text.find("#")
    while at != -1:
        if at and text[at - 1] not in _BLANK:
            return True
        at = text.find("#", at + 1)
    at = text.find("?")
    while at != -1:
        if (not at or text[at - 1] in "\t\n\r [{,") and text[at + 1 : at + 2] not in (
            "",
            *_AFTER_KEY_MARK,
        ):
            return True
        at = text.find("?", at + 1)
    return _DASH_IN_BRACKETS.search(text) is not None


def _scan(text: str, file: str, scanner: _Tokens, found: list[Diagnostic]) -> None:
    flow = 0
    done = 0  # where the last token ended: between tokens there are only spaces and comments
    while True:
        token = scanner.get_token()
        if token is None:
            return
        start, end = token.start_mark.index, token.end_mark.index
        glued = _glued_comment(text, done, start)
        if glued is not None:
            found.append(_comment_problem(text, file, glued))
        kind = type(token)
        if kind is yaml.StreamEndToken:
            return
        if kind is yaml.FlowSequenceStartToken or kind is yaml.FlowMappingStartToken:
            flow += 1
        elif kind is yaml.FlowSequenceEndToken or kind is yaml.FlowMappingEndToken:
            flow -= 1
        elif kind is yaml.KeyToken:
            if (
                flow
                and text.startswith("?", start)
                and text[start + 1 : start + 2]
                not in (
                    "",
                    *_AFTER_KEY_MARK,
                )
            ):
                found.append(_key_mark_problem(text, file, start))
        elif kind is yaml.ScalarToken:
            scalar = token
            assert isinstance(scalar, yaml.ScalarToken)
            if flow and scalar.plain and scalar.value == "-":
                found.append(_dash_problem(text, file, start))
            elif scalar.style in ("|", ">"):
                header = text.find("\n", start, end)
                glued = _glued_comment(text, start + 1, end if header == -1 else header)
                if glued is not None:
                    found.append(_comment_problem(text, file, glued))
        done = max(done, end)


def _glued_comment(text: str, start: int, end: int) -> int | None:
    """Where a comment between `start` and `end` (spaces, line breaks and comments only)
    starts right after the text before it, if one does."""
    at = text.find("#", start, end)
    while at != -1:
        if at and text[at - 1] not in _BLANK:
            return at
        line_end = text.find("\n", at, end)
        if line_end == -1:
            return None
        at = text.find("#", line_end, end)
    return None


def _location(text: str, file: str, index: int) -> Location:
    return Location(file, *line_column(text, index))


def _comment_problem(text: str, file: str, at: int) -> Diagnostic:
    return Diagnostic(
        Rule.YAML_SYNTAX,
        _location(text, file, at),
        f"`#` right after `{text[at - 1]}` starts no comment: YAML needs a space before it",
        "Put a space before `#` if a comment starts there; if the `#` belongs to the value, "
        "put the whole value in quotes.",
    )


def _key_mark_problem(text: str, file: str, at: int) -> Diagnostic:
    word = re.match(r"[^\s,\[\]{}:#]*", text[at + 1 : at + 41])
    written = f"?{word.group() if word else ''}"
    return Diagnostic(
        Rule.YAML_SYNTAX,
        _location(text, file, at),
        f"inside brackets `{written}` is read two ways: as text by YAML, as a key by the "
        "parser the handbook uses",
        f"Put the text in quotes: `'{written}'`.",
    )


def _dash_problem(text: str, file: str, at: int) -> Diagnostic:
    return Diagnostic(
        Rule.YAML_SYNTAX,
        _location(text, file, at),
        "a lone `-` inside brackets is not a value",
        "Put it in quotes (`'-'`) if it is text, or remove it.",
    )
