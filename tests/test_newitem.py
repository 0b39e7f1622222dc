"""`handbook new` in the four-language example handbook: every text in every language it
requires, given on the command line or asked for at a terminal, and a parameter's measure; what
it writes validates at once, and what it cannot write it refuses without writing anything."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.model.items import Measure
from generator.source.load import load_handbook
from tests.conftest import copy_handbook, run_cli

pytestmark = pytest.mark.slow

LANGUAGES = ("en", "ru", "lv", "tr")
TITLE = {
    "en": "Call ahead",
    "ru": "Позвоните заранее",
    "lv": "Piezvaniet iepriekš",
    "tr": "Önceden arayın",  # noqa: RUF001
}
STATEMENT = {
    "en": "Phone the customer before a visit.",
    "ru": "Позвоните клиенту до визита.",
    "lv": "Piezvaniet klientam pirms vizītes.",
    "tr": "Ziyaretten önce müşteriyi arayın.",  # noqa: RUF001
}


def _flags(option: str, texts: dict[str, str], default: str = "en") -> list[str]:
    return [
        value
        for language, text in texts.items()
        for value in (option, text if language == default else f"{language}={text}")
    ]


@pytest.fixture
def handbook(example_project: Path, tmp_path: Path) -> Path:
    return copy_handbook(example_project, tmp_path / "handbook")


def _snapshot(project: Path) -> dict[str, bytes]:
    standards = project / "standards"
    return {str(p.relative_to(standards)): p.read_bytes() for p in standards.rglob("*.yml")}


def _validate(project: Path) -> tuple[int, str]:
    result = run_cli("validate", "--format", "text", cwd=project)
    return result.code, result.stdout


def test_settings_require_all_four_languages(handbook: Path) -> None:
    loaded = load_handbook(handbook / "standards").handbook
    assert loaded is not None
    assert loaded.settings.languages == LANGUAGES
    assert loaded.settings.required_languages == LANGUAGES


def test_a_norm_given_in_every_language_validates_with_no_error(handbook: Path) -> None:
    result = run_cli(
        "new", "norm", *_flags("--title", TITLE), *_flags("--statement", STATEMENT),
        "--rationale", "Nobody waits at a locked door.", "--rationale", "ru=Никто не ждёт.",
        "--rationale", "lv=Neviens negaida.", "--rationale", "tr=Kimse beklemez.",
        "--traces-to", "VAL-001", "--channel", "phone", cwd=handbook,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    new_id = re.match(r"wrote (NRM-\d+) to ", result.stdout)
    assert new_id, result.stdout
    assert "texts before it is published" not in result.stdout
    code, report = _validate(handbook)
    assert code == 0, report
    assert "0 errors" in report
    loaded = load_handbook(handbook / "standards").handbook
    assert loaded is not None
    [norm] = [n for n in loaded.norms if n.id == new_id.group(1)]
    assert norm.title == TITLE
    assert norm.statement == STATEMENT
    assert isinstance(norm.rationale, dict) and set(norm.rationale) == set(LANGUAGES)


def test_a_missing_required_language_is_refused_naming_each_flag(handbook: Path) -> None:
    before = _snapshot(handbook)
    result = run_cli(
        "new", "norm", "--title", "Call ahead", "--title", "ru=Позвоните заранее",
        *_flags("--statement", STATEMENT), "--rationale", "tr=Kimse beklemez.",
        "--traces-to", "VAL-001", cwd=handbook,
    )  # fmt: skip
    assert result.code == 2
    assert result.stderr.splitlines() == [
        'handbook: a new norm needs --title lv="…", --title tr="…", --rationale "…", '
        '--rationale ru="…", --rationale lv="…"; nothing was written'
    ]
    assert _snapshot(handbook) == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--title", "de=Vorher anrufen"], "de is not a language of this handbook"),
        (["--title", "A", "--title", "B"], "--title gives the en text twice"),
        (["--title", "ru=  "], "--title gives an empty ru text"),
        (["--metric", "Seconds"], "a norm has no metric"),
        (["--target", "3"], "a norm has no measure"),
    ],
)
def test_a_text_that_cannot_be_written_is_refused(
    handbook: Path, arguments: list[str], message: str
) -> None:
    before = _snapshot(handbook)
    result = run_cli("new", "norm", *arguments, "--traces-to", "VAL-001", cwd=handbook)
    assert result.code == 2
    assert message in result.stderr
    assert _snapshot(handbook) == before


def _parameter(*extra: str) -> list[str]:
    return [
        "new", "parameter", *_flags("--title", TITLE),
        *_flags("--requirement", STATEMENT), "--traces-to", "NRM-001", "--channel", "phone",
        "--category", "speed", *extra,
    ]  # fmt: skip


def test_a_parameter_gets_a_measure_with_numbers_typed_as_numbers(handbook: Path) -> None:
    metric = {
        "en": "Minutes between the call and arrival",
        "ru": "Минуты между звонком и визитом",
        "lv": "Minūtes starp zvanu un ierašanos",
        "tr": "Arama ile varış arası dakika",  # noqa: RUF001
    }
    unit = {"en": "minutes", "ru": "минуты", "lv": "minūtes", "tr": "dakika"}
    result = run_cli(
        *_parameter(*_flags("--metric", metric), *_flags("--unit", unit),
                    "--target", "45", "--min", "30", "--max", "60.5"),
        cwd=handbook,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    code, report = _validate(handbook)
    assert code == 0, report
    loaded = load_handbook(handbook / "standards").handbook
    assert loaded is not None
    parameter = max(loaded.parameters, key=lambda p: int(p.id.split("-")[1]))
    assert parameter.measure == Measure(metric=metric, unit=unit, target=45, min=30, max=60.5)
    assert type(parameter.measure.target) is int
    written = (handbook / "standards").rglob("*.yml")
    text = next(p.read_text(encoding="utf-8") for p in written if parameter.id in p.read_text())
    assert "      target: 45\n      min: 30\n      max: 60.5\n" in text


def test_a_target_that_is_not_a_number_is_a_text(handbook: Path) -> None:
    metric = {"en": "Calls", "ru": "Звонки", "lv": "Zvani", "tr": "Aramalar"}
    result = run_cli(
        *_parameter(*_flags("--metric", metric), "--target", "every visit"), cwd=handbook
    )
    assert result.code == 0, result.stderr
    loaded = load_handbook(handbook / "standards").handbook
    assert loaded is not None
    parameter = max(loaded.parameters, key=lambda p: int(p.id.split("-")[1]))
    assert parameter.measure is not None and parameter.measure.target == "every visit"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--max", "60"], 'needs --metric "…", --metric ru="…"'),
        (["--min", "nan"], "not a finite number"),
        (["--max", "1e999"], "not a finite number"),
        (["--min", "thirty"], "not a number"),
    ],
)
def test_a_measure_that_cannot_be_written_is_refused(
    handbook: Path, extra: list[str], message: str
) -> None:
    before = _snapshot(handbook)
    result = run_cli(*_parameter(*extra), cwd=handbook)
    assert result.code == 2
    assert message in result.stderr
    assert _snapshot(handbook) == before


def test_a_language_published_but_not_required_may_come_later(handbook: Path) -> None:
    settings = handbook / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("required_languages: [en, ru, lv, tr]", "required_languages: [en, ru]"),
        encoding="utf-8",
    )
    result = run_cli(
        "new", "value", "--title", "Candour", "--title", "ru=Откровенность",
        "--statement", "We say what we know.", "--statement", "ru=Мы говорим, что знаем.",
        cwd=handbook,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "add its lv, tr texts before it is published" in result.stdout
    code, report = _validate(handbook)
    assert code == 0, report


def _at_a_terminal(args: list[str], answers: list[str], cwd: Path) -> tuple[int, str, list[str]]:
    """Run `handbook …` with a terminal for its input and output, answering each question as
    it is asked; returns the exit code, the screen and the questions."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    os.close(follower)
    screen = b""
    asked: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            screen += chunk
            questions = re.findall(r"([a-z ]+ \([a-z]+\)): $", screen.decode(errors="replace"))
            if questions and len(asked) < len(answers) and screen.endswith(b": "):
                asked.append(questions[-1])
                os.write(leader, answers[len(asked) - 1].encode("utf-8") + b"\n")
        code = process.wait(timeout=60)
    finally:
        os.close(leader)
    return code, screen.decode("utf-8", errors="replace"), asked


def test_at_a_terminal_it_asks_for_each_required_language(handbook: Path) -> None:
    answers = [*TITLE.values(), *STATEMENT.values()]
    code, screen, asked = _at_a_terminal(
        ["new", "norm", "--traces-to", "VAL-001"], answers, handbook
    )
    assert code == 0, screen
    assert asked == [f"{field} ({lang})" for field in ("title", "statement") for lang in LANGUAGES]
    assert re.search(r"wrote NRM-\d+ to ", screen)
    code, report = _validate(handbook)
    assert code == 0, report


def test_an_active_norm_keeps_the_editors_schema_current(handbook: Path) -> None:
    """The committed schema suggests every active norm with its title: `handbook new` writes it
    again, so that the next `validate` has nothing to say and the editor offers the new id."""
    schema = handbook / "schemas" / "handbook.schema.json"
    before = schema.read_bytes()
    result = run_cli(
        "new", "norm", *_flags("--title", TITLE), *_flags("--statement", STATEMENT),
        "--traces-to", "VAL-001", "--channel", "phone", "--status", "active", cwd=handbook,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    new_id = re.match(r"wrote (NRM-\d+) to ", result.stdout)
    assert new_id and f"updated {schema}" in result.stdout, result.stdout
    assert schema.read_bytes() != before and new_id.group(1) in schema.read_text("utf-8")
    validated = run_cli("validate", "--format", "json", cwd=handbook)
    rules = {d["rule"] for d in json.loads(validated.stdout)["diagnostics"]}
    assert not rules & {"schema-outdated", "schema-suggestions-outdated"}, rules
    written = schema.read_bytes()
    assert run_cli("schema", cwd=handbook).code == 0
    assert schema.read_bytes() == written  # what `handbook schema` writes
