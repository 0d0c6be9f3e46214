"""CEL rules: check a `when` at build time, evaluate it for a request, name the facts it needs.

A rule evaluates to True, False or None (open: a fact it needs is missing). CEL's commutative logic
decides `false && missing` without the missing fact, so only the expressions that need a fact wait
for it. Simple rules (facts compared with literals, joined by `&&`, `||`, `!`) run as Python
closures with the same three-valued meaning; everything else runs in CEL.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from cel_expr_python import cel  # type: ignore[import-untyped]  # ships cel.pyi, no py.typed

RULE_TYPES: Final[dict[str, cel.Type]] = {
    "bool": cel.Type.BOOL,
    "int": cel.Type.INT,
    "double": cel.Type.DOUBLE,
    "string": cel.Type.STRING,
}
"""CEL type of each fact type a charta may declare."""

PLATFORM: Final = "platform"
"""The variable every rule may read: the platform id of the request."""

Values = Mapping[str, Any]
"""The facts of a request by name, plus `platform` where known."""

Evaluate = Callable[[Values], Any]

_CEL_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*)")
_EXPECTING = re.compile(r" expecting \{[^}]*,[^}]*,[^}]*\}")
_UNDECLARED = re.compile(r"undeclared reference to '([^']*)'")
_MISSING = re.compile(r'No value with name "([^"]+)" found in Activation')


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """Why a `when` expression cannot be used."""

    line: int
    """1-based line within the expression."""
    column: int
    """1-based column within the expression."""
    message: str
    """What is wrong, in CEL's words without its decoration, plus a hint."""


class RuleError(Exception):
    """A rule failed for a request for another reason than a missing fact."""


def _environment(facts: Mapping[str, str], *, without: str | None = None) -> cel.Env:
    return _cached_environment(tuple(facts.items()), without)


@functools.lru_cache(maxsize=64)
def _cached_environment(facts: tuple[tuple[str, str], ...], without: str | None) -> cel.Env:
    variables = {name: RULE_TYPES[kind] for name, kind in facts}
    variables[PLATFORM] = cel.Type.STRING
    variables.pop(without or "", None)
    return cel.NewEnv(variables=variables)


def _first_problem(error: RuntimeError, facts: Mapping[str, str]) -> RuleProblem:
    text = str(error)
    found = _CEL_ERROR.search(text)
    if found is None:
        return RuleProblem(1, 1, text.removeprefix("INVALID_ARGUMENT: ").strip())
    message = found.group(3).removesuffix(" [INVALID_ARGUMENT]").replace(" (in container '')", "")
    message = _EXPECTING.sub("", message)  # CEL's list of every token it could take
    if _UNDECLARED.match(message):
        message += f" (declared facts: {', '.join([*facts, PLATFORM])})"
    elif "(double, int)" in message or "(int, double)" in message:
        message += " (CEL does not mix int and double: write 5.0, not 5, for a double)"
    return RuleProblem(int(found.group(1)), int(found.group(2)), message)


def _compile(
    env: cel.Env, expression: str, facts: Mapping[str, str]
) -> cel.Expression | RuleProblem:
    try:
        program = env.compile(expression)
    except RuntimeError as error:
        return _first_problem(error, facts)
    kind = program.return_type().name().lower()
    if kind != "bool":
        return RuleProblem(1, 1, f"the rule gives {kind}, expected a bool")
    return program


def check_rule(expression: str, facts: Mapping[str, str]) -> RuleProblem | None:
    """Compile `expression` against the declared facts: its first problem, or None when fine."""
    program = _compile(_environment(facts), expression, facts)
    return program if isinstance(program, RuleProblem) else None


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled `when` expression."""

    name: str
    """The criterion id, named in errors."""
    expression: str
    """The CEL source."""
    evaluate: Callable[[Values], bool | None]
    """True, False, or None when a fact it needs is missing; raises RuleError on other failures."""
    native: bool
    """Whether the rule runs as Python closures rather than in CEL."""


class Rules:
    """The `when` expressions of one policy, compiled once."""

    def __init__(
        self, facts: Mapping[str, str], expressions: Mapping[str, str], *, native: bool = True
    ) -> None:
        self._facts = dict(facts)
        self._needs: dict[str, tuple[str, ...]] = {}
        self._rules: dict[str, Rule] = {}
        env = _environment(facts)
        types = {**self._facts, PLATFORM: "string"}
        for name, expression in expressions.items():
            program = _compile(env, expression, facts)
            if isinstance(program, RuleProblem):
                raise RuleError(f"the rule of criterion '{name}' is invalid: {program.message}")
            parsed = _native(expression, types) if native else None
            if parsed is None:
                self._rules[name] = Rule(
                    name, expression, _cel_evaluate(name, program, types), False
                )
            else:
                order = list(types)
                self._needs[name] = tuple(sorted(parsed[1], key=order.index))
                self._rules[name] = Rule(name, expression, parsed[0], True)

    def __getitem__(self, name: str) -> Rule:
        return self._rules[name]

    def __contains__(self, name: object) -> bool:
        return name in self._rules

    def evaluate(self, name: str, values: Values) -> bool | None:
        """The value of one criterion's rule for these facts: True, False or None (open)."""
        return self._rules[name].evaluate(values)

    def needs(self, name: str) -> tuple[str, ...]:
        """The facts the rule reads, in declared order, `platform` last."""
        if name not in self._needs:
            self._needs[name] = self._referenced(self._rules[name].expression)
        return self._needs[name]

    def missing(self, name: str, values: Values) -> tuple[str, ...]:
        """The facts the rule reads that `values` lacks."""
        return tuple(fact for fact in self.needs(name) if fact not in values)

    def _referenced(self, expression: str) -> tuple[str, ...]:
        # For a rule beyond the Python subset, ask CEL: a fact is read when the expression does
        # not compile without it. That handles literals, member names and macro variables.
        found = []
        for fact in [*self._facts, PLATFORM]:
            if not re.search(rf"(?<!\w){re.escape(fact)}(?!\w)", expression):
                continue
            try:
                _environment(self._facts, without=fact).compile(expression)
            except RuntimeError as error:
                if {fact, "." + fact} & set(_UNDECLARED.findall(str(error))):
                    found.append(fact)
        return tuple(found)


def _cel_evaluate(name: str, program: cel.Expression, types: Mapping[str, str]) -> Evaluate:
    def evaluate(values: Values) -> bool | None:
        try:
            result = program.eval(data=values).value()
        except RuntimeError as error:  # a value CEL cannot take; requests are checked before
            raise RuleError(f"the rule of criterion '{name}' failed: {error}") from None
        if result is True or result is False:
            return bool(result)
        missing = _MISSING.search(str(result))
        if missing is not None and missing.group(1) in types and missing.group(1) not in values:
            return None
        detail = str(result).split(": ", 1)[-1]
        raise RuleError(f"the rule of criterion '{name}' failed: {detail}")

    return evaluate


# The Python subset: literals, facts, `!`, `&&`, `||`, comparisons, `in [literals]`, and
# size/contains/startsWith/endsWith on strings, all with operands of one type. CEL has already
# checked the expression; anything outside the subset stays in CEL.

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<double>\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)
    | (?P<int>\d+)
    | (?P<string>"[^"\\\n]*"|'[^'\\\n]*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>&&|\|\||==|!=|<=|>=|[<>!()\[\],.-])
    )""",
    re.VERBOSE,
)
_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_METHODS: Final[dict[str, Callable[[str, str], bool]]] = {
    "contains": operator.contains,
    "startsWith": str.startswith,
    "endsWith": str.endswith,
}


class _Unsupported(Exception):
    """The expression is outside the Python subset."""


@dataclass(frozen=True, slots=True)
class _Node:
    type: str
    """bool, int, double, string, or list:<type> for a list literal."""
    run: Evaluate | None = None
    """Gives the value or None (missing); None for a constant."""
    value: Any = None
    """The constant's value."""
    fact: str | None = None
    """The fact's name, for a bare reference to one."""

    def closure(self) -> Evaluate:
        if self.run is not None:
            return self.run
        value = self.value
        return lambda values: value


def _native(
    expression: str, types: Mapping[str, str]
) -> tuple[Callable[[Values], bool | None], set[str]] | None:
    """The rule as Python closures with the facts it reads, or None outside the subset."""
    try:
        parser = _Parser(expression, types)
        node = parser.parse()
    except _Unsupported:
        return None
    return node.closure(), parser.reads


class _Parser:
    def __init__(self, expression: str, types: Mapping[str, str]) -> None:
        self.types = types
        self.reads: set[str] = set()
        self.tokens: list[tuple[str, str]] = []
        position, end = 0, len(expression.rstrip())
        while position < end:
            match = _TOKEN.match(expression, position)
            if match is None or match.lastgroup is None:
                raise _Unsupported
            self.tokens.append((match.lastgroup, match.group(match.lastgroup)))
            position = match.end()
        self.position = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (text is not None and token[1] != text):
            raise _Unsupported
        self.position += 1
        return token

    def parse(self) -> _Node:
        node = self.logic("||")
        if self.peek()[0] != "end" or node.type != "bool":
            raise _Unsupported
        return node

    def logic(self, op: str) -> _Node:
        parts = [self.logic("&&") if op == "||" else self.relation()]
        while self.peek() == ("op", op):
            self.take()
            parts.append(self.logic("&&") if op == "||" else self.relation())
        return parts[0] if len(parts) == 1 else _logic(op, parts)

    def relation(self) -> _Node:
        node = self.unary()
        while self.peek()[1] in _COMPARE or self.peek() == ("name", "in"):
            op = self.take()[1]
            node = _compare(op, node, self.unary())
        return node

    def unary(self) -> _Node:
        if self.peek() == ("op", "!"):
            self.take()
            return _not(self.unary())
        if self.peek() == ("op", "-"):
            self.take()
            kind, text = self.take()
            if kind not in ("int", "double"):
                raise _Unsupported
            return _Node(kind, value=-int(text) if kind == "int" else -float(text))
        return self.member()

    def member(self) -> _Node:
        node = self.primary()
        while self.peek() == ("op", "."):
            self.take()
            name = self.take()[1]
            self.take("(")
            if name == "size":
                self.take(")")
                node = _size(node)
                continue
            method = _METHODS.get(name)
            argument = self.logic("||")
            self.take(")")
            if method is None or node.type != "string" or argument.type != "string":
                raise _Unsupported
            node = _apply(method, node, argument)
        return node

    def primary(self) -> _Node:
        kind, text = self.take()
        if kind == "int":
            return _Node("int", value=int(text))
        if kind == "double":
            return _Node("double", value=float(text))
        if kind == "string":
            return _Node("string", value=text[1:-1])
        if kind == "name" and text in ("true", "false"):
            return _Node("bool", value=text == "true")
        if (kind, text) == ("name", "size") and self.peek() == ("op", "("):
            self.take()
            node = self.logic("||")
            self.take(")")
            return _size(node)
        if kind == "name" and text in self.types:
            self.reads.add(text)
            return _Node(self.types[text], run=operator.methodcaller("get", text), fact=text)
        if (kind, text) == ("op", "("):
            node = self.logic("||")
            self.take(")")
            return node
        if (kind, text) == ("op", "["):
            items = [self.unary()]
            while self.peek() == ("op", ","):
                self.take()
                items.append(self.unary())
            self.take("]")
            kinds = {item.type for item in items}
            if len(kinds) != 1 or any(item.run is not None for item in items):
                raise _Unsupported
            return _Node(f"list:{kinds.pop()}", value=frozenset(item.value for item in items))
        raise _Unsupported


def _size(node: _Node) -> _Node:
    """`size()` of a string: its length in code points, as in CEL."""
    if node.type != "string":
        raise _Unsupported
    if node.run is None:
        return _Node("int", value=len(node.value))
    inner = node.run

    def run(values: Values) -> int | None:
        value = inner(values)
        return None if value is None else len(value)

    return _Node("int", run=run)


def _not(node: _Node) -> _Node:
    if node.type != "bool":
        raise _Unsupported
    if node.run is None:
        return _Node("bool", value=not node.value)
    inner = node.run

    def run(values: Values) -> bool | None:
        value = inner(values)
        return None if value is None else not value

    return _Node("bool", run=run)


def _logic(op: str, parts: list[_Node]) -> _Node:
    if any(part.type != "bool" for part in parts):
        raise _Unsupported
    # `&&` is decided by one false operand, `||` by one true one, whatever the others are.
    decisive = op == "||"
    if any(part.run is None and part.value is decisive for part in parts):
        return _Node("bool", value=decisive)
    runs = [part.run for part in parts if part.run is not None]
    if not runs:
        return _Node("bool", value=not decisive)
    run = runs[-1]
    for part in reversed(runs[:-1]):  # Kleene's && and || are associative: nest pairs
        run = _either(part, run) if decisive else _both(part, run)
    return _Node("bool", run=run)


def _both(first: Evaluate, second: Evaluate) -> Evaluate:
    def run(values: Values) -> bool | None:
        a = first(values)
        if a is False:
            return False
        b = second(values)
        if b is False:
            return False
        return None if a is None or b is None else True

    return run


def _either(first: Evaluate, second: Evaluate) -> Evaluate:
    def run(values: Values) -> bool | None:
        a = first(values)
        if a is True:
            return True
        b = second(values)
        if b is True:
            return True
        return None if a is None or b is None else False

    return run


def _compare(op: str, left: _Node, right: _Node) -> _Node:
    if op == "in":
        if right.type != f"list:{left.type}" or right.run is not None:
            raise _Unsupported
        return _apply(_is_in, left, right)
    if left.type != right.type or left.type not in ("bool", "int", "double", "string"):
        raise _Unsupported
    return _apply(_COMPARE[op], left, right)


def _is_in(item: Any, items: frozenset[Any]) -> bool:
    return item in items


def _test_fact(function: Callable[[Any, Any], bool], name: str, constant: Any) -> Evaluate:
    """`fact <op> literal` in one call; the commonest tests spelled out, as they are hot."""
    if function is operator.eq:

        def equal(values: Values) -> bool | None:
            value = values.get(name)
            return None if value is None else value == constant

        return equal
    if function is _is_in:

        def is_in(values: Values) -> bool | None:
            value = values.get(name)
            return None if value is None else value in constant

        return is_in

    def test(values: Values) -> bool | None:
        value = values.get(name)
        return None if value is None else function(value, constant)

    return test


def _apply(function: Callable[[Any, Any], bool], left: _Node, right: _Node) -> _Node:
    """A bool node `function(left, right)`, missing if either operand is."""
    if left.run is None and right.run is None:
        return _Node("bool", value=function(left.value, right.value))
    if left.fact is not None and right.run is None:
        return _Node("bool", run=_test_fact(function, left.fact, right.value))
    get_first, get_second = left.closure(), right.closure()

    def run(values: Values) -> bool | None:
        a = get_first(values)
        b = get_second(values)
        return None if a is None or b is None else function(a, b)

    return _Node("bool", run=run)
