"""Patterns of `matches` that mean the same in every reader: the portable subset of RE2.

CEL's `matches` is RE2 in Python (cel-cpp) and in the JavaScript package (js/src/regex.js, which
matches a portable pattern exactly as RE2 does and refuses any other). A pattern within the
subset (docs/format.md, "Patterns (matches)") is decided alike everywhere; for one outside it the
build warns at the rule's line. This module and `portable` of js/src/regex.js are the same check,
construct for construct, and tests/test_portable.py holds them equal.

The subset: literal characters and escaped ASCII punctuation; `.`; classes `[…]` and `[^…]` with
ranges, escapes and `\\d \\w \\s \\D \\W \\S`; those six outside classes too; `\\b \\B`; `^ $`;
groups `( )` and `(?: )`; `|`; the repetitions `* + ? {n} {n,} {n,m}` and their lazy forms,
each of something that is not an anchor and not itself a repetition; the escapes
`\\a \\f \\t \\n \\r \\v \\xHH \\x{H…}`; and `(?i)` at the very start.
"""

from __future__ import annotations

import re
from typing import Final

DOCS: Final = "docs/format.md#patterns-matches"
"""Where the portable subset is written down, as the build's warning names it."""
_REPEAT: Final = re.compile(r"\{(0|[1-9][0-9]{0,8})(,(0|[1-9][0-9]{0,8})?)?\}", re.ASCII)
"""A counted repetition as RE2 reads one: no leading zeros, at most nine digits."""
_FLAGS: Final = re.compile(r"\?[A-Za-z-]*[:)]")
_HEX: Final = re.compile(r"\{([0-9A-Fa-f]{1,8})\}|([0-9A-Fa-f]{2})")
_MOST: Final = 1000
"""RE2's largest count of a repetition, and of repetitions inside one another."""
_CONTROLS: Final = {"a": 0x07, "f": 0x0C, "t": 0x09, "n": 0x0A, "r": 0x0D, "v": 0x0B}
"""The escapes of control characters, and the code point each stands for."""
_INFINITE: Final = -1


class NotPortable(ValueError):
    """A pattern outside the portable subset; `construct` is what it uses."""

    def __init__(self, construct: str) -> None:
        super().__init__(construct)
        self.construct = construct


def portable(pattern: str) -> str | None:
    """Why a pattern is not in the portable subset (the construct it uses), or None."""
    try:
        _Parser(pattern).parse()
    except NotPortable as error:
        return error.construct
    return None


def warning(construct: str) -> str:
    """What the build says of a rule whose pattern uses a construct outside the subset."""
    return (
        f"the pattern of matches uses {construct}, which JavaScript readers cannot run: deciding "
        f"a request by this rule fails there; keep to the portable patterns of {DOCS}"
    )


class _Repeat:
    """A repetition in the pattern's tree: its counts (max -1: any) and what it repeats."""

    __slots__ = ("body", "high", "low")

    def __init__(self, low: int, high: int, body: list[object]) -> None:
        self.low, self.high, self.body = low, high, body


class _Parser:
    """Reads a pattern as js/src/regex.js does; only repetitions are kept (RE2 counts them)."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 4 if pattern.startswith("(?i)") else 0

    def parse(self) -> None:
        tree = self.alternation()
        if self.at < len(self.text):
            raise NotPortable("a ) without its (")
        _repetitions(tree)

    def peek(self, offset: int = 0) -> str:
        at = self.at + offset
        return self.text[at] if at < len(self.text) else ""

    def alternation(self) -> list[object]:
        items = self.concatenation()
        while self.peek() == "|":
            self.at += 1
            items += self.concatenation()
        return items

    def concatenation(self) -> list[object]:
        items: list[object] = []
        while self.at < len(self.text) and self.peek() not in "|)":
            items.append(self.repeated())
        return items

    def repeated(self) -> object:
        atom = self.atom()
        count = self.repetition()
        if count is None:
            return atom
        if atom == "assert":
            raise NotPortable("a repetition of ^, $, \\b or \\B")
        if self.peek() == "?":
            self.at += 1
        if self.repetition() is not None:
            raise NotPortable("a repetition of a repetition")
        return _Repeat(count[0], count[1], atom if isinstance(atom, list) else [atom])

    def repetition(self) -> tuple[int, int] | None:
        ch = self.peek()
        if ch and ch in "*+?":
            self.at += 1
            return {"*": (0, _INFINITE), "+": (1, _INFINITE), "?": (0, 1)}[ch]
        found = _REPEAT.match(self.text, self.at) if ch == "{" else None
        if found is None:
            return None
        self.at = found.end()
        low = int(found[1])
        high = low if found[2] is None else _INFINITE if found[3] is None else int(found[3])
        if low > _MOST or high > _MOST:
            raise NotPortable(f"a repetition over {_MOST} times ({found[0]})")
        if high != _INFINITE and high < low:
            raise NotPortable(f"a repetition with its counts reversed ({found[0]})")
        return low, high

    def atom(self) -> object:
        ch = self.peek()
        if ch == "(":
            return self.group()
        if ch in ("*", "+", "?"):
            raise NotPortable("a repetition of nothing")
        if ch == "{" and _REPEAT.match(self.text, self.at):
            raise NotPortable("a repetition of nothing")
        self.at += 1
        if ch in ("^", "$"):
            return "assert"
        if ch == "[":
            return self.character_class()
        if ch == "\\":
            return self.escape(in_class=False)
        return "char"

    def group(self) -> list[object]:
        self.at += 1
        if self.peek() == "?":
            rest = self.text[self.at :]
            if rest.startswith("?:"):
                self.at += 2
            elif rest.startswith(("?=", "?!", "?<=", "?<!")):
                raise NotPortable("a lookaround (?= (?! (?<= (?<!")
            elif rest.startswith(("?P", "?<")):
                raise NotPortable("a named group")
            elif flags := _FLAGS.match(rest):
                raise NotPortable(f"the flags ({flags[0]}, other than a leading (?i)")
            else:
                raise NotPortable("a group of another kind, (?")
        body = self.alternation()
        if self.peek() != ")":
            raise NotPortable("a ( without its )")
        self.at += 1
        return body

    def character_class(self) -> str:
        if self.peek() == "^":
            self.at += 1
        first = True
        while True:
            if self.at >= len(self.text):
                raise NotPortable("a [ without its ]")
            ch = self.peek()
            if ch == "]" and not first:
                self.at += 1
                return "class"
            if ch == "[" and self.peek(1) == ":":
                raise NotPortable("a POSIX class [:…:]")
            low = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("", "]"):
                self.at += 1
                high = self.class_atom()
                if not isinstance(low, int) or not isinstance(high, int):
                    raise NotPortable("a range with \\d, \\w or \\s at an end")
                if low > high:
                    raise NotPortable("a range with its ends reversed")
            first = False

    def class_atom(self) -> object:
        ch = self.peek()
        self.at += 1
        return self.escape(in_class=True) if ch == "\\" else ord(ch)

    def escape(self, in_class: bool) -> object:
        """What follows a backslash: a character's code point, or what else it is."""
        ch = self.peek()
        if not ch:
            raise NotPortable("a \\ at the end")
        self.at += 1
        if ch in "dDwWsS":
            return "perl"
        if ch in "bB":
            if in_class:
                raise NotPortable("\\b in a class")
            return "assert"
        if ch in _CONTROLS:
            return _CONTROLS[ch]  # a character, which may end a range: [\t-\r]
        if ch == "x":
            return self.hex()
        if ch in "pP":
            raise NotPortable("a Unicode class \\p or \\P")
        if ch == "Q":
            raise NotPortable("a quotation \\Q…\\E")
        if ch in "Az":
            raise NotPortable("a text anchor \\A or \\z")
        if ch == "C":
            raise NotPortable("\\C")
        if "0" <= ch <= "9":
            raise NotPortable("an octal escape or back reference \\0–\\9")
        if ch.isascii() and not ch.isalpha():
            return ord(ch)
        raise NotPortable(f"an escape RE2 does not know, \\{ch}")

    def hex(self) -> int:
        found = _HEX.match(self.text, self.at)
        value = int(found[1] or found[2], 16) if found else 0x110000
        if value > 0x10FFFF:
            raise NotPortable("a \\x escape RE2 does not read")
        assert found is not None
        self.at = found.end()
        return value


def _repetitions(items: list[object]) -> None:
    """RE2 refuses repetitions inside one another that repeat something more than 1000 times:
    its RepetitionWalker divides 1000 by each count on the way down (re2/parse.cc)."""
    for item in items:
        if isinstance(item, _Repeat):
            counted = item.low >= 2 or item.high >= 2 or item.high == _INFINITE
            if counted and _left(item, _MOST) == 0:
                raise NotPortable(f"repetitions inside one another over {_MOST} times")
            _repetitions(item.body)
        elif isinstance(item, list):
            _repetitions(item)


def _left(item: object, most: int) -> int:
    """What is left of `most` below a part of the tree (a group is a list of parts)."""
    parts = item if isinstance(item, list) else []
    if isinstance(item, _Repeat):
        count = item.low if item.high == _INFINITE else item.high
        if count > 0:
            most //= count
        parts = item.body
    return min([most, *(_left(part, most) for part in parts)])
