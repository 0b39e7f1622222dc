"""`generator/authoring/dependencies.lock`:
what a handbook repository pins the generator's dependencies to.

It is cut out of requirements.lock, so that a handbook installs exactly the versions (and
hashes) this project is tested with: the packages pyproject.toml declares for run time, and
every package those need, as the lock's `# via` notes say. `make lock` rewrites it with
`python -m tests.dependencies`; `tests/test_package.py` fails when it is out of step.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
TARGET = ROOT / "generator" / "authoring" / "dependencies.lock"
HEADER = (
    "# The generator's run-time dependencies as requirements.lock pins them, each with its\n"
    "# hashes; written by `make lock` (python -m tests.dependencies). `handbook init` and\n"
    "# `handbook upgrade` copy these pins into a handbook repository's requirements.txt.\n"
)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[str]:
    """The run-time requirements' names, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        normalise(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0])
        for spec in project["dependencies"]
    ]


def blocks(lock: str) -> dict[str, tuple[list[str], set[str]]]:
    """Each pinned package of a uv lock: its lines (pin and hashes) and who needs it."""
    found: dict[str, tuple[list[str], set[str]]] = {}
    current: str | None = None
    for line in lock.splitlines():
        pin = _PIN.match(line)
        if pin:
            current = normalise(pin.group(1))
            found[current] = ([line], set())
        elif current is None:
            continue
        elif line.strip().startswith("--hash="):
            found[current][0].append(line)
        elif line.strip().startswith("#"):
            note = line.strip().lstrip("#").strip().removeprefix("via").strip()
            if note and not note.startswith("-r "):
                found[current][1].add(normalise(note))
    return found


def runtime_lock(lock: str, roots: list[str]) -> str:
    packages = blocks(lock)
    missing = [name for name in roots if name not in packages]
    if missing:
        raise SystemExit(f"requirements.lock does not pin {', '.join(missing)}")
    needed = set(roots)
    grown = True
    while grown:
        grown = False
        for name, (_, needed_by) in packages.items():
            if name not in needed and needed_by & needed:
                needed.add(name)
                grown = True
    return HEADER + "".join("\n".join(packages[name][0]) + "\n" for name in sorted(needed))


def main() -> None:
    TARGET.write_text(runtime_lock(LOCK.read_text(encoding="utf-8"), declared()), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
