"""An edit seen in the browser under `handbook serve`: `python -m benchmarks.serve DIR`.

Starts `handbook serve` on the handbook in DIR, waits for its first build, then three times
changes one statement in one file and asks the server for that value's page until it shows
the change, as a browser reloading the page would. Prints the seconds from the save to the
page with the change, the median of the three.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

EDITS = 3
PATIENCE = 600.0  # seconds for the first build of a large handbook


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def page(url: str) -> str:
    """The page at `url`, or "" if the server does not give it."""
    try:
        with urllib.request.urlopen(url, timeout=PATIENCE) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def until(url: str, text: str, patience: float = PATIENCE) -> float:
    """Seconds until the page at `url` holds `text` (TimeoutError after `patience` seconds)."""
    start = time.perf_counter()
    while text not in page(url):
        if time.perf_counter() - start > patience:
            raise TimeoutError(f"{url} never showed {text!r}")
        time.sleep(0.02)
    return time.perf_counter() - start


@contextlib.contextmanager
def serving(project: Path) -> Iterator[str]:
    """`handbook serve` on the handbook in `project`, on a free port: its address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=60)


def main(argv: list[str]) -> int:
    project = Path(argv[0])
    with serving(project) as site:
        url = f"{site}/values/val-0001/"
        until(url, "</html>")
        target = project / "standards" / "value-0001.yml"
        seen = []
        for edit in range(EDITS):
            marker = f"Edit{edit}x{time.time_ns()}."
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("statement: '", f"statement: '{marker} ", 1), "utf-8")
            seen.append(until(url, marker))
    print(f"{statistics.median(seen):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
