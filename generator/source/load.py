"""Load: every YAML file under `standards/` into one immutable Handbook, plus located problems.

Each item is validated on its own, so one bad norm costs only that norm: the rest still load
and are still checked, and a policy owner sees every problem of a pull request in one run. What
can be read of the bad norm is kept aside to be checked too (`Partial`), and what it defines
(its id, or every id a file that cannot be parsed mentions) still counts as existing, so that
one mistake is one report.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.model.diagnostics import Diagnostic, Rule, sorted_diagnostics
from generator.model.index import EMPTY, Index, index_items, merge
from generator.model.items import (
    ITEM_SECTIONS,
    SECTION_NOUN,
    TAXONOMY_SECTIONS,
    Channel,
    Handbook,
    HandbookFile,
    Location,
    Norm,
    Origin,
    Owner,
    Parameter,
    Partial,
    Role,
    Settings,
    Term,
    Value,
)
from generator.model.suggestions import did_you_mean
from generator.source.explain import explain, unknown_field
from generator.source.parsecache import ParseStore
from generator.source.yamlsource import Data, ParsedYaml, parse_yaml
from generator.source.yamlsource import Path as NodePath
from generator.speed import collector
from generator.speed.filecache import FileCache
from generator.system.filesystem import printable
from generator.text.printable import shown

MAX_FILE_BYTES = 8 * 1024 * 1024
"""A policy file larger than this is a mistake (a pasted export, a binary): refuse it early."""

LANGUAGE_FIELDS = frozenset({"default_language", "languages", "required_languages"})
SECTION_MODELS: dict[str, type[BaseModel]] = {
    **dict.fromkeys(TAXONOMY_SECTIONS, Term),
    "channels": Channel,
    "roles": Role,
    "owners": Owner,
    "values": Value,
    "norms": Norm,
    "parameters": Parameter,
}
ID_EXAMPLES = {
    "values": "VAL-001",
    "norms": "NRM-001",
    "parameters": "PAR-001",
}


@dataclass(frozen=True)
class LoadResult:
    """What loading produced: the model (None only when nothing could be read at all), the
    problems found on the way, and each file's text for showing the offending line."""

    handbook: Handbook | None
    diagnostics: list[Diagnostic]
    sources: Mapping[str, str]


YAML_SUFFIXES = (".yml", ".yaml")


def is_standards_file(name: str) -> bool:
    """Whether a file of this name is one of the standards: `.yml` or `.yaml` in any case
    (`NORMS.YML`, as some tools save it), and not hidden (an editor's or `write_whole`'s
    scratch file, `.git`)."""
    return name.lower().endswith(YAML_SUFFIXES) and not name.startswith(".")


class Discovery(NamedTuple):
    files: list[Path]
    """The standards' files and the links among them, in a stable order."""
    unlisted: list[tuple[Path, OSError]]
    """Folders that could not be listed, and why: the files in them are unknown."""


def discover(standards: Path) -> Discovery:
    """Every YAML file below `standards`, in a stable order; hidden folders are skipped.

    Symbolic links are listed like files, never followed into folders (no cycles, no walk
    out of the repository); `_refused_file` then decides whether one may be read."""
    found: list[Path] = []
    unlisted: list[tuple[Path, OSError]] = []

    def cannot_list(error: OSError) -> None:
        unlisted.append((Path(error.filename) if error.filename else standards, error))

    for folder, folders, files in os.walk(standards, followlinks=False, onerror=cannot_list):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        base = Path(folder)
        found.extend(base / name for name in files if is_standards_file(name))
        # A linked folder is not walked: say so if it holds the standards' files elsewhere.
        found.extend(
            base / name
            for name in folders
            if (base / name).is_symlink() and not _surely_inside(base / name, standards)
        )
    return Discovery(sorted(found, key=lambda p: p.relative_to(standards).as_posix()), unlisted)


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, its links followed, is in `folder`; raises where they cannot be
    followed (a loop of links)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except RuntimeError as loop:  # Python 3.11 says a loop of links so
        raise OSError(errno.ELOOP, str(loop), str(path)) from None


def _surely_inside(path: Path, folder: Path) -> bool:
    """`_inside`, where a link that cannot be followed is not (`_refused_file` says why)."""
    try:
        return _inside(path, folder)
    except OSError:
        return False


def _refused_file(path: Path, standards: Path, display: str) -> Diagnostic | None:
    """A link may point anywhere on the machine that builds the site (`/etc/passwd`,
    `~/.ssh/…`, `/dev/zero`): only a regular file inside the standards folder is read. A link
    that leads nowhere or in a circle, and a file the system will not let us read, are said
    as such."""
    try:
        if path.is_symlink() and not _inside(path, standards):
            return Diagnostic(
                Rule.FILE_OUTSIDE,
                Location(display, 1, 1),
                f"`{display}` is a link to `{printable(path.readlink())}`, outside the "
                "standards folder; it was not read",
                "Copy the file into the standards folder instead of linking to it.",
            )
        mode = path.stat().st_mode
    except OSError as error:
        return _unreadable(path, display, error)
    if not stat.S_ISREG(mode):
        return Diagnostic(
            Rule.FILE_OUTSIDE,
            Location(display, 1, 1),
            f"`{display}` is not a regular file (a folder link, a device or a pipe); "
            "it was not read",
            "Keep only ordinary `.yml` files in the standards folder.",
        )
    return None


def _unreadable(path: Path, display: str, error: OSError, *, folder: bool = False) -> Diagnostic:
    """Why the system would not give us a file (or a folder's list of files), in a policy
    owner's words."""
    what = "the folder" if folder else "the file"
    unread = "the files in it were not read" if folder else "it was not read"
    if error.errno == errno.ELOOP:
        message = f"`{display}` is a link that leads back to itself (a loop of links); {unread}"
        hint = "Replace the link by the file it should lead to, or remove it."
    elif error.errno == errno.ENOENT and (target := _link_target(path)) is not None:
        message = f"`{display}` is a link to `{target}`, which does not exist; {unread}"
        hint = "Remove the link, or restore what it leads to."
    elif error.errno in (errno.EACCES, errno.EPERM):
        message = f"{what} `{display}` may not be read (permission denied); {unread}"
        hint = (
            f"Let the user who runs `handbook` read {what} "
            f"(`chmod a+r{'x' if folder else ''} …`), or move it out of the standards folder."
        )
    else:
        message = f"{what} `{display}` cannot be read ({error.strerror or error}); {unread}"
        hint = f"Check {what} and the disk it is on, or move it out of the standards folder."
    return Diagnostic(Rule.FILE_UNREADABLE, Location(display, 1, 1), message, hint)


def _link_target(path: Path) -> str | None:
    try:
        return printable(path.readlink())
    except OSError:  # not a link
        return None


def _names_not_utf8(paths: list[Path], displays: list[str]) -> list[Diagnostic]:
    """A file name that is not UTF-8 is shown with its bytes escaped (`caf\\xe9.yml`); Git
    hosts, editors and other systems show it garbled or refuse it."""
    problems = []
    for path, display in zip(paths, displays, strict=True):
        name = os.fsencode(path)
        try:
            name.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Diagnostic(
                    Rule.FILE_ENCODING,
                    Location(display, 1, 1),
                    f"the name of `{display}` is not UTF-8 (byte 0x{name[error.start]:02X})",
                    "Rename the file with a name in UTF-8 (letters, digits and hyphens are "
                    "safest).",
                )
            )
    return problems


def _name_clashes(displays: list[str]) -> list[Diagnostic]:
    """Two names that one checkout tells apart and another cannot (`Norms.yml` and
    `norms.yml` on Windows or macOS; `ö` written as one or as two code points): on the
    second machine one file silently replaces the other."""
    first: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for display in displays:
        key = unicodedata.normalize("NFC", display).casefold()
        if key in first:
            problems.append(
                Diagnostic(
                    Rule.FILE_NAME_CLASH,
                    Location(display, 1, 1),
                    f"`{display}` and `{first[key]}` differ only in upper and lower case or "
                    "in how accented letters are encoded; on Windows and macOS they are one "
                    "file",
                    "Rename one of the two files, or merge them.",
                )
            )
        else:
            first[key] = display
    return problems


_SETTINGS_KEY = re.compile(r"^handbook[ \t]*:", re.MULTILINE)


def read_settings(standards: Path) -> Settings | None:
    """The handbook's settings alone, as `load_handbook` would give them (the first file, in
    its order, with a `handbook:` section), without parsing and validating every item: the
    build asks for the languages before it builds. None if they cannot be read so; the build
    then reports why."""
    for path in discover(standards).files if standards.is_dir() else []:
        if _refused_file(path, standards, path.name) is not None:
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        if not _SETTINGS_KEY.search(text):  # a top-level key starts a line
            continue
        data = parse_yaml(text.replace("\r\n", "\n"), path.name).data
        if not isinstance(data, dict) or "handbook" not in data:
            continue
        try:
            return Settings.model_validate(data["handbook"])
        except ValidationError:
            return None
    return None


def load_handbook(
    standards: Path,
    *,
    label: str | None = None,
    cache: FileCache[LoadedFile] | None = None,
    store: ParseStore | None = None,
) -> LoadResult:
    """Read, parse and validate `standards/**/*.yml` into a Handbook.

    `label` replaces the folder's path in every location, so that standards unpacked from a
    release into a scratch folder are reported as, say, `standards@1.0/norms.yml:12`.
    `cache` keeps each file's reading between calls (`mkdocs serve`): a file whose bytes did
    not change is neither parsed nor validated again. `store` keeps parsed files on disk
    between runs (`handbook validate`): a file whose bytes did not change is not parsed again.
    """
    problems: list[Diagnostic] = []
    sources: dict[str, str] = {}
    root = label if label is not None else printable(standards.as_posix())
    files, unlisted = discover(standards) if standards.is_dir() else Discovery([], [])
    problems.extend(
        _unreadable(folder, _display(root, folder, standards), error, folder=True)
        for folder, error in unlisted
    )
    if not files:
        if problems:  # the folder is there, but cannot be listed
            return LoadResult(None, problems, sources)
        problems.append(
            Diagnostic(
                Rule.NO_STANDARDS,
                Location(standards.as_posix(), 1, 1),
                f"no YAML files found in `{standards.as_posix()}`",
                "Point to the folder that holds the handbook's `*.yml` files "
                "(by default `standards/`), or create it with `handbook init`.",
            )
        )
        return LoadResult(None, problems, sources)

    assembly = _Assembly()
    displays = [_display(root, path, standards) for path in files]
    problems.extend(_name_clashes(displays))
    problems.extend(_names_not_utf8(files, displays))
    seen: list[str] = []
    with collector.paused():
        # Each file's bytes are read, digested and decoded first (and let go), so that another
        # process can parse some of them meanwhile (`ParseStore.parse_ahead`).
        read: list[tuple[str, bytes, str | None, LoadedFile | None]] = []
        for path, display in zip(files, displays, strict=True):
            refused = _refused_file(path, standards, display)
            if refused is not None:
                problems.append(refused)
                continue
            raw = _read_bytes(path, display, problems)
            if raw is None:
                continue
            digest = hashlib.sha256(raw).digest()
            loaded = cache.get(display, digest) if cache is not None else None
            text = _decode(raw, display, problems) if loaded is None else None
            if loaded is not None or text is not None:
                read.append((display, digest, text, loaded))
        if store is not None:
            store.parse_ahead([(text, name, digest) for name, digest, text, _ in read if text])
        try:
            for display, digest, text, loaded in read:
                if loaded is None:
                    assert text is not None
                    if store is not None:
                        parsed = store.parse(text, display, digest)
                    else:
                        parsed = parse_yaml(text, display)
                    loaded = load_file(text, display, parsed)
                    if cache is not None:
                        cache.put(display, digest, loaded)
                seen.append(display)
                sources[display] = loaded.text
                problems.extend(loaded.problems)
                assembly.add_file(loaded, problems)
        finally:
            if store is not None:
                store.finish()  # the parsing process, however loading ended
    if cache is not None:
        cache.keep_only(seen)
    if store is not None:
        store.prune()

    settings = assembly.settings
    if assembly.settings_at is None and not assembly.settings_unparsed:
        problems.append(
            Diagnostic(
                Rule.MISSING_SETTINGS,
                Location(displays[0], 1, 1),
                "no file has a `handbook:` section",
                "Add to one file (usually `standards/handbook.yml`):\n"
                "handbook:\n  title: Service Standards\n  organisation: Your company",
            )
        )
    # Settings that are there but wrong were reported where they are wrong; what could be read
    # of them stands in, and what could not is not checked against.
    languages_read = settings is not None and assembly.settings_unread.isdisjoint(LANGUAGE_FIELDS)
    if settings is None:
        settings = Settings(title="Service Standards", organisation="")
    handbook = Handbook(
        settings=settings,
        root=root,
        taxonomy={section: tuple(assembly.sections[section]) for section in TAXONOMY_SECTIONS},
        values=tuple(assembly.sections["values"]),
        norms=tuple(assembly.sections["norms"]),
        parameters=tuple(assembly.sections["parameters"]),
        origins=assembly.origins,
        index=merge(assembly.indexes) if assembly.indexes else EMPTY,
        unreadable_ids=frozenset(assembly.unreadable),
        duplicates=tuple(assembly.duplicates),
        unreadable_refs=frozenset(assembly.unreadable_refs),
        misread_ids=frozenset(assembly.misread),
        unreadable_origins=assembly.unreadable_origins,
        partials=tuple(assembly.partials),
        settings_origin=assembly.settings_origin,
        settings_unread=assembly.settings_unread,
        languages_read=languages_read,
        file_names={
            display: real
            for display, real in (
                (display, path.relative_to(standards).as_posix())
                for path, display in zip(files, displays, strict=True)
            )
            if display != f"{root}/{real}"
        },
    )
    return LoadResult(handbook, sorted_diagnostics(problems), sources)


def _display(root: str, path: Path, standards: Path) -> str:
    """How reports name a file: below the standards' label, as a terminal can show it."""
    relative = path.relative_to(standards).as_posix()
    return root if relative == "." else f"{root}/{printable(relative)}"


def _read_bytes(path: Path, display: str, problems: list[Diagnostic]) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Diagnostic(
                    Rule.FILE_TOO_LARGE,
                    Location(display, 1, 1),
                    f"the file has {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    "Split the standards into several files (for example one per value).",
                )
            )
            return None
        return path.read_bytes()
    except OSError as error:  # a disk error, or the file changed since it was listed
        problems.append(_unreadable(path, display, error))
        return None


def _decode(raw: bytes, display: str, problems: list[Diagnostic]) -> str | None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Diagnostic(
                Rule.FILE_ENCODING,
                Location(display, line, column),
                f"byte 0x{raw[error.start]:02X} is not valid UTF-8",
                "Save the file as UTF-8 (in VS Code: 'Save with Encoding' → UTF-8).",
            )
        )
        return None
    return text.replace("\r\n", "\n")


class _Entry(NamedTuple):
    """One entry of a section as its own file gives it: the item, or what it mentions. (A
    named tuple: a large handbook has tens of thousands, and a tuple is made much faster than a
    frozen dataclass, and is as immutable.)"""

    section: str
    key: str
    """How the whole handbook knows it: the id, or `section:id` for a taxonomy term; empty for
    an entry without an id that could be read."""
    item: Term | Value | Norm | Parameter | None
    origin: Origin
    raw_id: str | None
    mentioned: frozenset[str]
    partial: Partial | None
    """For an entry that failed the schema: what could be read of it."""
    misread: bool = False
    """Whether its id itself failed the schema."""


class _SettingsFound(NamedTuple):
    """A file's `handbook:` section: reported only if it is the first of the handbook."""

    written: Origin
    """Where the key `handbook:` stands (for a second one, "first at …")."""
    origin: Origin
    """Where its fields are."""
    settings: Settings | None
    """The settings if valid; else what could be read of them, if anything."""
    unread: frozenset[str]
    """The fields that failed the schema (or were filled in to read the rest)."""
    problems: tuple[Diagnostic, ...]


class _Unparsed(NamedTuple):
    """What a file that could not be parsed seems to hold, from its text: the ids in it and
    whether it has the settings. Nothing is concluded from their absence elsewhere."""

    ids: frozenset[str]
    terms: frozenset[str]
    settings: bool


@dataclass(frozen=True)
class LoadedFile:
    """One file read on its own: its text, its problems and its entries. Nothing here depends
    on another file, so it stays valid as long as the file's bytes do."""

    text: str
    problems: tuple[Diagnostic, ...]
    settings: _SettingsFound | None
    entries: tuple[_Entry, ...]
    index: Index
    """The index of the file's values, norms and parameters (`generator/model/index.py`)."""
    bulk: _Bulk | None
    """The file's items at once, if every entry is valid and no key repeats in the file."""
    unparsed: _Unparsed | None = None
    """For a file whose YAML could not be parsed: what its text mentions."""


@dataclass(frozen=True)
class _Bulk:
    """What a sound file adds to the handbook, ready to be added in a few dictionary and list
    operations rather than one entry at a time (a handbook has tens of thousands of entries;
    `mkdocs serve` adds them all again after each save)."""

    origins: Mapping[str, Origin]
    sections: Mapping[str, tuple[Any, ...]]


def load_file(text: str, file: str, parsed: ParsedYaml) -> LoadedFile:
    """Validate each entry of one parsed file against the schema."""
    problems = list(parsed.problems)
    settings = None
    entries: list[_Entry] = []
    data = parsed.data
    if data is None and parsed.problems:
        return LoadedFile(text, tuple(problems), None, (), EMPTY, None, _unparsed(text))
    if data is not None and not isinstance(data, dict):
        problems.append(
            Diagnostic(
                Rule.WRONG_TYPE,
                parsed.positions.get((), Location(file, 1, 1)),
                "a standards file must be a mapping of sections such as `norms:`",
                "Start the file with a section name followed by a colon, e.g.\n"
                "norms:\n  - id: NRM-001\n    title: …",
            )
        )
    elif data is not None:
        for key, body in data.items():
            if key == "handbook":
                settings = _settings(file, body, parsed)
            elif key in SECTION_MODELS:
                entries.extend(_section(parsed, file, key, body, problems))
            else:
                key_at = parsed.key_positions[(key,)]
                problems.append(
                    unknown_field(key, key_at, list(HandbookFile.model_fields), "a file")
                )
    return LoadedFile(
        text, tuple(problems), settings, tuple(entries), _index(entries), _bulk(entries)
    )


def _settings(file: str, body: Data, parsed: ParsedYaml) -> _SettingsFound:
    path: NodePath = ("handbook",)
    origin = Origin(file, path, parsed.positions, parsed.key_positions)
    # Where the key stands is looked up only if a second `handbook:` is reported.
    written = Origin(file, path, parsed.key_positions)
    try:
        return _SettingsFound(written, origin, Settings.model_validate(body), frozenset(), ())
    except ValidationError as error:
        errors = error.errors()
        found = tuple(explain(errors, Settings, body, parsed, path, "the handbook settings"))
        partial = _partial(Settings, body, errors)
        if partial is None:
            return _SettingsFound(written, origin, None, frozenset(Settings.model_fields), found)
        read, unread = partial
        assert isinstance(read, Settings)
        return _SettingsFound(written, origin, read, unread, found)


_ITEM_ID_IN_TEXT = re.compile(r"\b(?:VAL|NRM|PAR)-[A-Z0-9]+(?:-[A-Z0-9]+)*")
_TERM_ID_IN_TEXT = re.compile(r"""\bid[ \t]*:[ \t]*["']?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)""")


def _unparsed(text: str) -> _Unparsed:
    """A file that is not YAML may still hold the definitions other files refer to: every id
    written in it counts as one that exists but could not be read, so that its one syntax
    error is not followed by an unknown reference for each of them elsewhere."""
    return _Unparsed(
        frozenset(_ITEM_ID_IN_TEXT.findall(text)),
        frozenset(_TERM_ID_IN_TEXT.findall(text)),
        _SETTINGS_KEY.search(text) is not None,
    )


def _bulk(entries: list[_Entry]) -> _Bulk | None:
    origins: dict[str, Origin] = {}
    sections: dict[str, list[Any]] = {}
    for entry in entries:
        if entry.item is None or entry.key in origins:
            return None
        origins[entry.key] = entry.origin
        sections.setdefault(entry.section, []).append(entry.item)
    return _Bulk(origins, {section: tuple(items) for section, items in sections.items()})


def _index(entries: Iterable[_Entry]) -> Index:
    sections: dict[str, list[Any]] = {section: [] for section in ITEM_SECTIONS}
    for entry in entries:
        if entry.item is not None and entry.section in sections:
            sections[entry.section].append(entry.item)
    return index_items(sections["values"], sections["norms"], sections["parameters"])


def _section(
    parsed: ParsedYaml, file: str, section: str, body: Data, problems: list[Diagnostic]
) -> Iterator[_Entry]:
    if body is None:
        return
    if not isinstance(body, tuple):
        problems.append(
            Diagnostic(
                Rule.WRONG_TYPE,
                parsed.positions[(section,)],
                f"`{section}:` must be a list of {section}",
                f"Write each entry on a line starting with `- `, e.g.\n{section}:\n"
                f"  - id: {ID_EXAMPLES.get(section, 'an-id')}",
            )
        )
        return
    model = SECTION_MODELS[section]
    noun = SECTION_NOUN[section]
    for index, raw in enumerate(body):
        path: NodePath = (section, index)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        shown_id = raw_id if isinstance(raw_id, str) else None
        origin = Origin(file, path, parsed.positions, parsed.key_positions)
        try:
            item = model.model_validate(raw)
        except ValidationError as error:
            errors = error.errors()
            label = f"{noun} {shown(raw_id)}" if shown_id else f"{noun} #{index + 1}"
            problems.extend(explain(errors, model, raw, parsed, path, label))
            key = "" if shown_id is None else _key(section, shown_id)
            partial = None
            if shown_id is not None:
                read = _partial(model, raw, errors)
                if read is not None:
                    assert isinstance(read[0], Term | Value | Norm | Parameter)
                    partial = Partial(section, read[0], read[1])
            mentioned = frozenset(_mentioned_ids(raw))
            misread = any(error["loc"][:1] == ("id",) for error in errors)
            yield _Entry(section, key, None, origin, shown_id, mentioned, partial, misread)
            continue
        assert isinstance(item, Term | Value | Norm | Parameter)
        yield _Entry(section, _key(section, item.id), item, origin, shown_id, frozenset(), None)


def _key(section: str, identifier: str) -> str:
    return f"{section}:{identifier}" if section in TAXONOMY_SECTIONS else identifier


_PLACEHOLDER = "x"
"""Stands in for a required field that could not be read: text and a term id alike. Always
listed among the entry's unread fields, so nothing is concluded from it."""


def _partial(
    model: type[BaseModel], raw: Data, errors: Iterable[ErrorDetails]
) -> tuple[BaseModel, frozenset[str]] | None:
    """What can be read of an entry that failed the schema: the entry again without the fields
    at fault, a misspelt key's intended field counted among them (`trace_to` was meant to be
    `traces_to`, so an empty `traces_to` says nothing) or, when what a key meant cannot be
    told, every field not written. Within a nested mapping (`measure`, `examples`) only the
    key at fault is left out, if the rest still reads. None if the entry has no readable id or
    is no mapping."""
    if not isinstance(raw, dict):
        return None
    fields = model.model_fields
    unread: set[str] = set()
    inner: dict[str, set[str]] = {}
    for error in errors:
        loc = error["loc"]
        if not loc:
            return None
        name = str(loc[0])
        nested = raw.get(name)
        if error["type"] == "extra_forbidden" and len(loc) == 1:
            meant = did_you_mean(name, fields)
            unread.update([meant] if meant else (f for f in fields if f not in raw))
        elif (
            len(loc) > 1
            and name in fields
            and isinstance(nested, dict)
            and loc[1] in nested
            and _is_model(fields[name].annotation)
        ):
            inner.setdefault(name, set()).add(str(loc[1]))
        else:
            unread.add(name)
    if "id" in unread and "id" in fields:
        return None
    for attempt in (inner, {}):
        left_out = unread | (set() if attempt else inner.keys())
        kept = {
            key: _without(value, attempt.get(key, set()))
            for key, value in raw.items()
            if key in fields and key not in left_out
        }
        filled = {
            name: _PLACEHOLDER
            for name, info in fields.items()
            if info.is_required() and name not in kept
        }
        try:
            read = model.model_validate({**kept, **filled})
        except ValidationError:
            continue
        dotted = {f"{name}.{key}" for name, keys in attempt.items() for key in keys}
        return read, frozenset(left_out | filled.keys() | dotted)
    return None


def _without(value: Data, keys: set[str]) -> Data:
    if not keys or not isinstance(value, dict):
        return value
    return {key: inner for key, inner in value.items() if key not in keys}


def _is_model(annotation: object) -> bool:
    """Whether a field holds a nested mapping of the model (`measure`, `examples`), as opposed
    to a text, whose keys are languages: a text missing a language is not partly read."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_is_model(arg) for arg in getattr(annotation, "__args__", ()))


class _Assembly:
    """Collects items from every file in order; ids are global across files."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.settings_at: Origin | None = None
        self.settings_origin: Origin | None = None
        self.settings_unread: frozenset[str] = frozenset()
        self.settings_unparsed = False
        """Whether a file that could not be parsed seems to hold `handbook:`."""
        self.sections: dict[str, list[Any]] = {section: [] for section in SECTION_MODELS}
        """Each section's items in the order written: terms, values, norms, parameters."""
        self.origins: dict[str, Origin] = {}
        self.unreadable: set[str] = set()
        self.misread: set[str] = set()
        self.unreadable_origins: dict[str, Origin] = {}
        self.partials: list[Partial] = []
        self.duplicates: list[tuple[str, Origin]] = []
        self.unreadable_refs: set[str] = set()
        self.indexes: list[Index] = []
        """Each file's index, in file order."""

    def add_file(self, loaded: LoadedFile, problems: list[Diagnostic]) -> None:
        if loaded.settings is not None:
            found = loaded.settings
            if self.settings_at is not None:
                problems.append(
                    Diagnostic(
                        Rule.MISSING_SETTINGS,
                        found.written.location,
                        f"`handbook:` is written again (first at {self.settings_at.location})",
                        "Keep one `handbook:` section for the whole handbook.",
                    )
                )
            else:
                self.settings_at = found.written
                self.settings_origin = found.origin
                self.settings = found.settings
                self.settings_unread = found.unread
                problems.extend(found.problems)
        if loaded.unparsed is not None:
            self._add_unparsed(loaded.unparsed)
        bulk = loaded.bulk
        if (
            bulk is not None
            and self.origins.keys().isdisjoint(bulk.origins)
            and self.unreadable_origins.keys().isdisjoint(bulk.origins)
        ):
            self.origins.update(bulk.origins)
            for section, items in bulk.sections.items():
                self.sections[section].extend(items)
            self.indexes.append(loaded.index)
            return
        dropped = False
        for entry in loaded.entries:
            item, origin, key = entry.item, entry.origin, entry.key
            taken = key in self.origins or key in self.unreadable_origins
            if item is None:
                self.unreadable_refs.update(entry.mentioned)
                if not key:
                    continue
                self.unreadable.add(key)
                if entry.misread:
                    self.misread.add(key)
                if taken:
                    self.duplicates.append((key, origin))
                    continue
                self.unreadable_origins[key] = origin
                if entry.partial is not None:
                    self.partials.append(entry.partial)
                continue
            if taken:
                # The first definition keeps the id (even one that failed the schema); the
                # check reports this one.
                self.duplicates.append((key, origin))
                dropped = True
                continue
            self.origins[key] = origin
            self.sections[entry.section].append(item)
        if dropped:  # the file's index counts an item the handbook leaves out
            kept = [e for e in loaded.entries if e.item and self.origins.get(e.key) is e.origin]
            self.indexes.append(_index(kept))
        else:
            self.indexes.append(loaded.index)

    def _add_unparsed(self, unparsed: _Unparsed) -> None:
        self.unreadable.update(unparsed.ids)
        self.unreadable_refs.update(unparsed.ids)
        self.unreadable.update(f"{s}:{term}" for s in TAXONOMY_SECTIONS for term in unparsed.terms)
        if unparsed.settings and self.settings_at is None:
            self.settings_unparsed = True


_ITEM_ID = re.compile(r"(VAL|NRM|PAR)-[A-Z0-9]+(-[A-Z0-9]+)*")


def _mentioned_ids(raw: Data) -> set[str]:
    """Item ids anywhere in an item that failed the schema, even under a misspelt key."""
    found: set[str] = set()
    pending: list[Data] = [raw]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if _ITEM_ID.fullmatch(node):
                found.add(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, tuple):
            pending.extend(node)
    return found
