"""Report: diagnostics as a person, a program or a GitHub check run wants to read them."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from generator.audit.compute import KINDS, Audit, Ratio
from generator.model.diagnostics import RULES, Diagnostic, Severity
from generator.text.printable import printable

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
    """Compiler style, grouped by file: location, severity and rule, the line, a caret, a hint.

    Nothing from the standards reaches the terminal as itself if it could act on it (`printable`):
    not in a message or a hint, not in a file name, not in the line shown."""
    lines: list[str] = []
    current_file: str | None = None
    file_lines: list[str] | None = None
    for diagnostic in diagnostics:
        location = diagnostic.location
        if location.file != current_file:
            if current_file is not None:
                lines.append("")
            current_file = location.file
            # Split once per file, not once per problem: 5,000 problems in one file of
            # 20,000 lines were 100 million lines split.
            text = sources.get(location.file)
            file_lines = text.split("\n") if text is not None else None
        lines.append(
            f"{printable(str(location))}: {diagnostic.severity}[{diagnostic.rule}] "
            f"{printable(diagnostic.message)}"
        )
        if file_lines is not None and 1 <= location.line <= len(file_lines):
            source_line = file_lines[location.line - 1].expandtabs(1).rstrip()
            gutter = f"{location.line:>5} | "
            # The caret stands under the same character once the line's controls are named.
            before = printable(source_line[: location.column - 1])
            lines.append(f"{gutter}{printable(source_line)}")
            lines.append(" " * (len(gutter) - 2) + "| " + " " * len(before) + "^")
        if diagnostic.hint:
            hint_lines = diagnostic.hint.splitlines()
            lines.append(f"      = hint: {printable(hint_lines[0])}")
            lines.extend(f"              {printable(extra)}" for extra in hint_lines[1:])
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
    return _json(document)


def _json(document: object) -> str:
    """JSON with every character that is not printable written as `\\uXXXX`: the JSON module
    escapes the C0 controls itself but writes DEL, the C1 controls, line separators and bidi
    controls as they are, and a JSON report is also read in a terminal. The data is unchanged
    for any JSON reader."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if text.isascii() and "\x7f" not in text:
        return text
    return _UNPRINTABLE.sub(_json_escape, text)


_UNPRINTABLE = re.compile(r"[^\t\n\x20-\x7e]")


def _json_escape(match: re.Match[str]) -> str:
    character = match.group()
    if character.isprintable():
        return character
    return json.dumps(character)[1:-1]  # ensure_ascii: `\\u0085`, or a surrogate pair


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """Workflow commands, so each problem is annotated on the pull request's diff. GitHub
    reads `%`, CR and LF (and `:` and `,` in properties) as syntax; every other control is
    named (`printable`) so that the log a person reads cannot be rewritten by one."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        location = d.location
        title = _escape_property(f"{RULES[d.rule].title} [{d.rule}]")
        text = "\n".join(printable(line) for line in [d.message, *d.hint.splitlines()])
        lines.append(
            f"::{command[d.severity]} file={_escape_property(printable(location.file))},"
            f"line={location.line},col={location.column},title={title}::{_escape_data(text)}"
        )
    return "".join(line + "\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def audit_text(result: Audit, title: str) -> str:
    """The audit in one screen: what a person checks first, then the details of each gap."""
    lines = [f"{printable(title)}: audit as of {result.as_of.isoformat()}", ""]
    lines.append(f"{'items':<14}{'total':>7}{'active':>8}{'draft':>7}{'retired':>9}")
    for kind in KINDS:
        count = result.counts[kind]
        total = sum(count.values())
        lines.append(
            f"  {kind:<12}{total:>7}{count['active']:>8}{count['draft']:>7}{count['retired']:>9}"
        )
    lines += ["", "traceability (active items)"]
    lines.append(f"  norms that trace to a value      {_ratio(result.norms_with_value)}")
    lines.append(f"  parameters that trace to a norm  {_ratio(result.parameters_with_norm)}")
    lines += ["", "coverage: active parameters per moment of truth and category"]
    if result.grid:
        categories = [cell.category.id for cell in result.grid[0]]
        width = max(len(c) for c in categories) + 1
        lines.append(" " * 16 + "".join(f"{c:>{width}}" for c in categories))
        for row in result.grid:
            marks = "".join(
                f"{(str(c.count) + ('*' if c.required and not c.count else '')):>{width}}"
                for c in row
            )
            lines.append(f"  {row[0].channel.id:<14}{marks}")
    empty = result.required_cells_empty
    lines.append(
        f"  {result.cells_covered} cells covered; {len(empty)} required cell"
        f"{'' if len(empty) == 1 else 's'} empty" + (" (marked *)" if empty else "")
    )
    if result.roles:
        lines += ["", "coverage by job: active parameters that bind it per moment of truth"]
        channels = [channel.id for channel, _ in result.roles[0].cells]
        width = max(len(c) for c in channels) + 1
        name = max(14, *(len(job.role.id) + 1 for job in result.roles))
        lines.append(" " * (name + 2) + "".join(f"{c:>{width}}" for c in channels))
        for job in result.roles:
            marks = "".join(
                f"{('-' if count is None else str(count) + ('' if count else '*')):>{width}}"
                for _, count in job.cells
            )
            lines.append(f"  {job.role.id:<{name}}{marks}")
        lines.append("  (- the job does not work there; * no parameter binds it)")
    lines += ["", "gaps"]
    gaps: list[tuple[str, tuple[str, ...]]] = [
        ("values without norms", tuple(v.id for v in result.values_without_norms)),
        ("norms without parameters", tuple(n.id for n in result.norms_without_parameters)),
        ("norms without a value (orphans)", tuple(n.id for n in result.norms_without_value)),
        (
            "parameters without a norm (orphans)",
            tuple(p.id for p in result.parameters_without_norm),
        ),
        ("parameters without a measure", tuple(p.id for p in result.parameters_without_measure)),
        ("active items without an owner", tuple(i.id for i in result.items_without_owner)),
        ("reviews overdue", tuple(n.id for n in result.reviews_overdue)),
    ]
    for label, ids in gaps:
        lines.append(f"  {label + ':':<38}{_listing(ids)}")
    lines.append("")
    if result.passed:
        lines.append("result: no traceability error")
    else:
        lines.append(f"result: {_plural(len(result.traceability_errors), 'traceability error')}")
        lines.extend(
            f"  {printable(str(d.location))}: [{d.rule}] {printable(d.message)}"
            for d in result.traceability_errors
        )
    return "\n".join(lines) + "\n"


def audit_json(result: Audit, title: str) -> str:
    document = {
        "handbook": title,
        "as_of": result.as_of.isoformat(),
        "passed": result.passed,
        "counts": result.counts,
        "traceability": {
            "norms_with_value": [result.norms_with_value.done, result.norms_with_value.total],
            "parameters_with_norm": [
                result.parameters_with_norm.done,
                result.parameters_with_norm.total,
            ],
        },
        "coverage": [
            {
                "channel": cell.channel.id,
                "category": cell.category.id,
                "parameters": cell.count,
                "required": cell.required,
            }
            for cell in result.cells
        ],
        "coverage_by_role": [
            {
                "role": row.role.id,
                "channel": channel.id,
                "parameters": count,
            }
            for row in result.roles
            for channel, count in row.cells
            if count is not None
        ],
        "gaps": {
            "values_without_norms": [v.id for v in result.values_without_norms],
            "norms_without_parameters": [n.id for n in result.norms_without_parameters],
            "norms_without_value": [n.id for n in result.norms_without_value],
            "parameters_without_norm": [p.id for p in result.parameters_without_norm],
            "parameters_without_measure": [p.id for p in result.parameters_without_measure],
            "items_without_owner": [i.id for i in result.items_without_owner],
            "reviews_overdue": [n.id for n in result.reviews_overdue],
            "required_cells_empty": [
                [c.channel.id, c.category.id] for c in result.required_cells_empty
            ],
        },
        "traceability_errors": [
            {
                "rule": d.rule.value,
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "message": d.message,
            }
            for d in result.traceability_errors
        ],
    }
    return _json(document)


def _ratio(ratio: Ratio) -> str:
    return f"{ratio!s:>9}  {'complete' if ratio.complete else 'INCOMPLETE'}"


def _listing(ids: tuple[str, ...], limit: int = 8) -> str:
    if not ids:
        return "none"
    shown = ", ".join(ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"{len(ids)}: {shown}{more}"
