"""The policy's texts beyond its criteria as a page shows them: the intro, the goal, the declined
text and its alternatives, the owner, the platforms, the dates and the credit.

A theme may put each where it likes and wrap it as it likes, so each is looked for in the page
(outside the criteria lists, which verify.py reads one by one): its HTML as the policy has it,
with its link where it has one, whitespace between tags aside.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Collection, Mapping
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .markup import VOID

_SPACE = re.compile(r"\s+")
_AROUND_TAG = re.compile(r" ?(<[^>]*>) ?")


class _Region:
    """A page's body but the skipped elements: its HTML in loose canonical form (attributes
    sorted, entities decoded and escaped one way, whitespace runs one space, none next to a
    tag), its links and its <time> elements."""

    def __init__(self, node: LexborNode, skip: Collection[LexborNode]) -> None:
        self.links: list[tuple[str, LexborNode]] = []
        """Each link's `href` and element."""
        self.times: list[tuple[str, str]] = []
        """Each <time>'s `datetime` and text."""
        parts: list[str] = []
        self._write(node, skip, parts)
        self.html = _loose("".join(parts))
        """The loose canonical HTML."""

    def _write(self, node: LexborNode, skip: Collection[LexborNode], parts: list[str]) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                parts.append(html.escape(child.text_content or "", quote=False))
                continue
            if tag is None or tag.startswith("-") or child in skip:
                continue
            attrs = child.attributes
            if tag == "a" and attrs.get("href") is not None:
                self.links.append((attrs["href"] or "", child))
            elif tag == "time":
                self.times.append((attrs.get("datetime") or "", child.text(deep=True)))
            parts.append(f"<{tag}{_attributes(attrs)}>")
            if tag not in VOID:
                self._write(child, skip, parts)
                parts.append(f"</{tag}>")


def _attributes(attrs: Mapping[str, str | None]) -> str:
    return "".join(f' {k}="{html.escape(v or "")}"' for k, v in sorted(attrs.items()))


def _loose(markup: str) -> str:
    return _AROUND_TAG.sub(r"\1", _SPACE.sub(" ", markup)).strip()


@functools.lru_cache(maxsize=1024)
def _piece(markup: str) -> str:
    """The policy's HTML of a text in the loose canonical form of `_Region`."""
    body = LexborHTMLParser(markup).body
    return _Region(body, ()).html if body is not None else ""


def _name(text: str) -> str:
    """Plain text (a name) in the loose canonical form."""
    return _loose(html.escape(text, quote=False))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def problems(
    tree: LexborHTMLParser, policy: Mapping[str, Any], skip: Collection[LexborNode]
) -> list[str]:
    """Every text of the policy (but title and criteria) that the page does not show as the
    policy has it, named by its key: `intro`, `declined.alternatives[2]`, `owner`."""
    body = tree.body
    if body is None:
        return ["the page has no body"]
    region = _Region(body, set(skip))  # a set: nodes compare by hash, `==` serializes both
    found: list[str] = []
    for key in ("intro", "goal"):
        text = policy.get(key)
        if text and _piece(text["html"]) not in region.html:
            found.append(
                f"{key}: the page does not show the policy's {key} ({_short(text['text'])!r})"
            )
    declined = policy["declined"]
    if declined.get("html") and _piece(declined["html"]) not in region.html:
        found.append(
            f"declined.text: the page does not show the policy's text "
            f"({_short(declined['text'])!r})"
        )
    for index, alternative in enumerate(declined.get("alternatives", [])):
        found += _linked(region, f"declined.alternatives[{index}]", alternative)
    owner = policy["owner"]
    found += _named(region, "owner", owner["name"], owner.get("url"))
    for index, platform in enumerate(policy.get("platforms", [])):
        found += _named(region, f"platforms[{index}]", platform["name"], platform.get("profile"))
    if policy.get("based_on"):
        found += _linked(region, "based_on", policy["based_on"])
    for key in ("updated", "review_by"):
        if policy.get(key):
            found += _date(region, key, policy[key])
    return found


def _linked(region: _Region, key: str, item: Mapping[str, Any]) -> list[str]:
    """A text with an optional `url`: shown, and where it has a URL, beside a link to it (a
    text with links of its own is shown as it is: the URL would nest one link in another)."""
    piece, url = _piece(item["html"]), item.get("url")
    if url is None or "<a " in item["html"]:
        if piece in region.html:
            return []
        return [f"{key}: the page does not show {_short(item['text'])!r}"]
    if any(href == url and _holds(link, piece) for href, link in region.links):
        return []
    return [f"{key}: the page shows no link to {url!r} with {_short(item['text'])!r}"]


def _named(region: _Region, key: str, name: str, url: str | None) -> list[str]:
    """A name with an optional URL: shown, and where it has a URL, as a link to it."""
    piece = _name(name)
    if url is None:
        return [] if piece in region.html else [f"{key}: the page does not name {name!r}"]
    if any(href == url and _Region(link, ()).html == piece for href, link in region.links):
        return []
    return [f"{key}: the page shows no link to {url!r} named {name!r}"]


def _holds(link: LexborNode, piece: str) -> bool:
    """Whether a link, or the element around it, holds a piece of HTML."""
    return any(node is not None and piece in _Region(node, ()).html for node in (link, link.parent))


def _date(region: _Region, key: str, iso: str) -> list[str]:
    """A date: a <time datetime> that shows it; in a file without <time> (charta.md), in the
    text. Shown means as ISO or with the day and the year together (`21. November 2026`,
    `November 21, 2026`): the month's name is in the theme's words."""
    year, day = iso[:4], str(int(iso[8:10]))
    shows = re.compile(rf"{iso}|(?<!\d){day}(?!\d)\D{{1,24}}{year}(?!\d)").search
    if region.times:
        if any(when == iso and shows(text) for when, text in region.times):
            return []
        return [f'{key}: the page shows no <time datetime="{iso}"> with that date']
    if shows(region.html):
        return []
    return [f"{key}: the page does not show the date {iso}"]
