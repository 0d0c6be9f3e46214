"""The runtime common-expression-language (the Rust cel-interpreter), where cel-expr-python has no
wheel. It neither checks types nor gives a syntax tree: a rule is read by syntax.py and checked
by types.py as cel-cpp would, measured on that tree, and only then compiled by the interpreter.

What the interpreter lacks or runs otherwise than cel-cpp is made cel-cpp's in the rule's source
as the interpreter gets it (`source`): `size`, the conversions of conversions.py and the negation
of an int go to functions of ours, and `matches(s, p)` is written `s.matches(p)`. A call it
cannot run as cel-cpp does is refused when the rule is checked (`_REFUSED`), never when a request
comes."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

import cel

from .. import limits
from ..model import PLATFORM
from . import PACKAGES, conversions, syntax, types
from .runtime import Compiled, Facts, Missing, RuleProblem, beyond, explain, unreadable
from .types import DYN, FREE

NAME: Final = "rust"
PACKAGE: Final = PACKAGES[NAME]

_CEL_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): ([^\n]*)")
_MISSING = re.compile(r"Undefined variable or function: '([^']+)'")
_FAILED: Final = (RuntimeError, ValueError, TypeError, ArithmeticError, LookupError)
"""What the interpreter raises for a rule that fails."""
_OURS_FAILED = re.compile(
    r"Function '__\w+__' error: Python function call failed: \w+: (.*)\. "
    r"Check function arguments and their types\.$",
    re.DOTALL,
)
"""The interpreter's report of a function of ours that failed, around our (cel-cpp's) words."""
_WORDS: Final = (
    (re.compile(r"division by zero"), "divide by zero"),
    (re.compile(r"modulo by zero"), "modulus by zero"),
    (re.compile(r"Arithmetic overflow in '\w+'"), "integer overflow"),
    (re.compile(r"Function 'int' error: integer overflow"), "uint64 out of int64 range"),
    (re.compile(r"Function 'timestamp' error"), "String to Timestamp conversion failed"),
    (re.compile(r"Function 'duration' error"), "String to Duration conversion failed"),
    (re.compile(r"index out of bounds: (-?\d+)"), r"Index error: index=\1"),
)
"""The interpreter's words for what fails, and cel-cpp's, which a message gives (`int` of a
uint is the one `int` left to the interpreter; it does not say the size of a list)."""
_MIXED = re.compile(
    r"(?:Unsupported operation|Cannot mix signed and unsigned integers): (\w+) (\S+) (\w+)\."
)
"""The interpreter's words for an operator given values of types it does not take (held as
dyn), with the types."""
_TYPES: Final = {"int": "int64", "uint": "uint64", "float": "double", "null": "null_type"}
"""Types the interpreter names otherwise than cel-cpp."""
_FUNCTIONS: Final = {
    "__size__": conversions.size,  # its own `size` of a text counts bytes, CEL's code points
    "__size_method__": conversions.size_method,
    "__string__": conversions.string,
    "__bool__": conversions.boolean,
    "__int__": conversions.integer,
    "__uint__": conversions.unsigned,
    "__double__": conversions.double,
    "__negate__": conversions.negate,
}
"""Our functions, which the rule's source calls in place of the interpreter's (`source`)."""
_CALLED: dict[str, Any] = {}
"""Those of our functions that the rules compiled in this process call: the only ones each
context for the interpreter holds, since each one more makes every context slower to make (0.1
µs a function, on every request)."""
_OURS: Final[dict[str, frozenset[types.Type]]] = {
    "string": frozenset(["bool", "double", DYN, FREE]),
    "bool": frozenset(["bool", "string", DYN, FREE]),
    "int": frozenset(["double", "string", "timestamp", DYN, FREE]),
    "double": frozenset(["string", DYN, FREE]),
    "uint": frozenset(["int", "double", "string", DYN, FREE]),
}
"""The conversions that go to our functions, by the type of their argument: those the
interpreter has not (`bool`, `string` of a bool, `int` of a timestamp) or makes otherwise (the
digits of a double, the texts read as numbers, what fails and its words). `uint(x)` stays the
interpreter's, with its argument checked by ours first: a Python int comes back as an int."""
_ZONED: Final = (
    "getFullYear",
    "getMonth",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
)
_REFUSED: Final[dict[tuple[str, tuple[types.Type, ...]], str]] = {
    ("timestamp", ("int",)): "",
    ("_+_", ("duration", "timestamp")): "; write the timestamp first",
    ("string", ("timestamp",)): "",
    ("string", ("duration",)): "",
    ("getMilliseconds", ("duration",)): "",
    **{(name, ("timestamp", "string")): "" for name in _ZONED},
}
"""The calls, by their arguments' types, that the interpreter has not (`timestamp` of an int, a
time zone, a duration plus a timestamp) or runs otherwise (`string` of a timestamp or a
duration, the milliseconds of a duration), with a hint: a rule with one is refused."""


@dataclass(frozen=True, slots=True)
class Program:
    """A rule compiled by the interpreter, with what its failures need to be said as cel-cpp
    says them."""

    compiled: Any
    """The interpreter's program."""
    keys: types.Type
    """The type of the keys of the maps the rule looks up (`string` where they differ): the
    interpreter names a missing key as a text."""


class _Ours(logging.Filter):
    """The interpreter logs a warning for each failure of a function of ours, which a rule's
    value says: not shown."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Python function '__")


logging.getLogger("cel").addFilter(_Ours())


def compile(facts: Facts, expression: str) -> Compiled | RuleProblem:
    """Parse, check and measure a rule as cel-cpp would, then compile it."""
    try:
        tree = syntax.parse(expression)
    except syntax.SyntaxProblem as problem:
        if problem.too_deep:
            return RuleProblem(1, 1, limits.too_deep())
        return _syntax_problem(expression, problem, facts)
    declared = _declared(facts)
    calls: list[types.Call] = []
    try:
        kind = types.check(tree, declared, calls)
    except types.TypeProblem as problem:
        return RuleProblem(*_place(expression, problem.at), explain(problem.message, facts))
    if kind != "bool":
        return RuleProblem(1, 1, f"the rule gives {types.named(kind)}, expected a bool")
    shape = limits.measure(tree, dict(facts))
    beyond_limits = beyond(shape)
    if beyond_limits is not None:
        return beyond_limits
    refused = _refused(expression, calls) or unreadable(
        NAME, expression, shape.patterns, pattern_problem
    )
    if refused is not None:
        return refused
    text = _rewritten(expression, calls)
    try:
        program = cel.compile(text)
    except _FAILED as error:  # read by our parser, not by the interpreter's
        return _message(expression, str(error), facts)
    _CALLED.update((name, call) for name, call in _FUNCTIONS.items() if name in text)
    names = syntax.free_names(tree)
    reads = tuple(name for name in [*declared] if name in names)
    return Compiled(Program(program, _keys(calls)), shape.cost, reads, shape.patterns)


@functools.lru_cache(maxsize=1024)
def pattern_problem(pattern: str) -> str | None:
    """Why Rust's regex, as the interpreter runs it, cannot read a pattern; None where it can.
    The interpreter compiles a pattern only when the rule is evaluated."""
    try:
        _MATCHES().execute(cel.Context(variables={"p": pattern}))
    except _FAILED as error:
        text = str(error)
        found = _REGEX_ERROR.search(text)
        if found is None:  # pragma: no cover - the interpreter's words for another failure
            return text.split("\n")[0]
        why = found.group("why")
        shown = _REGEX_SHOWN.search(text)
        if shown is not None:  # the part of the pattern it underlines
            line, marks = shown.group("line"), shown.group("marks")
            start = len(marks) - len(marks.lstrip())
            why += f": {line[start : start + len(marks[start:].split(' ')[0])]}"
        return why
    return None


_MATCHES: Final = functools.cache(lambda: cel.compile('"".matches(p)'))
"""A `matches` of a pattern given as a value, to learn whether Rust's regex reads it."""
_REGEX_ERROR = re.compile(r"\nerror: (?P<why>.*)\. Check function arguments and their types\.$")
_REGEX_SHOWN = re.compile(r"regex parse error:\n    (?P<line>[^\n]*)\n    (?P<marks>[ ^]*\^)\n")


@functools.lru_cache(maxsize=1024)
def source(facts: Facts, expression: str) -> str:
    """A rule that compiles as the interpreter gets it: each call of `size`, of the conversions
    it lacks or makes otherwise and each negation of an int made a call of ours, `matches(s, p)`
    written `s.matches(p)`."""
    calls: list[types.Call] = []
    types.check(syntax.parse(expression), _declared(facts), calls)
    return _rewritten(expression, calls)


def listed(facts: Facts, expressions: Sequence[str]) -> Any | None:
    """One program giving the list of these rules' values."""
    listed = ",\n".join(f"({source(facts, expression)}\n)" for expression in expressions)
    try:
        return cel.compile(f"[{listed}]")
    except _FAILED:  # pragma: no cover - each compiled on its own
        return None


def arena() -> None:
    """The interpreter has no arena."""
    return None


def activation(facts: Facts, values: Mapping[str, Any]) -> Any:
    """The values converted for the interpreter once, with our functions."""
    return cel.Context(variables=dict(values), functions=_CALLED)


def evaluate(
    program: Program, values: Mapping[str, Any], arena: Any = None, activation: Any = None
) -> bool | Missing | str:
    """A rule's value: True, False, the variable it lacks, or cel-cpp's words for why it
    failed (else the interpreter's)."""
    try:
        if activation is None:
            activation = cel.Context(variables=dict(values), functions=_CALLED)
        result = program.compiled.execute(activation)
    except KeyError as error:
        return f"Key not found in map : {_key(program.keys, str(error.args[0]))}"
    except _FAILED as error:
        text = str(error)
        missing = _MISSING.match(text)
        if missing is not None:
            return Missing(missing.group(1))
        ours = _OURS_FAILED.match(text)
        if ours is not None:
            return ours.group(1)
        for words, said in _WORDS:
            found = words.match(text)
            if found is not None:
                return found.expand(said)
        mixed = _MIXED.match(text)
        if mixed is not None:
            one, operator, other = (_TYPES.get(part, part) for part in mixed.groups())
            return f"No matching overloads found : _{operator}_({one}, {other})"
        return text.split("\n")[0]
    if result is True or result is False:
        return result
    return f"the rule gave {result!r}, not a bool"  # pragma: no cover - checked as a bool


def evaluate_list(program: Any, values: Mapping[str, Any], arena: Any) -> list[Any] | None:
    """The values of a listed program, or None when one of them is open or fails."""
    try:
        context = cel.Context(variables=cast(dict[str, Any], values), functions=_CALLED)
        found = program.execute(context)
    except _FAILED:
        return None
    return found if type(found) is list else None


def _declared(facts: Facts) -> dict[str, types.Type]:
    declared: dict[str, types.Type] = {name: kind for name, kind in facts}
    declared[PLATFORM] = "string"
    return declared


def _refused(expression: str, calls: list[types.Call]) -> RuleProblem | None:
    """The first call of the rule that the interpreter cannot run as cel-cpp does."""
    for node, kinds in sorted(calls, key=lambda call: call[0].at):
        hint = _REFUSED.get((node.name, kinds))
        if hint is not None:
            shown = [types.shown(kind) for kind in kinds]
            if node.name == "_+_":
                call = " + ".join(shown)
            elif node.target:
                call = f"{shown[0]}.{node.name}({', '.join(shown[1:])})"
            else:
                call = f"{node.name}({', '.join(shown)})"
            return RuleProblem(
                *_place(expression, node.at),
                f"{PACKAGE}, the CEL runtime installed here, cannot run {call} as CEL does" + hint,
            )
    return None


def _rewritten(expression: str, calls: list[types.Call]) -> str:
    """A rule's source as the interpreter gets it (`source`), from its checked calls."""
    found = syntax.tokens(expression)
    index = {at: number for number, (_, _, at) in enumerate(found)}
    edits: set[tuple[int, int, str]] = set()  # (start, end, what replaces it)
    for node, kinds in calls:
        first = kinds[0] if kinds else None
        if node.name == "-_":
            if first not in ("int", DYN, FREE):
                continue
            operand = index[node.at]
            while found[operand][0] == "-":
                operand += 1
            wrap = "(0 - " if first == "int" else "__negate__("
            edits |= {(node.at, found[operand][2], wrap), (node.end, node.end, ")")}
            continue
        opening = index.get(node.at)
        if opening is None or found[opening][0] != "(":  # an operator
            continue
        _, name, at = found[opening - 1]
        if node.name == "size":
            edits.add((at, at + len(name), "__size_method__" if node.target else "__size__"))
        elif node.name == "matches" and not node.target:  # matches(s, p): s.matches(p)
            comma = found[_comma(found, opening)][2]
            edits |= {(at, at + len(name), ""), (comma, comma + 1, ").matches(")}
        elif node.target or first not in _OURS.get(node.name, ()):
            continue
        elif node.name == "uint":
            closing = found[_closing(found, opening)][2]
            edits |= {(node.at, node.at + 1, "(__uint__("), (closing, closing + 1, "))")}
        else:
            edits.add((at, at + len(name), f"__{node.name}__"))
    parts: list[str] = []
    last = 0
    for start, end, text in sorted(edits):
        parts += [expression[last:start], text]
        last = end
    return "".join(parts) + expression[last:]


def _closing(found: list[syntax.Token], opening: int) -> int:
    """The token that closes the bracket at `opening`."""
    depth = 0
    for number in range(opening, len(found)):
        kind = found[number][0]
        depth += (kind in "([{") - (kind in ")]}")
        if depth == 0:
            return number
    raise ValueError("unbalanced")  # pragma: no cover - the rule was parsed


def _comma(found: list[syntax.Token], opening: int) -> int:
    """The first comma between the arguments of the call whose `(` is at `opening`."""
    depth = 0
    for number in range(opening, len(found)):
        kind = found[number][0]
        depth += (kind in "([{") - (kind in ")]}")
        if depth == 1 and kind == ",":
            return number
    raise ValueError("no comma")  # pragma: no cover - the rule was checked


def _keys(calls: list[types.Call]) -> types.Type:
    """The type of the keys of the maps a rule looks up: `string` unless all are one other."""
    keys = {
        kinds[0][1]
        for node, kinds in calls
        if node.name == "_[_]" and isinstance(kinds[0], tuple) and kinds[0][0] == "map"
    }
    return keys.pop() if len(keys) == 1 else "string"


def _key(kind: types.Type, text: str) -> str:
    """A missing key as cel-cpp writes it, from the interpreter's text of it."""
    if kind == "uint":
        return text + "u"
    return text if kind in ("int", "bool") else f'"{text}"'


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
