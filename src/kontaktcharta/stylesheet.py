"""What a page's CSS does to a visitor's view: the rules that could hide an element, and every
URL it loads. Read with tinycss2, the way a browser tokenizes CSS.

A rule counts wherever it applies (inside any `@media`, `@supports`, `@container` or `@layer`,
so at every width, in either colour scheme and in print) and in every state a visitor can bring
about: `:hover`, `:focus` and the like are dropped from its selector before it is matched.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

_GROUPS = frozenset(
    ["media", "supports", "container", "layer", "document", "scope", "starting-style"]
)
"""At-rules whose block holds rules that apply to the page (under a condition)."""
_STATES = re.compile(
    r":(?:hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|"
    r"target-within|checked|enabled|disabled|default|valid|invalid|user-valid|user-invalid|"
    r"in-range|out-of-range|placeholder-shown|read-only|read-write|required|optional|"
    r"indeterminate|fullscreen|modal|popover-open|open|closed|playing|paused)(?![\w-])",
    re.I,
)
"""Pseudo-classes of a state a visitor brings about, which a static document never has."""
_GENERATED = re.compile(
    r"::?(?:before|after|marker|placeholder|selection|backdrop|file-selector-button|"
    r"spelling-error|grammar-error|target-text|highlight\([^)]*\)|cue(?:\([^)]*\))?)(?![\w-])",
    re.I,
)
"""Pseudo-elements of generated or passing content: hiding one hides no text of the page."""
_PARTS = re.compile(r"::?(?:first-letter|first-line)(?![\w-])", re.I)
"""Pseudo-elements that are part of the element's own text: hiding one hides part of it."""
_LENGTH_PX = {"px": 1.0, "em": 16.0, "rem": 16.0, "ex": 8.0, "ch": 8.0, "pt": 4 / 3, "pc": 16.0}
_LENGTH_PX.update({"cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6, "in": 96.0, "lh": 24.0})
_VIEWPORT = frozenset(["vw", "vh", "vmin", "vmax", "svw", "svh", "lvw", "lvh", "dvw", "dvh"])
FAR = 250.0
"""How far off (in px, or in % of the viewport) an offset puts an element out of view."""
TINY = 4.0
"""A font size (px) below which no one reads the text."""
_SIZES = frozenset(
    {"width", "height", "max-width", "max-height", "inline-size", "block-size"}
    | {"max-inline-size", "max-block-size"}
)
_OFFSETS = frozenset(
    {"left", "top", "right", "bottom", "inset", "inset-inline", "inset-block"}
    | {"inset-inline-start", "inset-inline-end", "inset-block-start", "inset-block-end"}
)
_MARGINS = frozenset(
    {"margin", "margin-left", "margin-top", "margin-right", "margin-inline", "margin-block"}
    | {"margin-inline-start", "margin-block-start"}
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A style rule of a sheet, with what it does that could hide what it matches."""

    selectors: tuple[str, ...]
    """Its selectors as a browser matches them on a page with no state (see `matchable`)."""
    written: str
    """Its selector as written, for messages."""
    hides: str
    """How it hides: `display: none`."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """What one style sheet can do to a visitor's view."""

    hiding: tuple[Rule, ...]
    """The rules that could hide what they match."""
    loads: tuple[str, ...]
    """Every URL it loads (`@import`, `url()`, `image-set()`), in order."""


@functools.lru_cache(maxsize=64)  # a theme's one sheet is in every page of a build
def read(css: str) -> Sheet:
    """Read a style sheet (a `<style>` element's text or a .css file)."""
    nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    variables: dict[str, list[str]] = {}
    rules = list(_rules(nodes, ()))
    for _, declarations in rules:
        for name, value in declarations:
            if name.startswith("--"):
                variables.setdefault(name, []).append(value)
    hiding = []
    for selectors, declarations in rules:
        hides = hiding_declaration(declarations, variables)
        if hides is not None:
            written = ", ".join(selectors)
            matchable_selectors = tuple(m for s in selectors if (m := matchable(s)) is not None)
            if matchable_selectors:
                hiding.append(Rule(matchable_selectors, written, hides))
    return Sheet(tuple(hiding), tuple(urls(nodes)))


def declarations_of(style: str) -> list[tuple[str, str]]:
    """A `style` attribute's declarations as (name, value)."""
    return _declarations(tinycss2.parse_blocks_contents(style, skip_comments=True))


def matchable(selector: str) -> str | None:
    """A selector as it matches on a page a visitor uses: states dropped, a part such as
    ::first-line counted as its element; None for generated content (::before)."""
    if _GENERATED.search(selector):
        return None
    selector = _STATES.sub(_dropped, _PARTS.sub(_dropped, selector)).strip()
    return selector or "*"


def _dropped(match: re.Match[str]) -> str:
    """Nothing for a dropped pseudo-class, or `*` where it was all of a compound (`a :hover`)."""
    before = match.string[match.start() - 1] if match.start() else " "
    return "*" if before in " \t\n>+~(," else ""


def _rules(
    nodes: Sequence[ast.Node], parents: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], list[tuple[str, str]]]]:
    """Each style rule with its selectors (nested ones joined to their parents')."""
    for node in nodes:
        if isinstance(node, ast.QualifiedRule):
            own = [s.strip() for s in _split_selectors(tinycss2.serialize(node.prelude))]
            selectors = tuple(_nest(parent, s) for parent in parents for s in own) or tuple(own)
            contents = tinycss2.parse_blocks_contents(
                node.content, skip_comments=True, skip_whitespace=True
            )
            yield selectors, _declarations(contents)
            yield from _rules(
                [n for n in contents if isinstance(n, (ast.QualifiedRule, ast.AtRule))], selectors
            )
        elif (
            isinstance(node, ast.AtRule)
            and node.content is not None
            and node.lower_at_keyword in _GROUPS
        ):
            contents = tinycss2.parse_blocks_contents(
                node.content, skip_comments=True, skip_whitespace=True
            )
            if parents:  # nested in a rule: its declarations apply to the parent
                yield parents, _declarations(contents)
            yield from _rules(
                [n for n in contents if isinstance(n, (ast.QualifiedRule, ast.AtRule))], parents
            )


def _nest(parent: str, selector: str) -> str:
    return selector.replace("&", parent) if "&" in selector else f"{parent} {selector}"


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p for p in parts if p.strip()]


def _declarations(contents: Sequence[ast.Node]) -> list[tuple[str, str]]:
    return [
        (node.lower_name, " ".join(tinycss2.serialize(node.value).split()).lower())
        for node in contents
        if isinstance(node, ast.Declaration)
    ]


def hiding_declaration(
    declarations: Sequence[tuple[str, str]], variables: dict[str, list[str]] | None = None
) -> str | None:
    """How a rule's declarations could hide what it matches (`display: none`), or None.

    A `var()` counts as each value the sheet gives that custom property anywhere.
    """
    values: dict[str, list[str]] = {}
    for name, value in declarations:
        values.setdefault(name, []).extend(_expand(value, variables or {}))
    overflow = any(
        v.split()[0] in ("hidden", "clip")
        for name in ("overflow", "overflow-x", "overflow-y")
        for v in values.get(name, ())
        if v
    )
    positioned = any(v in ("absolute", "fixed") for v in values.get("position", ()))
    for name, options in values.items():
        for value in options:
            hides = _hides(name, value, overflow, positioned)
            if hides:
                return f"{name}: {value}"
    written = dict(declarations)  # as written: `var(--bg)` on `var(--bg)`, not what it may be
    colour = written.get("color")
    if colour and colour not in ("inherit", "currentcolor", "initial", "unset"):
        for key in ("background-color", "background"):
            if written.get(key) == colour:
                return f"color: {colour} on {key}: {colour}"
    return None


def _hides(name: str, value: str, overflow: bool, positioned: bool) -> bool:
    tokens = value.replace("!important", "").split()
    if not tokens:
        return False
    first = tokens[0]
    if name == "display":
        return first == "none"
    if name in ("visibility", "content-visibility"):
        return first in ("hidden", "collapse")
    if name == "opacity":
        opacity = _number(first)
        return opacity is not None and opacity <= 0.1
    if name in ("color", "-webkit-text-fill-color"):
        return _transparent(value)
    if name == "font-size":
        return _tiny(first)
    if name == "font":
        return any(_tiny(t.split("/")[0]) for t in tokens if t[:1].isdigit() or t[:1] == ".")
    if name in ("clip", "clip-path"):
        return first not in ("auto", "none", "initial", "unset", "inherit", "revert")
    if name in _SIZES:
        return overflow and (_px(first) is not None and (_px(first) or 0) <= 1)
    if name in _OFFSETS:
        return positioned and any(_far(t) for t in tokens)
    if name in _MARGINS or name == "text-indent":
        return any(_far(t) for t in tokens)
    if name in ("transform", "translate", "scale"):
        return _moved(name, value)
    if name == "filter":
        return "opacity(0)" in value.replace(" ", "") or "opacity(0%)" in value.replace(" ", "")
    return False


def _expand(value: str, variables: dict[str, list[str]]) -> list[str]:
    """A value with each `var(--x)` replaced by each value of --x in the sheet (a few at most)."""
    names = re.findall(r"var\(\s*(--[\w-]+)", value)
    if not names or not variables:
        return [value]
    choices = [variables.get(n) or [""] for n in names]
    found = []
    for combination in itertools.islice(itertools.product(*choices), 16):
        expanded = value
        for name, replacement in zip(names, combination, strict=True):
            expanded = re.sub(
                r"var\(\s*" + re.escape(name) + r"\s*(,[^)]*)?\)", replacement, expanded
            )
        found.append(expanded)
    return [value, *found]


def _number(token: str) -> float | None:
    try:
        return float(token[:-1]) / 100 if token.endswith("%") else float(token)
    except ValueError:
        return None


def _px(token: str) -> float | None:
    """A length in px (em as 16), None where it is not a plain length."""
    match = re.fullmatch(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)", token)
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit == "" and number == 0:
        return 0.0
    return number * _LENGTH_PX[unit] if unit in _LENGTH_PX else None


def _tiny(token: str) -> bool:
    px = _px(token)
    if px is not None:
        return px < TINY
    number = _number(token) if token.endswith("%") else None
    return number is not None and number < 0.25


def _far(token: str) -> bool:
    """Whether an offset is large and negative: off the top or the start of the page."""
    match = re.fullmatch(r"(-(?:\d+\.?\d*|\.\d+))([a-z%]*)", token)
    if match is None:
        return False
    number, unit = float(match.group(1)), match.group(2)
    if unit in _VIEWPORT or unit == "%":
        return number <= -50
    px = _px(token)
    return px is not None and px <= -FAR


def _moved(name: str, value: str) -> bool:
    """Whether a transform moves an element far away or shrinks it to nothing."""
    compact = value.replace(" ", "")
    for scale in re.findall(r"scale[xyz3d]*\(([^)]*)\)", compact) + (
        [value] if name == "scale" else []
    ):
        if any(_number(p) == 0 for p in re.split(r"[,\s]+", scale.strip()) if p):
            return True
    moves = re.findall(r"translate[xyz3d]*\(([^)]*)\)", compact)
    if name == "translate":
        moves.append(value)
    for move in moves:
        for part in re.split(r"[,\s]+", move.strip()):
            px = _px(part)
            share = _number(part) if part.endswith("%") else None
            if (px is not None and abs(px) >= FAR) or (share is not None and abs(share) >= 1):
                return True
            if re.fullmatch(r"-?\d+\.?\d*v[wh]", part) and abs(float(part[:-2])) >= 50:
                return True
    return False


def _transparent(value: str) -> bool:
    """Whether a colour lets the background through entirely."""
    compact = value.replace(" ", "")
    if compact == "transparent":
        return True
    if re.fullmatch(r"#[0-9a-f]{3}0|#[0-9a-f]{6}00", compact):
        return True
    match = re.fullmatch(r"(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\((.*)\)", compact)
    if match is None:
        return False
    inside = match.group(1)
    alpha = inside.rsplit("/", 1)[1] if "/" in inside else None
    if alpha is None and inside.count(",") == 3:
        alpha = inside.rsplit(",", 1)[1]
    return alpha is not None and _number(alpha) == 0


def urls(nodes: Sequence[ast.Node]) -> Iterator[str]:
    """Every URL that CSS loads: `@import`, `url()`, and the strings of `image-set()`."""
    for node in nodes:
        if isinstance(node, ast.URLToken):
            yield node.value
        elif isinstance(node, ast.FunctionBlock):
            name = node.lower_name
            if name in ("url", "src", "image-set", "-webkit-image-set", "image"):
                yield from (a.value for a in node.arguments if isinstance(a, ast.StringToken))
            yield from urls(node.arguments)
        elif isinstance(node, ast.AtRule):
            if node.lower_at_keyword == "import":
                yield from (t.value for t in node.prelude if isinstance(t, ast.StringToken))
            yield from urls(node.prelude)
            if node.content is not None:
                yield from urls(node.content)
        elif isinstance(node, ast.QualifiedRule):
            yield from urls(node.prelude)
            yield from urls(node.content)
        elif isinstance(node, ast.Declaration):
            yield from urls(node.value)
        elif isinstance(
            node, (ast.ParenthesesBlock, ast.SquareBracketsBlock, ast.CurlyBracketsBlock)
        ):
            yield from urls(node.content)


def loads_of_style(style: str) -> list[str]:
    """Every URL a `style` attribute loads."""
    return list(urls(tinycss2.parse_blocks_contents(style, skip_comments=True)))
