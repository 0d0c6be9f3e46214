"""Decline messages: the policy's template filled with the name, reasons, link and alternatives.

Messages are plain text. A template knows exactly four placeholders, `{name}`, `{reasons}`,
`{url}` and `{alternatives}`; any other brace is text. Where the platform has a `message_limit`,
optional parts are dropped until the message fits; the link is never dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urljoin

from .characters import clean_name, shorten
from .defaults import default_decline_template
from .model import PLACEHOLDERS, Charta, link

_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_EMPTY_NAME = re.compile(r"[ \t]*\{name\}(?=[ \t]*(?:[,.!?;:]|$))", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")
_DROPPABLE: Final = frozenset({"reasons", "alternatives"})


class MessageTooLong(Exception):
    """Even the shortest decline message is longer than the platform takes."""

    def __init__(
        self, limit: int, shortest: int, platform: str, template: str = "messages.decline"
    ) -> None:
        self.limit = limit
        self.shortest = shortest
        self.platform = platform
        super().__init__(
            f"the decline message has {shortest} characters even at its shortest, but "
            f"{platform} takes at most {limit}; shorten {template} or the first reason"
        )


@dataclass(frozen=True, slots=True)
class Reason:
    """A decline criterion as a message states it."""

    full: str
    """The criterion's `reason` sentence, else its plain text."""
    short: str
    """The shorter of the `reason` sentence and the plain text."""
    link: str
    """The deep link to the criterion on the page."""


@dataclass(frozen=True, slots=True, eq=False)
class Template:
    """A decline template, prepared once for every combination of empty parts."""

    source: str
    """The template as written."""
    forms: Mapping[tuple[bool, bool, bool], str]
    """A %-format string by (has name, has reasons, has alternatives); text `%` escaped."""

    @classmethod
    def parse(cls, source: str) -> Template:
        """Prepare a template; unknown placeholders stay text (see keys.MessageTemplate)."""
        forms = {}
        for name, reasons, alternatives in itertools.product((True, False), repeat=3):
            given = {"name": name, "url": True, "reasons": reasons, "alternatives": alternatives}
            forms[name, reasons, alternatives] = _form(source, given)
        return cls(source, forms)

    def fill(self, values: Mapping[str, str]) -> str:
        """Replace the four placeholders; what empty ones leave behind is already tidied."""
        key = (bool(values["name"]), bool(values["reasons"]), bool(values["alternatives"]))
        return self.forms[key] % values


def _form(source: str, given: Mapping[str, bool]) -> str:
    """The template with the empty placeholders removed and tidied, the rest as `%(key)s`."""
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(source):
        used = set(_PLACEHOLDER.findall(paragraph))
        # A paragraph that only frames empty reasons or alternatives goes with them.
        if used and used <= _DROPPABLE and not any(given[key] for key in used):
            continue
        paragraphs.append(paragraph)
    text = "\n\n".join(paragraphs)
    if not given["name"]:
        text = _EMPTY_NAME.sub("", text)  # "Hello {name}," becomes "Hello,"
    pieces = _PLACEHOLDER.split(text)
    for index in range(1, len(pieces), 2):
        if given[pieces[index]]:
            pieces[index] = f"%({pieces[index]})s"
            continue
        pieces[index] = ""
        following = pieces[index + 1]
        if following[:1] in (" ", "\t", "\n") or (index + 2 == len(pieces) and not following):
            pieces[index - 1] = pieces[index - 1].rstrip(" \t")  # no double space where it was
    pieces = [
        piece if index % 2 else piece.replace("%", "%%") for index, piece in enumerate(pieces)
    ]
    text = "\n".join(line.rstrip() for line in "".join(pieces).split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


@dataclass(frozen=True, slots=True, eq=False)
class DeclineMessages:
    """The decline messages of one policy, prepared once."""

    templates: Mapping[str | None, Template]
    """The decline template by platform id: the platform's own, or the charta's `messages`
    (or the default for its language) under None."""
    reasons: Mapping[str, Reason]
    """Every decline criterion by id, as a reason."""
    conditions: Mapping[str, Reason]
    """Every accept criterion by id, as a condition a decline under `match: all` names unmet."""
    silent: frozenset[str]
    """The decline criteria whose requests get no message (`reply: false`)."""
    alternatives: str
    """The `declined.alternatives` as plain-text lines, `- text: url`."""
    section_link: str
    """The link to the decline section, for a decline without reasons."""
    limits: Mapping[str, tuple[str, int]]
    """Platform name and `message_limit` by platform id, where a limit is set."""

    @classmethod
    def of(cls, charta: Charta) -> DeclineMessages:
        """Prepare the messages of one language's charta."""
        reasons: dict[str, dict[str, Reason]] = {"accept": {}, "decline": {}}
        for section in (charta.accept, charta.decline):
            for criterion in section.criteria:
                text = _one_line(criterion.text.plain)
                full = _one_line(criterion.reason or text)
                where = link(section.name, criterion.id, charta.url)
                reasons[section.name][criterion.id] = Reason(full, min(full, text, key=len), where)
        lines = []
        for alternative in charta.declined.alternatives:
            text, url = _one_line(alternative.text.plain), alternative.url
            lines.append(f"- {text}: {url}" if url else f"- {text}")
        limits = {
            platform.id: (platform.name, platform.message_limit)
            for platform in charta.platforms
            if platform.message_limit is not None
        }
        main = Template.parse(charta.messages.decline or default_decline_template(charta.lang))
        templates: dict[str | None, Template] = {None: main}
        for platform in charta.platforms:
            own = platform.messages
            templates[platform.id] = Template.parse(own.decline) if own is not None else main
        return cls(
            templates=templates,
            reasons=reasons["decline"],
            conditions=reasons["accept"],
            silent=frozenset(c.id for c in charta.decline.criteria if c.reply is False),
            alternatives="\n".join(lines),
            section_link=urljoin(charta.url or "", "#decline"),
            limits=limits,
        )

    def answered(self, reasons: Sequence[str]) -> bool:
        """Whether a decline for these reasons gets a message (none of them `reply: false`)."""
        return self.silent.isdisjoint(reasons)

    def render(
        self,
        reasons: Sequence[str],
        name: str | None,
        platform: str | None,
        unmet: Sequence[str] = (),
    ) -> str:
        """The decline message for these reasons and unmet accept criteria, shortened to the
        platform's limit: the reasons' sentences, then the unmet criteria's; the link goes to
        the first unmet criterion, else to the first reason."""
        try:
            chosen = [self.reasons[reason] for reason in reasons]
        except KeyError as error:
            valid = ", ".join(self.reasons)
            raise ValueError(f"unknown reason {error}; decline criteria: {valid}") from None
        try:
            missing = [self.conditions[condition] for condition in unmet]
        except KeyError as error:
            valid = ", ".join(self.conditions)
            raise ValueError(f"unknown condition {error}; accept criteria: {valid}") from None
        chosen += missing
        first = missing[0] if missing else chosen[0] if chosen else None
        name = clean_name(name) if name else ""
        values = {
            "name": "",
            "url": first.link if first is not None else self.section_link,
            "reasons": _listed([reason.full for reason in chosen]),
            "alternatives": self.alternatives,
        }
        template = self.templates.get(platform) or self.templates[None]
        limit = self.limits.get(platform) if platform is not None else None
        message = template.fill({**values, "name": name})
        if limit is None or len(message) <= limit[1]:
            return message  # most messages: the whole one fits
        # The parts that fit are those that fit without the name, as the build checked them;
        # the name takes the room left, shortened where it needs more. Dropped one at a time:
        # alternatives, long reasons, further reasons.
        levels = (
            [reason.full for reason in chosen],
            [reason.full for reason in chosen],
            [reason.short for reason in chosen],
            [reason.short for reason in chosen[:1]],
        )
        for level, texts in enumerate(levels):
            if level == 1:
                values["alternatives"] = ""
            values["reasons"] = _listed(texts)
            message = template.fill(values)
            if len(message) <= limit[1]:
                return self._named(template, values, name, limit[1]) if name else message
        own = template is not self.templates[None]
        written = f"the messages.decline of {limit[0]}" if own else "messages.decline"
        raise MessageTooLong(limit[1], len(message), limit[0], written)

    @staticmethod
    def _named(template: Template, values: dict[str, str], name: str, limit: int) -> str:
        """The message with the name, shortened to the room the message leaves it."""
        message = template.fill({**values, "name": name})
        room = len(name) - max(0, len(message) - limit)
        while room > 0 and len(message) > limit:
            message = template.fill({**values, "name": shorten(name, room)})
            room -= 1
        return message if len(message) <= limit else template.fill(values)


def _listed(reasons: Sequence[str]) -> str:
    """One reason as it is; several as `- ` lines."""
    if len(reasons) == 1:
        return reasons[0]
    return "\n".join(f"- {reason}" for reason in reasons)


def _one_line(text: str) -> str:
    return " ".join(text.split())
