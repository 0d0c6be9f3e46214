"""CEL's conversions (and `size` and `-`) as cel-cpp makes them, for the runtime that lacks some of
them or makes them otherwise (rust.py): there, each such call goes to one of these functions,
which take the values the interpreter gives Python and give what cel-cpp gives, or fail in its
words. tests/test_runtimes.py holds them to cel-cpp over many values."""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal
from typing import Final

INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1
UINT_MAX: Final = 2**64 - 1

_INTEGER = re.compile(r"[\t\n\v\f\r ]*([+-]?[0-9]+)[\t\n\v\f\r ]*")
"""A text cel-cpp reads as an int (absl's SimpleAtoi): ASCII spaces around, a sign, digits."""
_UNSIGNED = re.compile(r"[\t\n\v\f\r ]*\+?([0-9]+)[\t\n\v\f\r ]*")
_SPACES: Final = "\t\n\v\f\r "
_DECIMAL = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INFINITY = re.compile(r"inf(?:inity)?", re.IGNORECASE)
_NAN = re.compile(r"nan(?:\([0-9A-Za-z_]*\))?", re.IGNORECASE)
_HEX = re.compile(r"0[xX]([0-9A-Fa-f]*)(?:\.([0-9A-Fa-f]*))?(?:[pP]([+-]?[0-9]+))?")
_TRUE: Final = frozenset(["true", "True", "TRUE", "t", "1"])
_FALSE: Final = frozenset(["false", "False", "FALSE", "f", "0"])
_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class Failed(ValueError):
    """A conversion that fails, said in cel-cpp's words."""


def string(value: object) -> str:
    """`string(x)` of a bool, a double or a value of any type (dyn)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        return double_text(value)
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise Failed("invalid UTF-8 in bytes") from None
    if isinstance(value, datetime.datetime | datetime.timedelta):  # to the microsecond only
        raise Failed(f"string({type_name(value)}) held as dyn is not run here as CEL runs it")
    raise _no_overload("string", value)


def boolean(value: object) -> bool:
    """`bool(x)`, which the interpreter has not: of a bool, a text, a value of any type (dyn)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        raise Failed("Type conversion error from 'string' to 'bool'")
    raise _no_overload("bool", value)


def integer(value: object) -> int:
    """`int(x)` of a text, a double, a timestamp or a value of any type (dyn)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        if value > INT_MAX:  # a uint, as dyn
            raise Failed("uint64 out of int64 range")
        return value
    if isinstance(value, float):
        if not -(2.0**63) < value < 2.0**63:
            raise Failed("double out of int64 range")
        return int(value)
    if isinstance(value, str):
        found = _INTEGER.fullmatch(value)
        if found is None or not INT_MIN <= int(found.group(1)) <= INT_MAX:
            raise Failed("cannot convert string to int")
        return int(found.group(1))
    if isinstance(value, datetime.datetime):  # its seconds since 1970, rounded down
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return (value - _EPOCH) // datetime.timedelta(seconds=1)
    raise _no_overload("int", value)


def unsigned(value: object) -> object:
    """The argument of `uint(x)` checked as cel-cpp checks it, for the interpreter's `uint`
    (whose words for what does not fit are others): a text as digits it reads alike."""
    if isinstance(value, bool):
        raise _no_overload("uint", value)
    if isinstance(value, int):
        if value < 0:
            raise Failed("int64 out of uint64 range")
        return value
    if isinstance(value, float):
        if not 0.0 <= value < 2.0**64:
            raise Failed("double out of uint64 range")
        return value
    if isinstance(value, str):
        found = _UNSIGNED.fullmatch(value)
        if found is None or int(found.group(1)) > UINT_MAX:
            raise Failed("cannot convert string to uint")
        return str(int(found.group(1)))
    raise _no_overload("uint", value)


def double(value: object) -> float:
    """`double(x)` of a text or a value of any type (dyn)."""
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        found = parse_double(value)
        if found is None:
            raise Failed("cannot convert string to double")
        return found
    raise _no_overload("double", value)


def negate(value: object) -> object:
    """`-x` of an int (which the interpreter lets wrap round) or of a value of any type (dyn)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value == INT_MIN:
            raise Failed("integer overflow")
        return -value
    if isinstance(value, float):
        return -value
    raise _no_overload("-_", value)


def size(value: object) -> int:
    """`size(x)`: of a text its code points (the interpreter's own counts bytes)."""
    if isinstance(value, str | bytes | list | dict):
        return len(value)
    raise _no_overload("size", value)


def size_method(value: object) -> int:
    """`x.size()`, as `size`."""
    if isinstance(value, str | bytes | list | dict):
        return len(value)
    raise Failed(f"No matching overloads found : ({type_name(value)}).size()")


def double_text(value: float) -> str:
    """A double as cel-cpp's `string()` writes it: the shortest digits that read back as the
    same double, in `%g` style (an exponent, two digits at least, below 1e-4 and from 1e6)."""
    negative = math.copysign(1.0, value) < 0
    sign = "-" if negative else ""
    if math.isnan(value):
        return sign + "nan"
    if math.isinf(value):
        return sign + "inf"
    if value == 0:
        return sign + "0"
    _, digits_, power = Decimal(repr(abs(value))).as_tuple()
    assert isinstance(power, int)  # a finite number
    written = "".join(map(str, digits_))
    digits = written.rstrip("0")
    exponent = power + len(written) - 1  # of the first digit
    if exponent < -4 or exponent >= 6:
        fraction = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{fraction}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole, fraction = digits[: exponent + 1].ljust(exponent + 1, "0"), digits[exponent + 1 :]
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def parse_double(text: str) -> float | None:
    """A text read as a double as cel-cpp's `double()` reads it (absl's SimpleAtod): ASCII
    spaces around, a sign, then digits with a point and an exponent, `0x` and hexadecimal
    digits with a point and a binary exponent, `inf`, `infinity` or `nan(…)` in any case;
    rounded to the nearest double. None where cel-cpp fails."""
    rest = text.strip(_SPACES)
    if rest.startswith("+"):
        rest = rest[1:]
        if rest.startswith("-"):
            return None
    negative = rest.startswith("-")
    if negative:
        rest = rest[1:]
    value: float | None
    if _INFINITY.fullmatch(rest):
        value = math.inf
    elif _NAN.fullmatch(rest):
        value = math.nan
    elif _DECIMAL.fullmatch(rest):
        value = float(rest)
    else:
        value = _hexadecimal(rest)
    if value is None:
        return None
    return -value if negative else value


def _hexadecimal(text: str) -> float | None:
    found = _HEX.fullmatch(text)
    if found is None:
        return None
    whole, fraction, power = found.group(1), found.group(2) or "", found.group(3) or "0"
    if not whole and not fraction:
        return None
    try:
        return float.fromhex(f"0x{whole or '0'}.{fraction or '0'}p{power}")
    except OverflowError:
        return math.inf


def _no_overload(function: str, value: object) -> Failed:
    """cel-cpp's words for a value of a type the function does not take (held as dyn)."""
    return Failed(f"No matching overloads found : {function}({type_name(value)})")


def type_name(value: object) -> str:
    """The type of a value as cel-cpp names it in its words for what fails."""
    if value is None:
        return "null_type"
    return {
        bool: "bool",
        int: "int64",
        float: "double",
        str: "string",
        bytes: "bytes",
        list: "list",
        dict: "map",
        datetime.datetime: "timestamp",
        datetime.timedelta: "duration",
    }.get(type(value), type(value).__name__)
