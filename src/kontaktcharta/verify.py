"""The proof that a page and its JSON policy say the same thing."""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

from .lang import folder as lang_folder
from .policy import localize
from .policy import revision as policy_revision

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
SECTIONS = ("accept", "decline")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")
EMBED_CLASS = "kontaktcharta"
"""The class of the embed's one root element; every selector of its CSS starts with it."""
PAGES: dict[str, Literal["page", "embed", "markdown"]] = {
    "index.html": "page",
    "embed.html": "embed",
    "charta.md": "markdown",
}
"""Each language's files that show the charta; those present are compared with the policy."""


@dataclass(slots=True)
class Element:
    """A parsed HTML element: enough of a DOM to compare a page with its policy."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """The element's text as a browser shows it (see `shown`)."""
        return shown("".join(_texts(self)))

    def inner(self) -> str:
        """Canonical inner HTML: attributes sorted, entities decoded and escaped one way."""
        return "".join(_canonical(child) for child in self.children)

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        # A stack, not nested generators: a page of thousands of criteria is walked often.
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack += [c for c in reversed(element.children) if isinstance(c, Element)]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def shown(text: str) -> str:
    """Text as a browser shows it: each run of HTML whitespace one space (no-break spaces stay)."""
    return _HTML_SPACE.sub(" ", text).strip(" ")


def parse(markup: str) -> Element:
    """Parse HTML (a page or a fragment) into Elements under a root."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _texts(element: Element) -> Any:
    for child in element.children:
        if isinstance(child, str):
            yield child
        elif child.tag not in ("script", "style"):
            yield from _texts(child)


def _canonical(node: Element | str) -> str:
    if isinstance(node, str):
        return html.escape(node, quote=False)
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in sorted(node.attrs.items()))
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{node.inner()}</{node.tag}>"


def _canonical_html(markup: str) -> str:
    """`parse(markup).inner()`; text without markup, the most common criterion, is its own."""
    if "<" in markup or "&" in markup or ">" in markup:
        return parse(markup).inner()
    return markup


def compare(page: str, policy: dict[str, Any], fragment: bool = False) -> list[str]:
    """Every difference between a page and its policy; an empty list means they agree.

    A `fragment` (embed.html, charta.md) has no head: its first heading must be the title.
    """
    return _compare(parse(page), policy, fragment)


def _compare(root: Element, policy: dict[str, Any], fragment: bool) -> list[str]:
    by_id = {e.attrs["id"]: e for e in root.iter() if "id" in e.attrs}
    found = _fragment_title(root, policy) if fragment else _page_head(root, policy)
    for name in (*SECTIONS, "declined"):
        section = by_id.get(name)
        title = policy[name]["title"]
        if section is None:
            found.append(f"{name}: the page has no #{name} section")
            continue
        heading = next((e.text() for e in section.iter() if e.tag in ("h2", "h3")), None)
        if heading != shown(title):
            found.append(f"{name}.title: the page says {heading!r}, the policy {title!r}")
        if name in SECTIONS:
            found += _criteria(name, section, policy[name]["criteria"])
    scripts = [
        e for e in root.iter() if e.tag == "script" or any(a.startswith("on") for a in e.attrs)
    ]
    if scripts:
        found.append(f"the page runs JavaScript (<{scripts[0].tag}>); a charta page runs none")
    return found


def compare_embed(fragment: str, policy: dict[str, Any]) -> list[str]:
    """`compare` for embed.html, and its own rules: one scoped root element, scoped CSS."""
    from .embed import unscoped_selectors

    root = parse(fragment)
    found = _compare(root, policy, fragment=True)
    tops = [c for c in root.children if isinstance(c, Element) or c.strip()]
    top = tops[0] if len(tops) == 1 and isinstance(tops[0], Element) else None
    if top is None or top.tag != "div" or EMBED_CLASS not in top.attrs.get("class", "").split():
        found.append(f'the fragment is not one <div class="{EMBED_CLASS}"> element')
    elif top.attrs.get("lang") != policy["lang"]:
        found.append(
            f"lang: the fragment says {top.attrs.get('lang')!r}, the policy {policy['lang']!r}"
        )
    for style in (e for e in root.iter() if e.tag == "style"):
        css = "".join(c for c in style.children if isinstance(c, str))
        found += [
            f"the CSS reaches outside .{EMBED_CLASS}: {selector}"
            for selector in unscoped_selectors(css, f".{EMBED_CLASS}")
        ]
    return found


def _page_head(root: Element, policy: dict[str, Any]) -> list[str]:
    """A whole page names its revision and its policy in <head> and carries the title as h1."""
    found: list[str] = []
    meta = [
        e.attrs.get("content")
        for e in root.iter()
        if e.tag == "meta" and e.attrs.get("name") == "charta-revision"
    ]
    if meta != [policy["revision"]]:
        found.append(
            f"revision: the page carries {', '.join(map(str, meta)) or 'none'}, "
            f"the policy {policy['revision']}"
        )
    if not any(
        e.tag == "link"
        and e.attrs.get("rel") == "alternate"
        and e.attrs.get("type") == "application/json"
        for e in root.iter()
    ):
        found.append(
            "the page does not name its JSON policy "
            '(<link rel="alternate" type="application/json">)'
        )
    h1 = [e.text() for e in root.iter() if e.tag == "h1"]
    if shown(policy["title"]) not in h1:
        found.append(
            f"title: the page's h1 says {h1[0] if h1 else 'nothing'!r}, "
            f"the policy {policy['title']!r}"
        )
    return found


def _fragment_title(root: Element, policy: dict[str, Any]) -> list[str]:
    """A fragment's first heading, whatever its level, is the charta's title."""
    first = next((e.text() for e in root.iter() if e.tag in HEADINGS), None)
    if first != shown(policy["title"]):
        return [f"title: the first heading says {first!r}, the policy {policy['title']!r}"]
    return []


def _criteria(name: str, section: Element, criteria: list[dict[str, Any]]) -> list[str]:
    shown = [e for e in section.iter() if "data-criterion" in e.attrs]
    found = []
    page_ids = [e.attrs["data-criterion"] for e in shown]
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
    for element in shown:
        criterion = by_id.get(element.attrs["data-criterion"])
        if criterion is None:
            continue
        where = f"{name}.criteria[{first[criterion['id']]}] ({criterion['id']})"
        if element.attrs.get("id") != f"{name}-{criterion['id']}":
            found.append(
                f"{where}: the anchor is {element.attrs.get('id')!r}, "
                f"expected '{name}-{criterion['id']}'"
            )
        page_html, policy_html = element.inner(), _canonical_html(criterion["html"])
        if page_html != policy_html:
            found.append(f"{where}: the page shows {page_html!r}, the policy says {policy_html!r}")
    return found


def compare_file(
    kind: Literal["page", "embed", "markdown"], text: str, policy: dict[str, Any]
) -> list[str]:
    """Compare one file of a site with the policy by its kind (see `PAGES`)."""
    if kind == "embed":
        return compare_embed(text, policy)
    if kind == "markdown":
        from .markdown_page import as_html

        return compare(as_html(text), policy, fragment=True)
    return compare(text, policy)


def check_revision(policy: dict[str, Any]) -> list[str]:
    """A policy whose revision does not match its content was changed after the build."""
    expected = policy_revision(policy)
    if policy.get("revision") != expected:
        return [
            f"revision: charta.json says {policy.get('revision')}, its content gives "
            f"{expected} (was it edited by hand?)"
        ]
    return []


def check_folder(folder: Path, on: datetime.date) -> tuple[dict[str, Any] | None, list[str]]:
    """A built or deployed site: its policy, and every way its pages and policy disagree."""
    try:
        policy = json.loads((folder / "charta.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        return None, [f"cannot read charta.json: {error}"]
    found = check_revision(policy)
    for lang in (policy["lang"], *policy.get("translations", {})):
        prefix = "" if lang == policy["lang"] else lang_folder(lang)
        for name, kind in PAGES.items():
            path = folder / prefix / name
            if kind != "page" and not path.exists():
                continue
            try:
                text = path.read_text("utf-8")
            except OSError as error:
                found.append(f"{prefix}{name}: cannot be read ({error.strerror})")
                continue
            local = localize(policy, lang)
            found += [f"{prefix}{name}: {d}" for d in compare_file(kind, text, local)]
    review_by = policy.get("review_by")
    if review_by and datetime.date.fromisoformat(review_by) < on:
        found.append(
            f"the charta is stale: its review date {review_by} has passed "
            f"(updated {policy['updated']}); look it over, set a new review_by, rebuild"
        )
    return policy, found
