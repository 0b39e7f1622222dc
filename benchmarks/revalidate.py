"""Re-validation after one edit, as `mkdocs serve` does it: `python -m benchmarks.revalidate DIR`.

Validates the handbook in DIR once, changes one statement in one file, validates again in the
same process with the same file cache, and prints how many seconds the second validation took.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from benchmarks.synthetic import edit_one_file
from generator.pipeline import validate
from generator.source.load import LoadedFile
from generator.speed.filecache import FileCache


def main(argv: list[str]) -> int:
    project = Path(argv[0])
    cache: FileCache[LoadedFile] = FileCache()
    today = dt.date.today()
    validate(project / "standards", today=today, cache=cache)
    edit_one_file(project)
    start = time.perf_counter()
    validate(project / "standards", today=today, cache=cache)
    print(f"{time.perf_counter() - start:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
