"""Parsed standards files kept on disk between runs of `handbook validate`.

A cold run parses every file again, though a policy owner changed one since the last run. What
parsing a file gave (its data: dicts, tuples, text and numbers; its problems; the nodes already
refused) is stored with `marshal`, under the SHA-256 of the reader's own source, the file's name
and its bytes, so that a changed byte, a renamed file or a changed reader misses. Positions are
not stored: they are found again from the text when a step asks for one.

Each entry starts with the SHA-256 of the rest; an entry that does not match, or does not read
back as a parse result, is ignored and written again. Nothing is unpickled and no code is
loaded, and the folder is in the user's cache, not in the repository: a cache committed with a
pull request cannot feed a CI run anything.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from generator import diagnostics, yamlsource
from generator.diagnostics import Diagnostic, Rule
from generator.model import Location
from generator.yamlsource import ParsedYaml, parse_yaml, parsed_without_positions

_SUFFIX = ".marshal"


def _fingerprint() -> bytes:
    """Entries made by another version of the reader or of the rules are never found."""
    digest = hashlib.sha256(version("service-handbook").encode("utf-8"))
    for module in (yamlsource, diagnostics):
        source = Path(module.__file__) if module.__file__ else None
        if source is not None and source.is_file():
            digest.update(source.read_bytes())
    return digest.digest()


_READER = _fingerprint()


def cache_folder(standards: Path) -> Path:
    """Where the parsed files of one standards folder are kept: the user's cache
    (`$XDG_CACHE_HOME`, else `~/.cache`), one folder per standards folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = hashlib.sha256(str(standards.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(base) / "service-handbook" / name


class ParseStore:
    """Parses files, or reads back what parsing the same bytes gave before."""

    def __init__(self, folder: Path, parse: Callable[[str, str], ParsedYaml] = parse_yaml) -> None:
        self.folder = folder
        self._parse = parse
        self._used: set[str] = set()

    def parse(self, text: str, file: str, content: bytes) -> ParsedYaml:
        key = hashlib.sha256(_READER + file.encode("utf-8") + b"\0" + content).hexdigest()
        entry = self.folder / f"{key}{_SUFFIX}"
        self._used.add(entry.name)
        stored = _read(entry, text, file)
        if stored is not None:
            return stored
        parsed = self._parse(text, file)
        _write(entry, parsed)
        return parsed

    def prune(self) -> None:
        """Delete the entries this run did not use: earlier versions of files, removed files."""
        if not self.folder.is_dir():
            return
        for entry in self.folder.glob(f"*{_SUFFIX}"):
            if entry.name not in self._used:
                entry.unlink(missing_ok=True)


def _read(entry: Path, text: str, file: str) -> ParsedYaml | None:
    try:
        stored = entry.read_bytes()
    except OSError:
        return None
    digest, payload = stored[:32], stored[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        data, problems, refused = marshal.loads(payload)
        return parsed_without_positions(
            text,
            file,
            data,
            [
                Diagnostic(Rule(rule), Location(at, line, column), message, hint, tuple(ids))
                for rule, at, line, column, message, hint, ids in problems
            ],
            {tuple(path) for path in refused},
        )
    except (ValueError, TypeError, EOFError):
        return None


def _write(entry: Path, parsed: ParsedYaml) -> None:
    payload = marshal.dumps(
        (
            parsed.data,
            [(p.rule.value, *p.location, p.message, p.hint, p.ids) for p in parsed.problems],
            sorted(parsed.refused, key=repr),
        )
    )
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as scratch:
            scratch.write(hashlib.sha256(payload).digest() + payload)
        Path(scratch.name).replace(entry)
    except OSError:
        pass  # a cache that cannot be written only makes the next run slower
