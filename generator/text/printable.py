"""Text from the standards as a person sees it: characters that draw nothing or that a
terminal obeys are named, so that no message, report or log can hide a character or carry an
escape sequence to the reader's terminal."""

from __future__ import annotations

import re
import unicodedata

# Characters a reader cannot see, or that a terminal obeys instead of showing: each is named in
# a message (`[U+200B zero width space]`), so that an id with a zero-width space in it does not
# read as the id it looks like, and `\x1b]52;…` in a title cannot write to the clipboard of the
# person reading the report.
_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x09: "tab",
    0x0A: "line feed",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0x90: "device control string",
    0x9B: "control sequence introducer",
    0x9D: "operating system command",
    0xA0: "no-break space",
    0xFEFF: "byte-order mark",
}
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u034f")
"""Letters and marks that draw nothing (Hangul fillers, the combining grapheme joiner)."""
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Controls that reorder what follows them on the line (Trojan Source)."""


def named(character: str) -> str:
    """One character as `[U+XXXX its name]`."""
    code = ord(character)
    name = _NAMES.get(code) or unicodedata.name(character, "").lower() or "control character"
    return f"[U+{code:04X} {name}]"


def shown(value: object) -> str:
    """Text from the standards as a message quotes it: every character that shows nothing, or
    that a terminal would act on, named instead (`str.isprintable` is false for exactly the
    controls, format characters, separators other than the space, and unassigned or private
    code points)."""
    text = str(value)
    if text.isprintable() and _BLANK_LETTERS.isdisjoint(text):
        return text
    return "".join(named(c) if not c.isprintable() or c in _BLANK_LETTERS else c for c in text)


def visible(text: str) -> str:
    """`text` without the characters `shown` would name: what a reader believes is written."""
    return "".join(c for c in text if c.isprintable() and c not in _BLANK_LETTERS)


def printable(text: str) -> str:
    """The last guard of a report written to a terminal or a CI log: no control character
    (C0, DEL, C1: escape sequences, OSC hyperlinks and clipboard writes, bells, carriage
    returns), no line or paragraph separator and no reordering control leaves it as itself;
    each is named. The report's own line ends are written after this."""
    if text.isascii() and text.isprintable():
        return text
    return _ACTING.sub(_named_match, text)


def printable_lines(text: str) -> str:
    """`printable` for whole lines of output: their own line feeds are kept, nothing else that
    a terminal would act on is (the CLI writes everything it prints through this)."""
    return _ACTING_IN_LINES.sub(_named_match, text)


def _named_match(found: re.Match[str]) -> str:
    return named(found.group())


# Exactly the characters `printable` names: the category Cc (C0, DEL, C1), the line and
# paragraph separators, and the reordering controls.
_ACTS = "\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI))
_ACTING = re.compile(f"[\x00-\x1f{_ACTS}]")
_ACTING_IN_LINES = re.compile(f"[\x00-\x09\x0b-\x1f{_ACTS}]")
