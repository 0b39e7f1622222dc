"""What `handbook validate` prints: nothing from the standards can drive the terminal or the CI
log that shows it, what does not show is named, and the text report of thousands of problems in
one file reads each file once."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Location
from generator.report.diagnostics import as_github, as_json, as_text
from generator.system.filesystem import printable as printable_path
from generator.text.printable import printable, shown
from tests.conftest import init_repository, run_cli

# What a hostile pull request can put into YAML text with double-quoted escapes: colours
# (CSI), a hyperlink and a clipboard write (OSC 8, OSC 52), a bell, a carriage return that
# rewrites the line, the 8-bit CSI, and a right-to-left override.
PAYLOADS = {
    "csi": "\\e[31mRED\\e[0m",
    "osc-hyperlink": "\\e]8;;https://attacker.invalid\\aclick\\e]8;;\\a",
    "osc-clipboard": "\\e]52;c;cm0gLXJmIH4=\\a",
    "bell": "ding\\a",
    "carriage-return": "fake\\rreal",
    "c1-csi": "\\x9b31mC1",
    "bidi-override": "abc\\u202efed",
    "line-separator": "one\\u2028two",
}
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What may not reach a terminal: every C0 control but the line feed, DEL, the C1 controls,
line and paragraph separators, bidi overrides and isolates."""


def _hostile(standards: Path, name: str, payload: str) -> Path:
    """One file whose name and whose every kind of quoted value carries `payload`."""
    decoded = codecs.decode(payload.replace("\\e", "\\x1b"), "unicode_escape")
    file = standards / f"zz-{name}-{decoded.replace('/', '_')}.yml"
    file.write_text(
        "values:\n"
        f'  - id: "VAL-9{payload}"\n'  # a malformed id, quoted in the message
        f'    title: "{payload}"\n'
        "    statement: We listen.\n"
        f'    status: "{payload}"\n'  # not an allowed status, quoted in the message
        "    owner: head-of-service\n"
        "  - id: VAL-901\n"
        "    title: Fine\n"
        "    statement: Fine.\n"
        f'    owner: "own{payload}"\n'  # not a term id
        "norms:\n"
        "  - id: NRM-901\n"
        "    title: Fine\n"
        "    statement: Fine.\n"
        f'    traces_to: ["VAL-901{payload}"]\n'
        "    owner: head-of-service\n",
        encoding="utf-8",
    )
    return file


@pytest.mark.parametrize("name", sorted(PAYLOADS))
@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_no_control_character_from_the_standards_reaches_the_report(
    small: Path, name: str, fmt: str
) -> None:
    file = _hostile(small / "standards", name, PAYLOADS[name])
    result = run_cli("validate", "standards", "--format", fmt, cwd=small)
    assert result.code == 1
    assert FORBIDDEN.search(result.stdout) is None, repr(FORBIDDEN.search(result.stdout))
    if fmt == "json":
        # JSON escapes what it writes, and any reader gets the name back as it is.
        files = {d["file"] for d in json.loads(result.stdout)["diagnostics"]}
        assert printable_path(f"standards/{file.name}") in files  # as reports name files
    else:
        assert "[U+" in result.stdout  # named, not dropped


def test_a_control_character_is_named_where_the_message_quotes_it(small: Path) -> None:
    _hostile(small / "standards", "csi", PAYLOADS["csi"])
    result = run_cli("validate", "standards", cwd=small)
    assert "`status` of value VAL-9[U+001B escape][31mRED[U+001B escape][0m is" in result.stdout
    assert ".yml:" in result.stdout and "zz-csi-[U+001B escape][31mRED" in result.stdout


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("VAL-0\u200b01", "VAL-0[U+200B zero width space]01"),
        ("VAL\ufeff-001", "VAL[U+FEFF byte-order mark]-001"),
        ("face\u00a0to-face", "face[U+00A0 no-break space]to-face"),
        ("abc\u202edef", "abc[U+202E right-to-left override]def"),
        ("x\u2066y", "x[U+2066 left-to-right isolate]y"),
        ("soft\u00adhyphen", "soft[U+00AD soft hyphen]hyphen"),
        ("hangul\u3164filler", "hangul[U+3164 hangul filler]filler"),
        ("bell\x07", "bell[U+0007 bell]"),
        ("del\x7f", "del[U+007F delete]"),
        ("csi\x9b", "csi[U+009B control sequence introducer]"),
        ("Приветствие", "Приветствие"),
        ("plain", "plain"),
    ],
)
def test_invisible_characters_are_named(written: str, named: str) -> None:
    assert shown(written) == named


def test_an_id_with_an_invisible_character_is_named_and_the_id_meant_proposed(
    small: Path,
) -> None:
    (small / "standards" / "zz.yml").write_text(
        'values:\n  - id: "VAL-0\\u200b09"\n    title: Care\n    statement: We care.\n'
        "    owner: head-of-service\n",
        encoding="utf-8",
    )
    result = run_cli("validate", "standards", "--format", "json", cwd=small)
    [found] = json.loads(result.stdout)["diagnostics"]
    assert found["rule"] == "bad-id"
    assert "`VAL-0[U+200B zero width space]09`" in found["message"]
    assert found["hint"].startswith("Did you mean `VAL-009`?")


def test_the_caret_stays_under_the_mistake_when_the_line_holds_controls() -> None:
    line = "title: \x1b[31m\x07 status: yes"
    diagnostic = Diagnostic(Rule.BAD_ENUM, Location("f.yml", 1, line.index("yes") + 1), "bad")
    text = as_text([diagnostic], {"f.yml": line}, files=1)
    shown_line, caret = text.splitlines()[1:3]
    assert caret.index("^") == shown_line.index("yes")
    assert FORBIDDEN.search(text) is None


def test_the_guard_keeps_what_is_only_text() -> None:
    for text in ("Приветствие — «да»", "中文 (繁體)", "emoji 👩‍💻", "tab-free"):
        assert printable(text) == text
    assert printable("a\tb") == "a[U+0009 tab]b"


def test_json_escapes_what_a_terminal_would_obey_and_reads_back_the_same() -> None:
    hostile = "x\x7f\x85\x9b\u2028\u202e\U000e0041y"
    diagnostic = Diagnostic(Rule.BAD_ID, Location(f"f{hostile}.yml", 1, 1), "m", "h", (hostile,))
    written = as_json([diagnostic], files=1)
    assert FORBIDDEN.search(written) is None
    assert all(unicodedata.category(c) != "Cf" for c in written)
    document = json.loads(written)
    assert document["diagnostics"][0]["file"] == f"f{hostile}.yml"
    assert document["diagnostics"][0]["ids"] == [hostile]


def test_github_commands_cannot_be_forged_from_a_message() -> None:
    message = "m\n::error file=x::forged\r%0A"
    diagnostic = Diagnostic(Rule.BAD_ID, Location("a,b:c.yml", 1, 1), message, "h\x1b[1m")
    written = as_github([diagnostic])
    assert written.count("\n") == 1 and written.startswith("::error file=a%2Cb%3Ac.yml,")
    assert FORBIDDEN.search(written) is None


class _CountingSources(dict[str, str]):
    """Source texts that count how often each is asked for."""

    asked = 0

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        _CountingSources.asked += 1
        return super().get(key, default)


def _problems(file: str, count: int) -> Iterator[Diagnostic]:
    for line in range(1, count + 1):
        yield Diagnostic(Rule.VALUE_WITHOUT_NORM, Location(file, line, 3), f"value {line}")


def test_the_text_report_reads_each_file_once_however_many_problems_it_has() -> None:
    """5,000 problems in a file of 5,000 lines were 25 million lines split."""
    text = "\n".join(f"- id: VAL-{n}" for n in range(5000))
    sources = _CountingSources({"a.yml": text, "b.yml": text})
    _CountingSources.asked = 0
    report = as_text([*_problems("a.yml", 5000), *_problems("b.yml", 5000)], sources, files=2)
    assert _CountingSources.asked == 2
    assert report.count("^") == 10_000
    assert " 5000 | - id: VAL-4999" in report


@pytest.mark.parametrize("name", ["csi", "osc-hyperlink", "carriage-return", "bidi-override"])
def test_no_command_hands_an_escape_sequence_from_the_standards_to_the_terminal(
    small: Path, name: str
) -> None:
    """Not only `validate`: every command that prints text from the standards (the changes
    of a pull request, the audit) prints it through the same guard."""
    init_repository(small)
    norms = small / "standards" / "norms.yml"
    norms.write_text(
        norms.read_text(encoding="utf-8").replace(
            "title: Greet every customer", f'title: "Greet {PAYLOADS[name]} customer"'
        ),
        encoding="utf-8",
    )
    for command in (
        ("diff", "HEAD", "--format", "text"),
        ("diff", "HEAD", "--format", "markdown"),
        ("audit", "standards"),
        ("validate", "standards", "--format", "github"),
    ):
        result = run_cli(*command, cwd=small)
        assert result.code in (0, 1), result.stderr
        for output in (result.stdout, result.stderr):
            assert FORBIDDEN.search(output) is None, (command, repr(output))
    changed = run_cli("diff", "HEAD", "--format", "text", cwd=small).stdout
    assert "NRM-001" in changed
    if name != "carriage-return":  # folded into a space, as every line break of a title
        assert "[U+" in changed  # named, not dropped
