"""The limits of a policy and of a request, so that deciding by anyone's policy is bounded.

A policy may come from anyone (docs/format.md, section 5). Within these limits every decision
takes bounded time and memory: the counts bound how many criteria, facts and platforms there are
to look at, and the shape of each rule bounds how much work CEL does for it. The model declares
the counts and the rule's length on its keys (model.py), so the loader, the policy reader and both
schemas apply them alike; the shape of a rule is measured here on CEL's own syntax tree, after it
compiled, and the sum of the rules' costs is checked for the whole policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .references import NotChecked, fields, message

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
"""The steps one `matches` counts for: it compiles its pattern each time it runs."""

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


def measure(serialized: bytes, facts: Mapping[str, str]) -> RuleShape:
    """The shape of a checked expression (`Expression.serialize()`) over these facts (their
    types by name); NotChecked where unread."""
    checked = fields(serialized, 2)  # Any.value: the CheckedExpr
    expressions = fields(checked[0], 4) if len(checked) == 1 else []  # CheckedExpr.expr
    if len(expressions) != 1:
        raise NotChecked("no expression in the CheckedExpr")
    try:
        tree = _Tree(expressions[0], facts)
    except (IndexError, RecursionError) as error:  # cut short
        raise NotChecked(str(error)) from None
    return RuleShape(tree.depth, tree.macro_depth, tree.literal, tree.cost())


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
    if shape.cost > COST:
        return f"the rule may take {shape.cost:,} steps; at most {COST:,} (limit: rule cost)"
    return None


# Fields of cel.expr.Expr (cel-spec's syntax.proto) and of the messages inside it.
_CONST, _IDENT, _SELECT, _CALL, _LIST, _STRUCT, _COMPREHENSION = 3, 4, 5, 6, 7, 8, 9
_STRING, _BYTES = 6, 7
"""Constant: string_value, bytes_value."""
_MACRO_PARTS: Final = (2, 4, 5, 6, 7)
"""Comprehension: iter_range, accu_init, loop_condition, loop_step, result."""
_LOOP_PARTS: Final = frozenset([5, 6])
"""The parts of a comprehension that run once per entry."""
_SCALAR: Final = 8
"""The size of a bool, an int or a double."""
_CHARACTERS_PER_STEP: Final = 64
"""A call on strings or lists counts one step more for each this many characters it reads."""
_PLATFORM: Final = 64
"""The size bound of `platform`, an id."""


class _Node:
    """One node of the tree: its weight, its children, which of them run in a loop, and how
    large its value may be: `size` characters, or None for as large as any string of the rule
    (a macro's variable)."""

    __slots__ = ("children", "concat", "copies", "looped", "size", "weight")

    def __init__(self) -> None:
        self.weight = 1
        self.children: list[_Node] = []
        self.looped: list[_Node] = []
        self.copies = False
        self.size: int | None = _SCALAR
        self.concat = False


class _Tree:
    """A rule's syntax tree, read from the protobuf wire format, over facts of these types."""

    def __init__(self, expression: bytes, facts: Mapping[str, str]) -> None:
        self.depth = 0
        self.macro_depth = 0
        self.literal = 0
        self.entries = 0
        self.facts = facts
        self.characters = 0
        """The size of every string the rule names, together: no string it makes is longer."""
        self.root = self._node(expression, 1, 0)

    def cost(self) -> int:
        """The steps the rule may take: see RuleShape.cost."""
        return _cost(self.root, max(self.entries, 1), self.characters)

    def _node(self, expression: bytes, depth: int, macros: int) -> _Node:
        self.depth = max(self.depth, depth)
        node = _Node()
        for number, value in message(expression):
            if number == _CONST:
                for kind, text in message(value):
                    if kind in (_STRING, _BYTES):
                        node.size = len(text)
                        self.characters += len(text)
            elif number == _IDENT:
                name = b"".join(fields(value, 1)).decode()
                node.size = self._ident(name)
            elif number == _CALL:
                self._call(node, value, depth, macros)
            elif number == _SELECT:
                node.children += [self._node(part, depth + 1, macros) for part in fields(value, 1)]
            elif number == _LIST:
                items = fields(value, 1)
                self._literal(len(items))
                node.children += [self._node(item, depth + 1, macros) for item in items]
                node.concat = True
            elif number == _STRUCT:
                entries = fields(value, 2)
                self._literal(len(entries))
                for entry in entries:  # map_key and value
                    for part in (*fields(entry, 3), *fields(entry, 4)):
                        node.children.append(self._node(part, depth + 1, macros))
                node.concat = True
            elif number == _COMPREHENSION:
                self._macro(node, value, depth, macros + 1)
        return node

    def _ident(self, name: str) -> int | None:
        """The size of a fact, of `platform`; None for a macro's variable."""
        kind = self.facts.get(name)
        if kind == "string":
            self.characters += FACT_TEXT
            return FACT_TEXT
        if name == "platform":
            self.characters += _PLATFORM
            return _PLATFORM
        return None if kind is None else _SCALAR

    def _call(self, node: _Node, call: bytes, depth: int, macros: int) -> None:
        function = b"".join(fields(call, 2))
        if function == b"matches":
            node.weight = REGEX_STEPS
        elif function == b"_+_":
            node.concat = True  # strings or lists: as large as both together
        elif function == b"string":
            self.characters += 32
        for part in (*fields(call, 1), *fields(call, 3)):  # target, args
            node.children.append(self._node(part, depth + 1, macros))
        if not node.concat:
            node.size = 32 if function == b"string" else _SCALAR

    def _macro(self, node: _Node, comprehension: bytes, depth: int, macros: int) -> None:
        self.macro_depth = max(self.macro_depth, macros)
        for number in _MACRO_PARTS:
            for part in fields(comprehension, number):
                child = self._node(part, depth + 1, macros)
                (node.looped if number in _LOOP_PARTS else node.children).append(child)
                if number == 4 and fields(part, _LIST):
                    node.copies = True  # accu_init is a list: map or filter
        node.size = None if node.copies else _SCALAR

    def _literal(self, entries: int) -> None:
        self.literal = max(self.literal, entries)
        self.entries += entries


def _size(node: _Node, characters: int) -> int:
    """How large a node's value may be: a string or list at most as large as all strings of
    the rule together (`characters`)."""
    if node.concat:
        return min(characters, sum(_size(child, characters) for child in node.children))
    return characters if node.size is None else node.size


def _cost(node: _Node, entries: int, characters: int) -> int:
    """Steps of a node and all below it; `entries` bounds the length of any list in the rule,
    `characters` that of any string. A call counts a step more per 64 characters it reads."""
    read = sum(_size(child, characters) for child in node.children) if node.children else 0
    steps = node.weight + read // _CHARACTERS_PER_STEP
    steps += sum(_cost(child, entries, characters) for child in node.children)
    if node.looped:
        per_entry = sum(_cost(child, entries, characters) for child in node.looped)
        steps += entries * (per_entry + (entries if node.copies else 0))
    return steps
