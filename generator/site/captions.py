"""Captions for tables written in Markdown.

Python-Markdown's tables have no caption, and a data table without one has no name for a
screen reader (WCAG 1.3.1; HTML_CodeSniffer, as pa11y runs it, flags each). A paragraph marked
`{: .hb-caption }` right before a table becomes that table's `<caption>`:

    Items by kind
    {: .hb-caption }

    | Kind | Total |
    |---|---|

The handbook's templates caption every table so; a hand-written page may do the same. The
caption is for assistive technology and is not shown (`handbook.css`): a table stands under a
heading that names it for the eye. Tables of HTML blocks write their `<caption>` themselves.
"""

from __future__ import annotations

import itertools
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

CAPTION_CLASS = "hb-caption"


class _Captions(Treeprocessor):  # type: ignore[misc]
    def run(self, root: Element) -> None:
        for parent in root.iter():
            children = list(parent)
            for before, table in itertools.pairwise(children):
                if table.tag == "table" and _is_caption(before):
                    _move_into(parent, before, table)


def _is_caption(element: Element) -> bool:
    return element.tag == "p" and CAPTION_CLASS in (element.get("class") or "").split()


def _move_into(parent: Element, paragraph: Element, table: Element) -> None:
    """The paragraph, its text and markup, becomes the table's first child."""
    parent.remove(paragraph)
    paragraph.tag = "caption"
    paragraph.tail = "\n"
    table.insert(0, paragraph)


class CaptionExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After attr_list (priority 8), which sets the paragraph's class.
        md.treeprocessors.register(_Captions(md), "hb_captions", 5)
