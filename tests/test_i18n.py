"""Every language a first-class handbook: complete catalogues, one build per language with its
own search, a switcher that keeps the page, and missing translations reported and marked."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from generator.engines.mkdocs.buildlog import WARNINGS_PER_RULE
from generator.site.i18n import catalogue_path
from tests.conftest import ROOT, run_cli

LANGUAGES = ("en", "ru", "lv", "tr")
TRANSLATED = ("ru", "lv", "tr")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _messages() -> set[str]:
    """The generator's own words, as `make messages` extracts them."""
    found: set[str] = set()
    method_map = [("**.py", "python"), ("site/templates/**.j2", "jinja2")]
    options = {"site/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "generator"),
        method_map,
        options_map=options,
        keywords={"_": None, "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_translates_every_message(language: str) -> None:
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    messages = _messages()
    assert len(messages) > 150
    missing = sorted(messages - set(translated))
    assert missing == []
    for message_id in messages:
        entry = translated[message_id]
        raw = entry.string
        strings = [str(s) for s in raw] if isinstance(raw, list | tuple) else [str(raw or "")]
        assert all(strings), f"{language}: no translation for {message_id!r}"
        source = set(PLACEHOLDER.findall(message_id))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= source | {"num"}, (message_id, text)
            assert '"' not in text, (language, message_id)


@pytest.fixture(scope="module")
def site(example_project: Path) -> Iterator[Path]:
    result = run_cli(
        "build", "--strict", cwd=example_project, env={"SOURCE_DATE_EPOCH": "1767225600"}
    )
    assert result.code == 0, result.stderr
    yield example_project / "site"


def _pages(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


@pytest.mark.slow
def test_every_page_exists_in_every_language(site: Path) -> None:
    english = _pages(site / "en")
    assert len(english) > 35
    for language in TRANSLATED:
        assert _pages(site / language) == english
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'url=en/"' in root


@pytest.mark.slow
def test_pages_declare_their_language_and_hold_no_untranslated_text(site: Path) -> None:
    for language in LANGUAGES:
        for page in ("values/val-004/index.html", "channels/phone/index.html", "index.html"):
            soup = BeautifulSoup(
                (site / language / page).read_text(encoding="utf-8"), "html.parser"
            )
            html = soup.find("html")
            assert html is not None and html.get("lang") == language
            assert soup.select(".hb-fallback") == []


@pytest.mark.slow
def test_the_switcher_keeps_the_page_and_every_link_resolves(site: Path) -> None:
    for language in LANGUAGES:
        for page in sorted((site / language).rglob("index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            links = {
                str(a.get("hreflang")): str(a.get("href")) for a in soup.select("a.md-select__link")
            }
            assert set(links) == set(LANGUAGES), page
            relative = page.relative_to(site / language)
            for other, href in links.items():
                target = (page.parent / href / "index.html").resolve()
                assert target == (site / other / relative).resolve(), (page, href)
                assert target.is_file()


def _index(site: Path, language: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (site / language / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    return document


@pytest.mark.slow
def test_each_language_has_its_own_search_index_and_stemmer(site: Path) -> None:
    # English second: its trimmer keeps ids and Latin-script names (test_browser searches them).
    expected = {"en": ["en"], "ru": ["ru", "en"], "tr": ["tr", "en"], "lv": ["en"]}
    for language in LANGUAGES:
        config = _index(site, language)["config"]
        assert config["lang"] == expected[language]
    # Latvian has no lunr support: no English step (stemmer, stop words, trimmer) touches it.
    assert _index(site, "lv")["config"]["pipeline"] == []
    for stemmed in ("en", "ru", "tr"):
        assert "stemmer" in _index(site, stemmed)["config"]["pipeline"]


STATEMENTS = {
    "en": "Never arrive at a customer's home unannounced.",
    "ru": "Никогда не приезжайте к клиенту домой без предупреждения.",
    "lv": "Nekad neierodieties pie klienta mājās bez brīdinājuma.",
    "tr": "Müşterinin evine asla habersiz gitmeyin.",
}


@pytest.mark.slow
def test_each_search_index_holds_its_language_and_only_it(site: Path) -> None:
    for language in LANGUAGES:
        text = " ".join(doc["text"] for doc in _index(site, language)["docs"])
        assert STATEMENTS[language] in text
        for other, statement in STATEMENTS.items():
            if other != language:
                assert statement not in text, (language, other)
        cyrillic = len(re.findall(r"[\u0400-\u04ff]", text))
        assert (cyrillic > 1000) is (language == "ru")


def test_example_has_no_missing_translation() -> None:
    result = run_cli("validate", "--strict", "--format", "json", cwd=ROOT)
    assert result.code == 0
    assert json.loads(result.stdout)["diagnostics"] == []


def _bilingual(small: Path, required: bool) -> None:
    settings = small / "standards" / "handbook.yml"
    text = settings.read_text(encoding="utf-8").replace(
        "  organisation: Small Shop\n",
        "  organisation: Small Shop\n  languages: [en, ru]\n"
        + ("  required_languages: [ru]\n" if required else ""),
    )
    settings.write_text(text, encoding="utf-8")


def test_missing_translations_are_reported_where_the_text_is(small: Path) -> None:
    _bilingual(small, required=False)
    norms = small / "standards" / "norms.yml"
    norms.write_text(
        norms.read_text(encoding="utf-8").replace(
            "    title: Greet every customer\n",
            "    title:\n      en: Greet every customer\n      ru: Приветствуйте каждого клиента\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("validate", "standards", "--format", "json", cwd=small)
    assert result.code == 0
    found = json.loads(result.stdout)["diagnostics"]
    where = {(d["file"], d["line"], d["column"]) for d in found if "NRM-001" in d["ids"]}
    assert ("standards/norms.yml", 6, 16) in where  # the statement, not translated
    assert not any(d["line"] in (3, 4, 5) and d["file"] == "standards/norms.yml" for d in found)
    assert {d["rule"] for d in found} == {"missing-translation"}
    assert all(d["severity"] == "warning" for d in found)


def test_a_build_logs_a_few_warnings_of_a_rule_and_how_many_more(small: Path) -> None:
    """Every text untranslated: `handbook validate` lists each; the build log shows twenty
    and the count of the rest, once per language built."""
    _bilingual(small, required=False)
    validated = run_cli("validate", "standards", "--format", "json", cwd=small)
    total = len(json.loads(validated.stdout)["diagnostics"])
    assert total > WARNINGS_PER_RULE
    built = run_cli("build", cwd=small)
    assert built.code == 0, built.stderr
    logged = [line for line in built.stderr.splitlines() if "[missing-translation]" in line]
    more = f"[missing-translation] {total - WARNINGS_PER_RULE:,} more warnings like these"
    assert sum(more in line for line in logged) == 2  # the English build and the Russian one
    assert len(logged) == 2 * (WARNINGS_PER_RULE + 1)
    assert "of category " in validated.stdout and "of categorie " not in validated.stdout


def test_a_required_language_makes_a_missing_translation_an_error(small: Path) -> None:
    _bilingual(small, required=True)
    result = run_cli("validate", "standards", cwd=small)
    assert result.code == 1
    assert "error[missing-required-translation]" in result.stdout


@pytest.mark.slow
def test_text_shown_in_the_default_language_is_marked(small: Path) -> None:
    _bilingual(small, required=False)
    result = run_cli("build", cwd=small, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.code == 0, result.stderr
    russian = BeautifulSoup(
        (small / "site" / "ru" / "values" / "val-001" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    marked = russian.select("article .hb-fallback")
    assert marked and all(m.get("lang") == "en" for m in marked)
    assert "We treat every customer as a guest." in {m.get_text() for m in marked}
    # The generator's own words are Russian all the same.
    assert "Почему это важно" in russian.get_text()
    english = (small / "site" / "en" / "values" / "val-001" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "hb-fallback" not in english
