"""The validated charta: one typed model that the page and the policy are both made from.

Field names are the keys of `charta.yaml`, so a path in an error reads like what the user wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from markupsafe import Markup

Use = Literal["business", "private", "mixed"]
FactType = Literal["bool", "int", "double", "string"]
Match = Literal["any", "all"]
Outcome = Literal["accept", "decline", "review"]
FactValue = bool | int | float | str


@dataclass(frozen=True, slots=True)
class Text:
    """A Markdown text with its rendered forms; shown by Jinja as its HTML."""

    source: str
    """The Markdown as written in `charta.yaml`."""
    html: Markup
    """The HTML fragment the page shows (inline or block, as the key is)."""
    plain: str
    """The same text without markup, for the JSON `text` and for messages."""

    def __html__(self) -> str:
        return str(self.html)


@dataclass(frozen=True, slots=True)
class Owner:
    """Who the charta belongs to."""

    name: str
    """The owner's name as shown on the page."""
    url: str | None = None
    """The owner's home page."""


@dataclass(frozen=True, slots=True)
class Credit:
    """The `based_on` credit line."""

    text: Text
    """The credit, inline Markdown."""
    url: str | None = None
    """Where the earlier charta lives."""


@dataclass(frozen=True, slots=True)
class Platform:
    """A network where the charta applies."""

    id: str
    """Slug, unique among platforms."""
    name: str
    """The network's name as shown."""
    use: Use
    """How the owner uses it: business, private or mixed."""
    profile: str | None = None
    """The owner's profile on that network."""
    message_limit: int | None = None
    """The longest reply (characters) the network takes."""


@dataclass(frozen=True, slots=True)
class Fact:
    """Something a tool may know about a request; `when` rules read it."""

    name: str
    """The fact's name, a CEL identifier."""
    type: FactType
    """The CEL type: bool, int, double or string."""
    question: str
    """The question that asks a person for the fact."""
    values: tuple[FactValue, ...] | None = None
    """The allowed values, where they are fixed."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One reason to accept or to decline."""

    id: str
    """Slug, unique in the whole charta; the anchor is `#<section>-<id>`."""
    text: Text
    """The criterion, inline Markdown."""
    when: str | None = None
    """CEL expression over the facts; without it the criterion is a matter of judgement."""
    platforms: tuple[str, ...] | None = None
    """Platform ids where the criterion applies; everywhere when absent."""
    reason: str | None = None
    """A sentence for decline messages."""
    otherwise: bool = False
    """The fallback: holds when no accept criterion holds (decline only, at most one)."""


@dataclass(frozen=True, slots=True)
class Section:
    """The accept or the decline list."""

    name: Literal["accept", "decline"]
    """Which list this is; also the anchor of the section."""
    title: str
    """The heading."""
    criteria: tuple[Criterion, ...]
    """At least one criterion, in the order written."""
    match: Match = "any"
    """accept only: `any` criterion suffices or `all` must hold."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """Something a declined person can do instead."""

    text: Text
    """What to do, inline Markdown."""
    url: str | None = None
    """Where to do it."""


@dataclass(frozen=True, slots=True)
class Declined:
    """The "Abgelehnt – was jetzt?" section."""

    title: str
    """The heading."""
    text: Text
    """Block Markdown."""
    alternatives: tuple[Alternative, ...] = ()
    """What a declined person can do instead."""


@dataclass(frozen=True, slots=True)
class Messages:
    """Templates for replies."""

    decline: str | None = None
    """Decline message with `{name}`, `{reasons}`, `{url}`, `{alternatives}`."""


@dataclass(frozen=True, slots=True)
class Request:
    """A contact request as a tool sees it."""

    platform: str | None = None
    """The platform id, where known."""
    facts: dict[str, FactValue] = field(default_factory=dict)
    """Known facts by name."""
    judgements: dict[str, bool] = field(default_factory=dict)
    """A person's verdict on criteria without `when`, by criterion id."""


@dataclass(frozen=True, slots=True)
class Example:
    """A request and what the rules must decide for it."""

    name: str
    """Names the example in build errors."""
    request: Request
    """The request to decide."""
    expect: Outcome
    """accept, decline or review."""
    reasons: tuple[str, ...] | None = None
    """The criterion ids the decision must give, where the author wrote them."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a key stands in the source file."""

    line: int
    column: int
    source: str


class Mark(Protocol):
    """A position as the YAML parser gives it, counted from 0."""

    line: int
    column: int


class Places(Mapping[str, Place]):
    """Where each key path stands, made into a Place only when asked for.

    A large charta has tens of thousands of keys and needs a place for a few of them.
    """

    __slots__ = ("_lines", "_marks")

    def __init__(self, marks: dict[str, Mark] | None = None, lines: Sequence[str] = ()) -> None:
        self._marks = marks or {}
        self._lines = lines

    def __getitem__(self, path: str) -> Place:
        mark = self._marks[path]
        source = self._lines[mark.line] if mark.line < len(self._lines) else ""
        return Place(mark.line + 1, mark.column + 1, source)

    def __contains__(self, path: object) -> bool:
        return path in self._marks

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks)

    def __len__(self) -> int:
        return len(self._marks)


@dataclass(frozen=True, slots=True)
class Charta:
    """A whole, validated charta."""

    charta: int
    """Format version, 1."""
    lang: str
    """BCP 47 tag of the texts."""
    title: str
    """The page's title."""
    owner: Owner
    """Whose charta this is."""
    updated: datetime.date
    """Date of this revision."""
    accept: Section
    """Reasons to accept."""
    decline: Section
    """Reasons to decline."""
    declined: Declined
    """What a declined person can do."""
    url: str | None = None
    """Public address of the page."""
    review_by: datetime.date | None = None
    """When the owner means to look at the charta again."""
    based_on: Credit | None = None
    """Credit line."""
    intro: Text | None = None
    """Block Markdown shown under the title."""
    platforms: tuple[Platform, ...] = ()
    """Where the charta applies."""
    facts: tuple[Fact, ...] = ()
    """What a tool may know about a request."""
    goal: Text | None = None
    """Why the charta exists, block Markdown."""
    messages: Messages = Messages()
    """Reply templates."""
    examples: tuple[Example, ...] = ()
    """Requests and the decisions the rules must give."""
    translations: tuple[Charta, ...] = ()
    """The same charta in more languages: every text translated, everything else the same."""
    file: str = field(default="charta.yaml", compare=False)
    """The file the charta was read from, as the user named it."""
    places: Places = field(default_factory=Places, compare=False, repr=False)
    """Where each key path stands in the file, for errors found after loading."""

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Accept and decline criteria, in page order."""
        return self.accept.criteria + self.decline.criteria
