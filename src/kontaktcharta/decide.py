"""Deciding a contact request, quickly: the policy compiled once, then many requests decided.

This is the fast path. The reference, which reads like the format's rules step by step, is
reference.py; tests hold the two equal on random policies and requests. Every criterion has a
value in three-valued logic: True, False or None (open). A `when` is open while a fact it needs
is missing; a judgement criterion while `judgements` lacks it; and a criterion bound to
platforms "applies" with an open value while the request names no platform. What a side's
values come to is worked out once for those values and looked up afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, TypeVar

from .decision import Decision, Question, Questions
from .messages import DeclineMessages
from .model import PLATFORM, Charta
from .request import RequestError, RequestReader
from .rules import Result, Rule, RuleError, RuleGroup, Rules, Shape

__all__ = ["Decision", "Policy", "Question", "RequestError", "decide", "load_policy"]

_REMEMBERED: Final = 4096
"""At most this many parts of decisions are kept per table; then it starts over."""
_KEY_VALUES: Final = 250_000
"""At most this many values in the keys of one table together: a policy of thousands of criteria
keeps fewer of its long keys, so what is kept stays small whatever the policy."""


@dataclass(frozen=True, slots=True, eq=False)
class CompiledCriterion:
    """A criterion as deciding needs it."""

    id: str
    """The criterion id."""
    rule: Rule | None
    """The compiled `when`; None for a judgement criterion."""
    platforms: frozenset[str] | None
    """Where the criterion applies; everywhere when None."""


Step = tuple[str, int, bool]
"""A criterion to evaluate: its id, its index among the plan's rules and then its judgements,
whether its applying is open."""
Open = tuple[str, bool, "bool | None"]
"""An undecided criterion: its id, whether its applying is open, its value."""
Row = tuple[Result, ...]
"""The values of a plan's criteria for one request: of the rules read, of those not read (both
as the request's Shape has them), then of the judgements."""
Values = tuple[Result, ...]
"""The values of one side's criteria (decline or accept), in charta order."""
Picker = Callable[[Row], Values]
"""Takes one side's values from a row."""
_Value = TypeVar("_Value")


@dataclass(frozen=True, slots=True, eq=False)
class Side:
    """What the values of one side's criteria come to; the same values always come to the same."""

    reasons: tuple[str, ...]
    """The criteria that hold (T), in charta order."""
    holds: bool | None
    """Whether the side holds: for the decline side, whether any criterion does."""
    needs: frozenset[str]
    """The facts the open rules read (the request may give some of them)."""
    asks: frozenset[str]
    """The open judgement criteria."""
    unsure: bool
    """Whether the platform would settle something: a criterion's applying is open, or (under
    `match: all`) whether any accept criterion applies."""
    accept: Decision | None
    """The accept decision, where the accept side holds."""
    unmet: tuple[str, ...] = ()
    """Under `match: all`, the applicable accept criteria that are false, in charta order."""


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """The criteria that may apply on one platform (or when the platform is unknown)."""

    accept: tuple[Step, ...]
    """Accept criteria, in charta order."""
    decline: tuple[Step, ...]
    """Decline criteria but the `otherwise` one, in charta order."""
    rules: RuleGroup
    """The rules of these criteria, decline then accept, evaluated together."""
    applies: bool | None
    """Whether an accept criterion applies: surely, perhaps (None), or none does."""
    judged: tuple[str, ...]
    """The judgement criteria among them, in the order of their values in a row."""
    keys: dict[frozenset[str], tuple[Picker, Picker]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """How to take the decline and the accept side's values from a row, by the facts a request
    gives (its Shape's `given`: the shape itself would keep its CEL list alive), as they are
    met."""
    accepts: dict[Values, Side] = field(default_factory=dict, compare=False, repr=False)
    """The accept side by its criteria's values, as they are met."""
    declines: dict[Values, Side] = field(default_factory=dict, compare=False, repr=False)
    """The decline side by its criteria's values, as they are met."""
    declined: dict[tuple[str, ...] | tuple[tuple[str, ...], tuple[str, ...]], Decision] = field(
        default_factory=dict, compare=False, repr=False
    )
    """A decline without the requester's name, by its reasons (and its unmet criteria, where
    there are any), as they are met."""


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    """A policy compiled for deciding: rules, request checks and per-platform criterion lists."""

    charta: Charta
    """The policy as read (or built), in the main language."""
    match: str
    """How the accept criteria combine: any or all."""
    platforms: dict[str, str]
    """Platform names by id, in declared order."""
    rules: Rules
    """The compiled `when` expressions by criterion id."""
    criteria: dict[str, CompiledCriterion]
    """Every criterion by id, accept then decline, in charta order."""
    requests: RequestReader
    """Checks each request against the policy."""
    questions: Questions
    """What a review may ask."""
    messages: DeclineMessages
    """The decline messages, prepared."""
    plans: dict[str | None, Plan]
    """The criteria to evaluate by platform id, and for a request without platform (None)."""
    fallback: tuple[str, ...]
    """The reasons of a decline because the accept criteria cannot hold: `otherwise`, or none."""
    reviews: dict[tuple[frozenset[str], frozenset[str], bool], Decision] = field(
        default_factory=dict, compare=False, repr=False
    )
    """A review by the facts it asks for, the judgements it asks for and whether it asks for the
    platform, as they are met."""

    @property
    def lang(self) -> str:
        """BCP 47 tag of the texts."""
        return self.charta.lang

    @classmethod
    def from_json(cls, data: Any, *, file: str = "charta.json") -> Policy:
        """Check a JSON policy and compile it; a ChartaError names what does not fit."""
        from .policy_reader import read_policy

        return cls.of(read_policy(data, file))

    @classmethod
    def of(cls, charta: Charta) -> Policy:
        """Compile a charta's policy; a RuleError names a rule that does not compile."""
        platforms = {p.id: p.name for p in charta.platforms}
        everything = charta.criteria
        whens = {c.id: c.when for c in everything if c.when is not None}
        rules = Rules({fact.name: fact.type for fact in charta.facts}, whens)
        criteria = {
            c.id: CompiledCriterion(
                c.id,
                rules[c.id] if c.id in whens else None,
                _bound(c.platforms, platforms),
            )
            for c in everything
        }
        otherwise = charta.fallback[0] if charta.fallback else None
        accept = [criteria[c.id] for c in charta.accept.criteria]
        decline = [criteria[c.id] for c in charta.decline.criteria if c.id != otherwise]
        plans = {}
        for platform in [None, *platforms]:
            ruled: list[str] = []
            judged: list[str] = []
            declines = _steps(decline, platform, ruled, judged)
            accepts = _steps(accept, platform, ruled, judged)
            place = {id_: index for index, id_ in enumerate([*ruled, *judged])}
            declines = tuple((id_, place[id_], unsure) for id_, _, unsure in declines)
            accepts = tuple((id_, place[id_], unsure) for id_, _, unsure in accepts)
            applies = any(not unsure for *_, unsure in accepts) or (None if accepts else False)
            plans[platform] = Plan(accepts, declines, rules.group(ruled), applies, tuple(judged))
        reads_platform = any(PLATFORM in rules.needs(name) for name in whens)
        return cls(
            charta=charta,
            match=charta.accept.match,
            platforms=platforms,
            rules=rules,
            criteria=criteria,
            requests=RequestReader(charta, reads_platform),
            questions=Questions(charta),
            messages=DeclineMessages.of(charta),
            plans=plans,
            fallback=charta.fallback,
        )


def _bound(platforms: Sequence[str] | None, declared: Mapping[str, str]) -> frozenset[str] | None:
    """The platforms a criterion is bound to; None when it applies on every declared one."""
    if platforms is None or (declared and set(platforms) >= set(declared)):
        return None
    return frozenset(platforms)


def _steps(
    criteria: list[CompiledCriterion], platform: str | None, names: list[str], judged: list[str]
) -> tuple[Step, ...]:
    """The criteria that may apply on a platform, their index not yet known (-1); adds the ids of
    those with a rule to `names`, of the others to `judged`."""
    steps: list[Step] = []
    for criterion in criteria:
        bound = criterion.platforms
        if bound is not None and platform is not None and platform not in bound:
            continue
        (names if criterion.rule is not None else judged).append(criterion.id)
        steps.append((criterion.id, -1, bound is not None and platform is None))
    return tuple(steps)


def _picker(indices: Sequence[int]) -> Picker:
    """Takes the values at these indices from a row, as a tuple."""
    if len(indices) > 1:
        return itemgetter(*indices)
    if indices:
        index = indices[0]
        return lambda row: (row[index],)
    return lambda row: ()


def load_policy(path: Path) -> Policy:
    """Read, check and compile `charta.json`; a ChartaError says what is wrong with the file."""
    from .policy_reader import load_policy_file

    return Policy.of(load_policy_file(path))


def decide(policy: Policy, request: Mapping[str, Any], name: str | None = None) -> Decision:
    """Decide a request: accept, decline or review (docs/format.md, "Deciding a request")."""
    platform, values, judgements = policy.requests.read(request)
    plan = policy.plans[platform]
    shape, read = plan.rules.evaluate(values)  # every rule that may apply, mostly in one CEL call
    row = (*read, *shape.unread, *map(judgements.get, plan.judged))
    given = shape.given  # not the shape: a table of its own must not keep what the group drops
    keys = plan.keys.get(given) or _remember(plan.keys, given, _keys(plan, shape), len(row))
    decline_key, accept_key = keys

    # What a side's values come to is worked out once for those values, then looked up: there
    # are only so many (three values per criterion), and every rule above ran for this request.
    key = decline_key(row)
    declines = plan.declines.get(key) or _remember(plan.declines, key, _declines(policy, plan, key))
    if declines.holds:  # every decline reason is known; the accept rules cannot change it
        return _decline(policy, plan, declines.reasons, name, platform)
    key = accept_key(row)
    accepts = plan.accepts.get(key) or _remember(plan.accepts, key, _accepts(policy, plan, key))
    if accepts.accept is not None and declines.holds is False:
        return accepts.accept
    if accepts.holds is False:
        return _decline(policy, plan, policy.fallback, name, platform, accepts.unmet)

    needs, asks, unsure = declines.needs, declines.asks, declines.unsure
    if accepts.holds is None:  # their questions count too
        needs, asks, unsure = needs | accepts.needs, asks | accepts.asks, unsure or accepts.unsure
    review = (needs - shape.given, asks, unsure)
    return policy.reviews.get(review) or _remember(
        policy.reviews, review, policy.questions.review(*review)
    )


def _keys(plan: Plan, shape: Shape) -> tuple[Picker, Picker]:
    """Take each side's values, in charta order, from a request's row: the values of the rules
    read, of those not read (`shape.unread`), then of the judgements."""
    rules = len(shape.places)
    row = [*shape.places, *range(rules, rules + len(plan.judged))]  # where each value is
    decline = _picker([row[index] for _, index, _ in plan.decline])
    return decline, _picker([row[index] for _, index, _ in plan.accept])


def _declines(policy: Policy, plan: Plan, values: Values) -> Side:
    """The decline side: the criteria that hold, or what is open."""
    reasons: list[str] = []
    open_: list[Open] = []
    for (id_, _, unsure), value in zip(plan.decline, values, strict=True):
        if value is True and not unsure:
            reasons.append(id_)
        elif value is not False:  # open: the value, or whether it applies here; or failed
            open_.append((id_, unsure, _open(value)))
    return _side(policy, reasons, True if reasons else None if open_ else False, open_)


def _accepts(policy: Policy, plan: Plan, values: Values) -> Side:
    """The accept side: whether it holds (T, F or open), the criteria that hold, what is open."""
    accepts: list[str] = []
    undecided: list[Open] = []
    holds: bool | None
    platform_open = False
    unmet: list[str] = []
    if policy.match == "all":
        # Every applicable one holds, and at least one applies (plan.applies: True/None/False).
        for (id_, _, unsure), value in zip(plan.accept, values, strict=True):
            if value is True:
                if not unsure:
                    accepts.append(id_)
            elif value is False and not unsure:
                unmet.append(id_)
            else:  # open, or false where it may not apply
                undecided.append((id_, unsure, _open(value)))
        if unmet or plan.applies is False:
            holds = False
        elif not undecided and plan.applies:
            holds = True
        else:
            holds = None
            platform_open = plan.applies is None
    else:
        for (id_, _, unsure), value in zip(plan.accept, values, strict=True):
            if value is True and not unsure:
                accepts.append(id_)
            elif value is not False:
                undecided.append((id_, unsure, _open(value)))
        holds = True if accepts else None if undecided else False
    accept = Decision("accept", tuple(accepts)) if holds else None
    return _side(policy, accepts, holds, undecided, platform_open, accept, tuple(unmet))


def _side(
    policy: Policy,
    reasons: list[str],
    holds: bool | None,
    open_: list[Open],
    unsure: bool = False,
    accept: Decision | None = None,
    unmet: tuple[str, ...] = (),
) -> Side:
    """A side, with what its open criteria would ask."""
    needs: set[str] = set()
    asks: set[str] = set()
    for id_, bound, value in open_:
        unsure = unsure or bound
        if value is not None:
            continue
        if id_ in policy.questions.judgements:
            asks.add(id_)
        else:
            needs.update(policy.rules.needs(id_))
    return Side(tuple(reasons), holds, frozenset(needs), frozenset(asks), unsure, accept, unmet)


def _remember(table: dict[Any, _Value], key: Hashable, value: _Value, size: int = 0) -> _Value:
    """Keep `value` under `key` in a table of limited size: fewer of large ones (a long tuple as
    the key, or a value of `size` values)."""
    most = _REMEMBERED
    size = len(key) if type(key) is tuple else size
    if size > _KEY_VALUES // _REMEMBERED:
        most = max(16, _KEY_VALUES // size)
    if len(table) >= most:
        table.clear()
    table[key] = value
    return value


def _open(value: Result) -> bool | None:
    """The value of a criterion that did not hold; a rule that failed is raised here."""
    if isinstance(value, RuleError):
        raise value.with_traceback(None)  # the same error may be raised for many requests
    return value


def _decline(
    policy: Policy,
    plan: Plan,
    reasons: tuple[str, ...],
    name: str | None,
    platform: str | None,
    unmet: tuple[str, ...] = (),
) -> Decision:
    messages = policy.messages
    if name and messages.answered(reasons):  # with the requester's name, made for this request
        message = messages.render(reasons, name, platform, unmet)
        return Decision("decline", reasons, unmet, message=message)
    key = (reasons, unmet) if unmet else reasons  # a tuple of ids, or a pair of them
    decision = plan.declined.get(key)
    if decision is None:
        if messages.answered(reasons):
            answer = messages.render(reasons, None, platform, unmet)
            decision = Decision("decline", reasons, unmet, message=answer)
        else:  # ignored: no message
            decision = Decision("decline", reasons, unmet, reply=False)
        decision = _remember(plan.declined, key, decision)
    return decision
