"""The package as a user installs it: a wheel that carries its templates, catalogues, theme,
skeleton and schema code, and works from outside this repository."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    [built] = out.glob("service_handbook-*.whl")
    return built


def test_the_wheel_carries_everything_the_generator_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "generator/templates/value.md.j2",
        "generator/templates/_heatmap.html.j2",
        "generator/assets/handbook.css",
        "generator/theme/main.html",
        "generator/theme/partials/alternate.html",
        "generator/locale/ru/LC_MESSAGES/handbook.po",
        "generator/locale/lv/LC_MESSAGES/handbook.po",
        "generator/locale/tr/LC_MESSAGES/handbook.po",
        "generator/skeleton/dot-github/workflows/handbook.yml",
        "generator/skeleton/dot-gitlab-ci.yml",
        "generator/skeleton/standards/norms.yml",
        "generator/py.typed",
    ):
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "handbook = generator.cli:entry" in text
    assert "handbook = generator.plugin:HandbookPlugin" in text


def test_the_installed_wheel_creates_and_builds_a_handbook(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    # `python -S` skips site-packages and so the editable install of this repository; the
    # installed wheel comes first on the path, the dependencies after it.
    path = os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]])
    env = {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1"}

    def python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-S", *args], cwd=cwd, env=env, capture_output=True, text=True
        )

    where = python("-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    code = "import sys, generator.cli; sys.exit(generator.cli.main(sys.argv[1:]))"
    made = python("-c", code, "init", "acme", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    built = python("-c", code, "build", "--strict", cwd=tmp_path / "acme")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "acme" / "site" / "values" / "val-001" / "index.html").is_file()
