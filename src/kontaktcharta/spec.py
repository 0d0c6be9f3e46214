"""The keys of `charta.yaml` in one place: the loader reads by them, the docs are made from them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from . import model


@dataclass(frozen=True, slots=True)
class Key:
    """One key of the format."""

    kind: str
    """How the value is read: text, inline, block, url, link, date, slug, bool, int, version,
    lang, choice, cel, template, scalar, object, list, map."""
    doc: str
    """One sentence for the format reference."""
    example: str = ""
    """A YAML value as a user would write it."""
    required: bool = False
    """Whether the key must be there."""
    default: str = ""
    """What an absent optional key means, for the docs."""
    fields: Mapping[str, Key] | None = None
    """For object, and list or map of objects: the keys of each entry."""
    item: Key | None = None
    """For list or map of single values: the kind of each value."""
    make: Callable[..., Any] | None = None
    """For objects: builds the model value from the read keys."""
    choices: tuple[str, ...] = ()
    """For choice: the allowed values."""
    min_items: int = 0
    """For lists: how many entries are needed."""


def _criterion_keys(decline: bool) -> dict[str, Key]:
    keys = {
        "id": Key(
            "slug",
            "Unique in the whole charta; the deep link is `#<section>-<id>`.",
            "met",
            required=True,
        ),
        "text": Key(
            "inline",
            "The criterion as the page shows it (inline Markdown).",
            "zu Menschen, denen ich *begegnet* bin",
            required=True,
        ),
        "when": Key(
            "cel",
            "CEL expression over the declared facts and `platform`; without it "
            "the criterion is a matter of judgement.",
            "met || mutual_contacts >= 5",
            default="a matter of judgement",
        ),
        "platforms": Key(
            "list",
            "Platform ids where the criterion applies.",
            "[xing, linkedin]",
            item=Key("slug", "A platform id."),
            default="every platform",
        ),
        "reason": Key(
            "text",
            "A sentence for decline messages.",
            "Ein Spruch ersetzt keinen Anlass.",
            default="the plain text",
        ),
    }
    if decline:
        keys["otherwise"] = Key(
            "bool",
            "The fallback: holds when no accept criterion holds (at most one).",
            "true",
            default="false",
        )
    return keys


def _section(name: Literal["accept", "decline"], title: str, decline: bool) -> Key:
    fields = {
        "title": Key("text", "The heading of the list.", title, required=True),
        "criteria": Key(
            "list",
            "The criteria, in the order the page shows them.",
            fields=_criterion_keys(decline),
            make=model.Criterion,
            min_items=1,
            required=True,
        ),
    }
    if not decline:
        fields["match"] = Key(
            "choice",
            "`any`: one criterion suffices; `all`: every applicable one must hold.",
            "any",
            choices=("any", "all"),
            default="any",
        )
    return Key(
        "object",
        f"The {name} list.",
        fields=fields,
        make=partial(model.Section, name),
        required=True,
    )


_REQUEST = {
    "platform": Key("slug", "The platform id of the request.", "xing"),
    "facts": Key("map", "Known facts by name.", "{met: true}", item=Key("scalar", "A value.")),
    "judgements": Key(
        "map",
        "Verdicts on criteria without `when`, by criterion id.",
        "{profile-poor: false}",
        item=Key("bool", "true or false."),
    ),
}

CHARTA: dict[str, Key] = {
    "charta": Key("version", "Format version; always 1.", "1", required=True),
    "lang": Key("lang", "BCP 47 language tag of the texts.", "de", required=True),
    "title": Key("text", "The page's title.", "Social-Media-Kontaktcharta", required=True),
    "owner": Key(
        "object",
        "Whose charta this is.",
        required=True,
        make=model.Owner,
        fields={
            "name": Key("text", "The owner's name.", "Erika Musterfrau", required=True),
            "url": Key("url", "The owner's home page.", "https://erika.example/"),
        },
    ),
    "url": Key(
        "url",
        "Public address of the page; without it `charta.json` has relative links.",
        "https://erika.example/kontaktcharta/",
        default="relative links only",
    ),
    "updated": Key("date", "Date of this revision.", "2026-11-21", required=True),
    "review_by": Key(
        "date",
        "When to look at the charta again; the build warns from 30 days before.",
        "2027-11-21",
    ),
    "based_on": Key(
        "object",
        "Credit line.",
        make=model.Credit,
        fields={
            "text": Key(
                "inline",
                "The credit (inline Markdown).",
                "Angelehnt an die Kontaktcharta von …",
                required=True,
            ),
            "url": Key("url", "Where the earlier charta lives.", "https://example.org/charta/"),
        },
    ),
    "intro": Key("block", "Shown under the title (Markdown).", "Netzwerke wie XING …"),
    "platforms": Key(
        "list",
        "Where the charta applies.",
        make=model.Platform,
        fields={
            "id": Key("slug", "Unique platform id.", "xing", required=True),
            "name": Key("text", "The network's name.", "XING", required=True),
            "use": Key(
                "choice",
                "How you use the network.",
                "business",
                choices=("business", "private", "mixed"),
                required=True,
            ),
            "profile": Key("url", "Your profile there.", "https://www.xing.com/profile/Erika"),
            "message_limit": Key(
                "int", "Longest reply (characters) the network takes.", "1000", default="no limit"
            ),
        },
        default="none",
    ),
    "facts": Key(
        "map",
        "What a tool may know about a request; `when` rules read them.",
        make=model.Fact,
        fields={
            "type": Key(
                "choice",
                "The CEL type.",
                "bool",
                choices=("bool", "int", "double", "string"),
                required=True,
            ),
            "question": Key(
                "text",
                "The question that asks a person for the fact.",
                "Sind wir uns begegnet?",
                required=True,
            ),
            "values": Key(
                "list",
                "The allowed values.",
                "[customer, partner, none]",
                item=Key("scalar", "A value of the fact's type."),
                min_items=1,
                default="any value of the type",
            ),
        },
        default="none",
    ),
    "accept": _section("accept", "Ich freue mich über Kontakte", decline=False),
    "decline": _section("decline", "Ich lehne Kontakte ab, wenn", decline=True),
    "goal": Key(
        "block", "Why the charta exists (Markdown).", "Meine Liste soll überschaubar bleiben."
    ),
    "declined": Key(
        "object",
        'The "Abgelehnt – was jetzt?" section.',
        required=True,
        make=model.Declined,
        fields={
            "title": Key("text", "The heading.", "Abgelehnt – was jetzt?", required=True),
            "text": Key(
                "block",
                "What a declined person should know (Markdown).",
                "Bitte nehmen Sie es nicht persönlich.",
                required=True,
            ),
            "alternatives": Key(
                "list",
                "What a declined person can do instead.",
                make=model.Alternative,
                fields={
                    "text": Key(
                        "inline",
                        "The alternative (inline Markdown).",
                        "Meine Neuigkeiten abonnieren",
                        required=True,
                    ),
                    "url": Key(
                        "link",
                        "Where to do it (http, https or mailto).",
                        "https://erika.example/news/",
                    ),
                },
                default="none",
            ),
        },
    ),
    "messages": Key(
        "object",
        "Templates for replies.",
        make=model.Messages,
        fields={
            "decline": Key(
                "template",
                "Decline message with `{name}`, `{reasons}`, `{url}`, `{alternatives}`.",
                "Guten Tag {name}, … {reasons} … {url}",
                default="a built-in template in German or English",
            ),
        },
    ),
    "examples": Key(
        "list",
        "Requests and what the rules must decide; the build checks them.",
        make=model.Example,
        fields={
            "name": Key(
                "text", "Names the example in errors.", "Kunde ohne Begegnung", required=True
            ),
            "request": Key(
                "object", "The request.", make=model.Request, fields=_REQUEST, required=True
            ),
            "expect": Key(
                "choice",
                "The decision the rules must give.",
                "accept",
                choices=("accept", "decline", "review"),
                required=True,
            ),
            "reasons": Key(
                "list",
                "The criterion ids the decision must give.",
                "[customers]",
                item=Key("slug", "A criterion id."),
                default="not checked",
            ),
        },
        default="none",
    ),
}


def _translated_section(name: str) -> Key:
    return Key(
        "object",
        f"The {name} list's texts.",
        required=True,
        fields={
            "title": Key("text", "The heading.", "I gladly accept contacts", required=True),
            "criteria": Key(
                "map",
                "Each criterion's texts, by its id.",
                required=True,
                fields={
                    "text": Key(
                        "inline", "The criterion.", "from people I have met", required=True
                    ),
                    "reason": Key(
                        "text",
                        "The sentence for decline messages (where the main language has one).",
                        "A slogan is no reason.",
                    ),
                },
            ),
        },
    )


TRANSLATION: dict[str, Key] = {
    "title": Key("text", "The page's title.", "My contact charter", required=True),
    "intro": Key("block", "The intro (where the main language has one).", "On XING and …"),
    "based_on": Key(
        "object",
        "The credit line's text (where there is one).",
        fields={
            "text": Key("inline", "The credit.", "Inspired by …", required=True),
        },
    ),
    "facts": Key(
        "map",
        "Each fact's question, by its name.",
        fields={
            "question": Key("text", "The question.", "Have we met?", required=True),
        },
    ),
    "accept": _translated_section("accept"),
    "decline": _translated_section("decline"),
    "goal": Key("block", "The goal (where the main language has one).", "I keep my list …"),
    "declined": Key(
        "object",
        "The declined section's texts.",
        required=True,
        fields={
            "title": Key("text", "The heading.", "Declined – what now?", required=True),
            "text": Key("block", "The text.", "Please do not take it personally.", required=True),
            "alternatives": Key(
                "list",
                "Each alternative in the same order; `url` only where it differs.",
                fields={
                    "text": Key(
                        "inline", "The alternative.", "Subscribe to my newsletter", required=True
                    ),
                    "url": Key(
                        "link", "A page in this language.", "https://erika.example/en/news/"
                    ),
                },
            ),
        },
    ),
    "messages": Key(
        "object",
        "The decline template (where the main language has one).",
        fields={"decline": Key("template", "The template.", "Hello {name}, … {reasons} … {url}")},
    ),
}
CHARTA["translations"] = Key(
    "map",
    "The charta in more languages, by language tag; each is a page of its own "
    "(`/en/`) and a part of `charta.json`.",
    fields=TRANSLATION,
    default="none",
)


def walk(keys: Mapping[str, Key] = CHARTA, prefix: str = "") -> Iterator[tuple[str, Key]]:
    """Every key path of the format with its Key, in document order."""
    for name, key in keys.items():
        path = f"{prefix}{name}"
        yield path, key
        if key.fields is not None:
            inner = (
                f"{path}[]."
                if key.kind == "list"
                else (f"{path}.<name>." if key.kind == "map" else f"{path}.")
            )
            yield from walk(key.fields, inner)


TYPE_NAMES = {
    "text": "text",
    "inline": "inline Markdown",
    "block": "Markdown",
    "cel": "CEL expression",
    "template": "message template",
    "url": "http(s) URL",
    "link": "http(s) or mailto URL",
    "date": "date (YYYY-MM-DD)",
    "slug": "slug",
    "bool": "true/false",
    "int": "whole number ≥ 1",
    "version": "1",
    "lang": "BCP 47 tag",
    "choice": "one of",
    "scalar": "bool, number or text",
    "object": "mapping",
    "list": "list",
    "map": "mapping by name",
}


def reference() -> str:
    """The key table of docs/format.md, made from this spec (a test keeps the docs in step)."""
    rows = [
        "| key | type | required / default | example | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for path, key in walk():
        kind = TYPE_NAMES[key.kind]
        if key.kind == "choice":
            kind = "one of " + ", ".join(f"`{c}`" for c in key.choices)
        elif key.item is not None:
            kind += f" of {TYPE_NAMES[key.item.kind]}"
        need = "required" if key.required else (key.default or "optional")
        example = f"`{key.example}`".replace("\n", " ").replace("|", "\\|") if key.example else ""
        rows.append(f"| `{path}` | {kind} | {need} | {example} | {key.doc} |")
    return "\n".join(rows) + "\n"
