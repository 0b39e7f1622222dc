"""The package as a company installs it: a wheel that carries its templates, catalogues, theme,
skeleton and dependency pins, that declares every package it imports, and that, installed
with its dependencies into a fresh virtual environment, creates, builds and releases a
handbook; then the repository it created installs its generator as its CI does."""

from __future__ import annotations

import ast
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest
import yaml

from generator.authoring.vendoring import INSTALL, generator_wheel
from tests.conftest import ROOT, git
from tests.dependencies import LOCK, TARGET, declared, normalise, runtime_lock

pytestmark = pytest.mark.slow


def _imported_modules(source: str) -> set[str]:
    """Top-level names a module imports, anywhere in it, including in the Python it hands to
    another interpreter as a string (`python -c "from mike.driver import main"`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                found |= _imported_modules(node.value)
            except SyntaxError:
                continue
    return found


def test_every_package_the_generator_imports_is_one_it_declares() -> None:
    """A package that only happens to be installed here (a test tool, or a dependency of a
    dependency) would be missing from a user's installation: mike was, until a release ran."""
    modules: set[str] = set()
    for path in (ROOT / "generator").rglob("*.py"):
        modules |= _imported_modules(path.read_text(encoding="utf-8"))
    outside = modules - set(sys.stdlib_module_names) - {"generator", "__future__"}
    owners = packages_distributions()
    needed = {normalise(owners[module][0]) for module in outside}
    assert outside and needed <= set(declared()), needed - set(declared())
    installed = {
        normalise(re.split(r"[\s<>=!~;\[(]", spec, maxsplit=1)[0])
        for spec in requires("service-handbook") or []
        if "extra ==" not in spec
    }
    assert installed == set(declared())  # the editable install is not older than pyproject


def test_the_pins_a_new_handbook_gets_are_those_of_the_lock() -> None:
    assert TARGET.read_text(encoding="utf-8") == runtime_lock(
        LOCK.read_text(encoding="utf-8"), declared()
    ), "run `python -m tests.dependencies` (make lock does)"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # From the committed files, in a scratch folder: setuptools keeps a `build/` folder in the
    # tree it builds, whose files of an earlier build would slip into this wheel.
    source = tmp_path_factory.mktemp("source")
    archive = subprocess.run(
        ["git", "ls-files", "-z", "pyproject.toml", "README.md", "generator"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout  # fmt: skip
    for name in archive.decode("utf-8").split("\0"):
        if name and (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    [built] = out.glob("service_handbook-*.whl")
    return built


def test_the_wheel_carries_everything_the_generator_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "generator/site/templates/value.md.j2",
        "generator/site/templates/_heatmap.html.j2",
        "generator/site/assets/handbook.css",
        "generator/site/assets/engine.js",
        "generator/site/theme/main.html",
        "generator/site/theme/partials/alternate.html",
        "generator/site/locale/ru/LC_MESSAGES/handbook.po",
        "generator/site/locale/lv/LC_MESSAGES/handbook.po",
        "generator/site/locale/tr/LC_MESSAGES/handbook.po",
        "generator/authoring/skeleton/dot-github/workflows/handbook.yml",
        "generator/authoring/skeleton/dot-gitlab-ci.yml",
        "generator/authoring/skeleton/standards/norms.yml",
        "generator/authoring/dependencies.lock",
        "generator/py.typed",
    ):
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "handbook = generator.cli:entry" in text
    assert "handbook = generator.engines.mkdocs.plugin:HandbookPlugin" in text


def test_the_vendored_wheel_holds_what_the_built_wheel_holds(wheel: Path) -> None:
    """`handbook init` makes its wheel from the installed files, not with a build backend."""
    made = generator_wheel()
    with zipfile.ZipFile(wheel) as built:
        expected = {n: built.read(n) for n in built.namelist() if n.startswith("generator/")}
    vendored = zipfile.ZipFile(io.BytesIO(made.content))
    assert {n: vendored.read(n) for n in vendored.namelist() if n.startswith("generator/")} == (
        expected
    )
    assert generator_wheel() == made  # no clock, no order of the file system


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def env(self) -> dict[str, str]:
        """As in a shell where the environment is activated; nothing of this repository's."""
        path = os.pathsep.join([str(self.bin), os.environ.get("PATH", "")])
        env = {**os.environ, "PATH": path, "VIRTUAL_ENV": str(self.root)}
        env["NO_MKDOCS_2_WARNING"] = "1"
        env.pop("PYTHONPATH", None)
        return env

    def run(self, command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """A command line as a person (or a CI step) types it, in bash."""
        return subprocess.run(
            ["bash", "-eo", "pipefail", "-c", command],
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )


def _venv(where: Path) -> Venv:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, capture_output=True)
    return Venv(where)


def _pins(tmp: Path) -> Path:
    """The lock's versions without its hashes: pip turns hash checking on for a constraint
    with a hash, and the wheel just built has none to check."""
    pins = [
        line.split()[0]
        for line in LOCK.read_text(encoding="utf-8").splitlines()
        if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==", line)
    ]
    constraints = tmp / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return constraints


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh virtual environment with the wheel and its dependencies from the registry."""
    scratch = tmp_path_factory.mktemp("installed")
    venv = _venv(scratch / "venv")
    done = venv.run(
        f"pip install --quiet -c {shlex.quote(str(_pins(scratch)))} {shlex.quote(str(wheel))}",
        cwd=scratch,
    )
    assert done.returncode == 0, done.stderr
    where = venv.run("python -c 'import generator; print(generator.__file__)'", cwd=scratch)
    assert where.stdout.startswith(str(venv.root)), where.stdout + where.stderr
    return venv


@pytest.fixture(scope="module")
def adopted(installed: Venv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A company's new handbook, made by the installed generator, in a git repository."""
    scratch = tmp_path_factory.mktemp("company")
    made = installed.run('handbook init acme --organisation "Acme Parcels"', cwd=scratch)
    assert made.returncode == 0, made.stderr
    repo = scratch / "acme"
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Policy Owner")
    git(repo, "config", "user.email", "owner@acme.invalid")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "New handbook")
    yield repo


def test_a_clean_install_validates_builds_releases_and_compares_with_a_release(
    installed: Venv, adopted: Path
) -> None:
    checked = installed.run("handbook validate --strict", cwd=adopted)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = installed.run("handbook build --strict", cwd=adopted)
    assert built.returncode == 0, built.stderr
    assert (adopted / "site" / "values" / "val-001" / "index.html").is_file()
    released = installed.run("handbook release 1.0 --date 2026-01-10", cwd=adopted)
    assert released.returncode == 0, released.stdout + released.stderr
    assert git(adopted, "rev-parse", "v1.0^{commit}") == git(adopted, "rev-parse", "HEAD")
    pdf = git(adopted, "ls-tree", "--name-only", "gh-pages", "1.0/audit/downloads/")
    assert "1.0/audit/downloads/handbook.pdf" in pdf.split()
    for base in ("v1.0", "1.0"):
        compared = installed.run(f"handbook diff {base} --format json", cwd=adopted)
        assert compared.returncode == 0, compared.stderr
        assert '"added": 0' in compared.stdout


def test_the_new_repository_installs_its_generator_as_its_ci_does(
    installed: Venv, adopted: Path, tmp_path: Path
) -> None:
    workflow = yaml.safe_load(
        (adopted / ".github" / "workflows" / "handbook.yml").read_text(encoding="utf-8")
    )
    installs = {
        job: [s["run"] for s in spec["steps"] if s.get("name") == "Install"]
        for job, spec in workflow["jobs"].items()
    }
    assert installs == {"check": [INSTALL], "release": [INSTALL]}
    gitlab = yaml.safe_load((adopted / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    for job in ("standards", "release"):
        assert gitlab[job]["script"][0] == INSTALL
    # A runner: a fresh environment, the repository's own files, and the package index.
    runner = _venv(tmp_path / "runner")
    for command in installs["check"]:
        done = runner.run(command, cwd=adopted)
        assert done.returncode == 0, done.stdout + done.stderr
    assert runner.run("command -v handbook", cwd=adopted).stdout.startswith(str(runner.root))
    checked = runner.run("handbook validate --strict", cwd=adopted)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = runner.run(f"handbook build --strict -d {tmp_path}/ci", cwd=adopted)
    assert built.returncode == 0, built.stderr
    # The same commit builds the same site, whichever environment installed the generator.
    again = installed.run(f"handbook build --strict -d {tmp_path}/local", cwd=adopted)
    assert again.returncode == 0, again.stderr
    assert _files(tmp_path / "ci") == _files(tmp_path / "local")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_upgrade_rewrites_nothing_with_the_same_generator_and_refuses_a_folder_without_one(
    installed: Venv, adopted: Path, tmp_path: Path
) -> None:
    before = _files(adopted / "vendor"), (adopted / "requirements.txt").read_bytes()
    upgraded = installed.run("handbook upgrade", cwd=adopted)
    assert upgraded.returncode == 0, upgraded.stderr
    assert (_files(adopted / "vendor"), (adopted / "requirements.txt").read_bytes()) == before
    # The wheel made by the generator installed from a wheel is the one this checkout makes.
    [vendored] = before[0].values()
    assert vendored == generator_wheel().content
    refused = installed.run("handbook upgrade", cwd=tmp_path)
    assert refused.returncode == 2
    assert "no mkdocs.yml" in refused.stderr
    # Another generator's wheel gives way; whatever else the folder holds stays.
    older = adopted / "vendor" / "service_handbook-0.0.9+0123456789ab-py3-none-any.whl"
    other = adopted / "vendor" / "other_tool-1.0-py3-none-any.whl"
    older.write_bytes(b"an older generator")
    other.write_bytes(b"something else")
    assert installed.run("handbook upgrade", cwd=adopted).returncode == 0
    assert not older.exists() and other.read_bytes() == b"something else"
    assert (adopted / "requirements.txt").read_bytes() == before[1]
