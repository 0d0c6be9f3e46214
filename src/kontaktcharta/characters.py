"""Characters a person cannot see or a terminal would obey: refused in texts, taken out of names.

A text of a charta or a policy is read by people on a page, in a message and in a terminal, so it
holds no control characters (but tab and line breaks) and no noncharacters. A requester's name
comes from anyone: it is cleaned (controls, invisible format characters such as bidi overrides and
zero-width characters taken out) and bounded. What the CLI prints for a reader shows any control
character left as a visible escape instead of sending it to the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

NAME: Final = 64
"""The most characters of a requester's name a message carries; a longer name is shortened."""

_FORBIDDEN: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
    + "]"
)
"""Control characters but tab and line breaks, surrogates, and the noncharacters."""
_BLANK: Final = re.compile(
    "[\u034f\u115f\u1160\u2800\u3164\uffa0\ufe00-\ufe0f\U000e0000-\U000e01ef]"
)
"""Letters and marks that show nothing, which a name loses too: the combining grapheme joiner,
Hangul fillers, the blank Braille pattern, variation selectors, tags."""
_ESCAPED: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""What a terminal would obey or reorder by: shown as escapes in the CLI's plain output."""
_INVISIBLE: Final = frozenset(["Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"])
"""The Unicode categories a name loses whole: controls, format characters (soft hyphens, bidi
marks, embeddings, overrides and isolates, zero-width spaces and joiners, invisible operators,
byte order marks, interlinear annotation, tags), private use, unassigned and noncharacters,
surrogates, line and paragraph separators."""


def problem(text: str) -> str | None:
    """Why a text of a charta or policy cannot be used, or None."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    kind = "a noncharacter" if _is_noncharacter(char) else "a control character"
    return (
        f"contains U+{ord(char):04X}, {kind}, at character {found.start() + 1}; "
        "a text holds only characters a person can read (tab and line breaks allowed)"
    )


def clean_name(name: str) -> str:
    """A requester's name for a message: on one line, without what cannot be seen, at most NAME
    characters (a longer one ends at a word, with …)."""
    fine = name.isprintable() and _BLANK.search(name) is None  # no Cc, Cf, Co, Cn or blank
    if fine and len(name) <= NAME and " ".join(name.split()) == name:
        return name  # most names: nothing to take out
    name = " ".join(name.split())  # line breaks and other spaces: one space
    if not fine:
        name = "".join(
            char
            for char in _BLANK.sub("", name)
            if char == " " or unicodedata.category(char) not in _INVISIBLE
        )
        name = " ".join(name.split())
    return shorten(name, NAME)


def shorten(name: str, most: int) -> str:
    """The name itself where it has at most `most` characters, else its whole words that fit
    (within a word only where the first alone does not) and …; empty where not even one
    character and … fit."""
    if len(name) <= most:
        return name
    if most < 2:
        return ""
    start = name[: most - 1]
    if name[most - 1] != " " and " " in start:  # a word would be cut: end before it
        start = start[: start.rfind(" ")]
    return start.rstrip(" ,.;:-") + "…"


def for_terminal(text: str) -> str:
    """Text to print for a reader: control and bidi characters shown as `\\x1b`, `\\u202e`."""
    return _ESCAPED.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_noncharacter(char: str) -> bool:
    return unicodedata.category(char) == "Cn" and (
        0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE
    )
