"""Publish: `handbook release` and `handbook asof`, the two commands that work on history.

A release is checked before anything is written: the standards must validate, the work tree
must be committed (the release records its commit), the version must be new unless forced,
and compared with the previous release no item may have been deleted or an id reused. Then
mike builds the site and commits it into its own version folder, on a scratch branch that the
site branch is moved to in one step at the end: a version already published is never touched,
and a refused, failed or killed release leaves the site branch as it was.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.engines.mkdocs.build import root_pages
from generator.engines.mkdocs.project import site_folder, site_name, standards_folder
from generator.engines.pdf import PdfError, chromium
from generator.engines.sitefolder import remove_abandoned_staging
from generator.model.diagnostics import Diagnostic, Rule, has_errors
from generator.model.items import Handbook, Norm, Parameter, id_order
from generator.pipeline import validate
from generator.releases.diff import Changes, diff
from generator.releases.history import (
    DEFAULT_BRANCH,
    GitError,
    Release,
    extract_standards,
    find_release,
    git,
    in_force,
    previous,
    releases,
    repository_root,
)
from generator.releases.tags import TagError, TagPlan, plan_tag, version_of, write_tag
from generator.report.diagnostics import as_text
from generator.site.sitepages import NOT_FOUND, root_page
from generator.source.load import load_handbook
from generator.system import children
from generator.system.environment import LANGUAGE as LANGUAGE_VARIABLE
from generator.system.environment import PDF as PDF_VARIABLE
from generator.system.environment import RELEASE_DATE, RELEASE_TITLE, Environment, for_child
from generator.system.programs import MissingProgramError, console_script_folder, require_git

REMOTE = "origin"
"""The remote the site branch is published to (mike's default)."""
SCRATCH_PREFIX = "handbook-release/"
"""Where a release is assembled before the site branch is moved to it (`publish`)."""
# mike has no `python -m mike`, and its console script is wherever pip put it (not always
# beside the interpreter): its entry point is run by this interpreter instead.
_MIKE = [
    sys.executable,
    "-c",
    "import sys; sys.argv[0] = 'mike'; from mike.driver import main; sys.exit(main())",
]


class PublishError(Exception):
    """A release or a history question that cannot be answered; says why, and what to do."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report


def _repo(config_file: Path) -> Path:
    require_git()
    repo = repository_root(config_file.resolve().parent)
    if repo is None:
        raise PublishError("this handbook is not in a git repository; releases are recorded in git")
    return repo


def _epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


def publish(
    config_file: Path,
    version: str,
    *,
    title: str | None,
    date: dt.date,
    force: bool,
    branch: str,
    environment: Environment,
) -> list[str]:
    """Check, then publish `version`; returns what a person should read about it."""
    repo = _repo(config_file)
    with _one_release_at_a_time(repo):
        return _publish(config_file, repo, version, title, date, force, branch, environment)


@contextmanager
def _one_release_at_a_time(repo: Path) -> Iterator[None]:
    """Two releases in one clone would share the scratch branch and mike's temporary files;
    the second waits. The kernel drops the lock of a killed process: nothing stale stays."""
    git_dir = Path(str(git(repo, "rev-parse", "--git-dir")).strip())
    lock = (repo / git_dir) / "handbook-release.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def _publish(
    config_file: Path,
    repo: Path,
    version: str,
    title: str | None,
    date: dt.date,
    force: bool,
    branch: str,
    environment: Environment,
) -> list[str]:
    standards = standards_folder(config_file)
    project = config_file.resolve().parent
    _remove_abandoned_mike_configs(repo, project)
    remove_abandoned_staging(site_folder(config_file))
    dirty = str(git(repo, "status", "--porcelain", "--untracked-files=all", "--", str(project)))
    if dirty.strip():
        raise PublishError(
            "the work tree has uncommitted changes; commit them first, because a release "
            "records the commit it was built from:\n" + dirty
        )
    _catch_up_with_remote(repo, branch)
    tools = _tools_path()
    _ready_to_publish(repo, environment)
    validation = validate(standards, today=date)
    if validation.failed():
        raise PublishError(
            "the standards have errors",
            as_text(validation.diagnostics, validation.loaded.sources, files=validation.file_count),
        )
    assert validation.handbook is not None
    languages = validation.handbook.settings.published
    # One language: the site is the branch's root. Several: each language is published under
    # its own prefix (`ru/1.1/`), with its own versions.json for Material's version selector.
    prefixes = list(languages) if len(languages) > 1 else [""]
    history = releases(repo, branch, prefixes[0])
    published = _published_versions(repo, branch, prefixes[0])
    if version in published and not force:
        raise PublishError(
            f"version {version} is already published; a published version is never rebuilt. "
            "Choose a new version, or pass --force to replace it deliberately"
        )
    head = str(git(repo, "rev-parse", "HEAD")).strip()
    try:
        tag = plan_tag(repo, version, head, force=force)
    except TagError as refused:
        raise PublishError(str(refused)) from None
    base = previous(history, version)
    lines: list[str] = []
    if base is not None:
        changes = _changes_since(repo, base, validation.handbook)
        problems = [
            *changes.problems,
            *_effective_before_release(changes, validation.handbook, date),
        ]
        if has_errors(problems):
            raise PublishError(
                f"compared with release {base.version}, the standards break the release rules",
                as_text(problems, validation.loaded.sources, files=validation.file_count),
            )
        lines.extend(f"warning: {d.location}: [{d.rule}] {d.message}" for d in problems)
        lines.append(f"changes since {base.version}: {_summary(changes)}")
    # What mike's MkDocs builds read at their edge (`system.environment`).
    mike_environment = for_child(
        {
            RELEASE_DATE: date.isoformat(),
            RELEASE_TITLE: title or version,
            "SOURCE_DATE_EPOCH": _epoch(date),
            PDF_VARIABLE: "1",
            "NO_MKDOCS_2_WARNING": "1",
        },
        programs_first=tools,
    )
    # mike commits once per language. They go to a scratch branch; the site branch moves once,
    # at the end, in one compare-and-swap of its ref: a release that fails, is interrupted or
    # is killed (SIGKILL, power loss) half-way leaves the site branch exactly as it was.
    before = _branch_head(repo, branch)
    scratch = f"{SCRATCH_PREFIX}{branch}"
    _reset_branch(repo, scratch, before)  # also drops a scratch branch a killed release left
    try:
        for prefix in prefixes:
            _deploy(project, config_file, scratch, version, title, prefix, mike_environment)
        _root_pages(project, config_file, scratch, languages, version, mike_environment)
        after = _branch_head(repo, scratch)
        assert after is not None
        git(repo, "update-ref", f"refs/heads/{branch}", after, before or "")
    finally:
        _reset_branch(repo, scratch, None)
    short = str(git(repo, "rev-parse", "--short", head)).strip()
    lines[0:0] = [
        f"released {version} ({title or version}) dated {date.isoformat()} from commit "
        f"{short} to branch {branch}; latest → {version}",
        _tagged(repo, tag, _tag_message(version, title, date)),
    ]
    return lines


def _tag_message(version: str, title: str | None, date: dt.date) -> str:
    named = f": {title}" if title and title != version else ""
    return f"Release {version}{named}, dated {date.isoformat()}"


def _tagged(repo: Path, tag: TagPlan, message: str) -> str:
    """Tagged once the site branch has moved: a release that failed leaves no tag behind. The
    record on the site branch names the commit all the same, so a tag that cannot be written
    now costs only the tag."""
    if not tag.needed:
        return f"the tag {tag.name} already names this commit"
    try:
        write_tag(repo, tag, message)
    except GitError as failed:
        return (
            f"warning: the release is published but could not be tagged ({failed}); "
            f"tag it with `git tag {tag.name} {tag.commit[:12]}`"
        )
    return f"tagged this commit {tag.name}"


def _tools_path() -> str:
    """mike runs the `mkdocs` program through PATH: the one installed with this generator."""
    try:
        return str(console_script_folder("mkdocs", "mkdocs"))
    except MissingProgramError as missing:
        raise PublishError(str(missing)) from None


def _ready_to_publish(repo: Path, environment: Environment) -> None:
    """What a release needs outside Python, asked before anything is built: mike commits and
    the tag are signed with the user's git identity, and each language's PDF is printed by
    Chromium."""
    for key in ("user.name", "user.email"):
        if key in environment.git_identity:
            continue
        try:
            git(repo, "config", "--get", key)
        except GitError:
            raise PublishError(
                f"git does not know who publishes this release (no {key}): set "
                '`git config user.name "…"` and `git config user.email …` first'
            ) from None
    try:
        chromium(environment.chromium)
    except PdfError as missing:
        reason = f"a release prints each language's PDF, and there is {missing}"
        raise PublishError(reason) from None


def _catch_up_with_remote(repo: Path, branch: str) -> None:
    """A release adds one version to the site branch as published: in a fresh clone (CI) the
    branch exists only as `origin/<branch>`, and a local one may be behind it. Built on
    anything older, the release would drop the versions published since (what mike itself
    checks before it deploys to a branch). A diverged branch is refused."""
    try:
        upstream = str(
            git(repo, "rev-parse", "--verify", f"refs/remotes/{REMOTE}/{branch}^{{commit}}")
        ).strip()
    except GitError:
        return
    local = _branch_head(repo, branch)
    if local == upstream or (local is not None and _is_ancestor(repo, upstream, local)):
        return  # up to date, or ahead with releases not pushed yet
    if local is not None and not _is_ancestor(repo, local, upstream):
        raise PublishError(
            f"the site branch `{branch}` and `{REMOTE}/{branch}` have diverged; bring them "
            f"together first (for example `git branch -f {branch} {REMOTE}/{branch}` if the "
            "local one holds nothing to keep)"
        )
    git(repo, "update-ref", f"refs/heads/{branch}", upstream, local or "")


def _is_ancestor(repo: Path, older: str, newer: str) -> bool:
    try:
        git(repo, "merge-base", "--is-ancestor", older, newer)
    except GitError:
        return False
    return True


def _remove_abandoned_mike_configs(repo: Path, project: Path) -> None:
    """mike writes a temporary `mike-mkdocs*.yml` beside mkdocs.yml for each build and removes
    it after; a release that was killed leaves it, and the next release would then be refused
    for an uncommitted file it did not write. Only such untracked files are removed."""
    for leftover in project.glob("mike-mkdocs*.yml"):
        if not str(git(repo, "ls-files", "--", str(leftover))).strip():
            leftover.unlink()


def _deploy(
    project: Path,
    config_file: Path,
    branch: str,
    version: str,
    title: str | None,
    prefix: str,
    environment: dict[str, str],
) -> None:
    language = {LANGUAGE_VARIABLE: prefix} if prefix else {}
    placed = ["--deploy-prefix", prefix] if prefix else []
    deploy = [
        *_MIKE, "deploy",
        "--config-file", str(config_file.resolve()),
        "--branch", branch,
        "--alias-type", "redirect",
        "--update-aliases",
        "--title", title or version,
        *placed,
        version, "latest",
    ]  # fmt: skip
    _run(deploy, project, {**environment, **language}, "mike could not build or publish the site")
    if not _has_default(Path(project), branch, prefix):
        _run(
            [*_MIKE, "set-default", "--branch", branch, *placed, "latest"],
            project,
            environment,
            "mike could not set the default version",
        )


def _root_pages(
    project: Path,
    config_file: Path,
    branch: str,
    languages: tuple[str, ...],
    version: str,
    environment: dict[str, str],
) -> None:
    """The branch's root: a not-found page, where static hosts look for one (GitHub Pages only
    there), and with several languages a home that sends readers to the default one (written
    once: a handbook may replace it). And in `latest/`, the version's own not-found page: mike
    makes every page of an alias a redirect relative to the address, which a host that shows the
    nearest not-found page (`latest/404.html` for any missing address under it) would follow
    from the missing address to another missing one, again and again."""
    repo = _repo(config_file)
    if len(languages) > 1:
        pages = root_pages(config_file, languages)
        if _has_default(repo, branch, ""):
            del pages["index.html"]
    else:
        name = site_name(config_file)
        pages = {NOT_FOUND: root_page(name, ())}
    for prefix in [f"{lang}/" for lang in languages] if len(languages) > 1 else [""]:
        own = str(git(repo, "show", f"{branch}:{prefix}{version}/{NOT_FOUND}"))
        pages[f"{prefix}latest/{NOT_FOUND}"] = own  # the alias `_deploy` points at the version
    # No commit when they are as the last release left them (mike removes an empty one).
    script = (
        "import json, sys\n"
        "from mike import git_utils\n"
        "try:\n"
        "    with git_utils.Commit(sys.argv[1], 'The site root') as c:\n"
        "        for name, text in json.loads(sys.argv[2]).items():\n"
        "            c.add_file(git_utils.FileInfo(name, text))\n"
        "except git_utils.GitEmptyCommit:\n"
        "    pass\n"
    )
    _run(
        [sys.executable, "-c", script, branch, json.dumps(pages)],
        project,
        environment,
        "could not write the site's root pages",
    )


def _branch_head(repo: Path, branch: str) -> str | None:
    try:
        return str(git(repo, "rev-parse", "--verify", f"refs/heads/{branch}")).strip()
    except GitError:
        return None


def _reset_branch(repo: Path, branch: str, head: str | None) -> None:
    if head is None:
        if _branch_head(repo, branch) is not None:
            git(repo, "update-ref", "-d", f"refs/heads/{branch}")
    else:
        git(repo, "update-ref", f"refs/heads/{branch}", head)


def _run(command: list[str], cwd: Path, environment: dict[str, str], failure: str) -> None:
    """Run mike (or a script of its library): it ends with the release, however the release
    ends, rather than go on writing to the scratch branch the next release starts from."""
    result = subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=children.end_with_parent,
    )
    if result.returncode != 0:
        raise PublishError(failure, result.stdout + result.stderr)


def _published_versions(repo: Path, branch: str, prefix: str) -> set[str]:
    root = f"{prefix}/" if prefix else ""
    try:
        listing = json.loads(git(repo, "show", f"{branch}:{root}versions.json"))
    except (GitError, json.JSONDecodeError):
        return set()
    return {str(entry.get("version")) for entry in listing}


def _has_default(repo: Path, branch: str, prefix: str) -> bool:
    root = f"{prefix}/" if prefix else ""
    try:
        git(repo, "cat-file", "-e", f"{branch}:{root}index.html")
    except GitError:
        return False
    return True


@contextmanager
def standards_at(
    side: str | None, standards: Path, branch: str = DEFAULT_BRANCH
) -> Iterator[Handbook]:
    """One side of a diff: a folder of standards, a released version (`1.1` or `v1.1`, found
    by the release records on the site branch, so it needs no tag in this clone), a git ref of
    this repository, or (None) the standards folder as it is in the work tree."""
    if side is None or Path(side).is_dir():
        yield _readable(Path(side) if side is not None else standards, side or "work tree")
        return
    require_git()
    repo = repository_root(standards if standards.exists() else Path.cwd())
    if repo is None:
        raise PublishError(f"`{side}` is not a folder, and there is no git repository here")
    release = _released(repo, branch, side)
    if release is not None:
        commit, folder = release.commit, release.standards
        try:
            git(repo, "cat-file", "-e", f"{commit}^{{commit}}")
        except GitError:
            raise PublishError(
                f"release {release.version} was built from commit {commit[:12]}, which this "
                "clone does not have; fetch the whole history (`git fetch --unshallow`)"
            ) from None
    else:
        folder = standards.resolve().relative_to(repo.resolve()).as_posix()
        try:
            commit = str(git(repo, "rev-parse", "--verify", f"{side}^{{commit}}")).strip()
        except GitError:
            raise PublishError(
                f"`{side}` is neither a folder, a version released on `{branch}` nor a git "
                "ref of this repository"
            ) from None
    with tempfile.TemporaryDirectory(prefix="handbook-diff-") as scratch:
        extracted = extract_standards(repo, commit, folder, Path(scratch))
        yield _readable(extracted, side, label=f"{folder}@{side}")


def _released(repo: Path, branch: str, name: str) -> Release | None:
    """The release `name` stands for: a version as published, or its tag's name (`v1.1`)."""
    refs = [branch, f"{REMOTE}/{branch}"]
    for version in dict.fromkeys([name, version_of(name)]):
        found = find_release(repo, refs, version)
        if found is not None:
            return found
    return None


def _readable(folder: Path, side: str, label: str | None = None) -> Handbook:
    loaded = load_handbook(folder, label=label)
    errors = [d for d in loaded.diagnostics if d.severity.value == "error"]
    if loaded.handbook is None or errors:
        raise PublishError(
            f"the standards of {side} cannot be read",
            as_text(errors, loaded.sources, files=len(loaded.sources)),
        )
    return loaded.handbook


def _load_release(repo: Path, release: Release) -> Handbook:
    with tempfile.TemporaryDirectory(prefix="handbook-release-") as scratch:
        folder = extract_standards(repo, release.commit, release.standards, Path(scratch))
        handbook = load_handbook(folder, label=f"{release.standards}@{release.version}").handbook
    if handbook is None:
        raise PublishError(f"the standards of release {release.version} cannot be read")
    return handbook


def _changes_since(repo: Path, base: Release, handbook: Handbook) -> Changes:
    return diff(_load_release(repo, base), handbook)


def _effective_before_release(
    changes: Changes, handbook: Handbook, date: dt.date
) -> list[Diagnostic]:
    """An item a release introduces cannot have bound anyone before it was published."""
    added = {c.id for c in changes.items if c.change == "added"}
    found = []
    for item in handbook.items():
        if item.id not in added or item.status != "active":
            continue
        effective = getattr(item, "effective", None)
        if effective is not None and effective < date:
            found.append(
                Diagnostic(
                    Rule.EFFECTIVE_BEFORE_RELEASE,
                    handbook.origins[item.id].of("effective"),
                    f"{item.id} takes effect on {effective}, before this release of {date} "
                    "that first publishes it",
                    f"Set `effective:` to {date.isoformat()} or later.",
                    (item.id,),
                )
            )
    return found


def _summary(changes: Changes) -> str:
    counts: dict[str, int] = {}
    for change in changes.items:
        counts[change.change] = counts.get(change.change, 0) + 1
    retraced = sum(1 for c in changes.items if c.retraced)
    parts = [f"{n} {kind}" for kind, n in sorted(counts.items())]
    if retraced:
        parts.append(f"{retraced} re-traced")
    return ", ".join(parts) if parts else "no change"


@dataclass(frozen=True)
class InForce:
    """The answer to 'which rule applied on this day?'."""

    day: dt.date
    release: Release
    norms: tuple[Norm, ...]
    parameters: tuple[Parameter, ...]
    handbook: Handbook

    def _title(self, text: object) -> str:
        if isinstance(text, str):
            return text
        assert isinstance(text, dict)
        default = self.handbook.settings.default_language
        return str(text.get(default) or next(iter(text.values()), ""))

    def as_text(self) -> str:
        lines = [
            f"On {self.day.isoformat()} the standards in force were release "
            f"{self.release.version} ({self.release.title}), published "
            f"{self.release.date.isoformat()} from commit {self.release.commit[:12]}.",
            "",
            f"norms in force: {len(self.norms)}",
        ]
        for norm in self.norms:
            since = f" (since {norm.effective.isoformat()})" if norm.effective else ""
            lines.append(f"  {norm.id}  {self._title(norm.title)}{since}")
        lines += ["", f"behaviour parameters in force: {len(self.parameters)}"]
        for parameter in self.parameters:
            lines.append(
                f"  {parameter.id}  [{parameter.channel}/{parameter.category}] "
                f"{self._title(parameter.title)} → {', '.join(parameter.traces_to)}"
            )
        return "\n".join(lines) + "\n"

    def as_json(self) -> str:
        document = {
            "date": self.day.isoformat(),
            "release": {
                "version": self.release.version,
                "title": self.release.title,
                "date": self.release.date.isoformat(),
                "commit": self.release.commit,
                "manifest_sha256": self.release.manifest_sha256,
            },
            "norms": [
                {
                    "id": n.id,
                    "title": self._title(n.title),
                    "effective": n.effective.isoformat() if n.effective else None,
                }
                for n in self.norms
            ],
            "parameters": [
                {
                    "id": p.id,
                    "title": self._title(p.title),
                    "channel": p.channel,
                    "category": p.category,
                    "traces_to": list(p.traces_to),
                }
                for p in self.parameters
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def in_force_on(
    config_file: Path, day: dt.date, *, branch: str, channel: str | None = None
) -> InForce:
    """The norms and parameters binding on `day`: those of the release published last on or
    before that day, active, and effective by then."""
    repo = _repo(config_file)
    current = load_handbook(standards_folder(config_file)).handbook
    languages = current.settings.published if current is not None else ("",)
    history = releases(repo, branch, languages[0] if len(languages) > 1 else "")
    release = in_force(history, day)
    if release is None:
        first = f" (the first was published {history[0].date.isoformat()})" if history else ""
        raise PublishError(f"no release of the standards was published by {day.isoformat()}{first}")
    handbook = _load_release(repo, release)
    norms = {
        n.id: n
        for n in handbook.norms
        if n.status == "active"
        and (n.effective is None or n.effective <= day)
        and (channel is None or not n.channels or channel in n.channels)
    }
    parameters = [
        p
        for p in handbook.parameters
        if p.status == "active"
        and (p.effective is None or p.effective <= day)
        and any(n in norms for n in p.traces_to)
        and (channel is None or p.channel == channel)
    ]
    return InForce(
        day,
        release,
        tuple(sorted(norms.values(), key=lambda n: id_order(n.id))),
        tuple(sorted(parameters, key=lambda p: id_order(p.id))),
        handbook,
    )
