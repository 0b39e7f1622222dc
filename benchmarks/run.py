"""Time the handbook at company scale: `python -m benchmarks.run --sizes 1000 10000`.

For each size, a synthetic handbook is written once; then each step runs as a separate
process, as a user runs it (cold: nothing cached in memory), `--runs` times. The table gives
the median wall time, the peak resident memory of the process and the items handled per
second.

With `--compare`, Doorstop and StrictDoc (pinned in `benchmarks/others.txt`, installed once into
`.bench-venv/`, never test dependencies) check and publish the same handbook, converted into
their formats by `benchmarks/others.py`, in the same run; the ratios of their medians to the
handbook's for the matching step follow the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.others import write_doorstop, write_strictdoc
from benchmarks.synthetic import edit_one_file, write

STEPS = ("validate", "validate-edit", "revalidate", "build", "rebuild", "serve")
DEFAULT_STEPS = ("validate", "build", "rebuild")
REPOSITORY = Path(__file__).resolve().parent.parent
OTHERS = REPOSITORY / "benchmarks" / "others.txt"
BENCH_VENV = REPOSITORY / ".bench-venv"
# The other tools' steps, each with the handbook step it is the equivalent of: Doorstop's
# validation and StrictDoc's JSON export (parse, link, check, write the model) against
# `handbook validate`; their HTML publications against `handbook build`.
OTHER_STEPS = {
    "doorstop": "validate",
    "strictdoc-json": "validate",
    "doorstop-html": "build",
    "strictdoc-html": "build",
}


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
        # A session of its own, so that a timeout stops the workers a tool started too.
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
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
                os.killpg(process.pid, signal.SIGKILL)
                os.wait4(process.pid, 0)
                return float("nan"), 0, -9, ""
            time.sleep(0.01)


def _install_others() -> tuple[Path | None, str]:
    """The `bin` folder of `.bench-venv/` with the pins of `others.txt` installed (made once,
    kept while the pins are unchanged), or None and why it could not be made."""
    marker = BENCH_VENV / ".installed"
    pins = OTHERS.read_text(encoding="utf-8")
    if marker.is_file() and marker.read_text(encoding="utf-8") == pins:
        return BENCH_VENV / "bin", ""
    print(f"installing {OTHERS.name} into {BENCH_VENV.name}/ (once)", flush=True)
    pip = [str(BENCH_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
    steps = [[sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)], [*pip, "-r", str(OTHERS)]]
    for command in steps:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, str(error)
        if result.returncode != 0:
            lines = (result.stderr or result.stdout).strip().splitlines() or [
                f"exit {result.returncode}"
            ]
            reason = next((line for line in lines if line.startswith("ERROR")), lines[-1])
            return None, reason if len(reason) < 200 else reason[:200] + " …"
    marker.write_text(pins, encoding="utf-8")
    return BENCH_VENV / "bin", ""


def _other_command(
    step: str, tools: Path, doorstop: Path, strictdoc: Path, output: Path
) -> tuple[list[str], Path]:
    """The command line and working folder of one of the other tools' steps; `doorstop -F`
    checks without rewriting the item files (it would otherwise reformat all of them)."""
    if step == "doorstop":
        return [str(tools / "doorstop"), "-F"], doorstop
    if step == "doorstop-html":
        return [str(tools / "doorstop"), "publish", "all", str(output)], doorstop
    kind = step.removeprefix("strictdoc-")
    export = ["export", "--formats", kind, "--output-dir", str(output), str(strictdoc)]
    return [str(tools / "strictdoc"), *export], strictdoc.parent


def _row(
    size: int,
    items: int,
    step: str,
    width: int,
    times: list[float],
    peaks: list[int],
    codes: list[int],
    timeout: float,
) -> float | None:
    """Print the table's row for one step; its median when every run finished and succeeded.
    A run stopped at the timeout (measured as NaN) shows as "> N s"."""
    median = statistics.median(times)
    stopped = any(t != t for t in times)
    failed = next((c for c in codes if c not in (0, -9)), 0)
    ok = not stopped and not failed
    shown = f"{f'> {timeout:g} s':>9}" if stopped else f"{median:9.2f}"
    peak = f"{max(peaks) / 1024:9.0f}" if max(peaks) else "        -"
    rate = f"{items / median:9.0f}" if ok else "        -"
    note = f"  (exit {failed})" if failed else ""
    print(
        f"{size:>7} {items:>7} {step:<{width}} {shown} {peak} {rate}{note}",
        flush=True,
    )
    return median if ok else None


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
        "only; the peak memory of the whole process); serve: `handbook serve`, the seconds "
        "from saving one changed file to the server giving that value's page with the change "
        "(the median of three saves; the peak memory of the server)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time Doorstop and StrictDoc on the same handbook (installs them once into "
        ".bench-venv/ from benchmarks/others.txt) and print the ratios",
    )
    args = parser.parse_args(argv)
    handbook = [sys.executable, "-m", "generator.cli"]
    commands = {
        "validate": [*handbook, "validate", "standards"],
        "validate-edit": [*handbook, "validate", "standards"],
        "build": [*handbook, "build"],
        "rebuild": [*handbook, "build"],
    }
    # Steps that time themselves and print the seconds: the time of one part of the process.
    timed_inside = {
        "revalidate": [sys.executable, "-m", "benchmarks.revalidate"],
        "serve": [sys.executable, "-m", "benchmarks.serve"],
    }
    tools: Path | None = None
    if args.compare:
        tools, reason = _install_others()
        if tools is None:
            print(f"comparison with Doorstop and StrictDoc skipped: {reason}", flush=True)
    width = 14 if tools else 13
    medians: dict[tuple[int, str], float] = {}
    stopped: set[tuple[int, str]] = set()  # the other tools' steps that reached the timeout
    print(
        f"{'norms':>7} {'items':>7} {'step':<{width}} {'median s':>9} {'peak MiB':>9} "
        f"{'items/s':>9}"
    )
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
                    if step in timed_inside:  # from the repository: it imports `benchmarks`
                        command, cwd = [*timed_inside[step], str(project)], REPOSITORY
                    else:
                        command, cwd = commands[step], project
                    seconds, peak, code, printed = _measure(command, cwd, args.timeout, cache)
                    if step in timed_inside and code == 0:
                        seconds = float(printed.split()[-1])
                    times.append(seconds)
                    peaks.append(peak)
                    codes.append(code)
                row = _row(size, items, step, width, times, peaks, codes, args.timeout)
                if row is not None:
                    medians[size, step] = row
            if tools:
                doorstop = write_doorstop(project, Path(scratch) / f"doorstop-{size}")
                strictdoc = write_strictdoc(project, Path(scratch) / f"strictdoc-{size}")
                for step in OTHER_STEPS:
                    times, peaks, codes = [], [], []
                    for _ in range(args.runs):
                        cache = Path(tempfile.mkdtemp(dir=scratch))
                        command, cwd = _other_command(
                            step, tools, doorstop, strictdoc, cache / "output"
                        )
                        seconds, peak, code, _ = _measure(command, cwd, args.timeout, cache)
                        shutil.rmtree(cache)  # the HTML of 10,000 norms takes gigabytes
                        times.append(seconds)
                        peaks.append(peak)
                        codes.append(code)
                        if seconds != seconds:
                            break  # the next run would be stopped at the timeout too
                    row = _row(size, items, step, width, times, peaks, codes, args.timeout)
                    if row is not None:
                        medians[size, step] = row
                    elif any(t != t for t in times):
                        stopped.add((size, step))
    if tools:
        print("\nratios: the other tool's median / the handbook's median for the same step")
        for size in args.sizes:
            for step, own in OTHER_STEPS.items():
                if (size, own) not in medians:
                    ratio = f"no handbook {own} measured"
                elif (size, step) in stopped:
                    ratio = f"> {args.timeout / medians[size, own]:.1f}x"
                elif (size, step) not in medians:
                    ratio = "-"
                else:
                    ratio = f"{medians[size, step] / medians[size, own]:.1f}x"
                print(f"{size:>7} {step:<{width}} / {own:<8} {ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
