"""The proof that a page and its JSON policy say the same thing."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import visitor
from .markup import SECTIONS, TEXT, VOID, CriteriaOnPage, elements_of
from .preview import head_problems
from .shown import problems as shown_problems

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")


def parse(markup: str) -> LexborHTMLParser:
    """Parse HTML (a page or a fragment) as a browser does: the HTML5 parsing algorithm."""
    return LexborHTMLParser(markup)


def visible(text: str) -> str:
    """Text as a browser shows it: each run of HTML whitespace one space (no-break spaces stay)."""
    return _HTML_SPACE.sub(" ", text).strip(" ")


def text(node: LexborNode) -> str:
    """An element's text as a browser shows it (see `visible`): not that of <script> or <style>."""
    if node.css_first("script, style") is None:
        return visible(node.text(deep=True))
    return visible(
        "".join(
            part.text_content or ""
            for part in node.traverse(include_text=True)
            if part.tag == TEXT
            and part.parent is not None
            and part.parent.tag not in ("script", "style")
        )
    )


def inner(node: LexborNode) -> str:
    """Canonical inner HTML: attributes sorted, entities decoded and escaped one way."""
    return "".join(_canonical(child) for child in node.iter(include_text=True))


def _canonical(node: LexborNode) -> str:
    tag = node.tag
    if tag == TEXT:
        return html.escape(node.text_content or "", quote=False)
    if tag is None or tag.startswith("-"):  # a comment
        return ""
    attrs = "".join(f' {k}="{html.escape(v or "")}"' for k, v in sorted(node.attributes.items()))
    if tag in VOID:
        return f"<{tag}{attrs}>"
    return f"<{tag}{attrs}>{inner(node)}</{tag}>"


def _plain(markup: str) -> bool:
    """Whether HTML is text alone, which parses to itself: no markup, entity, CR or NUL."""
    return not ("<" in markup or "&" in markup or ">" in markup or "\r" in markup or "\0" in markup)


@functools.lru_cache(maxsize=16384)  # one criterion is compared in three files per language
def _canonical_html(markup: str) -> str:
    """`inner()` of a fragment; text alone, the most common criterion, is its own."""
    if _plain(markup):
        return markup
    body = parse(markup).body
    return inner(body) if body is not None else ""


def _same(element: LexborNode, markup: str) -> bool:
    """Whether an element's inner HTML is that of the policy's HTML, in canonical form."""
    if _plain(markup):  # most criteria: compare the one text child, with no serializing
        child = element.child
        if child is not None and child.next is None and child.tag == TEXT:
            return child.text_content == markup
    return inner(element) == _canonical_html(markup)


def top_level(tree: LexborHTMLParser) -> list[LexborNode]:
    """A fragment's top-level nodes but blank text and comments: what the parser put in the
    head (a leading <style>, <link> or <meta>) and in the body."""
    return [
        node
        for part in (tree.head, tree.body)
        if part is not None
        for node in part.iter(include_text=True)
        if (node.tag == TEXT and (node.text_content or "").strip())
        or not (node.tag or "-").startswith("-")
    ]


def compare(page: str, policy: Mapping[str, Any], fragment: bool = False) -> list[str]:
    """Every difference between a page and its policy; an empty list means they agree.

    A `fragment` (embed.html, charta.md) has no head: its first heading must be the title.
    """
    return compare_tree(parse(page), policy, fragment)


def compare_tree(tree: LexborHTMLParser, policy: Mapping[str, Any], fragment: bool) -> list[str]:
    """`compare` for a parsed page."""
    everything = elements_of(tree)
    elements = [(node, node.attributes) for node in everything]
    by_id: dict[str, LexborNode] = {}
    for node, attrs in elements:
        if "id" in attrs:
            by_id.setdefault(attrs["id"] or "", node)
    if fragment:  # it stands on a page that is not the charta's: it claims no profile
        found = _fragment_title(everything, policy) + head_problems(elements, policy, fragment=True)
    else:  # a whole page: its head, and what it says to link previews (preview.py)
        found = _page_head(everything, policy) + head_problems(elements, policy)
    shown: dict[LexborNode, str] = {}  # each criterion's text: its name in messages
    for name in (*SECTIONS, "declined"):
        section = by_id.get(name)
        title = policy[name]["title"]
        if section is None:
            found.append(f"{name}: the page has no #{name} section")
            continue
        first = section.css_first("h2, h3")
        heading = text(first) if first is not None else None
        if heading != visible(title):
            found.append(f"{name}.title: the page says {heading!r}, the policy {title!r}")
        if name in SECTIONS:
            found += _criteria(name, section, policy[name]["criteria"], shown)
    lists = [by_id[name] for name in SECTIONS if name in by_id]
    found += shown_problems(tree, policy, lists)
    styles = [node.text(deep=True) for node in everything if node.tag == "style"]
    found += visitor.active_content(elements)
    found += visitor.loads(elements, styles)
    found += visitor.hidden(tree, shown, elements, styles)
    return found


def _page_head(everything: list[LexborNode], policy: Mapping[str, Any]) -> list[str]:
    """A whole page names its revision and its policy in <head> and carries the title as h1."""
    found: list[str] = []
    meta = [
        e.attributes.get("content")
        for e in everything
        if e.tag == "meta" and e.attributes.get("name") == "charta-revision"
    ]
    if meta != [policy["revision"]]:
        found.append(
            f"revision: the page carries {', '.join(map(str, meta)) or 'none'}, "
            f"the policy {policy['revision']}"
        )
    if not any(
        e.tag == "link"
        and e.attributes.get("rel") == "alternate"
        and e.attributes.get("type") == "application/json"
        for e in everything
    ):
        found.append(
            "the page does not name its JSON policy "
            '(<link rel="alternate" type="application/json">)'
        )
    h1 = [text(e) for e in everything if e.tag == "h1"]
    if visible(policy["title"]) not in h1:
        found.append(
            f"title: the page's h1 says {h1[0] if h1 else 'nothing'!r}, "
            f"the policy {policy['title']!r}"
        )
    return found


def _fragment_title(everything: list[LexborNode], policy: Mapping[str, Any]) -> list[str]:
    """A fragment's first heading, whatever its level, is the charta's title."""
    first = next((text(e) for e in everything if e.tag in HEADINGS), None)
    if first != visible(policy["title"]):
        return [f"title: the first heading says {first!r}, the policy {policy['title']!r}"]
    return []


def _criteria(
    name: str, section: LexborNode, criteria: list[dict[str, Any]], shown: dict[LexborNode, str]
) -> list[str]:
    """Every difference between a list's criteria and the policy's; each criterion's marked
    text goes into `shown` with its name (one without is named as that)."""
    page = CriteriaOnPage(name, section)
    shown.update(page.shown())
    found = []
    page_ids = page.ids
    policy_ids = [c["id"] for c in criteria]
    on_page, in_policy = set(page_ids), set(policy_ids)  # sets: a charta may have thousands
    for missing in [i for i in policy_ids if i not in on_page]:
        found.append(f"{name}: the page lacks criterion {missing!r} (#{name}-{missing})")
    for extra in [i for i in page_ids if i not in in_policy]:
        found.append(f"{name}: the page shows criterion {extra!r}, which the policy lacks")
    common_page = [i for i in page_ids if i in in_policy]
    common_policy = [i for i in policy_ids if i in on_page]
    if common_page != common_policy:
        found.append(
            f"{name}: the page orders the criteria {common_page}, the policy {common_policy}"
        )
    by_id = {c["id"]: c for c in criteria}
    first: dict[str, int] = {}
    for index, criterion_id in enumerate(policy_ids):
        first.setdefault(criterion_id, index)
    for index, criterion_id in enumerate(page_ids):
        criterion = by_id.get(criterion_id)
        if criterion is None:
            continue
        text, anchor = page.texts[index], page.anchors[index]
        expected = f"{name}-{criterion_id}"
        if (
            anchor == expected
            and index in page.linked
            and text is not None
            and _same(text, criterion["html"])
        ):
            continue  # all is well: the common case, checked without more words
        where = f"{name}.criteria[{first[criterion_id]}] ({criterion_id})"
        if anchor != expected:
            found.append(f"{where}: the anchor is {anchor!r}, expected '{expected}'")
        if text is None:
            found.append(f"{where}: no element inside is marked data-criterion-text")
        elif not _same(text, criterion["html"]):
            page_html, policy_html = inner(text), _canonical_html(criterion["html"])
            found.append(f"{where}: the page shows {page_html!r}, the policy says {policy_html!r}")
        if index not in page.linked:
            found.append(f"{where}: the criterion holds no link to its own anchor #{expected}")
    return found
