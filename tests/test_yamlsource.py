"""The strict YAML reader: what YAML would silently guess, this reader refuses or keeps as text."""

from __future__ import annotations

import pytest

from generator.model.diagnostics import Rule
from generator.source.yamlsource import (
    MAX_DEPTH,
    _from_events,
    _from_nodes,
    _may_need_events,
    parse_yaml,
)
from tests.conftest import FIXTURES


def test_words_that_yaml_1_1_turns_into_booleans_stay_text() -> None:
    parsed = parse_yaml("status: no\nanswer: yes\nswitch: on\nreal: true\n", "f.yml")
    assert parsed.data == {"status": "no", "answer": "yes", "switch": "on", "real": True}
    assert parsed.problems == []


def test_dates_octals_and_odd_numbers_stay_text_for_the_schema_to_type() -> None:
    parsed = parse_yaml(
        "effective: 2026-01-05\ncode: 0755\nsize: 1_000\nsigned: +5\nn: 12\nf: 2.5\n", "f.yml"
    )
    assert parsed.data == {
        "effective": "2026-01-05",
        "code": "0755",
        "size": "1_000",
        "signed": "+5",
        "n": 12,
        "f": 2.5,
    }


def test_quoted_scalars_are_always_text() -> None:
    parsed = parse_yaml("a: '12'\nb: \"true\"\nc: ''\nd:\ne: ~\n", "f.yml")
    assert parsed.data == {"a": "12", "b": "true", "c": "", "d": None, "e": None}


def test_sequences_become_tuples_so_the_model_is_immutable() -> None:
    parsed = parse_yaml("ids: [A, B]\nnested:\n  - [1, 2]\n", "f.yml")
    assert parsed.data == {"ids": ("A", "B"), "nested": ((1, 2),)}


def test_every_node_has_its_line_and_column() -> None:
    parsed = parse_yaml("norms:\n  - id: NRM-001\n    traces_to: [VAL-001, VAL-002]\n", "f.yml")
    assert str(parsed.positions[("norms", 0)]) == "f.yml:2:5"
    assert str(parsed.positions[("norms", 0, "id")]) == "f.yml:2:9"
    assert str(parsed.positions[("norms", 0, "traces_to", 1)]) == "f.yml:3:26"
    assert str(parsed.key_positions[("norms", 0, "traces_to")]) == "f.yml:3:5"


def test_duplicate_key_is_an_error_that_names_the_first_line() -> None:
    parsed = parse_yaml("title: A\nstatement: S\ntitle: B\n", "f.yml")
    [problem] = parsed.problems
    assert problem.rule is Rule.DUPLICATE_KEY
    assert (problem.location.line, problem.location.column) == (3, 1)
    assert "first at line 1" in problem.message
    assert parsed.data == {"title": "A", "statement": "S"}


def test_anchors_and_aliases_are_refused_where_they_stand() -> None:
    parsed = parse_yaml("a: &shared text\nb: *shared\n", "f.yml")
    rules = [(p.rule, p.location.line, p.location.column) for p in parsed.problems]
    assert rules == [(Rule.YAML_ALIAS, 1, 4), (Rule.YAML_ALIAS, 2, 4)]
    assert parsed.data == {"a": "text", "b": None}


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    parsed = parse_yaml("\n".join(lines) + "\n", "bomb.yml")
    assert {p.rule for p in parsed.problems} == {Rule.YAML_ALIAS}
    assert isinstance(parsed.data, dict)
    assert parsed.data["a11"] == (None,) * 10


def test_python_tags_are_refused_and_nothing_is_constructed() -> None:
    parsed = parse_yaml("x: !!python/object/apply:os.system ['echo hacked']\n", "f.yml")
    assert [p.rule for p in parsed.problems] == [Rule.YAML_TAG]
    assert parsed.data == {"x": ("echo hacked",)}


def test_tab_indentation_is_reported_as_such() -> None:
    parsed = parse_yaml("norms:\n\t- id: NRM-001\n", "f.yml")
    [problem] = parsed.problems
    assert problem.rule is Rule.TAB_INDENT
    assert (problem.location.line, problem.location.column) == (2, 1)


def test_syntax_error_is_located_where_the_mistake_is_and_gives_no_data() -> None:
    parsed = parse_yaml("values:\n  - id: VAL-001\n    title: [unclosed\n", "f.yml")
    [problem] = parsed.problems
    assert problem.rule is Rule.YAML_SYNTAX
    assert (problem.location.line, problem.location.column) == (3, 12)  # the `[`
    assert problem.message == "the `[` opened here is never closed"
    assert parsed.data is None


def test_second_document_is_refused() -> None:
    parsed = parse_yaml("a: 1\n---\nb: 2\n", "f.yml")
    assert [(p.rule, p.location.line) for p in parsed.problems] == [(Rule.MULTIPLE_DOCUMENTS, 2)]


def test_control_characters_are_reported_with_their_code_point() -> None:
    parsed = parse_yaml('a: "bell \x07"\n', "f.yml")
    [problem] = parsed.problems
    assert problem.rule is Rule.YAML_SYNTAX
    assert "U+0007" in problem.message


def test_deep_nesting_is_refused_at_the_first_level_too_deep() -> None:
    parsed = parse_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yml")
    assert [(p.rule, p.location.column) for p in parsed.problems] == [
        (Rule.NESTING_TOO_DEEP, 3 + MAX_DEPTH)
    ]
    assert parsed.data is None
    within = parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "ok.yml")
    assert within.problems == []
    assert isinstance(within.data, dict)


def test_a_list_used_as_a_key_is_refused_and_the_rest_still_reads() -> None:
    parsed = parse_yaml("? [a]\n: 1\ntitle: T\n", "f.yml")
    assert [p.rule for p in parsed.problems] == [Rule.WRONG_TYPE]
    assert parsed.data == {"title": "T"}


def test_an_anchor_that_no_alias_uses_is_still_refused() -> None:
    parsed = parse_yaml("a: &unused text\nb: other\n", "f.yml")
    assert [(p.rule, p.location.line, p.location.column) for p in parsed.problems] == [
        (Rule.YAML_ALIAS, 1, 4)
    ]


def test_the_non_specific_tag_keeps_a_number_as_text() -> None:
    parsed = parse_yaml("a: ! 12\n", "f.yml")
    assert parsed.data == {"a": "12"}
    assert parsed.problems == []


def test_nesting_deeper_than_the_c_composer_may_take_is_read_event_by_event() -> None:
    """libyaml composes nodes recursively in C: tens of thousands of levels would overflow
    the C stack, a crash rather than an error. Past a few thousand the event reader reads,
    and refuses the file at the first level too deep."""
    for text in ("- " * 600 + "x\n", "a: " + "[" * 6000 + "]" * 6000 + "\n"):
        assert _may_need_events(text)
        parsed = parse_yaml(text, "deep.yml")
        assert [p.rule for p in parsed.problems] == [Rule.NESTING_TOO_DEEP]
        assert parsed.data is None


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
def test_both_readers_draw_the_nesting_limit_in_the_same_place(depth: int) -> None:
    text = "a: " + "[" * (depth - 1) + "x" + "]" * (depth - 1) + "\n"
    fast, exact = parse_yaml(text, "n.yml"), _from_events(text, "n.yml")
    assert fast.data == exact.data
    assert fast.problems == exact.problems
    assert (fast.data is None) == (depth > MAX_DEPTH)


def test_a_plain_file_reads_as_the_event_reader_reads_it() -> None:
    """Files without anchors, tags or deep nesting take the fast path; the event reader is the
    reference for its data, its problems and every position."""
    text = (FIXTURES / "small" / "standards" / "norms.yml").read_text(encoding="utf-8")
    text += "norms:\n  - again\nmore:\n  - {id: NRM-9, id: NRM-10}\n  - ? [x]\n    : y\n"
    assert not _may_need_events(text)  # the fast path reads it
    fast, exact = parse_yaml(text, "n.yml"), _from_events(text, "n.yml")
    assert fast.data == exact.data
    assert fast.problems == exact.problems
    assert [p.rule for p in fast.problems] == [
        Rule.DUPLICATE_KEY,
        Rule.DUPLICATE_KEY,
        Rule.WRONG_TYPE,
    ]
    assert dict(fast.positions) == dict(exact.positions)
    assert list(fast.positions) == list(exact.positions)
    assert dict(fast.key_positions) == dict(exact.key_positions)


@pytest.mark.parametrize(
    "text",
    [
        'a:\n  b: "two\n  lines"\n',  # a quoted text's line at its field's column
        "a: [x,\ny]\n",  # a line of brackets at column 1 under a top-level field
        "a:\n  - [x,\n  y]\n",  # … and at its list item's column
        "? \n: value\n",  # a key left empty
        "n: 1e999\nm: -1.5e400\n",  # numbers no float holds
        "a: >\n   \n # comment\n",  # blank lines deeper than the comment after them
    ],
)
def test_what_libyaml_lets_through_is_refused_alike_by_both_ways(text: str) -> None:
    fast, exact = parse_yaml(text, "f.yml"), _from_events(text, "f.yml")
    assert fast.problems, "refused"
    assert fast.problems == exact.problems
    assert fast.data == exact.data


def test_lines_of_brackets_may_close_at_their_fields_column() -> None:
    """As YAML editors allow: the closing bracket lines up with its field."""
    text = "a:\n  b: [\n    x,\n  ]\n  c: {\n    d: 1\n  }\n"
    assert parse_yaml(text, "f.yml").problems == []
    assert parse_yaml(text, "f.yml").data == {"a": {"b": ("x",), "c": {"d": 1}}}


def test_a_last_line_of_spaces_without_a_line_break_is_kept_in_a_block_text() -> None:
    assert parse_yaml("a: |\n  x\n   ", "f.yml").data == {"a": "x\n \n"}
    assert parse_yaml("- |+\n   ", "f.yml").data == ("\n",)


def test_the_example_standards_take_the_fast_path() -> None:
    """The checks the walker makes must not send an ordinary file to the slower reader."""
    for path in sorted((FIXTURES.parent.parent / "standards").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert not _may_need_events(text)
        parsed = _from_nodes(text, path.name)  # raises if it hands the file over
        assert parsed.problems == []
