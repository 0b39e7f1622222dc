"""`handbook serve` rebuilds when a policy owner saves a YAML file: the page shows the edit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from benchmarks.serve import free_port, page, serving, until
from generator.engines.mkdocs.serve import STANDARDS_POLL, polling_every

pytestmark = pytest.mark.slow


def _wait_for(url: str, text: str, seconds: float) -> bool:
    try:
        until(url, text, seconds)
    except TimeoutError:
        return False
    return True


def test_serve_rebuilds_when_a_standards_file_changes(small: Path) -> None:
    with serving(small) as site:
        url = f"{site}/values/val-001/"
        assert _wait_for(url, "We treat every customer as a guest.", 60)
        values = small / "standards" / "values.yml"
        values.write_text(
            values.read_text(encoding="utf-8").replace(
                "We treat every customer as a guest.", "We treat every customer as a welcome guest."
            ),
            encoding="utf-8",
        )
        assert _wait_for(url, "We treat every customer as a welcome guest.", 30)
        # The search index of the rebuild is written too (by the handbook, for Material).
        index = f"{site}/search/search_index.json"
        assert _wait_for(index, "We treat every customer as a welcome guest.", 30)
        # Pages that list everything again and the exports are made when first asked for:
        # whole, with the change, and with the sizes of the downloads.
        printed = page(f"{site}/print/values/val-001/")
        assert "We treat every customer as a welcome guest." in printed
        assert not re.search(r"<p>hb[0-9a-f]{24}-\d+</p>", printed)
        downloads = page(f"{site}/audit/downloads/")
        assert "bytes" in downloads and "-size-" not in downloads
        sizes = dict(re.findall(r'href="(traceability\.\w+)".*?([\d,]+) bytes', downloads, re.S))
        assert set(sizes) == {"traceability.json", "traceability.csv", "traceability.xlsx"}
        exported = page(f"{site}/audit/downloads/traceability.json")
        assert "a welcome guest" in exported
        assert len(exported.encode("utf-8")) == int(sizes["traceability.json"].replace(",", ""))
        # A broken edit stops the rebuild (MkDocs holds requests until it is fixed);
        # the fix is picked up without restarting the server.
        good = values.read_text(encoding="utf-8")
        values.write_text("values: [\n", encoding="utf-8")
        time.sleep(2)
        values.write_text(good.replace("welcome guest", "honoured guest"), encoding="utf-8")
        assert _wait_for(url, "We treat every customer as a honoured guest.", 30)


def test_the_standards_are_looked_at_more_often_than_mkdocs_looks_at_the_docs(
    tmp_path: Path,
) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        (tmp_path / "docs").mkdir()
        (tmp_path / "standards").mkdir()
        server.watch(str(tmp_path / "docs"))
        with polling_every(server, STANDARDS_POLL):
            server.watch(str(tmp_path / "standards"))
        every = {Path(e.watch.path).name: e.timeout for e in server.observer.emitters}
        assert every == {"docs": 0.5, "standards": STANDARDS_POLL}
        assert server.observer.timeout == 0.5
    finally:
        server.server_close()


def test_without_live_reload_every_page_is_whole_from_the_start(small: Path) -> None:
    """`mkdocs serve --no-livereload` builds once and never puts the handbook's app in front
    of its server: nothing may be left to complete on request."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=small,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        site = f"http://127.0.0.1:{port}"
        assert _wait_for(f"{site}/print/values/val-001/", "We treat every customer as a guest.", 60)
        assert not re.search(r"<p>hb[0-9a-f]{24}-\d+</p>", page(f"{site}/print/values/val-001/"))
        assert "-size-" not in page(f"{site}/audit/downloads/")
        assert "a guest" in page(f"{site}/audit/downloads/traceability.json")
    finally:
        server.terminate()
        server.wait(timeout=30)
