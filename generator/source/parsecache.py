"""Parsed standards files kept on disk between runs of `handbook validate`.

A cold run parses every file again, though a policy owner changed one since the last run. What
parsing a file gave (its data: dicts, tuples, text and numbers; its problems; the nodes already
refused) is stored with `marshal`, under the SHA-256 of the reader's own source (its three
modules and the rules), the file's name and its bytes, so that a changed byte, a renamed file
or a changed reader misses. Positions are not stored: they are found again from the text when
a step asks for one.

Each entry starts with the SHA-256 of the rest; an entry that does not match, or does not read
back as a parse result, is ignored and written again. Nothing is unpickled and no code is
loaded, and the folder is in the user's cache, not in the repository: a cache committed with a
pull request cannot feed a CI run anything.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

from generator.model import diagnostics
from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Location
from generator.source import yamlerrors, yamlgaps, yamlsource
from generator.source.yamlsource import ParsedYaml, parse_yaml, parsed_without_positions
from generator.speed.helper import Elsewhere, Here, Job, elsewhere, may_fork
from generator.system.environment import Environment
from generator.system.filesystem import write_whole

_SUFFIX = ".marshal"


def _fingerprint() -> bytes:
    """Entries made by another version of the reader or of the rules are never found."""
    digest = hashlib.sha256(version("service-handbook").encode("utf-8"))
    for module in (yamlsource, yamlgaps, yamlerrors, diagnostics):
        source = Path(module.__file__) if module.__file__ else None
        if source is not None and source.is_file():
            digest.update(source.read_bytes())
    return digest.digest()


_READER = _fingerprint()


def cache_folder(standards: Path, cache_home: Path | None) -> Path | None:
    """Where the parsed files of one standards folder are kept: the user's cache, one folder
    per standards folder; None where there is none (no home folder), and then nothing is
    kept."""
    if cache_home is None:
        return None
    try:
        where = os.fsencode(standards.resolve())
    except (OSError, RuntimeError):  # a loop of links on the way
        return None
    return cache_home / "service-handbook" / hashlib.sha256(where).hexdigest()[:16]


def user_store(standards: Path, environment: Environment) -> ParseStore | None:
    """The store in the user's cache for `standards`, if the user has a cache folder."""
    folder = cache_folder(standards, environment.cache_home)
    if folder is None:
        return None
    return ParseStore(folder, helpers=environment.helpers)


AHEAD_CHARACTERS = 1 << 20
"""Below this much text to parse, forking costs more than it saves."""
OWN_SHARE = 0.35
"""The part of the parsing this process keeps: it also validates every file, the forked one
only parses (at 10,000 norms parsing takes about four times as long as validating)."""


class ParseStore:
    """Parses files, or reads back what parsing the same bytes gave before."""

    def __init__(
        self,
        folder: Path,
        parse: Callable[[str, str], ParsedYaml] = parse_yaml,
        *,
        helpers: bool = True,
    ) -> None:
        self.folder = folder
        self._parse = parse
        self._helpers = helpers
        self._used: set[str] = set()
        self._helper: Elsewhere = Here()
        self._ahead = False

    def _entry(self, file: str, digest: bytes) -> Path:
        name = file.encode("utf-8", "surrogateescape")  # any name the system gave
        key = hashlib.sha256(_READER + name + b"\0" + digest).hexdigest()
        return self.folder / f"{key}{_SUFFIX}"

    def parse(self, text: str, file: str, digest: bytes) -> ParsedYaml:
        """`digest` is the SHA-256 of the file's bytes."""
        entry = self._entry(file, digest)
        self._used.add(entry.name)
        self._helper.result(entry.name)  # stored by the other process, or never will be
        stored = _read(entry, text, file)
        if stored is not None:
            return stored
        parsed = self._parse(text, file)
        _write(entry, parsed)
        return parsed

    def parse_ahead(self, files: Sequence[tuple[str, str, bytes]]) -> None:
        """Have a forked process parse and store the later files (text, name, digest) not
        stored yet, while this one parses the earlier ones and validates: a cold run spends
        most of its time in the YAML parser, and a machine has more than one core. The other
        process is a helper (`speed.helper`) whose job per file is to store its entry; `parse`
        waits for that job before it reads the entry, and checks it like any stored entry. If
        the other process fails, this one parses what is missing itself."""
        if self._ahead or not may_fork(self._helpers):
            return
        missing = [(t, f, d) for t, f, d in files if not _stored(self._entry(f, d))]
        total = sum(len(text) for text, _, _ in missing)
        if total < AHEAD_CHARACTERS:
            return
        split, kept = len(missing), 0
        for index, (text, _, _) in enumerate(missing):
            if kept >= total * OWN_SHARE:
                split = index
                break
            kept += len(text)
        theirs: list[Job] = []
        for text, file, digest in missing[split:]:
            entry = self._entry(file, digest)
            job = functools.partial(_parse_and_store, text, file, entry, self._parse)
            theirs.append((entry.name, job))
        self._ahead = True
        # Where no process is to be had, the twin: this one parses everything.
        self._helper = elsewhere(theirs, allowed=True)

    def finish(self) -> None:
        """End the other process, if one was started (every entry it was given has been
        asked for by then) and remove its folder."""
        self._helper.stop()
        self._helper = Here()
        self._ahead = False

    def prune(self) -> None:
        """Delete the entries this run did not use (earlier versions of files, removed files)
        and the half-written ones a stopped run left (`write_whole`'s scratch files). A cache
        that cannot be listed or changed is left as it is."""
        try:
            for entry in self.folder.glob(f"*{_SUFFIX}"):
                if entry.name not in self._used:
                    entry.unlink(missing_ok=True)
            for scratch in self.folder.glob(f".*{_SUFFIX}.*.partial"):
                scratch.unlink(missing_ok=True)
        except OSError:
            return


def _parse_and_store(
    text: str, file: str, entry: Path, parse: Callable[[str, str], ParsedYaml]
) -> bytes:
    """In the other process: the entry is the result; the job's own result says it is there."""
    _write(entry, parse(text, file))
    return b""


def _stored(entry: Path) -> bool:
    try:
        return entry.exists()
    except OSError:  # a cache folder that may not be looked into holds nothing for this run
        return False


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
        write_whole(entry, hashlib.sha256(payload).digest() + payload)
    except OSError:
        pass  # a cache that cannot be written (a full disk …) only makes the next run slower
