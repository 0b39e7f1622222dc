"""The MkDocs plugin: `plugins: [handbook]` turns `standards/` into pages of the site.

An adapter over the site plan: in `on_config` it validates and renders one language as the
CLI does, then each MkDocs event hands that result over: the pages and files as generated
files (`on_files`), their HTML blocks as each page is written (`on_page_context`), the exports
and spliced blocks after the last page (`on_post_build`), and under `mkdocs serve` the
standards and templates watched. What it adds to the theme is in `theme.py`, one language's
settings in `language.py`, the work done beside the page loop in `helpers.py`, what `serve`
completes on request in `deferred.py`, the search index in `searchindex.py`.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.engines.mkdocs.buildlog import log_warnings
from generator.engines.mkdocs.deferred import Deferred
from generator.engines.mkdocs.helpers import Helpers
from generator.engines.mkdocs.language import (
    SEARCH_WORKER,
    hand_written_in_language,
    localise,
    search_worker,
)
from generator.engines.mkdocs.searchindex import (
    SEARCH_INDEX,
    add_entry,
    can_write,
    index_for_search,
    searchable,
    write_index,
)
from generator.engines.mkdocs.serve import STANDARDS_POLL, polling_every
from generator.engines.mkdocs.theme import dress, not_found_context
from generator.pipeline import InvalidHandbookError, valid_handbook, validate
from generator.releases.context import release_context
from generator.releases.history import (
    DEFAULT_BRANCH,
)
from generator.report.diagnostics import as_text
from generator.site.collisions import CollisionError, collisions
from generator.site.pages import site_url
from generator.site.render import (
    BlockError,
    CompiledTemplates,
    Later,
    PageTemplateError,
    Rendered,
    render_handbook,
)
from generator.site.sitepages import NOT_FOUND
from generator.source.load import LoadedFile
from generator.source.parsecache import user_store
from generator.speed import blockfile
from generator.speed.blockfile import BlockFile
from generator.speed.filecache import FileCache
from generator.speed.helper import may_fork, return_free_memory
from generator.system.environment import Environment, read_environment

log = get_plugin_logger(__name__)


# The pages MkDocs writes last (after the values, channels and categories): their blocks are
# rendered by a helper process meanwhile (helper.py).
Unindexed = tuple[Page, str, dict[str, Any]]
"""A page, its content and its `search` metadata as they were when it would have been indexed."""


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
        self.helpers = Helpers()
        """The processes that make the exports and the last pages' blocks meanwhile, and the
        files they and this process leave for after the last page."""
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
            self.helpers.start_exports(
                handbook,
                language or handbook.settings.default_language,
                environment.audit_date(),
                allowed=self._use_helpers(),
            )
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
                exports_later=self.helpers.export_sources(),
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
        log_warnings(validation.diagnostics)
        self.rendered = rendered
        return_free_memory()  # what validating and rendering made and let go
        self.helpers.start_blocks(rendered, allowed=self._use_helpers())
        hand_written: list[Any] = list(config.nav or [])
        config.nav = [*rendered.nav, *hand_written]
        dress(config, language, environment.version)
        if validation.handbook is not None:
            settings = validation.handbook.settings
            self.translated = tuple(
                lang for lang in settings.languages if lang != settings.default_language
            )
            if language is not None:
                self.language = language
                localise(config, language, settings.languages, environment.version)
        return config

    def _use_helpers(self) -> bool:
        """Where `helper.may_fork` allows, and not under `mkdocs serve` (it runs a server and a
        watcher, and says "build" for `serve --clean`)."""
        return self.command != "serve" and may_fork(self.environment.helpers)

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == NOT_FOUND:
            return not_found_context(context, config, self.language, self.environment.version)
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
            for file in hand_written_in_language(
                get_files(config), config, self.language, self.translated
            )
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
        self.helpers.stop()
        if not self._deferring():  # under `mkdocs serve` the site served before still uses it
            self.helpers.drop_folder()
        self.deferred.end_build()

    def on_shutdown(self) -> None:
        self.helpers.stop()
        self.helpers.drop_folder()
        self.deferred.end_build()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.rendered is not None
        if config.use_directory_urls != self.directory_urls:
            raise PluginError(
                "another plugin changed `use_directory_urls` after the handbook's pages were "
                "rendered; set it in mkdocs.yml instead"
            )
        files = hand_written_in_language(files, config, self.language, self.translated)
        for path, markdown in self.rendered.pages.items():
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if path in self.rendered.unlisted
                else InclusionLevel.UNDEFINED
            )
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        for path, content in self.rendered.files.items():
            files.append(File.generated(config, path, content=content))
        worker = search_worker(config)
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
            made = self.helpers.made_blocks(path)
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
            made = blockfile.write(rendered.blocks[path], self.helpers.folder() / "page.blocks")
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

    def _stream(self, page: Page, made: BlockFile | None) -> None:
        """A page that search leaves out keeps its placeholders until it is written; its
        blocks, rendered here if the helper did not, are spliced in after the last page."""
        assert self.rendered is not None
        path = page.file.src_uri
        page.content = self.rendered.shell(path, page.content or "")
        made = self.helpers.pend(self.rendered, path, page.file.abs_dest_path, made)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(made.ids)

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
                self.helpers.splice_pending(rendered.token)
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
                self.helpers.drop_folder()
                self.helpers.stop()
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

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        with polling_every(server, STANDARDS_POLL):
            server.watch(str(self._path(config, self.config.standards)))
            if self.config.templates:
                server.watch(str(self._path(config, self.config.templates)))
        app = server.get_app()
        if app is not None:
            server.set_app(self.deferred.wrap(app, server))
            self.serving = True
        return server


def _directory_urls(config: MkDocsConfig) -> bool:
    """MkDocs' `use_directory_urls` as the built site will have it: Material's offline
    plugin turns it off in its own `on_config`, after the pages are rendered here."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    if offline is not None and getattr(offline, "config", {}).get("enabled", True):
        return False
    return bool(config.use_directory_urls)


def _source(file: File, base: Path) -> str:
    """A hand-written file as its author knows it: `docs/about.md`, `docs/ru/about.md`."""
    if file.abs_src_path is None:
        return file.src_uri
    path = Path(file.abs_src_path)
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
