"""Text from YAML, made safe to stand inside generated Markdown.

Policy owners write plain text, never markup: `<script>`, `[x](javascript:…)`, a `#` at the
start of a line or `{{ }}` must reach the reader as those very characters. Escaping is applied
by the template environment to every `{{ … }}` output (see `render.py`), so a template cannot
forget it; only values the generator itself built and marked `Markup` (ids, links) pass as they
are, and those are checked against a strict pattern when they are made.
"""

from __future__ import annotations

import re
from typing import NoReturn

import jinja2
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

# The characters Python-Markdown (with the `tables` extension) un-escapes after a backslash;
# escaping any other character would leave a visible backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_WHITESPACE = re.compile(r"\s+")
_SAFE_ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_SAFE_LINK = re.compile(r"[A-Za-z0-9_./-]+(?:#[A-Za-z0-9-]+)?")


class Fallback(str):
    """Text shown in another language than the reader's, because no translation exists yet.
    Printed, it is marked (`<span class="hb-fallback" lang="…">`) so the reader sees it."""

    language: str

    def __new__(cls, text: str, language: str) -> Fallback:
        made = super().__new__(cls, text)
        made.language = language
        return made


_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2})?")


def escape_inline(text: str) -> str:
    """One line of literal text: HTML specials as entities, Markdown specials backslashed,
    line breaks folded so that the text can stand in a table cell or a heading."""
    folded = _WHITESPACE.sub(" ", text).strip()
    html_safe = "".join(_HTML_SPECIAL.get(ch, ch) for ch in folded)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html_safe)


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines; each is then escaped on output (and keeps
    the mark of a text shown in another language)."""
    parts = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    if isinstance(text, Fallback):
        return [Fallback(part, text.language) for part in parts]
    return parts


def anchor(identifier: str) -> Markup:
    """An HTML id for an item; ids are validated by the schema, this is the second lock."""
    if not _SAFE_ANCHOR.fullmatch(identifier):
        raise ValueError(f"not a safe anchor: {identifier!r}")
    return Markup(identifier)


def link(target: str) -> Markup:
    """A relative link the generator computed; refuses anything that could carry a scheme."""
    if not _SAFE_LINK.fullmatch(target):
        raise ValueError(f"not a safe relative link: {target!r}")
    return Markup(target)


def html(value: object) -> Markup:
    """For raw HTML blocks (inline SVG), where Markdown does not run: HTML escaping only."""
    if isinstance(value, bool) or value is None:
        raise UnprintableError(f"template printed {value!r} into HTML")
    if isinstance(value, float):
        value = round(value, 1)
    text = _number(value) if isinstance(value, int | float) else str(value)
    return markupsafe_escape(text)


def finalize(value: object) -> Markup:
    """Jinja's hook for every `{{ … }}`: escape text, refuse what should never be printed.

    The environment also has autoescape on, so that the output of macros (already escaped,
    hence `Markup`) is never escaped twice; what this returns is `Markup` for the same reason.
    """
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool) or value is None:
        # A template printing None or True is a bug in the template, not something to show.
        raise UnprintableError(f"template printed {value!r}; use a condition or a default")
    if isinstance(value, Fallback) and _LANGUAGE.fullmatch(value.language):
        return Markup(
            f'<span class="hb-fallback" lang="{value.language}">{escape_inline(value)}</span>'
        )
    if isinstance(value, str):
        return Markup(escape_inline(value))
    if isinstance(value, int | float):
        return Markup(escape_inline(_number(value)))
    _refuse(value)


class UnprintableError(jinja2.TemplateRuntimeError, TypeError):
    """A template printed what is never shown (None, a flag, a text in every language): a
    mistake in the template, reported like any other template error, with its line."""


def _refuse(value: object) -> NoReturn:
    if isinstance(value, jinja2.Undefined):
        str(value)  # Jinja's own error: which name or attribute the template lacks
    raise UnprintableError(f"template printed a {type(value).__name__}; pick a text with `| t`")


def finalize_html(value: object) -> Markup:
    """Jinja's hook for every `{{ … }}` of an HTML block (`_blocks.html.j2`), which Markdown
    never reads: HTML escaping only, with the same refusals and marks as `finalize`. White
    space is folded as in Markdown text, so a block reads like the Markdown it replaces."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool) or value is None:
        raise UnprintableError(f"template printed {value!r}; use a condition or a default")
    if isinstance(value, Fallback) and _LANGUAGE.fullmatch(value.language):
        text = markupsafe_escape(_WHITESPACE.sub(" ", value).strip())
        return Markup(f'<span class="hb-fallback" lang="{value.language}">{text}</span>')
    if isinstance(value, str):
        return markupsafe_escape(_WHITESPACE.sub(" ", value).strip())
    if isinstance(value, int | float):
        return Markup(_number(value))
    _refuse(value)


def css_string(text: str) -> Markup:
    """A quoted CSS string for generated CSS (the printed page's footer): every character
    other than a letter, digit or space is written as a CSS escape, so no text can end the
    string, the rule or the `<style>` element it stands in."""
    escaped = "".join(
        ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in " ".join(text.split())
    )
    return Markup(f'"{escaped}"')


def _number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
