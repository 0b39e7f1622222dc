"""Schema: the JSON Schema of a standards file, generated from the model.

Editors (VS Code with yaml-language-server, the GitHub web editor with a schema store) use it
for completion, hover docs and red squiggles while a policy owner types; it is written from the
same pydantic classes that validate the YAML, so the two can never disagree about a field.

Two steps. `_EditorSchema` turns the model into the form editors read well: an optional field
is left out rather than written `null` (an editor completes a `null` default literally), the
two forms of a text are a `oneOf` (under `anyOf` an editor that cannot tell the alternatives
apart shows the field's title once for each), a language map checks every key, and descriptions
are given as Markdown (an editor escapes plain ones, backticks and all). Then `_offer` puts the
handbook's own ids wherever the model marks a field as naming a section (`REFERS_TO`): a closed
list of terms and languages (a typo is underlined at once), the active values and norms with
their titles (open: a new item is written before the schema is made again). Without a handbook,
each such field keeps the examples of its own kind.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, NoDefault
from pydantic_core import CoreSchema, core_schema

from generator.model.items import REFERS_TO, Handbook, HandbookFile, Text, id_order

SCHEMA_FILE = "handbook.schema.json"
SCHEMA_FOLDER = "schemas"
SCHEMA_ID = "https://service-handbook.invalid/schemas/handbook.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
LABEL_WIDTH = 60  # what a completion list shows of a label (yaml-language-server: 60)


class _EditorSchema(GenerateJsonSchema):
    """pydantic's JSON Schema, in the form editors complete and explain correctly."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        # `owner: null` means the same as no `owner:` line; offering `null` only gets it typed.
        return self.generate_inner(schema["schema"])

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        # An empty default says nothing, and an editor would insert it (`roles: []`) where the
        # writer wants the list's first item.
        default = super().get_default_value(schema)
        if default is None or default == ():
            return NoDefault
        return default

    def get_union_of_schemas(self, schemas: list[JsonSchemaValue]) -> JsonSchemaValue:
        # Alternatives that are bare types (a number, or a number or a text) are one schema
        # with a list of types; an integer is a number.
        if all(set(schema) == {"type"} for schema in schemas):
            types = list(dict.fromkeys(str(schema["type"]) for schema in schemas))
            if "number" in types and "integer" in types:
                types.remove("integer")
            return {"type": types[0] if len(types) == 1 else types}
        # Alternatives of different types (a text or a map of translations) exclude each
        # other, and `oneOf` says so. Under `anyOf` an editor cannot tell which alternatives
        # matched and shows the field's title once for each ("Statement || Statement"). The
        # types are named beside them too: an editor completes a field by its `type`.
        kinds = [kind for schema in schemas if isinstance(kind := schema.get("type"), str)]
        if len(set(kinds)) == len(schemas):
            return {"type": kinds, "oneOf": schemas}
        return super().get_union_of_schemas(schemas)

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # Every key must be a valid key (`propertyNames`), not only those that happen to fit a
        # pattern (`patternProperties` lets any other key through unchecked).
        keys = self.generate_inner(schema["keys_schema"]) if "keys_schema" in schema else {}
        values = self.generate_inner(schema["values_schema"]) if "values_schema" in schema else {}
        names = {key: value for key, value in keys.items() if key not in ("type", "title")}
        return {
            "type": "object",
            "propertyNames": names,
            "additionalProperties": {k: v for k, v in values.items() if k != "title"} or True,
        }

    def generate(self, schema: CoreSchema, mode: Any = "validation") -> JsonSchemaValue:
        generated: JsonSchemaValue = _with_markdown(super().generate(schema, mode))
        return generated


def _with_markdown(node: Any) -> Any:
    """Every description also as `markdownDescription`: the descriptions are written in
    Markdown (`owners:` in backticks), which editors otherwise show escaped."""
    if isinstance(node, list):
        return [_with_markdown(child) for child in node]
    if not isinstance(node, dict):
        return node
    done = {key: _with_markdown(value) for key, value in node.items()}
    if isinstance(node.get("description"), str):
        done["markdownDescription"] = node["description"]
    return done


@dataclass(frozen=True)
class _Offer:
    """What an editor offers where a field names a section of the handbook."""

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    closed: bool
    """Only these ids are accepted (terms, languages), or they are suggested (items)."""


def _offers(handbook: Handbook) -> dict[str, _Offer]:
    language = handbook.settings.default_language
    offers = {
        section: _Offer(
            tuple(term.id for term in ordered),
            tuple(_plain(term.title, language) for term in ordered),
            closed=True,
        )
        for section, terms in handbook.taxonomy.items()
        for ordered in [sorted(terms, key=lambda term: term.id)]
    }
    languages = tuple(dict.fromkeys(handbook.settings.languages))  # one offer each
    offers["languages"] = _Offer(languages, languages, closed=True)
    for section, items in (("values", handbook.values), ("norms", handbook.norms)):
        active = sorted((i for i in items if i.status == "active"), key=lambda i: id_order(i.id))
        offers[section] = _Offer(
            tuple(item.id for item in active),
            tuple(_plain(item.title, language) for item in active),
            closed=False,
        )
    return offers


def _plain(text: Text, language: str) -> str:
    """A text on one line, in the default language (else the first): what a completion list
    shows. Control characters are dropped, so a title cannot disturb the editor's list."""
    if not isinstance(text, str):
        text = text.get(language) or next(iter(text.values()), "")
    if not text.isprintable():  # rare: looked at character by character only then
        text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())


def _offer(node: Any, offers: Mapping[str, _Offer] | None) -> Any:
    """The schema with each marked field's ids put in, and every mark taken out."""
    if isinstance(node, list):
        return [_offer(child, offers) for child in node]
    if not isinstance(node, dict):
        return node
    done = {key: _offer(value, offers) for key, value in node.items() if key != REFERS_TO}
    if offers is not None and any(
        _names(form.get("propertyNames")) == "languages" for form in node.get("oneOf", ())
    ):
        done.update(_translations(offers["languages"].ids))
    section = node.get(REFERS_TO)
    if section is None or offers is None:
        return done
    offer = offers.get(section, _Offer((), (), closed=True))
    done.pop("examples", None)  # examples of the kind, for a schema that knows no handbook
    if not offer.ids:
        return done  # nothing to offer: the id's form is all an editor can check
    if offer.closed:
        done.pop("pattern", None)
        done.pop("patternErrorMessage", None)
        done["enum"] = list(offer.ids)
        if offer.titles != offer.ids:
            done["enumDescriptions"] = list(offer.titles)
        return done
    done["defaultSnippets"] = [
        _suggestion(rank, ident, title)
        for rank, (ident, title) in enumerate(zip(offer.ids, offer.titles, strict=True))
    ]
    return done


def _suggestion(rank: int, ident: str, title: str) -> dict[str, str]:
    """An item as an editor lists it: the id with its title, inserting the id. A label longer
    than an editor's list is cut to fit here, at a word, with the whole title beside it:
    yaml-language-server cuts it itself and then lists the item twice."""
    label = f"{ident} — {title}"
    suggestion = {"label": label, "bodyText": ident, "sortText": f"{rank:06d}"}
    if len(label) > LABEL_WIDTH:
        cut = label[: LABEL_WIDTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
        suggestion.update(label=f"{cut}…", description=title)
    return suggestion


def _names(node: Any) -> str | None:
    return node.get(REFERS_TO) if isinstance(node, dict) else None


def _translations(languages: tuple[str, ...]) -> dict[str, Any]:
    """A text in every language the handbook publishes, ready to fill in: what a writer
    completes in a handbook of several languages (one language needs no map)."""
    if len(languages) < 2:
        return {}
    body = {language: f"${{{number}}}" for number, language in enumerate(languages, 1)}
    return {"defaultSnippets": [{"label": ", ".join(languages), "body": body}]}


@functools.cache
def _generated() -> dict[str, Any]:
    """The model's schema, made once: `handbook validate` compares the schema on every run.
    Never changed by its readers (`_offer` builds a new one)."""
    return HandbookFile.model_json_schema(schema_generator=_EditorSchema)


def handbook_schema(handbook: Handbook | None = None) -> dict[str, Any]:
    """The schema; given a handbook, it also lists the handbook's own ids where they are
    expected, so that the editor completes `channel: ph…` and flags `category: sped`."""
    schema = _offer(_generated(), None if handbook is None else _offers(handbook))
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        **schema,
        "title": "Service handbook standards file",
    }


def outdated(written: str, handbook: Handbook) -> Literal["checks", "suggestions"] | None:
    """How a schema file differs from the one the handbook gives: in what it checks (an
    editor underlines an id or a language the standards declare, or lets through one they no
    longer do), only in the values and norms it suggests, or not at all."""
    if written == schema_text(handbook):
        return None
    try:
        parsed = json.loads(written)
    except ValueError:
        return "checks"
    same = _checks(parsed) == _checks(handbook_schema(handbook))
    return "suggestions" if same else "checks"


def _checks(node: Any) -> Any:
    """A schema without its suggestions."""
    if isinstance(node, list):
        return [_checks(child) for child in node]
    if not isinstance(node, dict):
        return node
    return {key: _checks(value) for key, value in node.items() if key != "defaultSnippets"}


def schema_text(handbook: Handbook | None = None) -> str:
    """The schema as written to disk: stable key order and a final newline, so that it is
    byte-identical run after run and a stale copy in the repository shows up in review."""
    return json.dumps(handbook_schema(handbook), indent=2, ensure_ascii=False) + "\n"
