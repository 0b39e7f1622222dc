"""Releases: the published history of a handbook, read back from git.

mike publishes each version of the site into its own folder of a git branch (by default
`gh-pages`) and lists them in `versions.json`. Every version this project publishes also carries
`release.json`: its version, title, date, the commit it was built from and its manifest hash.
Reading those back gives the release history without any second store that could drift: the
changes page, `handbook asof` and the release checks all use it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.model.items import Handbook
from generator.system.filesystem import doing
from generator.system.programs import MissingProgramError, require_git

RELEASE_FILE = "release.json"
DEFAULT_BRANCH = "gh-pages"


class GitError(Exception):
    """A git command failed; the message is git's own."""


@dataclass(frozen=True, order=True)
class Release:
    date: dt.date
    version: str
    title: str
    commit: str
    manifest_sha256: str
    standards: str
    """The standards folder, relative to the repository root, at release time."""

    def record(self) -> str:
        return (
            json.dumps(
                {
                    "version": self.version,
                    "title": self.title,
                    "date": self.date.isoformat(),
                    "commit": self.commit,
                    "manifest_sha256": self.manifest_sha256,
                    "standards": self.standards,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )


def git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    result = subprocess.run(
        [require_git(), *args], cwd=repo, capture_output=True, check=False, timeout=300
    )
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return result.stdout if binary else result.stdout.decode("utf-8")


def repository_root(path: Path) -> Path | None:
    """The top of the git work tree that holds `path`, or None outside git (or without git:
    a build needs no history; the commands that do ask for git first, `require_git`)."""
    try:
        top = git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    except (GitError, OSError, MissingProgramError):
        return None
    return Path(str(top).strip())


def head_commit(repo: Path) -> str:
    return str(git(repo, "rev-parse", "HEAD")).strip()


def releases(repo: Path, branch: str = DEFAULT_BRANCH, prefix: str = "") -> list[Release]:
    """Every version on the site branch that carries a release record, oldest first.

    A handbook in several languages publishes each under its own prefix (`ru/1.1/`), each
    with mike's versions.json; `prefix` says which language's history to read.
    """
    root = f"{prefix}/" if prefix else ""
    try:
        listing = json.loads(git(repo, "show", f"{branch}:{root}versions.json"))
    except (GitError, json.JSONDecodeError):
        return []
    found = []
    for entry in listing:
        version = str(entry.get("version", ""))
        try:
            record = json.loads(git(repo, "show", f"{branch}:{root}{version}/{RELEASE_FILE}"))
        except (GitError, json.JSONDecodeError):
            continue  # a version published by hand with mike, without a record
        found.append(
            Release(
                date=dt.date.fromisoformat(record["date"]),
                version=record["version"],
                title=record.get("title", record["version"]),
                commit=record["commit"],
                manifest_sha256=record["manifest_sha256"],
                standards=record.get("standards", "standards"),
            )
        )
    return sorted(found)


def find_release(repo: Path, refs: Sequence[str], version: str) -> Release | None:
    """The release published as `version`, from the first of `refs` (the site branch, then the
    remote's copy of it) that records it: at the branch's root, or in a language's folder."""
    for ref in refs:
        for prefix in _published_prefixes(repo, ref):
            for release in releases(repo, ref, prefix):
                if release.version == version:
                    return release
    return None


def _published_prefixes(repo: Path, ref: str) -> list[str]:
    """Where a site branch keeps its versions.json: at its root (one language) or in a folder
    per language (`ru/versions.json`)."""
    try:
        names = str(git(repo, "ls-tree", "--name-only", f"{ref}^{{tree}}")).splitlines()
    except GitError:
        return []
    if "versions.json" in names:
        return [""]
    found = []
    for name in names:
        try:
            git(repo, "cat-file", "-e", f"{ref}:{name}/versions.json")
        except GitError:
            continue
        found.append(name)
    return found


def previous(history: list[Release], version: str | None) -> Release | None:
    """The release a version's changes are told against: the last one published before it
    (for a version not yet released, the last one of all)."""
    if version is not None:
        for index, release in enumerate(history):
            if release.version == version:
                return history[index - 1] if index > 0 else None
    return history[-1] if history else None


def in_force(history: list[Release], day: dt.date) -> Release | None:
    """The release that was the published handbook on `day`."""
    published = [r for r in history if r.date <= day]
    return published[-1] if published else None


def extract_standards(repo: Path, commit: str, standards: str, into: Path) -> Path:
    """The standards folder as it was at `commit`, written under `into`, so that loading it
    reads (and refuses) what loading the work tree did: its links are made again as they
    were, and `load.py` decides about each, as it does in the work tree; a link is made, not
    followed, so nothing outside `into` is read or written here."""
    archive = git(repo, "archive", "--format=tar", commit, "--", standards, binary=True)
    assert isinstance(archive, bytes)
    with (
        doing(f"unpacking the standards of {commit}", into),
        tarfile.open(fileobj=io.BytesIO(archive)) as tar,
    ):
        for member in tar.getmembers():
            path = PurePosixPath(member.name)
            if member.islnk() or path.is_absolute() or ".." in path.parts:
                continue  # git archives neither; a path outside the folder is never needed
            if member.issym():
                link = into / path
                if link.parent.resolve().is_relative_to(into.resolve()):  # see below
                    link.parent.mkdir(parents=True, exist_ok=True)
                    link.symlink_to(member.linkname)
                continue
            try:
                tar.extract(member, into, filter="data")
            except tarfile.FilterError:
                continue  # a path through one of the links above, out of `into` (not from git)
    return into / standards


@dataclass(frozen=True)
class ReleaseContext:
    """What a build knows of the release history: the version it is (if it is a release),
    the releases before it, and the handbook as last released, to tell what changed."""

    history: tuple[Release, ...]
    base: Release | None
    base_handbook: Handbook | None
    current: Release | None
    """This build's own release record; None for a build that is not a release."""
