"""Render: the model to Markdown pages (and their downloads) through Jinja templates.

Every page is a pure function of the handbook and the audit date, so the same YAML gives
byte-identical output. What goes on which page is decided in `pages.py` and `auditpages.py`;
this module runs the templates.

The large, regular parts of a page (a norm's body, tables of parameters, lists of links) are
HTML blocks (`_blocks.html.j2`): the Markdown page holds a placeholder paragraph for each, and
the block is rendered when the page's HTML is assembled (`Rendered.html`). Python-Markdown
spent most of a large build re-reading such tables cell by cell; headings stay Markdown, so
the table of contents and permalinks are MkDocs' own. A block is rendered only when its page
is written, so the whole site's HTML is never in memory at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import secrets
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.debug
import markupsafe

from generator.audit.exports import manifest_json
from generator.model.diagnostics import Diagnostic
from generator.model.items import Handbook, Parameter
from generator.model.trace import link
from generator.releases.history import ReleaseContext
from generator.site import folders
from generator.site.auditpages import (
    DOWNLOADS,
    MANIFEST,
    downloads,
    exports,
    heat,
    manifest_hash,
    role_pdf,
    score,
    wrap,
)
from generator.site.changespage import print_value_page, release_files
from generator.site.collisions import CollisionError, collisions
from generator.site.i18n import translations
from generator.site.kinds.base import Facts, PageKind
from generator.site.kinds.catalogue import KINDS
from generator.site.pages import (
    NavEntry,
    NormView,
    Page,
    Planner,
    root_prefix,
    site_file,
)
from generator.speed.blockfile import copy_bytes
from generator.text import mdtext
from generator.text.printable import printable

ASSETS = ("handbook.css", "handbook.js")
BLOCKS = "_blocks.html.j2"

Block = Callable[[], str]


class BlockError(Exception):
    """A page's HTML lost or repeated one of its blocks: a template put `block(…)` where
    Markdown does not make it a paragraph of its own (inside raw HTML or a code block)."""


class PageTemplateError(Exception):
    """A template (the project's own, from its `templates:` folder, or one of ours) that
    cannot make a page: said as the template's file and line, Jinja's reason and the page, as
    any other mistake in the project's files is, and never as a traceback."""


def _template_failure(error: jinja2.TemplateError, making: str) -> PageTemplateError:
    where = ""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.lineno:
        where = f"{error.filename or error.name}:{error.lineno}: "
    else:  # Jinja writes the template's own lines into the traceback
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".j2")
        ]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}: "
    reason = printable(error.message or type(error).__name__)
    return PageTemplateError(
        f"{where}{reason} (making {making}); correct the template, or remove it from the "
        "project's templates folder to use the built-in one"
    )


class Blocks:
    """The HTML blocks of one page, in the order its template placed them.

    A placeholder is a paragraph of its own holding a per-render random token, so no text from
    YAML can stand for one: the reader sees the text, never a block in its place.
    """

    def __init__(self, token: str, root: str, prefix: str, page: str = "") -> None:
        self.token = token
        self.root = root
        self.prefix = prefix
        self.page = page
        self.calls: list[Block] = []

    def add(self, macro: Callable[..., str], *arguments: Any) -> markupsafe.Markup:
        self.calls.append(
            functools.partial(_placed, self.root, self.prefix, macro, arguments, self.page)
        )
        return markupsafe.Markup(f"\n\n{self.token}-{len(self.calls) - 1}\n\n")


def _placed(
    root: str, prefix: str, macro: Callable[..., str], arguments: Sequence[Any], page: str
) -> str:
    """A block's HTML on its page: its links from the site's root made relative to the page
    (`Planner.href_from_root`)."""
    try:
        made = str(macro(*arguments))
    except jinja2.TemplateError:
        # Called from Python, not from a template's render(): Jinja has not yet put the
        # template's own lines into the traceback, as render() does.
        rewritten = jinja2.debug.rewrite_traceback_stack()
        assert isinstance(rewritten, jinja2.TemplateError)
        raise _template_failure(rewritten, f"a block of {page}") from None
    return made.replace(root, prefix)


def _unknown(path: str) -> None:
    return None


@dataclass(frozen=True)
class ExportSources:
    """Where the large exports come from when they are made while the site builds: a folder
    to make them in here, and what a helper process already made (its result file and size),
    if one is at work on them."""

    folder: Callable[[], Path]
    file: Callable[[str], tuple[Path, int] | None] = _unknown
    size: Callable[[str], int | None] = _unknown


class Later:
    """The large exports, made while the site builds rather than before it.

    `files` holds an empty placeholder for each (MkDocs copies it; the plugin writes the real
    file after the last page, `write`), and a page shows each one's size as a token that `fill`
    replaces when the page is written. An export is a file: the one its `sources` give (a
    helper process's result), or else one made here, written a piece at a time into their
    folder (the JSON export alone is 50 MB at 10,000 norms).
    """

    def __init__(
        self,
        makers: Mapping[str, Callable[[], bytes | Iterable[bytes]]],
        describe: Callable[[int], str],
        token: str,
        sources: ExportSources,
    ) -> None:
        self.makers = dict(makers)
        self.paths = list(makers)
        self.describe = describe
        self.token = token
        self.sources = sources
        self.made: dict[str, tuple[Path, int]] = {}

    def file(self, path: str) -> tuple[Path, int]:
        """The file that holds the export at its start, and the export's length."""
        if path not in self.made:
            found = self.sources.file(path)
            if found is None:
                target = self.sources.folder() / f"export-{self.paths.index(path)}"
                made = self.makers[path]()
                with target.open("wb") as out:
                    for chunk in [made] if isinstance(made, bytes) else made:
                        out.write(chunk)
                found = (target, target.stat().st_size)
            self.made[path] = found
        return self.made[path]

    def size(self, path: str) -> int:
        if path in self.made:
            return self.made[path][1]
        known = self.sources.size(path)
        return known if known is not None else self.file(path)[1]

    def write(self, path: str, target: Path) -> None:
        """Write the export over its placeholder in the site, a piece at a time."""
        source, length = self.file(path)
        with source.open("rb") as made, target.open("wb") as out:
            copy_bytes(made, out, length)

    def has_sizes(self, text: str) -> bool:
        return f"{self.token}-size-" in text

    def size_token(self, path: str) -> markupsafe.Markup:
        return markupsafe.Markup(f"{self.token}-size-{self.paths.index(path)}")

    def fill(self, text: str) -> str:
        def size(match: re.Match[str]) -> str:
            path = self.paths[int(match.group(1))]
            return str(markupsafe.escape(self.describe(self.size(path))))

        return re.sub(rf"{self.token}-size-(\d+)", size, text)


def _check_placed(path: str, blocks: int, placed: list[int]) -> None:
    if placed != list(range(blocks)):
        raise BlockError(
            f"{path}: {blocks} HTML blocks, {len(placed)} found in place; put each "
            "`block(…)` on a line of its own, outside raw HTML and code blocks"
        )


@dataclass(frozen=True)
class Rendered:
    """The generated pages (path → Markdown), their HTML blocks (path → blocks, rendered on
    demand), other generated files (path → bytes: downloads, the stylesheet) and the
    navigation that orders the pages."""

    pages: Mapping[str, str]
    files: Mapping[str, bytes]
    nav: list[NavEntry]
    blocks: dict[str, Sequence[Block]]
    token: str
    later: Later | None = None
    directory_urls: bool = True
    costs: Mapping[str, int] = dataclasses.field(default_factory=dict)
    """Each page's rows (`paging.py` units), in the order MkDocs writes the pages: what its
    HTML blocks cost to make."""
    unlisted: frozenset[str] = frozenset()
    """Pages reached from other pages, not from the navigation (a list's later pages)."""
    unsearched: frozenset[str] = frozenset()
    """Pages search does not index: an engine may write their HTML blocks after the page."""
    documents: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """The PDFs to print (path in the site → the pages printed into it, in order)."""

    def html(
        self, path: str, converted: str, made: Sequence[str] | None = None, *, fill: bool = True
    ) -> str:
        """The page's HTML: what Markdown made of the page, each placeholder paragraph
        replaced by its block (`made`: the blocks a helper process rendered, see helper.py),
        and with `fill`, the sizes of the exports written in (`Later.fill`)."""
        if self.later is not None and fill:
            converted = self.later.fill(converted)
        blocks = self.blocks.get(path, ())
        if not blocks:
            return converted
        if made is not None and len(made) != len(blocks):
            made = None
        placed: list[int] = []

        def swap(match: re.Match[str]) -> str:
            index = int(match.group(1))
            placed.append(index)
            if index >= len(blocks):
                return match.group(0)
            return made[index] if made is not None else blocks[index]()

        html = re.sub(rf"<p>{self.token}-(\d+)</p>", swap, converted)
        _check_placed(path, len(blocks), placed)
        return html

    def last_pages(self, share: float) -> list[str]:
        """The pages with HTML blocks that MkDocs writes last, holding `share` of the rows of
        all of them: a helper process makes their blocks while MkDocs writes the others."""
        paths = [path for path in self.costs if self.blocks.get(path)]
        total = sum(self.costs[path] for path in paths)
        taken: list[str] = []
        made = 0
        for path in reversed(paths):
            if made >= share * total:
                break
            taken.append(path)
            made += self.costs[path]
        return taken[::-1]

    def let_go(self, path: str) -> None:
        """Forget the page's blocks once its HTML is made: what they hold (the views of
        thousands of norms and parameters) is freed page by page, not at the end of the build."""
        self.blocks.pop(path, None)

    def shell(self, path: str, converted: str, *, fill: bool = True) -> str:
        """The page's HTML with each block's placeholder paragraph left in place, for a page
        whose blocks go straight into its written file (`blockfile.splice`)."""
        if self.later is not None and fill:
            converted = self.later.fill(converted)
        placed = [int(index) for index in re.findall(rf"<p>{self.token}-(\d+)</p>", converted)]
        _check_placed(path, len(self.blocks.get(path, ())), placed)
        return converted

    def markdown(self, path: str) -> str:
        """The page as Markdown that stands alone, for `handbook render`: each block written
        in as raw HTML, its links as the built site has them, relative to the page's address
        (`_placed`). No engine rewrites a link inside raw HTML, as it does a Markdown link to a
        Markdown file; a tool that reads Markdown inside HTML would find text escaped for HTML
        only."""
        blocks = self.blocks.get(path, ())
        markdown = re.sub(
            rf"^{self.token}-(\d+)$",
            lambda match: blocks[int(match.group(1))]().strip(),
            self.pages[path],
            flags=re.MULTILINE,
        )
        return self.later.fill(markdown) if self.later is not None else markdown


class _Once:
    """`once(macro, arguments…)`: a macro's HTML made once per page for the same arguments,
    for the small pieces a large page repeats thousands of times (a badge)."""

    def __init__(self) -> None:
        self.made: dict[tuple[object, tuple[object, ...]], str] = {}

    def __call__(self, macro: Callable[..., str], *arguments: object) -> str:
        key = (macro, arguments)
        try:
            return self.made[key]
        except KeyError:
            self.made[key] = made = macro(*arguments)
            return made
        except TypeError:  # an argument that cannot be a key (a list): made each time
            return macro(*arguments)


class CompiledTemplates:
    """Compiled templates kept for the life of `mkdocs serve`: each rebuild makes its Jinja
    environments anew (MkDocs its theme's, the handbook two), and compiling some sixty
    templates again took a quarter of a second of every rebuild. One store per kind of
    environment, since an environment's settings shape the code compiled; a template whose
    source changed is compiled again (Jinja checks each entry against its source)."""

    def __init__(self) -> None:
        self._stores: dict[str, _MemoryBytecodeCache] = {}

    def store(self, kind: str) -> jinja2.BytecodeCache:
        return self._stores.setdefault(kind, _MemoryBytecodeCache())


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def make_environment(
    override: Path | None,
    *,
    html: bool = False,
    compiled: CompiledTemplates | None = None,
) -> jinja2.Environment:
    """Templates from the project's override folder first, then the package's own. Page
    templates write Markdown; `html` makes the environment of the HTML blocks, whose output
    Markdown never reads, so it escapes for HTML alone."""
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.FileSystemLoader(str(folders.TEMPLATES)))
    environment = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=mdtext.finalize_html if html else mdtext.finalize,
        autoescape=True,  # with `finalize`: text is escaped once, for Markdown and HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=compiled.store("html" if html else "markdown") if compiled else None,
        # An environment lives for one render (`mkdocs serve` makes new ones for a rebuild):
        # no need to look at each template file again for each of thousands of pages.
        auto_reload=False,
    )
    environment.policies["ext.i18n.trimmed"] = True
    environment.filters["paragraphs"] = mdtext.paragraphs
    # For text from YAML passed into a translated sentence: escaped like any printed text.
    environment.filters["md"] = mdtext.finalize_html if html else mdtext.finalize
    environment.filters["html"] = mdtext.html
    environment.filters["wrap"] = wrap
    environment.globals["anchor"] = mdtext.anchor
    environment.globals["heat"] = heat
    return environment


def render_handbook(
    handbook: Handbook,
    *,
    today: dt.date,
    override: Path | None = None,
    language: str | None = None,
    releases: ReleaseContext | None = None,
    pdf: bool = False,
    directory_urls: bool = True,
    exports_later: ExportSources | None = None,
    compiled: CompiledTemplates | None = None,
    checked: Sequence[Diagnostic] | None = None,
    kinds: Sequence[PageKind] = KINDS,
    files_at_addresses: bool = False,
) -> Rendered:
    """Every generated page and file of the handbook in one language (by default its default
    one). `today` dates the audit section, so the same day always gives the same site;
    `directory_urls` is MkDocs' setting of that name, which decides the links in HTML blocks;
    `exports_later` leaves the large exports to be made while the site builds (`Later`);
    `compiled` keeps the compiled templates from one call to the next; `checked` is what
    `check` found in the handbook on `today`, if it was checked already; `kinds` are the page
    kinds to make (`site/kinds/catalogue.py`); `files_at_addresses` links the pages as files
    that stand where their HTML is built (`pages.page_file`)."""
    lang = language or handbook.settings.default_language
    messages = translations(lang)
    planner = Planner(
        handbook,
        link(handbook),
        lang,
        messages,
        directory_urls=directory_urls,
        today=today,
        files_at_addresses=files_at_addresses,
    )
    environment = make_environment(override, compiled=compiled)
    html_environment = make_environment(override, html=True, compiled=compiled)
    for env in (environment, html_environment):
        env.install_gettext_translations(messages, newstyle=True)  # type: ignore[attr-defined]
        env.filters["t"] = planner.marked_text
        env.globals.update(
            term=planner.term,
            date=planner.date,
            number=planner.number,
            measure=planner.measure,
            score=functools.partial(_scored, planner, {}),
            state=planner.state,
            overdue=planner.overdue,
            has_roles=bool(handbook.taxonomy.get("roles")),
            print_value=print_value_page,
        )
    files = {f"assets/{name}": _asset(name) for name in ASSETS}
    token = "hb" + secrets.token_hex(12)
    later = None
    if exports_later is not None:
        makers = exports(handbook, lang, today)
        later = Later(
            makers,
            lambda size: planner._("%(size)s bytes") % {"size": planner.number(size)},
            token,
            exports_later,
        )
        files.update(dict.fromkeys(makers, b""))
        files[MANIFEST] = manifest_json(handbook)
    else:
        files.update(downloads(handbook, lang, today))
    history = releases or ReleaseContext((), None, None, None)
    published = manifest_hash(files)
    files.update(release_files(history, published))
    facts = Facts(
        planner=planner,
        history=history,
        files=files,
        published=published,
        today=today,
        pdf=pdf,
        later=later.paths if later is not None else (),
        checked=checked,
    )
    plan = [page for kind in kinds for page in kind.pages(facts)]
    _refuse_collisions(plan, files, directory_urls)
    documents = _documents(planner, plan) if pdf else {}
    pages: dict[str, str] = {}
    blocks: dict[str, Sequence[Block]] = {}
    # One module for every page: its links are made from the root (`href_from_root`), so a
    # badge or a row is the same HTML on every page, and made once.
    root = f"{token}-root/"
    href = planner.href_from_root(root)
    try:
        html_blocks = html_environment.get_template(BLOCKS)
        shared = html_blocks.make_module({"url": href, "once": _Once()})
    except jinja2.TemplateError as error:
        raise _template_failure(error, "the HTML blocks") from None
    for page in plan:
        placed = Blocks(token, root, root_prefix(page.path, directory_urls), page.path)
        context: dict[str, Any] = {
            "handbook": handbook,
            "settings": handbook.settings,
            "page_path": page.path,
            "url": planner.url_from(page.path),
            "h": shared,
            "href": href,
            "block": placed.add,
            "later_size": later.size_token if later is not None else _no_later_file,
            "first_rows": _first_rows(page),
            "pdf": None,
            **page.context,
        }
        try:
            made = environment.get_template(page.template).render(context)
        except jinja2.TemplateError as error:
            raise _template_failure(error, page.path) from None
        pages[page.path] = _front_matter(page) + _tidy(made)
        if placed.calls:
            blocks[page.path] = tuple(placed.calls)
    nav = [entry for kind in kinds for entry in kind.navigation(facts)]
    return Rendered(
        pages=pages,
        files=files,
        nav=nav,
        blocks=blocks,
        token=token,
        later=later,
        directory_urls=directory_urls,
        costs={page.path: _cost(page) for page in plan},
        unlisted=frozenset(page.path for page in plan if not page.listed),
        unsearched=frozenset(page.path for page in plan if not page.searched),
        documents=documents,
    )


def _refuse_collisions(
    plan: Sequence[Page], files: Mapping[str, bytes], directory_urls: bool
) -> None:
    """Two pages of the plan at one address would leave one of them unpublished, without a
    word (`validate` refuses the ids that would do it: `reserved-id`)."""
    found = collisions(
        [
            *((site_file(page.path, directory_urls), f"the page {page.path}") for page in plan),
            *((path, f"the file {path}") for path in files),
        ]
    )
    if found:
        raise CollisionError(found, "Each page the handbook makes needs a place of its own.")


def _documents(planner: Planner, plan: Sequence[Page]) -> dict[str, tuple[str, ...]]:
    """The PDFs a release prints, each as the pages it is printed from, in order: the whole
    handbook from the print pages, and each job's rules from its role's pages."""
    documents = {
        f"{DOWNLOADS}/handbook.pdf": tuple(
            page.path for page in plan if page.path.startswith("print/")
        )
    }
    for role in planner.role_bindings():
        first = f"roles/{role}.md"
        documents[role_pdf(role)] = tuple(
            page.path
            for page in plan
            if page.path == first or page.path.startswith(f"roles/{role}/")
        )
    return documents


def _first_rows(page: Page) -> dict[str, str]:
    """Each parameter in the page's norm bodies, with the norm under which its row comes
    first. An element id is given once on a page: a parameter serving two norms shown on the
    same page has its id on the first row, and its later rows link to that one."""
    first: dict[str, str] = {}
    for part in page.context.get("parts", ()):
        for row in part.rows:
            if isinstance(row, NormView):
                for group in row.by_channel:
                    for parameter in group.parameters:
                        first.setdefault(parameter.id, row.norm.id)
    return first


def _scored(planner: Planner, made: dict[str, str], parameter: Parameter) -> str:
    """A checklist line's scoring, made once per parameter (it is on several checklists)."""
    if parameter.id not in made:
        made[parameter.id] = score(planner, parameter)
    return made[parameter.id]


def _cost(page: Page) -> int:
    """A page's rows, a norm shown with its parameters counting one and one per parameter."""
    cost = 1
    for part in page.context.get("parts", ()):
        for row in part.rows:
            if isinstance(row, NormView):
                cost += 1 + sum(len(group.parameters) for group in row.by_channel)
            elif isinstance(row, tuple) and len(row) > 1 and isinstance(row[1], tuple):
                cost += 1 + len(row[1])
            else:
                cost += 1
    return cost


def _no_later_file(path: str) -> markupsafe.Markup:
    raise ValueError(f"{path} is not made while the site builds")


def _asset(name: str) -> bytes:
    return (folders.ASSETS / name).read_bytes()


def _front_matter(page: Page) -> str:
    """The page title as MkDocs metadata, HTML-escaped.

    MkDocs and Material treat page titles as HTML: the navigation prints them as they are, and
    the browser tab title goes through `striptags`, which un-escapes entities. A title from
    `meta.title` is printed as given in both places, so escaping it here once keeps a title
    such as `</title><script>` inert everywhere. JSON strings are valid YAML scalars.
    """
    fields = {"title": str(markupsafe.escape(page.title)), **page.meta}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _tidy(markdown: str) -> str:
    """Templates leave blank-line runs where optional parts were skipped; fold them."""
    text = re.sub(r"\n{3,}", "\n\n", markdown.strip())
    return text + "\n"
