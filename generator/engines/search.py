"""Search in each language, as Material's lunr search is told to do it: the same settings for
the plugin's build and for a rendered project."""

from __future__ import annotations

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
