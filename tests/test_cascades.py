"""One mistake, one report: a typo in a file others depend on (the taxonomy, the settings, a
file of norms) is reported where it is, and nothing that only follows from it is reported
elsewhere. And every problem of an entry is reported, not only the first."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli

# (file, what to find, what to write instead, the rule of the one error, its line)
TYPOS: dict[str, tuple[str, str, str, str]] = {
    "misspelt field in a channel": (
        "handbook.yml",
        r"(?m)^(  - id: face-to-face\n(?:    .*\n)*?)    requires:",
        r"\1    requries:",
        "unknown-field",
    ),
    "misspelt required field in a channel": (
        "handbook.yml",
        r"(?m)^(  - id: phone\n)    title:",
        r"\1    titel:",
        "unknown-field",
    ),
    "bad handle of an owner": (
        "handbook.yml",
        r'handles: \["@meridian/service-board"\]',
        'handles: ["@meridian service board"]',
        "bad-handle",
    ),
    "bad id of a role": (
        "handbook.yml",
        r"(?m)^(roles:\n  - id: )([a-z-]+)",
        r"\1\2!",
        "bad-id",
    ),
    "syntax error in a file of norms": (
        "norms/care.yml",
        r"(?m)^norms:\n",
        "norms:\n  - id: NRM-X: : [\n",
        "yaml-syntax",
    ),
    "syntax error in the taxonomy and settings": (
        "handbook.yml",
        r"(?m)^channels:\n",
        "channels:\n  - id: x: : [\n",
        "yaml-syntax",
    ),
    "syntax error in the values": (
        "values.yml",
        r"(?m)^values:\n",
        "values:\n  - id: x: : [\n",
        "yaml-syntax",
    ),
    "tab in a file of norms": (
        "norms/time.yml",
        r"(?m)^    title:",
        "\ttitle:",
        "tab-indent",
    ),
    "language code that cannot be published": (
        "handbook.yml",
        r"languages: \[en, ru, lv, tr\]",
        "languages: [en, ru, lv, xx]",
        "bad-language",
    ),
    "language code in capitals": (
        "handbook.yml",
        r"languages: \[en, ru, lv, tr\]",
        "languages: [en, ru, lv, TR]",
        "bad-language",
    ),
    "misspelt field of the settings": (
        "handbook.yml",
        r"(?m)^  organisation:",
        "  organization:",
        "unknown-field",
    ),
    "settings that are not a mapping": (
        "handbook.yml",
        r"(?ms)^handbook:\n.*?(?=^\S)",
        "handbook: Service Standards\n",
        "wrong-type",
    ),
    "misspelt traces_to of a norm": (
        "norms/care.yml",
        r"(?m)^    traces_to:",
        "    trace_to:",
        "unknown-field",
    ),
    "norm id of the wrong kind": (
        "norms/care.yml",
        r"(?m)^(    traces_to:\n      - )VAL-",
        r"\1NRM-",
        "bad-id",
    ),
    "value id in lower case": (
        "values.yml",
        r"(?m)^  - id: VAL-001$",
        "  - id: val-001",
        "bad-id",
    ),
    "bad status of a value": (
        "values.yml",
        r"(?m)^(    status: )active$",
        r"\1activ",
        "bad-enum",
    ),
}


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "handbook"
    shutil.copytree(ROOT / "standards", project / "standards")
    return project


def _diagnostics(project: Path) -> list[dict[str, Any]]:
    result = run_cli(
        "validate", "standards", "--format", "json", "--today", "2026-11-22", cwd=project
    )
    assert result.code in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return found


def test_the_example_is_clean(tmp_path: Path) -> None:
    assert _diagnostics(_copy(tmp_path)) == []


@pytest.mark.parametrize("typo", sorted(TYPOS))
def test_one_typo_in_a_shared_file_is_one_report(tmp_path: Path, typo: str) -> None:
    file, pattern, replacement, rule = TYPOS[typo]
    project = _copy(tmp_path)
    target = project / "standards" / file
    text = target.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1)
    assert changed != text, "the typo was not made"
    target.write_text(changed, encoding="utf-8")
    found = _diagnostics(project)
    assert [(d["rule"], d["file"]) for d in found] == [(rule, f"standards/{file}")], found


def test_a_duplicate_id_is_reported_when_the_first_copy_failed_the_schema(small: Path) -> None:
    (small / "standards" / "aa.yml").write_text(
        "values:\n  - id: VAL-001\n    title: First copy\n    statement: Broken.\n"
        "    status: gone\n",
        encoding="utf-8",
    )
    found = _diagnostics(small)
    assert [(d["rule"], d["file"], d["line"]) for d in found] == [
        ("bad-enum", "standards/aa.yml", 5),
        ("duplicate-id", "standards/values.yml", 2),
    ]
    assert "already used at standards/aa.yml:2:5" in found[1]["message"]


def test_a_duplicate_id_is_reported_when_the_second_copy_failed_the_schema(small: Path) -> None:
    (small / "standards" / "zz.yml").write_text(
        "values:\n  - id: VAL-001\n    title: Second copy\n    statement: Broken.\n"
        "    pillars: [Team]\n",
        encoding="utf-8",
    )
    found = _diagnostics(small)
    assert [(d["rule"], d["file"], d["line"]) for d in found] == [
        ("duplicate-id", "standards/zz.yml", 2),
        ("bad-id", "standards/zz.yml", 5),
    ]


def test_every_problem_of_an_entry_that_failed_the_schema_is_reported(small: Path) -> None:
    (small / "standards" / "zz.yml").write_text(
        "norms:\n"
        "  - id: NRM-900\n"
        "    title: Thank the customer\n"
        '    statement: ""\n'  # empty
        "    traces_to: [VAL-001, VAL-404]\n"  # an unknown value
        "    channels: [face-to-face, fone]\n"  # an unknown channel
        "    owner: head-of-servce\n"  # an unknown owner
        "    effective: 2026-02-30\n"  # not a date: the schema fails here
        "    review: 2025-01-01\n"  # overdue, but the status cannot be read
        "    status: yes\n"  # not a status: the schema fails here too
        "parameters:\n"
        "  - id: PAR-900\n"
        "    title: Thanks\n"
        "    traces_to: [NRM-900]\n"
        "    channel: face-to-face\n"
        "    category: vocabulary\n"
        '    requirement: Say "Thank you for coming".\n'
        "    owner: head-of-service\n"
        "    measure: {metric: Seconds, min: 5, max: 1, target: [1]}\n"
        "    verification: [observaton]\n",
        encoding="utf-8",
    )
    found = [(d["rule"], d["line"]) for d in _diagnostics(small)]
    assert found == [
        ("empty-text", 4),
        ("unknown-reference", 5),
        ("unknown-reference", 6),
        ("unknown-reference", 7),
        ("bad-date", 8),
        ("bad-enum", 10),
        ("measure-range", 19),
        ("wrong-type", 19),
        ("unknown-reference", 20),
    ]


def test_what_a_misspelt_key_meant_is_not_reported_missing(small: Path) -> None:
    (small / "standards" / "zz.yml").write_text(
        "norms:\n"
        "  - id: NRM-900\n"
        "    titel: Thank the customer\n"
        "    statement: Thank the customer.\n"
        "    trace_to: [VAL-001]\n"
        "    owner: head-of-service\n"
        "  - id: NRM-901\n"
        "    title: Something else\n"
        "    statement: Unrelated key.\n"
        "    colour: [VAL-001]\n"
        "    owner: head-of-service\n",
        encoding="utf-8",
    )
    found = [(d["rule"], d["line"]) for d in _diagnostics(small) if d["severity"] == "error"]
    # Neither `title` missing nor "traces to no value": the misspelt keys are the mistakes.
    assert found == [("unknown-field", 3), ("unknown-field", 5), ("unknown-field", 10)]


def test_an_unknown_reference_to_an_entry_that_failed_the_schema_is_not_reported(
    small: Path,
) -> None:
    handbook = small / "standards" / "handbook.yml"
    handbook.write_text(
        handbook.read_text(encoding="utf-8").replace(
            "  - id: phone\n    title: Phone\n",
            "  - id: phone\n    title: Phone\n    colour: red\n",
        ),
        encoding="utf-8",
    )
    found = _diagnostics(small)
    assert [(d["rule"], d["line"]) for d in found] == [("unknown-field", 14)]


def test_an_owner_that_failed_the_schema_leaves_codeowners_unjudged(tmp_path: Path) -> None:
    """CODEOWNERS cannot be compared with owners that could not be read: the bad handle is the
    one report, not also "CODEOWNERS does not match"."""
    project = _copy(tmp_path)
    written = run_cli("codeowners", "standards", cwd=project)
    assert written.code == 0, written.stderr
    handbook = project / "standards" / "handbook.yml"
    handbook.write_text(
        handbook.read_text(encoding="utf-8").replace(
            '["@meridian/service-board"]', '["@meridian service board"]'
        ),
        encoding="utf-8",
    )
    assert [d["rule"] for d in _diagnostics(project)] == ["bad-handle"]
