"""One language's build: Material's words and search in that language, the links to the same
page in the others, and the hand-written pages translated for it (`docs/ru/about.md` is the
Russian `about.md`)."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from generator.engines.search import SEARCH_LANGUAGES
from generator.site.folders import asset_text
from generator.site.sitepages import language_name

SEARCH_WORKER = "assets/javascripts/workers/handbook-search.js"


def localise(
    config: MkDocsConfig, language: str, languages: tuple[str, ...], version: str | None
) -> None:
    """Make this build the handbook in `language`: Material's own words, the search
    language and stemmer, and the switcher to the same page in the other languages."""
    config.theme["language"] = language
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None:
        search_langs, pipeline = SEARCH_LANGUAGES.get(language, (["en"], []))
        if material_worker(config) is None:
            # Without the worker that stems typed words, a stemmed index would miss them.
            pipeline = [step for step in pipeline if step != "stemmer"]
        search.config["lang"] = list(search_langs)
        search.config["pipeline"] = pipeline
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


def hand_written_in_language(
    files: Files, config: MkDocsConfig, language: str | None, translated: tuple[str, ...]
) -> Files:
    """`docs/ru/about.md` is the Russian `about.md`: it replaces it in the Russian build,
    and no translation is a page of its own in any build."""
    prefixes = tuple(f"{lang}/" for lang in translated)
    kept = [f for f in files if not f.src_uri.startswith(prefixes)]
    translations = {
        f.src_uri.split("/", 1)[1]: f
        for f in files
        if language is not None and f.src_uri.startswith(f"{language}/")
    }
    result = Files([])
    for file in kept:
        translation = translations.get(file.src_uri)
        if translation is not None and translation.abs_src_path is not None:
            file = File.generated(config, file.src_uri, abs_src_path=translation.abs_src_path)
        result.append(file)
    return result


def material_worker(config: MkDocsConfig) -> str | None:
    """The file name of Material's search worker (it changes with each Material release)."""
    for folder in config.theme.dirs:
        found = sorted(Path(folder).glob("assets/javascripts/workers/search.*.min.js"))
        if found:
            return found[0].name
    return None


def search_worker(config: MkDocsConfig) -> str | None:
    """A search worker that runs Material's own and then stems what the reader types.

    Material names its worker by content hash; the theme (`main.html`) is told which name to
    replace with ours. None without the search plugin or Material."""
    if config.plugins.get("material/search") is None and config.plugins.get("search") is None:
        return None
    original = material_worker(config)
    if original is None:
        return None
    config.extra["handbook_search_worker"] = {
        "original": original,
        "stemming": Path(SEARCH_WORKER).name,
    }
    patch = asset_text("search-stemming.js")
    return f"importScripts({json.dumps(original)});\n{patch}"
