"""The package layout is the architecture: data flows one way, from the files through the model,
the rules and the site plan to an engine, and an engine is reached only through its adapter.

A test and not a convention, because a single upward import (the planner asking MkDocs for a
URL, the pipeline calling back into the plugin) is how a house of layers turns into one room.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("text",),  # escaping for Markdown, HTML and terminals: depends on nothing
    ("system",),  # files, programs and child processes of the operating system
    ("speed",),  # mechanisms that only buy time; each has a single-process twin
    ("model",),  # the immutable handbook, its diagnostics and languages
    ("source",),  # YAML files to the model, with positions
    ("rules",),  # every check over the model
    ("audit",),  # coverage, scores and exports
    ("releases",),  # release records, tags and the diff between two handbooks
    ("site",),  # the site plan: page kinds, rendering, words, templates
    ("report",),  # diagnostics as text, JSON and Markdown
    ("pipeline",),  # the stories: validate, plan the pages
    ("engines",),  # adapters: MkDocs, Zensical, the PDF printer
    ("authoring", "publish"),  # commands that write the repository or a release
    ("cli",),  # the edge: arguments, printing, exit codes
)
"""Lowest first: a module may import from its own package and from the layers below it."""

ENGINE_LIBRARIES = {
    "mkdocs": "engines/mkdocs",
    "material": "engines/mkdocs",
    "zensical": "engines/zensical",
}
"""Third-party engines, each imported only by its adapter."""


def _layer(top: str) -> int:
    for number, names in enumerate(LAYERS):
        if top in names:
            return number
    raise AssertionError(f"generator/{top} belongs to no layer: add it to LAYERS")


def _modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def _top(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module `path` imports, absolute, with its line (lazy imports inside functions
    count: they are still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}:{node.lineno}: relative import")
            if node.module == "generator":
                for alias in node.names:
                    yield node.lineno, f"generator.{alias.name}"
            else:
                yield node.lineno, node.module


def _upward_imports() -> list[str]:
    found = []
    for path in _modules():
        if path.name == "__init__.py" and path.parent == PACKAGE:
            continue
        top = _top(path)
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "generator" or len(parts) < 2:
                continue
            target = parts[1]
            if target != top and _layer(target) >= _layer(top):
                where = path.relative_to(PACKAGE.parent)
                found.append(f"{where}:{line}: {top} imports {module}")
    return found


def test_every_package_imports_only_from_the_layers_below() -> None:
    assert _upward_imports() == []


@pytest.mark.parametrize("library", sorted(ENGINE_LIBRARIES))
def test_an_engine_is_imported_only_by_its_adapter(library: str) -> None:
    adapter = PACKAGE / ENGINE_LIBRARIES[library]
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {module}"
        for path in _modules()
        if adapter not in path.parents
        for line, module in _imports(path)
        if module.split(".")[0] == library
    ]
    assert found == []


ADAPTERS = ("engines/mkdocs", "engines/zensical")
ADAPTER_USERS = {"generator/cli.py", "generator/publish.py"}
"""The command line picks an engine; a release is published with mike, which is MkDocs'."""


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_an_adapter_is_used_only_by_the_command_line(adapter: str) -> None:
    """The engine-neutral project, the site folder and the search settings serve every
    adapter; no adapter reaches into another, and nothing below the command line picks one."""
    folder = PACKAGE / adapter
    module = "generator." + adapter.replace("/", ".")
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {imported}"
        for path in _modules()
        if folder not in path.parents
        and path.relative_to(PACKAGE.parent).as_posix() not in ADAPTER_USERS
        for line, imported in _imports(path)
        if imported == module or imported.startswith(module + ".")
    ]
    assert found == []


def test_the_layers_name_every_package() -> None:
    """A new package is placed deliberately, not wherever the first import put it."""
    tops = {
        _top(path)
        for path in _modules()
        if not (path.parent == PACKAGE and path.stem == "__init__")
    }
    placed = {name for names in LAYERS for name in names}
    assert tops <= placed
    assert placed <= tops


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The rule itself: a site module reaching into an engine is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text("from generator.engines.mkdocs import plugin\nimport mkdocs.config\n")
    imported = [module for _line, module in _imports(sample)]
    assert imported == ["generator.engines.mkdocs", "mkdocs.config"]
    assert _layer("engines") > _layer("site")


ENVIRONMENT_EDGES = {
    "generator/system/environment.py",  # reads it into a typed Environment
    "generator/cli.py",  # the command line's edge
    "generator/engines/mkdocs/plugin.py",  # MkDocs' (and mike's) edge: on_config
}


def _environment_reads(path: Path) -> Iterator[int]:
    """Lines that read a setting from the process environment: `os.environ.get(…)`,
    `os.environ[…]` read, `os.getenv(…)`, `… in os.environ`. Handing the whole environment on
    to a child (`{**os.environ, …}`) or setting a variable for one is not a read."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def is_environ(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "get" and is_environ(node.func.value):
                yield node.lineno
            if node.func.attr == "getenv" and isinstance(node.func.value, ast.Name):
                yield node.lineno
        elif isinstance(node, ast.Subscript) and is_environ(node.value):
            if isinstance(node.ctx, ast.Load):
                yield node.lineno
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            yield node.lineno


def test_the_environment_is_read_only_at_the_edges() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in _modules()
        if path.relative_to(PACKAGE.parent).as_posix() not in ENVIRONMENT_EDGES
        for line in _environment_reads(path)
    ]
    assert found == []


def test_the_environment_check_sees_each_way_of_reading(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "a = os.environ.get('A')\n"
        "b = os.environ['B']\n"
        "c = os.getenv('C')\n"
        "d = 'D' in os.environ\n"
        "os.environ['E'] = '1'\n"
        "f = {**os.environ, 'F': '1'}\n"
    )
    assert sorted(_environment_reads(sample)) == [2, 3, 4, 5]
