"""Colours as CSS writes them, and the contrast between two (WCAG 2): the rule the static check
(cascade.py) and the browser check (in_browser.py) both apply."""

from __future__ import annotations

import tinycss2.color4

RGBA = tuple[float, float, float, float]
"""A colour in sRGB, each channel and the alpha from 0 to 1."""
CONTRAST = 4.5
"""The least contrast of a criterion's text against its background (WCAG AA)."""
WHITE: RGBA = (1.0, 1.0, 1.0, 1.0)
"""The canvas behind a page that sets no background."""
BLACK: RGBA = (0.0, 0.0, 0.0, 1.0)
"""The text colour of a page that sets none."""


def alpha(value: str) -> float | None:
    """How opaque a colour value is, from 0 to 1; None where it is not a colour."""
    colour = tinycss2.color4.parse_color(value)
    return float(colour.alpha) if isinstance(colour, tinycss2.color4.Color) else None


def parse(value: str) -> RGBA | None:
    """A colour value in sRGB, None where it is not one this can read (`currentcolor`,
    `color-mix()`, a colour space it cannot convert)."""
    colour = tinycss2.color4.parse_color(value)
    if not isinstance(colour, tinycss2.color4.Color):
        return None
    try:
        red, green, blue = colour.to("srgb").coordinates
    except NotImplementedError:
        return None
    return (float(red), float(green), float(blue), float(colour.alpha))


def over(top: RGBA, bottom: RGBA) -> RGBA:
    """A colour laid over an opaque one: what shows."""
    alpha = top[3]
    red, green, blue = (top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3))
    return (red, green, blue, 1.0)


def _luminance(colour: RGBA) -> float:
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in colour[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(text: RGBA, background: RGBA) -> float:
    """The contrast ratio of text (laid over the background) against an opaque background."""
    lighter, darker = sorted((_luminance(over(text, background)), _luminance(background)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def written(colour: RGBA) -> str:
    """A colour as a message shows it: `#fdfcf9`."""
    return "#" + "".join(f"{round(v * 255):02x}" for v in colour[:3])
