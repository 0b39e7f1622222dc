"""Page kinds are registered in one place, and a new one is a module, a template and its words:
this test adds a kind the handbook does not have (a page per owner) the way a project would,
and finds it planned, rendered and in the navigation."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from pathlib import Path

import pytest

from generator.model.items import Handbook
from generator.site import kinds as kinds_package
from generator.site.folders import TEMPLATES
from generator.site.kinds.base import Facts, PageKind
from generator.site.kinds.catalogue import KINDS
from generator.site.pages import NavEntry, Page
from generator.site.render import render_handbook
from generator.source.load import load_handbook
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def example() -> Handbook:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return handbook


def test_every_kind_module_is_in_the_catalogue() -> None:
    """A kind written but not registered would silently make no page."""
    registered = {kind.pages.__module__ for kind in KINDS}
    modules = {
        f"{kinds_package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(kinds_package.__path__)
        if info.name not in {"base", "catalogue"}
    }
    assert modules == registered
    for name in modules:
        assert isinstance(importlib.import_module(name).KIND, PageKind)


def test_every_page_has_a_template_and_a_place(example: Handbook) -> None:
    rendered = render_handbook(example, today=TODAY)
    templates = {path.name for path in TEMPLATES.glob("*.md.j2")}
    listed = _paths(rendered.nav)
    for path in rendered.pages:
        assert path in listed or path in rendered.unlisted, path
    assert {"home.md.j2", "value.md.j2", "role.md.j2", "print.md.j2"} <= templates


def _paths(nav: list[NavEntry]) -> set[str]:
    found: set[str] = set()
    for entry in nav:
        if isinstance(entry, str):
            found.add(entry)
        else:
            for inner in entry.values():
                found |= _paths(inner if isinstance(inner, list) else [inner])
    return found


def _owner_pages(facts: Facts) -> list[Page]:
    planner = facts.planner
    owners = sorted({norm.owner for norm in planner.active_norms() if norm.owner})
    return [
        Page(
            f"owners/{owner}.md",
            "owner.md.j2",
            owner,
            {"owner": owner, "norms": [n for n in planner.active_norms() if n.owner == owner]},
        )
        for owner in owners
    ]


def _owner_navigation(facts: Facts) -> list[NavEntry]:
    owners = sorted({n.owner for n in facts.planner.active_norms() if n.owner})
    return [{facts.planner._("Owners"): [f"owners/{owner}.md" for owner in owners]}]


def test_a_new_kind_is_a_function_a_template_and_its_words(
    example: Handbook, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "owner.md.j2").write_text(
        "# {{ owner }}\n\n{% for norm in norms %}\n- {{ norm.id }} {{ norm.statement | t }}\n"
        "{% endfor %}\n",
        encoding="utf-8",
    )
    owners = PageKind("owners", _owner_pages, _owner_navigation)
    rendered = render_handbook(example, today=TODAY, override=templates, kinds=(*KINDS, owners))
    owner = sorted({n.owner for n in example.norms if n.owner and n.status == "active"})[0]
    page = rendered.pages[f"owners/{owner}.md"].replace("\\", "")  # Markdown's escapes
    assert page.startswith("---\ntitle: ")  # the front matter every page has
    assert owner.lstrip("@") in page
    mine = [n for n in example.norms if n.owner == owner and n.status == "active"]
    others = [n for n in example.norms if n.owner != owner]
    assert mine and all(f"- {n.id} " in page for n in mine)
    assert not any(f"- {n.id} " in page for n in others)
    assert f"owners/{owner}.md" in _paths(rendered.nav)
    # Everything else is as the catalogue alone makes it.
    alone = render_handbook(example, today=TODAY)
    assert {p: rendered.markdown(p) for p in alone.pages} == {
        p: alone.markdown(p) for p in alone.pages
    }
