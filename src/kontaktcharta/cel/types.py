"""CEL's type check of a rule, for a runtime that has none: cel-cpp's standard functions and
their overloads, over the declared facts, with cel-cpp's words for what does not fit.

cel-expr-python checks a rule's types as it compiles it; common-expression-language does not, and
would only fail (or answer something) when a request comes. So that a rule is refused at build
time on every runtime alike, this module checks the syntax tree of syntax.py as cel-cpp's checker
does: every identifier declared, every call matching one of the standard library's overloads (no
mixing of int and double), and the rule's type. tests/test_runtimes.py holds its verdicts equal
to cel-expr-python's on a corpus of rules, good and bad.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .syntax import CALL, COMPREHENSION, CONST, IDENT, LIST, MAP, SELECT, STRUCT, Node

Type = str | tuple["Type", ...]
"""A CEL type: a name (`int`, `dyn`; `free` for the entries of `[]`), or `("list", entry)`,
`("map", key, value)`, `("type", of)`. A parameter of an overload is one capital letter."""

DYN: Final = "dyn"
FREE: Final = "free"


class TypeProblem(Exception):
    """What cel-cpp's checker would say of a rule, at `at` (0-based offset)."""

    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


def _overloads() -> dict[str, list[tuple[bool, tuple[Type, ...], Type]]]:
    """Each standard function's overloads: whether it takes a receiver, its parameters (the
    receiver first), its result."""
    table: dict[str, list[tuple[bool, tuple[Type, ...], Type]]] = {}

    def add(name: str, params: tuple[Type, ...], result: Type, receiver: bool = False) -> None:
        table.setdefault(name, []).append((receiver, params, result))

    numbers = ("int", "uint", "double")
    ordered = (*numbers, "string", "bytes", "bool", "timestamp", "duration")
    add("!_", ("bool",), "bool")
    add("_?_:_", ("bool", "A", "A"), "A")
    add("@not_strictly_false", ("bool",), "bool")
    for kind in ("int", "double"):
        add("-_", (kind,), kind)
    for name in ("_&&_", "_||_"):
        add(name, ("bool", "bool"), "bool")
    for name in ("_==_", "_!=_"):
        add(name, ("A", "A"), "bool")
    for name in ("_<_", "_<=_", "_>_", "_>=_"):
        for kind in ordered:
            add(name, (kind, kind), "bool")
    for kind in (*numbers, "string", "bytes"):
        add("_+_", (kind, kind), kind)
    add("_+_", (("list", "A"), ("list", "A")), ("list", "A"))
    add("_+_", ("timestamp", "duration"), "timestamp")
    add("_+_", ("duration", "timestamp"), "timestamp")
    add("_+_", ("duration", "duration"), "duration")
    for kind in numbers:
        for name in ("_-_", "_*_", "_/_"):
            add(name, (kind, kind), kind)
    add("_-_", ("timestamp", "timestamp"), "duration")
    add("_-_", ("timestamp", "duration"), "timestamp")
    add("_-_", ("duration", "duration"), "duration")
    for kind in ("int", "uint"):
        add("_%_", (kind, kind), kind)
    add("_[_]", (("list", "A"), "int"), "A")
    add("_[_]", (("map", "K", "V"), "K"), "V")
    add("@in", ("A", ("list", "A")), "bool")
    add("@in", ("A", ("map", "A", "B")), "bool")
    for sized in ("string", "bytes", ("list", "A"), ("map", "K", "V")):
        add("size", (sized,), "int")
        add("size", (sized,), "int", receiver=True)
    for name in ("contains", "startsWith", "endsWith", "matches"):
        add(name, ("string", "string"), "bool", receiver=True)
    add("matches", ("string", "string"), "bool")
    for kind, sources in {
        "int": ("int", "uint", "double", "string", "timestamp"),
        "uint": ("int", "uint", "double", "string"),
        "double": ("int", "uint", "double", "string"),
        "string": ("int", "uint", "double", "bool", "string", "bytes", "timestamp", "duration"),
        "bytes": ("bytes", "string"),
        "bool": ("bool", "string"),
        "timestamp": ("string", "timestamp", "int"),
        "duration": ("string", "duration"),
    }.items():
        for source in sources:
            add(kind, (source,), kind)
    add("dyn", ("A",), DYN)
    add("type", ("A",), ("type", "A"))
    for name in ("getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek"):
        add(name, ("timestamp",), "int", receiver=True)
        add(name, ("timestamp", "string"), "int", receiver=True)
    for name in ("getHours", "getMinutes", "getSeconds", "getMilliseconds"):
        add(name, ("timestamp",), "int", receiver=True)
        add(name, ("timestamp", "string"), "int", receiver=True)
        add(name, ("duration",), "int", receiver=True)
    add("getDayOfYear", ("timestamp",), "int", receiver=True)
    add("getDayOfYear", ("timestamp", "string"), "int", receiver=True)
    return table


OVERLOADS: Final = _overloads()
TYPE_NAMES: Final = frozenset(
    ["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"]
)
"""The names of types, which a rule may name as values (`type(x) == int`)."""


Call = tuple[Node, tuple[Type, ...]]
"""A call in a rule, with the types of its arguments (its receiver first)."""


def check(tree: Node, declared: Mapping[str, Type], calls: list[Call] | None = None) -> Type:
    """The type of a rule over the declared variables; TypeProblem at the first thing that does
    not fit, in the order cel-cpp's checker finds it. Each call checked is added to `calls`."""
    return _Checker(declared, calls).type(tree, {})


def shown(kind: Type) -> str:
    """A type as cel-cpp's checker names it in its messages: `list(int)`, `null_type`."""
    if isinstance(kind, tuple):
        return f"{kind[0]}({', '.join(shown(part) for part in kind[1:])})"
    return {
        "timestamp": "google.protobuf.Timestamp",
        "duration": "google.protobuf.Duration",
        FREE: DYN,
    }.get(kind, kind)


def named(kind: Type) -> str:
    """A type as cel-expr-python's `Type.name()` names it, in lower case: `list<int>`, `null`."""
    if isinstance(kind, tuple):
        return f"{kind[0]}<{', '.join(named(part) for part in kind[1:])}>"
    return {"null_type": "null", FREE: DYN}.get(kind, kind)


class _Checker:
    def __init__(self, declared: Mapping[str, Type], calls: list[Call] | None) -> None:
        self.declared = declared
        self.calls = calls

    def type(self, node: Node, scope: dict[str, Type]) -> Type:
        kind = node.kind
        if kind == CONST:
            return node.name
        if kind == IDENT:
            return self.ident(node, scope)
        if kind == SELECT:
            return self.select(node, scope)
        if kind == CALL:  # the arguments before the receiver, as cel-cpp checks them
            found = [self.type(part, scope) for part in node.parts[node.target :]]
            if node.target:
                found.insert(0, self.type(node.parts[0], scope))
            result = _resolve(node, found)
            if self.calls is not None:
                self.calls.append((node, tuple(found)))
            return result
        if kind in (LIST, MAP):
            found = [self.type(part, scope) for part in node.parts]
            if kind == LIST:
                return ("list", _join(found))
            return ("map", _join(found[0::2]), _join(found[1::2]))
        if kind == STRUCT:
            raise TypeProblem(f"undeclared reference to '{node.name.lstrip('.')}'", node.at)
        if kind == COMPREHENSION:
            return self.comprehension(node, scope)
        raise TypeProblem(f"unknown node {kind}", node.at)  # pragma: no cover

    def ident(self, node: Node, scope: dict[str, Type]) -> Type:
        if not node.root and node.name in scope:
            return scope[node.name]
        if node.name in self.declared:
            return self.declared[node.name]
        if node.name in TYPE_NAMES:
            return ("type", node.name)
        raise TypeProblem(f"undeclared reference to '{node.name}'", node.at)

    def select(self, node: Node, scope: dict[str, Type]) -> Type:
        operand = node.parts[0]
        name = _undeclared(operand, scope, self.declared)
        if name is not None:
            raise TypeProblem(f"undeclared reference to '{name}.{node.name}'", node.at)
        kind = self.type(operand, scope)
        if kind in (DYN, FREE):
            found: Type = DYN
        elif isinstance(kind, tuple) and kind[0] == "map":
            found = kind[2]
        else:
            raise TypeProblem(
                f"expression of type '{shown(kind)}' cannot be the operand of a select operation",
                node.at,
            )
        return "bool" if node.test else found

    def comprehension(self, node: Node, scope: dict[str, Type]) -> Type:
        over, initial, condition, step, result = node.parts
        range_ = self.type(over, scope)
        if range_ in (DYN, FREE):
            each: Type = DYN
        elif isinstance(range_, tuple) and range_[0] in ("list", "map"):
            each = range_[1]
        else:
            raise TypeProblem(
                f"expression of type '{shown(range_)}' cannot be the range of a comprehension "
                "(must be list, map, or dynamic)",
                over.at,
            )
        accumulated = self.type(initial, scope)
        inner = {**scope, node.accumulator: accumulated, node.name: each}
        self.type(condition, inner)
        stepped = self.type(step, inner)
        inner[node.accumulator] = _join([accumulated, stepped])
        return self.type(result, inner)


def _undeclared(node: Node, scope: dict[str, Type], declared: Mapping[str, Type]) -> str | None:
    """The dotted name of a chain of selections on an identifier that is not declared."""
    if node.kind == IDENT:
        known = (not node.root and node.name in scope) or node.name in declared
        return None if known or node.name in TYPE_NAMES else node.name
    if node.kind == SELECT and not node.test:
        inner = _undeclared(node.parts[0], scope, declared)
        return None if inner is None else f"{inner}.{node.name}"
    return None


def _resolve(node: Node, found: list[Type]) -> Type:
    """The result of a call on arguments of these types, by the function's overloads."""
    called = [
        (params, result)
        for receiver, params, result in OVERLOADS.get(node.name, ())
        if receiver == node.target and len(params) == len(found)
    ]
    if not called:  # no such function, or none called so (on a receiver or not) with as many
        raise TypeProblem(f"undeclared reference to '{node.name}'", node.at)
    results: list[Type] = []
    for params, result in called:
        binding: dict[str, Type] = {}
        if all(_fits(param, kind, binding) for param, kind in zip(params, found, strict=True)):
            results.append(_bound(result, binding))
    if not results:
        applied = ", ".join(shown(kind) for kind in found)
        raise TypeProblem(
            f"found no matching overload for '{node.name}' applied to '({applied})'", node.at
        )
    return results[0] if all(result == results[0] for result in results) else DYN


def _fits(param: Type, kind: Type, binding: dict[str, Type]) -> bool:
    """Whether an argument of type `kind` fits a parameter, binding the overload's parameters."""
    if kind == FREE:
        return True
    if isinstance(param, str) and len(param) == 1:  # a type parameter
        if param not in binding:
            binding[param] = kind
            return True
        bound = binding[param]
        if bound in (FREE, DYN):
            binding[param] = kind
            return True
        return _fits(bound, kind, binding)
    if kind == DYN or param == DYN:
        return True
    if isinstance(param, tuple) and isinstance(kind, tuple):
        return (
            param[0] == kind[0]
            and len(param) == len(kind)
            and all(_fits(p, k, binding) for p, k in zip(param[1:], kind[1:], strict=True))
        )
    return param == kind


def _bound(kind: Type, binding: dict[str, Type]) -> Type:
    if isinstance(kind, tuple):
        return (kind[0], *(_bound(part, binding) for part in kind[1:]))
    if len(kind) == 1:
        return binding.get(kind, DYN)
    return kind


def _join(kinds: list[Type]) -> Type:
    """The type of a list's entries (or a map's keys or values): theirs where all agree, else
    dyn; `free` for none."""
    joined: Type = FREE
    for kind in kinds:
        joined = _merge(joined, kind)
    return joined


def _merge(one: Type, other: Type) -> Type:
    """One type for two: the same, or where one is `free` (or holds it) the other; else dyn."""
    if one in (FREE, other):
        return other
    if other == FREE:
        return one
    if isinstance(one, tuple) and isinstance(other, tuple) and one[0] == other[0]:
        merged = [_merge(a, b) for a, b in zip(one[1:], other[1:], strict=True)]
        if DYN not in merged or DYN in (*one[1:], *other[1:]):
            return (one[0], *merged)
    return DYN
