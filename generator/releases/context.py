"""Where a build stands in the release history: the releases so far, the one being made, and
the handbook of the previous one (to show what changed). Read from git, once per build, by
whichever engine adapter builds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.releases.history import (
    Release,
    ReleaseContext,
    extract_standards,
    head_commit,
    previous,
    releases,
    repository_root,
)
from generator.source.load import load_handbook
from generator.system.environment import Environment


def release_context(
    standards: Path, branch: str, environment: Environment, prefix: str = ""
) -> ReleaseContext:
    """Where this build stands in the release history, read from git.

    Under `handbook release`, mike names the version and the command the release date and
    title (`environment`); any other build is compared with the last release, as a preview.
    """
    repo = repository_root(standards)
    if repo is None:
        return ReleaseContext((), None, None, None)
    history = tuple(releases(repo, branch, prefix))
    version = environment.version
    folder = standards.resolve().relative_to(repo.resolve()).as_posix()
    current = None
    released_on = environment.release_date
    if version and released_on:
        current = Release(
            date=released_on,
            version=version,
            title=environment.release_title or version,
            commit=head_commit(repo),
            manifest_sha256="",
            standards=folder,
        )
    base = previous(list(history), version)
    base_handbook = None
    if base is not None:
        with tempfile.TemporaryDirectory(prefix="handbook-base-") as scratch:
            extracted = extract_standards(repo, base.commit, base.standards, Path(scratch))
            base_handbook = load_handbook(
                extracted, label=f"{base.standards}@{base.version}"
            ).handbook
    return ReleaseContext(history, base, base_handbook, current)
