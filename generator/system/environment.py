"""What the handbook takes from the process environment, read once where a process starts
handbook work (the command line; MkDocs or mike loading the plugin) and passed down as data.

The environment is how one process tells the next what to build: `handbook build` starts one
MkDocs build per language, `handbook release` runs mike, which runs MkDocs; each of them
reads these variables once, at its edge, and nothing below reads `os.environ`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

LANGUAGE = "HANDBOOK_LANGUAGE"
"""The one language this build makes (`handbook build` and `release` build each on its own)."""
PDF = "HANDBOOK_PDF"
"""`1`: print each role's PDF after the build (`handbook release`)."""
NO_HELPERS = "HANDBOOK_NO_HELPERS"
"""`1`: do everything in this process (see `speed.helper`)."""
CHROMIUM = "HANDBOOK_CHROMIUM"
"""The Chromium program that prints PDFs; Debian's by default."""
RELEASE_DATE = "HANDBOOK_RELEASE_DATE"
RELEASE_TITLE = "HANDBOOK_RELEASE_TITLE"
VERSION = "MIKE_DOCS_VERSION"
"""Set by mike while it builds a version."""
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""reproducible-builds.org: the time every dated thing in the output shows."""


@dataclass(frozen=True)
class Environment:
    language: str | None = None
    pdf: bool = False
    helpers: bool = True
    chromium: Path = Path("/usr/bin/chromium")
    version: str | None = None
    release_date: dt.date | None = None
    release_title: str | None = None
    source_date: dt.datetime | None = None
    cache_home: Path | None = None
    """The user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`); None without a home."""
    git_identity: frozenset[str] = frozenset()
    """The parts of git's identity the environment sets (`user.name`, `user.email`)."""

    def audit_date(self) -> dt.date:
        """The day the audit section is dated: the source date when set, so a rebuild of the
        same commit is identical; else today."""
        return self.source_date.date() if self.source_date is not None else dt.date.today()


def read_environment(variables: Mapping[str, str]) -> Environment:
    epoch = variables.get(SOURCE_DATE_EPOCH, "")
    released = variables.get(RELEASE_DATE, "")
    return Environment(
        language=variables.get(LANGUAGE) or None,
        pdf=variables.get(PDF) == "1",
        helpers=variables.get(NO_HELPERS) != "1",
        chromium=Path(variables.get(CHROMIUM) or "/usr/bin/chromium"),
        version=variables.get(VERSION) or None,
        release_date=_date(released),
        release_title=variables.get(RELEASE_TITLE) or None,
        source_date=dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else None,
        cache_home=_cache_home(variables),
        git_identity=frozenset(
            key
            for key, variable in (
                ("user.name", "GIT_COMMITTER_NAME"),
                ("user.email", "GIT_COMMITTER_EMAIL"),
            )
            if variables.get(variable)
        ),
    )


@contextlib.contextmanager
def variable_set(name: str, value: str | None) -> Iterator[None]:
    """`name` set to `value` (unless None) in this process while the block runs, as it was
    after: how `handbook build` tells the plugin in its own process which language to build."""
    previous = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def for_child(settings: Mapping[str, str], *, programs_first: str | None = None) -> dict[str, str]:
    """The environment of a child process: this one's, with `settings`, and `programs_first`
    searched for programs before the rest of PATH."""
    child = {**os.environ, **settings}
    if programs_first is not None:
        child["PATH"] = os.pathsep.join([programs_first, os.environ.get("PATH", "")])
    return child


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _cache_home(variables: Mapping[str, str]) -> Path | None:
    if variables.get("XDG_CACHE_HOME"):
        return Path(variables["XDG_CACHE_HOME"])
    try:
        return Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
