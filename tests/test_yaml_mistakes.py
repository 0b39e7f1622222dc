"""YAML mistakes as policy owners make them, through `handbook validate`: each one reported
once, where it was made (not where the parser gave up), in words without the parser's jargon
and with a hint that shows the fix.

The mistakes are files in `tests/fixtures/yaml-mistakes/`, dropped together into a copy of the
small handbook and validated in one run; some have CRLF line ends, a byte-order mark or no
line break at the end.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator.model.items import Measure
from tests.conftest import FIXTURES, copy_handbook, run_cli

MISTAKES = FIXTURES / "yaml-mistakes"
JARGON = re.compile(
    r"scalar|token|stream|block end|flow|simple key|indicator|mapping values|"
    r"<document start>|(?:did not|could not) find|found unexpected|while (?:scanning|parsing)",
    re.IGNORECASE,
)
"""libyaml's words, which a policy owner does not know (outside the text quoted in `…`)."""

SYNTAX = "yaml-syntax"
EXPECTED: dict[str, tuple[str, int, int, str]] = {
    # merge conflicts: the first marker left, whichever it is
    "conflict-markers.yml": (SYNTAX, 7, 1, "merge-conflict marker `<<<<<<<`"),
    "conflict-half-resolved.yml": (SYNTAX, 8, 1, "merge-conflict marker `=======`"),
    "conflict-diff3.yml": (SYNTAX, 7, 1, "merge-conflict marker `|||||||`"),
    # quotes: at the opening quote, however far the parser read on
    "quote-never-closed.yml": (SYNTAX, 3, 12, 'the quote " opened here is never closed'),
    "quote-closed-lines-later.yml": (SYNTAX, 3, 12, "runs on to line 9"),
    "apostrophe-in-single-quotes.yml": (SYNTAX, 3, 30, "text after the closing quote '"),
    "text-after-quote.yml": (SYNTAX, 3, 20, 'text after the closing quote "'),
    "quoted-text-continues-unindented.yml": (SYNTAX, 5, 1, "continues the quoted text"),
    "comment-glued-to-quote.yml": (SYNTAX, 3, 34, "needs a space before it"),
    "backslash-in-double-quotes.yml": (SYNTAX, 4, 33, "`\\p` is not an escape sequence"),
    # `key:value`: at the colon, on the first line, the last line, with CRLF line ends
    "key-value-without-space.yml": (SYNTAX, 6, 10, "`owner:head-of-service` needs a space"),
    "key-value-on-first-line.yml": (SYNTAX, 1, 7, "`values:[]` needs a space"),
    "key-value-on-last-line.yml": (SYNTAX, 6, 10, "`owner:head-of-service` needs a space"),
    "crlf-key-value.yml": (SYNTAX, 3, 10, "`title:Greet` needs a space"),
    # a missing colon: on the line that lacks it, the first line too, after a byte-order mark
    "missing-colon.yml": (SYNTAX, 3, 5, "`title Greet every customer` has no colon"),
    "missing-colon-on-first-line.yml": (SYNTAX, 1, 1, "`norms` has no colon"),
    "bom-missing-colon.yml": (SYNTAX, 1, 1, "`norms` has no colon"),
    # indentation: at the line that is off, with the column it should start at
    "field-indented-too-deep.yml": (SYNTAX, 4, 6, "start at column 5 (`title: Greet"),
    "field-indented-too-little.yml": (SYNTAX, 6, 4, "start at column 5 (`traces_to:"),
    "list-item-off.yml": (SYNTAX, 7, 2, "list items it belongs with start at column 3"),
    "nested-list-item-off.yml": (SYNTAX, 11, 7, "start at column 9 (`- Say hello.`"),
    "first-field-off.yml": (SYNTAX, 4, 6, "start at column 7 (`ru: Уважение ко времени`, line 5)"),
    "block-text-not-indented.yml": (SYNTAX, 5, 5, "the text under `>` (line 4) is not indented"),
    "text-continues-unindented.yml": (SYNTAX, 6, 5, "indented less than the text under `>`"),
    "block-mark-on-next-line.yml": (SYNTAX, 5, 1, "`>` must stand on the line of its field"),
    "brackets-continue-unindented.yml": (SYNTAX, 6, 3, "continues the list in brackets"),
    # brackets: at the bracket left open, or at the text after the closing one
    "bracket-never-closed.yml": (SYNTAX, 5, 16, "the `[` opened here is never closed"),
    "text-after-bracket.yml": (SYNTAX, 5, 26, "text after the closing `]`"),
    "brace-never-closed.yml": (SYNTAX, 4, 14, "the `{` opened here is never closed"),
    # a `-` where none belongs
    "stray-dash.yml": (SYNTAX, 2, 1, "a list item `-` stands where a field"),
    "list-on-the-field-line.yml": (SYNTAX, 5, 16, "a list cannot start on the same line"),
    # characters YAML keeps for itself, at the start of a value or of a line
    "colon-in-value.yml": (SYNTAX, 3, 16, "a colon and a space inside a value"),
    "at-sign.yml": (SYNTAX, 6, 12, "cannot start with `@`"),
    "asterisk.yml": (SYNTAX, 3, 12, "starting with `*` is read as a reference"),
    "directive.yml": (SYNTAX, 1, 1, "a line starting with `%` is a YAML directive"),
    "document-end-then-text.yml": (SYNTAX, 2, 1, "`...` marks the end"),
    "tab.yml": ("tab-indent", 6, 1, "a tab character"),
}


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every diagnostic of one validation of the small handbook with all the mistakes, by the
    name of the file it is in."""
    project = copy_handbook(FIXTURES / "small", tmp_path_factory.mktemp("mistakes") / "small")
    for mistake in MISTAKES.glob("*.yml"):
        shutil.copy(mistake, project / "standards" / mistake.name)
    result = run_cli(
        "validate", "standards", "--format", "json", "--today", "2026-11-22", cwd=project
    )
    assert result.code == 1, result.stderr
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for diagnostic in json.loads(result.stdout)["diagnostics"]:
        by_file[Path(diagnostic["file"]).name].append(diagnostic)
    return by_file


def test_every_mistake_has_its_expectation() -> None:
    assert set(EXPECTED) == {path.name for path in MISTAKES.glob("*.yml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_yaml_mistake_is_reported_where_it_was_made_in_plain_words(
    reported: dict[str, list[dict[str, Any]]], name: str
) -> None:
    rule, line, column, words = EXPECTED[name]
    [diagnostic] = reported[name]
    assert (diagnostic["rule"], diagnostic["line"], diagnostic["column"]) == (rule, line, column)
    assert words in diagnostic["message"]
    assert not JARGON.search(re.sub(r"`[^`]*`", "", diagnostic["message"]))
    assert diagnostic["hint"]


def test_the_rest_of_the_handbook_is_not_blamed(reported: dict[str, list[dict[str, Any]]]) -> None:
    assert set(reported) == set(EXPECTED)


def test_the_hint_shows_the_line_as_it_should_be(
    reported: dict[str, list[dict[str, Any]]],
) -> None:
    hints = {name: diagnostics[0]["hint"] for name, diagnostics in reported.items()}
    assert "`owner: head-of-service`" in hints["key-value-without-space.yml"]
    assert "`title: Greet every customer`" in hints["missing-colon.yml"]
    assert '`title: "Greet every customer"`' in hints["quote-never-closed.yml"]
    assert "`owner: '@service-team'`" in hints["at-sign.yml"]
    assert '`title: "Note: greet every customer"`' in hints["colon-in-value.yml"]
    assert (
        "at column 5, lined up with `title: Greet every customer`"
        in hints["field-indented-too-deep.yml"]
    )


@pytest.mark.parametrize(
    "written", ["1e999", "-1e999", "1.5e400", "1E999", "9" * 400, "-" + "1" * 320 + ".5"]
)
def test_a_number_too_large_for_a_float_is_refused_and_the_report_stays_json(
    small: Path, written: str
) -> None:
    """JSON has no infinity: `1e999` read as a float would make the JSON report and exports
    invalid JSON, so the reader refuses it where it is written."""
    norms = small / "standards" / "norms.yml"
    text = norms.read_text(encoding="utf-8")
    line = text.splitlines().index(
        "    measure: {metric: Seconds from eye contact to greeting, unit: s, target: 5, max: 5}"
    )
    norms.write_text(
        text.replace("target: 5, max: 5}", f"target: {written}, min: {written}, max: {written}}}"),
        encoding="utf-8",
    )
    result = run_cli("validate", "standards", "--format", "json", cwd=small)
    assert result.code == 1, result.stderr

    def not_json(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON report")

    report = json.loads(result.stdout, parse_constant=not_json)
    found = [(d["rule"], d["line"], d["message"]) for d in report["diagnostics"]]
    shown = written if len(written) <= 24 else written[:20]
    assert len(found) == 3, found
    for rule, at_line, message in found:
        assert (rule, at_line) == ("wrong-type", line + 1)
        assert f"the number `{shown}" in message and "is too large" in message


def test_the_model_refuses_a_number_that_is_not_finite() -> None:
    for number in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValidationError):
            Measure.model_validate({"metric": "Seconds", "target": number})
