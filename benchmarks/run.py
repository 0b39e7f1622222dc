"""Time the handbook at company scale: `python -m benchmarks.run --sizes 1000 10000`.

For each size, a synthetic handbook is written once; then each step runs as a separate
process, as a user runs it (cold: nothing cached in memory), `--runs` times. The table gives
the median wall time, the peak resident memory of the process and the items handled per
second.

The `reading` step builds each size's handbook once and opens the largest page of each kind in
headless Chromium (`benchmarks/reading.py`): a table per size of its bytes, elements and load
time. With `--site DIR` it measures that built site instead (another checkout's build, say).

The `engines` step builds the same handbook with each engine in the same run, `--runs` times
each: `handbook build` (MkDocs with the handbook's plugin, `build-mkdocs`) and `handbook build
--engine zensical` (the project `handbook render` writes, built by Zensical, `build-zensical`);
the ratio of their medians follows the table.

With `--compare`, Doorstop and StrictDoc (pinned in `benchmarks/others.txt`, installed once into
`.bench-venv/`, never test dependencies) check and publish the same handbook, converted into
their formats by `benchmarks/others.py`, in the same run; the ratios of their medians to the
handbook's for the matching step follow the table.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.others import write_doorstop, write_strictdoc
from benchmarks.synthetic import edit_one_file, write

if TYPE_CHECKING:
    from benchmarks.reading import Page, Reading

STEPS = (
    "validate",
    "validate-edit",
    "revalidate",
    "report",
    "build",
    "rebuild",
    "serve",
    "engines",
    "reading",
)
DEFAULT_STEPS = ("validate", "build", "rebuild")
REPOSITORY = Path(__file__).resolve().parent.parent
OTHERS = REPOSITORY / "benchmarks" / "others.txt"
BENCH_VENV = REPOSITORY / ".bench-venv"
# The other tools' steps, each with the handbook step it is the equivalent of: Doorstop's
# validation and StrictDoc's JSON export (parse, link, check, write the model) against
# `handbook validate`; their HTML publications against `handbook build`.
# The engines step: each engine's build of the same handbook, MkDocs first.
ENGINE_STEPS = {
    "build-mkdocs": ["build"],
    "build-zensical": ["build", "--engine", "zensical"],
}
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


def _reading_table(
    caption: str,
    pages: list[Page],
    readings: Iterable[Reading],
    timeout: float,
    once_over: int | None,
    runs: int,
) -> None:
    """Print the reading step's table for one site, a row as each page has been opened. A page
    opened once (larger than `once_over` bytes) says so; a load stopped at the timeout shows as
    "> N s", one that failed (a crashed tab) as "failed"."""
    kind = max([len("page kind"), *(len(page.kind) for page in pages)])
    path = max([len("largest page"), *(len(page.path) for page in pages)])
    print(f"\n{caption}", flush=True)
    print(
        f"{'page kind':<{kind}} {'largest page':<{path}} {'KiB':>9} {'elements':>9} "
        f"{'opens in s':>11}",
        flush=True,
    )
    for row in readings:
        if math.isnan(row.seconds):
            shown = f"{'failed':>11}"
        elif math.isinf(row.seconds):
            shown = f"{f'> {timeout:g} s':>11}"
        else:
            shown = f"{row.seconds:11.2f}"
        once = runs > 1 and once_over is not None and row.bytes > once_over
        note = "  (1 load)" if once else ""
        print(
            f"{row.kind:<{kind}} {row.path:<{path}} {row.bytes / 1024:9.0f} {row.elements:9d} "
            f"{shown}{note}",
            flush=True,
        )


def _reading(args: argparse.Namespace, build: list[str], scratch: Path) -> None:
    """The reading step: the largest page of each kind of each size's built handbook (or of the
    site given with --site), counted and opened in Chromium; a table per site."""
    from benchmarks.reading import largest_pages, read

    once_over = None if args.once_over is None else int(args.once_over * 1_000_000)
    loads = f"median of {args.runs} loads" if args.runs > 1 else "1 load"
    if once_over is not None and args.runs > 1:
        loads += f" (1 for a page over {args.once_over:g} MB)"

    def table(caption: str, site: Path) -> None:
        pages = largest_pages(site)
        # Closed on any error too, while Python can still stop the browser and the server.
        with contextlib.closing(read(site, pages, args.runs, args.load_timeout, once_over)) as rows:
            _reading_table(caption, pages, rows, args.load_timeout, once_over, args.runs)

    if args.site is not None:
        table(f"reading: {args.site}, {loads}", args.site)
        return
    for size in args.sizes:
        project = write(scratch / f"reading-{size}", size)
        cache = Path(tempfile.mkdtemp(dir=scratch))
        seconds, _, code, _ = _measure(build, project, args.timeout, cache)
        if code != 0:
            failed = f"> {args.timeout:g} s" if code == -9 else f"exit {code}"
            print(f"\nreading: {size} norms: `handbook build` failed ({failed})", flush=True)
            continue
        table(f"reading: {size} norms (built in {seconds:.0f} s), {loads}", project / "site")
        shutil.rmtree(project)  # the site of 10,000 norms takes some 400 MB


def _engine_ratios(sizes: Iterable[int], medians: dict[tuple[int, str], float]) -> None:
    """How much longer (or shorter) Zensical's build takes than MkDocs', at each size."""
    mkdocs, zensical = ENGINE_STEPS
    print(f"\nengines: the median of {zensical} / the median of {mkdocs}")
    for size in sizes:
        if (size, zensical) in medians and (size, mkdocs) in medians:
            ratio = f"{medians[size, zensical] / medians[size, mkdocs]:.2f}x"
        else:
            ratio = "- (a build failed or was stopped)"
        print(f"{size:>7} {ratio}", flush=True)


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
        help="validate-edit: `handbook validate` after one file changed, with the parsed files of "
        "the run before on disk (validate itself starts with none); revalidate: in one "
        "process, the second validation after one file changed (the time of that validation "
        "only; the peak memory of the whole process); report: the text report of 5,000 "
        "warnings in one file added to the handbook (the time of the report only); serve: "
        "`handbook serve`, the seconds from saving one changed file to the server giving that"
        " value's page with the change (the median of three saves; the peak memory of the "
        "server); reading: the largest page of each kind of the built handbook, its KiB, "
        "elements and seconds to open in Chromium (the median of --runs loads), a table per "
        "size; engines: `handbook build` with MkDocs and with Zensical, and the ratio",
    )
    parser.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="reading: measure this built site folder (the output of `handbook build`) instead "
        "of building the synthetic handbooks",
    )
    parser.add_argument(
        "--load-timeout",
        type=float,
        default=180.0,
        help="reading: seconds one page may take to open (default 180)",
    )
    parser.add_argument(
        "--once-over",
        type=float,
        metavar="MB",
        help="reading: open a page larger than this many megabytes (10^6 bytes) once, not "
        "--runs times",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time Doorstop and StrictDoc on the same handbook (installs them once into "
        ".bench-venv/ from benchmarks/others.txt) and print the ratios",
    )
    args = parser.parse_args(argv)
    if args.site is not None and "reading" not in args.steps:
        parser.error("--site is for the reading step: add --steps reading")
    if args.site is not None and not args.site.is_dir():
        parser.error(f"--site {args.site}: no such folder")
    timed_steps = [
        timed
        for step in args.steps
        if step != "reading"
        for timed in (ENGINE_STEPS if step == "engines" else [step])
    ]
    handbook = [sys.executable, "-m", "generator.cli"]
    commands = {
        "validate": [*handbook, "validate", "standards"],
        "validate-edit": [*handbook, "validate", "standards"],
        "build": [*handbook, "build"],
        "rebuild": [*handbook, "build"],
        **{step: [*handbook, *options] for step, options in ENGINE_STEPS.items()},
    }
    # Steps that time themselves and print the seconds: the time of one part of the process.
    timed_inside = {
        "revalidate": [sys.executable, "-m", "benchmarks.revalidate"],
        "report": [sys.executable, "-m", "benchmarks.report"],
        "serve": [sys.executable, "-m", "benchmarks.serve"],
    }
    tools: Path | None = None
    if args.compare:
        tools, reason = _install_others()
        if tools is None:
            print(f"comparison with Doorstop and StrictDoc skipped: {reason}", flush=True)
    width = 14 if tools or "engines" in args.steps else 13
    medians: dict[tuple[int, str], float] = {}
    stopped: set[tuple[int, str]] = set()  # the other tools' steps that reached the timeout
    if timed_steps or tools:
        print(
            f"{'norms':>7} {'items':>7} {'step':<{width}} {'median s':>9} {'peak MiB':>9} "
            f"{'items/s':>9}"
        )
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as scratch:
        for size in args.sizes if timed_steps or tools else []:
            project = write(Path(scratch) / f"n{size}", size)
            items = size + max(1, size // 50) + 5 * size
            warm = Path(tempfile.mkdtemp(dir=scratch))
            if "validate-edit" in args.steps:
                _measure(commands["validate-edit"], project, args.timeout, warm)
            for step in timed_steps:
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
    if "engines" in args.steps:
        _engine_ratios(args.sizes, medians)
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
    if "reading" in args.steps:
        with tempfile.TemporaryDirectory(prefix="handbook-bench-") as scratch:
            _reading(args, commands["build"], Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
