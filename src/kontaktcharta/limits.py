"""The limits of a policy and of a request, so that deciding by anyone's policy is bounded.

A policy may come from anyone (docs/format.md, section 5). Within these limits every decision
takes bounded time and memory: the counts bound how many criteria, facts and platforms there are
to look at, and the shape of each rule bounds how much work CEL does for it. The model declares
the counts and the rule's length on its keys (model.py), so the loader, the policy reader and both
schemas apply them alike; the shape of a rule is measured here on CEL's own syntax tree, after it
compiled, and the sum of the rules' costs is checked for the whole policy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .cel.syntax import CALL, COMPREHENSION, CONST, IDENT, LIST, MAP, SELECT, STRUCT, Node

CRITERIA: Final = 5_000
"""Criteria in one list (`accept.criteria`, `decline.criteria`): 10,000 in all."""
FACTS: Final = 100
"""Declared facts."""
FACT_VALUES: Final = 100
"""Allowed values of one fact (`values`)."""
PLATFORMS: Final = 20
"""Declared platforms."""
ALTERNATIVES: Final = 50
"""Alternatives (`declined.alternatives`)."""
EXAMPLES: Final = 1_000
"""Examples."""
TRANSLATIONS: Final = 30
"""Translations."""

RULE_LENGTH: Final = 1_000
"""Characters in one `when`."""
RULE_DEPTH: Final = 32
"""How deep the parts of one rule nest, as CEL's syntax tree has them: each parenthesis, call,
operator and macro is one level."""
LITERAL: Final = 50
"""Entries in one list or map literal (`[…]`, `{…}`) of a rule."""
MACRO_DEPTH: Final = 2
"""Macros (`exists`, `all`, `exists_one`, `map`, `filter`) inside one another in one rule."""
COST: Final = 200_000
"""Steps that all rules of a policy may take together for one request, as `cost` counts them."""
REGEX_STEPS: Final = 200
"""The steps one `matches` counts for at least: it compiles its pattern each time it runs; and
a step more per 64 characters of its text times its pattern's length times REGEX_COUNT."""
REGEX_LENGTH: Final = 100
"""Characters in the pattern of a `matches`, which must be a text written in the rule."""
REGEX_COUNT: Final = 10
"""The most times a pattern may count a repetition: `{2,10}`."""
VALUE: Final = 65_536
"""Characters in the largest text (or list, all its entries together) a rule may make."""

FACT_TEXT: Final = 2_000
"""Characters in a request's value of a string fact: the longest note an invitation carries."""


@dataclass(frozen=True, slots=True)
class RuleShape:
    """What a compiled rule asks of CEL."""

    depth: int
    """How deep its syntax tree is."""
    macro_depth: int
    """How deep its macros nest."""
    literal: int
    """The most entries of one of its list or map literals."""
    cost: int
    """The steps it may take for one request: every node once, the parts of a macro once for
    each entry of the longest list it could go through (all its literals' entries together),
    and a `map` or `filter` as often again, since each step copies the list it makes."""
    largest: int = 0
    """The largest text or list it may make, in characters."""
    regex: str | None = None
    """What is wrong with a `matches` of it, if anything."""
    patterns: tuple[str, ...] = ()
    """The patterns of its `matches`, as written in the rule."""


def measure(tree: Node, facts: Mapping[str, str]) -> RuleShape:
    """The shape of a rule's syntax tree (as cel-cpp makes it: references.checked_tree, or
    cel.syntax.parse) over these facts (their types by name)."""
    measured = _Tree(tree, facts)
    return RuleShape(
        measured.depth,
        measured.macro_depth,
        measured.literal,
        measured.cost(),
        measured.largest,
        measured.regex,
        tuple(measured.patterns),
    )


def too_long(expression: str) -> str:
    """Why a rule longer than RULE_LENGTH is refused."""
    return (
        f"the rule has {len(expression):,} characters; at most {RULE_LENGTH:,} (limit: rule length)"
    )


def too_deep() -> str:
    """Why a rule nested deeper than CEL's parser goes is refused."""
    return f"the rule nests deeper than CEL reads; at most {RULE_DEPTH} levels (limit: rule depth)"


def problem(shape: RuleShape) -> str | None:
    """The first limit a rule of this shape passes, said plainly; None when within them all."""
    if shape.depth > RULE_DEPTH:
        return f"the rule nests {shape.depth} levels deep; at most {RULE_DEPTH} (limit: rule depth)"
    if shape.macro_depth > MACRO_DEPTH:
        return (
            f"the rule has {shape.macro_depth} macros inside one another; at most {MACRO_DEPTH} "
            "(limit: macro nesting)"
        )
    if shape.literal > LITERAL:
        return (
            f"a list or map in the rule has {shape.literal} entries; at most {LITERAL} "
            "(limit: literal size)"
        )
    if shape.regex is not None:
        return f"{shape.regex} (limit: regex)"
    if shape.largest > VALUE:
        return (
            f"the rule may make a text or list of {shape.largest:,} characters; at most "
            f"{VALUE:,} (limit: value size)"
        )
    if shape.cost > COST:
        return f"the rule may take {shape.cost:,} steps; at most {COST:,} (limit: rule cost)"
    return None


_LOOP_PARTS: Final = frozenset([2, 3])
"""The parts of a comprehension that run once per entry: its condition and its step."""
_SCALAR: Final = 8
"""The size of a bool, an int or a double."""
_CHARACTERS_PER_STEP: Final = 64
"""A call on strings or lists counts one step more for each this many characters it reads."""
_PLATFORM: Final = 64
"""The size bound of `platform`, an id."""
_SEARCH: Final = 8_192
"""`contains` counts a step more for each this many pairs of characters of its text and of
what it looks for (a search may compare them)."""
_COUNTS: Final = re.compile(r"\{(\d+(?:,\d*)?)\}")
"""A counted repetition in a pattern: `{3}`, `{2,5}`, `{2,}`."""


class _Node:
    """One node of the tree: its weight, its children, which of them run in a loop, and how
    large its value may be: `size` characters (a list: all its entries together), `entries` in
    a list, the largest `entry`."""

    __slots__ = ("children", "copies", "entries", "entry", "looped", "size", "text", "weight")

    def __init__(self) -> None:
        self.weight = 1
        self.children: list[_Node] = []
        self.looped: list[_Node] = []
        self.copies = False
        self.size = _SCALAR
        self.entries = 0
        self.entry = _SCALAR
        self.text: str | None = None
        """The text of a string constant."""


class _Tree:
    """A rule's syntax tree, measured, over facts of these types."""

    def __init__(self, tree: Node, facts: Mapping[str, str]) -> None:
        self.depth = 0
        self.macro_depth = 0
        self.literal = 0
        self.entries = 0
        self.largest = 0
        """The largest value the rule may make, in characters."""
        self.regex: str | None = None
        """What is wrong with a `matches` of the rule, if anything."""
        self.patterns: list[str] = []
        """The patterns of the rule's `matches` written in it."""
        self.facts = facts
        self.scope: dict[str, _Node] = {}
        """The macro variables in scope: each stands for an entry of the list it goes through."""
        self.root = self._node(tree, 1, 0)

    def cost(self) -> int:
        """The steps the rule may take: see RuleShape.cost."""
        return _cost(self.root, max(self.entries, 1))

    def _node(self, tree: Node, depth: int, macros: int) -> _Node:
        self.depth = max(self.depth, depth)
        node = _Node()
        kind = tree.kind
        if kind == CONST:
            if isinstance(tree.value, str | bytes):
                text = tree.value.encode() if isinstance(tree.value, str) else tree.value
                node.size = len(text)
                node.text = text.decode("utf-8", "replace")
        elif kind == IDENT:
            self._ident(node, tree.name)
        elif kind == CALL:
            self._call(node, tree, depth, macros)
        elif kind == SELECT:
            node.children += [self._node(part, depth + 1, macros) for part in tree.parts]
        elif kind in (LIST, MAP, STRUCT):
            self._literal(len(tree.parts) // 2 if kind == MAP else len(tree.parts))
            node.children += [self._node(part, depth + 1, macros) for part in tree.parts]
            node.entries = len(node.children)
            node.size = sum(child.size for child in node.children)
            node.entry = max((child.size for child in node.children), default=0)
        elif kind == COMPREHENSION:
            self._macro(node, tree, depth, macros + 1)
        self.largest = max(self.largest, node.size)
        return node

    def _ident(self, node: _Node, name: str) -> None:
        """A fact, `platform`, or a macro's variable: as large as what it stands for."""
        bound = self.scope.get(name)
        if bound is not None:
            node.size, node.entries, node.entry = bound.size, bound.entries, bound.entry
        elif self.facts.get(name) == "string":
            node.size = FACT_TEXT
        elif name == "platform":
            node.size = _PLATFORM

    def _call(self, node: _Node, call: Node, depth: int, macros: int) -> None:
        function = call.name
        parts = [self._node(part, depth + 1, macros) for part in call.parts]
        node.children = parts
        if function == "_+_":  # strings or lists: both together
            node.size = sum(part.size for part in parts)
            node.entries = sum(part.entries for part in parts)
            node.entry = max(part.entry for part in parts)
        elif function == "_?_:_":
            _largest(node, parts[1:])
        elif function == "_[_]":  # an entry of a list or map
            node.size = node.entry = parts[0].entry
        elif function in ("string", "bytes", "dyn"):
            node.size = max(32, *(part.size for part in parts))
        if function == "matches":
            node.weight = self._regex(parts)
        elif function == "contains" and len(parts) == 2:  # searching: up to both sizes times
            node.weight += parts[0].size * parts[1].size // _SEARCH

    def _regex(self, parts: list[_Node]) -> int:
        """The steps of a `matches`: its pattern must be a text in the rule, of bounded size."""
        pattern = parts[-1].text
        if pattern is None:
            self.regex = "the pattern of matches must be a text written in the rule"
            return REGEX_STEPS
        self.patterns.append(pattern)
        if len(pattern) > REGEX_LENGTH:
            self.regex = f"a pattern has {len(pattern)} characters; at most {REGEX_LENGTH}"
        for count in _COUNTS.findall(pattern):
            if max(int(n) for n in count.split(",") if n) > REGEX_COUNT:
                self.regex = f"a pattern repeats {{{count}}} times; at most {REGEX_COUNT}"
        text = max(part.size for part in parts[:-1])
        return REGEX_STEPS + len(pattern) * REGEX_COUNT * text // _CHARACTERS_PER_STEP

    def _macro(self, node: _Node, comprehension: Node, depth: int, macros: int) -> None:
        self.macro_depth = max(self.macro_depth, macros)
        outer = dict(self.scope)
        self.scope[comprehension.accumulator] = _Node()
        for number, part in enumerate(comprehension.parts):  # range, init, condition, step, result
            child = self._node(part, depth + 1, macros)
            (node.looped if number in _LOOP_PARTS else node.children).append(child)
            if number == 0:  # the list gone through: the variable is one of its entries
                each = _Node()
                each.size = each.entry = child.entry
                self.scope[comprehension.name] = each
                node.entries = child.entries
            elif number == 1 and part.kind == LIST:
                node.copies = True  # the initial value is a list: map or filter
            elif number == 3 and node.copies:  # the step adds [entry] to the list made
                node.entry = child.size
                node.size = max(node.entries, 1) * node.entry
                self.scope[comprehension.accumulator] = node  # what the result reads
        self.scope = outer

    def _literal(self, entries: int) -> None:
        self.literal = max(self.literal, entries)
        self.entries += entries


def _largest(node: _Node, parts: list[_Node]) -> None:
    """A node whose value is one of these parts'."""
    node.size = max(part.size for part in parts)
    node.entries = max(part.entries for part in parts)
    node.entry = max(part.entry for part in parts)


def _cost(node: _Node, entries: int) -> int:
    """Steps of a node and all below it; `entries` bounds the length of any list in the rule.
    A call counts a step more per 64 characters it reads."""
    read = sum(child.size for child in node.children) if node.children else 0
    steps = node.weight + read // _CHARACTERS_PER_STEP
    steps += sum(_cost(child, entries) for child in node.children)
    if node.looped:
        per_entry = sum(_cost(child, entries) for child in node.looped)
        steps += entries * (per_entry + (entries if node.copies else 0))
    return steps
