"""The MkDocs plugin: `plugins: [handbook]` turns `standards/` into pages of the site.

It is thin on purpose: it calls the same pipeline as the CLI, adds the rendered pages as
virtual files, puts their navigation before the hand-written pages, and watches the YAML
and the template overrides so that `mkdocs serve` reloads on every edit.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import jinja2
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import TemplateContext

from generator.engines.mkdocs.deferred import Deferred
from generator.engines.mkdocs.searchindex import (
    SEARCH_INDEX,
    add_entry,
    can_write,
    index_for_search,
    searchable,
    write_index,
)
from generator.model.diagnostics import Diagnostic, Rule, Severity
from generator.model.items import Handbook
from generator.pipeline import InvalidHandbookError, valid_handbook, validate
from generator.releases.context import release_context
from generator.releases.history import (
    DEFAULT_BRANCH,
)
from generator.report.diagnostics import as_text
from generator.site.auditpages import exports
from generator.site.captions import CaptionExtension
from generator.site.changespage import PRINT_PAGE
from generator.site.collisions import CollisionError, collisions
from generator.site.folders import THEME, asset_text
from generator.site.i18n import SOURCE_LANGUAGE as DEFAULT_LANGUAGE
from generator.site.i18n import translations
from generator.site.pages import site_url
from generator.site.render import (
    BlockError,
    CompiledTemplates,
    ExportSources,
    Later,
    PageTemplateError,
    Rendered,
    render_handbook,
)
from generator.site.sitepages import NOT_FOUND, build_root, language_name, script, words
from generator.source.load import LoadedFile
from generator.source.parsecache import user_store
from generator.speed import blockfile
from generator.speed.blockfile import BlockFile
from generator.speed.filecache import FileCache
from generator.speed.helper import Helper, may_fork, private_folder, return_free_memory
from generator.system.environment import Environment, read_environment
from generator.text.mdtext import css_string
from generator.text.printable import printable

log = get_plugin_logger(__name__)
STYLESHEET = "assets/handbook.css"
SCRIPT = "assets/handbook.js"
SEARCH_LANGUAGES: dict[str, tuple[list[str], list[str]]] = {
    # lunr languages and the pipeline steps kept. Material adds a wildcard to every word typed,
    # which makes lunr skip stemming; `search-stemming.js`, run in the search worker, stems
    # the typed word itself. A lunr language's trimmer keeps only its own letters: Russian's
    # drops every Latin letter and digit, Turkish's every digit, so ids (NRM-012) and names
    # written in Latin script (Meridian) were never indexed. English joins each language as a
    # second one (lunr's multi-language mode): its trimmer keeps Latin letters and digits, and
    # its stemmer leaves Cyrillic alone. Latvian has no lunr support at all: nothing English is
    # applied to it (the English trimmer would even cut letters such as ā and š off the ends
    # of words), so Latvian words are matched by their beginning.
    "en": (["en"], ["trimmer", "stopWordFilter", "stemmer"]),
    "ru": (["ru", "en"], ["trimmer", "stopWordFilter", "stemmer"]),
    "tr": (["tr", "en"], ["trimmer", "stopWordFilter", "stemmer"]),
    "lv": (["en"], []),
}
SEARCH_WORKER = "assets/javascripts/workers/handbook-search.js"


# The pages MkDocs writes last (after the values, channels and categories): their blocks are
# rendered by a helper process meanwhile (helper.py).
Unindexed = tuple[Page, str, dict[str, Any]]
"""A page, its content and its `search` metadata as they were when it would have been indexed."""

HELPER_SHARE = 0.65
"""The share of the pages' HTML blocks (by their rows) the blocks helper makes: those of the
pages MkDocs writes last. More than half, because this process also validates, renders the
Markdown, and converts, themes, indexes and writes every page (measured at 10,000 norms)."""


class HandbookConfig(Config):
    standards = c.Type(str, default="standards")
    """Folder of the handbook's YAML, relative to mkdocs.yml."""
    templates = c.Optional(c.Type(str))
    """Folder of templates that override the built-in ones, relative to mkdocs.yml."""
    site_branch = c.Type(str, default=DEFAULT_BRANCH)
    """The git branch mike publishes versions to; the release history is read from it."""


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        self.files: FileCache[LoadedFile] = FileCache()
        """Each standards file as last read: a rebuild reads again only the files that changed."""
        self.rendered: Rendered | None = None
        self.helpers: list[Helper] = []
        """Processes that make the large exports and the last pages' HTML blocks meanwhile."""
        self.blocks_helper: Helper | None = None
        self.exports_helper: Helper | None = None
        self.scratch: tuple[Path, int] | None = None
        """This build's folder for block files, and its lock (`helper.private_folder`)."""
        self.pending: list[tuple[Path, BlockFile]] = []
        """Written pages whose blocks are spliced in after the last page (`blockfile.py`)."""
        self.command: str | None = None
        self.compiled = CompiledTemplates()
        """Templates compiled by earlier builds of `mkdocs serve` (theme and handbook)."""
        self.unindexed: list[Unindexed] = []
        """Under `mkdocs serve`, the pages of this build not yet indexed for search."""
        self.serving = False
        """Whether MkDocs' server completes what a build defers (see `_deferring`)."""
        self.deferred = Deferred()
        """Under `mkdocs serve`, what each build leaves to be made when first requested."""
        self.search_written: Any = None
        """Material's search plugin, whose index this plugin wrote at the end of the build."""
        self.directory_urls = True
        """MkDocs' `use_directory_urls` as the pages were rendered with it."""
        self.language: str | None = None
        self.environment = Environment()
        """What the process environment asked of this build, read once in `on_config`."""
        self.translated: tuple[str, ...] = ()
        """The languages other than the default: `docs/<lang>/` holds their hand-written pages."""

    def _path(self, config: MkDocsConfig, relative: str) -> Path:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return base / relative

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin, and its cache of files, from one rebuild of
        `mkdocs serve` to the next instead of making a new one each time."""
        self.command = command

    # Before the search plugin reads its language: this build's language is decided here.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._deferring():
            self.deferred.start_build()  # until on_post_build or on_build_error
        if self.search_written is not None:  # the previous build of `mkdocs serve` wrote it
            self.search_written.config["enabled"] = True
            self.search_written = None
        # Validation runs here, before MkDocs empties the site folder, so that a handbook with
        # errors leaves the previously built site untouched.
        standards = self._path(config, self.config.standards)
        templates = self._path(config, self.config.templates) if self.config.templates else None
        if templates is not None and not templates.is_dir():
            # Jinja would look in the missing folder and silently use the built-in templates.
            raise PluginError(
                f"the handbook plugin's `templates: {self.config.templates}` in "
                f"{config.config_file_path or 'mkdocs.yml'} names no folder ({templates} "
                "does not exist); create it, or correct or remove the setting"
            )
        # `handbook build` and `handbook release` build each language on its own and say which.
        self.environment = environment = read_environment(os.environ)
        language = environment.language
        self.directory_urls = _directory_urls(config)
        try:
            validation = validate(
                standards,
                today=environment.audit_date(),
                # Only `mkdocs serve` validates again; a single build need not keep every file,
                # and parses as `handbook validate` does: on both cores, keeping what it parsed.
                cache=self.files if self.command == "serve" else None,
                store=user_store(standards, environment) if self.command != "serve" else None,
            )
            handbook = valid_handbook(validation)
            # The exports need the model alone: forked before the pages are rendered, the
            # helper that makes them starts smaller.
            self._start_exports_helper(handbook, language or handbook.settings.default_language)
            rendered = render_handbook(
                handbook,
                today=environment.audit_date(),
                override=templates,
                releases=release_context(
                    standards, self.config.site_branch, environment, language or ""
                ),
                language=language,
                pdf=environment.pdf,
                directory_urls=self.directory_urls,
                exports_later=self._export_sources(),
                compiled=self.compiled,
                checked=validation.checked,
            )
        except InvalidHandbookError as invalid:
            report = as_text(
                invalid.validation.diagnostics,
                invalid.validation.loaded.sources,
                files=invalid.validation.file_count,
            )
            raise PluginError(f"The handbook's standards have errors:\n\n{report}") from None
        except (CollisionError, PageTemplateError) as refused:
            raise PluginError(str(refused)) from None
        _log_warnings(validation.diagnostics)
        self.rendered = rendered
        return_free_memory()  # what validating and rendering made and let go
        self._start_blocks_helper(rendered)
        hand_written: list[Any] = list(config.nav or [])
        config.nav = [*rendered.nav, *hand_written]
        # A paragraph marked `{: .hb-caption }` before a Markdown table becomes its caption.
        config.markdown_extensions = [
            *config.markdown_extensions,
            *(["attr_list"] if "attr_list" not in config.markdown_extensions else []),
            CaptionExtension(),
        ]
        config.extra_css = [*config.extra_css, STYLESHEET]
        config.extra_javascript = [*config.extra_javascript, SCRIPT]
        # The outdated-version banner needs a `main.html` block; a project's own custom_dir
        # (the first theme folder when set) still wins over ours.
        position = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(position, str(THEME))
        words = translations(language or DEFAULT_LANGUAGE).gettext
        # Escaped here: the theme prints `extra` values as they are.
        config.extra["handbook_outdated"] = {
            "notice": str(escape(words("This is an earlier edition, kept as it was published."))),
            "link": str(escape(words("Read the edition in force."))),
        }
        # Printed from the browser, every page names the handbook and its edition.
        edition = environment.version or words("not yet published")
        config.extra["handbook_print"] = {
            "footer": str(css_string(f"{config.site_name} · {edition}")),
            "skip": PRINT_PAGE,  # the PDF has its own footer (pdf.py)
        }
        if validation.handbook is not None:
            settings = validation.handbook.settings
            self.translated = tuple(
                lang for lang in settings.languages if lang != settings.default_language
            )
            if language is not None:
                self.language = language
                self._localise(config, language, settings.languages)
        return config

    def _use_helpers(self) -> bool:
        """Where `helper.may_fork` allows, and not under `mkdocs serve` (it runs a server and a
        watcher, and says "build" for `serve --clean`)."""
        return self.command != "serve" and may_fork(self.environment.helpers)

    def _start_exports_helper(self, handbook: Handbook, language: str) -> None:
        """The helper that makes the exports starts as soon as the standards are valid: it
        needs the model alone, and forked before the pages are rendered it starts smaller."""
        self._stop_helpers()
        if self._use_helpers():
            jobs = list(exports(handbook, language, self.environment.audit_date()).items())
            self.exports_helper = Helper.started(jobs)
            self.helpers.extend([self.exports_helper] if self.exports_helper else [])

    def _export_sources(self) -> ExportSources:
        helper = self.exports_helper
        if helper is None:
            return ExportSources(self._scratch_folder)
        return ExportSources(self._scratch_folder, helper.result_file, helper.size)

    def _start_blocks_helper(self, rendered: Rendered) -> None:
        """The helper that makes the HTML blocks of the pages MkDocs writes last; with the
        exports' helper and this process it shares both cores."""
        if not self._use_helpers():
            return
        late = rendered.last_pages(HELPER_SHARE)
        if late:
            self.blocks_helper = Helper.started([(p, _blocks_job(rendered, p)) for p in late])
            self.helpers.extend([self.blocks_helper] if self.blocks_helper else [])

    def _stop_helpers(self) -> None:
        for helper in self.helpers:
            helper.stop()
        self.helpers = []
        self.blocks_helper = None
        self.exports_helper = None

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        """A not-found page is served at any address, and an intranet handbook has no
        `site_url` to make its links absolute: MkDocs then writes them from the host's root,
        where the site is not. They are written from the root of this build, where the page is,
        and the page's first script makes that root its base wherever it is shown
        (`sitepages.py`, `assets/notfound.js`)."""
        if template_name != NOT_FOUND:
            return context
        context["base_url"] = "."
        context["extra_css"] = [normalize_url(path, None, ".") for path in config.extra_css]
        context["extra_javascript"] = [
            normalize_url(str(script), None, ".") for script in config.extra_javascript
        ]
        own = build_root(self.language, self.environment.version)
        said = words(self.language or DEFAULT_LANGUAGE)
        cast(dict[str, Any], context)["handbook_not_found"] = {
            "script": script(),
            "own": own,
            "marker": own + NOT_FOUND,
            "title": said.title,
            "text": said.text,
            "home": said.home,
        }
        return context

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        env.bytecode_cache = self.compiled.store("theme")

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.deferred.forget()
        self._refuse_collisions(config)

    def _refuse_collisions(self, config: MkDocsConfig) -> None:
        """A hand-written file where the handbook writes one stops the build here, the last
        event before MkDocs empties the site folder: the site built before stays as it was
        (two generated pages in one place were refused while rendering)."""
        assert self.rendered is not None
        generated = [
            File.generated(config, path, content="")
            for path in (*self.rendered.pages, *self.rendered.files, SEARCH_WORKER)
        ]
        hand_written = [
            file
            for file in self._hand_written_in_language(get_files(config), config)
            if not file.inclusion.is_excluded()
        ]
        base = self._path(config, "")
        ours = {file.dest_uri: f"the generated {file.src_uri}" for file in generated}
        found = [
            collision
            for collision in collisions(
                [
                    *((file.dest_uri, _source(file, base)) for file in hand_written),
                    *ours.items(),
                ]
            )
            if any(source in ours.values() for source in collision.sources)
        ]
        if found:
            fix = "Rename or remove the hand-written file: the handbook makes that page itself."
            raise PluginError(str(CollisionError(found, fix)))

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_helpers()
        if not self._deferring():  # under `mkdocs serve` the site served before still uses it
            self._drop_scratch()
        self.deferred.end_build()

    def on_shutdown(self) -> None:
        self._stop_helpers()
        self._drop_scratch()
        self.deferred.end_build()

    def _localise(self, config: MkDocsConfig, language: str, languages: tuple[str, ...]) -> None:
        """Make this build the handbook in `language`: Material's own words, the search
        language and stemmer, and the switcher to the same page in the other languages."""
        config.theme["language"] = language
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            search_langs, pipeline = SEARCH_LANGUAGES.get(language, (["en"], []))
            if _material_worker(config) is None:
                # Without the worker that stems typed words, a stemmed index would miss them.
                pipeline = [step for step in pipeline if step != "stemmer"]
            search.config["lang"] = list(search_langs)
            search.config["pipeline"] = pipeline
        version = self.environment.version
        # Each language is its own build: `<lang>/` or, when versioned, `<lang>/<version>/`;
        # links are relative to this build's root, so they work from file:// and any host.
        up = "../../" if version else "../"
        config.extra["alternate"] = [
            {
                "name": language_name(other),
                "lang": other,
                "link": f"{up}{other}/" + (f"{version}/" if version else ""),
            }
            for other in languages
        ]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.rendered is not None
        if config.use_directory_urls != self.directory_urls:
            raise PluginError(
                "another plugin changed `use_directory_urls` after the handbook's pages were "
                "rendered; set it in mkdocs.yml instead"
            )
        files = self._hand_written_in_language(files, config)
        for path, markdown in self.rendered.pages.items():
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if path in self.rendered.unlisted
                else InclusionLevel.UNDEFINED
            )
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        for path, content in self.rendered.files.items():
            files.append(File.generated(config, path, content=content))
        worker = _search_worker(config)
        if worker is not None:
            files.append(File.generated(config, SEARCH_WORKER, content=worker))
        return files

    # Before the search plugin indexes the page, and only now, page by page: the HTML blocks
    # of all pages together are most of the site, and MkDocs keeps every page's content from
    # the Markdown step to the end of the build.
    @event_priority(100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.rendered is not None and page.file.src_uri in self.rendered.pages:
            path = page.file.src_uri
            made = self._helper_blocks(path)
            deferring = self._deferring()
            try:
                if self._streams(path):
                    if deferring:
                        self._defer(page)
                        return context
                    self._stream(page, made)
                    return context
                page.content = self.rendered.html(
                    path,
                    page.content or "",
                    made.blocks() if made is not None else None,
                    fill=not deferring,
                )
                if deferring:
                    self._defer_sizes(page.file.abs_dest_path, page.content)
            except (BlockError, PageTemplateError) as error:
                raise PluginError(str(error)) from None
            finally:
                if not deferring:
                    self.rendered.let_go(path)
            del made  # a large page's blocks are tens of MB at 10,000 norms
            # MkDocs checks links to anchors after every page is written, against the ids
            # Markdown made; the blocks' ids (a parameter's row) are known only now.
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.update(blockfile.ELEMENT_ID.findall(page.content))
            if deferring:
                self._defer_search(page, config)
            else:
                index_for_search(page, config)
        return context

    def _streams(self, path: str) -> bool:
        """Whether the page's HTML blocks are spliced into its file after the last page is
        written (`blockfile`), so that no page's HTML is in memory whole, rather than put into
        its content now. Only a page search does not index may wait: the search plugin reads
        the content of the others as they are written."""
        assert self.rendered is not None
        return bool(self.rendered.blocks.get(path)) and path in self.rendered.unsearched

    def _deferring(self) -> bool:
        """Under `mkdocs serve`, pages that search leaves out, the exports and the search index
        are completed when first requested (`deferred.py`): from the first rebuild on, once
        `on_serve` has put the completing app in front of MkDocs' server (not at all with
        `--no-livereload`, where MkDocs does not call it)."""
        return self.command == "serve" and self.serving

    def _defer(self, page: Page) -> None:
        assert self.rendered is not None
        rendered, path, target = self.rendered, page.file.src_uri, page.file.abs_dest_path
        page.content = rendered.shell(path, page.content or "", fill=False)

        def splice() -> None:
            made = blockfile.write(rendered.blocks[path], self._scratch_folder() / "page.blocks")
            if made is None:
                raise OSError(f"the blocks of {path} could not be written")
            blockfile.splice(Path(target), rendered.token, made)
            made.path.unlink()

        self.deferred.defer(target, splice)
        self._defer_sizes(target, page.content)

    def _defer_search(self, page: Page, config: MkDocsConfig) -> None:
        """The page is indexed for search when the search index is first requested (the
        plugin is told the page is indexed, and left nothing to do)."""
        meta_search = page.meta.get("search") or {}
        search = searchable(config)
        if search is None or not can_write(search):  # `serve --dirty`: the plugin's own way
            index_for_search(page, config)
            return
        if page.content is None or meta_search.get("exclude"):
            return
        self.unindexed.append((page, page.content, dict(meta_search)))
        page.meta["search"] = {**meta_search, "exclude": True}

    def _complete_search(
        self, search: Any, site: Path, unindexed: list[Unindexed], later: Later | None
    ) -> None:
        for page, content, meta_search in unindexed:
            page.meta["search"] = meta_search
            if later is not None and later.has_sizes(content):
                content = later.fill(content)  # the downloads page, as a build indexes it
            add_entry(search, page, content)
            page.meta["search"] = {**meta_search, "exclude": True}
        write_index(search, site)

    def _later(self) -> Later | None:
        return self.rendered.later if self.rendered is not None else None

    def _defer_sizes(self, target: str, content: str) -> None:
        """A page that gives the exports' sizes gets them when it is first requested."""
        later = self.rendered.later if self.rendered is not None else None
        if later is None or not later.has_sizes(content):
            return

        def fill() -> None:
            written = Path(target)
            written.write_bytes(later.fill(written.read_bytes().decode("utf-8")).encode("utf-8"))

        self.deferred.defer(target, fill)

    def _helper_blocks(self, path: str) -> BlockFile | None:
        """The page's blocks as the helper made them; None to render them here."""
        found = self.blocks_helper.result_file(path) if self.blocks_helper is not None else None
        return blockfile.read_index(*found) if found is not None else None

    def _stream(self, page: Page, made: BlockFile | None) -> None:
        """A page that search leaves out keeps its placeholders until it is written; its
        blocks, rendered here if the helper did not, are spliced in after the last page."""
        assert self.rendered is not None
        path = page.file.src_uri
        page.content = self.rendered.shell(path, page.content or "")
        if made is None:
            target = self._scratch_folder() / f"{len(self.pending)}.blocks"
            made = blockfile.write(self.rendered.blocks[path], target)
            if made is None:
                raise PluginError(f"{path}: the page's blocks could not be written to {target}")
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(made.ids)
        self.pending.append((Path(page.file.abs_dest_path), made))

    def _splice_pending(self, token: str) -> None:
        try:
            for page, made in self.pending:
                blockfile.splice(page, token, made)
        except (blockfile.SpliceError, OSError) as error:
            raise PluginError(f"a page's HTML blocks could not be put in place: {error}") from None

    def _scratch_folder(self) -> Path:
        if self.scratch is None:
            self.scratch = private_folder()
        return self.scratch[0]

    def _drop_scratch(self) -> None:
        self.pending = []
        if self.scratch is not None:
            folder, held = self.scratch
            self.scratch = None
            shutil.rmtree(folder, ignore_errors=True)
            os.close(held)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """A written page's HTML is not needed again; let it go rather than hold them all."""
        if self.rendered is not None and page.file.src_uri in self.rendered.pages:
            page.content = None
        return output

    # First among the plugins, so that none finds the downloads' empty placeholders.
    @event_priority(100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the large exports over their placeholders, stop the helpers, and under
        `handbook release` (HANDBOOK_PDF=1) print the handbook to a PDF among the version's
        downloads."""
        # The model and the pages' plan are not needed once the site is whole: let them go,
        # and hand the memory back, before other plugins write theirs (the search index is
        # 30 MB at 10,000 norms, held twice while Material's search plugin writes it).
        deferring = self._deferring()
        rendered = self.rendered
        documents = rendered.documents if rendered is not None else {}
        if not deferring:  # `mkdocs serve` completes deferred pages with them later
            self.rendered = None
        try:
            if rendered is None:
                return
            try:
                self._splice_pending(rendered.token)
                # The placeholders MkDocs copied give way to the files themselves.
                later = rendered.later
                paths = later.paths if later is not None else []
                for path in paths:
                    assert later is not None
                    target = Path(config.site_dir) / path
                    write = functools.partial(later.write, path, target)
                    if deferring:
                        self.deferred.defer(str(target), write)
                    else:
                        write()
            finally:
                self._drop_scratch()
                self._stop_helpers()
            del rendered, later
            return_free_memory()
            search = searchable(config)
            site = Path(config.site_dir)
            if search is not None and can_write(search):
                search.config["enabled"] = False  # nothing left for it to do; see on_config
                self.search_written = search
                if deferring:
                    complete = functools.partial(
                        self._complete_search, search, site, self.unindexed, self._later()
                    )
                    self.deferred.defer(str(site / SEARCH_INDEX), complete)
                else:
                    write_index(search, site)
            self.unindexed = []
        finally:
            # Only now may a request complete what this build deferred, search index included.
            self.deferred.end_build()
        if not self.environment.pdf or self._deferring():
            return
        from generator.engines.pdf import PdfError, print_pdfs

        site = Path(config.site_dir)
        version = self.environment.version or ""
        footer = " · ".join(part for part in (config.site_name, version) if part)
        built = [
            (site / site_url(pages[0], self.directory_urls), site / pdf)
            for pdf, pages in documents.items()
            if pages
        ]
        try:
            print_pdfs(
                [(page / "index.html" if page.is_dir() else page, pdf) for page, pdf in built],
                footer,
                self.environment.chromium,
                self.environment.source_date,
            )
        except PdfError as error:
            raise PluginError(f"the PDF could not be printed: {error}") from None

    def _hand_written_in_language(self, files: Files, config: MkDocsConfig) -> Files:
        """`docs/ru/about.md` is the Russian `about.md`: it replaces it in the Russian build,
        and no translation is a page of its own in any build."""
        prefixes = tuple(f"{lang}/" for lang in self.translated)
        kept = [f for f in files if not f.src_uri.startswith(prefixes)]
        translations = {
            f.src_uri.split("/", 1)[1]: f
            for f in files
            if self.language is not None and f.src_uri.startswith(f"{self.language}/")
        }
        result = Files([])
        for file in kept:
            translation = translations.get(file.src_uri)
            if translation is not None and translation.abs_src_path is not None:
                file = File.generated(config, file.src_uri, abs_src_path=translation.abs_src_path)
            result.append(file)
        return result

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        with _polling_every(server, STANDARDS_POLL):
            server.watch(str(self._path(config, self.config.standards)))
            if self.config.templates:
                server.watch(str(self._path(config, self.config.templates)))
        app = server.get_app()
        if app is not None:
            server.set_app(self.deferred.wrap(app, server))
            self.serving = True
        return server


WARNINGS_PER_RULE = 20
"""Warnings of one rule a build log shows; `handbook validate` lists them all."""


def _log_warnings(diagnostics: Sequence[Diagnostic]) -> None:
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


STANDARDS_POLL = 0.1
"""Seconds between two looks at the standards under `mkdocs serve` (MkDocs looks at the
docs every half second, on average a quarter of a second of every edit's wait)."""


@contextlib.contextmanager
def _polling_every(server: LiveReloadServer, seconds: float) -> Iterator[None]:
    """Folders watched meanwhile are looked at every `seconds`. MkDocs' server watches with
    watchdog's polling observer, whose watches take the observer's interval when they are
    made; without that observer (another watchdog), they take MkDocs' interval."""
    observer = getattr(server, "observer", None)
    interval = getattr(observer, "_timeout", None)
    if not isinstance(interval, int | float):
        yield
        return
    observer._timeout = seconds  # type: ignore[union-attr]
    try:
        yield
    finally:
        observer._timeout = interval  # type: ignore[union-attr]


def _directory_urls(config: MkDocsConfig) -> bool:
    """MkDocs' `use_directory_urls` as the built site will have it: Material's offline
    plugin turns it off in its own `on_config`, after the pages are rendered here."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    if offline is not None and getattr(offline, "config", {}).get("enabled", True):
        return False
    return bool(config.use_directory_urls)


def _blocks_job(rendered: Rendered, path: str) -> Callable[[], Iterator[bytes]]:
    return lambda: blockfile.chunks(rendered.blocks[path])


def _source(file: File, base: Path) -> str:
    """A hand-written file as its author knows it: `docs/about.md`, `docs/ru/about.md`."""
    if file.abs_src_path is None:
        return file.src_uri
    path = Path(file.abs_src_path)
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()


def _material_worker(config: MkDocsConfig) -> str | None:
    """The file name of Material's search worker (it changes with each Material release)."""
    for folder in config.theme.dirs:
        found = sorted(Path(folder).glob("assets/javascripts/workers/search.*.min.js"))
        if found:
            return found[0].name
    return None


def _search_worker(config: MkDocsConfig) -> str | None:
    """A search worker that runs Material's own and then stems what the reader types.

    Material names its worker by content hash; the theme (`main.html`) is told which name to
    replace with ours. None without the search plugin or Material."""
    if config.plugins.get("material/search") is None and config.plugins.get("search") is None:
        return None
    original = _material_worker(config)
    if original is None:
        return None
    config.extra["handbook_search_worker"] = {
        "original": original,
        "stemming": Path(SEARCH_WORKER).name,
    }
    patch = asset_text("search-stemming.js")
    return f"importScripts({json.dumps(original)});\n{patch}"
