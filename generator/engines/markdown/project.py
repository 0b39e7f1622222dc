"""The handbook as a project that any MkDocs-compatible engine builds, with no plugin.

`handbook render OUT` writes, for each language the handbook publishes, `OUT/<lang>/mkdocs.yml`
and `OUT/<lang>/docs/`: stock MkDocs (`mkdocs build`) and Zensical (`zensical build`) build
either as it is, and neither runs the handbook's plugin (Zensical runs no third-party plugin at
all). What the plugin does while MkDocs builds is done here beforehand, into files:

- every generated page, its HTML blocks written in as raw HTML whose links are the addresses
  of the built site, relative to the page (no engine rewrites a link inside raw HTML, as it
  rewrites a Markdown link to a Markdown file); the downloads, made whole;
- the hand-written pages of the language (`docs/ru/about.md` in place of `about.md`) and the
  navigation the plugin gives: the generated sections, then mkdocs.yml's own `nav`;
- the language of the theme and of search, and the links to the other languages
  (`extra.alternate`), which lead to the same page there (`partials/alternate.html`);
- a not-found page that works at any address (`_NOT_FOUND`).

With several languages, `OUT/index.html` and `OUT/404.html` are the published site's root pages
(as `handbook build` writes them): the site is each `OUT/<lang>/site/` as `<lang>/` beside them.
The same standards and mkdocs.yml give the same bytes. `OUT` is replaced as a whole, so no page
of an earlier render is left in it, and only a folder that a render wrote (`MARK`) or an empty
one is replaced.
"""

from __future__ import annotations

import datetime as dt
import string
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.engines.search import SEARCH_LANGUAGES
from generator.engines.sitefolder import build_beside, site_root_pages
from generator.model.items import Handbook
from generator.pipeline import valid_handbook, validate
from generator.releases.context import release_context
from generator.releases.history import ReleaseContext
from generator.site import folders
from generator.site.collisions import CollisionError, collisions
from generator.site.pages import NavEntry, page_file, site_file
from generator.site.render import ASSETS, Rendered, render_handbook
from generator.site.sitepages import NOT_FOUND, build_root, language_name, script, words
from generator.system.environment import Environment
from generator.system.filesystem import doing

MARK = ".handbook-render"
"""The file that tells a folder `handbook render` wrote, which the next render may replace."""
CONFIG = "mkdocs.yml"
DOCS = "docs"
SITE = "site"
THEME = "overrides"
"""The project's theme folder (`custom_dir`): the handbook's templates, then mkdocs.yml's own."""
ENGINE_ASSETS = ("engine.css", "engine.js")
"""What a project built without the plugin adds to the handbook's own assets."""
NEEDED_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")
"""The Markdown extensions the generated pages are written for."""
KEPT_SETTINGS = (
    "site_description",
    "site_author",
    "site_url",
    "copyright",
    "repo_url",
    "repo_name",
)
"""Settings of mkdocs.yml a project carries as they are. Plugins, hooks and the folders are
the project's own: a plugin (the handbook's above all) is what an engine may not run."""
VALIDATION = {
    "nav": {"omitted_files": "warn", "not_found": "warn", "absolute_links": "warn"},
    "links": {
        "not_found": "warn",
        "anchors": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
    },
}
"""Every link the engine can check is checked: `mkdocs build --strict` fails on a broken one."""


class ProjectError(Exception):
    """The project cannot be written: the folder holds other files, or mkdocs.yml a setting
    that cannot be written into another mkdocs.yml."""


@dataclass(frozen=True)
class HandWritten:
    """A file of the hand-written docs as one language's build has it."""

    src_uri: str
    """Where it stands in the project's docs (`about.md`, for the Russian `ru/about.md` too)."""
    path: Path
    """The file itself."""
    dest_uri: str
    """Where the engine writes it in the built site."""
    source: str
    """How its author knows it (`docs/ru/about.md`), to name it in a message."""


@dataclass(frozen=True)
class SiteSettings:
    """What the handbook's mkdocs.yml says that a rendered project keeps."""

    site_name: str
    """Empty without mkdocs.yml: the handbook's title names the site."""
    standards: Path
    templates: Path | None
    branch: str
    """The site branch the release history is read from (the plugin's `site_branch`)."""
    directory_urls: bool
    site_dir: Path
    written: Mapping[str, Any]
    """mkdocs.yml as written (INHERIT and !ENV resolved): the settings carried as they are."""
    docs: tuple[HandWritten, ...]
    """The hand-written files built into the site (not excluded, not drafts)."""
    theme_dir: Path | None
    """The project's own theme folder (`theme.custom_dir`)."""


def render_project(
    site: SiteSettings, out: Path, *, today: dt.date, strict: bool = False
) -> tuple[str, ...]:
    """Check the standards, then write the project into `out`, replacing what a render wrote
    there before in one step; the languages written, the default first. Raises
    InvalidHandbookError for standards with errors (and, `strict`, warnings), CollisionError
    for a hand-written file where the handbook writes one, ProjectError for a folder that
    holds other files."""
    with doing("writing the project", out):
        _refuse_foreign(out)
        languages: tuple[str, ...] = ()

        def fill(folder: Path) -> None:
            nonlocal languages
            languages = write_project(site, folder, today=today, strict=strict)
            (folder / MARK).write_text(
                "Written by `handbook render`; the next render replaces this folder whole.\n",
                encoding="utf-8",
            )

        build_beside(out, fill)
    return languages


def _refuse_foreign(out: Path) -> None:
    if out.is_dir() and not (out / MARK).is_file() and any(out.iterdir()):
        raise ProjectError(
            f"{out} holds files that `handbook render` did not write, and a render replaces its "
            "folder whole; render into a new or empty folder"
        )
    if out.exists() and not out.is_dir():
        raise ProjectError(f"{out} is a file; render into a new or empty folder")


def write_project(
    site: SiteSettings, out: Path, *, today: dt.date, strict: bool = False
) -> tuple[str, ...]:
    """Check the standards and write the project's files into the folder `out`; the languages,
    the default first."""
    validation = validate(site.standards, today=today)
    handbook = valid_handbook(validation, strict=strict)
    languages = handbook.settings.published
    several = len(languages) > 1
    site_name = site.site_name or _title(handbook)
    for language in languages:
        edition = Edition(
            site=site,
            handbook=handbook,
            site_name=site_name,
            language=language,
            languages=handbook.settings.languages if several else (),
        )
        rendered = render_handbook(
            handbook,
            today=today,
            override=site.templates,
            releases=_release_context(site, language if several else ""),
            language=language,
            directory_urls=site.directory_urls,
            checked=validation.checked,
            files_at_addresses=True,
        )
        edition.write(rendered, out / language)
    if several:
        for name, text in site_root_pages(site_name, languages).items():
            (out / name).write_text(text, encoding="utf-8")
    return languages


def _release_context(site: SiteSettings, prefix: str) -> ReleaseContext:
    """Where this build stands in the release history, as the plugin reads it from git: a
    rendered project is never a release being made (no environment names one)."""
    return release_context(site.standards, site.branch, Environment(), prefix)


def _title(handbook: Handbook) -> str:
    title = handbook.settings.title
    if isinstance(title, str):
        return title
    return title.get(handbook.settings.default_language) or next(iter(title.values()), "")


@dataclass(frozen=True)
class Edition:
    """The project of one language: its mkdocs.yml, docs and theme folder."""

    site: SiteSettings
    handbook: Handbook
    site_name: str
    language: str
    languages: tuple[str, ...]
    """Every language of the handbook, in the order of its settings; none when it has one."""

    def write(self, rendered: Rendered, folder: Path) -> None:
        settings = self.handbook.settings
        translated = [lang for lang in self.languages if lang != settings.default_language]
        hand_written = in_language(self.site.docs, self.language, translated)
        _refuse_collisions(rendered, hand_written, self.site.directory_urls)
        docs = folder / DOCS
        for path in rendered.pages:
            _write(docs / self._file(path), rendered.markdown(path).encode("utf-8"))
            rendered.let_go(path)  # a large page's blocks are tens of MB at 10,000 norms
        for path, content in rendered.files.items():
            _write(docs / path, content)
        for name in ENGINE_ASSETS:
            _write(docs / "assets" / name, (folders.ASSETS / name).read_bytes())
        for file in hand_written:
            _write(docs / file.src_uri, file.path.read_bytes())
        self._write_theme(folder / THEME)
        _write(folder / CONFIG, config_text(self.config(rendered)).encode("utf-8"))

    def _file(self, path: str) -> str:
        """Where a generated page's Markdown file stands: where its HTML is built, so that
        both engines read the links in its raw HTML alike (`pages.page_file`)."""
        return page_file(path, self.site.directory_urls)

    def _nav(self, entries: Sequence[NavEntry]) -> list[NavEntry]:
        return [
            self._file(entry)
            if isinstance(entry, str)
            else {
                title: self._nav(inner) if isinstance(inner, list) else self._file(inner)
                for title, inner in entry.items()
            }
            for entry in entries
        ]

    def _write_theme(self, theme: Path) -> None:
        """The handbook's templates, then the project's own, which win, as they win over the
        plugin's (`plugin.on_config`)."""
        own = build_root(self.language if self.languages else None, None)
        _write(theme / NOT_FOUND, not_found_template(self.language, own).encode("utf-8"))
        if self.languages:
            alternate = folders.THEME / "partials" / "alternate.html"
            _write(theme / "partials" / "alternate.html", alternate.read_bytes())
        if self.site.theme_dir is not None:
            for path in sorted(self.site.theme_dir.rglob("*")):
                if path.is_file():
                    _write(theme / path.relative_to(self.site.theme_dir), path.read_bytes())

    def config(self, rendered: Rendered) -> dict[str, Any]:
        """The project's mkdocs.yml."""
        written = self.site.written
        config: dict[str, Any] = {"site_name": self.site_name}
        config.update((key, written[key]) for key in KEPT_SETTINGS if key in written)
        config["docs_dir"] = DOCS
        config["site_dir"] = SITE
        config["use_directory_urls"] = self.site.directory_urls
        config["theme"] = _theme(written.get("theme"), self.language)
        config["plugins"] = [{"search": _search(written.get("plugins"), self.language)}]
        config["markdown_extensions"] = _extensions(written.get("markdown_extensions"))
        config["extra_css"] = [
            *(written.get("extra_css") or []),
            *(f"assets/{name}" for name in (*ASSETS, *ENGINE_ASSETS) if name.endswith(".css")),
        ]
        config["extra_javascript"] = [
            *(written.get("extra_javascript") or []),
            *(f"assets/{name}" for name in (*ASSETS, *ENGINE_ASSETS) if name.endswith(".js")),
        ]
        extra = dict(written.get("extra") or {})
        if self.languages:
            # Each language is a build of its own beside the others: `<lang>/`.
            extra["alternate"] = [
                {"name": language_name(other), "lang": other, "link": f"../{other}/"}
                for other in self.languages
            ]
        if extra:
            config["extra"] = extra
        config["nav"] = [*self._nav(rendered.nav), *(written.get("nav") or [])]
        unlisted = [f"/{self._file(path)}" for path in sorted(rendered.unlisted)]
        own = str(written.get("not_in_nav") or "").splitlines()
        if unlisted or own:
            config["not_in_nav"] = "\n".join([*own, *unlisted]) + "\n"
        config["validation"] = VALIDATION
        return config


def in_language(
    docs: Sequence[HandWritten], language: str, translated: Sequence[str]
) -> list[HandWritten]:
    """The hand-written files of one language's build: `docs/ru/about.md` is the Russian
    `about.md`, and no translation is a page of its own in any build (as in the plugin's).
    `translated`: the languages other than the default one, which have such folders."""
    folders = tuple(f"{lang}/" for lang in translated)
    mine = f"{language}/"
    translations = {
        file.src_uri.removeprefix(mine): file
        for file in docs
        if mine in folders and file.src_uri.startswith(mine)
    }
    kept = []
    for file in docs:
        if file.src_uri.startswith(folders):
            continue
        translation = translations.get(file.src_uri)
        kept.append(
            file
            if translation is None
            else replace(file, path=translation.path, source=translation.source)
        )
    return kept


def _refuse_collisions(
    rendered: Rendered, hand_written: Sequence[HandWritten], directory_urls: bool
) -> None:
    """A hand-written file where the handbook writes one would leave one of them out of the
    site (as the plugin refuses it: `plugin.HandbookPlugin._refuse_collisions`)."""
    generated = [
        *((site_file(path, directory_urls), f"the generated {path}") for path in rendered.pages),
        *((path, f"the generated {path}") for path in rendered.files),
        *((f"assets/{name}", f"the generated assets/{name}") for name in ENGINE_ASSETS),
    ]
    ours = {source for _, source in generated}
    found = [
        collision
        for collision in collisions(
            [*((file.dest_uri, file.source) for file in hand_written), *generated]
        )
        if any(source in ours for source in collision.sources)
    ]
    if found:
        fix = "Rename or remove the hand-written file: the handbook makes that page itself."
        raise CollisionError(found, fix)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _theme(written: object, language: str) -> dict[str, Any]:
    """The theme of mkdocs.yml in the edition's language, with the project's theme folder.
    Zensical draws Material's look as its `classic` variant."""
    theme: dict[str, Any] = {"name": written} if isinstance(written, str) else {}
    if isinstance(written, dict):
        theme.update(written)
    theme.setdefault("name", "material")
    theme["language"] = language
    theme["custom_dir"] = THEME
    theme.setdefault("variant", "classic")
    return theme


def _search(plugins: object, language: str) -> dict[str, Any]:
    """The search plugin's settings of mkdocs.yml, in the edition's language, as the plugin
    sets them (`mkdocs/language.localise`); without the worker that stems typed words, the
    index is not stemmed either. Zensical's search ignores both settings."""
    written: dict[str, Any] = {}
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and len(entry) == 1:
            [(name, settings)] = entry.items()
            if name in ("search", "material/search") and isinstance(settings, dict):
                written = dict(settings)
    langs, pipeline = SEARCH_LANGUAGES.get(language, (["en"], []))
    written["lang"] = list(langs)
    written["pipeline"] = [step for step in pipeline if step != "stemmer"]
    return written


def _extensions(written: object) -> list[Any]:
    """mkdocs.yml's Markdown extensions and those the generated pages are written for."""
    extensions = list(written) if isinstance(written, list) else []
    named = {next(iter(entry)) if isinstance(entry, dict) else entry for entry in extensions}
    return [*extensions, *(name for name in NEEDED_EXTENSIONS if name not in named)]


class _ConfigDumper(yaml.SafeDumper):
    """mkdocs.yml as MkDocs and Zensical read it: a function or class that mkdocs.yml named
    (`!!python/name:material.extensions.emoji.twemoji`) is named so again."""


def _python_name(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    return dumper.represent_scalar(
        f"tag:yaml.org,2002:python/name:{value.__module__}.{value.__qualname__}", ""
    )


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """A text of several lines (a list of patterns) as a block, one pattern a line."""
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


for _kind in (types.FunctionType, types.BuiltinFunctionType, type):
    _ConfigDumper.add_multi_representer(_kind, _python_name)
_ConfigDumper.add_representer(str, _text)


def config_text(config: Mapping[str, Any]) -> str:
    try:
        text = yaml.dump(
            dict(config),
            Dumper=_ConfigDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
    except yaml.representer.RepresenterError as error:
        raise ProjectError(
            f"mkdocs.yml holds a value that cannot be written into another mkdocs.yml "
            f"({error.args[-1]!r}); write it as plain YAML"
        ) from None
    return f"# Written by `handbook render`: MkDocs or Zensical builds it as it is.\n{text}"


_NOT_FOUND = string.Template(
    """{#- The not-found page of a build without the handbook plugin. Written from the root of
    its build (where it is), it makes that root its base wherever it is shown (`sitepages.py`,
    `assets/notfound.js`). Without `site_url`, an engine writes the site's navigation in it
    from the host's root: it is left out, and the page links to the home page. -#}
{% extends "main.html" %}
{% set base_url = "." %}
{% block htmltitle %}
{% raw %}<script data-own="$own" data-marker="$marker">$script</script>{% endraw %}
{{ super() }}
{% endblock %}
{% block tabs %}{% endblock %}
{% block site_nav %}{% endblock %}
{% block content %}
  {% raw %}<h1>$title</h1>
  <p>$text</p>{% endraw %}
  <p><a href="{{ '.' | url }}">{% raw %}$home{% endraw %}</a></p>
{% endblock %}
{#- The theme resolves its base against the address, not the page's base: it is given the
    base the first script found. -#}
{% block config %}
  {{ super() }}
  <script>
  (function (config) {
    if (!config) return;
    var given = JSON.parse(config.textContent);
    given.base = document.baseURI;
    if (given.search) given.search = new URL(given.search, document.baseURI).href;
    config.textContent = JSON.stringify(given);
  })(document.getElementById("__config"));
  </script>
{% endblock %}
"""
)


def not_found_template(language: str, own: str) -> str:
    """The not-found page's template in `language`, for the build at `own` from the site's
    root (`ru/`, or the root itself for a handbook in one language)."""
    said = words(language)
    return _NOT_FOUND.substitute(
        own=escape(own),
        marker=escape(own + NOT_FOUND),
        script=script(),
        title=said.title,
        text=said.text,
        home=said.home,
    )
