"""What a visitor gets from a page beyond its words: no active content, nothing loaded from
another host, and no criterion hidden. Read from the parsed page and its own CSS (stylesheet.py),
as the build makes it and as `charta verify` finds it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from . import cascade, markup, stylesheet
from .outputs import Build, Difference, language_paths

if TYPE_CHECKING:
    from .outputs import Files

Attributes = Mapping[str, str | None]

EMBEDS = frozenset(
    ["iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"]
)
"""Elements that put another document or a plug-in into the page."""
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
    | {"ping", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "to", "from"}
    | {"values", "by", "srcset", "imagesrcset"}
)
"""Attributes whose value a browser may follow as a URL: a script URL there runs script."""
_LOADED = frozenset(
    {"src", "srcset", "poster", "background", "data", "ping", "imagesrcset", "attributionsrc"}
)
"""Attributes whose URL a browser fetches when it shows the page (or when a link is followed,
for `ping` and `attributionsrc`), on any element."""
_LOADED_HREF = frozenset(["link", "image", "use", "feimage", "script"])
"""Elements (lower case: SVG's are `feImage`) whose `href` is fetched, not followed."""
_LOADED_OR_STYLE = _LOADED | {"style"}
_LINK_NAMES = frozenset(
    {"alternate", "canonical", "author", "me", "license", "help", "next", "prev", "bookmark"}
    | {"external", "nofollow", "noopener", "noreferrer", "opener", "tag", "search"}
    | {"privacy-policy", "terms-of-service", "shortlink", "webmention"}
)
"""The kinds of <link> that only name a page and are not fetched: these may point anywhere.
Any other (stylesheet, icon, preload, prefetch, manifest, compression-dictionary, one not known
here) is fetched, so only from the site itself."""
_HIDING_PARENTS = {
    "details": "a closed <details>",
    "dialog": "a closed <dialog>",
    "noscript": "<noscript>",
    "template": "<template>",
    "canvas": "<canvas>",
    "video": "<video>",
    "audio": "<audio>",
    "object": "<object>",
}
"""Elements whose content a browser does not show (a <details> or <dialog> while closed)."""
_SHOWS_DATA = frozenset(["img", "source", "link", "video", "audio", "track", "input", "image"])
"""Elements that show or read a data: URL as what it is, never as a document that runs."""
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_HIDING_ATTRIBUTES = frozenset({"hidden", "aria-hidden", "style", "popover"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_SAFE_DATA = re.compile(r"data:image/(?:png|gif|jpeg|webp|avif)[;,]")
"""A data: URL a browser shows as a picture and nothing else (not SVG, which can hold script)."""


def url_of(value: str) -> str:
    """A URL as a browser reads it: outer spaces and controls gone, tabs and newlines removed."""
    return re.sub(r"[\t\n\r]", "", value.strip(_C0_AND_SPACE))


def scheme(url: str) -> str:
    """A URL's scheme in lower case, or "" for a relative URL."""
    match = _SCHEME.match(url_of(url).lower())
    return match.group(1) if match else ""


def elsewhere(url: str) -> bool:
    """Whether loading a URL goes to another host: an absolute URL (but data:) or `//host/`."""
    url = url_of(url).replace("\\", "/")
    return url.startswith("//") or scheme(url) not in ("", "data")


def _candidates(srcset: str) -> list[str]:
    """The URLs of a `srcset`."""
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def active_content(elements: Iterable[tuple[LexborNode, Attributes]]) -> list[str]:
    """Every kind of active content in a page, each named by its first element."""
    first: dict[str, str] = {}
    for node, attrs in elements:
        tag = node.tag or ""
        for kind, where in _active(tag, attrs):
            first.setdefault(kind, where)
    messages = {
        "script": "the page runs JavaScript ({}); a charta page runs none",
        "embed": "the page embeds another document or a plug-in ({}); a charta page embeds none",
        "refresh": "the page sends its visitors elsewhere ({}); a charta page stays",
        "base": "the page sets the base of its links ({}); a charta page has none",
        "form": "the page holds a form ({}); a charta page sends nothing",
        "template": "the page holds a <template> ({}), whose content verify cannot read "
        "(a declarative shadow root can run script and hide the page); a charta page has none",
    }
    return [messages[kind].format(where) for kind, where in first.items()]


def _active(tag: str, attrs: Attributes) -> Iterator[tuple[str, str]]:
    if tag == "script":
        yield "script", "<script>"
    for name, value in attrs.items():
        if name[:2].lower() == "on":
            yield "script", f"<{tag}>"
        elif name == "srcdoc":
            yield "script", f"<{tag} srcdoc>"
        if name == "formaction":
            yield "form", f"<{tag} formaction>"
        if name in _URL_ATTRIBUTES and value and value[0] != "#":  # `#x` is this page
            urls = _candidates(value) if name.endswith("srcset") else [value]
            for url in urls:
                kind = scheme(url)
                if kind in ("javascript", "vbscript", "livescript") or (
                    kind == "data"
                    and tag not in _SHOWS_DATA
                    and not _SAFE_DATA.match(url_of(url).lower())
                ):
                    yield "script", f'<{tag} {name}="{url_of(url)[:40]}">'
    if tag in EMBEDS:
        yield "embed", f"<{tag}>"
    elif (
        tag == "meta" and (attrs.get("http-equiv") or "").strip(_C0_AND_SPACE).lower() == "refresh"
    ):
        yield "refresh", '<meta http-equiv="refresh">'
    elif tag == "base":
        yield "base", "<base>"
    elif tag in ("form", "isindex"):
        yield "form", f"<{tag}>"
    elif tag == "template":
        mode = attrs.get("shadowrootmode")
        yield "template", f'<template shadowrootmode="{mode}">' if mode else "<template>"


def loads(elements: Iterable[tuple[LexborNode, Attributes]], styles: Sequence[str]) -> list[str]:
    """Everything the page fetches from another host: by its elements, their `style`, and the
    CSS of `styles` (the texts of its <style> elements); and every style sheet it takes from
    elsewhere than the site's own files (a data: URL, an `@import`)."""
    found: list[str] = []
    for node, attrs in elements:
        tag = (node.tag or "").lower()
        if attrs.keys().isdisjoint(_LOADED_OR_STYLE) and tag not in _LOADED_HREF:
            continue  # most elements: nothing of them is fetched
        for name, value in attrs.items():
            if name == "attributionsrc" and not value:  # reports to where the element points
                value = attrs.get("href") or attrs.get("src")
            if not value:
                continue
            if name in _LOADED or (name in ("href", "xlink:href") and tag in _LOADED_HREF):
                if tag == "link" and not _fetched_link(attrs):
                    continue
                urls = _candidates(value) if name.endswith("srcset") else [value]
                found += [
                    from_elsewhere(u, f"the page loads {{}} from another host (<{tag} {name}>)")
                    for u in urls
                    if elsewhere(u)
                ]
                if tag == "link" and name == "href" and scheme(value) == "data" and _styles(attrs):
                    found.append(
                        "the page takes a style sheet from a data: URL (<link href>); "
                        "a charta page's CSS is its own <style> or the site's files"
                    )
            elif name == "style":
                found += [
                    from_elsewhere(u, f"the page loads {{}} from another host (<{tag} style>)")
                    for u in stylesheet.loads_of_style(value)
                    if elsewhere(u)
                ]
    for css in styles:
        sheet = stylesheet.read(css)
        found += [
            from_elsewhere(u, "the page loads {} from another host (its CSS)")
            for u in sheet.loads
            if elsewhere(u)
        ]
        found += [_imported(u, "the page's CSS") for u in sheet.imports]
    return found


def _fetched_link(attrs: Attributes) -> bool:
    """Whether a browser fetches what a <link> points to: any kind but those that name a page."""
    rel = (attrs.get("rel") or "").lower().split()
    return not rel or any(r not in _LINK_NAMES for r in rel)


def _styles(attrs: Attributes) -> bool:
    """Whether a <link> is a style sheet (or fetches one early)."""
    rel = (attrs.get("rel") or "").lower().split()
    return "stylesheet" in rel or (attrs.get("as") or "").strip().lower() == "style"


def from_elsewhere(url: str, what: str, whose: str = "page") -> str:
    """The message for a URL of another host that a page or style sheet loads."""
    return f"{what.format(url_of(url))}; a charta {whose} loads only its own files"


def _imported(url: str, where: str) -> str:
    return (
        f"{where} imports {url_of(url)[:60]} (@import); a charta page's CSS imports nothing: "
        "it is in the page or in the site's files it links"
    )


def css_file_loads(css: str) -> list[str]:
    """Everything a .css file of the site fetches from another host, and its `@import`s."""
    sheet = stylesheet.read(css)
    return [
        from_elsewhere(u, "the style sheet loads {} from another host", "site")
        for u in sheet.loads
        if elsewhere(u)
    ] + [_imported(u, "the style sheet") for u in sheet.imports]


def linked_stylesheets(elements: Iterable[tuple[LexborNode, Attributes]]) -> list[str]:
    """The same-site style sheets a page links (their `href`s)."""
    return [
        attrs.get("href") or ""
        for node, attrs in elements
        if node.tag == "link"
        and "stylesheet" in (attrs.get("rel") or "").lower().split()
        and not elsewhere(attrs.get("href") or "")
    ]


def hidden(
    tree: LexborHTMLParser,
    shown: Mapping[LexborNode, str],
    elements: Sequence[tuple[LexborNode, Attributes]],
    styles: Sequence[str],
    attributes: bool = True,
) -> list[str]:
    """Every way a criterion is hidden from visitors: by an attribute, an inline style, an
    element that does not show its content (`attributes`: these too), a rule of the page's
    CSS, generated content over the page, or what the cascade of all of them gives an element.

    `shown` maps each criterion's text (its element marked data-criterion-text) to its name in
    messages; a rule or attribute counts where it is on that element, inside it or around it.
    """
    if not shown:
        return []
    around: dict[LexborNode, str] = {}  # each element that holds a criterion: the first one's
    for node, label in shown.items():
        parent = node.parent
        while parent is not None and parent not in around:
            around[parent] = label
            parent = parent.parent

    def criterion(node: LexborNode) -> str | None:
        """The criterion an element belongs to or holds, if any."""
        if node in shown:
            return shown[node]
        if node in around:
            return around[node]
        parent = node.parent
        while parent is not None:
            if parent in shown:
                return shown[parent]
            if parent in around:
                return None
            parent = parent.parent
        return None

    found: list[str] = []
    for node, attrs in elements if attributes else ():
        if attrs.keys().isdisjoint(_HIDING_ATTRIBUTES) and node.tag not in _HIDING_PARENTS:
            continue  # most elements: nothing of them hides
        cause = _hiding_attribute(node.tag or "", attrs)
        if cause is not None:
            held = criterion(node)
            if held is not None:
                found.append(f"{held} is hidden from visitors: {_named(node, attrs)} {cause}")
    sheets = [stylesheet.read(css) for css in styles]
    for sheet in sheets:
        for rule in sheet.hiding:
            found += _hiding_rule(tree, rule, criterion)
        for rule in sheet.covers:
            found.append(
                f'the CSS rule "{rule.written}" may cover the criteria: generated content with '
                f"{rule.hides}; a charta page lays nothing over them"
            )
    if any(" is hidden from visitors: " in message for message in found):
        return found  # the cascade would say the same again, at more length
    elements = elements or _with_attributes(tree)
    if not any(sheet.rules for sheet in sheets) and not any("style" in a for _, a in elements):
        return found  # no styles at all (charta.md): the cascade gives every element the same
    relevant = set(around).union(shown)
    for node in shown:
        child = node.child
        if child is not None and (child.next is not None or child.tag != markup.TEXT):
            relevant.update(node.traverse())  # what the criterion's text holds: <a>, <em> …
    ordered = [(n, attrs) for n, attrs in elements if n in relevant]
    said: set[str] = set()
    for node, problem in cascade.problems(tree, sheets, ordered, shown).items():
        held = criterion(node)
        if held is not None and problem not in said:  # one cause once, at its first criterion
            said.add(problem)
            found.append(
                f"{held} is hidden from visitors: its styles give "
                f"{_named(node, node.attributes)} {problem}"
            )
    return found


def _hiding_attribute(tag: str, attrs: Attributes) -> str | None:
    """How an element's own attributes, or what it is, hide what is in it."""
    if "hidden" in attrs:
        return "has the hidden attribute"
    if "popover" in attrs:
        return "has the popover attribute, which hides it until it is opened"
    if (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return 'has aria-hidden="true", which hides it from screen readers'
    style = attrs.get("style")
    if style:
        hides = stylesheet.hiding_declaration(stylesheet.declarations_of(style))
        if hides is not None:
            return f'has style="{style.strip()}" ({hides})'
    if tag in _HIDING_PARENTS and not (tag in ("details", "dialog") and "open" in attrs):
        return f"is {_HIDING_PARENTS[tag]}, whose content a browser does not show"
    return None


def _hiding_rule(
    tree: LexborHTMLParser, rule: stylesheet.Rule, criterion: Callable[[LexborNode], str | None]
) -> list[str]:
    for selector in rule.selectors:
        try:
            matched = tree.css(selector)
        except SelectolaxError:
            return [
                f'the CSS rule "{rule.written}" sets {rule.hides}, and its selector cannot be '
                "checked; a charta page may not hide anything with a selector verify cannot read"
            ]
        for node in matched:
            label = criterion(node)
            if label is not None:
                return [
                    f'{label} is hidden from visitors: the CSS rule "{rule.written}" sets '
                    f"{rule.hides} on {_named(node, node.attributes)}"
                ]
    return []


def _named(node: LexborNode, attrs: Attributes) -> str:
    """An element as a message names it: `<li id="accept-met">`, `<main>`."""
    for key in ("id", "class", "data-criterion"):
        if attrs.get(key):
            return f'<{node.tag} {key}="{attrs[key]}">'
    return f"<{node.tag}>"


class OtherFiles:
    """Every HTML and CSS file of a site beside what verify.py reads with the policy (the
    extra pages, static files): no active content, nothing loaded from another host. And a style
    sheet of the site that a charta page links may hide none of its criteria."""

    source = "theme"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        return iter(())  # it makes nothing: it checks what the others made

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        charta_pages = {
            path
            for name in ("index.html", "embed.html")
            for _, path in language_paths(policy, name)
        }
        for name in files.names():
            kind = name.lower().rsplit(".", 1)[-1]
            if kind not in ("html", "htm", "css"):
                continue
            try:
                text = files.read(name)
            except OSError as error:
                yield Difference(name, f"cannot be read ({error.strerror})")
                continue
            if text is None:
                continue
            if kind == "css":
                found = css_file_loads(text)
            elif name in charta_pages:
                found = _linked_sheets_hide(name, text, files) if "stylesheet" in text else []
            else:
                tree = LexborHTMLParser(text)
                elements = _with_attributes(tree)
                styles = [node.text(deep=True) for node, _ in elements if node.tag == "style"]
                found = active_content(elements) + loads(elements, styles)
            for message in found:
                yield Difference(name, message)


OTHER_FILES = OtherFiles()


def _with_attributes(tree: LexborHTMLParser) -> list[tuple[LexborNode, Attributes]]:
    return [(node, node.attributes) for node in markup.elements_of(tree)]


def _linked_sheets_hide(name: str, text: str, files: Files) -> list[str]:
    """Every way the style sheets of the site that a charta page links hide one of its
    criteria: with the page's own CSS (which verify.py checks alone), what they add."""
    tree = LexborHTMLParser(text)
    elements = _with_attributes(tree)
    sheets = []
    for href in linked_stylesheets(elements):
        path = href.split("#", 1)[0].split("?", 1)[0]
        path = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)).lstrip("/")
        try:
            css = files.read(path)
        except OSError:
            css = None
        if css is not None:
            sheets.append(css)
    if not sheets:
        return []
    shown = markup.shown_criteria(tree)
    own = [node.text(deep=True) for node, _ in elements if node.tag == "style"]
    alone = set(hidden(tree, shown, elements, own, attributes=False))
    together = hidden(tree, shown, elements, [*own, *sheets], attributes=False)
    return [message for message in together if message not in alone]
