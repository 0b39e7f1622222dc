"""The benchmark command runs and prints its table (timing targets live in the benchmark, not
here); and checking grows linearly with the handbook, by operation count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.synthetic import write
from generator.load import load_handbook
from generator.yamlsource import parse_yaml
from tests.conftest import ROOT


def test_the_benchmark_prints_its_table_on_a_tiny_handbook() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "10", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["norms", "items", "step", "median", "s", "peak", "MiB", "items/s"]
    steps = [line.split()[2] for line in lines[1:]]
    assert steps == ["validate", "build", "rebuild"]
    assert all("exit" not in line for line in lines)


def test_loading_grows_linearly_with_the_handbook(tmp_path: Path) -> None:
    """Twice the norms give twice the nodes recorded and twice the locations kept for the
    items, not four times: counted, not timed."""
    nodes, kept = [], []
    for norms in (100, 200):
        project = write(tmp_path / f"n{norms}", norms)
        files = sorted((project / "standards").glob("*.yml"))
        nodes.append(
            sum(len(parse_yaml(f.read_text(encoding="utf-8"), f.name).positions) for f in files)
        )
        handbook = load_handbook(project / "standards").handbook
        assert handbook is not None
        kept.append(sum(len(origin.fields) for origin in handbook.origins.values()))
    assert 1.9 < nodes[1] / nodes[0] < 2.1
    assert 1.9 < kept[1] / kept[0] < 2.1
