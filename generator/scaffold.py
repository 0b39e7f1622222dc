"""Scaffold: `handbook init DIR`, a new handbook repository that builds right away.

The files come from `generator/skeleton/` (dot-files are stored as `dot-…`, because packaging
tools drop hidden files); the schema and CODEOWNERS are generated from the new standards, so
they are right from the first commit, and the generator itself is vendored with its pinned
dependencies (`generator/vendoring.py`), so that CI installs it with nothing but pip.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.codeowners import LOCATION, codeowners
from generator.load import load_handbook
from generator.schema import SCHEMA_FILE, schema_text
from generator.vendoring import planned, write_install

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
    written = []
    for destination, source in plan.items():
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        # JSON strings are valid YAML scalars: any organisation name stays one safe string.
        text = text.replace("ORGANISATION", json.dumps(organisation, ensure_ascii=False))
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    handbook = load_handbook(target / "standards").handbook
    assert handbook is not None, "the scaffold's own standards must load"
    schema = target / "schemas" / SCHEMA_FILE
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(schema_text(handbook), encoding="utf-8")
    owners = target / LOCATION
    owners.parent.mkdir(parents=True, exist_ok=True)
    owners.write_text(codeowners(handbook, "standards").text, encoding="utf-8")
    return sorted([*written, schema, owners, *write_install(target)])


def _visible(relative: Path) -> Path:
    parts = [("." + part[4:]) if part.startswith("dot-") else part for part in relative.parts]
    return Path(*parts)
