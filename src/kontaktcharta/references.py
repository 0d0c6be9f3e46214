"""The identifiers a compiled CEL expression reads, as CEL's type checker resolved them.

`Expression.serialize()` gives a `google.protobuf.Any` holding a `cel.expr.CheckedExpr`
(cel-spec's `checked.proto`). Its `reference_map` (field 2) maps each expression node that names
something to a `Reference`: `name` (field 1), and `overload_id` (field 3) for a function. The
references without overloads are the identifiers: the declared variables the expression reads,
and the variables of its macros (`exists(x, …)` binds `x`, and CEL's own `@result`).

Reading those few fields of the protobuf wire format here spares a dependency on protobuf.
"""

from __future__ import annotations

from collections.abc import Iterator

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
