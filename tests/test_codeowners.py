"""CODEOWNERS for hostile file names and handles, read back as GitHub reads it.

The reference reader below is written from GitHub's documentation of CODEOWNERS ("About code
owners") and the gitignore pattern format it follows:
- a line starting with `#` is a comment, and so is the rest of a line from a `#` that follows
  whitespace (the documented inline comment); blank lines are ignored;
- the pattern and the owners are separated by whitespace; a backslash makes the next character
  of a pattern literal (a space too), as gitignore's "a backslash escapes any character";
- `*` matches anything but `/`, `?` one character but `/`, `**` any number of folders; a
  pattern that starts with `/` is anchored at the repository's root; one that ends with `/`
  matches everything under that folder;
- GitHub does not support `!` negation, `[ ]` ranges or escaping a leading `#`: a pattern that
  uses them unescaped is not read as gitignore would, so it is refused here;
- owners are `@user`, `@organisation/team` or an e-mail address; GitHub skips a line with an
  owner it cannot read.
Each line the generator writes must name exactly the file it is for, among every file of the
standards (decoys included that a misread pattern would match), with exactly its owners.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.rules.codeowners import codeowners, pattern
from generator.source.load import load_handbook
from generator.system.filesystem import printable
from tests.conftest import FIXTURES, GOLDEN, golden, run_cli

pytestmark = pytest.mark.slow

_OWNER = re.compile(
    r"@[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:/[A-Za-z0-9][A-Za-z0-9_-]*)?"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


class UnreadableError(Exception):
    """A line GitHub would skip, or read otherwise than gitignore does."""


def _tokens(line: str) -> list[str]:
    """A line split at unescaped whitespace, up to an inline comment."""
    tokens: list[str] = []
    current = ""
    escaped = False
    for char in line:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in " \t":
            if current:
                tokens.append(current)
            current = ""
        elif char == "#" and not current:
            break  # a comment: it starts the line or follows whitespace
        else:
            current += char
    if escaped:
        raise UnreadableError(f"a backslash ends the line: {line!r}")
    if current:
        tokens.append(current)
    return tokens


def parse(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each rule of a CODEOWNERS text: (pattern, owners), in order."""
    rules = []
    for line in text.split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        tokens = _tokens(line)
        if not tokens:
            continue
        written, *owners = tokens
        for owner in owners:
            if not _OWNER.fullmatch(owner):
                raise UnreadableError(
                    f"GitHub skips the line: {owner!r} is not an owner ({line!r})"
                )
        rules.append((written, tuple(owners)))
    return rules


def _regex(written: str) -> re.Pattern[str]:
    """A gitignore pattern, as GitHub supports it, as a regular expression over paths."""
    anchored = written.startswith("/") or "/" in written.rstrip("/")
    body = written.lstrip("/")
    folder = body.endswith("/")
    body = body.rstrip("/")
    out = ""
    position = 0
    while position < len(body):
        char = body[position]
        if char == "\\":
            out += re.escape(body[position + 1])
            position += 2
            continue
        if body.startswith("**/", position):
            out += "(?:.*/)?"
            position += 3
            continue
        if body.startswith("**", position):
            out += ".*"
            position += 2
            continue
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char in "[]!":
            raise UnreadableError(f"GitHub does not read `{char}` as gitignore does: {written!r}")
        else:
            out += re.escape(char)
        position += 1
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if folder else "(?:/.*)?"
    return re.compile(prefix + out + suffix, re.DOTALL)


def owners_of(text: str, path: str) -> tuple[str, ...]:
    """The owners GitHub asks to review a change to `path`: the last matching rule's."""
    found: tuple[str, ...] = ()
    for written, owners in parse(text):
        if _regex(written).fullmatch(path):
            found = owners
    return found


HOSTILE = [
    "with space.yml",
    "two  spaces and a trailing one .yml",
    "star*.yml",
    "question?.yml",
    "[b].yml",
    "!bang.yml",
    "back\\slash.yml",
    "**double.yml",
    "(draft) & 'notes'; a=b, c~d^e`f`{g}|h$i%.yml",
    "нормы обслуживания.yml",
    "kölner-straße.yml",
    "a@b+c.yml",
]
DECOYS = ["starry.yml", "questionX.yml", "b.yml", "bang.yml", "sub/xdouble.yml"]
UNNAMEABLE = {
    "hash#tag.yml": "a `#`",
    "tab\there.yml": "control character U+0009",
    "line\nbreak.yml": "control character U+000A",
    "zero\u200bwidth.yml": "invisible character U+200B (zero width space)",
    "no\u00a0break.yml": "space character U+00A0 (no-break space)",
    "bidi\u202eoverride.yml": "invisible character U+202E (right-to-left override)",
}
TEAMS = ["@acme/team-a", "@acme/team_b", "quality@acme.example", "@jdoe"]


def _value(number: int, owner: str) -> str:
    return (
        f"values:\n  - id: VAL-{number}\n    title: Value {number}\n"
        f"    statement: Statement {number}.\n    owner: {owner}\n"
    )


def _project(tmp_path: Path, names: list[str]) -> tuple[Path, dict[str, str]]:
    """The small handbook with one value per named file, each file owned by its own owner."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "small", project)
    settings = project / "standards" / "handbook.yml"
    owners = "".join(
        f'  - id: owner-{i}\n    title: Owner {i}\n    handles: ["{TEAMS[i % len(TEAMS)]}"]\n'
        for i in range(len(names))
    )
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("owners:\n", "owners:\n" + owners, 1), encoding="utf-8")
    expected = {}
    for i, name in enumerate(names):
        path = project / "standards" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_value(900 + i, f"owner-{i}"), encoding="utf-8")
        expected[f"standards/{name}"] = TEAMS[i % len(TEAMS)]
    return project, expected


def test_every_hostile_file_name_is_named_by_exactly_its_own_line(tmp_path: Path) -> None:
    project, expected = _project(tmp_path, HOSTILE + DECOYS)
    loaded = load_handbook(project / "standards")
    assert loaded.handbook is not None, loaded.diagnostics
    made = codeowners(loaded.handbook, "standards")
    assert made.problems == ()
    files = [str(p.relative_to(project)) for p in (project / "standards").rglob("*") if p.is_file()]
    rules = parse(made.text)
    for written, owners in rules[1:]:  # the first is the whole folder's
        named = [f for f in files if _regex(written).fullmatch(f)]
        assert len(named) == 1, (written, named)
        assert owners == (expected[named[0]],), written
    assert {f for w, _ in rules[1:] for f in files if _regex(w).fullmatch(f)} == set(expected)
    for file, owner in expected.items():
        assert owners_of(made.text, file) == (owner,), file


@pytest.mark.parametrize(
    "name", sorted(UNNAMEABLE), ids=lambda n: n.encode("unicode_escape").decode()
)
def test_a_file_name_codeowners_cannot_hold_is_an_error_not_a_misread_line(
    tmp_path: Path, name: str
) -> None:
    project, _ = _project(tmp_path, ["plain.yml", name])
    assert pattern(f"standards/{name}") is None
    assert run_cli("codeowners", cwd=project).code == 1
    assert not (project / ".github" / "CODEOWNERS").exists()
    (project / ".github").mkdir()
    (project / ".github" / "CODEOWNERS").write_text("", encoding="utf-8")
    result = run_cli("validate", "--format", "json", cwd=project)
    assert result.code == 1
    [problem] = [
        d for d in json.loads(result.stdout)["diagnostics"] if d["rule"] == "codeowners-path"
    ]
    assert problem["file"] == printable(f"standards/{name}")  # as a terminal shows it
    assert (problem["line"], problem["column"]) == (1, 1)
    assert UNNAMEABLE[name] in problem["message"]
    assert "Rename the file" in problem["hint"]
    # Written without the file, the rest of CODEOWNERS still stands and reads back.
    loaded = load_handbook(project / "standards").handbook
    assert loaded is not None
    made = codeowners(loaded, "standards")
    assert owners_of(made.text, "standards/plain.yml") == (TEAMS[0],)


def test_a_standards_folder_codeowners_cannot_name_is_reported_once(tmp_path: Path) -> None:
    project, _ = _project(tmp_path, ["plain.yml"])
    loaded = load_handbook(project / "standards").handbook
    assert loaded is not None
    made = codeowners(loaded, "rules#2026")
    assert [p.location.file for p in made.problems] == [".github/CODEOWNERS"]
    assert "`#`" in made.problems[0].message
    spaced = codeowners(loaded, "our standards")
    assert spaced.problems == ()
    assert owners_of(spaced.text, "our standards/plain.yml") == (TEAMS[0],)


@pytest.mark.parametrize(
    "handle",
    ["#nobody@example.com", "@", "@-x", "@a/b/c", "a b@c.d", "@x\n@y", "@x\x1b]0;t\x07", "@x#y"],
    ids=lambda h: h.encode("unicode_escape").decode(),
)
def test_a_handle_that_would_change_codeowners_is_refused_where_it_is_written(
    tmp_path: Path, handle: str
) -> None:
    project, _ = _project(tmp_path, ["plain.yml"])
    settings = project / "standards" / "handbook.yml"
    quoted = handle.encode("unicode_escape").decode().replace('"', '\\"')
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace(f'handles: ["{TEAMS[0]}"]', f'handles: ["{quoted}", "@acme/kept"]', 1),
        encoding="utf-8",
    )
    result = run_cli("validate", cwd=project)
    assert result.code == 1
    first = next(line for line in result.stdout.splitlines() if "error[bad-handle]" in line)
    assert first.startswith("standards/handbook.yml:")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "hint: Write a GitHub user" in result.stdout
    assert run_cli("codeowners", cwd=project).code == 1


def test_the_example_handbook_reads_back_as_written(tmp_path: Path) -> None:
    text = (GOLDEN / "CODEOWNERS").read_text(encoding="utf-8")
    rules = parse(text)
    assert rules[0] == ("/standards/", ("@meridian/service-board",))
    assert owners_of(text, "standards/values.yml") == (
        "@meridian/contact-centre", "@meridian/data-protection", "@meridian/people",
        "@meridian/service-board",
    )  # fmt: skip
    assert owners_of(text, "standards/handbook.yml") == ("@meridian/service-board",)


def test_hostile_names_golden(tmp_path: Path) -> None:
    project, _ = _project(tmp_path, HOSTILE)
    loaded = load_handbook(project / "standards").handbook
    assert loaded is not None
    golden("CODEOWNERS-hostile", codeowners(loaded, "standards").text)
