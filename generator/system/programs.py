"""Programs that some commands run outside this Python process.

pip installs the Python packages the generator imports (mike, Playwright, MkDocs …: all
declared in pyproject.toml), but not git or Chromium, and a console script such as `mkdocs`
is found by mike through PATH, which pip does not set. A command that needs one of them looks
for it before it starts, and when it is missing ends with one line that says what to install,
never with a traceback from inside a subprocess call.
"""

from __future__ import annotations

import os
import shutil
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path


class MissingProgramError(Exception):
    """A program a command needs is not installed; the message says how to install it."""


GIT_MISSING = (
    "git is not installed, and releases and comparisons are read from git: "
    "install it (Debian: apt-get install git)"
)


def require_git() -> str:
    found = shutil.which("git")
    if found is None:
        raise MissingProgramError(GIT_MISSING)
    return found


def console_script_folder(package: str, script: str) -> Path:
    """The folder of a console script that `package` installed (`mkdocs` of MkDocs), wherever
    pip put it: a virtual environment's `bin/`, `~/.local/bin` for `pip install --user` …"""
    try:
        files = distribution(package).files or []
    except PackageNotFoundError:
        files = []
    for file in files:
        if file.name == script and file.parent.name in ("bin", "Scripts"):
            located = Path(str(file.locate())).resolve()
            if located.is_file() and os.access(located, os.X_OK):
                return located.parent
    raise MissingProgramError(
        f"the `{script}` program of the {package} package is not installed beside it; "
        "reinstall service-handbook with pip"
    )
