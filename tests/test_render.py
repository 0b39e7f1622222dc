"""Rendering to Markdown: text is escaped once, drafts stay out, output is deterministic."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.model.items import Handbook, id_order
from generator.site.folders import TEMPLATES
from generator.site.render import Rendered, render_handbook
from generator.source.load import load_handbook
from generator.text import mdtext
from tests.conftest import FIXTURES, ROOT, run_cli

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def example() -> Handbook:
    handbook = load_handbook(ROOT / "standards").handbook
    assert handbook is not None
    return handbook


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Answer within 3 rings.", "Answer within 3 rings\\."),
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
        ("# not a heading", "\\# not a heading"),
        ("a | b", "a \\| b"),
        ("line one\n\n   line two", "line one line two"),
        ('"quoted" & more', "&quot;quoted&quot; &amp; more"),
        ("{{ 7 * 7 }}", "\\{\\{ 7 \\* 7 \\}\\}"),
    ],
)
def test_text_is_escaped_for_markdown_and_html(text: str, escaped: str) -> None:
    assert mdtext.escape_inline(text) == escaped


def test_templates_cannot_print_none_or_unpicked_translations() -> None:
    with pytest.raises(TypeError):
        mdtext.finalize(None)
    with pytest.raises(TypeError):
        mdtext.finalize({"en": "text"})
    assert mdtext.finalize(Markup("NRM-001")) == "NRM-001"
    assert mdtext.finalize(2.0) == "2"


def test_anchors_and_links_refuse_anything_unsafe() -> None:
    with pytest.raises(ValueError):
        mdtext.anchor('x" onclick="alert(1)')
    with pytest.raises(ValueError):
        mdtext.link("javascript:alert(1)")
    assert mdtext.link("../values/val-001.md#NRM-001") == "../values/val-001.md#NRM-001"


def test_css_strings_cannot_end_the_string_the_rule_or_the_style_element() -> None:
    written = str(mdtext.css_string('Acme "x"; } </style><script>alert(1)</script> \\ · 1.0'))
    assert written.startswith('"') and written.endswith('"')
    inner = written[1:-1]
    assert not set(inner) & set("\"'<>;{}/")
    assert inner.startswith("Acme \\22 x\\22 ")
    assert mdtext.css_string("Меридиан · 2") == '"Меридиан \\b7  2"'


def _markdown(rendered: Rendered) -> dict[str, str]:
    """Each page as Markdown that stands alone (its HTML blocks written in)."""
    return {path: rendered.markdown(path) for path in rendered.pages}


def test_rendering_twice_gives_the_same_bytes(example: Handbook) -> None:
    first = _markdown(render_handbook(example, today=TODAY))
    assert first == _markdown(render_handbook(example, today=TODAY))
    assert not any(
        re.search(r"^hb[0-9a-f]{24}-\d+$", page, re.MULTILINE) for page in first.values()
    )


def test_drafts_and_retired_items_are_not_published(example: Handbook) -> None:
    pages = "\n".join(_markdown(render_handbook(example, today=TODAY)).values())
    hidden = [i.id for i in example.items() if i.status != "active"]
    assert hidden
    for identifier in hidden:
        assert identifier not in pages


def test_each_page_has_an_escaped_title_in_its_metadata(example: Handbook) -> None:
    rendered = render_handbook(example, today=TODAY)
    for path, markdown in rendered.pages.items():
        assert markdown.startswith('---\ntitle: "'), path
    assert rendered.pages["values/val-004.md"].startswith('---\ntitle: "No surprises"\n---\n')


def test_ids_sort_naturally() -> None:
    assert sorted(["NRM-10", "NRM-9", "NRM-100", "NRM-09A"], key=id_order) == [
        "NRM-9",
        "NRM-09A",
        "NRM-10",
        "NRM-100",
    ]


def test_small_fixture_renders_the_pages_a_reader_navigates(example: Handbook) -> None:
    small = load_handbook(FIXTURES / "small" / "standards").handbook
    assert small is not None
    rendered = render_handbook(small, today=TODAY)
    assert sorted(rendered.pages) == [
        "audit/coverage.md",
        "audit/downloads.md",
        "audit/gaps.md",
        "audit/graph.md",
        "audit/index.md",
        "audit/matrix.md",
        "audit/trace.md",
        "categories/index.md",
        "categories/speed.md",
        "categories/vocabulary.md",
        "changes/index.md",
        "channels/face-to-face.md",
        "channels/index.md",
        "channels/phone.md",
        "checklists/face-to-face.md",
        "checklists/index.md",
        "checklists/phone.md",
        "index.md",
        "norms/index.md",
        "print/index.md",
        "print/values/val-001.md",
        "print/values/val-002.md",
        "values/index.md",
        "values/val-001.md",
        "values/val-002.md",
    ]
    assert sorted(rendered.files) == [
        "assets/handbook.css",
        "assets/handbook.js",
        "audit/downloads/manifest.json",
        "audit/downloads/traceability.csv",
        "audit/downloads/traceability.json",
        "audit/downloads/traceability.xlsx",
    ]


@pytest.mark.parametrize(
    ("name", "template", "line", "reason"),
    [
        ("value.md.j2", "# x\n\n{% if %}\n", 3, "Expected an expression"),
        ("value.md.j2", "# {{ value.id }}\n\n{{ value.nothing.deeper }}\n", 3, "no attribute"),
        ("home.md.j2", "{% for v in values %}\n{{ v.total }}\n{% endfor %}\n", 2, "no attribute"),
        ("_blocks.html.j2", "norm_body", 0, "no attribute"),
        ("_library.j2", "{% macro owner(item) %}{{ nowhere() }}{% endmacro %}\n", 1, ""),
    ],
)
def test_a_broken_project_template_is_one_located_error(
    tmp_path: Path, name: str, template: str, line: int, reason: str
) -> None:
    """A project's own templates are its input like its YAML: a mistake in one is said with
    the template's file and line and the page being made, never as a traceback."""
    templates = tmp_path / "templates"
    templates.mkdir()
    if line == 0:  # a copy of the built-in file, one macro broken at its first line
        lines = (TEMPLATES / name).read_text(encoding="utf-8").splitlines(keepends=True)
        line = 1 + next(i for i, text in enumerate(lines) if f"macro {template}(" in text)
        lines.insert(line, "{{ view.nothing.deeper }}\n")
        line += 1
        template = "".join(lines)
    (templates / name).write_text(template, encoding="utf-8")
    result = run_cli(
        "render",
        str(tmp_path / "out"),
        "--standards",
        str(ROOT / "standards"),
        "--templates",
        str(templates),
        cwd=tmp_path,
    )
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert f"{templates / name}:{line}: " in result.stderr
    assert reason in result.stderr
    assert "correct the template" in result.stderr
