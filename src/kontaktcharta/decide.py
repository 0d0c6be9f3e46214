"""Deciding a contact request from the JSON policy alone (FORMAT.md section 4, docs/deciding.md).

Every criterion has a value in three-valued logic: True, False or None (open). A `when` is open
while a fact it needs is missing; a judgement criterion while `judgements` lacks it; and a
criterion bound to platforms "applies" with an open value while the request names no platform.
"""

from __future__ import annotations

import builtins
import json
import math
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from .errors import ChartaError, Problem
from .lang import primary
from .messages import DeclineMessages
from .rules import (
    PLATFORM,
    RULE_TYPES,
    Result,
    Rule,
    RuleError,
    RuleGroup,
    Rules,
    Shape,
    check_rule,
)

QuestionKind = Literal["fact", "judgement", "platform"]
Outcome = Literal["accept", "decline", "review"]

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_REQUEST_KEYS: Final = frozenset({"platform", "facts", "judgements"})
_EXPECTED: Final = {
    "bool": "a bool (true or false)",
    "int": "an int (a whole number)",
    "double": "a double (a number)",
    "string": "a string",
}
_PYTHON_TYPES: Final = {"bool": bool, "int": int, "double": float, "string": str}
_PLATFORM_QUESTION: Final = {
    "de": "Über welche Plattform kam die Anfrage?",
    "en": "On which platform did the request arrive?",
}
_NOTHING: Final[Mapping[str, Any]] = {}
_REMEMBERED: Final = 4096
"""At most this many parts of decisions are kept per table; then it starts over."""


class RequestError(Exception):
    """A request that does not fit the policy; says which key and what was expected."""


@dataclass(frozen=True, slots=True)
class Question:
    """Something a person could answer to settle a review."""

    kind: QuestionKind
    """fact, judgement or platform."""
    name: str
    """The fact's name, the criterion id, or `platform`."""
    question: str
    """The fact's question, the criterion's plain text, or which platform, listing them."""

    def to_json(self) -> dict[str, str]:
        """The question as JSON: kind, name, question."""
        return {"kind": self.kind, "name": self.name, "question": self.question}


@dataclass(frozen=True, slots=True)
class Decision:
    """What the policy says about one request."""

    decision: Outcome
    """accept, decline or review."""
    reasons: tuple[str, ...] = ()
    """The criterion ids behind an accept or a decline, in charta order."""
    questions: tuple[Question, ...] = ()
    """What is still open, for a review."""
    message: str | None = None
    """The decline message, for a decline."""

    def to_json(self) -> dict[str, Any]:
        """The decision as JSON: decision, reasons, questions, message."""
        return {
            "decision": self.decision,
            "reasons": list(self.reasons),
            "questions": [question.to_json() for question in self.questions],
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion as deciding needs it."""

    id: str
    """The criterion id."""
    rule: Rule | None
    """The compiled `when`; None for a judgement criterion."""
    platforms: frozenset[str] | None
    """Where the criterion applies; everywhere when None."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A declared fact as a request must give it."""

    type: str
    """bool, int, double or string."""
    python: builtins.type
    """The Python type of a value that needs no conversion (float for a double)."""
    values: tuple[Any, ...] | None
    """The allowed values, where fixed."""
    question: Question
    """Asks a person for the fact."""
    fits: frozenset[Any] | None
    """Values of the type `python` that are taken as they are: the allowed values, or true and
    false; None where any value of the type is checked by itself."""


Step = tuple[str, int, bool]
"""A criterion to evaluate: its id, its index among the plan's rules and then its judgements,
whether its applying is open."""
Open = tuple[str, bool, "bool | None"]
"""An undecided criterion: its id, whether its applying is open, its value."""
Row = tuple[Result, ...]
"""The values of a plan's criteria for one request: of the rules read, of those not read (both
as the request's Shape has them), then of the judgements."""
Key = tuple[Result, ...]
"""The values of one side's criteria (decline or accept), in charta order."""
Picker = Callable[[Row], Key]
"""Takes one side's values from a row."""
_Value = TypeVar("_Value")


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    keys: dict[Shape, tuple[Picker, Picker]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """How to take the decline and the accept side's values from a row, by the Shape of the
    request, as they are met."""
    accepts: dict[Key, Side] = field(default_factory=dict, compare=False, repr=False)
    """The accept side by its criteria's values, as they are met."""
    declines: dict[Key, Side] = field(default_factory=dict, compare=False, repr=False)
    """The decline side by its criteria's values, as they are met."""
    declined: dict[tuple[str, ...], Decision] = field(
        default_factory=dict, compare=False, repr=False
    )
    """A decline without the requester's name, by its reasons, as they are met."""


@dataclass(frozen=True, slots=True)
class Policy:
    """A JSON policy compiled for deciding: rules, facts and per-platform criterion lists."""

    data: Mapping[str, Any]
    """The JSON policy as read."""
    lang: str
    """BCP 47 tag of the texts."""
    match: str
    """How the accept criteria combine: any or all."""
    platforms: dict[str, str]
    """Platform names by id, in declared order."""
    facts: dict[str, Fact]
    """Declared facts by name, in declared order."""
    rules: Rules
    """The compiled `when` expressions by criterion id."""
    criteria: dict[str, Criterion]
    """Every criterion by id, accept then decline, in charta order."""
    otherwise: str | None
    """The id of the `otherwise` criterion, if there is one."""
    judgeable: dict[str, Question]
    """Criteria a request may give `judgements` for (no `when`, not `otherwise`), in charta
    order, with the question that asks for each."""
    platform_question: Question
    """Asks for the platform, naming the declared ones."""
    messages: DeclineMessages
    """The decline messages, prepared."""
    plans: dict[str | None, Plan]
    """The criteria to evaluate by platform id, and for a request without platform (None)."""
    reads_platform: bool
    """Whether a rule reads `platform`; if none does, CEL is not given it."""
    fallback: tuple[str, ...]
    """The reasons of a decline because the accept criteria cannot hold: `otherwise`, or none."""
    reviews: dict[tuple[frozenset[str], frozenset[str], bool], Decision] = field(
        default_factory=dict, compare=False, repr=False
    )
    """A review by the facts it asks for, the judgements it asks for and whether it asks for the
    platform, as they are met."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, file: str = "charta.json") -> Policy:
        """Compile a JSON policy; a ChartaError names what is wrong with it."""
        _check(data, file)
        lang = data["lang"]
        platforms = {p["id"]: p["name"] for p in data.get("platforms", ())}
        facts = {fact["name"]: _fact(fact) for fact in data.get("facts", ())}
        everything = [*data["accept"]["criteria"], *data["decline"]["criteria"]]
        whens = {c["id"]: c["when"] for c in everything if c.get("when") is not None}
        rules = Rules({name: fact.type for name, fact in facts.items()}, whens)
        criteria = {
            c["id"]: Criterion(
                c["id"],
                rules[c["id"]] if c["id"] in whens else None,
                _bound(c.get("platforms"), platforms),
            )
            for c in everything
        }
        otherwise = next((c["id"] for c in data["decline"]["criteria"] if c.get("otherwise")), None)
        accept = [criteria[c["id"]] for c in data["accept"]["criteria"]]
        decline = [criteria[c["id"]] for c in data["decline"]["criteria"] if c["id"] != otherwise]
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
            plans[platform] = Plan(
                accepts,
                declines,
                rules.group(ruled),
                applies,
                tuple(judged),
            )
        question = _PLATFORM_QUESTION.get(primary(lang), _PLATFORM_QUESTION["en"])
        names = ", ".join(platforms.values())
        return cls(
            data=data,
            lang=lang,
            match=data["accept"].get("match", "any"),
            platforms=platforms,
            facts=facts,
            rules=rules,
            criteria=criteria,
            otherwise=otherwise,
            judgeable={
                c["id"]: Question("judgement", c["id"], c["text"])
                for c in everything
                if c["id"] not in whens and c["id"] != otherwise
            },
            platform_question=Question(
                "platform", PLATFORM, f"{question} ({names})" if names else question
            ),
            messages=DeclineMessages.from_json(data),
            plans=plans,
            reads_platform=any(PLATFORM in rules.needs(name) for name in whens),
            fallback=(otherwise,) if otherwise else (),
        )


def _bound(platforms: list[str] | None, declared: Mapping[str, str]) -> frozenset[str] | None:
    """The platforms a criterion is bound to; None when it applies on every declared one."""
    if platforms is None or (declared and set(platforms) >= set(declared)):
        return None
    return frozenset(platforms)


def _fact(fact: Mapping[str, Any]) -> Fact:
    """A declared fact, knowing which values a request may give as they are."""
    kind, name = fact["type"], fact["name"]
    values = tuple(fact["values"]) if fact.get("values") is not None else None
    question = Question("fact", name, fact["question"])
    declared = Fact(kind, _PYTHON_TYPES[kind], values, question, None)
    if values is None and kind != "bool":
        return declared
    fits = set()
    for value in (True, False) if values is None else values:
        try:  # only a value the full check takes as it is
            if type(value) is declared.python and _fact_value(name, declared, value) is value:
                fits.add(value)
        except RequestError:
            pass
    return replace(declared, fits=frozenset(fits))


def _steps(
    criteria: list[Criterion], platform: str | None, names: list[str], judged: list[str]
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
    """Read and compile `charta.json`; a ChartaError says what is wrong with the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChartaError.single(str(path), "no such file; build the charta first") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ChartaError.single(str(path), f"cannot read the policy: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problem = Problem(str(path), error.lineno, error.colno, "", f"not valid JSON: {error.msg}")
        raise ChartaError([problem]) from None
    if not isinstance(data, dict):
        raise ChartaError.single(str(path), "expected a JSON object (a charta policy)")
    return Policy.from_json(data, file=str(path))


def _check(data: Mapping[str, Any], file: str) -> None:
    """Refuse a policy that lacks what deciding needs, or whose rules do not compile."""

    def need(parent: Any, key: str, kind: type, path: str) -> Any:
        value = parent.get(key) if isinstance(parent, Mapping) else None
        if not isinstance(value, kind):
            expected = "a string" if kind is str else "a list" if kind is list else "an object"
            raise ChartaError.single(file, f"expected {expected}", path)
        return value

    if data.get("charta") != 1:
        raise ChartaError.single(file, "expected 1, the format this tool reads", "charta")
    need(data, "lang", str, "lang")
    facts = {}
    for index, fact in enumerate(data.get("facts", [])):
        name = need(fact, "name", str, f"facts[{index}].name")
        facts[name] = need(fact, "type", str, f"facts[{index}].type")
        need(fact, "question", str, f"facts[{index}].question")
        if facts[name] not in RULE_TYPES:
            raise ChartaError.single(
                file, "expected bool, int, double or string", f"facts[{index}].type"
            )
        if name == PLATFORM:
            raise ChartaError.single(
                file, "platform is always declared; no fact takes its name", f"facts[{index}].name"
            )
    for index, platform in enumerate(data.get("platforms", [])):
        need(platform, "id", str, f"platforms[{index}].id")
        need(platform, "name", str, f"platforms[{index}].name")
    for section in ("accept", "decline"):
        for index, criterion in enumerate(
            need(need(data, section, dict, section), "criteria", list, f"{section}.criteria")
        ):
            path = f"{section}.criteria[{index}]"
            for key in ("id", "text", "link"):
                need(criterion, key, str, f"{path}.{key}")
            if criterion.get("platforms") is not None:
                need(criterion, "platforms", list, f"{path}.platforms")
            if criterion.get("when") is not None:
                problem = check_rule(need(criterion, "when", str, f"{path}.when"), facts)
                if problem is not None:
                    raise ChartaError.single(file, problem.message, f"{path}.when")
    if data["accept"].get("match", "any") not in ("any", "all"):
        raise ChartaError.single(file, "expected any or all", "accept.match")
    template = (data.get("messages") or {}).get("decline")
    if template is not None and not isinstance(template, str):
        raise ChartaError.single(file, "expected a string", "messages.decline")


def decide(policy: Policy, request: Mapping[str, Any], name: str | None = None) -> Decision:
    """Decide a request: accept, decline or review (FORMAT.md section 4)."""
    platform, values, judgements = _read(policy, request)
    plan = policy.plans[platform]
    shape, read = plan.rules.evaluate(values)  # every rule that may apply, mostly in one CEL call
    row = (*read, *shape.unread, *map(judgements.get, plan.judged))
    keys = plan.keys.get(shape) or _remember(plan.keys, shape, _keys(plan, shape))
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
        return _decline(policy, plan, policy.fallback, name, platform)

    needs, asks, unsure = declines.needs, declines.asks, declines.unsure
    if accepts.holds is None:  # their questions count too
        needs, asks, unsure = needs | accepts.needs, asks | accepts.asks, unsure or accepts.unsure
    review = (needs - shape.given, asks, unsure)
    return policy.reviews.get(review) or _remember(policy.reviews, review, _review(policy, *review))


def _keys(plan: Plan, shape: Shape) -> tuple[Picker, Picker]:
    """Take each side's values, in charta order, from a request's row: the values of the rules
    read, of those not read (`shape.unread`), then of the judgements."""
    rules = len(shape.places)
    row = [*shape.places, *range(rules, rules + len(plan.judged))]  # where each value is
    decline = _picker([row[index] for _, index, _ in plan.decline])
    return decline, _picker([row[index] for _, index, _ in plan.accept])


def _declines(policy: Policy, plan: Plan, values: Key) -> Side:
    """The decline side: the criteria that hold, or what is open."""
    reasons: list[str] = []
    open_: list[Open] = []
    for (id_, _, unsure), value in zip(plan.decline, values, strict=True):
        if value is True and not unsure:
            reasons.append(id_)
        elif value is not False:  # open: the value, or whether it applies here; or failed
            open_.append((id_, unsure, _open(value)))
    return _side(policy, reasons, True if reasons else None if open_ else False, open_)


def _accepts(policy: Policy, plan: Plan, values: Key) -> Side:
    """The accept side: whether it holds (T, F or open), the criteria that hold, what is open."""
    accepts: list[str] = []
    undecided: list[Open] = []
    holds: bool | None
    platform_open = False
    if policy.match == "all":
        # Every applicable one holds, and at least one applies (plan.applies: True/None/False).
        failed = False
        for (id_, _, unsure), value in zip(plan.accept, values, strict=True):
            if value is True:
                if not unsure:
                    accepts.append(id_)
            elif value is False and not unsure:
                failed = True
            else:  # open, or false where it may not apply
                undecided.append((id_, unsure, _open(value)))
        if failed or plan.applies is False:
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
    return _side(policy, accepts, holds, undecided, platform_open, accept)


def _side(
    policy: Policy,
    reasons: list[str],
    holds: bool | None,
    open_: list[Open],
    unsure: bool = False,
    accept: Decision | None = None,
) -> Side:
    """A side, with what its open criteria would ask."""
    needs: set[str] = set()
    asks: set[str] = set()
    for id_, bound, value in open_:
        unsure = unsure or bound
        if value is not None:
            continue
        if id_ in policy.judgeable:
            asks.add(id_)
        else:
            needs.update(policy.rules.needs(id_))
    return Side(tuple(reasons), holds, frozenset(needs), frozenset(asks), unsure, accept)


def _remember(table: dict[Any, _Value], key: Hashable, value: _Value) -> _Value:
    """Keep `value` under `key` in a table of limited size."""
    if len(table) >= _REMEMBERED:
        table.clear()
    table[key] = value
    return value


def _open(value: Result) -> bool | None:
    """The value of a criterion that did not hold; a rule that failed is raised here."""
    if isinstance(value, RuleError):
        raise value.with_traceback(None)  # the same error may be raised for many requests
    return value


def _decline(
    policy: Policy, plan: Plan, reasons: tuple[str, ...], name: str | None, platform: str | None
) -> Decision:
    if name:  # the message with the requester's name, made for this request
        message = policy.messages.render(reasons, name, platform)
        return Decision("decline", reasons, message=message)
    decision = plan.declined.get(reasons)
    if decision is None:
        message = policy.messages.render(reasons, None, platform)
        decision = _remember(plan.declined, reasons, Decision("decline", reasons, message=message))
    return decision


def _review(
    policy: Policy, missing: frozenset[str], asks: frozenset[str], unsure: bool
) -> Decision:
    """Missing facts in declared order, then judgements in charta order, then the platform."""
    questions = [fact.question for name, fact in policy.facts.items() if name in missing]
    questions += [q for id_, q in policy.judgeable.items() if id_ in asks]
    if unsure or PLATFORM in missing:
        questions.append(policy.platform_question)
    return Decision("review", questions=tuple(questions))


def _read(
    policy: Policy, request: Mapping[str, Any]
) -> tuple[str | None, Mapping[str, Any], Mapping[str, Any]]:
    """Check a request against the policy: its platform, its values for the rules, judgements."""
    if type(request) is not dict and not isinstance(request, Mapping):
        raise RequestError(f"a request is a JSON object, got {_show(request)}")
    if not request.keys() <= _REQUEST_KEYS:
        key = next(key for key in request if key not in _REQUEST_KEYS)
        raise RequestError(
            f"{_key('', key)}: unknown key; a request has platform, facts and judgements"
        )
    platform = request.get("platform")
    if platform is not None and (type(platform) is not str or platform not in policy.platforms):
        if not policy.platforms:
            raise RequestError(f"platform: the charta declares no platforms, got {_show(platform)}")
        known = ", ".join(policy.platforms)
        raise RequestError(f"platform: expected one of {known}, got {_show(platform)}")
    facts = request.get("facts", _NOTHING)
    if type(facts) is not dict:
        if not isinstance(facts, Mapping):
            raise RequestError(f"facts: expected an object of fact values, got {_show(facts)}")
        facts = dict(facts)
    values: dict[str, Any] = facts  # given to CEL as they are, unless one is converted
    declared = policy.facts
    for name, value in facts.items():
        fact = declared.get(name)
        if fact is None:
            known = ", ".join(policy.facts) or "none"
            raise RequestError(f"{_key('facts', name)}: no such fact; declared facts: {known}")
        kind: Any = fact.python
        fits = fact.fits
        if type(value) is kind and (
            value in fits
            if fits is not None
            else kind is float
            or (value.isascii() if kind is str else _INT_MIN <= value <= _INT_MAX)
        ):
            continue  # the common case, checked inline for speed
        checked = _fact_value(name, fact, value)
        if checked is not value:  # an int for a double
            if values is facts:
                values = dict(facts)
            values[name] = checked
    if platform is not None and policy.reads_platform:
        values = {PLATFORM: platform, **values}
    judgements = request.get("judgements", _NOTHING)
    if type(judgements) is not dict and not isinstance(judgements, Mapping):
        raise RequestError(f"judgements: expected an object of bools, got {_show(judgements)}")
    for key, value in judgements.items():
        if key not in policy.judgeable:
            raise RequestError(f"{_key('judgements', key)}: {_not_judgeable(policy, key)}")
        if value is not True and value is not False:
            raise RequestError(f"{_key('judgements', key)}: expected a bool, got {_show(value)}")
    return platform, values, judgements


def _fact_value(name: str, fact: Fact, value: Any) -> Any:
    kind = fact.type
    if kind == "bool":
        fits = value is True or value is False
    elif kind == "string":
        fits = type(value) is str and (value.isascii() or _is_unicode(value))
    elif kind == "int":
        fits = type(value) is int
        if fits and not _INT_MIN <= value <= _INT_MAX:
            raise RequestError(f"{_key('facts', name)}: expected an int from -2^63 to 2^63-1")
    else:
        fits = type(value) in (int, float)
        value = float(value) if fits else value
    if not fits:
        raise RequestError(f"{_key('facts', name)}: expected {_EXPECTED[kind]}, got {_show(value)}")
    if fact.values is not None and value not in fact.values:
        allowed = ", ".join(_show(allowed) for allowed in fact.values)
        raise RequestError(f"{_key('facts', name)}: expected one of {allowed}, got {_show(value)}")
    return value


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_judgeable(policy: Policy, key: str) -> str:
    valid = ", ".join(policy.judgeable) or "none"
    if key == policy.otherwise:
        return f"{key} is the otherwise criterion, which holds by itself; judgements: {valid}"
    if key in policy.criteria:
        return f"{key} is decided by its rule (when), not by judgement; judgements: {valid}"
    return f"no criterion to judge by that id; judgements: {valid}"


def _key(parent: str, key: Any) -> str:
    """`parent.key`, or `parent["key"]` where the key would not read as one."""
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


def _show(value: Any) -> str:
    """A value as the request wrote it, cut short."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."
