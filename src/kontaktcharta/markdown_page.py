"""`charta.md`: the charta as a Markdown page with front matter, for a Hugo or Jekyll site."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from markdown_it import MarkdownIt

from .model import Charta, Platform, Section, Text
from .outputs import LanguageFile
from .page import DASH, format_date, shorten, words_in
from .verify import compare
from .yamlfile import FAST_LOADER

_MARKDOWN = MarkdownIt("commonmark", {"html": True})
"""CommonMark with raw HTML, as Hugo (goldmark, `unsafe = true`) and Jekyll (kramdown) read it."""
_END = "<!-- end -->"
_BLANK_LINE = re.compile(r"\n(?=[ \t]*\n)")
_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|])")
_TEMPLATE = re.compile(r"\{(?=[{%:])")
"""A `{` that opens template syntax: Liquid's `{{` and `{%` (Jekyll) and so Hugo's shortcodes
`{{<` and `{{%` (Hugo runs no other template syntax in content); and kramdown's `{:` (Jekyll's
Markdown: `{::comment}` hides text, `{: .x}` sets attributes)."""
_BRACE = "&#123;"


def render_markdown(charta: Charta, words: Mapping[str, Any]) -> str:
    """One language's charta.md; `words` are the default theme's words in its language."""
    parts = [_front_matter(charta)]
    if charta.intro is not None:
        parts.append(_block(charta.intro))
    if charta.platforms:
        names = [_used(p, words) for p in charta.platforms]
        parts.append(_paragraph(_plain(f"{words['platforms']} "), *_between(names, " · ")))
    parts += [_section(charta.accept, words), _section(charta.decline, words)]
    if charta.goal is not None:
        parts.append(_block(charta.goal))
    parts.append(_inert(f'<h2 id="declined">{html.escape(charta.declined.title)}</h2>'))
    parts.append(_block(charta.declined.text))
    if charta.declined.alternatives:
        heading = words["alternatives"]
        parts.append(_part(f"### {_escape(heading)}", f"<h3>{html.escape(heading)}</h3>"))
        items = [_alternative(a.text, a.url) for a in charta.declined.alternatives]
        parts.append(
            _part(
                "\n".join(f"- {m}" for m, _ in items),
                "<ul>\n" + "".join(f"<li>{h}</li>\n" for _, h in items) + "</ul>",
            )
        )
    return "\n\n".join(parts + _colophon(charta, words)) + "\n"


def as_html(markdown: str) -> str:
    """charta.md as a blog shows it: the front matter's title as a heading, then the body."""
    title, body = None, markdown
    if markdown.startswith("---\n") and "\n---\n" in markdown[3:]:
        head, body = markdown[4:].split("\n---\n", 1)
        try:
            front = yaml.load(head, Loader=FAST_LOADER)
        except yaml.YAMLError:
            front = None
        title = str(front["title"]) if isinstance(front, dict) and "title" in front else None
    heading = f"<h1>{html.escape(title)}</h1>\n" if title is not None else ""
    return heading + str(_MARKDOWN.render(body))


def _front_matter(charta: Charta) -> str:
    """Keys both Hugo and Jekyll read; `url` (Hugo) and `permalink` (Jekyll) put the page at
    the path of the charta's `url`, where its deep links point."""
    intro = charta.intro.plain.strip() if charta.intro is not None else ""
    description = shorten(intro or f"{charta.title} {DASH} {charta.owner.name}")
    lines = [
        "---",
        "# Made by Kontaktcharta from charta.yaml: change that file and build again.",
        f"title: {_quote(charta.title)}",
        f"description: {_quote(description)}",
        f"date: {charta.updated.isoformat()}",
        f"lastmod: {charta.updated.isoformat()}",
        f"lang: {_quote(charta.lang)}",
    ]
    if charta.url:
        path = urlsplit(charta.url).path or "/"
        lines += [f"url: {_quote(path)}", f"permalink: {_quote(path)}"]
    return "\n".join([*lines, "---"])


def _section(section: Section, words: Mapping[str, Any]) -> str:
    """A criteria list as raw HTML, because Markdown cannot give list items ids; each with a
    link to its own anchor, as on the page."""
    items = []
    label = html.escape(words["link_to_point"])
    for c in section.criteria:
        anchor = f"{section.name}-{c.id}"
        link = f'<a href="#{anchor}" aria-label="{label}">#</a>'
        text = f"<span data-criterion-text>{c.text.html}</span>"
        items.append(f'<li id="{anchor}" data-criterion="{c.id}">{text} {link}</li>')
    note = ""
    if section.name == "accept" and section.match == "all":
        note = f'<p class="all-of">{html.escape(words["all_of"])}</p>\n'
    return _raw(
        f'<section id="{section.name}" data-section="{section.name}">\n'
        f"<h2>{html.escape(section.title)}</h2>\n{note}<ul>\n"
        + "\n".join(items)
        + "\n</ul>\n</section>"
    )


def _colophon(charta: Charta, words: Mapping[str, Any]) -> list[str]:
    """Owner, the date of the revision and the credit, as the page's footer has them."""
    dates = f"{words['updated']}: {format_date(charta.updated, words)}"
    if charta.review_by is not None:
        dates += f" · {words['review_by']} {format_date(charta.review_by, words)}"
    found = [
        _paragraph(_plain(f"{words['owner']}: "), _named(charta.owner.name, charta.owner.url)),
        _paragraph(_plain(dates)),
    ]
    credit = charta.based_on
    if credit is not None:
        text = (credit.text.source, str(credit.text.html))
        if credit.url and "<a " not in credit.text.html:
            linked = f'<a href="{html.escape(credit.url)}">{credit.text.html}</a>'
            text = (f"[{credit.text.source}]({_url(credit.url)})", linked)
        found.append(_paragraph(text))
    return found


def _block(text: Text) -> str:
    return _part(text.source.strip(), str(text.html))


def _alternative(text: Text, url: str | None) -> tuple[str, str]:
    if url and "<a " not in text.html:
        return f"[{text.source}]({_url(url)})", f'<a href="{html.escape(url)}">{text.html}</a>'
    if url:
        escaped = html.escape(url)
        return f"{text.source} <{url}>", f'{text.html} <a href="{escaped}">{escaped}</a>'
    return text.source, str(text.html)


def _used(platform: Platform, words: Mapping[str, Any]) -> tuple[str, str]:
    """A platform with how the owner uses it, as Markdown and as HTML."""
    name, url = platform.name, platform.profile
    use = f" ({words['use_' + platform.use]})"
    markdown, shown = _named(name, url)
    return markdown + _escape(use), shown + html.escape(use)


def _named(name: str, url: str | None) -> tuple[str, str]:
    """A name, linked where there is a URL, as Markdown and as HTML."""
    if url is None:
        return _plain(name)
    return (
        f"[{_escape(name)}]({_url(url)})",
        f'<a href="{html.escape(url)}">{html.escape(name)}</a>',
    )


def _plain(text: str) -> tuple[str, str]:
    return _escape(text), html.escape(text)


def _between(items: list[tuple[str, str]], separator: str) -> list[tuple[str, str]]:
    joined: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        joined += [_plain(separator), item] if i else [item]
    return joined


def _paragraph(*pieces: tuple[str, str]) -> str:
    """A paragraph of (Markdown, HTML) pieces."""
    markdown = "".join(m for m, _ in pieces)
    return _part(markdown, "<p>" + "".join(h for _, h in pieces) + "</p>")


def _part(markdown: str, html_text: str) -> str:
    """The Markdown where it renders to exactly the HTML the page shows, else that HTML raw;
    either with template syntax made inert (`_inert`).

    It is rendered with a block after it, as in the file: it must end before that block.
    """
    markdown = _inert(markdown)  # where it cannot be (a code span), the HTML is taken
    rendered = _MARKDOWN.render(f"{markdown}\n\n{_END}\n").rstrip()
    contained = rendered.endswith(_END)
    return (
        markdown
        if contained and rendered[: -len(_END)].strip() == html_text.strip()
        else _raw(html_text)
    )


def _raw(html_text: str) -> str:
    """A raw HTML block with no blank line inside, which would end it (`&#10;` is a newline),
    and no template syntax (`_inert`)."""
    body = _BLANK_LINE.sub("&#10;", _inert(html_text.strip()))
    return body if body.startswith("<section") else f"<div>\n{body}\n</div>"


def _inert(text: str) -> str:
    """Markdown or HTML with each `{` that opens template syntax (`_TEMPLATE`) written as
    `&#123;`.

    Jekyll runs Liquid over the whole file and Hugo its shortcodes, raw HTML included, before
    either reads the Markdown; a CommonMark reader and a browser show `&#123;` as `{`, outside
    code spans, where Markdown shows it as written (so `_part` takes the HTML there).
    """
    return _TEMPLATE.sub(_BRACE, text)


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _url(url: str) -> str:
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _quote(value: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's too)."""
    return json.dumps(value, ensure_ascii=False)


MARKDOWN = LanguageFile(
    "charta.md",
    "the Markdown page",
    "Kontaktcharta",
    lambda build, version: render_markdown(version, words_in(build.words, version.lang)),
    lambda text, policy: compare(as_html(text), policy, fragment=True),
    required=False,
)
"""The charta as Markdown for Hugo or Jekyll: `charta.md`, `en/charta.md`."""
