"""The `handbook` command. The only place that prints, reads the clock and picks exit codes.

Exit codes: 0 success, 1 the standards (or the build) failed, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import io
import logging
import math
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from generator.audit.compute import audit
from generator.model.diagnostics import Severity, has_errors
from generator.model.schema import SCHEMA_FILE, SCHEMA_FOLDER, schema_text
from generator.pipeline import InvalidHandbookError, validate
from generator.releases.history import DEFAULT_BRANCH
from generator.report.diagnostics import FORMATS, audit_json, audit_text, format_diagnostics
from generator.source.parsecache import user_store
from generator.system.environment import read_environment
from generator.system.filesystem import FileSystemError, write_whole
from generator.system.programs import MissingProgramError
from generator.text.printable import printable_lines

if TYPE_CHECKING:
    from generator.authoring.newitem import Languages

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what a shell reports for a command stopped by Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    return _run(_parser(), argv, {})


def entry() -> NoReturn:
    """The `handbook` command. After `validate` the process ends at once, as mypy's does:
    freeing a large handbook object by object takes longer than a person waits for nothing
    (0.15 s of 2 s at 10,000 norms). The validation is kept until then so that it is not freed
    on the way out. Every other command ends as usual, so that whatever waits for the end of
    the interpreter (temporary folders, log handlers) still runs."""
    kept: dict[str, object] = {}
    code = _run(_parser(), None, kept)
    if kept:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _run(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, kept: dict[str, object]
) -> int:
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args.kept = kept
    with _guarded_output():
        return _run_guarded(args)


@contextlib.contextmanager
def _guarded_output() -> Iterator[None]:
    """Everything the command writes for a person or a CI log (its reports, its one-line
    errors, MkDocs' log) passes `printable_lines`: text from the standards can hold an escape
    sequence, and no report may hand it to the terminal. JSON is escaped by its writer."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Guarded(sys.stdout), _Guarded(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


class _Guarded(io.TextIOBase):
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable_lines(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding


def _run_guarded(args: argparse.Namespace) -> int:
    # `kill`, a CI job cancelled, a container stopped: unwind like Ctrl-C, so that a build
    # removes its half-written folder and a release drops its scratch branch. Installed inside
    # the `try` and removed before leaving it: a signal between the two statements was an
    # uncaught interrupt (the process then ends by SIGINT, saying nothing).
    try:
        signal.signal(signal.SIGTERM, _interrupted)
        try:
            code: int = args.run(args)
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except KeyboardInterrupt as stop:
        reason = str(stop) or "interrupted"
        print(
            f"handbook {args.command}: {reason}; what was published is as it was", file=sys.stderr
        )
        return EXIT_INTERRUPTED
    except MissingProgramError as missing:
        print(f"handbook {args.command}: {missing}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # Whoever read the output stopped reading (`handbook validate | head`): nothing to
        # say, and nothing more may go to the pipe on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except FileSystemError as problem:
        print(f"handbook {args.command}: {problem}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        # Where no step said what it was doing, the command's own work is what failed.
        print(f"handbook {args.command}: {FileSystemError.of(args.doing, error)}", file=sys.stderr)
        return EXIT_FAILED
    return code


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Service standards as YAML: validate them and publish them as a handbook.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "validate", help="check the standards and report every problem with its location"
    )
    check.add_argument("standards", nargs="?", default="standards", type=Path)
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--today",
        type=_date,
        default=None,
        help="the date that review deadlines are checked against (default: today)",
    )
    check.set_defaults(run=_validate, doing="validating the standards")

    audit = commands.add_parser(
        "audit", help="summarise traceability, coverage and gaps; fails on a traceability error"
    )
    audit.add_argument("standards", nargs="?", default="standards", type=Path)
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.add_argument("--today", type=_date, default=None, help="date reviews are checked against")
    audit.set_defaults(run=_audit, doing="auditing the standards")

    compare = commands.add_parser(
        "diff", help="what changed between two versions of the standards, and what it affects"
    )
    compare.add_argument(
        "old", help="a released version (1.1 or v1.1), a git ref or a standards folder"
    )
    compare.add_argument("new", nargs="?", default=None, help="the same; default: the work tree")
    compare.add_argument("--standards", type=Path, default=Path("standards"))
    compare.add_argument("--format", choices=("markdown", "text", "json"), default="markdown")
    compare.add_argument(
        "-b", "--branch", default=DEFAULT_BRANCH, help="the site branch that records releases"
    )
    compare.set_defaults(run=_diff, doing="comparing the standards")

    release = commands.add_parser(
        "release", help="check, then publish a version of the site with mike (alias latest)"
    )
    release.add_argument("version")
    release.add_argument("--title", default=None, help="the version's title (default: VERSION)")
    release.add_argument(
        "--date", type=_date, default=None, help="publication date recorded (default: today)"
    )
    release.add_argument("--force", action="store_true", help="publish an existing version again")
    release.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    release.add_argument("-b", "--branch", default=DEFAULT_BRANCH, help="the site branch")
    release.set_defaults(run=_release, doing="releasing the site")

    printed = commands.add_parser(
        "pdf", help="print a built site's handbook to one PDF per language (Chromium)"
    )
    printed.add_argument("-d", "--site-dir", type=Path, default=Path("site"))
    printed.add_argument("--out", type=Path, default=Path("pdf"), help="folder for the PDFs")
    printed.set_defaults(run=_pdf, doing="printing the PDF")

    asof = commands.add_parser("asof", help="which norms and parameters were in force on a date")
    asof.add_argument("date", type=_date)
    asof.add_argument("--channel", default=None, help="only this moment of truth")
    asof.add_argument("--format", choices=("text", "json"), default="text")
    asof.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    asof.add_argument("-b", "--branch", default=DEFAULT_BRANCH, help="the site branch")
    asof.set_defaults(run=_asof, doing="reading the release history")

    start = commands.add_parser("init", help="create a new handbook repository in a folder")
    start.add_argument("folder", type=Path)
    start.add_argument("--organisation", default="Our company", help="the company's name")
    start.set_defaults(run=_init, doing="writing the new handbook")

    upgrade = commands.add_parser(
        "upgrade",
        help="make a handbook repository install this generator (vendor/ and requirements.txt)",
    )
    upgrade.add_argument("folder", nargs="?", default=Path(), type=Path)
    upgrade.set_defaults(run=_upgrade)

    new = commands.add_parser(
        "new",
        help="add a value, norm or parameter with the next free id (asks for what is missing)",
    )
    new.add_argument("kind", choices=("value", "norm", "parameter"))
    texts = (
        ("title", "the title"),
        ("statement", "value or norm: the text itself"),
        ("requirement", "parameter: what the employee does"),
        ("rationale", "why"),
        ("metric", "parameter: what its measure counts or observes"),
        ("unit", "parameter: the measure's unit"),
    )
    for field, meaning in texts:
        new.add_argument(
            f"--{field}",
            action="append",
            default=[],
            metavar="[LANG=]TEXT",
            help=f"{meaning}; once per language: TEXT (default language) or LANG=TEXT",
        )
    new.add_argument("--target", type=_target, help="parameter: the value to reach")
    new.add_argument("--min", type=_number, help="parameter: the lowest acceptable value")
    new.add_argument("--max", type=_number, help="parameter: the highest acceptable value")
    new.add_argument("--traces-to", nargs="+", default=[], help="norm: VAL ids; parameter: NRM ids")
    new.add_argument("--channel", nargs="+", default=[], help="norm: channels; parameter: one")
    new.add_argument("--category", help="parameter: its behaviour category")
    new.add_argument("--audience", nargs="+", default=[])
    new.add_argument("--role", nargs="+", default=[], help="the jobs it binds; none: every role")
    new.add_argument("--factor", nargs="+", default=[])
    new.add_argument("--pillar", nargs="+", default=[])
    new.add_argument("--verification", nargs="+", default=[])
    new.add_argument("--owner")
    new.add_argument("--effective", type=_date, default=None)
    new.add_argument("--review", type=_date, default=None)
    new.add_argument("--status", choices=("draft", "active"), default="draft")
    new.add_argument("--standards", type=Path, default=Path("standards"))
    new.set_defaults(run=_new, doing="adding the item")

    owners = commands.add_parser(
        "codeowners", help="write .github/CODEOWNERS from the owners in the standards"
    )
    owners.add_argument("standards", nargs="?", default="standards", type=Path)
    owners.add_argument("--out", type=Path, default=None, help="default: .github/CODEOWNERS")
    owners.set_defaults(run=_codeowners, doing="writing CODEOWNERS")

    schema = commands.add_parser("schema", help="write the JSON Schema for editors")
    schema.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to write to (default: schemas/ beside the standards folder)",
    )
    schema.add_argument(
        "--standards",
        type=Path,
        default=Path("standards"),
        help="the ids of this handbook are offered for completion (if the folder exists)",
    )
    schema.set_defaults(run=_schema, doing="writing the schema")

    render = commands.add_parser(
        "render",
        help="write the handbook as a project per language that MkDocs or Zensical builds",
    )
    render.add_argument("out", type=Path)
    render.add_argument(
        "-f", "--config-file", type=Path, default=None, help="default: mkdocs.yml, if there is one"
    )
    render.add_argument("--standards", type=Path, default=None, help="default: mkdocs.yml's")
    render.add_argument("--templates", type=Path, default=None)
    render.set_defaults(run=_render, doing="writing the pages")

    build = commands.add_parser(
        "build", help="validate, then build the site with MkDocs (or Zensical)"
    )
    build.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("-d", "--site-dir", type=Path, default=None)
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument(
        "--offline", action="store_true", help="a site that works opened from disk (file://)"
    )
    build.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="mkdocs: MkDocs with the handbook plugin; zensical: the project `render` writes, "
        "built by Zensical",
    )
    build.set_defaults(run=_build, doing="building the site")

    serve = commands.add_parser("serve", help="serve the site and rebuild on every YAML edit")
    serve.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(run=_serve, doing="serving the site")
    return parser


def _number(text: str) -> int | float:
    """A measure's number, typed as the YAML will hold it: `3` an integer, `2.5` a decimal."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return number


def _target(text: str) -> int | float | str:
    """A target is a number when it reads as one (`45`), else a text (`every call`)."""
    try:
        return _number(text)
    except argparse.ArgumentTypeError:
        return text


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _validate(args: argparse.Namespace) -> int:
    if not args.standards.is_dir():
        print(f"handbook: no folder {args.standards}", file=sys.stderr)
        return EXIT_USAGE
    validation = validate(
        args.standards,
        today=args.today or dt.date.today(),
        store=user_store(args.standards, read_environment(os.environ)),
    )
    sys.stdout.write(
        format_diagnostics(
            validation.diagnostics,
            validation.loaded.sources,
            args.format,
            files=validation.file_count,
        )
    )
    args.kept["validation"] = validation  # see `entry`
    return EXIT_FAILED if validation.failed(strict=args.strict) else EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    if not args.standards.is_dir():
        print(f"handbook: no folder {args.standards}", file=sys.stderr)
        return EXIT_USAGE
    validation = validate(args.standards, today=args.today or dt.date.today())
    handbook = validation.handbook
    structural = [d for d in validation.loaded.diagnostics if d.severity is Severity.ERROR]
    if handbook is None or structural:
        sys.stderr.write(
            format_diagnostics(
                structural, validation.loaded.sources, "text", files=validation.file_count
            )
        )
        print("handbook: the standards cannot be read, so they cannot be audited", file=sys.stderr)
        return EXIT_FAILED
    result = audit(handbook, today=args.today or dt.date.today())
    title = handbook.settings.title
    name = title if isinstance(title, str) else next(iter(title.values()), "")
    show = audit_json if args.format == "json" else audit_text
    sys.stdout.write(show(result, name))
    return EXIT_OK if result.passed else EXIT_FAILED


def _release(args: argparse.Namespace) -> int:
    from generator.engines.failure import BuildFailedError
    from generator.publish import PublishError, publish

    if not args.config_file.is_file():
        print(f"handbook: no {args.config_file}", file=sys.stderr)
        return EXIT_USAGE
    try:
        outcome = publish(
            args.config_file,
            args.version,
            title=args.title,
            date=args.date or dt.date.today(),
            force=args.force,
            branch=args.branch,
            environment=read_environment(os.environ),
        )
    except PublishError as refused:
        sys.stderr.write(f"handbook: release {args.version} refused: {refused}\n")
        if refused.report:
            sys.stderr.write(refused.report)
        return EXIT_FAILED
    except BuildFailedError as error:
        sys.stderr.write(f"handbook: release {args.version} refused: {error}\n")
        return EXIT_FAILED
    for line in outcome:
        print(line)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from generator.publish import PublishError, standards_at
    from generator.releases.diff import changes_json, changes_markdown, changes_text, diff

    try:
        with (
            standards_at(args.old, args.standards, args.branch) as old,
            standards_at(args.new, args.standards, args.branch) as new,
        ):
            changes = diff(old, new)
    except PublishError as refused:
        print(f"handbook: {refused}", file=sys.stderr)
        if refused.report:
            sys.stderr.write(refused.report)
        return EXIT_FAILED
    old_label, new_label = args.old, args.new or "working tree"
    show = {"markdown": changes_markdown, "text": changes_text, "json": changes_json}
    sys.stdout.write(show[args.format](changes, old_label, new_label))
    return EXIT_OK


def _pdf(args: argparse.Namespace) -> int:
    from generator.engines.pdf import PdfError, print_pdf

    _reproducible_environment(Path("mkdocs.yml"))
    environment = read_environment(os.environ)
    pages = sorted(args.site_dir.glob("*/print/index.html")) or sorted(
        args.site_dir.glob("print/index.html")
    )
    if not pages:
        print(
            f"handbook: no built handbook in {args.site_dir}; run `handbook build`", file=sys.stderr
        )
        return EXIT_USAGE
    for page in pages:
        language = page.parent.parent.name if page.parent.parent != args.site_dir else ""
        name = f"handbook-{language}.pdf" if language else "handbook.pdf"
        try:
            title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
            footer = html.unescape(title.group(1)).strip() if title else language
            written = print_pdf(
                page, args.out / name, footer, environment.chromium, environment.source_date
            )
        except PdfError as error:
            print(f"handbook pdf: {error}", file=sys.stderr)
            return EXIT_FAILED
        print(f"wrote {written} ({written.stat().st_size:,} bytes)")
    return EXIT_OK


def _asof(args: argparse.Namespace) -> int:
    from generator.publish import PublishError, in_force_on

    try:
        answer = in_force_on(args.config_file, args.date, branch=args.branch, channel=args.channel)
    except PublishError as refused:
        print(f"handbook: {refused}", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(answer.as_json() if args.format == "json" else answer.as_text())
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from generator.authoring.newitem import (
        TEXTS,
        Languages,
        NewItemError,
        UsageError,
        add,
        given_texts,
        still_wanted,
    )
    from generator.source.load import read_settings

    kind = args.kind
    languages = Languages.of(read_settings(args.standards))
    options = {field: getattr(args, field) for field in {*TEXTS["value"], *TEXTS["parameter"]}}
    numbers = any(n is not None for n in (args.target, args.min, args.max))
    try:
        texts, measured = given_texts(kind, options, numbers, languages)
    except UsageError as wrong:
        print(f"handbook: {wrong}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    given: dict[str, object] = {
        "traces_to": list(args.traces_to),
        "channel": args.channel[0] if kind == "parameter" and args.channel else None,
        "category": args.category,
    }
    wanted = still_wanted(kind, texts, given, measured, languages)
    if wanted and not sys.stdin.isatty():
        flags = [
            languages.flag(field, language) if language else f"--{field.replace('_', '-')} …"
            for field, language in wanted
        ]
        print(
            f"handbook: a new {kind} needs {', '.join(flags)}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for field, language in wanted:
        label = field.replace("_", " ")
        if language and len(languages.published) > 1:
            label += f" ({language})"
        try:
            answer = _ask(f"{label}: ")
        except EOFError:
            print(f"\nhandbook: no {label} given; nothing was written", file=sys.stderr)
            return EXIT_USAGE
        if language:
            texts[field][language] = answer
        else:
            given[field] = answer.split() if field == "traces_to" else answer
    fields = _new_fields(args, texts, given, measured, languages)
    try:
        written = add(args.standards, kind, fields, today=dt.date.today())
    except NewItemError as refused:
        print(f"handbook: {refused}", file=sys.stderr)
        report = format_diagnostics(
            refused.diagnostics, refused.sources, "text", files=len(refused.sources)
        )
        sys.stderr.write(report)
        return EXIT_FAILED
    print(f"wrote {written.id} to {written.file}:{written.line}")
    for path in written.refreshed:
        print(f"updated {path}, which the new item changed")
    if written.still_to_translate:
        print(f"add its {', '.join(written.still_to_translate)} texts before it is published")
    return EXIT_OK


def _ask(prompt: str) -> str:
    """One answer, asked again until it is not blank."""
    while True:
        answer = input(prompt).strip()
        if answer:
            return answer


def _new_fields(
    args: argparse.Namespace,
    texts: dict[str, dict[str, str]],
    given: dict[str, object],
    measured: bool,
    languages: Languages,
) -> dict[str, object]:
    """The new item's fields, in the order the YAML shows them."""
    from generator.authoring.newitem import text_value

    kind = args.kind
    fields: dict[str, object] = {"title": text_value(texts["title"], languages)}
    if kind in ("value", "norm"):
        fields["statement"] = text_value(texts["statement"], languages)
    else:
        fields["requirement"] = text_value(texts["requirement"], languages)
    fields["rationale"] = text_value(texts["rationale"], languages)
    if kind == "parameter" and measured:
        fields["measure"] = {
            "metric": text_value(texts["metric"], languages),
            "unit": text_value(texts["unit"], languages),
            "target": args.target,
            "min": args.min,
            "max": args.max,
        }
    if kind != "value":
        fields["traces_to"] = given["traces_to"]
    if kind == "norm":
        fields.update(channels=args.channel, audiences=args.audience, factors=args.factor)
    if kind == "parameter":
        fields.update(channel=given["channel"], category=given["category"])
        fields["verification"] = args.verification
    if kind != "value":
        fields["roles"] = args.role
    if kind == "value":
        fields["pillars"] = args.pillar
    fields["owner"] = args.owner
    fields["status"] = args.status
    if kind != "value":
        fields["effective"] = args.effective.isoformat() if args.effective else None
    if kind == "norm":
        fields["review"] = args.review.isoformat() if args.review else None
    return fields


def _init(args: argparse.Namespace) -> int:
    from generator.authoring.scaffold import ScaffoldError, init

    try:
        written = init(args.folder, args.organisation)
    except ScaffoldError as refused:
        print(f"handbook: {args.folder} already has a handbook; {refused}", file=sys.stderr)
        return EXIT_FAILED
    for path in written:
        print(f"wrote {path}")
    print(
        f"\nA new handbook is in {args.folder}/. Next:\n"
        f"  cd {args.folder}\n"
        "  handbook validate      # check the standards\n"
        "  handbook serve         # see the site, live, at http://127.0.0.1:8000\n"
        "  handbook new norm …    # add a rule (see handbook new --help)"
    )
    return EXIT_OK


def _upgrade(args: argparse.Namespace) -> int:
    from generator.authoring.vendoring import write_install

    if not (args.folder / "mkdocs.yml").is_file():
        print(f"handbook: {args.folder} holds no handbook (no mkdocs.yml)", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = write_install(args.folder)
    except OSError as failed:
        print(f"handbook: cannot write {failed.filename}: {failed.strerror}", file=sys.stderr)
        return EXIT_FAILED
    for path in written:
        print(f"wrote {path}")
    print("Commit both: from then on CI installs this generator, pinned by hash.")
    return EXIT_OK


def _codeowners(args: argparse.Namespace) -> int:
    from generator.rules.codeowners import LOCATION, codeowners
    from generator.source.load import load_handbook

    loaded = load_handbook(args.standards)
    if loaded.handbook is None or has_errors(loaded.diagnostics):
        sys.stderr.write(
            format_diagnostics(
                loaded.diagnostics, loaded.sources, "text", files=len(loaded.sources)
            )
        )
        return EXIT_FAILED
    made = codeowners(loaded.handbook, args.standards.resolve().name)
    if made.problems:
        sys.stderr.write(
            format_diagnostics(
                list(made.problems), loaded.sources, "text", files=len(loaded.sources)
            )
        )
        print("handbook: CODEOWNERS was not written", file=sys.stderr)
        return EXIT_FAILED
    out = args.out or args.standards.resolve().parent / LOCATION
    out.parent.mkdir(parents=True, exist_ok=True)
    write_whole(out, made.text)
    print(f"wrote {out}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    handbook = None
    if args.standards.is_dir():
        from generator.source.load import load_handbook

        loaded = load_handbook(args.standards)
        # What failed to load would be missing from the schema: the editor would underline
        # what the standards declare.
        if loaded.handbook is None or has_errors(loaded.diagnostics):
            sys.stderr.write(
                format_diagnostics(
                    loaded.diagnostics, loaded.sources, "text", files=len(loaded.sources)
                )
            )
            return EXIT_FAILED
        handbook = loaded.handbook
    out = args.out or args.standards.resolve().parent / SCHEMA_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    target = out / SCHEMA_FILE
    write_whole(target, schema_text(handbook))
    print(f"wrote {target}")
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    from generator.engines.failure import BuildFailedError
    from generator.engines.markdown.project import ProjectError, render_project
    from generator.engines.mkdocs.project import read_site
    from generator.site.collisions import CollisionError
    from generator.site.render import PageTemplateError

    if args.templates is not None and not args.templates.is_dir():
        print(f"handbook: --templates {args.templates}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    config_file = args.config_file
    if config_file is None and Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml")
    if config_file is not None and not config_file.is_file():
        print(f"handbook: no {config_file}", file=sys.stderr)
        return EXIT_USAGE
    if config_file is not None:
        _reproducible_environment(config_file)
    try:
        site = read_site(config_file, args.standards, args.templates)
        languages = render_project(site, args.out, today=read_environment(os.environ).audit_date())
    except (CollisionError, ProjectError, PageTemplateError) as refused:
        print(f"handbook render: {refused}", file=sys.stderr)
        return EXIT_FAILED
    except BuildFailedError as wrong:  # MkDocs has said what, above
        print(f"handbook render: {wrong}", file=sys.stderr)
        return EXIT_FAILED
    except InvalidHandbookError as invalid:
        validation = invalid.validation
        sys.stderr.write(
            format_diagnostics(
                validation.diagnostics,
                validation.loaded.sources,
                "text",
                files=validation.file_count,
            )
        )
        return EXIT_FAILED
    projects = ", ".join(f"{args.out / language}/mkdocs.yml" for language in languages)
    print(f"wrote {projects}: build each with `mkdocs build -f` or `zensical build -f`")
    return EXIT_OK


def _reproducible_environment(config_file: Path) -> None:
    """Date the build by the last commit, so the same commit builds the same bytes.

    MkDocs stamps the sitemap with the build date unless SOURCE_DATE_EPOCH is set.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=config_file.resolve().parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return
    if stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp


def _mkdocs_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")


def _build(args: argparse.Namespace) -> int:
    from generator.engines.failure import BuildFailedError
    from generator.engines.mkdocs.build import build_site

    if not args.config_file.is_file():
        print(f"handbook: no {args.config_file}", file=sys.stderr)
        return EXIT_USAGE
    if args.engine == "zensical":
        return _build_with_zensical(args)
    _mkdocs_logging()
    _reproducible_environment(args.config_file)
    try:
        site = build_site(
            args.config_file,
            strict=args.strict,
            site_dir=args.site_dir,
            languages=_languages(args.config_file),
            offline=args.offline,
        )
    except BuildFailedError as error:
        print(f"handbook: build failed, the previous site is unchanged: {error}", file=sys.stderr)
        return EXIT_FAILED
    except FileSystemError as problem:  # a full disk, a folder it may not write to …
        print(
            f"handbook build: build failed, the previous site is unchanged: "
            f"{problem.path}: {problem.reason}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    index = site / "index.html"
    print(f"built {site}/ — open {index.resolve().as_uri()} or run `handbook serve`")
    return EXIT_OK


def _build_with_zensical(args: argparse.Namespace) -> int:
    from generator.engines.failure import BuildFailedError
    from generator.engines.markdown.project import ProjectError
    from generator.engines.mkdocs.project import read_site
    from generator.engines.zensical.build import build_with_zensical, require_zensical
    from generator.report.diagnostics import as_text
    from generator.site.collisions import CollisionError
    from generator.site.render import PageTemplateError

    if args.offline:
        print("handbook build: --offline is built by MkDocs alone", file=sys.stderr)
        return EXIT_USAGE
    require_zensical()
    _reproducible_environment(args.config_file)
    failed = "handbook: build failed, the previous site is unchanged"
    try:
        site = read_site(args.config_file)
        built = build_with_zensical(
            site,
            target=args.site_dir or site.site_dir,
            today=read_environment(os.environ).audit_date(),
            strict=args.strict,
        )
    except InvalidHandbookError as invalid:
        validation = invalid.validation
        report = as_text(
            validation.diagnostics, validation.loaded.sources, files=validation.file_count
        )
        print(f"{failed}: The handbook's standards have errors:\n\n{report}", file=sys.stderr)
        return EXIT_FAILED
    except (BuildFailedError, CollisionError, PageTemplateError, ProjectError) as error:
        print(f"{failed}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except FileSystemError as problem:
        print(
            f"handbook build: build failed, the previous site is unchanged: "
            f"{problem.path}: {problem.reason}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    for language, said in built.said:
        for line in said.splitlines():
            print(f"zensical ({language}): {line}", file=sys.stderr)
    index = built.site / "index.html"
    print(f"built {built.site}/ with Zensical — open {index.resolve().as_uri()}")
    return EXIT_OK


def _languages(config_file: Path) -> tuple[str, ...]:
    """The handbook's languages, default first; () when the standards cannot be read (the
    build itself then reports why)."""
    from generator.engines.mkdocs.project import standards_folder
    from generator.source.load import read_settings

    settings = read_settings(standards_folder(config_file))
    return settings.published if settings is not None else ()


def _serve(args: argparse.Namespace) -> int:
    from generator.engines.failure import BuildFailedError
    from generator.engines.mkdocs.serve import serve

    _mkdocs_logging()
    try:
        serve(args.config_file, args.dev_addr)
    except BuildFailedError as error:
        print(f"handbook: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    entry()
