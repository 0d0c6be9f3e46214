"""A CEL parser of our own: a rule's syntax tree as cel-cpp's parser makes it, macros expanded.

The limits (limits.py) are measured on a rule's syntax tree. cel-expr-python gives its checked
tree; the other runtime gives none, so this module reads the rule into the same tree: the same
nodes (constants, identifiers, selections, calls, lists, maps, comprehensions), `&&` and `||`
chains balanced as cel-cpp balances them, `!!x` and `--x` dropped, a `-` before a number read
as a negative number, and the macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`)
expanded into the comprehensions cel-cpp makes of them. tests/test_runtimes.py holds the
shapes measured on both trees equal on a corpus of rules.

It also refuses a rule nested deeper than cel-cpp's parser reads, with cel-cpp's two counts:
32 levels of parse tree below the top (`Exceeded max recursion depth of 32`), and 32 nested
parts of the rule in parentheses, brackets or arguments (`Expression recursion limit exceeded`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

NESTING: Final = 32
"""cel-cpp's parser reads at most this many levels of its parse tree, and of nested parts."""

CONST, IDENT, SELECT, CALL, LIST, MAP, STRUCT, COMPREHENSION = (
    "const",
    "ident",
    "select",
    "call",
    "list",
    "map",
    "struct",
    "comprehension",
)
RESULT: Final = "@result"
"""The accumulator of every macro's comprehension."""


@dataclass(slots=True, eq=False)
class Node:
    """One node of a syntax tree, in the terms of cel-spec's syntax.proto."""

    kind: str
    """CONST, IDENT, SELECT, CALL, LIST, MAP, STRUCT or COMPREHENSION."""
    name: str = ""
    """An identifier's name, a selected field, a called function, a message's name, a
    comprehension's variable, or a constant's type (int, uint, double, string, bytes, bool,
    null_type)."""
    parts: list[Node] = field(default_factory=list)
    """The children: a selection's operand; a call's target (if `target`) then arguments; a list's
    entries; a map's keys and values in turn; a message's field values; a comprehension's
    range, initial value, condition, step and result."""
    value: object = None
    """A constant's value; a message's field names."""
    accumulator: str = ""
    """A comprehension's accumulator."""
    at: int = 0
    """Where the node is in the source (0-based), as cel-cpp places it in its messages."""
    target: bool = False
    """A call with a receiver (`s.startsWith("a")`)."""
    test: bool = False
    """A selection that only tests for the field (`has(m.f)`)."""
    root: bool = False
    """An identifier written with a leading dot (`.platform`): never a macro's variable."""
    end: int = 0
    """Where a negation (`-x`, `!x`) ends in the source (0-based, past its operand): the other
    runtime's source wraps it (rust.py)."""


class SyntaxProblem(Exception):
    """The rule cannot be read: `message` at `at` (0-based offset), or nested too deep."""

    def __init__(self, message: str, at: int = 0, *, too_deep: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.at = at
        self.too_deep = too_deep


_TOKEN = re.compile(
    r"""(?P<space>[ \t\r\n\f]+|//[^\n]*)
    |(?P<string>(?:[rR][bB]?|[bB][rR]?)?(?:\"\"\"(?:\\.|[^\\])*?\"\"\"|'''(?:\\.|[^\\])*?'''
        |"(?:\\.|[^\\"\n\r])*"|'(?:\\.|[^\\'\n\r])*'))
    |(?P<float>(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?))
    |(?P<uint>(?:0[xX][0-9a-fA-F]+|\d+)[uU])
    |(?P<int>0[xX][0-9a-fA-F]+|\d+)
    |(?P<name>[_a-zA-Z][_a-zA-Z0-9]*)
    |(?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/%?:.,()\[\]{}])""",
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS: Final = frozenset(["true", "false", "null", "in"])
_QUOTES: Final = "\"'"
_ESCAPE = re.compile(
    r"\\(?:([abfnrtv\\?\"'`])|[xX]([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})"
    r"|([0-3][0-7]{2})|(.))",
    re.DOTALL,
)
_SIMPLE: Final = dict(zip("abfnrtv\\?\"'`", "\a\b\f\n\r\t\v\\?\"'`", strict=True))
_RELATIONS: Final = {
    "<": "_<_",
    "<=": "_<=_",
    ">": "_>_",
    ">=": "_>=_",
    "==": "_==_",
    "!=": "_!=_",
    "in": "@in",
}
_SUMS: Final = {"+": "_+_", "-": "_-_"}
_PRODUCTS: Final = {"*": "_*_", "/": "_/_", "%": "_%_"}
_MACROS: Final = {"all": (2,), "exists": (2,), "exists_one": (2,), "map": (2, 3), "filter": (2,)}

_Read = Callable[[], "tuple[Node, int]"]
"""A method that reads one operand."""
Token = tuple[str, str, int]
"""A token: its kind (a keyword or operator itself, else string, float, uint, int or name), its
text and its offset."""


def tokens(source: str) -> list[Token]:
    """The tokens of a rule, ending with ("eof", "", len(source))."""
    found: list[Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise SyntaxProblem(
                "Syntax error: token recognition error at: "
                f"'{source[position:] if source[position] in _QUOTES else source[position]}'",
                position,
            )
        kind = match.lastgroup or ""
        text = match.group()
        if (kind == "name" and text in _KEYWORDS) or kind == "op":
            kind = text
        if kind != "space":
            found.append((kind, text, position))
        position = match.end()
    found.append(("eof", "", len(source)))
    return found


def parse(source: str) -> Node:
    """The syntax tree of a rule, macros expanded; SyntaxProblem where it cannot be read."""
    parser = _Parser(source)
    node, height = parser.expression()
    if parser.peek() != "eof":
        _, text, at = parser.take()
        raise SyntaxProblem(f"Syntax error: extraneous input '{text}' expecting <EOF>", at)
    if height > NESTING:
        raise SyntaxProblem("Exceeded max recursion depth", too_deep=True)
    return node


class _Parser:
    """Recursive descent over CEL's grammar. Each method gives the node and the height of the
    parse tree cel-cpp visits for it (a context with one child is passed through)."""

    def __init__(self, source: str) -> None:
        self.tokens = tokens(source)
        self.position = 0
        self.nesting = 0

    def peek(self) -> str:
        return self.tokens[self.position][0]

    def take(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, kind: str) -> Token:
        if self.peek() != kind:
            self.fail(f" expecting '{kind}'" if kind != "name" else " expecting IDENTIFIER")
        return self.take()

    def fail(self, message: str) -> None:
        kind, text, at = self.tokens[self.position]
        shown = "<EOF>" if kind == "eof" else text
        raise SyntaxProblem(f"Syntax error: mismatched input '{shown}'{message}", at)

    def expression(self) -> tuple[Node, int]:
        if self.nesting >= NESTING + 1:
            raise SyntaxProblem("Expression recursion limit exceeded", too_deep=True)
        self.nesting += 1
        condition, height = self.chain("||", "_||_", self.conjunction)
        if self.peek() == "?":
            at = self.take()[2]
            then, then_height = self.chain("||", "_||_", self.conjunction)
            self.expect(":")
            otherwise, otherwise_height = self.expression()
            condition = Node(CALL, "_?_:_", [condition, then, otherwise], at=at)
            height = 1 + max(height, then_height, otherwise_height)
        self.nesting -= 1
        return condition, height

    def conjunction(self) -> tuple[Node, int]:
        return self.chain("&&", "_&&_", self.relation)

    def chain(self, operator: str, function: str, operand: _Read) -> tuple[Node, int]:
        """`a && b && c`: one level of parse tree, balanced into a tree of calls as cel-cpp
        balances it."""
        terms = [operand()]
        places: list[int] = []
        while self.peek() == operator:
            places.append(self.take()[2])
            terms.append(operand())
        if not places:
            return terms[0]

        def balanced(low: int, high: int) -> Node:
            middle = (low + high + 1) // 2
            left = terms[middle][0] if middle == low else balanced(low, middle - 1)
            right = terms[middle + 1][0] if middle == high else balanced(middle + 1, high)
            return Node(CALL, function, [left, right], at=places[middle])

        height = 1 + max(h for _, h in terms)
        return balanced(0, len(places) - 1), height

    def binary(self, operators: dict[str, str], operand: _Read) -> tuple[Node, int]:
        left, height = operand()
        while self.peek() in operators:
            kind, _, at = self.take()
            right, right_height = operand()
            left = Node(CALL, operators[kind], [left, right], at=at)
            height = 1 + max(height, right_height)
        return left, height

    def relation(self) -> tuple[Node, int]:
        return self.binary(_RELATIONS, self.sum)

    def sum(self) -> tuple[Node, int]:
        return self.binary(_SUMS, self.product)

    def product(self) -> tuple[Node, int]:
        return self.binary(_PRODUCTS, self.unary)

    def unary(self) -> tuple[Node, int]:
        kind = self.peek()
        if kind not in ("!", "-"):
            return self.member()
        at = self.tokens[self.position][2]
        count = 0
        while self.peek() == kind:
            self.take()
            count += 1
        if kind == "-" and count == 1 and self.peek() in ("int", "float"):
            self.position -= 1  # `-1`: a negative number, not a negation
            return self.member()
        operand, height = self.member()
        if count % 2:
            _, text, last = self.tokens[self.position - 1]
            function = "!_" if kind == "!" else "-_"
            operand = Node(CALL, function, [operand], at=at, end=last + len(text))
        return operand, height + 1

    def member(self) -> tuple[Node, int]:
        node, height = self.primary()
        while self.peek() in (".", "[", "{"):
            kind, _, at = self.tokens[self.position]
            if kind == "{":
                name = _qualified(node)
                if name is None:
                    break
                node, height = self.message(name, node.at)
                continue
            self.take()
            if kind == "[":
                index, index_height = self.expression()
                self.expect("]")
                node = Node(CALL, "_[_]", [node, index], at=at)
                height = 1 + max(height, index_height)
                continue
            name = self.expect("name")[1]
            if self.peek() != "(":
                node, height = Node(SELECT, name, [node], at=at), height + 1
                continue
            call = self.take()[2]
            arguments, heights = self.arguments()
            node = _call(name, node, arguments, call)
            height = 1 + max([height, *heights])
        return node, height

    def arguments(self) -> tuple[list[Node], list[int]]:
        """`(a, b)` after its `(`."""
        nodes: list[Node] = []
        heights: list[int] = []
        while self.peek() != ")":
            if nodes:
                self.expect(",")
            node, height = self.expression()
            nodes.append(node)
            heights.append(height)
        self.take()
        return nodes, heights

    def primary(self) -> tuple[Node, int]:
        kind, text, at = self.take()
        if kind == "." and self.peek() == "name":
            name = self.take()[1]
            if self.peek() == "(":
                return self.global_call(name, self.take()[2])
            return Node(IDENT, name, at=at + 1, root=True), 1
        if kind == "name":
            if self.peek() == "(":
                return self.global_call(text, self.take()[2])
            return Node(IDENT, text, at=at), 1
        if kind == "(":
            node, height = self.expression()
            self.expect(")")
            return node, height
        if kind == "[":
            entries, heights = self.entries("]", False)
            return Node(LIST, parts=entries, at=at), 1 + max(heights, default=0)
        if kind == "{":
            entries, heights = self.entries("}", True)
            return Node(MAP, parts=entries, at=at), 1 + max(heights, default=0)
        if kind == "-":  # a negative number
            kind, text, _ = self.take()
            text = "-" + text
        constant = _constant(kind, text, at)
        if constant is None:
            self.position -= 1
            self.fail("")  # CEL's list of every token it could take is left out
        return constant, 1  # type: ignore[return-value]

    def global_call(self, name: str, at: int) -> tuple[Node, int]:
        arguments, heights = self.arguments()
        if name == "has" and len(arguments) == 1:
            selection = arguments[0]
            if selection.kind != SELECT or selection.test:
                raise SyntaxProblem("has() argument must be a field selection", selection.at)
            node = Node(SELECT, selection.name, selection.parts, at=at, test=True)
        else:
            node = Node(CALL, name, arguments, at=at)
        return node, 1 + max(heights, default=0)

    def entries(self, end: str, pairs: bool) -> tuple[list[Node], list[int]]:
        nodes: list[Node] = []
        heights: list[int] = []
        while self.peek() != end:
            if nodes:
                self.expect(",")
                if self.peek() == end:  # a trailing comma
                    break
            node, height = self.expression()
            nodes.append(node)
            heights.append(height)
            if pairs:
                self.expect(":")
                node, height = self.expression()
                nodes.append(node)
                heights.append(height)
        self.take()
        return nodes, heights

    def message(self, name: str, at: int) -> tuple[Node, int]:
        """`Name{field: value, …}`: a message, which no rule can make (no type is declared)."""
        self.take()
        names: list[str] = []
        values: list[Node] = []
        heights: list[int] = []
        while self.peek() != "}":
            if names:
                self.expect(",")
                if self.peek() == "}":
                    break
            names.append(self.expect("name")[1])
            self.expect(":")
            value, height = self.expression()
            values.append(value)
            heights.append(height)
        self.take()
        return Node(STRUCT, name, values, names, at=at), 1 + max(heights, default=0)


def _qualified(node: Node) -> str | None:
    """`a.b.c` as a name, for a message `a.b.c{…}`; None for anything else."""
    if node.kind == IDENT:
        return ("." if node.root else "") + node.name
    if node.kind == SELECT and not node.test:
        inner = _qualified(node.parts[0])
        return None if inner is None else f"{inner}.{node.name}"
    return None


def _constant(kind: str, text: str, at: int) -> Node | None:
    negative = text.startswith("-")
    digits = text.lstrip("-")
    if kind == "int":
        value = int(digits, 16) if digits[:2] in ("0x", "0X") else int(digits)
        value = -value if negative else value
        if not -(2**63) <= value < 2**63:
            raise SyntaxProblem("invalid int literal", at)
        return Node(CONST, "int", value=value, at=at)
    if kind == "uint":
        digits = digits[:-1]
        value = int(digits, 16) if digits[:2] in ("0x", "0X") else int(digits)
        if value >= 2**64:
            raise SyntaxProblem("invalid uint literal", at)
        return Node(CONST, "uint", value=value, at=at)
    if kind == "float":
        return Node(CONST, "double", value=float(text), at=at)
    if kind == "string":
        return _string(text, at)
    if kind in ("true", "false"):
        return Node(CONST, "bool", value=kind == "true", at=at)
    if kind == "null":
        return Node(CONST, "null_type", at=at)
    return None


def _string(text: str, at: int) -> Node:
    """A string or bytes literal, its escapes read."""
    prefix = text[: len(text) - len(text.lstrip("rRbB"))].lower()
    body = text[len(prefix) :]
    quote = 3 if body[:3] in ('"""', "'''") else 1
    body = body[quote:-quote]
    raw, is_bytes = "r" in prefix, "b" in prefix
    if raw:
        value: str | bytes = body.encode() if is_bytes else body
    else:
        value = _unescape(body, is_bytes, at)
    return Node(CONST, "bytes" if is_bytes else "string", value=value, at=at)


def _unescape(body: str, is_bytes: bool, at: int) -> str | bytes:
    out = bytearray()
    position = 0
    for match in _ESCAPE.finditer(body):
        out += body[position : match.start()].encode()
        position = match.end()
        simple, hexa, short, long, octal, other = match.groups()
        if other is not None:
            raise SyntaxProblem(f"invalid escape sequence: \\{other}", at)
        if simple is not None:
            out += _SIMPLE[simple].encode()
        elif hexa is not None or octal is not None:
            number = int(hexa, 16) if hexa is not None else int(octal, 8)
            out += bytes([number]) if is_bytes else chr(number).encode()
        else:
            number = int(short or long, 16)
            if is_bytes or 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
                raise SyntaxProblem("invalid unicode code point", at)
            out += chr(number).encode()
    out += body[position:].encode()
    if is_bytes:
        return bytes(out)
    try:
        return out.decode()
    except UnicodeDecodeError:
        raise SyntaxProblem("invalid UTF-8 in string literal", at) from None


def _call(name: str, target: Node, arguments: list[Node], at: int) -> Node:
    """A call with a receiver; a macro expanded into its comprehension."""
    if len(arguments) not in _MACROS.get(name, ()):
        return Node(CALL, name, [target, *arguments], at=at, target=True)
    variable = arguments[0]
    if variable.kind != IDENT or variable.root:
        raise SyntaxProblem(f"{name}() variable name must be a simple identifier", variable.at)

    def call(function: str, *parts: Node) -> Node:
        return Node(CALL, function, list(parts), at=at)

    def const(kind: str, value: object) -> Node:
        return Node(CONST, kind, value=value, at=at)

    def result() -> Node:
        return Node(IDENT, RESULT, at=at)

    each = Node(IDENT, variable.name, at=at)
    predicate = arguments[1]
    if name == "all":
        initial, condition = const("bool", True), call("@not_strictly_false", result())
        step, final = call("_&&_", result(), predicate), result()
    elif name == "exists":
        initial = const("bool", False)
        condition = call("@not_strictly_false", call("!_", result()))
        step, final = call("_||_", result(), predicate), result()
    elif name == "exists_one":
        initial, condition = const("int", 0), const("bool", True)
        step = call("_?_:_", predicate, call("_+_", result(), const("int", 1)), result())
        final = call("_==_", result(), const("int", 1))
    else:  # map or filter: a list made entry by entry
        initial, condition, final = Node(LIST, at=at), const("bool", True), result()
        made = arguments[-1] if name == "map" else each
        step = call("_+_", result(), Node(LIST, parts=[made], at=at))
        if name == "filter" or len(arguments) == 3:
            step = call("_?_:_", predicate, step, result())
    parts = [target, initial, condition, step, final]
    return Node(COMPREHENSION, variable.name, parts, accumulator=RESULT, at=at)


def free_names(tree: Node) -> set[str]:
    """The names of the identifiers a tree reads from outside: not a macro's own variables."""
    found: set[str] = set()

    def walk(node: Node, bound: frozenset[str]) -> None:
        if node.kind == IDENT:
            if node.root or node.name not in bound:
                found.add(node.name)
        elif node.kind == COMPREHENSION:
            over, initial, *inner = node.parts
            walk(over, bound)
            walk(initial, bound)
            for part in inner:
                walk(part, bound | {node.name, node.accumulator})
        else:
            for part in node.parts:
                walk(part, bound)

    walk(tree, frozenset())
    return found
