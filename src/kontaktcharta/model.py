"""The format, declared once: the model of a charta, whose every field is a key of `charta.yaml`.

Each field says with `key()` what it takes, its default (none: the key is required), an
example and what it means. The loader (load.py), the policy writer and reader (policy.py,
policy_reader.py), both JSON Schemas and the key table of the docs (schema.py) and the
translations (translate.py) are all made from these declarations; the renderers use the objects
themselves. Field names are the YAML keys, so a path in an error reads like what the author
wrote.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Mapping
from typing import Final, Literal, get_args
from urllib.parse import urljoin

from . import limits
from .defaults import default_decline_template
from .errors import Place
from .keys import (
    Bool,
    Cel,
    Choice,
    Date,
    Image,
    Int,
    Lang,
    ListOf,
    MapOf,
    Markdown,
    MessageTemplate,
    Nested,
    PlainText,
    Scalar,
    Slug,
    Translations,
    Url,
    Version,
    declared,
    key,
)
from .picture import Picture
from .text import Text

Use = Literal["business", "private", "mixed"]
FactType = Literal["bool", "int", "double", "string"]
Match = Literal["any", "all"]
Outcome = Literal["accept", "decline", "review"]
FactValue = bool | int | float | str
FACT_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
PLATFORM = "platform"
"""The variable every rule may read, beside the declared facts: the platform id of a request."""
PLACEHOLDERS: Final = ("name", "reasons", "url", "alternatives")
"""What a decline template may fill in (see messages.py)."""
TEMPLATE: Final = MessageTemplate(PLACEHOLDERS)


@declared
class Owner:
    """Who the charta belongs to."""

    name: str = key(PlainText(), "The owner's name.", example="Erika Musterfrau")
    url: str | None = key(
        Url(), "The owner's home page.", example="https://erika.example/", default=None
    )


@declared
class Credit:
    """The `based_on` credit line."""

    text: Text = key(
        Markdown(block=False),
        "The credit (inline Markdown).",
        example="Angelehnt an die Kontaktcharta von …",
        translated=True,
    )
    url: str | None = key(
        Url(),
        "Where the earlier charta lives.",
        example="https://example.org/charta/",
        default=None,
    )


@declared
class PlatformMessages:
    """Templates for replies on one platform, in place of the charta's."""

    decline: str = key(
        TEMPLATE,
        "The decline message on this platform, with the placeholders of `messages.decline`.",
        example="Hallo {name}, Facebook nutze ich nur privat. Beruflich gern auf XING: {url}",
        translated=True,
    )


@declared
class Platform:
    """A network where the charta applies."""

    id: str = key(Slug(), "Unique platform id.", example="xing")
    name: str = key(PlainText(), "The network's name.", example="XING")
    use: Use = key(
        Choice(*get_args(Use)),
        "How you use the network.",
        example="business",
    )
    profile: str | None = key(
        Url(), "Your profile there.", example="https://www.xing.com/profile/Erika", default=None
    )
    message_limit: int | None = key(
        Int(),
        "Longest reply (characters) the network takes.",
        example="1000",
        absent="no limit",
        default=None,
    )
    messages: PlatformMessages | None = key(
        Nested(PlatformMessages),
        "Templates that replace the charta's `messages` on this platform.",
        absent="the charta's messages",
        default=None,
    )


@declared
class Fact:
    """Something a tool may know about a request; `when` rules read it."""

    name: str = dataclasses.field()
    """The fact's name, a CEL identifier: its key under `facts`."""
    type: FactType = key(Choice(*get_args(FactType)), "The CEL type.", example="bool")
    question: str = key(
        PlainText(),
        "The question that asks a person for the fact.",
        example="Sind wir uns begegnet?",
        translated=True,
    )
    values: tuple[FactValue, ...] | None = key(
        ListOf(Scalar(), min_items=1, max_items=limits.FACT_VALUES, limit="fact values"),
        "The allowed values.",
        example="[customer, partner, none]",
        absent="any value of the type",
        default=None,
    )


@declared
class Criterion:
    """One reason to accept or to decline."""

    id: str = key(
        Slug(),
        "Unique in the whole charta; the deep link is `#<section>-<id>`.",
        example="met",
    )
    text: Text = key(
        Markdown(block=False),
        "The criterion as the page shows it (inline Markdown).",
        example="zu Menschen, denen ich *begegnet* bin",
        translated=True,
    )
    when: str | None = key(
        Cel(max_length=limits.RULE_LENGTH),
        "CEL expression over the declared facts and `platform`; without it the criterion is a "
        "matter of judgement.",
        example="met || mutual_contacts >= 5",
        absent="a matter of judgement",
        default=None,
    )
    platforms: tuple[str, ...] | None = key(
        ListOf(Slug(), min_items=1),
        "Platform ids where the criterion applies.",
        example="[xing, linkedin]",
        absent="every platform",
        default=None,
    )
    reason: str | None = key(
        PlainText(),
        "A sentence for decline messages: why a request is declined for this criterion, or, on "
        "an accept criterion under `match: all`, what is missing when it does not hold.",
        example="Ein Spruch ersetzt keinen Anlass.",
        absent="the plain text",
        translated=True,
        default=None,
    )
    question: str | None = key(
        PlainText(),
        "How to ask a person whether a criterion without `when` holds (a matter of judgement).",
        example="Ist mir die Person einigermaßen sympathisch?",
        absent="the criterion's text",
        translated=True,
        default=None,
    )
    otherwise: bool | None = key(
        Bool(),
        "The fallback: holds when no accept criterion holds (at most one).",
        example="true",
        absent="false",
        only="decline",
        default=None,
    )
    reply: bool | None = key(
        Bool(),
        "`false`: a request declined for this criterion gets no message; it is ignored.",
        example="false",
        absent="true",
        only="decline",
        default=None,
    )

    @property
    def judged(self) -> bool:
        """Whether a person judges it: no rule decides it, and it is not the fallback."""
        return self.when is None and not self.otherwise


@declared
class Section:
    """The accept or the decline list."""

    name: Literal["accept", "decline"] = dataclasses.field()
    """Which list this is; also the anchor of the section."""
    title: str = key(
        PlainText(),
        "The heading of the list.",
        example={
            "accept": "Ich freue mich über Kontakte",
            "decline": "Ich lehne Kontakte ab, wenn",
        },
        translated=True,
    )
    match: Match = key(
        Choice(*get_args(Match)),
        "`any`: one criterion suffices; `all`: every applicable one must hold.",
        example="any",
        default="any",
        absent="any",
        only="accept",
    )
    criteria: tuple[Criterion, ...] = key(
        ListOf(Nested(Criterion), min_items=1, max_items=limits.CRITERIA, limit="criteria"),
        "The criteria, in the order the page shows them.",
    )


@declared
class Alternative:
    """Something a declined person can do instead."""

    text: Text = key(
        Markdown(block=False),
        "The alternative (inline Markdown).",
        example="Meine Neuigkeiten abonnieren",
        translated=True,
    )
    url: str | None = key(
        Url(mailto=True),
        "Where to do it (http, https or mailto).",
        example="https://erika.example/news/",
        translated="override",
        default=None,
    )


@declared
class Declined:
    """The "Abgelehnt – was jetzt?" section."""

    title: str = key(
        PlainText(),
        "The heading.",
        example="Abgelehnt – was jetzt?",
        translated=True,
    )
    text: Text = key(
        Markdown(block=True),
        "What a declined person should know (Markdown).",
        example="Bitte nehmen Sie es nicht persönlich.",
        translated=True,
    )
    alternatives: tuple[Alternative, ...] = key(
        ListOf(Nested(Alternative), max_items=limits.ALTERNATIVES, limit="alternatives"),
        "What a declined person can do instead.",
        default=(),
        absent="none",
    )


def _default_decline(charta: Charta) -> str:
    return default_decline_template(charta.lang)


@declared
class Messages:
    """Templates for replies."""

    decline: str | None = key(
        TEMPLATE,
        "Decline message with `{name}`, `{reasons}`, `{url}`, `{alternatives}`.",
        example="Guten Tag {name}, … {reasons} … {url}",
        absent="a built-in template in German or English",
        translated=True,
        written=_default_decline,
        default=None,
    )


@declared
class Request:
    """A contact request as a tool sees it."""

    platform: str | None = key(
        Slug(), "The platform id of the request.", example="xing", default=None
    )
    facts: Mapping[str, FactValue] = key(
        MapOf(Scalar()), "Known facts by name.", example="{met: true}", default={}
    )
    judgements: Mapping[str, bool] | None = key(
        MapOf(Bool()),
        "Verdicts on criteria without `when`, by criterion id.",
        example="{profile-poor: false}",
        default=None,
    )


@declared
class Example:
    """A request and what the rules must decide for it."""

    name: str = key(PlainText(), "Names the example in errors.", example="Kunde ohne Begegnung")
    request: Request = key(Nested(Request), "The request.")
    expect: Outcome = key(
        Choice(*get_args(Outcome)),
        "The decision the rules must give.",
        example="accept",
    )
    reasons: tuple[str, ...] | None = key(
        ListOf(Slug()),
        "The criterion ids the decision must give.",
        example="[customers]",
        absent="not checked",
        default=None,
    )
    unmet: tuple[str, ...] | None = key(
        ListOf(Slug()),
        "The accept criteria the decision must name as unmet (under `match: all`).",
        example="[mutual]",
        absent="not checked",
        default=None,
    )
    reply: bool | None = key(
        Bool(),
        "Whether the decision must answer the request (`false`: ignored).",
        example="false",
        absent="not checked",
        default=None,
    )
    message: str | None = key(
        PlainText(),
        "The exact decline message the decision must give, with the example's `name` as the "
        "requester's name.",
        example="Hallo Max, …",
        absent="not checked",
        default=None,
    )


@declared
class Charta:
    """A whole, validated charta."""

    charta: int = key(Version(), "Format version; always 1.", example="1")
    lang: str = key(Lang(), "BCP 47 language tag of the texts.", example="de")
    title: str = key(
        PlainText(),
        "The page's title.",
        example="Social-Media-Kontaktcharta",
        translated=True,
    )
    owner: Owner = key(Nested(Owner), "Whose charta this is.")
    url: str | None = key(
        Url(),
        "Public address of the page; without it `charta.json` has relative links.",
        example="https://erika.example/kontaktcharta/",
        absent="relative links only",
        default=None,
    )
    theme: str | None = key(
        PlainText(),
        "The theme the site is built with: a built-in or installed theme's name, or a folder "
        "(written with a slash, `./mytheme`, from the charta's folder); `--theme` overrides it. "
        "Only the build reads it: `charta.json` does not carry it.",
        example="cards",
        absent="default",
        default=None,
        policy=False,
    )
    image: Picture | None = key(
        Image(),
        "The picture link previews show (og:image): an https URL, or a PNG, JPEG, WebP or GIF "
        "file under site_src/static, whose address follows `url`.",
        example="https://erika.example/vorschau.png",
        absent="no picture",
        default=None,
        late=True,
        policy_doc="The picture link previews show (og:image): its absolute https address "
        "(for a picture of the site, `url` joined with its path below site_src/static).",
    )
    updated: datetime.date = key(Date(), "Date of this revision.", example="2026-11-21")
    review_by: datetime.date | None = key(
        Date(),
        "When to look at the charta again; the build warns from 30 days before.",
        example="2027-11-21",
        default=None,
    )
    based_on: Credit | None = key(Nested(Credit), "Credit line.", default=None)
    intro: Text | None = key(
        Markdown(block=True),
        "Shown under the title (Markdown).",
        example="Netzwerke wie XING …",
        translated=True,
        default=None,
    )
    platforms: tuple[Platform, ...] = key(
        ListOf(Nested(Platform), max_items=limits.PLATFORMS, limit="platforms"),
        "Where the charta applies.",
        default=(),
        absent="none",
    )
    facts: tuple[Fact, ...] = key(
        MapOf(Nested(Fact), name="name", names=FACT_NAME, max_items=limits.FACTS, limit="facts"),
        "What a tool may know about a request; `when` rules read them.",
        default=(),
        absent="none",
    )
    accept: Section = key(Nested(Section, part="accept", name="accept"), "The accept list.")
    decline: Section = key(Nested(Section, part="decline", name="decline"), "The decline list.")
    goal: Text | None = key(
        Markdown(block=True),
        "Why the charta exists (Markdown).",
        example="Meine Liste soll überschaubar bleiben.",
        translated=True,
        default=None,
    )
    declined: Declined = key(Nested(Declined), 'The "Abgelehnt – was jetzt?" section.')
    messages: Messages = key(Nested(Messages), "Templates for replies.", default=Messages())
    examples: tuple[Example, ...] = key(
        ListOf(Nested(Example), max_items=limits.EXAMPLES, limit="examples"),
        "Requests and what the rules must decide; the build checks them.",
        default=(),
        absent="none",
    )
    translations: tuple[Charta, ...] = key(
        Translations(lambda: Nested(Charta), max_items=limits.TRANSLATIONS),
        "The charta in more languages, by language tag; each is a page of its own (`/en/`) "
        "and a part of `charta.json`.",
        default=(),
        absent="none",
    )
    file: str = dataclasses.field(default="charta.yaml", compare=False)
    """The file the charta was read from, as the author named it."""
    places: Mapping[str, Place] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    """Where each key path stands in the file, for problems found after reading."""
    warnings: tuple[str, ...] = dataclasses.field(default=(), compare=False, repr=False)
    """What the author should know that did not stop the loader, each located."""

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Accept and decline criteria, in page order."""
        return self.accept.criteria + self.decline.criteria

    @property
    def fallback(self) -> tuple[str, ...]:
        """The id of the `otherwise` criterion, the reason when the accept criteria fail; or ()."""
        return tuple(c.id for c in self.decline.criteria if c.otherwise)


def link(section: str, criterion_id: str, url: str | None) -> str:
    """The deep link to a criterion: absolute under `url`, else the bare anchor."""
    anchor = f"#{section}-{criterion_id}"
    return _base(url) + anchor if url else anchor


@functools.lru_cache(maxsize=16)
def _base(url: str) -> str:
    """What `urljoin(url, "#…")` puts before the `#`: one urljoin per charta, not per criterion."""
    return urljoin(url, "#x")[:-2]


CHARTA: Final = Nested(Charta)
"""The whole charta as its declaration reads it: where every walk over the format starts."""

__all__ = [
    "Alternative",
    "Charta",
    "Credit",
    "Criterion",
    "Declined",
    "Example",
    "Fact",
    "Messages",
    "Owner",
    "Picture",
    "Platform",
    "Request",
    "Section",
    "Text",
]
