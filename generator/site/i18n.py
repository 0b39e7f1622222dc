"""The generator's own words in the reader's language: a gettext catalogue per language.

Headings, labels and sentences of the templates, and the few phrases Python composes (how a
measure reads, how a checklist line is scored), are English message ids translated by
`generator/site/locale/<lang>/LC_MESSAGES/handbook.po`. The .po files are read directly (no
compiled .mo to keep in step); `tests/test_i18n.py` fails when a message lacks a translation.
Text from the standards themselves is translated in the YAML, not here.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from generator.site.folders import LOCALE

LOCALE_DIR = LOCALE
DOMAIN = "handbook"
SOURCE_LANGUAGE = "en"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for `language`; English (the message ids) when there is none."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
