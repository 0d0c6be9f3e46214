"""The format described: the JSON Schema of `charta.yaml`, that of `charta.json`, and the key
table of docs/format.md, all made from the declarations of model.py.

Both schemas are JSON Schema draft-07, the draft that yaml-language-server (the engine of the
YAML support in VS Code, Neovim and other editors) handles fully.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urljoin

from . import limits
from .keys import (
    PAIR,
    Container,
    Key,
    Kind,
    ListOf,
    MapOf,
    Markdown,
    Nested,
    Translated,
    Translations,
    walk,
)
from .lang import TAG
from .model import CHARTA, Charta
from .outputs import Build, Difference

if TYPE_CHECKING:
    from .outputs import Files
from .policy import added, dump, presence

DRAFT: Final = "http://json-schema.org/draft-07/schema#"
TAG_PATTERN: Final = f"^{TAG.pattern}$"
POLICY_FILE: Final = "charta.schema.json"
"""The policy's schema beside `charta.json` in the output."""
CHARTA_FILE: Final = "charta.yaml.schema.json"
"""The editor's schema of `charta.yaml`, beside it in a project (`charta init` writes it)."""


def charta_schema() -> dict[str, Any]:
    """The JSON Schema of `charta.yaml`: every key with its type, default, example and meaning."""
    writer = _Schema(policy=False)
    root = writer.object(CHARTA, None)
    return {
        "$schema": DRAFT,
        "title": "Kontaktcharta, format 1 (charta.yaml)",
        "description": Charta.__doc__ or "",
        **root,
        "definitions": writer.definitions,
    }


def policy_schema(url: str | None = None, kinds: bool = False) -> dict[str, Any]:
    """The JSON Schema of `charta.json`; its `$id` sits under `url` when there is one. With
    `kinds`, each key's schema also names its kind (`x-kind`: `Url`, `Date`, …), for the
    JavaScript reader's checks beyond the schema (js/src/check.js)."""
    writer = _Schema(policy=True, kinds=kinds)
    content = writer.object(CHARTA, None)
    writer.definitions["translation"] = {  # every key but revision (and translations)
        **content,
        "properties": {k: v for k, v in content["properties"].items() if k != "revision"},
        "required": [k for k in content["required"] if k != "revision"],
    }
    translations = {
        "type": "object",
        "description": "The same policy in more languages, by language tag; each has every key "
        "but revision and translations.",
        "propertyNames": {"pattern": TAG_PATTERN},
        "additionalProperties": {"$ref": "#/definitions/translation"},
        "maxProperties": limits.TRANSLATIONS,
        **({"x-limit": "translations"} if kinds else {}),
    }
    root = {
        **content,
        "properties": {**content["properties"], "translations": translations},
        "required": [*content["required"], "translations"],
    }
    schema: dict[str, Any] = {"$schema": DRAFT}
    if url:
        schema["$id"] = urljoin(url, POLICY_FILE)
    schema |= {
        "title": "Kontaktcharta policy, format 1 (charta.json)",
        "description": "The rules for contact requests, their texts and links, as the page "
        "shows them.",
        **root,
        "definitions": writer.definitions,
    }
    return schema


def javascript_schema() -> str:
    """js/src/policy-schema.js: the policy's schema (the JavaScript reader's declarations) and
    what a translation may change (policy_reader.translation_plan)."""
    import json

    from .policy_reader import translation_plan

    def text(data: Any) -> str:
        return json.dumps(data, indent=2, ensure_ascii=False)

    return (
        "// The JSON Schema of a policy and what a translation of it may change, made from the\n"
        "// declarations of src/kontaktcharta/model.py by kontaktcharta.schema.javascript_schema:\n"
        "// do not edit; run python tests/regen.py --schemas.\n\n"
        f"/** What a translation may change: see policy_reader.translation_plan. */\n"
        f"export const translation = {text(translation_plan())}\n\n"
        f"export default {text(policy_schema(kinds=True))}\n"
    )


class _Schema:
    """Writes the schema of one file: objects as definitions, the rest in place."""

    def __init__(self, policy: bool, kinds: bool = False) -> None:
        self.policy = policy
        self.kinds = kinds
        self.definitions: dict[str, Any] = {}

    def object(self, kind: Nested, part: str | None, top: bool = True) -> dict[str, Any]:
        """The schema of an object of declared keys."""
        where = kind.part or part
        properties: dict[str, Any] = {}
        required: list[str] = []
        extra = added(kind.cls)
        for name, declared in kind.keys(part).items():
            if self.policy and (isinstance(declared.kind, Translations) or not declared.policy):
                continue
            if self.policy and isinstance(declared.kind, Markdown) and name == "text":
                for pair in ("text", "html"):
                    properties[pair] = {
                        **PAIR[pair],
                        "description": f"{declared.doc} {PAIR[pair]['description']}",
                        **({"x-kind": "Markdown"} if self.kinds else {}),
                    }
                    required.append(pair)
            else:
                properties[name] = self.key(declared, where, top)
                if declared.required or (self.policy and presence(declared, top) != "optional"):
                    required.append(name)
            if self.policy and name in extra:
                own, key = extra[name]
                properties[own] = self.key(key, where, top)
                required.append(own)
        return {
            "type": "object",
            "required": required,
            "additionalProperties": False,
            "properties": properties,
        }

    def key(self, declared: Key, part: str | None, top: bool) -> dict[str, Any]:
        """A key's schema with its documentation."""
        schema = self.kind(declared.kind, part)
        nullable = presence(declared, top) == "nullable" if self.policy else not declared.required
        if nullable:  # in charta.yaml an empty optional key (`url:`) counts as not given
            schema = {"anyOf": [schema, {"type": "null"}]}
        doc = (self.policy and declared.policy_doc) or declared.doc
        described: dict[str, Any] = {"description": doc, "markdownDescription": doc}
        example = declared.example_in(part)
        if not self.policy and example and not isinstance(declared.kind, Nested):
            described["examples"] = [_example(example)]
        if self.kinds and not isinstance(declared.kind, Container):
            described["x-kind"] = type(declared.kind).__name__
        return {**described, **schema}

    def kind(self, kind: Kind, part: str | None) -> dict[str, Any]:
        """The schema of a value of a kind."""
        if isinstance(kind, Nested):
            return {"$ref": f"#/definitions/{self.define(kind, part)}"}
        if isinstance(kind, ListOf):
            schema: dict[str, Any] = {"type": "array", "items": self.kind(kind.item, part)}
            if kind.min_items:
                schema["minItems"] = kind.min_items
            if kind.max_items is not None:
                schema["maxItems"] = kind.max_items
            return self.limited(schema, kind)
        if isinstance(kind, MapOf):
            if self.policy and kind.name_field is not None:
                assert isinstance(kind.item, Nested)
                named = self.define(kind.item, part, name=kind.name_field, pattern=kind.names)
                schema = {"type": "array", "items": {"$ref": f"#/definitions/{named}"}}
                if kind.max_items is not None:
                    schema["maxItems"] = kind.max_items
                return self.limited(schema, kind)
            schema = {"type": "object", "additionalProperties": self.kind(kind.item, part)}
            if kind.names:
                schema["propertyNames"] = {"pattern": kind.names}
            if kind.max_items is not None:
                schema["maxProperties"] = kind.max_items
            return self.limited(schema, kind)
        return kind.json_schema() if self.policy else kind.yaml_schema()

    def limited(self, schema: dict[str, Any], kind: ListOf | MapOf) -> dict[str, Any]:
        """A list's or mapping's schema, with the name of its limit (`x-limit`) for kinds."""
        if self.kinds and kind.limit:
            schema["x-limit"] = kind.limit
        return schema

    def define(self, kind: Nested, part: str | None, name: str = "", pattern: str = "") -> str:
        """The definition of an object, made once; its name."""
        where = kind.part or part
        label = kind.cls.__name__.lower()
        if where:  # the accept and the decline list, and each one's criteria
            label = where if label == "section" else f"{where}-{label}"
        if isinstance(kind, Translated):
            label = f"translated-{label}"
        if label not in self.definitions:
            self.definitions[label] = {}  # taken, before its keys are walked
            schema = self.object(kind, part, top=False)
            if name:
                named = {"type": "string", "pattern": pattern, "description": "Its name."}
                if self.kinds:
                    named["x-kind"] = "Name"
                schema["properties"] = {
                    name: named,
                    **schema["properties"],
                }
                schema["required"] = [name, *schema["required"]]
            schema["description"] = (kind.cls.__doc__ or "").strip()
            self.definitions[label] = schema
        return label


def _example(example: str) -> Any:
    """The example as YAML reads it: `[a, b]` a list, `1000` a number."""
    import yaml

    from .yamlfile import FAST_LOADER

    try:
        return yaml.load(example, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return example


def key_table() -> str:
    """The key table of docs/format.md (a test keeps the docs in step)."""
    rows = [
        "| key | type | required / default | example | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for path, declared, part in walk(CHARTA):
        kind = declared.kind
        name = kind.name
        if hasattr(kind, "choices"):
            name = "one of " + ", ".join(f"`{c}`" for c in kind.choices)
        elif isinstance(kind, ListOf | MapOf) and not isinstance(kind.item, Nested):
            name += f" of {kind.item.name}"
        need = "required" if declared.required else (declared.absent or "optional")
        example = declared.example_in(part).replace("\n", " ").replace("|", "\\|")
        shown = f"`{example}`" if example else ""
        rows.append(f"| `{path}` | {name} | {need} | {shown} | {declared.doc} |")
    return "\n".join(rows) + "\n"


class PolicySchemaFile:
    """`charta.schema.json`, the JSON Schema of the policy beside it."""

    source = "Kontaktcharta"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        yield POLICY_FILE, dump(policy_schema(build.charta.url))

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        return iter(())  # a tool checks a policy by it; charta verify reads the policy itself


POLICY_SCHEMA = PolicySchemaFile()
