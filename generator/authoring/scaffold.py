"""Scaffold: `handbook init DIR`, a new handbook repository that builds right away.

The files come from `skeleton/` (dot-files are stored as `dot-…`, because packaging
tools drop hidden files); the schema and CODEOWNERS are generated from the new standards, so
they are right from the first commit, and the generator itself is vendored with its pinned
dependencies (`vendoring.py`), so that CI installs it with nothing but pip.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from generator.authoring.vendoring import planned, write_install
from generator.model.schema import SCHEMA_FILE, schema_text
from generator.rules.codeowners import LOCATION, codeowners
from generator.source.load import load_handbook

SCAFFOLD = Path(__file__).parent / "skeleton"


class ScaffoldError(Exception):
    """The target folder already holds a handbook (or files init would overwrite)."""


def init(target: Path, organisation: str) -> list[Path]:
    """Write a new handbook into `target`; returns the files written."""
    plan = {
        target / _visible(path.relative_to(SCAFFOLD)): path
        for path in sorted(SCAFFOLD.rglob("*"))
        if path.is_file()
    }
    clashes = [str(p) for p in [*plan, *planned(target)] if p.exists()]
    clashes += [str(target / d) for d in ("standards", "schemas") if (target / d).exists()]
    if clashes:
        raise ScaffoldError("would overwrite: " + ", ".join(sorted(set(clashes))))
    written: list[Path] = []
    try:
        for destination, source in plan.items():
            text = source.read_text(encoding="utf-8")
            # JSON strings are valid YAML scalars: any organisation name stays one safe string.
            text = text.replace("ORGANISATION", json.dumps(organisation, ensure_ascii=False))
            _write(destination, text, written)
        handbook = load_handbook(target / "standards").handbook
        assert handbook is not None, "the scaffold's own standards must load"
        _write(target / "schemas" / SCHEMA_FILE, schema_text(handbook), written)
        _write(target / LOCATION, codeowners(handbook, "standards").text, written)
        written.extend(write_install(target))
    except BaseException:
        # Half a handbook would make the next `init` refuse to overwrite it: what this one
        # wrote goes, so that it can be run again once the disk has room.
        _remove(written, target)
        raise
    return sorted(written)


def _write(path: Path, text: str, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    written.append(path)  # before: a file cut short by a full disk goes too
    path.write_text(text, encoding="utf-8")


def _visible(relative: Path) -> Path:
    parts = [("." + part[4:]) if part.startswith("dot-") else part for part in relative.parts]
    return Path(*parts)


def _remove(written: list[Path], target: Path) -> None:
    """The files, and the folders that held only them (deepest first)."""
    folders = {parent for path in written for parent in path.parents if target in parent.parents}
    for path in written:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it held something of its own
            folder.rmdir()
