"""The runtime cel-expr-python (Google's cel-cpp): it checks a rule's types as it compiles it, and
its checked syntax tree gives the facts a rule reads and the rule's shape for the limits."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from cel_expr_python import cel  # ships cel.pyi but no py.typed: see pyproject.toml

from .. import limits
from ..model import PLATFORM
from ..references import NotChecked, checked_tree, identifiers
from .runtime import Compiled, Facts, Missing, RuleProblem, beyond, explain, unreadable

NAME: Final = "cpp"

TYPES: Final[dict[str, cel.Type]] = {
    "bool": cel.Type.BOOL,
    "int": cel.Type.INT,
    "double": cel.Type.DOUBLE,
    "string": cel.Type.STRING,
}
"""CEL type of each fact type a charta may declare."""

_CEL_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*)")
_UNDECLARED = re.compile(r"undeclared reference to '([^']*)'")
_TOO_DEEP: Final = ("Exceeded max recursion depth", "Expression recursion limit exceeded")
"""What CEL says, in its parser and in its checker, of a rule nested deeper than it reads."""
_MISSING = re.compile(r'No value with name "([^"]+)" found in Activation')
_TOO_MANY: Final = "maximum number of ERROR issues exceeded"
"""CEL's word that it stopped listing problems."""


@functools.lru_cache(maxsize=64)
def environment(facts: Facts, without: str | None = None) -> cel.Env:
    """A CEL environment declaring these facts and `platform` (but `without`)."""
    variables = {name: TYPES[kind] for name, kind in facts}
    variables[PLATFORM] = cel.Type.STRING
    variables.pop(without or "", None)
    return cel.NewEnv(variables=variables)


def compile(facts: Facts, expression: str) -> Compiled | RuleProblem:
    """Parse, check and measure a rule."""
    try:
        program = environment(facts).compile(expression)
    except RuntimeError as error:
        return _first_problem(error, facts)
    kind = program.return_type().name().lower()
    if kind != "bool":
        return RuleProblem(1, 1, f"the rule gives {kind}, expected a bool")
    try:
        serialized = program.serialize()
        shape = limits.measure(checked_tree(serialized), dict(facts))
    except NotChecked as error:  # pragma: no cover - CEL's own output
        return RuleProblem(1, 1, f"the rule cannot be measured against the limits ({error})")
    problem = beyond(shape) or unreadable(NAME, expression, shape.patterns, pattern_problem)
    if problem is not None:
        return problem
    return Compiled(program, shape.cost, _reads(facts, expression, serialized), shape.patterns)


@functools.lru_cache(maxsize=1024)
def pattern_problem(pattern: str) -> str | None:
    """Why RE2, as cel-cpp runs it, cannot read a pattern; None where it can. cel-cpp compiles
    the pattern of a `matches` written in a rule when it plans the rule, but says nothing of one
    it cannot read until the rule is evaluated."""
    result = _MATCHES().eval(data={"p": pattern}).value()
    if result is True or result is False:
        return None
    return str(result).split(": ", 1)[-1].removeprefix("invalid regular expression: ")


def listed(facts: Facts, expressions: Sequence[str]) -> cel.Expression | None:
    """One CEL program giving the list of these rules' values."""
    source = ",\n".join(f"({expression}\n)" for expression in expressions)
    try:
        return environment(facts).compile(f"[{source}]")
    except RuntimeError:  # a rule nested as deep as CEL's parser goes on its own
        return None


def arena() -> cel._InternalArena:
    """A CEL arena: memory for evaluating, which it frees only when it goes."""
    return cel.Arena()


def activation(facts: Facts, values: Mapping[str, Any]) -> cel.Activation:
    """The values converted for CEL once."""
    return environment(facts).Activation(values)


def evaluate(
    program: cel.Expression,
    values: Mapping[str, Any],
    arena: Any = None,
    activation: Any = None,
) -> bool | Missing | str:
    """A rule's value: True, False, the variable it lacks, or CEL's word for why it failed."""
    try:
        if activation is not None:
            result = program.eval(activation).value()
        elif arena is not None:
            result = program.eval(None, values, None, arena).value()  # data=, arena=
        else:
            result = program.eval(data=values).value()
    except RuntimeError as error:  # a value CEL cannot take; requests are checked before
        return str(error)
    if result is True or result is False:
        return bool(result)
    missing = _MISSING.search(str(result))
    if missing is not None:
        return Missing(missing.group(1))
    return str(result).split(": ", 1)[-1]


def evaluate_list(program: cel.Expression, values: Mapping[str, Any], arena: Any) -> Any:
    """The values of a listed program, or None when one of them is open or fails."""
    try:  # eval(data=values, arena=…), given by position: pybind11 takes that quicker
        found = program.eval(None, values, None, arena).plain_value()
    except RuntimeError:  # a value CEL cannot take
        return None
    return found if type(found) is list else None


def _first_problem(error: RuntimeError, facts: Facts) -> RuleProblem:
    text = str(error)
    if any(deep in text for deep in _TOO_DEEP):
        return RuleProblem(1, 1, limits.too_deep())
    found = _CEL_ERROR.search(text)
    if found is None:
        return RuleProblem(1, 1, text.removeprefix("INVALID_ARGUMENT: ").strip())
    message = found.group(3).removesuffix(" [INVALID_ARGUMENT]").replace(" (in container '')", "")
    return RuleProblem(int(found.group(1)), int(found.group(2)), explain(message, facts))


def _reads(facts: Facts, expression: str, serialized: bytes) -> tuple[str, ...]:
    """The facts a rule reads, as CEL's type checker resolved its identifiers. A macro's own
    variable (`exists(x, …)`) could hide a fact of the same name; such rules are compiled
    again to learn which facts they read (`_compiled_without`)."""
    declared = [*(name for name, _ in facts), PLATFORM]
    try:
        names = identifiers(serialized)
    except NotChecked:  # pragma: no cover - CEL's own output
        names = None
    if names is not None and names.issubset(declared):
        return tuple(fact for fact in declared if fact in names)
    return _compiled_without(facts, expression)


def _compiled_without(facts: Facts, expression: str) -> tuple[str, ...]:
    # A fact is read when the expression does not compile without it. That leaves out
    # words in string literals, member names and macro variables. One compile with no
    # facts declared names every one the expression reads, unless CEL stops counting.
    declared = [*(name for name, _ in facts), PLATFORM]
    try:
        _NO_FACTS().compile(expression)
    except RuntimeError as error:
        text = str(error)
        if _TOO_MANY not in text:
            names = {name.lstrip(".").split(".")[0] for name in _UNDECLARED.findall(text)}
            return tuple(fact for fact in declared if fact in names)
    else:
        return ()
    found = []
    for fact in declared:
        if not re.search(rf"(?<!\w){re.escape(fact)}(?!\w)", expression):
            continue
        try:
            environment(facts, without=fact).compile(expression)
        except RuntimeError as error:
            if {fact, "." + fact} & set(_UNDECLARED.findall(str(error))):
                found.append(fact)
    return tuple(found)


_NO_FACTS: Final = functools.cache(lambda: cel.NewEnv(variables={}))
"""A CEL environment that declares nothing, to learn which facts an expression reads."""
_MATCHES: Final = functools.cache(
    lambda: cel.NewEnv(variables={"p": cel.Type.STRING}).compile('"".matches(p)')
)
"""A `matches` of a pattern given as a value, to learn whether RE2 reads it."""
