"""The semantic diff: two editions of the standards compared by id, as a reviewer needs them.

`tests/fixtures/diff/old` is the small handbook with a draft norm and parameter, a retired
parameter and a call-back norm added; `new` is the same handbook after one pull request that
does one of each kind of change (see `EXPECTED`). Golden files pin the PR comment, the
terminal text and the JSON byte for byte; regenerate them with `UPDATE_GOLDEN=1 make test`
and review the diff like any other change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.model.diagnostics import Rule
from generator.model.items import Handbook, Location
from generator.releases.diff import (
    MINUS,
    Changes,
    FieldChange,
    Impact,
    changes_json,
    changes_markdown,
    changes_text,
    diff,
)
from generator.source.load import load_handbook
from tests.conftest import FIXTURES, golden

DIFF = FIXTURES / "diff"
OWNER = "head-of-service"

EXPECTED = {
    "VAL-002": ("value", "changed"),  # rationale written
    "NRM-001": ("norm", "changed"),  # statement, review date and an example
    "NRM-002": ("norm", "moved"),  # to phone.yml, unchanged
    "NRM-003": ("norm", "changed"),  # published: draft → active
    "NRM-004": ("norm", "changed"),  # re-traced from VAL-001 to VAL-002
    "NRM-005": ("norm", "added"),
    "PAR-001": ("parameter", "removed"),  # deleted instead of retired
    "PAR-002": ("parameter", "changed"),  # requirement and measure
    "PAR-003": ("parameter", "moved"),  # to phone.yml with its norm
    "PAR-004": ("parameter", "retired"),
    "PAR-005": ("parameter", "reactivated"),  # retired id brought back as another rule
    "PAR-007": ("parameter", "added"),
    "PAR-008": ("parameter", "changed"),  # published
}


def _load(cwd: Path, standards: str) -> Handbook:
    """Load with a relative path, so locations read `old/standards/norms.yml` wherever the
    repository is checked out (the golden files contain them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = load_handbook(Path(standards))
    assert result.handbook is not None, result.diagnostics
    assert result.diagnostics == [], result.diagnostics
    return result.handbook


def _variant(
    tmp_path: Path, name: str, *edits: tuple[str, str, str], base: str = "old"
) -> Handbook:
    """A copy of a fixture's standards with text replaced: (file, old text, new text)."""
    folder = tmp_path / name / "standards"
    shutil.copytree(DIFF / base / "standards", folder)
    for file, old, new in edits:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return _load(tmp_path, f"{name}/standards")


def _line_of(path: Path, needle: str, after: str = "") -> int:
    """1-based line of the first `needle` at or after the first `after`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


@pytest.fixture(scope="module")
def old() -> Handbook:
    return _load(DIFF, "old/standards")


@pytest.fixture(scope="module")
def new() -> Handbook:
    return _load(DIFF, "new/standards")


@pytest.fixture(scope="module")
def changes(old: Handbook, new: Handbook) -> Changes:
    return diff(old, new)


def _item(changes: Changes, identifier: str) -> object:
    return next(c for c in changes.items if c.id == identifier)


# --- what is detected ---------------------------------------------------------------------------
def test_each_change_is_detected_once_with_its_kind_in_order(changes: Changes) -> None:
    assert [(c.id, c.kind, c.change) for c in changes.items] == [
        (identifier, kind, change) for identifier, (kind, change) in EXPECTED.items()
    ]


def test_changed_fields_carry_the_raw_values_before_and_after(changes: Changes) -> None:
    fields = {c.id: c.fields for c in changes.items}
    assert fields["NRM-001"] == (
        FieldChange(
            "statement",
            "Greet every customer within five seconds of eye contact.",
            "Greet every customer within three seconds of eye contact, even when the queue is "
            "long.",
        ),
        FieldChange("review", "2027-01-01", "2026-12-01"),
        FieldChange(
            "examples.dont",
            ["Finish typing before looking up."],
            ["Finish typing before looking up.", "Greet the queue instead of the customer."],
        ),
    )
    assert fields["PAR-002"] == (
        FieldChange("requirement", "Greet within five seconds.", "Greet within three seconds."),
        FieldChange("measure.target", 5, 3),
        FieldChange("measure.max", 5, 3),
    )
    assert fields["VAL-002"] == (
        FieldChange("rationale", None, "Waiting is the complaint customers make most often."),
    )
    assert fields["NRM-003"] == (FieldChange("status", "draft", "active"),)
    assert fields["PAR-008"] == (FieldChange("status", "draft", "active"),)
    assert fields["NRM-004"] == (FieldChange("traces_to", ["VAL-001"], ["VAL-002"]),)
    assert fields["PAR-004"] == (FieldChange("status", "active", "retired"),)
    for identifier in ("NRM-002", "NRM-005", "PAR-001", "PAR-003", "PAR-007"):
        assert fields[identifier] == ()


def test_only_a_changed_trace_is_a_re_trace(changes: Changes) -> None:
    assert [c.id for c in changes.items if c.retraced] == ["NRM-004"]


def test_reordering_traces_changes_the_field_but_re_traces_nothing(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    new = _variant(tmp_path, "new", ("norms.yml", "[VAL-002, VAL-001]", "[VAL-001, VAL-002]"))
    (change,) = diff(old, new).items
    assert (change.id, change.change, change.retraced) == ("NRM-002", "changed", False)
    assert change.fields == (
        FieldChange("traces_to", ["VAL-002", "VAL-001"], ["VAL-001", "VAL-002"]),
    )


def test_item_context_for_grouping_on_the_changes_page(changes: Changes) -> None:
    by_id = {c.id: c for c in changes.items}
    added = by_id["NRM-005"]
    assert (added.title, added.owner, added.channels, added.values, added.effective) == (
        "Say goodbye",
        OWNER,
        ("face-to-face", "phone"),
        ("VAL-001",),
        "2026-07-01",
    )
    assert by_id["PAR-007"].channels == ("face-to-face",)
    assert by_id["PAR-007"].values == ("VAL-001",)  # through its norm NRM-005
    assert by_id["PAR-003"].values == ("VAL-001", "VAL-002")  # NRM-002 serves both
    assert by_id["VAL-002"].values == ("VAL-002",)
    assert by_id["VAL-002"].channels == ()
    assert by_id["PAR-001"].title == "Greeting formula"  # removed: its old title
    assert by_id["PAR-005"].title == "Waiting time announcement"  # otherwise the new one
    assert by_id["PAR-004"].status == "retired"
    assert by_id["PAR-001"].status == "active"


# --- moving -------------------------------------------------------------------------------------
def test_moving_items_to_another_file_is_moved_not_changed(changes: Changes) -> None:
    moved = [c for c in changes.items if c.change == "moved"]
    assert [(c.id, c.fields, c.moved_from, c.moved_to) for c in moved] == [
        ("NRM-002", (), "norms.yml", "phone.yml"),
        ("PAR-003", (), "norms.yml", "phone.yml"),
    ]
    assert all(c.moved_from is None for c in changes.items if c.change != "moved")
    assert not [i for i in changes.impacts if i.id == "NRM-002"]


def test_rewriting_yaml_without_changing_content_is_no_change(tmp_path: Path) -> None:
    """Key order, flow or block style, quoting and comments are text, not standards."""
    old = _load(DIFF, "old/standards")
    new = _variant(
        tmp_path,
        "restyled",
        (
            "norms.yml",
            "    title: Call back\n    statement: Call back a missed caller within one hour.\n"
            "    traces_to: [VAL-001]\n",
            "    # reworded nothing\n    traces_to:\n      - VAL-001\n"
            "    statement: 'Call back a missed caller within one hour.'\n"
            '    title: "Call back"\n',
        ),
    )
    assert diff(old, new).items == ()


def test_an_item_changed_and_moved_is_changed_with_both_files(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    norms = (DIFF / "old" / "standards" / "norms.yml").read_text(encoding="utf-8")
    block = norms[norms.index("  - id: NRM-004") : norms.index("parameters:")]
    new = _variant(
        tmp_path,
        "new",
        ("norms.yml", block, ""),
        ("values.yml", "values:", "norms:\n" + block.replace("one hour", "two hours") + "values:"),
    )
    (change,) = diff(old, new).items
    assert (change.id, change.change) == ("NRM-004", "changed")
    assert (change.moved_from, change.moved_to) == ("norms.yml", "values.yml")
    assert [f.field for f in change.fields] == ["statement"]
    markdown = changes_markdown(diff(old, new), "a", "b")
    assert "- file: `norms.yml` → `values.yml`" in markdown


# --- release rules ------------------------------------------------------------------------------
def test_deleting_a_released_item_is_an_error_at_its_old_place(changes: Changes) -> None:
    removed = [p for p in changes.problems if p.rule is Rule.ITEM_REMOVED]
    line = _line_of(DIFF / "old" / "standards" / "norms.yml", "- id: PAR-001")
    assert [(p.location, p.ids) for p in removed] == [
        (Location("old/standards/norms.yml", line, 5), ("PAR-001",))
    ]
    assert "PAR-001" in removed[0].message
    assert "status: retired" in removed[0].hint


def test_deleting_a_draft_is_allowed_but_deleting_a_retired_item_is_not(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    norms = (DIFF / "old" / "standards" / "norms.yml").read_text(encoding="utf-8")
    draft = norms[norms.index("  - id: PAR-008") :]
    retired = norms[norms.index("  - id: PAR-005") : norms.index("  - id: PAR-006")]
    new = _variant(tmp_path, "new", ("norms.yml", draft, ""), ("norms.yml", retired, ""))
    result = diff(old, new)
    assert [(c.id, c.change) for c in result.items] == [
        ("PAR-005", "removed"),
        ("PAR-008", "removed"),
    ]
    assert [(p.rule, p.ids) for p in result.problems] == [(Rule.ITEM_REMOVED, ("PAR-005",))]


def test_bringing_back_a_retired_id_as_another_rule_is_id_reuse(changes: Changes) -> None:
    (reused,) = [p for p in changes.problems if p.rule is Rule.ID_REUSED]
    line = _line_of(
        DIFF / "new" / "standards" / "norms.yml", "status: active", after="- id: PAR-005"
    )
    assert reused.location == Location("new/standards/norms.yml", line, 13)
    assert reused.ids == ("PAR-005",)
    assert "title and requirement" in reused.message
    assert "PAR-009" in reused.hint  # the next id never used in either handbook
    assert [c.fields for c in changes.items if c.id == "PAR-005"] == [
        (
            FieldChange("title", "Hold music", "Waiting time announcement"),
            FieldChange("status", "retired", "active"),
            FieldChange(
                "requirement",
                "Play music while the caller waits.",
                "Tell a caller on hold how long the wait will be.",
            ),
        )
    ]


def test_id_reuse_without_a_status_line_points_at_the_id(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    new = _variant(
        tmp_path,
        "new",
        ("norms.yml", "    status: retired\n", ""),
        ("norms.yml", "Play music while", "Play no music while"),
    )
    (problem,) = diff(old, new).problems
    line = _line_of(tmp_path / "new" / "standards" / "norms.yml", "- id: PAR-005")
    assert (problem.rule, problem.location) == (
        Rule.ID_REUSED,
        Location("new/standards/norms.yml", line, 9),
    )


def test_reactivating_the_same_rule_is_no_problem(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    new = _variant(tmp_path, "new", ("norms.yml", "    status: retired\n", ""))
    result = diff(old, new)
    assert [(c.id, c.change, c.fields) for c in result.items] == [
        ("PAR-005", "reactivated", (FieldChange("status", "retired", "active"),))
    ]
    assert result.problems == ()


# --- impact -------------------------------------------------------------------------------------
def test_impact_lists_what_to_review_below_each_changed_value_and_norm(changes: Changes) -> None:
    owners = (OWNER,)
    assert changes.impacts == (
        Impact(
            "VAL-002", "value", ("NRM-002", "NRM-004"), ("PAR-003", "PAR-005", "PAR-006"), owners
        ),
        Impact("NRM-001", "norm", (), ("PAR-002",), owners),  # PAR-004 was retired
        Impact("NRM-003", "norm", (), ("PAR-008",), owners),
        Impact("NRM-004", "norm", (), ("PAR-006",), owners),
    )


def test_impact_of_a_retired_value_is_what_served_it_before(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    new = _variant(
        tmp_path,
        "new",
        (
            "values.yml",
            "    title: Respect for time\n",
            "    title: Respect for time\n    status: retired\n",
        ),
        (
            "norms.yml",
            "    owner: head-of-service\n    effective: 2026-02-01",
            "    owner: team-lead\n    status: retired\n    effective: 2026-02-01",
        ),
        (
            "norms.yml",
            "    measure: {metric: Rings",
            "    status: retired\n    measure: {metric: Rings",
        ),
    )
    result = diff(old, new)
    assert result.impacts == (
        Impact("VAL-002", "value", ("NRM-002",), ("PAR-003",), (OWNER,)),
        Impact("NRM-002", "norm", (), ("PAR-003",), (OWNER, "team-lead")),
    )


# --- the outputs ------------------------------------------------------------------------------
def test_markdown_summary_is_pinned(changes: Changes) -> None:
    golden("diff.md", changes_markdown(changes, "v1.0", "working tree"))


def test_text_summary_is_pinned(changes: Changes) -> None:
    golden("diff.txt", changes_text(changes, "v1.0", "working tree"))


def test_json_is_pinned_and_agrees_with_the_model(changes: Changes) -> None:
    text = changes_json(changes, "v1.0", "working tree")
    golden("diff.json", text)
    document = json.loads(text)
    assert document["summary"] == {
        "added": 2,
        "changed": 6,
        "retired": 1,
        "reactivated": 1,
        "removed": 1,
        "moved": 2,
        "retraced": 1,
    }
    assert [(i["id"], i["change"]) for i in document["items"]] == [
        (identifier, change) for identifier, (_, change) in EXPECTED.items()
    ]
    assert [p["rule"] for p in document["problems"]] == ["id-reused", "item-removed"]


def test_markdown_says_published_and_shows_list_changes(changes: Changes) -> None:
    markdown = changes_markdown(changes, "v1.0", "working tree")
    assert markdown.startswith(
        "## Standards changes: v1.0 → working tree\n\n"
        "2 added · 6 changed · 1 retired · 1 reactivated · 1 removed · 1 re-traced · 2 moved\n"
    )
    assert "- status: published (~~draft~~ → **active**)" in markdown
    assert f"- traces_to: + VAL-002, {MINUS} VAL-001" in markdown
    assert "- examples.dont: + Greet the queue instead of the customer\\." in markdown


def test_the_same_input_gives_the_same_bytes(old: Handbook, new: Handbook) -> None:
    again = diff(_load(DIFF, "old/standards"), _load(DIFF, "new/standards"))
    assert again == diff(old, new)
    for render in (changes_markdown, changes_text, changes_json):
        assert render(again, "a", "b") == render(diff(old, new), "a", "b")


def test_yaml_cannot_inject_links_or_html_into_the_pull_request(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    new = _variant(
        tmp_path,
        "new",
        (
            "norms.yml",
            "statement: Answer the phone before the third ring.",
            "statement: '[x](javascript:alert(1)) <b>bold</b> ![i](http://x/i.png) ~~s~~ $x$ `c`'",
        ),
        ("norms.yml", "title: Answer quickly", "title: '<img src=x onerror=alert(1)> | *a*'"),
    )
    result = diff(old, new)
    markdown = changes_markdown(result, "main <b>", "[pr](javascript:x)")
    for dangerous in (
        "<b>",
        "<img",
        "](javascript",
        "![i]",
        "](http",
        " | *a*",
        "~~s~~",
        "$x$",
        "`c`",
    ):
        assert dangerous not in markdown, dangerous
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;bold&lt;/b&gt;" in markdown
    assert "**NRM-002** &lt;img src=x onerror=alert\\(1\\)&gt; \\| \\*a\\*" in markdown
    assert "## Standards changes: main &lt;b&gt; → \\[pr\\]\\(javascript:x\\)" in markdown


def test_terminal_text_cannot_carry_control_characters(tmp_path: Path) -> None:
    old = _load(DIFF, "old/standards")
    new = _variant(
        tmp_path,
        "new",
        ("norms.yml", "title: Answer quickly", 'title: "Answer \\e[2J\\u202equickly"'),
    )
    text = changes_text(diff(old, new), "a", "b")
    assert "\x1b" not in text and "\u202e" not in text
    assert "Answer [U+001B escape][2J[U+202E right-to-left override]quickly" in text


def test_language_maps_compare_as_one_text_and_titles_follow_the_language(
    tmp_path: Path,
) -> None:
    old = _variant(
        tmp_path, "old", ("norms.yml", "title: Call back", "title: {en: Call back, lv: Atzvani}")
    )
    new = _variant(
        tmp_path, "new", ("norms.yml", "title: Call back", "title: {en: Call back, lv: Zvani}")
    )
    (change,) = diff(old, new, language="lv").items
    assert change.title == "Zvani"
    assert change.fields == (
        FieldChange(
            "title", {"en": "Call back", "lv": "Atzvani"}, {"en": "Call back", "lv": "Zvani"}
        ),
    )
    assert diff(old, new).items[0].title == "Call back"
    assert diff(old, new, language="ru").items[0].title == "Call back"  # falls back to default


def test_a_handbook_against_itself_has_no_changes(old: Handbook) -> None:
    same = diff(old, old)
    assert same == Changes(items=(), impacts=(), problems=())
    assert changes_markdown(same, "v1.0", "v1.0") == (
        "## Standards changes: v1.0 → v1.0\n\nNo value, norm or parameter changed.\n"
    )
    assert changes_text(same, "v1.0", "v1.0").endswith("No value, norm or parameter changed.\n")
    document = json.loads(changes_json(same, "v1.0", "v1.0"))
    assert set(document["summary"].values()) == {0}
    assert document["items"] == document["impacts"] == document["problems"] == []


def test_a_translation_change_is_shown_for_the_language_that_changed(tmp_path: Path) -> None:
    folders = []
    for name, russian in (("old", "Улыбайтесь."), ("new", "Улыбайтесь клиенту.")):
        folder = tmp_path / name / "standards"
        shutil.copytree(FIXTURES / "small" / "standards", folder)
        norms = folder / "norms.yml"
        norms.write_text(
            norms.read_text(encoding="utf-8").replace(
                "    statement: Greet every customer within five seconds of eye contact.\n",
                f"    statement:\n      en: Greet every customer.\n      ru: {russian}\n",
            ),
            encoding="utf-8",
        )
        folders.append(folder)
    old, new = (load_handbook(f).handbook for f in folders)
    assert old is not None and new is not None
    markdown = changes_markdown(diff(old, new), "old", "new")
    assert "statement \\[ru\\]: ~~Улыбайтесь\\.~~ → **Улыбайтесь клиенту\\.**" in markdown
    assert "\\[en\\]" not in markdown
