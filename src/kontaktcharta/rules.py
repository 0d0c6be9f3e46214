"""CEL rules: check a `when` at build time, evaluate it for a request, name the facts it needs.

A rule evaluates to True, False or None (open: a fact it needs is missing). CEL's commutative logic
decides `false && missing` without the missing fact, so only the expressions that need a fact wait
for it. Every rule is evaluated by the CEL runtime.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from . import limits
from .cel import runtime as _cel
from .cel.runtime import Compiled, Missing, RuleProblem
from .model import PLATFORM
from .portable_rules import Construct, constructs, constructs_in_text
from .references import NotChecked

__all__ = ["RuleError", "RuleGroup", "RuleProblem", "Rules", "check_rule", "rule_cost"]

Values = Mapping[str, Any]
"""The facts of a request by name, plus `platform` where known."""


class RuleError(Exception):
    """A rule failed for a request for another reason than a missing fact."""


_KEPT_CHARACTERS: Final = 500_000
"""The compiled rules kept, by the length of their source together (a compiled rule takes about
140 bytes per character): checking a policy and then deciding by it compiles once, and reading
many policies in one process keeps some tens of MiB at the most."""
_compiled: dict[tuple[str, tuple[tuple[str, str], ...], str], Compiled | RuleProblem] = {}
_kept = [0]  # the characters of the rules in _compiled


def _compile(facts: Mapping[str, str], expression: str) -> Compiled | RuleProblem:
    runtime = _cel.RUNTIME
    key = (runtime.NAME, tuple(facts.items()), expression)
    found = _compiled.get(key)
    if found is None:
        if len(expression) > limits.RULE_LENGTH:  # before CEL parses it
            found = RuleProblem(1, 1, limits.too_long(expression))
        else:
            found = runtime.compile(key[1], expression)
        if _kept[0] + len(expression) > _KEPT_CHARACTERS:
            _compiled.clear()
            _kept[0] = 0
        _compiled[key] = found
        _kept[0] += len(expression)
    return found


def check_rule(expression: str, facts: Mapping[str, str]) -> RuleProblem | None:
    """Compile `expression` against the declared facts: its first problem, or None when fine."""
    program = _compile(facts, expression)
    return program if isinstance(program, RuleProblem) else None


def rule_cost(expression: str, facts: Mapping[str, str]) -> int:
    """The steps a rule that compiles may take for one request (limits.RuleShape.cost)."""
    compiled = _compile(facts, expression)
    return 0 if isinstance(compiled, RuleProblem) else compiled.cost


def rule_patterns(expression: str, facts: Mapping[str, str]) -> tuple[str, ...]:
    """The patterns of the `matches` of a rule that compiles, as written in it."""
    compiled = _compile(facts, expression)
    return () if isinstance(compiled, RuleProblem) else compiled.patterns


def rule_constructs(expression: str, facts: Mapping[str, str]) -> list[Construct]:
    """The parts of a rule that compiles that JavaScript readers refuse or run differently
    (portable_rules.py)."""
    compiled = _compile(facts, expression)
    if isinstance(compiled, RuleProblem):
        return []
    serialize = getattr(compiled.program, "serialize", None)
    if serialize is None:  # the other runtime keeps no checked tree: what the text shows
        return constructs_in_text(expression)
    try:
        return constructs(expression, serialize(), facts)
    except NotChecked:  # pragma: no cover - CEL's own output
        return []


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One compiled `when` expression."""

    name: str
    """The criterion id, named in errors."""
    expression: str
    """The CEL source."""
    program: Any
    """The compiled expression (the runtime's program)."""
    needs: tuple[str, ...]
    """The facts it reads, in declared order, `platform` last."""
    cost: int
    """The steps it may take for one request (limits.RuleShape.cost)."""


class Rules:
    """The `when` expressions of one policy, compiled once by the process's CEL runtime."""

    def __init__(self, facts: Mapping[str, str], expressions: Mapping[str, str]) -> None:
        self.runtime = _cel.RUNTIME
        self._facts = tuple(facts.items())
        self._variables = frozenset([*facts, PLATFORM])
        self._rules: dict[str, Rule] = {}
        self._lists: dict[tuple[str, ...], Any] = {}
        for name, expression in expressions.items():
            compiled = _compile(facts, expression)
            if isinstance(compiled, RuleProblem):
                raise RuleError(f"the rule of criterion '{name}' is invalid: {compiled.message}")
            self._rules[name] = Rule(
                name, expression, compiled.program, compiled.reads, compiled.cost
            )

    def __getitem__(self, name: str) -> Rule:
        return self._rules[name]

    def __contains__(self, name: object) -> bool:
        return name in self._rules

    def activation(self, values: Values) -> Any:
        """The request's values converted for CEL once, to share between evaluations."""
        return self.runtime.activation(self._facts, values)

    def evaluate(
        self,
        name: str,
        values: Values,
        activation: Any = None,
        *,
        arena: Any = None,
    ) -> bool | None:
        """The value of one criterion's rule for these facts: True, False or None (open)."""
        result = self.runtime.evaluate(self._rules[name].program, values, arena, activation)
        if result is True or result is False:
            return result
        if type(result) is Missing:
            if result.name in self._variables and result.name not in values:
                return None
            result = f"no value with name {result.name!r}"
        raise RuleError(f"the rule of criterion '{name}' failed: {result}")

    def needs(self, name: str) -> tuple[str, ...]:
        """The facts the rule reads, in declared order, `platform` last."""
        return self._rules[name].needs

    def group(self, names: Iterable[str]) -> RuleGroup:
        """These rules, to evaluate together for a request."""
        return RuleGroup(self, tuple(names))

    def listed(self, names: tuple[str, ...]) -> Any:
        """One CEL program giving the list of these rules' values; compiled once. None where
        CEL cannot compile the list (a rule nested as deep as its parser goes on its own)."""
        if names in self._lists:
            return self._lists[names]
        listed = sum(map(len, self._lists)) + len(names)
        if len(self._lists) >= _PROGRAMS or listed > _LISTED_RULES:
            self._lists.clear()
        expressions = [self._rules[name].expression for name in names]
        program = self.runtime.listed(self._facts, expressions)
        self._lists[names] = program
        return program


_PROGRAMS: Final = 1024
"""At most this many combined programs (or shapes of a group) are kept; then they start over."""
_LISTED_RULES: Final = 20_000
"""At most this many rules in the CEL lists kept (about 3 KB each once compiled), in `Rules`
and in the shapes of each group: a group of thousands of rules keeps fewer shapes, so that what
is kept stays small whatever the requests."""

_ARENA_USES: Final = 128
"""Requests a group evaluates in one CEL arena (CEL's memory for evaluating), then it takes a new
one. Reusing the memory is quicker than a fresh arena for every call; an arena frees nothing
until it goes, so it is not kept for long."""
_ARENA_STEPS: Final = 100_000
"""The steps (limits.RuleShape.cost) an arena serves at most: a group of costly rules takes a
new arena sooner, so that what an arena holds stays small whatever the policy."""


Result = bool | None | RuleError
"""A rule's value for a request: True, False, None (open), or why it failed."""


@dataclass(slots=True, eq=False)
class Shape:
    """How a group is evaluated for the requests that give one set of facts."""

    given: frozenset[str]
    """The names of the facts given (and `platform`, where the request names it)."""
    read: tuple[int, ...]
    """The rules that read a given fact: `complete`, then those of `partial`."""
    everything: Any
    """Those rules as one CEL list: tried first, as most requests leave none of them open.
    Compiled for the second request of this shape: one request alone (a build checking its
    examples) is quicker rule by rule than compiling thousands of rules again as a list."""
    complete: tuple[int, ...]
    """The rules whose facts are all given: CEL decides each of them."""
    partial: tuple[tuple[int, tuple[str, ...]], ...]
    """The rules that read given facts and missing ones, each with the given facts it reads: CEL's
    commutative logic may leave them open, so when the list fails, each runs on its own."""
    unread: tuple[Result, ...]
    """The values of the rules that read no given fact, in the group's order."""
    places: tuple[int, ...]
    """Where each rule's value is (in the group's order) among the values of the rules read,
    then `unread`."""
    met: bool = False
    """Whether a request of this shape came before."""

    def results(self, read: Sequence[Result]) -> tuple[Result, ...]:
        """Every rule's value, in the group's order, from the values of the rules it read."""
        found = (*read, *self.unread)
        return tuple(found[place] for place in self.places)


class RuleGroup:
    """Rules evaluated together for a request (the accept and decline criteria on a platform).

    The rules that read a given fact run first as one compiled CEL list, converting the request
    for CEL once. The list fails as a whole when one of them is open or fails; then the rules
    whose facts the request all gives run as one list (one by one if that fails too, to name the
    rule), and each of the others on its own with only the facts it reads, so that CEL's
    commutative logic decides it or leaves it open. A rule none of whose facts is given reads
    nothing from the request: CEL evaluates it once for all requests that lack those facts.
    """

    def __init__(self, rules: Rules, names: tuple[str, ...]) -> None:
        self.names = names
        """The rules, in the order of the values a Shape's `results` gives."""
        self._rules = rules
        self._shapes: dict[frozenset[str], Shape] = {}
        self._orders: dict[tuple[str, ...], Shape] = {}  # the same, by the order a request gives
        self._most = max(4, min(_PROGRAMS, _LISTED_RULES // max(1, len(names))))
        """The most shapes kept (each may hold a CEL list of the group's rules)."""
        self._new_arena = rules.runtime.arena
        self._values = rules.runtime.evaluate_list
        self._arena = self._new_arena()
        steps = sum(rules[name].cost for name in names)
        self._arena_uses = max(1, min(_ARENA_USES, _ARENA_STEPS // max(steps, 1)))
        self._uses = self._arena_uses

    def evaluate(self, values: Values) -> tuple[Shape, Sequence[Result]]:
        """The shape of a request's values, and the values of the rules that read one of them,
        in the order of `read`. A failed rule gives the RuleError that names it, to raise where
        it matters."""
        order = tuple(values)
        shape = self._orders.get(order) or self._shape(order)  # self.shape(values), inline
        self._uses -= 1
        if self._uses <= 0:
            self._arena, self._uses = self._new_arena(), self._arena_uses
        program = shape.everything
        if program is None:
            if not shape.read:
                return shape, ()
            if not shape.met:
                shape.met = True
                return shape, self._each(shape, values, listing=False)
            program = shape.everything = self._rules.listed(
                tuple(self.names[i] for i in shape.read)
            )
            if program is None:
                return shape, self._each(shape, values, listing=False)
        found = self._values(program, values, self._arena)
        if found is not None:
            return shape, found
        return shape, self._each(shape, values, listing=True)

    def _each(self, shape: Shape, values: Values, listing: bool) -> list[Result]:
        """The values of the rules read, for when their list fails, or for a shape met once
        (`listing` False): no CEL list is compiled for it."""
        found = None
        if listing and shape.partial and len(shape.complete) > 1:  # only a partial rule open?
            program = self._rules.listed(tuple(self.names[i] for i in shape.complete))
            found = None if program is None else self._list(program, values)
        if found is None:  # or a rule fails: one by one, to name it
            found = [self._one(index, values) for index in shape.complete]
        for index, names in shape.partial:  # with only the facts it reads: fewer to convert
            found.append(self._one(index, {name: values[name] for name in names}))
        return found

    def _list(self, program: Any, values: Values) -> list[Result] | None:
        """The values of a list of rules, or None when one of them is open or fails."""
        return self._values(program, values, self._arena)

    def shape(self, values: Values) -> Shape:
        """How the group is evaluated for requests that give these values' names."""
        order = tuple(values)
        return self._orders.get(order) or self._shape(order)

    def _one(self, index: int, values: Values) -> Result:
        try:
            return self._rules.evaluate(self.names[index], values, arena=self._arena)
        except RuleError as error:
            return error

    def _shape(self, order: tuple[str, ...]) -> Shape:
        given = frozenset(order)
        shape = self._shapes.get(given)
        if shape is None:
            shape = self._new_shape(given)
        if len(self._orders) >= self._most:
            self._orders.clear()
            self._shapes.clear()
        self._shapes[given] = self._orders[order] = shape
        return shape

    def _new_shape(self, given: frozenset[str]) -> Shape:
        complete: list[int] = []
        partial: list[tuple[int, tuple[str, ...]]] = []
        unread: dict[int, Result] = {}  # the rules that read only missing facts, with their value
        for index, name in enumerate(self.names):
            needs = self._rules.needs(name)
            if given.issuperset(needs):
                complete.append(index)
            elif given.isdisjoint(needs):
                unread[index] = self._one(index, {})
            else:
                partial.append((index, tuple(fact for fact in needs if fact in given)))
        read = (*complete, *(index for index, _ in partial))
        places = {index: place for place, index in enumerate([*read, *unread])}
        return Shape(
            given,
            read,
            None,
            tuple(complete),
            tuple(partial),
            tuple(unread.values()),
            tuple(places[index] for index in range(len(self.names))),
        )
