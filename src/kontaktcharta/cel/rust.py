"""The runtime common-expression-language (the Rust cel-interpreter), where cel-expr-python has no
wheel. It neither checks types nor gives a syntax tree: a rule is read by syntax.py and checked
by types.py as cel-cpp would, measured on that tree, and only then compiled by the interpreter."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

import cel

from .. import limits
from ..model import PLATFORM
from . import syntax, types
from .runtime import Compiled, Facts, Missing, RuleProblem, beyond, explain

NAME: Final = "rust"

_CEL_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): ([^\n]*)")
_MISSING = re.compile(r"Undefined variable or function: '([^']+)'")
_FAILED: Final = (RuntimeError, ValueError, TypeError, ArithmeticError, LookupError)
"""What the interpreter raises for a rule that fails."""
_WORDS: Final = (
    (re.compile(r"division by zero"), "divide by zero"),
    (re.compile(r"modulo by zero"), "modulus by zero"),
    (re.compile(r"Arithmetic overflow in '\w+'"), "integer overflow"),
)
"""The interpreter's words for the commonest failures, and cel-cpp's, which a message gives."""
_SIZE: Final = "__size__"
"""`size` as the interpreter gets it: its own counts the bytes of a text, CEL's its characters
(code points), so every call of `size` goes to this function of ours."""
_FUNCTIONS: Final = {_SIZE: len}


def source(expression: str) -> str:
    """A rule as the interpreter gets it: each call of `size` made a call of `__size__`."""
    found = syntax.tokens(expression)
    parts: list[str] = []
    last = 0
    for (kind, text, at), following in itertools.pairwise(found):
        if kind == "name" and text == "size" and following[0] == "(":
            parts += [expression[last:at], _SIZE]
            last = at + len(text)
    return "".join(parts) + expression[last:]


def compile(facts: Facts, expression: str) -> Compiled | RuleProblem:
    """Parse, check and measure a rule as cel-cpp would, then compile it."""
    try:
        tree = syntax.parse(expression)
    except syntax.SyntaxProblem as problem:
        if problem.too_deep:
            return RuleProblem(1, 1, limits.too_deep())
        return _syntax_problem(expression, problem, facts)
    declared: dict[str, types.Type] = {name: kind for name, kind in facts}
    declared[PLATFORM] = "string"
    try:
        kind = types.check(tree, declared)
    except types.TypeProblem as problem:
        return RuleProblem(*_place(expression, problem.at), explain(problem.message, facts))
    if kind != "bool":
        return RuleProblem(1, 1, f"the rule gives {types.named(kind)}, expected a bool")
    shape = limits.measure(tree, dict(facts))
    beyond_limits = beyond(shape)
    if beyond_limits is not None:
        return beyond_limits
    try:
        program = cel.compile(source(expression))
    except _FAILED as error:  # read by our parser, not by the interpreter's
        return _message(expression, str(error), facts)
    names = syntax.free_names(tree)
    reads = tuple(name for name in [*declared] if name in names)
    return Compiled(program, shape.cost, reads, shape.patterns)


def listed(facts: Facts, expressions: Sequence[str]) -> Any | None:
    """One program giving the list of these rules' values."""
    listed = ",\n".join(f"({source(expression)}\n)" for expression in expressions)
    try:
        return cel.compile(f"[{listed}]")
    except _FAILED:  # pragma: no cover - each compiled on its own
        return None


def arena() -> None:
    """The interpreter has no arena."""
    return None


def activation(facts: Facts, values: Mapping[str, Any]) -> Any:
    """The values converted for the interpreter once, with our functions."""
    return cel.Context(variables=dict(values), functions=_FUNCTIONS)


def evaluate(
    program: Any, values: Mapping[str, Any], arena: Any = None, activation: Any = None
) -> bool | Missing | str:
    """A rule's value: True, False, the variable it lacks, or the interpreter's word for why
    it failed."""
    try:
        if activation is None:
            activation = cel.Context(variables=dict(values), functions=_FUNCTIONS)
        result = program.execute(activation)
    except _FAILED as error:
        text = str(error)
        missing = _MISSING.match(text)
        if missing is not None:
            return Missing(missing.group(1))
        for words, said in _WORDS:
            if words.match(text):
                return said
        return text.split("\n")[0]
    if result is True or result is False:
        return result
    return f"the rule gave {result!r}, not a bool"  # pragma: no cover - checked as a bool


def evaluate_list(program: Any, values: Mapping[str, Any], arena: Any) -> list[Any] | None:
    """The values of a listed program, or None when one of them is open or fails."""
    try:
        context = cel.Context(variables=cast(dict[str, Any], values), functions=_FUNCTIONS)
        found = program.execute(context)
    except _FAILED:
        return None
    return found if type(found) is list else None


def _place(expression: str, at: int) -> tuple[int, int]:
    """The 1-based line and column of an offset."""
    line = expression.count("\n", 0, at) + 1
    return line, at - (expression.rfind("\n", 0, at) + 1) + 1


def _syntax_problem(expression: str, problem: syntax.SyntaxProblem, facts: Facts) -> RuleProblem:
    """A rule our parser cannot read, in cel-cpp's words as far as our parser knows them."""
    return RuleProblem(*_place(expression, problem.at), explain(problem.message, facts))


def _message(expression: str, text: str, facts: Facts) -> RuleProblem:
    found = _CEL_ERROR.search(text)
    if found is None:
        return RuleProblem(1, 1, text)
    return RuleProblem(int(found.group(1)), int(found.group(2)), explain(found.group(3), facts))
