"""Time the handbook at company scale: `python -m benchmarks.run --sizes 1000 10000`.

For each size, a synthetic handbook is written once; then each step runs as a separate
process, as a user runs it (cold: nothing cached in memory), `--runs` times. The table gives
the median wall time, the peak resident memory of the process and the items handled per
second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import edit_one_file, write

STEPS = ("validate", "validate-edit", "revalidate", "build", "rebuild")
DEFAULT_STEPS = ("validate", "build", "rebuild")
REPOSITORY = Path(__file__).resolve().parent.parent


def _measure(
    command: list[str], cwd: Path, timeout: float, cache: Path
) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS in KiB, exit code and standard output of one run of `command`,
    with `cache` as the user's cache folder (where `handbook validate` keeps parsed files)."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1767225600",
        "XDG_CACHE_HOME": str(cache),
    }
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.DEVNULL
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                seconds = time.perf_counter() - start
                output.seek(0)
                printed = output.read().decode("utf-8", "replace")
                return seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status), printed
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                return float("nan"), 0, -9, ""
            time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument(
        "--steps",
        nargs="+",
        choices=STEPS,
        default=list(DEFAULT_STEPS),
        help="validate-edit: `handbook validate` after one file changed, with the parsed files "
        "of the run before on disk (validate itself starts with none); revalidate: in one "
        "process, the second validation after one file changed (the time of that validation "
        "only; the peak memory of the whole process)",
    )
    args = parser.parse_args(argv)
    handbook = [sys.executable, "-m", "generator.cli"]
    commands = {
        "validate": [*handbook, "validate", "standards"],
        "validate-edit": [*handbook, "validate", "standards"],
        "build": [*handbook, "build"],
        "rebuild": [*handbook, "build"],
    }
    revalidate = [sys.executable, "-m", "benchmarks.revalidate"]
    print(f"{'norms':>7} {'items':>7} {'step':<13} {'median s':>9} {'peak MiB':>9} {'items/s':>9}")
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as scratch:
        for size in args.sizes:
            project = write(Path(scratch) / f"n{size}", size)
            items = size + max(1, size // 50) + 5 * size
            warm = Path(tempfile.mkdtemp(dir=scratch))
            if "validate-edit" in args.steps:
                _measure(commands["validate-edit"], project, args.timeout, warm)
            for step in args.steps:
                times, peaks, codes = [], [], []
                for _ in range(args.runs):
                    cache = warm if step == "validate-edit" else Path(tempfile.mkdtemp(dir=scratch))
                    if step in ("rebuild", "validate-edit"):
                        edit_one_file(project)
                    if step == "revalidate":  # from the repository: it imports `benchmarks`
                        command, cwd = [*revalidate, str(project)], REPOSITORY
                    else:
                        command, cwd = commands[step], project
                    seconds, peak, code, printed = _measure(command, cwd, args.timeout, cache)
                    if step == "revalidate" and code == 0:
                        seconds = float(printed.split()[-1])
                    times.append(seconds)
                    peaks.append(peak)
                    codes.append(code)
                median = statistics.median(times)
                failed = next((c for c in codes if c != 0), 0)
                rate = f"{items / median:9.0f}" if median == median and not failed else "        -"
                note = "" if not failed else f"  (exit {failed})"
                print(
                    f"{size:>7} {items:>7} {step:<13} {median:9.2f} {max(peaks) / 1024:9.0f} "
                    f"{rate}{note}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
