"""The text report of many problems in one file: `python -m benchmarks.report DIR`.

Adds to a copy of the handbook in DIR one file of 2,500 values that no norm serves and no one
owns (5,000 warnings in one file), validates it, and prints how many seconds the text report
of the result took (the report alone; the JSON report of the same problems, printed beside it,
is the yardstick it should stay near).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generator.pipeline import validate
from generator.report.diagnostics import format_diagnostics

VALUES = 2500
"""Each has two warnings: no norm serves it, no owner answers for it."""


def write_warnings(standards: Path, count: int = VALUES) -> Path:
    """One file of `count` values without a norm or an owner: two warnings each."""
    lines = ["values:"]
    for number in range(count):
        lines += [
            f"  - id: VAL-W{number:05d}",
            f"    title: Unserved value {number}",
            "    statement: No norm makes this value concrete.",
        ]
    target = standards / "zz-warnings.yml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="handbook-report-") as scratch:
        standards = Path(scratch) / "standards"
        shutil.copytree(Path(argv[0]) / "standards", standards)
        write_warnings(standards)
        return _time_reports(standards)


def _time_reports(standards: Path) -> int:
    validation = validate(standards, today=dt.date(2026, 1, 1))
    start = time.perf_counter()
    format_diagnostics(
        validation.diagnostics, validation.loaded.sources, "text", files=validation.file_count
    )
    text = time.perf_counter() - start
    start = time.perf_counter()
    format_diagnostics(
        validation.diagnostics, validation.loaded.sources, "json", files=validation.file_count
    )
    json = time.perf_counter() - start
    warnings = sum(1 for d in validation.diagnostics if d.location.file.endswith("zz-warnings.yml"))
    print(f"{warnings} problems in one file: json {json:.4f} s, text {text:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
