"""A synthetic handbook in the formats of Doorstop and StrictDoc, to time those tools beside it.

`write_doorstop` gives a Doorstop tree: documents VAL, NRM (parent VAL) and PAR (parent NRM),
one YAML file per item, every link and every item already stamped as reviewed, so that
`doorstop` checks the tree as a maintained one (no "suspect link", no "unreviewed changes")
instead of reporting or rewriting 60,000 files. `write_strictdoc` gives a StrictDoc project:
one `.sdoc` document per kind with a `[REQUIREMENT]` per item and its Parent relations.

The handbook's files are read with plain `yaml.safe_load`: the conversion is test equipment,
not a second way to load a handbook, and it must not be timed as part of either tool.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

# Doorstop's document prefix, the digits of its numbers, and the parent document, per kind.
KINDS = (
    ("values", "VAL", 4, None, "Values"),
    ("norms", "NRM", 5, "VAL", "Norms"),
    ("parameters", "PAR", 6, "NRM", "Behaviour parameters"),
)


@dataclass(frozen=True)
class Requirement:
    """One value, norm or parameter as both tools see it: an id, a title, a text, its parents."""

    uid: str
    title: str
    text: str
    traces_to: tuple[str, ...]


def read_requirements(project: Path) -> dict[str, list[Requirement]]:
    """The values, norms and parameters of the handbook project in `project`, by kind, in the
    order of their files (sorted by name) and, within a file, the order they were written."""
    kinds: dict[str, list[Requirement]] = {kind: [] for kind, *_ in KINDS}
    for path in sorted((project / "standards").glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        for kind in kinds:
            for entry in data.get(kind) or []:
                kinds[kind].append(
                    Requirement(
                        uid=str(entry["id"]),
                        title=" ".join(str(entry["title"]).split()),
                        text=_text(entry.get("statement") or entry.get("requirement") or ""),
                        traces_to=tuple(str(t) for t in entry.get("traces_to") or ()),
                    )
                )
    return kinds


def _text(value: object) -> str:
    """The text as Doorstop keeps it (`Text.load_text`: no spaces ending a line), so that the
    stamps written here are the ones Doorstop computes."""
    return "\n".join(line.rstrip() for line in str(value).strip().split("\n"))


def _stamp(*values: str) -> str:
    """Doorstop's fingerprint (`doorstop.core.types.Stamp.digest`): SHA-256 over the values'
    text, URL-safe base64. A link's stamp is its parent's (uid, text, ref); an item's review
    stamp adds its own links."""
    digest = hashlib.sha256()
    for value in values:
        digest.update(value.encode())
    return base64.urlsafe_b64encode(digest.digest()).decode("utf-8")


def write_doorstop(project: Path, target: Path) -> Path:
    """Write the handbook in `project` as a Doorstop tree into `target` and return `target`."""
    kinds = read_requirements(project)
    texts = {item.uid: item.text for items in kinds.values() for item in items}
    # Doorstop looks upwards from the working folder for a version-control folder to find the
    # tree's root; `.mockvcs` is the one it accepts without a version-control program.
    (target / ".mockvcs").mkdir(parents=True, exist_ok=True)
    for kind, prefix, digits, parent, _title in KINDS:
        folder = target / prefix
        folder.mkdir(exist_ok=True)
        settings = {"digits": digits, "prefix": prefix, "sep": "-"}
        if parent:
            settings["parent"] = parent
        (folder / ".doorstop.yml").write_text(
            yaml.safe_dump({"settings": settings}, sort_keys=True), encoding="utf-8"
        )
        for level, item in enumerate(kinds[kind], start=1):
            links = sorted(item.traces_to)
            data = {
                "active": True,
                "derived": False,
                "header": item.title,
                "level": level,
                "links": [{uid: _stamp(uid, texts[uid], "")} for uid in links],
                "normative": True,
                "ref": "",
                "reviewed": _stamp(item.uid, item.text, "", *links),
                "text": item.text,
            }
            (folder / f"{item.uid}.yml").write_text(
                yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=100),
                encoding="utf-8",
            )
    return target


def _sdoc_field(name: str, text: str) -> str:
    if "\n" in text or not text:
        return f"{name}: >>>\n{text}\n<<<\n"
    return f"{name}: {text}\n"


def write_strictdoc(project: Path, target: Path) -> Path:
    """Write the handbook in `project` as a StrictDoc project (one `.sdoc` document per kind)
    into `target` and return `target`."""
    kinds = read_requirements(project)
    target.mkdir(parents=True, exist_ok=True)
    for kind, _prefix, _digits, _parent, title in KINDS:
        blocks = [f"[DOCUMENT]\nTITLE: {title}\n"]
        for item in kinds[kind]:
            block = f"[REQUIREMENT]\nUID: {item.uid}\nTITLE: {item.title}\n"
            block += _sdoc_field("STATEMENT", item.text)
            if item.traces_to:
                block += "RELATIONS:\n" + "".join(
                    f"- TYPE: Parent\n  VALUE: {uid}\n" for uid in item.traces_to
                )
            blocks.append(block)
        (target / f"{kind}.sdoc").write_text("\n".join(blocks), encoding="utf-8")
    return target
