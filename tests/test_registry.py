"""The registry of checks: each rule is declared by the one check that reports it, every check
is run from the catalogue, and a check that reports what it did not declare is stopped.

The answer to "where is rule X checked?" is only worth having if it cannot go stale: these tests
run every check on every bad fixture and read the rule modules, so a new rule, check or module
that is not registered as the catalogue says fails here.
"""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.model.diagnostics import Diagnostic, Rule
from generator.model.items import Handbook
from generator.rules import catalogue, registry
from generator.rules.catalogue import MODULES, check
from generator.rules.registry import Model, Registered, UndeclaredRuleError
from generator.source.load import load_handbook
from tests.conftest import FIXTURES
from tests.test_rules import READERS, rules_named_in

RULES_PACKAGE = Path(registry.__file__).parent
TODAY = dt.date(2026, 11, 22)
ALL_CHECKS: tuple[Registered[Model] | Registered[registry.Repository], ...] = (
    *catalogue.MODEL_CHECKS,
    *catalogue.REPOSITORY_CHECKS,
)


def _bad_handbooks(tmp_path: Path) -> Iterator[tuple[str, Handbook]]:
    """The small handbook with each bad fixture beside it, as loaded (what can be read of it)."""
    for fixture in sorted((FIXTURES / "bad").glob("*.yml")):
        project = tmp_path / fixture.stem
        shutil.copytree(FIXTURES / "small", project)
        shutil.copy(fixture, project / "standards" / f"zz-{fixture.name}")
        handbook = load_handbook(project / "standards").handbook
        if handbook is not None:
            yield fixture.stem, handbook


def test_each_check_reports_only_the_rules_it_declares_on_every_fixture(tmp_path: Path) -> None:
    """Called without the registry's guard, so that the declarations are proved by the checks
    themselves; and each fixture's rule, where a check declares it, comes from that check."""
    seen: set[tuple[str, Rule]] = set()
    for stem, handbook in _bad_handbooks(tmp_path):
        model = Model.of(handbook, TODAY)
        for registered in catalogue.MODEL_CHECKS:
            for diagnostic in registered.function(model):
                assert diagnostic.rule in registered.rules, (stem, registered.name, diagnostic)
                seen.add((registered.name, diagnostic.rule))
    declared_by = {rule: r.name for r in catalogue.MODEL_CHECKS for rule in r.rules}
    fixture_rules = {Rule(path.stem) for path in (FIXTURES / "bad").glob("*.yml")}
    # a rule readers report too (`bad-language`) may be shown by a fixture the schema refuses
    for rule in fixture_rules & set(declared_by) - rules_named_in(READERS.rglob("*.py")):
        assert (declared_by[rule], rule) in seen, rule


def test_a_check_that_reports_an_undeclared_rule_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mislabelled(model: Model) -> Iterator[Diagnostic]:
        for norm in model.handbook.norms:
            yield Diagnostic(Rule.REVIEW_OVERDUE, model.origin(norm.id).of("id"), "m", "h")

    shutil.copytree(FIXTURES / "small", tmp_path / "small")
    handbook = load_handbook(tmp_path / "small" / "standards").handbook
    assert handbook is not None
    wrong = Registered(mislabelled, frozenset({Rule.MISSING_OWNER}))
    monkeypatch.setattr(catalogue, "MODEL_CHECKS", (*catalogue.MODEL_CHECKS, wrong))
    with pytest.raises(UndeclaredRuleError, match=r"mislabelled reported review-overdue"):
        check(handbook, today=TODAY)
    right = Registered(mislabelled, frozenset({Rule.REVIEW_OVERDUE}))
    monkeypatch.setattr(catalogue, "MODEL_CHECKS", (*catalogue.MODEL_CHECKS[:-1], right))
    assert {d.rule for d in check(handbook, today=TODAY)} == {Rule.REVIEW_OVERDUE}


def test_the_order_of_the_checks_changes_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The golden files hold diagnostics in the order a person fixes them, whatever order the
    catalogue lists the modules in."""
    handbooks = list(_bad_handbooks(tmp_path))
    forward = [check(handbook, today=TODAY) for _stem, handbook in handbooks]
    monkeypatch.setattr(catalogue, "MODEL_CHECKS", catalogue.MODEL_CHECKS[::-1])
    backward = [check(handbook, today=TODAY) for _stem, handbook in handbooks]
    assert backward == forward
    assert any(len(found) > 1 for found in forward)


def test_each_rule_is_declared_by_one_check_at_most() -> None:
    """One rule, one place to look for it (a reader may report it too: `bad-language` is
    reported for a code the schema refuses and for one the site cannot be built in)."""
    declared: dict[Rule, list[str]] = {}
    for registered in ALL_CHECKS:
        for rule in registered.rules:
            declared.setdefault(rule, []).append(registered.name)
    assert {rule: names for rule, names in declared.items() if len(names) > 1} == {}


def test_every_registered_check_runs_from_the_catalogue() -> None:
    assert len(catalogue.MODEL_CHECKS) == len(registry.MODEL_CHECKS)
    assert len(catalogue.REPOSITORY_CHECKS) == len(registry.REPOSITORY_CHECKS)
    assert set(catalogue.MODEL_CHECKS) == set(registry.MODEL_CHECKS)
    assert set(catalogue.REPOSITORY_CHECKS) == set(registry.REPOSITORY_CHECKS)
    listed = [module.__name__ for module in MODULES]
    assert len(set(listed)) == len(listed)
    assert {r.module for r in ALL_CHECKS} == set(listed)  # and each listed module registers
    assert [listed.index(r.module) for r in catalogue.MODEL_CHECKS] == sorted(
        listed.index(r.module) for r in catalogue.MODEL_CHECKS
    )


def test_every_module_that_registers_a_check_is_in_the_catalogue() -> None:
    """A module left out of `MODULES` would register its checks only if something else
    happened to import it first: read from the files, not from what was imported."""
    registering = {
        f"generator.rules.{path.stem}"
        for path in RULES_PACKAGE.glob("*.py")
        if any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("checks", "checks_repository")
            for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(function, ast.FunctionDef)
            for node in function.decorator_list
        )
    }
    assert registering == {module.__name__ for module in MODULES}


def test_every_rule_the_rules_package_names_is_declared_by_a_check() -> None:
    """What the fixtures cannot reach is read from the code: a rule written in a rule module
    but declared by no check would stop a run the day a handbook trips it."""
    declared = {rule for registered in ALL_CHECKS for rule in registered.rules}
    named = rules_named_in(RULES_PACKAGE.glob("*.py"))
    assert named - declared == set()
