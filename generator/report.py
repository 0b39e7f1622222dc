"""Report: diagnostics as a person, a program or a GitHub check run wants to read them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

from generator.diagnostics import RULES, Diagnostic, Severity

FORMATS = ("text", "json", "github")


def format_diagnostics(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], fmt: str, *, files: int
) -> str:
    if fmt == "json":
        return as_json(diagnostics, files=files)
    if fmt == "github":
        return as_github(diagnostics)
    return as_text(diagnostics, sources, files=files)


def summary(diagnostics: Sequence[Diagnostic], *, files: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        _plural(counts[Severity.ERROR], "error"),
        _plural(counts[Severity.WARNING], "warning"),
    ]
    if counts[Severity.INFO]:
        parts.append(_plural(counts[Severity.INFO], "note"))
    return f"{', '.join(parts)} in {_plural(files, 'file')}"


def as_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], *, files: int) -> str:
    """Compiler style, grouped by file: location, severity and rule, the line, a caret, a hint."""
    lines: list[str] = []
    current_file: str | None = None
    for diagnostic in diagnostics:
        location = diagnostic.location
        if location.file != current_file:
            if current_file is not None:
                lines.append("")
            current_file = location.file
        lines.append(f"{location}: {diagnostic.severity}[{diagnostic.rule}] {diagnostic.message}")
        source_line = _source_line(sources, location.file, location.line)
        if source_line is not None:
            gutter = f"{location.line:>5} | "
            lines.append(f"{gutter}{source_line}")
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (location.column - 1) + "^")
        if diagnostic.hint:
            hint_lines = diagnostic.hint.splitlines()
            lines.append(f"      = hint: {hint_lines[0]}")
            lines.extend(f"              {extra}" for extra in hint_lines[1:])
    if lines:
        lines.append("")
    lines.append(summary(diagnostics, files=files))
    return "\n".join(lines) + "\n"


def as_json(diagnostics: Sequence[Diagnostic], *, files: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    document = {
        "files": files,
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "diagnostics": [
            {
                "rule": d.rule.value,
                "severity": d.severity.value,
                "family": RULES[d.rule].family.value,
                "title": RULES[d.rule].title,
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "message": d.message,
                "hint": d.hint,
                "ids": list(d.ids),
            }
            for d in diagnostics
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """Workflow commands, so each problem is annotated on the pull request's diff."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        location = d.location
        title = _escape_property(f"{RULES[d.rule].title} [{d.rule}]")
        text = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(
            f"::{command[d.severity]} file={_escape_property(location.file)},"
            f"line={location.line},col={location.column},title={title}::{_escape_data(text)}"
        )
    return "".join(line + "\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _source_line(sources: Mapping[str, str], file: str, line: int) -> str | None:
    text = sources.get(file)
    if text is None:
        return None
    all_lines = text.split("\n")
    if not 1 <= line <= len(all_lines):
        return None
    return all_lines[line - 1].expandtabs(1).rstrip()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
