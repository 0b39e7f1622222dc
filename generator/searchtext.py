"""The page's HTML as Material's search plugin needs it: the same text, far fewer tags.

Material's search plugin reads every page with Python's `html.parser`, one call per tag and
per run of text, and keeps only the text, the headings that start sections and a few tags
(paragraphs, lists, code). A value page of a large handbook is mostly tables, links and
badges, so the plugin spent most of its time on tags it then threw away: a fifth of a build.
Removing those tags first (a regular expression, in C) leaves the index the same; a test
compares the two for every generated page of the example.
"""

from __future__ import annotations

import re

# What Material's parser keeps (`Parser.keep`) or needs (headings make the sections).
_KEPT = "h1|h2|h3|h4|h5|h6|p|li|ol|ul|code|pre|sub|sup"
_TAG = re.compile(r"<[^>]*>")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
# A run of other tags with the white space around them: the parser would have read the white
# space between them as one space at most.
_OTHER_TAGS = re.compile(rf"(?:\s*<(?!/?(?:{_KEPT})[\s>/])[^>]*>)+\s*")


def for_search(html: str) -> str | None:
    """`html` without the tags search ignores; None where that could change what is found
    (an element marked `data-search-exclude`, or `<script>`/`<style>`, whose text search
    leaves out)."""
    if "data-search-exclude" in html or "<script" in html or "<style" in html:
        return None
    return _OTHER_TAGS.sub(_space_if_any, _PERMALINK.sub("", html))


def _space_if_any(run: re.Match[str]) -> str:
    return " " if _TAG.sub("", run.group(0)) else ""
