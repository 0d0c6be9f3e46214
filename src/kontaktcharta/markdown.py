"""Safe Markdown: no raw HTML, no images, links only to http, https, mailto or relative targets."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

from .text import Text

SAFE_SCHEMES = ("http", "https", "mailto")
_PLAIN_INLINE = re.compile(r"[^\x00-\x1f\x7f\\`*_\[\]!<>&]*")
"""Text that no inline rule of CommonMark acts on (no emphasis, code, link, escape, entity,
HTML or line break): it renders as itself, escaped."""


_CODE = re.compile(r"(`+).*?\1", re.S)
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--.*?--)>", re.S)


def raw_html(source: str) -> str | None:
    """The first HTML tag written in a Markdown text outside code (shown as text), if any."""
    found = _TAG.search(_CODE.sub("", source))
    return found.group(0)[:40] if found else None


class UnsafeLink(ValueError):
    """A link whose scheme is not allowed; the message names it."""


def link_is_safe(url: str) -> bool:
    """True for http(s) and mailto links and for relative links (no scheme)."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
    scheme = urlsplit(cleaned).scheme
    return scheme in SAFE_SCHEMES or (scheme == "" and not cleaned.startswith("//"))


class _Renderer:
    """One markdown-it instance; collects refused links while it renders."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self.md = MarkdownIt("commonmark", {"html": False, "typographer": False})
        self.md.validateLink = self._validate  # type: ignore[method-assign]

    def _validate(self, url: str) -> bool:
        if link_is_safe(url):
            return True
        self.refused.append(url)
        return False

    def render(self, source: str, inline: bool) -> Text:
        self.refused.clear()
        env: dict[str, object] = {}
        tokens = self.md.parseInline(source, env) if inline else self.md.parse(source, env)
        if self.refused:
            refused = ", ".join(repr(u) for u in self.refused)
            raise UnsafeLink(f"link {refused} is not allowed (expected http, https or mailto)")
        if any(c.type == "image" for t in tokens for c in t.children or ()):
            raise UnsafeLink(
                "images are not shown on the page (it loads in one request); link them"
            )
        html = self.md.renderer.render(tokens, self.md.options, env).strip()
        return Text(source, Markup(html), _plain(tokens))


def _plain(tokens: list[Token]) -> str:
    """The words of rendered Markdown: inline text joined, blocks separated by blank lines."""
    blocks: list[str] = []
    for token in tokens:
        if token.type != "inline" or token.children is None:
            continue
        words = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        blocks.append("".join(words).strip())
    return "\n\n".join(b for b in blocks if b)


_renderer = _Renderer()


def render_inline(source: str) -> Text:
    """Inline Markdown (a criterion, an alternative) to a Text; raises UnsafeLink."""
    if _PLAIN_INLINE.fullmatch(source):
        # What markdown-it gives for it, at a tenth of the cost (most criteria are plain text).
        return Text(source, Markup(escapeHtml(source).strip()), source.strip())
    return _renderer.render(source, inline=True)


def render_block(source: str) -> Text:
    """Block Markdown (intro, goal, declined text, extra pages) to a Text; raises UnsafeLink."""
    return _renderer.render(source, inline=False)
