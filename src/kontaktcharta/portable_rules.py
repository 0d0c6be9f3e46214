"""Rules that mean the same in every reader, or the build says where one does not.

The JavaScript package (js/) decides with cel-js, adjusted to give what cel-cpp (Python's CEL)
gives (js/src/rules.js, js/src/conversions.js). A few parts of a rule that cel-cpp takes are
left: cel-js refuses some, so a JavaScript reader refuses the whole policy, and runs others
differently. The build warns at the line of a rule with one (check.py); docs/format.md lists
them ("What JavaScript readers run differently"), and tests/test_portable_rules.py decides many
rules in both readers and holds the list complete.

They are found in what cel-cpp checked (the rule's syntax tree, the overloads its calls resolve
to and the type of each part) and, where its parser keeps nothing of them, in the rule's text.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple, TypeAlias

from .references import NotChecked, fields, numbers, scan


@dataclass(frozen=True, slots=True)
class Construct:
    """A part of a rule that JavaScript readers refuse or run differently."""

    name: str
    """A short name, for the tests."""
    what: str
    """What it is, with an example."""
    refused: bool
    """Whether JavaScript readers refuse a policy with it (else they run it differently)."""
    instead: str
    """What to write instead."""

    @property
    def verb(self) -> str:
        """What JavaScript readers do with it."""
        return "refuse" if self.refused else "run differently"

    def warning(self) -> str:
        """What the build says at the line of a rule with it."""
        return f"{self.what}, which JavaScript readers {self.verb}; {self.instead}"


HAS_LITERAL: Final = Construct(
    "has-literal",
    'has() of something other than a variable\'s field (has({"a": 1}.a))',
    True,
    'write "a" in {…}',
)
HAS_ANY: Final = Construct(
    "has-any",
    "has() of a field of a value that may not be a map",
    False,
    "test type(x) == map first",
)
LEADING_DOT: Final = Construct(
    "leading-dot",
    "a number or name with a leading dot (.5, .name)",
    True,
    "write 0.5, name",
)
NO_TYPE: Final = Construct(
    "no-type",
    "an entry of an empty list or map ([][0]), a value of no known type",
    True,
    "give the list or map its entries, or leave it out",
)
BYTES_ORDER: Final = Construct(
    "bytes-order",
    'an order of bytes (b"a" < b"b")',
    True,
    "compare texts",
)
NULL_TIME: Final = Construct(
    "null-time",
    "a null where CEL takes a time (null < null, string(null))",
    True,
    "leave it out: it fails for every request",
)
INT_OF_UINT: Final = Construct(
    "int-of-uint",
    "int() of a uint (int(1u))",
    True,
    "write an int (1)",
)
TIME_CONVERSION: Final = Construct(
    "time-conversion",
    "a time converted to a number, a text or a time (int(timestamp(…)))",
    True,
    "leave the conversion out",
)
TIME: Final = Construct(
    "time",
    "a time (timestamp(), duration())",
    False,
    "compare numbers or texts",
)
EMPTY_COMMA: Final = Construct(
    "empty-comma",
    "a list or map of a comma alone ([,])",
    True,
    "write [] or {}",
)
MESSAGE: Final = Construct(
    "message",
    "a message (google.protobuf.Int64Value{value: 1})",
    True,
    "write the value itself (1)",
)
RAW_BYTES: Final = Construct(
    "raw-bytes",
    'raw bytes (br"…")',
    True,
    'write b"…" with its escapes',
)
HUGE_DOUBLE: Final = Construct(
    "huge-double",
    "a number too large for a double (1e309)",
    True,
    "write one within 1.7976931348623157e308",
)
NAN_TEXT: Final = Construct(
    "nan-text",
    "string() of a double that may be NaN (string(x / y) of doubles)",
    False,
    "compare the number, not its text",
)
TYPE_NAME: Final = Construct(
    "type-name",
    "a type of google.protobuf other than Timestamp and Duration (google.protobuf.Int64Value)",
    False,
    "write int, uint, double, bool, string or bytes",
)
DYN_NAME: Final = Construct(
    "dyn-name",
    "the type name dyn as a value (type(x) == dyn)",
    True,
    "leave it out: it fails for every request",
)
MAP_KEY: Final = Construct(
    "map-key",
    "a map whose keys are not distinct texts written in the rule, or are __proto__, "
    'constructor or prototype ({1: …}, {s: …}, {"a": 1, "a": 2})',
    False,
    'write each key once, as a text ("a")',
)
MAP_ORDER: Final = Construct(
    "map-order",
    'map() or filter() of a map ({"a": 1}.map(k, k))',
    False,
    'go through a list of its keys (["a"].map(k, …)): CEL leaves the order of a map open',
)
CONSTRUCTS: Final = (
    HAS_LITERAL,
    HAS_ANY,
    LEADING_DOT,
    NO_TYPE,
    BYTES_ORDER,
    NULL_TIME,
    INT_OF_UINT,
    TIME_CONVERSION,
    TIME,
    EMPTY_COMMA,
    MESSAGE,
    RAW_BYTES,
    HUGE_DOUBLE,
    NAN_TEXT,
    TYPE_NAME,
    DYN_NAME,
    MAP_KEY,
    MAP_ORDER,
)
"""Every construct, in the order the build names them."""


def constructs(expression: str, serialized: bytes, facts: Mapping[str, str]) -> list[Construct]:
    """What of a compiled rule (`Expression.serialize()`) over these facts JavaScript readers
    refuse or run differently, each once, in CONSTRUCTS' order; NotChecked where unread."""
    checked = fields(serialized, 2)  # Any.value: the CheckedExpr
    expressions = fields(checked[0], 4) if len(checked) == 1 else []  # CheckedExpr.expr
    if len(expressions) != 1:
        raise NotChecked("no expression in the CheckedExpr")
    try:
        found = _Finder(checked[0], facts)
        found.walk(expressions[0], {})
    except (IndexError, RecursionError, struct.error) as error:  # cut short
        raise NotChecked(str(error)) from None
    found.found |= _in_text(expression)
    if found.overloads & _DOUBLE_TO_STRING and found.overloads & _NAN_MAKERS:
        found.found.add(NAN_TEXT)
    if TIME_CONVERSION in found.found:  # refused already
        found.found.discard(TIME)
    return [construct for construct in CONSTRUCTS if construct in found.found]


def constructs_in_text(expression: str) -> list[Construct]:
    """What the rule's text alone shows (a leading dot, `[,]`, raw bytes): all that is found
    where the runtime keeps no checked tree (cel/rust.py)."""
    found = _in_text(expression)
    return [construct for construct in CONSTRUCTS if construct in found]


# Fields of cel.expr.CheckedExpr, Expr, Type and the messages inside them (cel-spec's
# checked.proto and syntax.proto).
_REFERENCES, _TYPES = 2, 3
_ID, _CONST, _IDENT, _SELECT, _CALL, _LIST, _STRUCT, _COMPREHENSION = 2, 3, 4, 5, 6, 7, 8, 9
_DOUBLE, _STRING = 5, 6
"""Constant.double_value, string_value."""
_VARINT, _FIXED64, _LENGTH = 0, 1, 2
"""Wire types."""
_NULL, _PRIMITIVE, _WELL_KNOWN, _LIST_TYPE, _MAP = 2, 3, 5, 6, 7
"""Type: null, primitive, well_known, list_type, map_type."""
_OBJECT_KEYS: Final = frozenset([b"__proto__", b"constructor", b"prototype"])
"""The keys cel-js's maps (JavaScript objects) leave out."""
_TIMES: Final = frozenset([2, 3])
"""The well-known types of a time: timestamp, duration."""
_ORDERS: Final = frozenset(["_<_", "_<=_", "_>_", "_>=_"])
_DOUBLE_TO_STRING: Final = frozenset(["double_to_string"])
_NAN_MAKERS: Final = frozenset(
    ["divide_double", "multiply_double", "add_double", "subtract_double", "string_to_double"]
)
"""The overloads that can make a NaN of finite doubles: 0.0 / 0.0, inf - inf, double("nan")."""
_TIME_CONVERSIONS: Final = frozenset(
    [
        "timestamp_to_int64",
        "timestamp_to_string",
        "timestamp_to_timestamp",
        "duration_to_int64",
        "duration_to_string",
        "duration_to_duration",
    ]
)
_KNOWN_MESSAGES: Final = frozenset(["google.protobuf.Timestamp", "google.protobuf.Duration"])

Shape: TypeAlias = str | tuple["Shape", ...]
"""What the JavaScript package's checker knows of a value's type: `?` nothing (an entry of an
empty list or map), `list`/`map` with their entries' shapes, or `known` (any other)."""
_UNKNOWN: Final = "?"
_KNOWN: Final = "known"


class _Value(NamedTuple):
    """What the walk learns of a part of the rule."""

    shape: Shape
    """What the JavaScript package's checker knows of its type."""
    kind: bytes
    """Its type as cel-cpp checked it (a cel.expr.Type), or nothing."""


class _Finder:
    """Walks a checked syntax tree and notes the constructs it has."""

    def __init__(self, checked: bytes, facts: Mapping[str, str]) -> None:
        self.facts = facts
        self.found: set[Construct] = set()
        self.overloads: set[str] = set()
        """Every overload the rule's calls may take."""
        self.references: dict[int, tuple[str, frozenset[str]]] = {}
        """The name and the overloads CEL resolved each node to, by its id."""
        self.types: dict[int, bytes] = {}
        """The type of each node, by its id."""
        for number, _, value in scan(checked):
            if number == _REFERENCES:
                node, reference = _map_entry(value)
                parts = [(n, part.decode()) for n, _, part in scan(reference) if n in (1, 3)]
                name = "".join(part for n, part in parts if n == 1)
                self.references[node] = (name, frozenset(part for n, part in parts if n == 3))
            elif number == _TYPES:
                node, kind = _map_entry(value)
                self.types[node] = kind

    def walk(self, expression: bytes, scope: dict[str, Shape]) -> _Value:
        """What an expression is; notes what it has on the way."""
        parts = list(scan(expression))
        node = next((_number(v) for n, wire, v in parts if n == _ID and wire == _VARINT), 0)
        kind = self.types.get(node, b"")
        if _field(kind, _WELL_KNOWN) in _TIMES:
            self.found.add(TIME)
        shape: Shape = _KNOWN
        for number, wire, value in parts:
            if wire != _LENGTH:
                continue
            if number == _CONST:
                self.constant(value)
            elif number == _IDENT:
                shape = self.ident(node, b"".join(fields(value, 1)).decode(), scope)
            elif number == _SELECT:
                shape = self.select(value, scope)
            elif number == _CALL:
                shape = self.call(node, value, scope)
            elif number == _LIST:
                entries = [self.walk(part, scope).shape for part in fields(value, 1)]
                shape = ("list", _join(*entries))
            elif number == _STRUCT:
                shape = self.struct(value, scope)
            elif number == _COMPREHENSION:
                shape = self.comprehension(value, scope)
        if shape == _UNKNOWN:
            self.found.add(NO_TYPE)
        return _Value(shape, kind)

    def constant(self, constant: bytes) -> None:
        for number, wire, value in scan(constant):
            if number == _DOUBLE and wire == _FIXED64 and math.isinf(struct.unpack("<d", value)[0]):
                self.found.add(HUGE_DOUBLE)

    def ident(self, node: int, name: str, scope: dict[str, Shape]) -> Shape:
        if name in scope:
            return scope[name]
        resolved = self.references.get(node, (name, frozenset()))[0] or name
        if resolved.startswith("google.protobuf.") and resolved not in _KNOWN_MESSAGES:
            self.found.add(TYPE_NAME)
        elif resolved == "dyn" and name not in self.facts:
            self.found.add(DYN_NAME)
        return _KNOWN

    def select(self, select: bytes, scope: dict[str, Shape]) -> Shape:
        operand = fields(select, 1)[0]
        value = self.walk(operand, scope)
        if numbers(select, 3) == [1]:  # test_only: has(operand.field)
            root = operand
            while fields(root, _SELECT):
                root = fields(fields(root, _SELECT)[0], 1)[0]
            if not fields(root, _IDENT):
                self.found.add(HAS_LITERAL)
            elif _field(value.kind, _MAP) is None:
                self.found.add(HAS_ANY)
            return _KNOWN
        return _entry(value.shape)

    def call(self, node: int, call: bytes, scope: dict[str, Shape]) -> Shape:
        function = b"".join(fields(call, 2)).decode()
        values = [self.walk(part, scope) for part in (*fields(call, 1), *fields(call, 3))]
        shapes = [value.shape for value in values]
        overloads = self.references.get(node, ("", frozenset()))[1]
        self.overloads |= overloads
        if function in _ORDERS and any("bytes" in overload for overload in overloads):
            self.found.add(BYTES_ORDER)
        if "uint64_to_int64" in overloads:
            self.found.add(INT_OF_UINT)
        if overloads & _TIME_CONVERSIONS and any(
            _field(value.kind, _WELL_KNOWN) in _TIMES for value in values
        ):
            self.found.add(TIME_CONVERSION)
        if (
            overloads
            and any(_field(value.kind, _NULL) is not None for value in values)
            and all("timestamp" in overload or "duration" in overload for overload in overloads)
        ):
            self.found.add(NULL_TIME)
        if function == "_[_]":
            return _entry(shapes[0])
        if function == "_?_:_":
            return _join(shapes[1], shapes[2])
        if function == "_+_" and (_UNKNOWN in shapes or all(_is_list(shape) for shape in shapes)):
            return _join(*shapes)
        return _KNOWN

    def struct(self, struct_: bytes, scope: dict[str, Shape]) -> Shape:
        if b"".join(fields(struct_, 1)):  # message_name
            self.found.add(MESSAGE)
        keys: list[Shape] = []
        values: list[Shape] = []
        written: set[bytes | None] = set()
        for entry in fields(struct_, 2):
            for part in fields(entry, 3):  # map_key
                keys.append(self.walk(part, scope).shape)
                texts = fields(b"".join(fields(part, _CONST)), _STRING)
                text = texts[0] if texts else None
                if text is None or text in written or text in _OBJECT_KEYS:
                    self.found.add(MAP_KEY)  # not a text in the rule, twice, or an object's own
                written.add(text)
            values += [self.walk(value, scope).shape for value in fields(entry, 4)]
        return ("map", _join(*keys), _join(*values))

    def comprehension(self, comprehension: bytes, scope: dict[str, Shape]) -> Shape:
        """A macro: its variable is an entry (a map's key) of the list it goes through; what it
        makes (`@result`) takes the shape of its start and its step together."""
        variable = b"".join(fields(comprehension, 1)).decode()
        accumulator = b"".join(fields(comprehension, 3)).decode()
        inner = dict(scope)
        iterated = self.walk(fields(comprehension, 2)[0], scope)
        through = iterated.shape
        made = fields(comprehension, 4)[0]  # accu_init: a list for map() and filter()
        if fields(made, _LIST) and _field(iterated.kind, _LIST_TYPE) is None:
            self.found.add(MAP_ORDER)  # of a map (or a dyn)
        inner[variable] = _UNKNOWN if through == _UNKNOWN else _KNOWN
        if isinstance(through, tuple):
            inner[variable] = through[1]
        inner[accumulator] = self.walk(fields(comprehension, 4)[0], inner).shape
        for part in fields(comprehension, 5):
            self.walk(part, inner)
        for part in fields(comprehension, 6):
            inner[accumulator] = _join(inner[accumulator], self.walk(part, inner).shape)
        return self.walk(fields(comprehension, 7)[0], inner).shape


def _map_entry(entry: bytes) -> tuple[int, bytes]:
    """The key (an expression's id) and the value of an entry of a CheckedExpr's map."""
    key, found = 0, b""
    for number, wire, value in scan(entry):
        if number == 1 and wire == _VARINT:
            key = _number(value)
        elif number == 2:
            found = value
    return key, found


def _number(value: bytes) -> int:
    """A varint as `scan` gives it."""
    return int.from_bytes(value, "little")


def _field(kind: bytes, number: int) -> int | None:
    """The value of a Type's varint field, as 0 for a message field; None where not set."""
    for found, wire, value in scan(kind):
        if found == number:
            return _number(value) if wire == _VARINT else 0
    return None


def _entry(shape: Shape) -> Shape:
    """The shape of an entry of a list, or of a map's value."""
    if shape == _UNKNOWN:
        return _UNKNOWN
    return shape[-1] if isinstance(shape, tuple) else _KNOWN


def _is_list(shape: Shape) -> bool:
    return isinstance(shape, tuple) and shape[0] == "list"


def _join(*shapes: Shape) -> Shape:
    """The shape of a value that is one of these (a list's entries, a ternary's sides)."""
    known = [shape for shape in shapes if shape != _UNKNOWN]
    if not known:
        return _UNKNOWN
    first = known[0]
    if isinstance(first, tuple) and all(
        isinstance(shape, tuple) and shape[0] == first[0] for shape in known
    ):
        parts = zip(*(shape[1:] for shape in known), strict=True)
        return (first[0], *(_join(*part) for part in parts))
    return _KNOWN


_LITERAL: Final = re.compile(r"""//|(?:(?<!\w)([bBrR]{1,2}))?('''|\"\"\"|'|")""")
"""A comment, or the start of a string or bytes literal (with its prefix, not a word's end)."""


def _in_text(expression: str) -> set[Construct]:
    """What the rule's text has that cel-cpp's tree keeps nothing of: a leading dot, `[,]`,
    raw bytes. String literals are read over (their text is no part of the rule's syntax)."""
    found: set[Construct] = set()
    written = "".join(_outside_literals(expression, found))
    if re.search(r"[\[{]\s*,", written):
        found.add(EMPTY_COMMA)
    for at in (m.start() for m in re.finditer(r"\.\s*\w", written)):
        before = written[:at].rstrip()
        if not before or not re.search(r"[\w)\]}]$", before):
            found.add(LEADING_DOT)
    return found


def _outside_literals(expression: str, found: set[Construct]) -> Iterator[str]:
    """The rule's text with each string or bytes literal as `0` and comments left out."""
    at = 0
    while (start := _LITERAL.search(expression, at)) is not None:
        yield expression[at : start.start()]
        if start.group() == "//":
            end = expression.find("\n", start.end())
            at = len(expression) if end < 0 else end
            continue
        prefix, quote = (start.group(1) or "").lower(), start.group(2)
        if "b" in prefix and "r" in prefix:
            found.add(RAW_BYTES)
        at = start.end()
        while at < len(expression) and not expression.startswith(quote, at):
            at += 2 if expression[at] == "\\" and "r" not in prefix else 1
        at += len(quote)
        yield "0"
    yield expression[at:]
