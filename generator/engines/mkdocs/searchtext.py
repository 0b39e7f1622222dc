"""The page's HTML as Material's search plugin needs it: the same text, far fewer tags.

Material's search plugin reads every page with Python's `html.parser`, one call per tag and
per run of text, and keeps only the text, the headings that start sections and a few tags
(paragraphs, lists, code). A value page of a large handbook is mostly tables, links and
badges, so the plugin spent most of its time on tags it then threw away: a fifth of a build.
Removing those tags first (regular expressions, in C) leaves the index the same; a test
compares the two for every page of the example. Where the page holds anything this does not
reproduce exactly (a heading inside another element, content search leaves out, a permalink
with markup of its own), the page is left whole.
"""

from __future__ import annotations

import re

# What Material's parser keeps (`Parser.keep`) or needs (headings make the sections).
_KEPT = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "ol", "ul", "code", "pre", "sub", "sup")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
# A tag (pages with a `>` inside an attribute's quotes are left whole).
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_QUOTED_GT = re.compile(r"""="[^"<]*>|='[^'<]*>""")
_PERMALINK = re.compile(r'<a class="headerlink"[^<>]*>[^<]*</a>')
# A run of other tags with the white space around them: the parser would have read the white
# space between them as one space at most.
_OTHER_TAGS = re.compile(rf"(?:\s*<(?!/?(?:{'|'.join(_KEPT)})[\s>/])[a-zA-Z/][^>]*>)+\s*")
_BETWEEN = re.compile(r">\s")
_LEFT_OUT = ("data-search-exclude", "<script", "<style", "<object", "linenodiv", "<!--")


def for_search(html: str) -> str | None:
    """`html` without the tags search ignores, or None where that could change what search
    finds: then the page is indexed whole."""
    if any(marker in html for marker in _LEFT_OUT):
        return None
    if html.count('class="headerlink"') != len(_PERMALINK.findall(html)):
        return None
    if _QUOTED_GT.search(html):
        return None
    if not _headings_at_top(html):
        return None
    return _OTHER_TAGS.sub(_space_if_any, _PERMALINK.sub("", html))


def _headings_at_top(html: str) -> bool:
    """True if no heading stands inside another element: Material sections a page by the
    depth at which a heading opens, which removing its parent would change."""
    depth = 0
    for closing, name, self_closing in _TAG.findall(html):
        name = name.lower()
        if closing:
            depth -= 1
        elif self_closing or name in _VOID:
            continue
        else:
            if name in _HEADINGS and depth:
                return False
            depth += 1
    return True


def _space_if_any(run: re.Match[str]) -> str:
    """One space if white space stood between the tags (not only inside one)."""
    text = run.group(0)
    return " " if text[0].isspace() or text[-1].isspace() or _BETWEEN.search(text) else ""
