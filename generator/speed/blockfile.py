"""Block files: a page's HTML blocks written one after another, for pages too large to hold.

At 10,000 norms the print page is 50 MB of HTML and the trace 51 MB; held as a string while
MkDocs renders the theme around it, encodes it and writes it, each was in memory three or four
times over. A page that search does not index (its content is on the value pages) keeps its
placeholder paragraphs through MkDocs: its blocks are rendered one by one into a block file
(here or by a helper process) and spliced into the written page after the last page
(`splice`), so that no more than one block is ever in memory.

What other plugins do to a page's HTML after it is rendered (`on_page_content`,
`on_post_page`; Material's search plugin strips `data-search-*` attributes from the content)
sees the placeholders, not the blocks: the built-in templates write nothing such a plugin must
change, and a plugin that drops a placeholder fails the build (`SpliceError`).

A block file is the blocks' bytes (UTF-8, with MkDocs' `xmlcharrefreplace`, so the page is
byte for byte what MkDocs would have written), then a `marshal`led index of their lengths and
of the element ids in them (MkDocs checks links to anchors before the splice), then that
index's length in 8 bytes.
"""

from __future__ import annotations

import marshal
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

ELEMENT_ID = re.compile(r"""\sid=["']([^"']+)["']""")
_CHUNK = 1 << 20
_LENGTH = 8


def chunks(blocks: Iterable[Callable[[], str]]) -> Iterator[bytes]:
    """The block file's content, a block at a time."""
    lengths: list[int] = []
    ids: list[str] = []
    for block in blocks:
        html = block()  # Markup is a str: no copy of a block of tens of MB
        ids.extend(ELEMENT_ID.findall(html))
        encoded = html.encode("utf-8", errors="xmlcharrefreplace")
        del html
        lengths.append(len(encoded))
        yield encoded
    index = marshal.dumps((lengths, ids))
    yield index + len(index).to_bytes(_LENGTH, "big")


@dataclass(frozen=True)
class BlockFile:
    path: Path
    lengths: tuple[int, ...]
    ids: tuple[str, ...]

    def blocks(self) -> list[str]:
        """Every block as text, for a page that is assembled in memory after all."""
        found: list[str] = []
        with self.path.open("rb") as source:
            for length in self.lengths:
                found.append(source.read(length).decode("utf-8"))
        return found


def write(blocks: Iterable[Callable[[], str]], path: Path) -> BlockFile | None:
    with path.open("wb") as out:
        for chunk in chunks(blocks):
            out.write(chunk)
    return read_index(path, path.stat().st_size)


def read_index(path: Path, size: int) -> BlockFile | None:
    """The block file in the first `size` bytes of `path`; None if they are not one."""
    try:
        with path.open("rb") as source:
            source.seek(size - _LENGTH)
            length = int.from_bytes(source.read(_LENGTH), "big")
            if not 0 < length <= size - _LENGTH:
                return None
            source.seek(size - _LENGTH - length)
            lengths, ids = marshal.loads(source.read(length))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (
        isinstance(lengths, list)
        and all(isinstance(n, int) and n >= 0 for n in lengths)
        and isinstance(ids, list)
        and all(isinstance(i, str) for i in ids)
        and sum(lengths) == size - _LENGTH - length
    ):
        return None
    return BlockFile(path, tuple(lengths), tuple(ids))


class SpliceError(Exception):
    """The written page does not hold its placeholders once each, in order."""


def splice(page: Path, token: str, blocks: BlockFile) -> None:
    """Put each block in place of its placeholder paragraph in the written page, streaming:
    the page is written whole under a temporary name, then renamed over the page."""
    parts = re.split(rb"<p>" + re.escape(token.encode("ascii")) + rb"-(\d+)</p>", page.read_bytes())
    placed = [int(index) for index in parts[1::2]]
    if placed != list(range(len(blocks.lengths))):
        raise SpliceError(
            f"{len(blocks.lengths)} HTML blocks, {len(placed)} placeholders found in the "
            "written page; another plugin changed the page after it was rendered"
        )
    handle, scratch = tempfile.mkstemp(dir=page.parent, prefix=f".{page.name}.")
    try:
        with os.fdopen(handle, "wb") as out, blocks.path.open("rb") as source:
            out.write(parts[0])
            for length, text in zip(blocks.lengths, parts[2::2], strict=True):
                copy_bytes(source, out, length)
                out.write(text)
        shutil.copymode(page, scratch)  # as MkDocs wrote it, not mkstemp's owner-only mode
        Path(scratch).replace(page)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def copy_bytes(source: BinaryIO, out: BinaryIO, length: int) -> None:
    """The next `length` bytes of `source` into `out`, a megabyte at a time."""
    remaining = length
    while remaining:
        chunk = source.read(min(_CHUNK, remaining))
        if not chunk:
            raise OSError(f"{source.name} ends {remaining} bytes too soon")
        out.write(chunk)
        remaining -= len(chunk)
