"""A release's git tag: `handbook release 1.1` tags the commit it publishes `v1.1`.

The record on the site branch (`1.1/release.json`) stays the authority on which commit a
version was built from; the tag lets every git tool name it too (`git checkout v1.1`, a CI job
started by pushing the tag, `handbook diff v1.1`). The `v` is the prefix the generated CI
workflows release on. The tag is annotated (it records who released, when, and the title).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.releases.history import GitError, git

PREFIX = "v"


class TagError(Exception):
    """The version cannot be tagged as it stands; the message says what to do."""


def tag_name(version: str) -> str:
    return f"{PREFIX}{version}"


def version_of(name: str) -> str:
    """`v1.1` → `1.1`; a name without the prefix is already a version."""
    return name[len(PREFIX) :] if name.startswith(PREFIX) and len(name) > len(PREFIX) else name


@dataclass(frozen=True)
class TagPlan:
    """What the release will do with its tag once the site is published."""

    name: str
    commit: str
    existing: str | None
    """The commit the tag names before the release (None: there is no such tag)."""

    @property
    def needed(self) -> bool:
        return self.existing != self.commit


def plan_tag(repo: Path, version: str, commit: str, *, force: bool) -> TagPlan:
    """Checked before anything is published: git must accept the tag's name, and a tag of that
    name must be free, already name this commit (the CI job that pushing the tag started), or
    be moved deliberately (`--force`, which also replaces the published version)."""
    name = tag_name(version)
    try:
        git(repo, "check-ref-format", f"refs/tags/{name}")
    except GitError:
        raise TagError(
            f"`{version}` cannot be a version: its git tag `{name}` is not a name git accepts "
            "(no spaces, `~`, `^`, `:`, `?`, `*`, `[`, `\\`, `..` or a final `.`); "
            "use digits and dots, such as 1.2"
        ) from None
    try:
        named = git(repo, "rev-parse", "--verify", f"refs/tags/{name}^{{commit}}")
        existing: str | None = str(named).strip()
    except GitError:
        existing = None
    if existing is not None and existing != commit and not force:
        raise TagError(
            f"the tag {name} already names commit {existing[:12]}, not {commit[:12]} that would "
            f"be released; release that commit (`git checkout {name}`), or pass --force to "
            "publish this one as the version and move the tag"
        )
    return TagPlan(name, commit, existing)


def write_tag(repo: Path, plan: TagPlan, message: str) -> None:
    if not plan.needed:
        return
    force = ["--force"] if plan.existing is not None else []
    git(repo, "tag", "--annotate", *force, "--message", message, plan.name, plan.commit)
