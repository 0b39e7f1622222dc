"""`handbook serve` rebuilds when a policy owner saves a YAML file: the page shows the edit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return True
        time.sleep(0.25)
    return False


def test_serve_rebuilds_when_a_standards_file_changes(small: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=small,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/values/val-001/"
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
        index = f"http://127.0.0.1:{port}/search/search_index.json"
        assert _wait_for(index, "We treat every customer as a welcome guest.", 30)
        # A broken edit stops the rebuild (MkDocs holds requests until it is fixed);
        # the fix is picked up without restarting the server.
        good = values.read_text(encoding="utf-8")
        values.write_text("values: [\n", encoding="utf-8")
        time.sleep(2)
        values.write_text(good.replace("welcome guest", "honoured guest"), encoding="utf-8")
        assert _wait_for(url, "We treat every customer as a honoured guest.", 30)
    finally:
        server.terminate()
        server.wait(timeout=30)
