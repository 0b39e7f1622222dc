"""The standards' warnings in MkDocs' build log: enough to see what kind of problem there is,
never a log nobody reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mkdocs.plugins import get_plugin_logger

from generator.model.diagnostics import Diagnostic, Rule, Severity
from generator.text.printable import printable

log = get_plugin_logger("generator.engines.mkdocs.plugin")

WARNINGS_PER_RULE = 20
"""Warnings of one rule a build log shows; `handbook validate` lists them all."""


def log_warnings(diagnostics: Sequence[Diagnostic]) -> None:
    """Each warning in the build's log, up to `WARNINGS_PER_RULE` of a rule and then how many
    more: a handbook written in one language and published in four has a warning for every
    text of every item (220,000 at 10,000 norms), which no one reads in a build log and which
    took seconds of every language's build to print. `--strict` fails all the same."""
    shown: Counter[Rule] = Counter()
    for diagnostic in diagnostics:
        if diagnostic.severity is not Severity.WARNING:
            continue
        shown[diagnostic.rule] += 1
        if shown[diagnostic.rule] <= WARNINGS_PER_RULE:
            where = printable(str(diagnostic.location))
            log.warning(f"{where}: [{diagnostic.rule}] {printable(diagnostic.message)}")
    for rule, count in shown.items():
        if count > WARNINGS_PER_RULE:
            log.warning(
                f"[{rule}] {count - WARNINGS_PER_RULE:,} more warnings like these; "
                "`handbook validate` lists every one"
            )
