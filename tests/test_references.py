"""The identifiers a checked CEL expression reads, read from its serialized CheckedExpr."""

from __future__ import annotations

import pytest
from cel_expr_python import cel

from kontaktcharta.references import NotChecked, identifiers

ENV = cel.NewEnv(variables={"n": cel.Type.INT, "s": cel.Type.STRING, "met": cel.Type.BOOL})


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ("true", set()),
        ("met", {"met"}),
        ('s == "n" && n > 1', {"s", "n"}),  # a word in a string is no identifier
        ('s.startsWith("x") || size(s) > n', {"s", "n"}),  # functions are left out
        ('{"met": 1}.met == n', {"n"}),  # a member name is no identifier
        ("[1, 2].exists(x, x > n)", {"x", "n", "@result"}),  # a macro's own variables
    ],
)
def test_identifiers_are_the_names_the_checker_resolved(expression: str, names: set[str]) -> None:
    assert identifiers(ENV.compile(expression).serialize()) == names


@pytest.mark.parametrize(
    "data",
    [
        b"\x12\x05abc",  # a field longer than the message
        b"\x0b",  # a proto2 group
        b"\x12\x03\x12\x01",  # the entry ends inside a field's length
        b"\x12\x04\x12\x02\x12\xff",  # not a message inside
    ],
)
def test_bytes_that_are_no_checked_expression_are_refused(data: bytes) -> None:
    with pytest.raises(NotChecked):
        identifiers(data)
