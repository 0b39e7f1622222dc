"""Load: every YAML file under `standards/` into one immutable Handbook, plus located problems.

Each item is validated on its own, so one bad norm costs only that norm: the rest still load
and are still checked, and a policy owner sees every problem of a pull request in one run.
"""

from __future__ import annotations

import difflib
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

from generator import collector
from generator.diagnostics import Diagnostic, Rule, sorted_diagnostics
from generator.filecache import FileCache
from generator.filesystem import printable
from generator.index import EMPTY, Index, index_items, merge
from generator.model import (
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
    Role,
    Settings,
    Term,
    Value,
)
from generator.parsecache import ParseStore
from generator.yamlsource import Data, ParsedYaml, parse_yaml
from generator.yamlsource import Path as NodePath

MAX_FILE_BYTES = 8 * 1024 * 1024
"""A policy file larger than this is a mistake (a pasted export, a binary): refuse it early."""

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
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
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
    if settings is None:
        problems.append(
            Diagnostic(
                Rule.MISSING_SETTINGS,
                Location(files[0].as_posix(), 1, 1),
                "no file has a `handbook:` section",
                "Add to one file (usually `standards/handbook.yml`):\n"
                "handbook:\n  title: Service Standards\n  organisation: Your company",
            )
        )
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
    """How the whole handbook knows it: the id, or `section:id` for a taxonomy term."""
    item: Term | Value | Norm | Parameter | None
    origin: Origin | None
    raw_id: str | None
    mentioned: frozenset[str]


@dataclass(frozen=True)
class LoadedFile:
    """One file read on its own: its text, its problems and its entries. Nothing here depends
    on another file, so it stays valid as long as the file's bytes do."""

    text: str
    problems: tuple[Diagnostic, ...]
    settings: tuple[Origin, Settings | None, tuple[Diagnostic, ...]] | None
    """Where `handbook:` stands, the settings if valid, and the problems of validating them:
    reported only if this is the first `handbook:` of the handbook."""
    entries: tuple[_Entry, ...]
    index: Index
    """The index of the file's values, norms and parameters (`generator/index.py`)."""
    bulk: _Bulk | None
    """The file's items at once, if every entry is valid and no key repeats in the file."""


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
                found: list[Diagnostic] = []
                valid = _validate(
                    Settings, body, parsed, ("handbook",), "the handbook settings", found
                )
                # Where the key stands is looked up only if a second `handbook:` is reported.
                written = Origin(file, (key,), parsed.key_positions)
                settings = (written, valid if isinstance(valid, Settings) else None, tuple(found))
            elif key in SECTION_MODELS:
                entries.extend(_section(parsed, file, key, body, problems))
            else:
                key_at = parsed.key_positions[(key,)]
                problems.append(
                    _unknown_field(key, key_at, list(HandbookFile.model_fields), "a file")
                )
    return LoadedFile(
        text, tuple(problems), settings, tuple(entries), _index(entries), _bulk(entries)
    )


def _bulk(entries: list[_Entry]) -> _Bulk | None:
    origins: dict[str, Origin] = {}
    sections: dict[str, list[Any]] = {}
    for entry in entries:
        if entry.item is None or entry.origin is None or entry.key in origins:
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
        try:
            item = model.model_validate(raw)
        except ValidationError as error:
            label = f"{noun} {raw_id}" if isinstance(raw_id, str) else f"{noun} #{index + 1}"
            problems.extend(_explain(error.errors(), model, raw, parsed, path, label))
            item = None
        shown_id = raw_id if isinstance(raw_id, str) else None
        if item is None:
            yield _Entry(section, "", None, None, shown_id, frozenset(_mentioned_ids(raw)))
            continue
        assert isinstance(item, Term | Value | Norm | Parameter)
        key = f"{section}:{item.id}" if isinstance(item, Term) else item.id
        origin = Origin(file, path, parsed.positions)
        yield _Entry(section, key, item, origin, shown_id, frozenset())


class _Assembly:
    """Collects items from every file in order; ids are global across files."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.settings_at: Origin | None = None
        self.sections: dict[str, list[Any]] = {section: [] for section in SECTION_MODELS}
        """Each section's items in the order written: terms, values, norms, parameters."""
        self.origins: dict[str, Origin] = {}
        self.unreadable: set[str] = set()
        self.duplicates: list[tuple[str, Origin]] = []
        self.unreadable_refs: set[str] = set()
        self.indexes: list[Index] = []
        """Each file's index, in file order."""

    def add_file(self, loaded: LoadedFile, problems: list[Diagnostic]) -> None:
        if loaded.settings is not None:
            written, settings, found = loaded.settings
            if self.settings_at is not None:
                problems.append(
                    Diagnostic(
                        Rule.MISSING_SETTINGS,
                        written.location,
                        f"`handbook:` is written again (first at {self.settings_at.location})",
                        "Keep one `handbook:` section for the whole handbook.",
                    )
                )
            else:
                self.settings_at = written
                self.settings = settings
                problems.extend(found)
        bulk = loaded.bulk
        if bulk is not None and self.origins.keys().isdisjoint(bulk.origins):
            self.origins.update(bulk.origins)
            for section, items in bulk.sections.items():
                self.sections[section].extend(items)
            self.indexes.append(loaded.index)
            return
        dropped = False
        for entry in loaded.entries:
            item, origin = entry.item, entry.origin
            if item is None or origin is None:
                if entry.raw_id is not None:
                    self.unreadable.add(entry.raw_id)
                self.unreadable_refs.update(entry.mentioned)
                continue
            if entry.key in self.origins:
                # The first definition keeps the id; the check reports this one.
                self.duplicates.append((entry.key, origin))
                dropped = True
                continue
            self.origins[entry.key] = origin
            self.sections[entry.section].append(item)
        if dropped:  # the file's index counts an item the handbook leaves out
            kept = [e for e in loaded.entries if e.origin and self.origins.get(e.key) is e.origin]
            self.indexes.append(_index(kept))
        else:
            self.indexes.append(loaded.index)


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


def _validate(
    model: type[BaseModel],
    raw: Data,
    parsed: ParsedYaml,
    path: NodePath,
    label: str,
    problems: list[Diagnostic],
) -> BaseModel | None:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.extend(_explain(error.errors(), model, raw, parsed, path, label))
        return None


def _explain(
    errors: Iterable[ErrorDetails],
    model: type[BaseModel],
    raw: Data,
    parsed: ParsedYaml,
    base: NodePath,
    label: str,
) -> list[Diagnostic]:
    """Turn pydantic's errors into one diagnostic per YAML node at fault.

    A union (text or a language map) fails once per branch; those are merged into a single
    'expected text or a mapping' so that the policy owner reads one message per mistake.
    """
    grouped: dict[tuple[NodePath, str], list[ErrorDetails]] = {}
    for error in errors:
        data_path, kind = _data_path(raw, error)
        if (*base, *data_path) in parsed.refused:
            continue
        grouped.setdefault((data_path, kind), []).append(error)
    result: list[Diagnostic] = []
    for (data_path, kind), group in grouped.items():
        result.append(_describe(kind, group, model, parsed, base, data_path, label))
    return result


def _data_path(raw: Data, error: ErrorDetails) -> tuple[NodePath, str]:
    """The path within the YAML that the error is about, without pydantic's union-branch tags."""
    node: Any = raw
    path: list[str | int] = []
    loc = list(error["loc"])
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        descends = (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, tuple) and isinstance(part, int) and 0 <= part < len(node)
        )
        if descends:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and last and error["type"] in ("missing", "extra_forbidden"):
            path.append(part)
    kind = error["type"]
    if kind in _EXPECTED or kind.endswith("_type"):
        kind = "type"
    return tuple(path), kind


def _describe(
    kind: str,
    group: list[ErrorDetails],
    model: type[BaseModel],
    parsed: ParsedYaml,
    base: NodePath,
    data_path: NodePath,
    label: str,
) -> Diagnostic:
    full = (*base, *data_path)
    field = str(data_path[-1]) if data_path else ""
    where = f"`{_dotted(data_path)}` of {label}" if data_path else label
    first = group[0]
    if kind == "missing":
        parent = parsed.positions.get(full[:-1]) or parsed.positions[base]
        described = _field_description(model, data_path)
        return Diagnostic(
            Rule.MISSING_FIELD,
            parent,
            f"{label} has no `{_dotted(data_path)}`",
            f"Add a line `{field}: …` to {label}" + (f" ({described})." if described else "."),
        )
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, data_path[:-1])
        return _unknown_field(
            field, parsed.key_positions.get(full) or parsed.positions[base], allowed, label
        )
    at = parsed.positions.get(full) or parsed.positions[base]
    given = first["input"]
    if kind == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        return Diagnostic(
            Rule.BAD_ENUM,
            at,
            f"{where} is `{_show(given)}`; allowed: {expected}",
            f"Write one of {expected}.",
        )
    if kind == "string_pattern_mismatch":
        pattern = str(first.get("ctx", {}).get("pattern", ""))
        return Diagnostic(
            Rule.BAD_ID,
            at,
            f"{where} is `{_show(given)}`, which is not a well-formed id",
            _id_hint(pattern),
        )
    if (kind == "value_error" and "date" in first["msg"]) or kind.startswith("date"):
        reason = first["msg"].removeprefix("Value error, ")
        return Diagnostic(
            Rule.BAD_DATE,
            at,
            f"{where} is `{_show(given)}`: {reason}",
            "Write the date as YYYY-MM-DD, for example 2026-03-01.",
        )
    if kind == "type":
        expected = " or ".join(dict.fromkeys(_EXPECTED.get(e["type"], e["type"]) for e in group))
        hint = f"Write {expected} here."
        if isinstance(given, int | float | bool) and "text" in expected:
            hint = f'Put the text in quotes: `{field}: "{_show(given)}"`.'
        return Diagnostic(
            Rule.WRONG_TYPE,
            at,
            f"{where} must be {expected}, not {_describe_type(given)}",
            hint,
        )
    return Diagnostic(Rule.WRONG_TYPE, at, f"{where}: {first['msg']}", "Correct the value.")


def _unknown_field(name: str, at: Location, allowed: list[str], label: str) -> Diagnostic:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = (
        f"Did you mean `{close[0]}`?"
        if close
        else "Allowed here: " + ", ".join(f"`{a}`" for a in allowed) + "."
    )
    return Diagnostic(Rule.UNKNOWN_FIELD, at, f"`{name}` is not a field of {label}", hint)


def _allowed_fields(model: type[BaseModel], path: NodePath) -> list[str]:
    current: type[BaseModel] = model
    for part in path:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation if part in current.model_fields else None
        nested = _model_in(annotation)
        if nested is None:
            break
        current = nested
    return list(current.model_fields)


def _field_description(model: type[BaseModel], path: NodePath) -> str:
    """The schema's own description of a field, to tell a policy owner what belongs there."""
    owner = _model_in(model)
    names = [part for part in path if isinstance(part, str)]
    for name in names[:-1]:
        if owner is None or name not in owner.model_fields:
            return ""
        owner = _model_in(owner.model_fields[name].annotation)
    if owner is None or not names or names[-1] not in owner.model_fields:
        return ""
    description = owner.model_fields[names[-1]].description or ""
    return description.rstrip(".").lower() if description else ""


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _id_hint(pattern: str) -> str:
    for prefix in ("VAL", "NRM", "PAR"):
        if prefix in pattern:
            return (
                f"Write `{prefix}-` followed by capital letters or digits, "
                f"for example {prefix}-001."
            )
    return "Write lowercase letters, digits and hyphens, starting with a letter: `face-to-face`."


def _dotted(path: NodePath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _show(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _describe_type(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text `{_show(value)}`"
