"""Fuzzing the loader and the checks: random but plausible handbooks, mutated, and raw bytes.

The property is what a policy owner relies on: whatever a pull request holds, validation
ends with diagnostics, never a traceback; each names a file that exists, a line in it and a
fix; the same input gives the same diagnostics every time; and a handbook with no error renders.

`tests/test_fuzz.py` runs a short, seeded campaign on every test run. A long one:

    .venv/bin/python -m tests.fuzz --examples 20000 --seed 1 --corpus tests/fixtures/fuzz

keeps the first input of every new combination of rules it sees in the corpus folder; the
suite replays the corpus, so a case found once stays tested.
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime as dt
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from generator.model.diagnostics import RULES
from generator.pipeline import validate
from generator.site.render import render_handbook

TODAY = dt.date(2026, 11, 22)
Files = dict[str, bytes]

CHANNELS = ("face-to-face", "phone", "written")
CATEGORIES = ("gestures", "vocabulary", "proxemics", "appearance", "speed", "safety")
SETTINGS = {
    "handbook": {"title": "Fuzz", "organisation": "Fuzz Ltd"},
    "channels": [{"id": c, "title": c.title()} for c in CHANNELS],
    "categories": [{"id": c, "title": c.title()} for c in CATEGORIES],
    "owners": [{"id": "head-of-service", "title": "Head of Service"}],
}

# --- plausible handbooks ------------------------------------------------------------------
odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["", " ", "yes", "no", "~", "null", "2026-13-45", "0755", "1e400", "NaN"]),
    st.sampled_from(["\u202e", "\ufeff", "\x00", "\x1b[31m", "İı", "e\u0301", "\U0001d518"]),
    st.integers(min_value=0, max_value=2000).map(lambda n: "x" * n * 50),
)
scalar: st.SearchStrategy[Any] = st.one_of(
    odd_text, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()
)
junk: st.SearchStrategy[Any] = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _ids(prefix: str, numbers: list[int]) -> list[str]:
    return [f"{prefix}-{n:03d}" for n in numbers]


@st.composite
def handbooks(draw: st.DrawFn) -> Files:
    """A handbook that is right more often than not, then broken in a few random places."""
    value_ids = _ids("VAL", draw(st.lists(st.integers(1, 9), max_size=4)))
    norm_ids = _ids("NRM", draw(st.lists(st.integers(1, 12), max_size=6)))
    parameter_ids = _ids("PAR", draw(st.lists(st.integers(1, 20), max_size=8)))
    known = st.sampled_from(value_ids) if value_ids else st.just("VAL-404")
    norms_known = st.sampled_from(norm_ids) if norm_ids else st.just("NRM-404")
    values = [
        {"id": i, "title": draw(odd_text), "statement": draw(odd_text), "owner": "head-of-service"}
        for i in value_ids
    ]
    norms = [
        {
            "id": i,
            "title": draw(odd_text),
            "statement": draw(odd_text),
            "traces_to": draw(st.lists(known, max_size=2)),
            "channels": draw(st.lists(st.sampled_from(CHANNELS), max_size=2, unique=True)),
            "owner": "head-of-service",
            "status": draw(st.sampled_from(["active", "active", "draft", "retired", "gone"])),
        }
        for i in norm_ids
    ]
    parameters = [
        {
            "id": i,
            "title": draw(odd_text),
            "requirement": draw(odd_text),
            "traces_to": draw(st.lists(norms_known, min_size=1, max_size=2)),
            "channel": draw(st.sampled_from(CHANNELS)),
            "category": draw(st.sampled_from(CATEGORIES)),
            "owner": "head-of-service",
        }
        for i in parameter_ids
    ]
    sections: dict[str, Any] = {
        **copy.deepcopy(SETTINGS),
        "values": values,
        "norms": norms,
        "parameters": parameters,
    }
    for _ in range(draw(st.integers(0, 4))):
        _mutate(draw, sections)
    return _files(draw, sections)


def _mutate(draw: st.DrawFn, sections: dict[str, Any]) -> None:
    """One mistake a person (or an attacker) could make."""
    section = draw(st.sampled_from(sorted(sections)))
    content = sections[section]
    kind = draw(
        st.sampled_from(
            ["drop", "retype", "unknown", "replace-section", "nest", "mix", "duplicate"]
        )
    )
    items = content if isinstance(content, list) else []
    item = draw(st.sampled_from(items)) if items and isinstance(items[0], dict) else None
    if kind == "drop" and item:
        item.pop(draw(st.sampled_from(sorted(item))), None)
    elif kind == "retype" and item:
        item[draw(st.sampled_from(sorted(item)))] = draw(junk)
    elif kind == "unknown" and item is not None:
        item[draw(st.text(min_size=1, max_size=10))] = draw(junk)
    elif kind == "replace-section":
        sections[section] = draw(junk)
    elif kind == "nest":
        depth = draw(st.integers(1, 90))
        nested: Any = "bottom"
        for _ in range(depth):
            nested = [nested]
        sections[section] = nested
    elif kind == "mix" and items:
        other = draw(st.sampled_from(["values", "norms", "parameters"]))
        if isinstance(sections.get(other), list) and sections[other]:
            items.append(draw(st.sampled_from(sections[other])))
    elif kind == "duplicate" and items:
        items.append(items[0])


def _files(draw: st.DrawFn, sections: dict[str, Any]) -> Files:
    """The sections spread over one to three files, written the way people write YAML."""
    names = ["handbook.yml", "norms.yml", "more/parameters.yaml"][: draw(st.integers(1, 3))]
    grouped: dict[str, dict[str, Any]] = {name: {} for name in names}
    for key, value in sections.items():
        grouped[draw(st.sampled_from(names))][key] = value
    files: Files = {}
    for name, content in grouped.items():
        style = draw(st.sampled_from(["block", "flow", "json"]))
        if style == "json":
            text = json.dumps(content, ensure_ascii=draw(st.booleans()))
        else:
            text = yaml.safe_dump(
                content, allow_unicode=True, sort_keys=False, default_flow_style=style == "flow"
            )
        if draw(st.booleans()):
            text = text.replace("\n", "\r\n")
        raw = text.encode("utf-8")
        if draw(st.integers(0, 9)) == 0:
            raw = b"\xef\xbb\xbf" + raw
        if draw(st.integers(0, 9)) == 0:
            raw = b""
        files[name] = raw
    return files


# --- raw bytes ----------------------------------------------------------------------------
SEED_FILE = (
    b"values:\n  - id: VAL-001\n    title: Care\n    statement: 'We treat: guests.'\n"
    b"    owner: head-of-service\nnorms:\n  - {id: NRM-001, title: T, statement: S,\n"
    b"     traces_to: [VAL-001], channels: [phone]}\n"
)


@st.composite
def byte_edits(draw: st.DrawFn) -> Files:
    """A small valid file with bytes inserted, deleted or overwritten, or bytes at random."""
    if draw(st.booleans()):
        return {"junk.yml": draw(st.binary(max_size=512))}
    data = bytearray(SEED_FILE)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.one_of(
                st.binary(min_size=1, max_size=4),
                st.sampled_from([b"&a ", b"*a", b"!!python/object ", b"---\n", b"\t", b"[", b"{"]),
            )
        )
        if edit == "insert":
            data[at:at] = chunk
        elif edit == "delete":
            del data[at : at + len(chunk)]
        else:
            data[at : at + len(chunk)] = chunk
    return {"values.yml": bytes(data)}


# --- the property -------------------------------------------------------------------------
def check_files(files: Files) -> frozenset[str]:
    """Validate `files` twice and render them if valid; the rules seen. Raises on any breach."""
    with tempfile.TemporaryDirectory() as folder:
        standards = Path(folder) / "standards"
        for name, content in files.items():
            (standards / name).parent.mkdir(parents=True, exist_ok=True)
            (standards / name).write_bytes(content)
        first = validate(standards, today=TODAY)
        again = validate(standards, today=TODAY)
        assert first.diagnostics == again.diagnostics, "the same input gave other diagnostics"
        lines = {
            f"{standards.as_posix()}/{name}": content.count(b"\n") + 1
            for name, content in files.items()
        }
        for diagnostic in first.diagnostics:
            where = diagnostic.location
            assert diagnostic.rule in RULES
            assert diagnostic.message.strip() and diagnostic.hint.strip(), diagnostic
            assert where.file in lines or where.file == standards.as_posix(), diagnostic
            assert 1 <= where.line <= lines.get(where.file, 1) + 1, diagnostic
            assert where.column >= 1, diagnostic
        if first.handbook is not None and not first.failed():
            rendered = render_handbook(first.handbook, today=TODAY)
            assert rendered.pages
            # Every page whole, its HTML blocks included (they are otherwise made only when a
            # site is written).
            for path in rendered.pages:
                assert rendered.markdown(path)
        return frozenset(d.rule.value for d in first.diagnostics)


# --- the long campaign --------------------------------------------------------------------
def campaign(examples: int, start: int, corpus: Path | None) -> dict[str, int]:
    """Run `examples` inputs of each kind; keep the first input of each new set of rules."""
    seen: dict[frozenset[str], Files] = {}
    counts = {"examples": 0}

    def record(files: Files) -> None:
        counts["examples"] += 1
        rules = check_files(files)
        if rules not in seen:
            seen[rules] = files

    for strategy in (handbooks(), byte_edits()):
        run: Callable[[], None] = seed(start)(
            settings(
                max_examples=examples,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(given(strategy)(record))
        )
        run()
    if corpus is not None:
        corpus.mkdir(parents=True, exist_ok=True)
        for rules, files in smallest_per_rule(seen).items():
            save_case(corpus, rules, files)
    counts["distinct rule sets"] = len(seen)
    counts["distinct rules"] = len(set().union(*seen)) if seen else 0
    return counts


def smallest_per_rule(seen: dict[frozenset[str], Files]) -> dict[frozenset[str], Files]:
    """For each rule, the smallest input that raised it (with whatever else it raised): a
    corpus small enough to replay on every test run that still reaches every rule seen."""
    kept: dict[frozenset[str], Files] = {}
    for rule in sorted(set().union(*seen)) if seen else []:
        rules, files = min(
            ((rules, files) for rules, files in seen.items() if rule in rules),
            key=lambda case: (sum(len(c) for c in case[1].values()), sorted(case[0])),
        )
        kept[rules] = files
    return kept


def save_case(corpus: Path, rules: frozenset[str], files: Files) -> Path:
    case = {
        "rules": sorted(rules),
        "files": {
            name: base64.b64encode(content).decode("ascii") for name, content in files.items()
        },
    }
    text = json.dumps(case, indent=1, sort_keys=True) + "\n"
    path = corpus / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    path.write_text(text, encoding="utf-8")
    return path


def load_case(path: Path) -> tuple[frozenset[str], Files]:
    case = json.loads(path.read_text(encoding="utf-8"))
    files = {name: base64.b64decode(content) for name, content in case["files"].items()}
    return frozenset(case["rules"]), files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--examples", type=int, default=5000, help="inputs of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=None, help="folder to keep cases in")
    args = parser.parse_args(argv)
    counts = campaign(args.examples, args.seed, args.corpus)
    for name, count in counts.items():
        print(f"{name}: {count:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
