"""`embed.html`: the charta as one HTML element with scoped CSS, for pasting into a blog page."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .markup import TEXT
from .outputs import LanguageFile
from .stylesheet import split
from .verify import compare_tree, parse, top_level

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SCOPED_AT_RULES = ("media", "supports", "container")
SCOPE = "kontaktcharta"
"""The class of the embed's one root element; every selector of its CSS starts with it."""


def compare_embed(fragment: str, policy: Mapping[str, Any]) -> list[str]:
    """Every difference between an embed and its policy, and every break of the embed's own
    rules: one scoped root element, scoped CSS."""
    tree = parse(fragment)
    found = compare_tree(tree, policy, fragment=True)
    tops = top_level(tree)
    top = tops[0] if len(tops) == 1 and tops[0].tag != TEXT else None
    if top is None or top.tag != "div" or SCOPE not in (top.attributes.get("class") or "").split():
        found.append(f'the fragment is not one <div class="{SCOPE}"> element')
    elif top.attributes.get("lang") != policy["lang"]:
        found.append(
            f"lang: the fragment says {top.attributes.get('lang')!r}, the policy {policy['lang']!r}"
        )
    for style in tree.css("style"):
        css = style.text(deep=True)
        found += [
            f"the CSS reaches outside .{SCOPE}: {selector}"
            for selector in unscoped_selectors(css, f".{SCOPE}")
        ]
    return found


EMBED = LanguageFile(
    "embed.html",
    "the embed",
    "theme",
    lambda build, version: build.renderer.embed(version, build.revision),
    compare_embed,
    required=False,
)
"""The charta as one HTML element for a blog page: `embed.html`, `en/embed.html`."""


def unscoped_selectors(css: str, scope: str) -> list[str]:
    """Each selector or at-rule of a style sheet that can match outside the element `scope`."""
    found: list[str] = []
    for prelude, block in _statements(css):
        head = " ".join(_COMMENT.sub(" ", prelude).split())
        if not head:
            continue
        if head.startswith("@"):
            name = re.split(r"[\s(]", head[1:], maxsplit=1)[0].lower()
            if name in _SCOPED_AT_RULES and block is not None:
                found += unscoped_selectors(block, scope)
            else:
                found.append(head)  # @import, @font-face, @keyframes … act on the whole page
            continue
        if block is not None and "{" in block:
            found.append(f"{head} (a nested rule)")
            continue
        found += [s for s in split(head, ",") if not _scoped(s.strip(), scope)]
    return [s.strip() for s in found]


def _scoped(selector: str, scope: str) -> bool:
    """Starts with `scope`, and its first combinator stays inside (not `+` or `~`)."""
    if not re.match(re.escape(scope) + r"(?![\w-])", selector):
        return False
    rest = split(selector[len(scope) :], " >+~", first=True)
    combinator = rest[1].lstrip()[:1] if len(rest) > 1 else ""
    return combinator not in ("+", "~")


def _statements(css: str) -> Iterator[tuple[str, str | None]]:
    """Each top-level `prelude { block }` or `@statement;` (block None), strings respected."""
    depth, start, opened, i = 0, 0, 0, 0
    while i < len(css):
        ch = css[i]
        if ch in "\"'":
            end = i + 1
            while end < len(css) and css[end] != ch:
                end += 2 if css[end] == "\\" else 1
            i = end + 1
            continue
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = len(css) if end < 0 else end + 2
            continue
        if ch == "{":
            opened = i if depth == 0 else opened
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                yield css[start:opened], css[opened + 1 : i]
                start = i + 1
        elif ch == ";" and depth == 0:
            yield css[start:i], None
            start = i + 1
        i += 1
    if depth:
        yield css[start:], None  # an unclosed block: reported as it is
    elif css[start:].strip():
        yield css[start:], None
