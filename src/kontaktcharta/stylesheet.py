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

from . import colours

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
_NOT_STATE = re.compile(r":not\((?=[^()]*" + _STATES.pattern + r")[^()]*\)", re.I)
"""A `:not()` of a state: true in some state a visitor is in (not hovering), so dropped."""
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
"""How far (px, either way) an offset, an indent or a translation puts an element out of view
(and a negative margin); in % or viewport units, 50."""
TINY = 10.0
"""A font size (px) below which the text is not read; as a share of the parent's, 0.6."""
FAINT = 0.5
"""An opacity (or a colour's alpha, `filter: opacity()`, `zoom`, a scale) below which the
element is hard to see or too small."""
SMALL = 16.0
"""A width or height (px; 1em) below which an element that clips its overflow hides its text."""
SIZES = frozenset(
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
class StyleRule:
    """A style rule as the cascade reads it: what it sets that bears on a visitor's view."""

    selectors: tuple[str, ...]
    """Its selectors as a browser matches them on a page with no state (see `matchable`)."""
    written: str
    """Its selector as written, for messages."""
    declarations: tuple[tuple[str, str, bool], ...]
    """Each declaration that bears on the view: name, value, whether `!important`."""
    schemes: frozenset[str]
    """The views it applies in (`SCHEMES`), from the `@media` around it."""


SCHEMES = ("light", "dark", "print")
"""The views the cascade is read in: the screen in either colour scheme, and print."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """What one style sheet can do to a visitor's view."""

    hiding: tuple[Rule, ...]
    """The rules that could hide what they match."""
    loads: tuple[str, ...]
    """Every URL it loads (`url()`, `image-set()`), in order."""
    imports: tuple[str, ...]
    """Every URL it `@import`s: a charta page's CSS imports nothing."""
    rules: tuple[StyleRule, ...]
    """Its style rules (but those of generated content) that set anything bearing on the view,
    in order."""
    covers: tuple[Rule, ...]
    """Its rules that put generated content (`::before`, `::after`) over the page."""
    registered: tuple[tuple[str, str], ...]
    """The `initial-value` of each custom property it registers with `@property`."""


@functools.lru_cache(maxsize=64)  # a theme's one sheet is in every page of a build
def read(css: str) -> Sheet:
    """Read a style sheet (a `<style>` element's text or a .css file)."""
    nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    rules = list(_rules(nodes, (), frozenset(SCHEMES)))
    registered = tuple(_registered(nodes))
    variables: dict[str, list[str]] = {}
    for name, value in registered:
        variables.setdefault(name, []).append(value)
    for _, declarations, _ in rules:
        for name, value, _ in declarations:
            if name.startswith("--"):
                variables.setdefault(name, []).append(value)
    hiding, style_rules = [], []
    generated: dict[str, list[tuple[str, str, bool]]] = {}
    for selectors, declarations, schemes in rules:
        written = ", ".join(selectors)
        matchable_selectors = tuple(m for s in selectors if (m := matchable(s)) is not None)
        if len(matchable_selectors) < len(selectors):
            for selector in selectors:
                if _GENERATED.search(selector):
                    generated.setdefault(selector, []).extend(declarations)
        if not matchable_selectors:
            continue
        hides = hiding_declaration([(n, v) for n, v, _ in declarations], variables)
        if hides is not None:
            hiding.append(Rule(matchable_selectors, written, hides))
        bearing = tuple(d for d in declarations if _bears(d[0]))
        if bearing:
            style_rules.append(StyleRule(matchable_selectors, written, bearing, schemes))
    covers = [
        Rule((selector,), selector, cover)
        for selector, declarations in generated.items()
        if (cover := _cover(declarations)) is not None
    ]
    imports = tuple(_imports(nodes))
    return Sheet(
        tuple(hiding), tuple(urls(nodes)), imports, tuple(style_rules), tuple(covers), registered
    )


BEARING = frozenset(
    {"display", "visibility", "content-visibility", "opacity", "color", "background"}
    | {"background-color", "-webkit-text-fill-color", "font", "font-size", "clip", "clip-path"}
    | {"overflow", "overflow-x", "overflow-y", "overflow-block", "overflow-inline", "contain"}
    | {"position", "text-indent", "transform", "translate", "scale", "rotate", "zoom"}
    | {"filter", "letter-spacing"}
)
"""The properties (besides custom properties, sizes, offsets, margins and masks) whose cascaded
value bears on whether a visitor sees an element."""


def _bears(name: str) -> bool:
    return (
        name in BEARING
        or name.startswith("--")
        or name in SIZES
        or name in _OFFSETS
        or name in _MARGINS
        or "mask" in name
    )


def _cover(declarations: Sequence[tuple[str, str, bool]]) -> str | None:
    """How generated content with these declarations (merged) could lie over the page: taken
    out of the flow (absolute or fixed) with a background, and not a small marker."""
    values = {name: value for name, value, _ in declarations}
    position = values.get("position", "")
    if position not in ("absolute", "fixed"):
        return None
    background = values.get("background-color") or values.get("background") or ""
    if background in ("", "none", "transparent", "initial", "unset", "inherit"):
        return None
    sizes = [_px(values.get(key, "").split(" ")[0]) for key in ("width", "height")]
    if all(px is not None and px <= COVER for px in sizes):
        return None  # a marker, such as a theme's circle before each criterion
    return f"position: {position} with background: {background}"


COVER = 48.0
"""The largest width and height (px) of generated content with a background that is taken out
of the flow and is not counted as covering the page (a marker)."""


def _registered(nodes: Sequence[ast.Node]) -> Iterator[tuple[str, str]]:
    """Each `@property --x { initial-value: … }`: the property's value where none is set."""
    for node in nodes:
        if isinstance(node, ast.AtRule) and node.lower_at_keyword == "property" and node.content:
            name = tinycss2.serialize(node.prelude).strip()
            contents = tinycss2.parse_blocks_contents(node.content, skip_comments=True)
            for key, value in _declarations(contents):
                if key == "initial-value" and name.startswith("--"):
                    yield name, value


def _imports(nodes: Sequence[ast.Node]) -> Iterator[str]:
    """The URL of each `@import` (a string or `url()`)."""
    for node in nodes:
        if isinstance(node, ast.AtRule) and node.lower_at_keyword == "import":
            for token in node.prelude:
                if isinstance(token, (ast.StringToken, ast.URLToken)):
                    yield token.value
                    break
                if isinstance(token, ast.FunctionBlock) and token.lower_name == "url":
                    strings = [a for a in token.arguments if isinstance(a, ast.StringToken)]
                    yield strings[0].value if strings else tinycss2.serialize(token.arguments)
                    break
            else:
                yield tinycss2.serialize(node.prelude).strip()


def declarations_of(style: str) -> list[tuple[str, str]]:
    """A `style` attribute's declarations as (name, value)."""
    return _declarations(tinycss2.parse_blocks_contents(style, skip_comments=True))


@functools.lru_cache(maxsize=256)
def declarations_full(style: str) -> tuple[tuple[str, str, bool], ...]:
    """A `style` attribute's declarations as (name, value, whether `!important`)."""
    return tuple(_full_declarations(tinycss2.parse_blocks_contents(style, skip_comments=True)))


def matchable(selector: str) -> str | None:
    """A selector as it matches on a page a visitor uses: states dropped, a part such as
    ::first-line counted as its element; None for generated content (::before)."""
    if _GENERATED.search(selector):
        return None
    selector = _NOT_STATE.sub(_dropped, selector)
    selector = _STATES.sub(_dropped, _PARTS.sub(_dropped, selector)).strip()
    return selector or "*"


def _dropped(match: re.Match[str]) -> str:
    """Nothing for a dropped pseudo-class, or `*` where it was all of a compound (`a :hover`)."""
    before = match.string[match.start() - 1] if match.start() else " "
    return "*" if before in " \t\n>+~(," else ""


def _rules(
    nodes: Sequence[ast.Node], parents: tuple[str, ...], schemes: frozenset[str]
) -> Iterator[tuple[tuple[str, ...], list[tuple[str, str, bool]], frozenset[str]]]:
    """Each style rule with its selectors (nested ones joined to their parents'), its
    declarations and the views it applies in."""
    for node in nodes:
        if isinstance(node, ast.QualifiedRule):
            own = [s.strip() for s in _split_selectors(tinycss2.serialize(node.prelude))]
            selectors = tuple(_nest(parent, s) for parent in parents for s in own) or tuple(own)
            contents = tinycss2.parse_blocks_contents(
                node.content, skip_comments=True, skip_whitespace=True
            )
            yield selectors, _full_declarations(contents), schemes
            yield from _rules(
                [n for n in contents if isinstance(n, (ast.QualifiedRule, ast.AtRule))],
                selectors,
                schemes,
            )
        elif (
            isinstance(node, ast.AtRule)
            and node.content is not None
            and node.lower_at_keyword in _GROUPS
        ):
            inner = schemes
            if node.lower_at_keyword == "media":
                inner = schemes & _media(tinycss2.serialize(node.prelude))
            contents = tinycss2.parse_blocks_contents(
                node.content, skip_comments=True, skip_whitespace=True
            )
            if parents:  # nested in a rule: its declarations apply to the parent
                yield parents, _full_declarations(contents), inner
            yield from _rules(
                [n for n in contents if isinstance(n, (ast.QualifiedRule, ast.AtRule))],
                parents,
                inner,
            )


def _media(query_list: str) -> frozenset[str]:
    """The views (`SCHEMES`) a media query list may match; a width or anything else unknown
    matches in each."""
    found: set[str] = set()
    for query in query_list.lower().split(","):
        query = " ".join(query.split())
        views = set(SCHEMES)
        negated = query.startswith("not ")
        if "print" in query:
            views = views - {"print"} if negated else {"print"}
        elif "screen" in query and not negated:
            views -= {"print"}
        if "prefers-color-scheme" in query:
            dark = re.search(r"prefers-color-scheme\s*:\s*dark", query) is not None
            views &= {"light", "print"} if dark == negated else {"dark"}
        found |= views
    return frozenset(found)


def _nest(parent: str, selector: str) -> str:
    return selector.replace("&", parent) if "&" in selector else f"{parent} {selector}"


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    return [part for part in split(prelude, ",") if part.strip()]


def split(text: str, separators: str, first: bool = False) -> list[str]:
    """Split at separators outside brackets and strings; `first`: only at the first one (the
    separator starts the second part)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch in separators and depth == 0:
            parts.append(text[start:i])
            start = i
            if first:
                break
            start = i + 1
    parts.append(text[start:])
    return parts


def _declarations(contents: Sequence[ast.Node]) -> list[tuple[str, str]]:
    return [(name, value) for name, value, _ in _full_declarations(contents)]


def _full_declarations(contents: Sequence[ast.Node]) -> list[tuple[str, str, bool]]:
    return [
        (node.lower_name, " ".join(tinycss2.serialize(node.value).split()).lower(), node.important)
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
    overflow = clips(values)
    positioned = any(v not in ("static", "") for v in values.get("position", ()))
    for name, options in values.items():
        for value in options:
            if hides(name, value, overflow, positioned):
                return f"{name}: {value}"
    written = dict(declarations)  # as written: `var(--bg)` on `var(--bg)`, not what it may be
    colour = written.get("color")
    if colour and colour not in ("inherit", "currentcolor", "initial", "unset"):
        for key in ("background-color", "background"):
            if written.get(key) == colour:
                return f"color: {colour} on {key}: {colour}"
    return None


CLIPPING = ("overflow", "overflow-x", "overflow-y", "overflow-block", "overflow-inline")


def clips(values: dict[str, list[str]]) -> bool:
    """Whether declarations clip what overflows: `overflow: hidden` or `clip`, `contain: paint`."""
    return any(
        v.split()[0] in ("hidden", "clip") for name in CLIPPING for v in values.get(name, ()) if v
    ) or any(
        word in ("paint", "strict", "content")
        for v in values.get("contain", ())
        for word in v.split()
    )


def hides(name: str, value: str, overflow: bool, positioned: bool) -> bool:
    tokens = value.replace("!important", "").split()
    if not tokens:
        return False
    first = tokens[0]
    if name == "display":
        return first == "none"
    if name in ("visibility", "content-visibility"):
        return first in ("hidden", "collapse")
    if name in ("opacity", "zoom"):
        share = number(first)
        return share is not None and (share < FAINT if name == "opacity" else 0 < share < FAINT)
    if name in ("color", "-webkit-text-fill-color"):
        return _transparent(value)
    if name == "font-size":
        return _tiny_font(value)
    if name == "font":
        return any(_tiny_font(t.split("/")[0]) for t in tokens if t[:1].isdigit() or t[:1] == ".")
    if name in ("clip", "clip-path"):
        return first not in ("auto", "none", "initial", "unset", "inherit", "revert")
    if name in SIZES:
        return overflow and small(first)
    if name in _OFFSETS:
        return positioned and any(far(t, both=True) for t in tokens)
    if name == "text-indent":
        return any(far(t, both=True) for t in tokens)
    if name in _MARGINS:
        return any(far(t) for t in tokens)
    if name in ("transform", "translate", "scale", "rotate"):
        return _moved(name, value)
    if name == "filter":
        return _filtered(value)
    if "mask" in name:
        return first not in ("none", "initial", "unset", "inherit", "revert")
    if name == "letter-spacing":
        px = _px(first)
        return px is not None and px < -0.1 * 16
    return False


def font_scale(value: str) -> float | None:
    """A font size as a factor of the parent's (`0.875em` is 0.875), 1 for an absolute one
    (see `font_px`), None where it cannot be read."""
    first = value.split()[0] if value.split() else ""
    if first in ("inherit", "unset", "revert", "revert-layer", "math"):
        return 1.0
    if first == "smaller":
        return 0.83
    if first == "larger":
        return 1.2
    match = re.fullmatch(r"([+-]?(?:\d+\.?\d*|\.\d+))(em|%)", first)
    if match is not None:
        return float(match.group(1)) / (100 if match.group(2) == "%" else 1)
    return 1.0 if font_px(first) is not None else None


FONT_SIZES = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0}
FONT_SIZES.update({"large": 18.0, "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0})
FONT_SIZES["initial"] = 16.0


def font_px(value: str) -> float | None:
    """An absolute font size in px (rem as 16, vw at 360 px wide; `clamp()` its least,
    `min()`/`max()` their least/greatest), None for a relative or unreadable one."""
    value = value.strip()
    if value in FONT_SIZES:
        return FONT_SIZES[value]
    match = re.fullmatch(r"(clamp|min|max|calc)\((.*)\)", value)
    if match is not None:
        parts = [font_px(p) for p in _split_selectors(match.group(2))]
        if match.group(1) == "clamp":
            parts = parts[:1]
        elif match.group(1) == "calc" and len(parts) != 1:
            return None
        if any(p is None for p in parts) or not parts:
            return None
        known = [p for p in parts if p is not None]
        return max(known) if match.group(1) == "max" else min(known)
    unit = re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)([a-z]*)", value)
    if unit is not None and unit.group(1) in _VIEWPORT:
        return float(value[: -len(unit.group(1))]) * 3.6
    if unit is not None and unit.group(1) in ("em", "ex", "ch", "lh"):
        return None
    return _px(value)


def _tiny_font(value: str) -> bool:
    """Whether a font size is too small to read, or cannot be read."""
    scale = font_scale(value)
    px = font_px(value)
    if px is not None:
        return px < TINY
    return scale is None or scale < 0.6


def small(token: str) -> bool:
    """Whether a width or height is below `SMALL` (or 1em), or cannot be read."""
    if token in ("auto", "none", "initial", "unset", "inherit", "revert", "fit-content"):
        return False
    if token in ("min-content", "max-content", "stretch", "-webkit-fill-available"):
        return False
    match = re.fullmatch(r"([+-]?(?:\d+\.?\d*|\.\d+))(em|%|vw|vh|vmin|vmax)", token)
    if match is not None:
        limit = {"em": 1.0, "%": 5.0}.get(match.group(2), 4.5)
        return float(match.group(1)) < limit
    px = _px(token)
    return px is None or px < SMALL


def far(token: str, both: bool = False) -> bool:
    """Whether an offset puts an element out of view: `FAR` or more to the left or top (`both`:
    either way), or a value that cannot be read (`calc()`)."""
    if token in ("auto", "0", "initial", "unset", "inherit", "revert", "anchor-size"):
        return False
    match = re.fullmatch(r"([+-]?(?:\d+\.?\d*|\.\d+))([a-z%]*)", token)
    if match is None:
        return both  # calc() and the like: counted where any distance counts
    number, unit = float(match.group(1)), match.group(2)
    number = abs(number) if both else -number
    if unit in _VIEWPORT or unit == "%":
        return number >= 50
    px = _px(f"{number}{unit}")
    return px is None or px >= FAR


def _filtered(value: str) -> bool:
    """Whether a filter fades, blurs or replaces what it is on."""
    compact = value.replace(" ", "")
    if compact in ("none", "initial", "unset", "inherit", "revert"):
        return False
    if "url(" in compact:
        return True
    for kind, argument in re.findall(r"([a-z-]+)\(([^()]*)\)", compact):
        share = number(argument)
        if kind in ("opacity", "brightness", "contrast") and (share is None or share < FAINT):
            return True
        if kind == "blur" and (_px(argument) is None or (_px(argument) or 0) >= 1):
            return True
    return False


def _expand(value: str, variables: dict[str, list[str]]) -> list[str]:
    """A value with each `var(--x)` replaced by each value of --x in the sheet, and by its
    fallback where it has one (a few combinations at most)."""
    found = re.findall(r"var\(\s*(--[\w-]+)\s*(?:,([^()]*(?:\([^()]*\)[^()]*)*))?\)", value)
    if not found:
        return [value]
    choices = [
        [*(variables.get(name) or []), *([fallback.strip()] if fallback else [])] or [""]
        for name, fallback in found
    ]
    expanded_all = []
    for combination in itertools.islice(itertools.product(*choices), 16):
        expanded = value
        for (name, _), replacement in zip(found, combination, strict=True):
            expanded = re.sub(
                r"var\(\s*" + re.escape(name) + r"\s*(,[^()]*(?:\([^()]*\)[^()]*)*)?\)",
                lambda _, r=replacement: r,  # type: ignore[misc]
                expanded,
                count=1,
            )
        expanded_all.append(expanded)
    return [value, *expanded_all]


def number(token: str) -> float | None:
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


def _moved(name: str, value: str) -> bool:
    """Whether a transform may move an element out of view or shrink it: all but a translation
    within `FAR`, a scale of `FAINT` or more, and a turn in the page's plane are counted."""
    compact = value.replace(", ", ",")
    if compact in ("none", "initial", "unset", "inherit", "revert"):
        return False
    if name != "transform":
        compact = f"{name}({compact.replace(' ', ',')})"
    rest = compact
    for kind, argument in re.findall(r"([a-z0-9-]+)\(([^()]*)\)", compact):
        rest = rest.replace(f"{kind}({argument})", "", 1)
        parts = [p for p in re.split(r"[,\s]+", argument.strip()) if p]
        if kind in ("translate", "translatex", "translatey", "translatez", "translate3d"):
            if any(far(p, both=True) for p in parts):
                return True
        elif kind in ("scale", "scalex", "scaley", "scale3d"):
            if any((number(p) or 0) < FAINT for p in parts):
                return True
        elif kind not in ("rotate", "rotatez"):
            return True
    return rest.strip() != ""


def _transparent(value: str) -> bool:
    """Whether a colour lets most of the background through (alpha under `FAINT`)."""
    opacity = colours.alpha(value)
    return opacity is not None and opacity < FAINT


def urls(nodes: Sequence[ast.Node]) -> Iterator[str]:
    """Every URL that CSS loads: `url()` and the strings of `image-set()` (not `@import`)."""
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
                continue  # not loaded: refused (see `Sheet.imports`)
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
