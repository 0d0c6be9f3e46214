"""What a page's styles give each element that holds, is or is inside a criterion's text, once
the cascade is done: in each view (`stylesheet.SCHEMES`) every rule that matches it merged (a
later one wins, `!important` wins, the `style` attribute last), custom properties and the text
colour inherited, the background the nearest element with one gives, the opacity multiplied.

That catches what no rule does alone: `height: 0` in one rule and `overflow: hidden` in another,
the text set to the colour the page's background has elsewhere, a `var()` that only the cascade
resolves. Each element is checked as `stylesheet.hides` checks a rule, and more: the text's
contrast against its background (`colours.CONTRAST`), its font size, the opacity of it and all
around it, and a colour that cannot be read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from . import colours, stylesheet

Declaration = tuple[str, str, bool]
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,((?:[^()]|\([^()]*\))*))?\)")
_PLAIN = ("inherit", "unset", "revert", "revert-layer", "")
_ROOT_FONT = 16.0


@dataclass(slots=True)
class _Style:
    """An element's computed style in one view, as far as the check needs it."""

    variables: dict[str, str]
    """The custom properties it has (inherited or its own), resolved."""
    colour: colours.RGBA | None
    """Its text colour; None where it cannot be read."""
    background: colours.RGBA | None
    """The opaque colour behind its text; None where unknown (an image, a gradient)."""
    opacity: float
    """Its opacity times that of every element around it."""
    font: float | None
    """Its font size in px; None where it cannot be read."""
    problem: str | None
    """How its styles hide it, if they do: `height: 0 with overflow: hidden`."""


def problems(
    tree: LexborHTMLParser,
    sheets: Sequence[stylesheet.Sheet],
    relevant: Sequence[tuple[LexborNode, Mapping[str, str | None]]],
    texts: Mapping[LexborNode, str],
) -> dict[LexborNode, str]:
    """How the styles hide each of the `relevant` elements (with their attributes, in document
    order: each criterion's text, what is inside it and what is around it), by element; `texts`
    are the criteria's texts, whose colour is held against their background."""
    rules = [rule for sheet in sheets for rule in sheet.rules]
    registered = {name: value for sheet in sheets for name, value in sheet.registered}
    position = {node: index for index, (node, _) in enumerate(relevant)}
    matched: list[list[int]] = [[] for _ in relevant]
    tags = {(node.tag or "").lower() for node, _ in relevant}
    found_by: dict[str, list[int]] = {}  # a query walks the whole page: each selector once
    for index, rule in enumerate(rules):
        seen: set[int] = set()
        for selector in rule.selectors:
            subject = _subject(selector)
            if subject is not None and subject not in tags:
                continue  # it matches only elements of a kind no criterion is, holds or is in
            if selector not in found_by:
                try:
                    nodes = tree.css(selector)
                except SelectolaxError:
                    nodes = []  # a hiding rule verify cannot read is stylesheet.Rule's to report
                found_by[selector] = [at for n in nodes if (at := position.get(n)) is not None]
            for at in found_by[selector]:
                if at not in seen:
                    seen.add(at)
                    matched[at].append(index)
    # Most elements share their parent's kind, their rules and their style attribute with many
    # others (each criterion's <li> and text): elements alike in all three, up to the page's
    # root, are one kind, whose style is computed once per view.
    kinds: dict[tuple[int, tuple[int, ...], str, bool], int] = {}
    kind_of: list[int] = []
    for at, (node, attrs) in enumerate(relevant):
        parent = position.get(node.parent) if node.parent is not None else None
        above = kind_of[parent] if parent is not None else -1
        key = (above, tuple(matched[at]), attrs.get("style") or "", node in texts)
        kind_of.append(kinds.setdefault(key, len(kinds)))
    troubles: dict[int, str] = {}
    for view in stylesheet.SCHEMES:
        initial = _Style(dict(registered), colours.BLACK, colours.WHITE, 1.0, _ROOT_FONT, None)
        styles: list[_Style] = []
        for above, own, inline, is_text in kinds:  # a kind comes after the kind above it
            declarations = [
                d for i in own if view in rules[i].schemes for d in rules[i].declarations
            ]
            if inline:
                declarations += stylesheet.declarations_full(inline)
            style = _compute(styles[above] if above >= 0 else initial, _merged(declarations))
            styles.append(style)
            problem = style.problem
            if problem is None and is_text:
                problem = _faint(style, view)
            if problem is not None:
                troubles.setdefault(len(styles) - 1, problem)
    found: dict[LexborNode, str] = {}
    if troubles:
        for at, (node, _) in enumerate(relevant):
            problem = troubles.get(kind_of[at])
            if problem is not None:
                found.setdefault(node, problem)
    return found


@functools.lru_cache(maxsize=1024)
def _subject(selector: str) -> str | None:
    """The element name a selector's last compound requires (`footer p`: `p`), if any."""
    last = stylesheet.split(selector, " >+~\t\n")[-1]
    match = re.match(r"[a-zA-Z][\w-]*(?![\w|-])", last)
    return match.group(0).lower() if match is not None else None


def _merged(declarations: Iterable[Declaration]) -> dict[str, str]:
    """Declarations in cascade order merged: a later one wins, an `!important` one over any
    that is not."""
    values: dict[str, tuple[str, bool]] = {}
    for name, value, important in declarations:
        before = values.get(name)
        if before is None or important or not before[1]:
            values[name] = (value, important)
    return {name: value for name, (value, _) in values.items()}


def resolve(value: str, variables: Mapping[str, str], depth: int = 0) -> str:
    """A value with every `var()` replaced by the custom property's value, else its fallback
    (neither: "", as a browser makes the declaration invalid)."""
    if "var(" not in value or depth > 8:
        return value if "var(" not in value else ""

    def one(match: re.Match[str]) -> str:
        if match.group(1) in variables:
            return variables[match.group(1)]
        return resolve((match.group(2) or "").strip(), variables, depth + 1)

    return resolve(_VAR.sub(one, value), variables, depth + 1)


def _compute(parent: _Style, values: Mapping[str, str]) -> _Style:
    """An element's style from its parent's and the declarations that are its own."""
    variables = parent.variables
    own_variables = {n: v for n, v in values.items() if n.startswith("--")}
    if own_variables:
        variables = {**variables, **own_variables}
        for name, value in own_variables.items():
            variables[name] = resolve(value, variables)
    resolved = {n: resolve(v, variables) for n, v in values.items() if not n.startswith("--")}
    problem = _hiding(resolved)
    colour = parent.colour
    for name in ("color", "-webkit-text-fill-color"):
        given = resolved.get(name)
        if given is None or given in _PLAIN or given == "currentcolor":
            continue
        read = colours.BLACK if given == "initial" else colours.parse(given)
        if read is None and problem is None:
            problem = f"{name}: {given or values.get(name)}, a colour verify cannot read"
        colour = read
    background = parent.background
    painted = _background(resolved)
    if painted is None:
        background = None
    elif painted[3] > 0 and background is not None:
        background = colours.over(painted, background)
    elif painted[3] > 0:
        background = painted if painted[3] >= 1 else None
    opacity = parent.opacity
    if "opacity" in resolved:
        share = stylesheet.number(resolved["opacity"].split(" ")[0]) if resolved["opacity"] else 1
        opacity *= 1.0 if share is None else share
        if opacity < stylesheet.FAINT and problem is None:
            problem = f"an opacity of {opacity:.2f} with the elements around it"
    font = _font(parent.font, resolved)
    if font is not None and font < stylesheet.TINY and problem is None:
        problem = f"a font size of {font:.1f} px"
    return _Style(variables, colour, background, opacity, font, problem)


def _hiding(values: Mapping[str, str]) -> str | None:
    """How an element's merged declarations hide it, as `stylesheet.hides` judges each."""
    listed = {name: [value] for name, value in values.items()}
    overflow = stylesheet.clips(listed)
    positioned = values.get("position", "static") not in ("static", "")
    for name, value in values.items():
        if value and stylesheet.hides(name, value, overflow, positioned):
            if name in stylesheet.SIZES:
                return f"{name}: {value} with its overflow clipped"
            return f"{name}: {value}"
    return None


def _background(values: Mapping[str, str]) -> colours.RGBA | None:
    """The colour an element paints behind its text: transparent where it paints none, None
    where it paints something else (an image, a gradient) or one that cannot be read."""
    value = values.get("background-color")
    if value is None:
        value = values.get("background")
        if value is None or value in _PLAIN or value in ("none", "initial"):
            return (0.0, 0.0, 0.0, 0.0)
        if "(" in value and not value.startswith(("rgb", "hsl", "hwb", "lab", "lch", "ok")):
            return None  # an image or a gradient
        read = colours.parse(value)
        if read is not None:
            return read
        words = [colours.parse(word) for word in value.split(" ")]
        known = [w for w in words if w is not None]
        return known[-1] if len(known) == 1 else None
    if value in _PLAIN or value == "initial":
        return (0.0, 0.0, 0.0, 0.0)
    return colours.parse(value)


def _font(parent: float | None, values: Mapping[str, str]) -> float | None:
    """An element's font size in px, from its own `font-size` or `font` and its parent's."""
    value = values.get("font-size")
    if value is None and "font" in values:
        sizes = [
            part.split("/")[0]
            for part in values["font"].split(" ")
            if part[:1].isdigit() or part[:1] == "." or part.split("/")[0] in stylesheet.FONT_SIZES
        ]
        value = sizes[0] if sizes else None
    if value is None or value in _PLAIN:
        return parent
    px = stylesheet.font_px(value)
    if px is not None:
        return px
    scale = stylesheet.font_scale(value)
    if scale is None or parent is None:
        return None
    return parent * scale


def _faint(style: _Style, view: str) -> str | None:
    """Whether a criterion's text is too faint against what is behind it, in one view."""
    if style.colour is None or style.background is None:
        return None
    shown = (*style.colour[:3], style.colour[3] * style.opacity)
    ratio = colours.contrast(shown, style.background)
    if ratio >= colours.CONTRAST:
        return None
    return (
        f"a contrast of {ratio:.2f}:1 ({colours.written(style.colour)} on "
        f"{colours.written(style.background)}, {view}; at least {colours.CONTRAST}:1)"
    )
