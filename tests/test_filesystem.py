"""What the system refuses, made for real: links in a loop, a link to itself, a link to nothing,
folders and files the user may not read, a file name that is not UTF-8, a cache folder that
cannot be used, a full disk. A standards file that cannot be read is a located diagnostic;
anything else ends the command with one line, the previous output intact; a cache that cannot
be used is passed over. Never a traceback.

Reading rights are taken away for real even from root, as CI runs: the command runs without
the capabilities that let root read anything (`CAP_DAC_OVERRIDE`, `CAP_DAC_READ_SEARCH`). A full
disk is a small tmpfs, mounted in a private mount namespace the command runs in.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, init_repository

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
HANDBOOK = [sys.executable, "-m", "generator.cli"]
_PR_CAPBSET_DROP = 24
_READ_ANYTHING = (1, 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


def _as_an_ordinary_user() -> None:
    """In the child, before it runs the command: root keeps its uid but not the right to read
    what its file modes forbid (dropped from the bounding set, so the command starts without)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _READ_ANYTHING:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop the right to read anything")


def _run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, ordinary: bool = False
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*HANDBOOK, *args],
        cwd=cwd,
        env={**os.environ, **EPOCH, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        preexec_fn=_as_an_ordinary_user if ordinary else None,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


@pytest.fixture(scope="module")
def permissions_hold(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip where file modes cannot be made to bind (root that cannot drop its rights)."""
    locked = tmp_path_factory.mktemp("locked") / "secret"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(locked)!r}).read()"],
        capture_output=True,
        check=False,
        preexec_fn=_as_an_ordinary_user,
    )
    if probe.returncode == 0:
        pytest.skip("file modes do not bind here: root could not give up reading anything")


def _diagnostics(project: Path, **kwargs: Any) -> tuple[int, list[dict[str, Any]]]:
    result = _run("validate", "standards", "--format", "json", cwd=project, **kwargs)
    return result.returncode, json.loads(result.stdout)["diagnostics"]


# --- standards files the system will not give: a located diagnostic each ---------------------


def _loop(standards: Path) -> None:
    (standards / "a.yml").symlink_to("b.yml")
    (standards / "b.yml").symlink_to("a.yml")


def _self(standards: Path) -> None:
    (standards / "self.yml").symlink_to("self.yml")


def _dangling(standards: Path) -> None:
    (standards / "gone.yml").symlink_to("missing/values.yml")


def _loop_through_folders(standards: Path) -> None:
    (standards / "sub").mkdir()
    (standards / "sub" / "deep.yml").symlink_to("../sub/deep.yml")


LINKS: dict[str, tuple[Callable[[Path], None], dict[str, str]]] = {
    "two-links-in-a-loop": (_loop, {"a.yml": "loop of links", "b.yml": "loop of links"}),
    "a-link-to-itself": (_self, {"self.yml": "loop of links"}),
    "a-link-to-nothing": (_dangling, {"gone.yml": "`missing/values.yml`, which does not exist"}),
    "a-loop-through-a-folder": (_loop_through_folders, {"sub/deep.yml": "loop of links"}),
}


@pytest.mark.parametrize("case", sorted(LINKS))
def test_a_link_that_leads_nowhere_is_reported_where_it_is(small: Path, case: str) -> None:
    make, expected = LINKS[case]
    make(small / "standards")
    code, diagnostics = _diagnostics(small)
    assert code == 1
    found = {
        d["file"].removeprefix("standards/"): d["message"]
        for d in diagnostics
        if d["rule"] == "file-unreadable"
    }
    assert found.keys() == expected.keys()
    for name, words in expected.items():
        assert words in found[name]
    # The other files are read and checked as ever: no other problem.
    assert [d for d in diagnostics if d["rule"] != "file-unreadable"] == []


def test_a_folder_the_user_may_not_read_is_reported_and_the_rest_is_read(
    small: Path, permissions_hold: None
) -> None:
    locked = small / "standards" / "locked"
    locked.mkdir()
    (locked / "more.yml").write_text("values:\n  - id: VAL-900\n", encoding="utf-8")
    locked.chmod(0)
    try:
        code, diagnostics = _diagnostics(small, ordinary=True)
    finally:
        locked.chmod(0o755)
    assert code == 1
    [refused] = diagnostics
    assert (refused["rule"], refused["file"], refused["line"]) == (
        "file-unreadable",
        "standards/locked",
        1,
    )
    assert "permission denied" in refused["message"]
    assert "chmod" in refused["hint"]


def test_a_file_the_user_may_not_read_is_reported(small: Path, permissions_hold: None) -> None:
    secret = small / "standards" / "secret.yml"
    secret.write_text("values: []\n", encoding="utf-8")
    secret.chmod(0)
    code, diagnostics = _diagnostics(small, ordinary=True)
    assert code == 1
    assert [(d["rule"], d["file"]) for d in diagnostics] == [
        ("file-unreadable", "standards/secret.yml")
    ]


def test_a_standards_folder_the_user_may_not_list_is_one_diagnostic(
    small: Path, permissions_hold: None
) -> None:
    standards = small / "standards"
    standards.chmod(0o311)  # may be entered, not listed
    try:
        code, diagnostics = _diagnostics(small, ordinary=True)
    finally:
        standards.chmod(0o755)
    assert code == 1
    assert [(d["rule"], d["file"]) for d in diagnostics] == [("file-unreadable", "standards")]


def test_a_file_name_that_is_not_utf8_is_named_and_read_with_and_without_the_cache(
    small: Path, tmp_path: Path
) -> None:
    name = small / "standards" / os.fsdecode(b"caf\xe9.yml")
    with name.open("wb") as latin1:
        latin1.write(b"values:\n  - id: VAL-900\n    title: Caf\xc3\xa9\n    statement: S.\n")
    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [_diagnostics(small, env=cache) for _ in range(2)]  # parsed, then from the cache
    assert runs[0] == runs[1]
    code, diagnostics = runs[0]
    assert code == 1
    shown = "standards/caf\\xe9.yml"
    assert {(d["rule"], d["file"]) for d in diagnostics if d["severity"] == "error"} == {
        ("file-encoding", shown)
    }
    # Its content was read all the same: its value is known (and has no norm yet).
    assert ("value-without-norm", shown) in {(d["rule"], d["file"]) for d in diagnostics}
    text = _run("validate", "standards", cwd=small, env=cache)
    assert f"{shown}:1:1: error[file-encoding] the name of `{shown}` is not UTF-8 (byte 0xE9)" in (
        text.stdout
    )


# --- the parse cache: passed over when it cannot be used --------------------------------------


def _cache_is_a_file(tmp_path: Path) -> dict[str, str]:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    return {"XDG_CACHE_HOME": str(blocker)}


def _cache_without_permission(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "locked-cache"
    folder.mkdir()
    folder.chmod(0)
    return {"XDG_CACHE_HOME": str(folder)}


def _home_under_a_file(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "file").write_text("", encoding="utf-8")
    return {"XDG_CACHE_HOME": "", "HOME": str(tmp_path / "file" / "home")}


CACHES: dict[str, Callable[[Path], dict[str, str]]] = {
    "a-file-where-the-folder-goes": _cache_is_a_file,
    "a-folder-without-permission": _cache_without_permission,
    "a-home-under-a-file": _home_under_a_file,
}


@pytest.mark.parametrize("case", sorted(CACHES))
def test_a_cache_that_cannot_be_used_is_passed_over_without_a_word(
    small: Path, tmp_path: Path, case: str, request: pytest.FixtureRequest
) -> None:
    if case == "a-folder-without-permission":
        request.getfixturevalue("permissions_hold")
    env = CACHES[case](tmp_path)
    good = _run("validate", "standards", cwd=small, env={"XDG_CACHE_HOME": str(tmp_path / "ok")})
    for _ in range(2):
        result = _run("validate", "standards", cwd=small, env=env, ordinary=True)
        assert (result.returncode, result.stdout, result.stderr) == (0, good.stdout, "")


# --- a full disk: a small tmpfs in a private mount namespace ----------------------------------


def _namespace() -> list[str] | None:
    """How to run a command with a tmpfs of its own: in a new user and mount namespace (any
    user, where the kernel allows it), or as root in a new mount namespace; None where
    neither works (a container without those rights)."""
    if shutil.which("unshare") is None:
        return None
    for prefix in (
        ["unshare", "--user", "--map-root-user", "--mount"],
        ["unshare", "--mount"],
    ):
        probe = subprocess.run(
            [*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return prefix
    return None


@pytest.fixture(scope="module")
def namespace() -> list[str]:
    prefix = _namespace()
    if prefix is None:
        pytest.skip("no private mount namespace here (unshare refused): no tmpfs to fill")
    return prefix


def _on_small_disk(
    namespace: list[str], disk: Path, script: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the shell `script` with `disk` a tmpfs of its own. `$HANDBOOK` runs the CLI; `fill
    KB` shrinks the disk to what it holds plus KB kibibytes; what is on the disk is copied to
    `$DISK.after` at the end, as the tmpfs goes with the namespace (`fill 0` on an empty disk
    would lift the limit: tmpfs reads a size of 0 as none)."""
    prelude = f"""
set -u
DISK={shlex.quote(str(disk))}
HANDBOOK={shlex.quote(shlex.join(HANDBOOK))}
fill() {{
  used=$(df -k --output=used "$DISK" | tail -1)
  mount -o remount,size=$((used + $1))k "$DISK"
}}
mount -t tmpfs -o size=64m tmpfs "$DISK"
"""
    epilogue = '\ncode=$?\nmkdir -p "$DISK.after" && cp -a "$DISK/." "$DISK.after/"\nexit $code\n'
    disk.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [*namespace, "sh", "-c", prelude + script + epilogue],
        env={**os.environ, **EPOCH, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _errors(stderr: str) -> list[str]:
    """What the command said, without MkDocs' progress lines."""
    return [line for line in stderr.splitlines() if line and not line.startswith("INFO")]


@pytest.fixture(scope="module")
def built_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("full-disk") / "small"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", project)
    result = _run("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.slow
def test_a_full_disk_ends_the_build_in_one_line_and_the_previous_site_stays(
    namespace: list[str], built_small: Path, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    old = _files(built_small / "site")
    script = (
        f'cp -a {shlex.quote(str(built_small / "site"))} "$DISK/site" && fill 256 && '
        f'cd {shlex.quote(str(built_small))} && $HANDBOOK build --site-dir "$DISK/site"'
    )
    result = _on_small_disk(namespace, disk, script)
    assert result.returncode == 1, result.stderr
    [said] = _errors(result.stderr)
    assert said.startswith("handbook build: build failed, the previous site is unchanged: ")
    assert said.endswith(": No space left on device")
    after = disk.with_name("disk.after")
    assert _files(after / "site") == old
    assert sorted(p.name for p in after.iterdir()) == ["site"]  # no staging folder left


@pytest.mark.slow
def test_a_full_cache_disk_costs_nothing_but_time(
    namespace: list[str], built_small: Path, tmp_path: Path
) -> None:
    disk = tmp_path / "cache"
    project = shlex.quote(str(built_small))
    script = (
        'dd if=/dev/zero of="$DISK/filler" bs=4k count=100000 2>/dev/null; '
        f"cd {project} && $HANDBOOK validate standards && "
        f'$HANDBOOK build --site-dir "{tmp_path}/site"'
    )
    result = _on_small_disk(namespace, disk, script, {"XDG_CACHE_HOME": str(disk)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("0 errors, 0 warnings in 3 files\n")
    assert _errors(result.stderr) == []
    assert (tmp_path / "site" / "index.html").is_file()


# Commands that replace files, on a full disk: (what is on the disk, the command, the files
# that must stay as they were).
WRITERS: dict[str, tuple[str, str]] = {
    "new": ("standards", "new norm --title Smile --statement 'Smile.' --traces-to VAL-001"),
    "schema": ("schemas", "schema --out schemas"),
    "codeowners": (".github", "codeowners standards --out .github/CODEOWNERS"),
    "render": ("pages", "render pages"),
}


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_full_disk_leaves_each_file_a_command_replaces_as_it_was(
    namespace: list[str], small: Path, tmp_path: Path, command: str
) -> None:
    folder, args = WRITERS[command]
    # Each command once with room, so that there are files to keep; then on the full disk.
    for setup in ("schema --out schemas", "codeowners standards --out .github/CODEOWNERS"):
        assert _run(*shlex.split(setup), cwd=small).returncode == 0
    assert _run("render", "pages", cwd=small).returncode == 0
    before = _files(small / folder)
    disk = tmp_path / "disk"
    project = shlex.quote(str(small))
    script = (
        f'cp -a {project}/. "$DISK/" && fill 0 && '
        f'dd if=/dev/zero of="$DISK/filler" bs=1k count=100000 2>/dev/null; '
        f'cd "$DISK" && $HANDBOOK {args}'
    )
    result = _on_small_disk(namespace, disk, script)
    assert result.returncode == 1, result.stdout + result.stderr
    [said] = _errors(result.stderr)
    assert said.startswith(f"handbook {command.split()[0]}: ")
    assert said.endswith(": No space left on device")
    after = disk.with_name("disk.after")
    assert _files(after / folder) == before
    assert not [p for p in (after / folder).rglob(".*.partial")]


@pytest.mark.slow
def test_init_on_a_full_disk_leaves_nothing_and_can_be_run_again(
    namespace: list[str], tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    script = (
        'mkdir "$DISK/acme" && fill 40 && '
        'cd "$DISK" && $HANDBOOK init acme --organisation Acme; '
        'test $? = 1 && ls -A acme && echo listed && mount -o remount,size=64m "$DISK" && '
        "$HANDBOOK init acme --organisation Acme >/dev/null && echo again"
    )
    result = _on_small_disk(namespace, disk, script)
    assert result.returncode == 0, result.stdout + result.stderr
    [said] = _errors(result.stderr)
    assert said.startswith("handbook init: writing the new handbook: ")
    assert said.endswith(": No space left on device")
    assert result.stdout.split() == ["listed", "again"]  # empty, then made whole


@pytest.mark.slow
def test_a_full_scratch_disk_ends_a_diff_in_one_line(namespace: list[str], small: Path) -> None:
    """`diff` and `release` unpack the standards of a commit into a scratch folder."""
    init_repository(small)
    disk = small.parent / "scratch"
    # Room for one page of one file: Python's check that TMPDIR can be written passes (else
    # it would quietly use /tmp), the standards do not fit.
    script = f'fill 4; cd {shlex.quote(str(small))} && TMPDIR="$DISK" $HANDBOOK diff HEAD'
    result = _on_small_disk(namespace, disk, script)
    assert result.returncode == 1, result.stdout + result.stderr
    [said] = _errors(result.stderr)
    assert said.startswith("handbook diff: unpacking the standards of ")
    assert f": {disk}/handbook-diff-" in said
    assert said.endswith(": No space left on device")


@pytest.mark.parametrize("args", [["validate"], ["validate", "--format", "json"], ["audit"]])
def test_output_to_a_reader_that_went_away_ends_quietly(small: Path, args: list[str]) -> None:
    """`handbook validate | head -1`: the rest of the report has nowhere to go."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            [*HANDBOOK, *args],
            cwd=small,
            env={**os.environ, **EPOCH, "PYTHONPATH": str(ROOT)},
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (1, "")


@pytest.mark.slow
def test_an_address_in_use_ends_serve_in_one_line(small: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        host, port = taken.getsockname()
        result = _run("serve", "--dev-addr", f"{host}:{port}", cwd=small)
    assert result.returncode == 1
    assert _errors(result.stderr) == ["handbook serve: serving the site: Address already in use"]
