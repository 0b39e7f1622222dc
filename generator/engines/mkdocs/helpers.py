"""What one build of the plugin does beside MkDocs' page loop: the helper processes that make
the exports and the blocks of the pages written last (`speed.helper`), the folder their files
and this process's block files go into, and the pages whose blocks are spliced in after the
last page is written (`speed.blockfile`)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.model.items import Handbook
from generator.site.auditpages import exports
from generator.site.render import ExportSources, Rendered
from generator.speed import blockfile
from generator.speed.blockfile import BlockFile
from generator.speed.helper import Elsewhere, Here, elsewhere, private_folder

HELPER_SHARE = 0.65
"""The share of the pages' HTML blocks (by their rows) the blocks helper makes: those of the
pages MkDocs writes last. More than half, because this process also validates, renders the
Markdown, and converts, themes, indexes and writes every page (measured at 10,000 norms)."""


class Helpers:
    """The helpers, folder and pending block files of the build under way."""

    def __init__(self) -> None:
        self.exports: Elsewhere = Here()
        self.blocks: Elsewhere = Here()
        self.scratch: tuple[Path, int] | None = None
        """This build's folder for block files, and its lock (`helper.private_folder`)."""
        self.pending: list[tuple[Path, BlockFile]] = []
        """Written pages whose blocks are spliced in after the last page (`blockfile.py`)."""

    def start_exports(
        self, handbook: Handbook, language: str, today: dt.date, *, allowed: bool
    ) -> None:
        """The exports need the model alone: forked as soon as the standards are valid, before
        the pages are rendered, the helper starts smaller."""
        self.stop()
        jobs = list(exports(handbook, language, today).items()) if allowed else []
        self.exports = elsewhere(jobs, allowed=allowed)

    def export_sources(self) -> ExportSources:
        return ExportSources(self.folder, self.exports.result_file, self.exports.size)

    def start_blocks(self, rendered: Rendered, *, allowed: bool) -> None:
        """The blocks of the pages MkDocs writes last; with the exports' helper and this
        process it shares both cores."""
        late = rendered.last_pages(HELPER_SHARE) if allowed else []
        self.blocks = elsewhere([(p, _blocks_job(rendered, p)) for p in late], allowed=allowed)

    def made_blocks(self, path: str) -> BlockFile | None:
        """The page's blocks as the helper made them; None to render them here."""
        found = self.blocks.result_file(path)
        return blockfile.read_index(*found) if found is not None else None

    def pend(self, rendered: Rendered, path: str, target: str, made: BlockFile | None) -> BlockFile:
        """The page's blocks, rendered here if the helper did not make them, to be spliced
        into its written file after the last page."""
        if made is None:
            where = self.folder() / f"{len(self.pending)}.blocks"
            made = blockfile.write(rendered.blocks[path], where)
            if made is None:
                raise PluginError(f"{path}: the page's blocks could not be written to {where}")
        self.pending.append((Path(target), made))
        return made

    def splice_pending(self, token: str) -> None:
        try:
            for page, made in self.pending:
                blockfile.splice(page, token, made)
        except (blockfile.SpliceError, OSError) as error:
            raise PluginError(f"a page's HTML blocks could not be put in place: {error}") from None

    def folder(self) -> Path:
        if self.scratch is None:
            self.scratch = private_folder()
        return self.scratch[0]

    def drop_folder(self) -> None:
        self.pending = []
        if self.scratch is not None:
            folder, held = self.scratch
            self.scratch = None
            shutil.rmtree(folder, ignore_errors=True)
            os.close(held)

    def stop(self) -> None:
        self.exports.stop()
        self.blocks.stop()
        self.exports = Here()
        self.blocks = Here()


def _blocks_job(rendered: Rendered, path: str) -> Callable[[], Iterator[bytes]]:
    return lambda: blockfile.chunks(rendered.blocks[path])
