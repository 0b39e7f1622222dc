"""The benchmark command runs and prints its table (timing targets live in the benchmark, not
here); checking grows linearly with the handbook, by operation count; and the handbook converted
for Doorstop and StrictDoc (`--compare`) holds every item and link (neither tool is needed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.others import write_doorstop, write_strictdoc
from benchmarks.reading import count_elements, largest_pages, measure, page_kind
from benchmarks.synthetic import write
from generator.source.load import load_handbook
from generator.source.yamlsource import parse_yaml
from tests.conftest import ROOT


def _benchmark(*options: str) -> list[str]:
    """The lines the benchmark command prints for a handbook of 10 norms, one run each."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "10", "--runs", "1", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_benchmark_prints_its_table_on_a_tiny_handbook() -> None:
    lines = _benchmark()
    assert lines[0].split() == ["norms", "items", "step", "median", "s", "peak", "MiB", "items/s"]
    steps = [line.split()[2] for line in lines[1:]]
    assert steps == ["validate", "build", "rebuild"]
    assert all("exit" not in line for line in lines)


@pytest.mark.slow
def test_the_engines_step_times_both_engines_on_one_handbook_and_their_ratio() -> None:
    lines = _benchmark("--steps", "engines")
    rows = [line.split() for line in lines[1:3]]
    assert [row[2] for row in rows] == ["build-mkdocs", "build-zensical"]
    seconds = [float(row[3]) for row in rows]
    assert all(0 < second < 120 for second in seconds)
    assert lines[4] == "engines: the median of build-zensical / the median of build-mkdocs"
    size, ratio = lines[5].split()
    assert size == "10"
    # The ratio of the medians, which the table shows rounded to hundredths of a second.
    assert ratio.endswith("x")
    assert float(ratio[:-1]) == pytest.approx(seconds[1] / seconds[0], abs=0.01)


def test_the_serve_step_times_an_edit_seen_through_the_server() -> None:
    [row] = _benchmark("--steps", "serve")[1:]
    norms, _, step, seconds, peak, *_ = row.split()
    assert (norms, step) == ("10", "serve")
    assert 0 < float(seconds) < 60 and int(peak) > 0


def test_the_report_step_times_the_text_report_of_many_problems_in_one_file() -> None:
    [row] = _benchmark("--steps", "report")[1:]
    norms, _, step, seconds, *_ = row.split()
    assert (norms, step) == ("10", "report")
    assert 0 < float(seconds) < 60


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


def test_the_doorstop_tree_has_a_file_per_item_and_a_norm_links_its_values(tmp_path: Path) -> None:
    project = write(tmp_path / "handbook", 100)
    handbook = load_handbook(project / "standards").handbook
    assert handbook is not None
    tree = write_doorstop(project, tmp_path / "doorstop")
    files = {
        prefix: sorted((tree / prefix).glob(f"{prefix}-*.yml")) for prefix in ("VAL", "NRM", "PAR")
    }
    assert {prefix: len(found) for prefix, found in files.items()} == {
        "VAL": 2,
        "NRM": 100,
        "PAR": 500,
    }
    parents = {
        prefix: yaml.safe_load((tree / prefix / ".doorstop.yml").read_text(encoding="utf-8"))[
            "settings"
        ].get("parent")
        for prefix in files
    }
    assert parents == {"VAL": None, "NRM": "VAL", "PAR": "NRM"}
    for norm in handbook.norms:
        item = yaml.safe_load((tree / "NRM" / f"{norm.id}.yml").read_text(encoding="utf-8"))
        assert [uid for link in item["links"] for uid in link] == sorted(norm.traces_to)
        assert item["text"] == norm.statement
    assert any(len(norm.traces_to) == 2 for norm in handbook.norms)
    again = write_doorstop(project, tmp_path / "again")
    assert all(
        (again / path.relative_to(tree)).read_bytes() == path.read_bytes()
        for found in files.values()
        for path in found
    )


def test_the_strictdoc_documents_hold_a_requirement_per_item_with_its_parents(
    tmp_path: Path,
) -> None:
    project = write(tmp_path / "handbook", 100)
    handbook = load_handbook(project / "standards").handbook
    assert handbook is not None
    folder = write_strictdoc(project, tmp_path / "strictdoc")
    documents = {
        kind: (folder / f"{kind}.sdoc").read_text(encoding="utf-8")
        for kind in ("values", "norms", "parameters")
    }
    assert all(text.startswith("[DOCUMENT]\nTITLE: ") for text in documents.values())
    parents: dict[str, list[str]] = {}
    for text in documents.values():
        for block in text.split("\n\n[REQUIREMENT]\n")[1:]:
            uid = re.search(r"^UID: (\S+)$", block, re.MULTILINE)
            assert uid is not None
            parents[uid[1]] = re.findall(r"^- TYPE: Parent\n  VALUE: (\S+)$", block, re.MULTILINE)
    expected: dict[str, list[str]] = {value.id: [] for value in handbook.values}
    expected |= {norm.id: list(norm.traces_to) for norm in handbook.norms}
    expected |= {parameter.id: list(parameter.traces_to) for parameter in handbook.parameters}
    assert parents == expected
    assert sum(text.count("[REQUIREMENT]") for text in documents.values()) == 602


def test_reading_sorts_pages_into_kinds_with_ids_and_page_numbers_generalised() -> None:
    kinds = {
        "index.html": "home",
        "404.html": None,
        "values/val-0001/index.html": "values/*",
        "channels/phone/index.html": "channels/*",
        "channels/phone/2/index.html": "channels/*/N",
        "norms/2/index.html": "norms/N",
        "checklists/store/phone/index.html": "checklists/*/*",
        "audit/trace/index.html": "audit/trace",
        "audit/trace/3/index.html": "audit/trace/N",
        "print/values/val-0001/index.html": "print/values/*",
        "roles/store.html": "roles/*",
    }
    assert {path: page_kind(path) for path in kinds} == kinds
    assert count_elements('<p>a<br/><b>x</b></p><script>"<div>"</script>') == 4


def _tiny_site(site: Path) -> None:
    pages = {
        "404.html": "<p>missing</p>",
        "values/val-001/index.html": "<p>v</p>" * 10,
        "values/val-002/index.html": "<p>v</p>" * 50,
        "channels/phone/2/index.html": "<ul><li>a</li></ul>",
    }
    for path, body in pages.items():
        for root in (site, site / "en"):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"<!doctype html><html><body>{body}</body></html>", "utf-8")
    (site / "en" / "404.html").write_text("<p>missing</p>", encoding="utf-8")
    (site / "index.html").write_text(
        '<meta http-equiv="refresh" content="0; url=en/">', encoding="utf-8"
    )


def test_reading_takes_the_largest_page_of_each_kind_in_every_language(tmp_path: Path) -> None:
    _tiny_site(tmp_path)
    found = largest_pages(tmp_path)
    assert [page.kind for page in found] == ["channels/*/N", "values/*"]
    assert found[1].path.endswith("values/val-002/index.html")
    assert found[1].bytes == (tmp_path / found[1].path).stat().st_size


@pytest.mark.slow
def test_reading_opens_each_page_in_chromium(tmp_path: Path) -> None:
    _tiny_site(tmp_path)
    rows = measure(tmp_path, runs=1)
    assert [row.kind for row in rows] == ["channels/*/N", "values/*"]
    assert all(0 < row.seconds < 30 and row.elements > 3 for row in rows)
    [row] = measure(tmp_path / "en", runs=1, timeout=0.001)[:1]
    assert row.seconds == float("inf")
