"""The CEL runtime that compiles and evaluates the rules, chosen once per process.

Two runtimes can do it; each is one module with the functions below:

- `cpp` (cel-expr-python, Google's cel-cpp): the one installed on Linux x86_64 and aarch64, macOS
  and Windows x86_64 (pyproject.toml). It checks a rule's types and gives its checked syntax
  tree; `decide` evaluates a request's rules with it as one CEL list in a reused arena.
- `rust` (common-expression-language, the Rust cel-interpreter): where cel-expr-python has no
  wheel. It has no type checker and gives no syntax tree, so a rule is read by our parser
  (syntax.py) and checked by our checker (types.py) first, as cel-cpp would.

`KONTAKTCHARTA_CEL=cpp` or `=rust` forces one (the tests run both); otherwise cel-expr-python is
taken where it is installed (and imports), else common-expression-language. Where none will do,
`choose` raises NoRuntime, which the CLI prints as one line (cel/__init__.py).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from .. import limits
from ..model import PLATFORM
from . import PACKAGES, RUNTIMES, candidates, missing, syntax, wanted

Facts = tuple[tuple[str, str], ...]
"""The declared facts, name and type, in declared order."""


@dataclass(frozen=True, slots=True, eq=False)
class RuleProblem:
    """Why a `when` expression cannot be used."""

    line: int
    """1-based line within the expression."""
    column: int
    """1-based column within the expression."""
    message: str
    """What is wrong, in CEL's words without its decoration, plus a hint."""


@dataclass(frozen=True, slots=True, eq=False)
class Compiled:
    """A rule that compiled, within the limits."""

    program: Any
    """The runtime's program."""
    cost: int
    """The steps it may take for one request (limits.RuleShape.cost)."""
    reads: tuple[str, ...]
    """The facts it reads, in declared order, `platform` last."""
    patterns: tuple[str, ...] = ()
    """The patterns of its `matches`, as written in it (limits.RuleShape.patterns)."""


@dataclass(frozen=True, slots=True)
class Missing:
    """A rule could not be evaluated for want of this variable."""

    name: str


class Runtime(Protocol):
    """What a runtime module gives."""

    NAME: str
    """`cpp` or `rust`."""

    def compile(self, facts: Facts, expression: str) -> Compiled | RuleProblem:
        """Parse, check and measure a rule (at most limits.RULE_LENGTH characters)."""

    def listed(self, facts: Facts, expressions: Sequence[str]) -> Any | None:
        """One program giving the list of these compiled rules' values; None where the runtime
        cannot compile it."""

    def arena(self) -> Any:
        """Memory for evaluating, reused between requests (None where there is none)."""

    def activation(self, facts: Facts, values: Mapping[str, Any]) -> Any:
        """The values converted for the runtime once, to share between evaluations."""

    def evaluate(
        self, program: Any, values: Mapping[str, Any], arena: Any = None, activation: Any = None
    ) -> bool | Missing | str:
        """A rule's value: True or False, the variable it lacks, or why it failed."""

    def evaluate_list(
        self, program: Any, values: Mapping[str, Any], arena: Any
    ) -> list[Any] | None:
        """The values of a `listed` program, or None when one of them is open or fails."""


_EXPECTING = re.compile(r" expecting \{[^}]*,[^}]*,[^}]*\}")
_UNDECLARED = re.compile(r"undeclared reference to '([^']*)'")


def explain(message: str, facts: Facts) -> str:
    """CEL's message of a problem, with a hint where one helps."""
    message = _EXPECTING.sub("", message)  # CEL's list of every token it could take
    if _UNDECLARED.match(message):
        message += f" (declared facts: {', '.join([*(name for name, _ in facts), PLATFORM])})"
    elif "(double, int)" in message or "(int, double)" in message:
        message += " (CEL does not mix int and double: write 5.0, not 5, for a double)"
    return message


def beyond(shape: limits.RuleShape) -> RuleProblem | None:
    """The first limit a rule's shape passes, as a problem."""
    found = limits.problem(shape)
    return None if found is None else RuleProblem(1, 1, found)


def unreadable(
    name: str, expression: str, patterns: Sequence[str], reads: Callable[[str], str | None]
) -> RuleProblem | None:
    """The first pattern of a rule's `matches` that the runtime `name` cannot read (`reads`
    gives why, in its words, or None), as a problem at the pattern: refused when the rule is
    checked, where it would fail for every request."""
    for pattern in patterns:
        why = reads(pattern)
        if why is not None:
            line, column = _pattern_place(expression, pattern)
            return RuleProblem(
                line,
                column,
                f"{PACKAGES[name]}, the CEL runtime installed here, cannot read the pattern "
                f"'{pattern}': {why}",
            )
    return None


def _pattern_place(expression: str, pattern: str) -> tuple[int, int]:
    """Where a pattern of a rule's `matches` is written (1-based line and column)."""
    try:
        tree = syntax.parse(expression)
    except syntax.SyntaxProblem:  # pragma: no cover - our parser reads what CEL reads
        return 1, 1
    places: list[int] = []
    nodes = [tree]
    while nodes:
        node = nodes.pop()
        nodes += node.parts
        last = node.parts[-1] if node.parts else None
        if node.name == "matches" and last is not None and last.value == pattern:
            places.append(last.at)
    at = min(places, default=0)  # the first where it is written more than once
    return expression.count("\n", 0, at) + 1, at - (expression.rfind("\n", 0, at) + 1) + 1


def choose(name: str | None = None) -> Runtime:
    """The runtime named (or by KONTAKTCHARTA_CEL), else the first one installed that imports;
    NoRuntime where none will do."""
    forced = wanted(name)
    failures: list[tuple[str, str]] = []
    for runtime in candidates(forced):
        if importlib.util.find_spec(RUNTIMES[runtime]) is None:
            continue
        try:
            importlib.import_module(RUNTIMES[runtime])
        except ImportError as error:  # installed, but it does not load (built for another system)
            failures.append((runtime, str(error)))
            continue
        chosen: Runtime = importlib.import_module(f"{__package__}.{runtime}")
        return chosen
    raise missing(forced, failures)


RUNTIME: Final = choose()
"""The runtime of this process."""
