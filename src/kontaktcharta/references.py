"""The identifiers a compiled CEL expression reads, as CEL's type checker resolved them.

`Expression.serialize()` gives a `google.protobuf.Any` holding a `cel.expr.CheckedExpr`
(cel-spec's `checked.proto`). Its `reference_map` (field 2) maps each expression node that names
something to a `Reference`: `name` (field 1), and `overload_id` (field 3) for a function. The
references without overloads are the identifiers: the declared variables the expression reads,
and the variables of its macros (`exists(x, …)` binds `x`, and CEL's own `@result`).

Its `expr` (field 4) is the syntax tree, which `checked_tree` reads into the nodes of
cel/syntax.py, so that the limits are measured on the same kind of tree on every runtime.

Reading those few fields of the protobuf wire format here spares a dependency on protobuf.
"""

from __future__ import annotations

from collections.abc import Iterator

from .cel.syntax import CALL, COMPREHENSION, CONST, IDENT, LIST, MAP, SELECT, STRUCT, Node

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5


class NotChecked(ValueError):
    """The bytes are not a CheckedExpr as this module knows it."""


def identifiers(serialized: bytes) -> frozenset[str]:
    """The names of the identifiers a checked expression reads; NotChecked where unreadable."""
    try:
        checked = fields(serialized, 2)  # Any.value
        if len(checked) != 1:
            raise NotChecked("no CheckedExpr in the Any")
        names: set[str] = set()
        for entry in fields(checked[0], 2):  # CheckedExpr.reference_map
            for reference in fields(entry, 2):  # the map entry's value
                if not fields(reference, 3):  # no overload_id: not a function
                    names.update(name.decode() for name in fields(reference, 1))
        return frozenset(names)
    except (IndexError, UnicodeDecodeError) as error:  # cut short, or not text
        raise NotChecked(str(error)) from None


def checked_tree(serialized: bytes) -> Node:
    """The syntax tree of a checked expression; NotChecked where unreadable."""
    checked = fields(serialized, 2)  # Any.value: the CheckedExpr
    expressions = fields(checked[0], 4) if len(checked) == 1 else []  # CheckedExpr.expr
    if len(expressions) != 1:
        raise NotChecked("no expression in the CheckedExpr")
    try:
        return _tree(expressions[0])
    except (IndexError, RecursionError, UnicodeDecodeError) as error:  # cut short
        raise NotChecked(str(error)) from None


# Fields of cel.expr.Expr (cel-spec's syntax.proto) and of the messages inside it.
_CONST, _IDENT, _SELECT, _CALL, _LIST, _STRUCT, _COMPREHENSION = 3, 4, 5, 6, 7, 8, 9
_STRING, _BYTES = 6, 7
"""Constant: string_value, bytes_value."""
_MACRO_PARTS = (2, 4, 5, 6, 7)
"""Comprehension: iter_range, accu_init, loop_condition, loop_step, result."""


def _text(data: bytes, number: int) -> str:
    return b"".join(fields(data, number)).decode()


def _tree(expression: bytes) -> Node:
    """One Expr and all below it."""
    for number, value in message(expression):
        if number == _CONST:
            for kind, text in message(value):
                if kind == _STRING:
                    return Node(CONST, "string", value=text.decode("utf-8", "replace"))
                if kind == _BYTES:
                    return Node(CONST, "bytes", value=text)
            return Node(CONST)
        if number == _IDENT:
            return Node(IDENT, _text(value, 1))
        if number == _SELECT:
            return Node(SELECT, _text(value, 2), [_tree(part) for part in fields(value, 1)])
        if number == _CALL:
            targets = fields(value, 1)
            parts = [_tree(part) for part in (*targets, *fields(value, 3))]
            return Node(CALL, _text(value, 2), parts, target=bool(targets))
        if number == _LIST:
            return Node(LIST, parts=[_tree(part) for part in fields(value, 1)])
        if number == _STRUCT:
            entries = fields(value, 2)
            name = _text(value, 1)
            numbers = (4,) if name else (3, 4)  # a message's field values; a map's keys, values
            parts = [_tree(part) for entry in entries for n in numbers for part in fields(entry, n)]
            return Node(STRUCT if name else MAP, name, parts)
        if number == _COMPREHENSION:
            parts = [_tree(part) for n in _MACRO_PARTS for part in fields(value, n)]
            return Node(COMPREHENSION, _text(value, 1), parts, accumulator=_text(value, 3))
    return Node(CONST)  # an Expr with nothing set


def fields(data: bytes, number: int) -> list[bytes]:
    """The length-delimited fields with this number of one protobuf message, in order."""
    return [value for found, value in message(data) if found == number]


def message(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The length-delimited fields of one protobuf message, in order: (number, bytes)."""
    for number, wire, value in scan(data):
        if wire == _LENGTH:
            yield number, value


def numbers(data: bytes, number: int) -> list[int]:
    """The varint fields with this number of one protobuf message, in order."""
    return [
        int.from_bytes(value, "little")
        for found, wire, value in scan(data)
        if found == number and wire == _VARINT
    ]


def scan(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Every field of one protobuf message, in order: (number, wire type, value), the value as
    its bytes (a varint's decoded and written as 8 bytes, little-endian, as a fixed64 is)."""
    position, end = 0, len(data)
    while position < end:
        key, position = _varint(data, position)
        wire = key & 7
        if wire == _LENGTH:
            size, position = _varint(data, position)
            yield key >> 3, wire, data[position : position + size]
            position += size
        elif wire == _VARINT:
            value, position = _varint(data, position)
            yield key >> 3, wire, (value & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little")
        elif wire == _FIXED64:
            yield key >> 3, wire, data[position : position + 8]
            position += 8
        elif wire == _FIXED32:
            yield key >> 3, wire, data[position : position + 4]
            position += 4
        else:  # the groups of proto2, which CEL does not use
            raise NotChecked(f"wire type {wire}")
    if position != end:
        raise NotChecked("a field runs past the end")


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """A base-128 integer and the position after it."""
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7
