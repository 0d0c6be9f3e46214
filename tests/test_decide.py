"""Deciding requests by a JSON policy: the five steps, open facts, platforms, judgements, errors."""

from __future__ import annotations

import argparse
import builtins
import copy
import dataclasses
import functools
import io
import json
import math
import random
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogue import answering
from kontaktcharta.cel import runtime as cel_runtime
from kontaktcharta.commands import ask as ask_command
from kontaktcharta.commands import decide as decide_command
from kontaktcharta.commands import reply as reply_command
from kontaktcharta.decide import Policy, RequestError, decide
from kontaktcharta.errors import ChartaError
from kontaktcharta.messages import MessageTooLong
from kontaktcharta.rules import Result, RuleError, RuleGroup, Rules, check_rule
from policies import whole_policy

pytestmark = pytest.mark.usefixtures("cel_runtime")  # on each CEL runtime

URL = "https://erika.example/kontaktcharta/"


def criterion(section: str, id_: str, text: str, **given: Any) -> dict[str, Any]:
    """A criterion as charta.json carries it."""
    return {"id": id_, "text": text, "html": text, "link": f"{URL}#{section}-{id_}", **given}


def policy_data(match: str = "any", otherwise: bool = True) -> dict[str, Any]:
    """A small JSON policy: three platforms, five facts, judgement and platform-bound criteria."""
    decline = [
        criterion(
            "decline",
            "slogan",
            "die Einladung nur einen Spruch enthält",
            when='invitation_text.contains("Kontakte schaden nur dem, der keine hat")',
            reason="Ein Spruch ersetzt keinen Anlass.",
        ),
        criterion(
            "decline",
            "business-on-facebook",
            "die Anfrage beruflich ist, aber auf Facebook kommt",
            when='relationship != "private"',
            platforms=["facebook"],
        ),
        criterion("decline", "rude", "die Anfrage unhöflich ist"),
    ]
    if otherwise:
        decline.append(
            criterion("decline", "no-reason", "kein Grund oben zutrifft", otherwise=True)
        )
    return whole_policy(
        url=URL,
        platforms=[
            {"id": "xing", "name": "XING", "use": "business"},
            {"id": "linkedin", "name": "LinkedIn", "use": "business"},
            {"id": "facebook", "name": "Facebook", "use": "private"},
        ],
        facts=[
            {"name": "met", "type": "bool", "question": "Sind wir uns begegnet?"},
            {"name": "mutual_contacts", "type": "int", "question": "Wie viele gemeinsame?"},
            {
                "name": "relationship",
                "type": "string",
                "question": "In welcher Beziehung stehen wir?",
                "values": ["customer", "prospect", "private", "none"],
            },
            {"name": "invitation_text", "type": "string", "question": "Was steht darin?"},
            {"name": "score", "type": "double", "question": "Wie gut passt es?"},
        ],
        accept={
            "title": "Ich nehme gern an",
            "match": match,
            "criteria": [
                criterion("accept", "met", "von Menschen, denen ich begegnet bin", when="met"),
                criterion(
                    "accept",
                    "prospects",
                    "von Interessenten, die gut passen",
                    when='relationship == "prospect" && score >= 4.0',
                ),
                criterion(
                    "accept",
                    "network",
                    "bei vielen gemeinsamen Kontakten",
                    when="mutual_contacts >= 10",
                    platforms=["linkedin"],
                ),
                criterion("accept", "interest", "bei gemeinsamen Interessen"),
            ],
        },
        decline={"title": "Ich lehne ab, wenn", "criteria": decline},
        messages={"decline": "Hallo {name}, nein: {reasons} {url}"},
    )


@functools.cache
def _policy(match: str, runtime: str) -> Policy:
    return Policy.from_json(policy_data(match=match))


def the_policy(match: str = "any") -> Policy:
    """The policy of `policy_data`, compiled once on each CEL runtime."""
    return _policy(match, cel_runtime.RUNTIME.NAME)


QUIET = {"invitation_text": "Hallo Erika", "relationship": "none", "mutual_contacts": 0}
"""Facts under which no decline rule holds and only `met` could accept."""


def outcome(
    request: dict[str, Any], policy: Policy | None = None
) -> tuple[str, list[str], list[str]]:
    """decision, reasons and the names of the open questions."""
    decision = decide(policy or the_policy(), request)
    return decision.decision, list(decision.reasons), [q.name for q in decision.questions]


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        pytest.param(
            {"platform": "xing", "facts": {**QUIET, "met": True}, "judgements": {"rude": False}},
            ("accept", ["met"], []),
            id="one accept criterion holds and every decline criterion is false",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {**QUIET, "met": True, "relationship": "prospect", "score": 4.5},
                "judgements": {"rude": False, "interest": True},
            },
            ("accept", ["met", "prospects", "interest"], []),
            id="every accept criterion that holds is a reason, in charta order",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {
                    "met": True,
                    "invitation_text": "Kontakte schaden nur dem, der keine hat!",
                },
                "judgements": {"rude": False},
            },
            ("decline", ["slogan"], []),
            id="a decline criterion that holds wins over an accept criterion that holds",
        ),
        pytest.param(
            {
                "facts": {"invitation_text": "Kontakte schaden nur dem, der keine hat"},
                "judgements": {"rude": True},
            },
            ("decline", ["slogan", "rude"], []),
            id="every decline criterion that holds is a reason, even with facts missing",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {**QUIET, "met": False},
                "judgements": {"rude": False, "interest": False},
            },
            ("decline", ["no-reason"], []),
            id="no accept criterion holds: the otherwise criterion is the reason",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {**QUIET, "met": False},
                "judgements": {"interest": False},
            },
            ("decline", ["no-reason"], []),
            id="no accept criterion can hold: decline although a decline criterion is open",
        ),
        pytest.param(
            {"platform": "xing", "facts": {"met": True}},
            ("review", [], ["invitation_text", "rude"]),
            id="accept holds but decline criteria are open: their facts, then judgements",
        ),
        pytest.param(
            {"platform": "xing", "facts": {**QUIET, "met": False, "relationship": "customer"}},
            ("review", [], ["interest", "rude"]),
            id="a missing fact beside a false one in && is not asked for",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {"relationship": "prospect"},
                "judgements": {"rude": False},
            },
            ("review", [], ["met", "invitation_text", "score", "interest"]),
            id="questions are the missing facts in declared order, each once",
        ),
        pytest.param(
            {"platform": "linkedin", "facts": {**QUIET, "met": False, "mutual_contacts": 12}},
            ("review", [], ["rude"]),
            id="a platform-bound accept criterion applies on its platform",
        ),
        pytest.param(
            {
                "platform": "linkedin",
                "facts": {**QUIET, "met": False, "mutual_contacts": 12},
                "judgements": {"rude": False},
            },
            ("accept", ["network"], []),
            id="a platform-bound accept criterion decides on its platform",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {**QUIET, "met": False, "mutual_contacts": 12},
                "judgements": {"rude": False, "interest": False},
            },
            ("decline", ["no-reason"], []),
            id="a platform-bound accept criterion does not apply elsewhere",
        ),
        pytest.param(
            {"platform": "facebook", "facts": {**QUIET, "met": True, "relationship": "customer"}},
            ("decline", ["business-on-facebook"], []),
            id="a platform-bound decline criterion holds on its platform",
        ),
        pytest.param(
            {
                "facts": {**QUIET, "met": True, "relationship": "customer"},
                "judgements": {"rude": False},
            },
            ("review", [], ["platform"]),
            id="without a platform, a bound criterion that would hold asks for the platform",
        ),
        pytest.param(
            {
                "facts": {**QUIET, "met": True, "relationship": "private"},
                "judgements": {"rude": False},
            },
            ("accept", ["met"], []),
            id="without a platform, a bound criterion that is false anyway does not matter",
        ),
        pytest.param(
            {"platform": "xing", "facts": {}, "judgements": {}},
            (
                "review",
                [],
                ["met", "relationship", "invitation_text", "score", "interest", "rude"],
            ),
            id="an empty request asks the facts, then the judgements",
        ),
        pytest.param(
            {},
            (
                "review",
                [],
                [
                    "met",
                    "mutual_contacts",
                    "relationship",
                    "invitation_text",
                    "score",
                    "interest",
                    "rude",
                    "platform",
                ],
            ),
            id="facts may be left out; the platform is asked last",
        ),
        pytest.param(
            {
                "platform": "xing",
                "facts": {**QUIET, "met": False},
                "judgements": {"interest": True},
            },
            ("review", [], ["rude"]),
            id="a judgement criterion takes its value from judgements",
        ),
    ],
)
def test_decision_table(
    request_: dict[str, Any], expected: tuple[str, list[str], list[str]]
) -> None:
    assert outcome(request_) == expected


def test_a_double_fact_takes_an_int() -> None:
    facts = {**QUIET, "met": False, "relationship": "prospect", "score": 4}
    request = {"platform": "xing", "facts": facts, "judgements": {"rude": False}}
    assert outcome(request) == ("accept", ["prospects"], [])


def test_questions_carry_the_texts_a_person_answers() -> None:
    decision = decide(the_policy(), {"facts": {"met": True, "relationship": "customer", **{}}})
    assert [q.to_json() for q in decision.questions] == [
        {"kind": "fact", "name": "invitation_text", "question": "Was steht darin?"},
        {"kind": "judgement", "name": "rude", "question": "die Anfrage unhöflich ist"},
        {
            "kind": "platform",
            "name": "platform",
            "question": "Über welche Plattform kam die Anfrage? (XING, LinkedIn, Facebook)",
        },
    ]


def test_a_decision_as_json_has_exactly_its_six_keys_in_order() -> None:
    request = {"platform": "xing", "facts": {"met": True}, "judgements": {"rude": True}}
    decision = decide(the_policy(), request, "Max").to_json()
    assert decision == {
        "decision": "decline",
        "reasons": ["rude"],
        "unmet": [],
        "questions": [],
        "reply": True,
        "message": f"Hallo Max, nein: die Anfrage unhöflich ist {URL}#decline-rude",
    }
    assert list(decision) == ["decision", "reasons", "unmet", "questions", "reply", "message"]


def test_an_accept_has_no_message() -> None:
    request = {"platform": "xing", "facts": {**QUIET, "met": True}, "judgements": {"rude": False}}
    assert decide(the_policy(), request, "Max").message is None


def test_without_otherwise_a_fallback_decline_has_no_reasons() -> None:
    policy = Policy.from_json(policy_data(otherwise=False))
    request = {
        "platform": "xing",
        "facts": {**QUIET, "met": False},
        "judgements": {"interest": False},
    }
    decision = decide(policy, request)
    assert (decision.decision, decision.reasons) == ("decline", ())
    assert decision.message == f"Hallo, nein: {URL}#decline"


EVERY = {
    "met": True,
    "relationship": "prospect",
    "score": 4.5,
    "mutual_contacts": 20,
    "invitation_text": "Hallo",
}


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        pytest.param(
            {"platform": "xing", "facts": EVERY, "judgements": {"interest": True, "rude": False}},
            ("accept", ["met", "prospects", "interest"], []),
            id="every applicable one holds; the bound one does not apply",
        ),
        pytest.param(
            {
                "platform": "linkedin",
                "facts": EVERY,
                "judgements": {"interest": True, "rude": False},
            },
            ("accept", ["met", "prospects", "network", "interest"], []),
            id="on its platform the bound one must hold too",
        ),
        pytest.param(
            {
                "platform": "linkedin",
                "facts": {**EVERY, "mutual_contacts": 3},
                "judgements": {"interest": True},
            },
            ("decline", ["no-reason"], []),
            id="one applicable false is enough to decline",
        ),
        pytest.param(
            {"platform": "xing", "facts": EVERY, "judgements": {"rude": False}},
            ("review", [], ["interest"]),
            id="one open keeps it open",
        ),
        pytest.param(
            {
                "facts": {**EVERY, "mutual_contacts": 3},
                "judgements": {"interest": True, "rude": False},
            },
            ("review", [], ["platform"]),
            id="a false bound one is open while the platform is unknown",
        ),
        pytest.param(
            {"facts": EVERY, "judgements": {"interest": True, "rude": False}},
            ("review", [], ["platform"]),
            id="without a platform, the accept side holds but the Facebook decline might",
        ),
    ],
)
def test_match_all(request_: dict[str, Any], expected: tuple[str, list[str], list[str]]) -> None:
    assert outcome(request_, the_policy("all")) == expected


def test_match_all_with_no_applicable_criterion_declines() -> None:
    data = policy_data(match="all")
    data["accept"]["criteria"] = [data["accept"]["criteria"][2]]  # linkedin only
    policy = Policy.from_json(data)
    request = {"platform": "xing", "facts": QUIET, "judgements": {"rude": False}}
    assert outcome(request, policy) == ("decline", ["no-reason"], [])


def test_a_criterion_bound_to_every_platform_applies_without_one() -> None:
    data = policy_data()
    data["decline"]["criteria"][1]["platforms"] = ["xing", "linkedin", "facebook"]
    request = {"facts": {**QUIET, "met": True, "relationship": "customer"}}
    assert outcome(request, Policy.from_json(data))[:2] == ("decline", ["business-on-facebook"])


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ([], "a request is a JSON object, got []"),
        (
            {"facts": {}, "name": "Max"},
            "name: unknown key; a request has platform, facts and judgements",
        ),
        (
            {"platform": "myspace"},
            'platform: expected one of xing, linkedin, facebook, got "myspace"',
        ),
        ({"platform": 3}, "platform: expected one of xing, linkedin, facebook, got 3"),
        ({"facts": [1]}, "facts: expected an object of fact values, got [1]"),
        (
            {"facts": {"mett": True}},
            "facts.mett: no such fact; declared facts: "
            "met, mutual_contacts, relationship, invitation_text, score",
        ),
        ({"facts": {"met": "ja"}}, 'facts.met: expected a bool (true or false), got "ja"'),
        ({"facts": {"met": None}}, "facts.met: expected a bool (true or false), got null"),
        (
            {"facts": {"mutual_contacts": True}},
            "facts.mutual_contacts: expected an int (a whole number), got true",
        ),
        (
            {"facts": {"mutual_contacts": 2.0}},
            "facts.mutual_contacts: expected an int (a whole number), got 2.0",
        ),
        (
            {"facts": {"mutual_contacts": 2**64}},
            "facts.mutual_contacts: expected an int from -2^63 to 2^63-1",
        ),
        ({"facts": {"score": "4.5"}}, 'facts.score: expected a double (a number), got "4.5"'),
        ({"facts": {"score": False}}, "facts.score: expected a double (a number), got false"),
        ({"facts": {"score": math.nan}}, "facts.score: expected a double (a number), got nan"),
        ({"facts": {"score": -math.inf}}, "facts.score: expected a double (a number), got -inf"),
        (
            {"facts": {"score": 10**400}},
            "facts.score: expected a double (a number), got " + "1" + "0" * 36 + "...",
        ),
        (
            {"facts": {"relationship": "friend"}},
            'facts.relationship: expected one of "customer", "prospect", "private", "none", '
            'got "friend"',
        ),
        ({"facts": {"invitation_text": 5}}, "facts.invitation_text: expected a string, got 5"),
        (
            {"judgements": {"bogus": True}},
            "judgements.bogus: no criterion to judge by that id; judgements: interest, rude",
        ),
        (
            {"judgements": {"met": True}},
            "judgements.met: met is decided by its rule (when), not by judgement; "
            "judgements: interest, rude",
        ),
        (
            {"judgements": {"no-reason": True}},
            "judgements.no-reason: no-reason is the otherwise criterion, which holds by itself; "
            "judgements: interest, rude",
        ),
        ({"judgements": {"rude": "yes"}}, 'judgements.rude: expected a bool, got "yes"'),
        ({"judgements": {"rude": 1}}, "judgements.rude: expected a bool, got 1"),
        ({"judgements": ["rude"]}, 'judgements: expected an object of bools, got ["rude"]'),
        (
            {"facts": {"a b": 1}},
            'facts["a b"]: no such fact; declared facts: '
            "met, mutual_contacts, relationship, invitation_text, score",
        ),
    ],
)
def test_a_bad_request_says_which_key_and_what_was_expected(request_: Any, message: str) -> None:
    with pytest.raises(RequestError) as raised:
        decide(the_policy(), request_)
    assert str(raised.value) == message


def test_a_rule_that_fails_at_run_time_names_its_criterion() -> None:
    data = policy_data()
    data["accept"]["criteria"][0]["when"] = "met || 100 / mutual_contacts > 5"
    policy = Policy.from_json(data)
    with pytest.raises(RuleError, match=r"^the rule of criterion 'met' failed: divide by zero$"):
        decide(policy, {"facts": {"met": False, "mutual_contacts": 0}})
    assert outcome({"facts": {**QUIET, "met": True}, "platform": "xing"}, policy)[0] == "review"


def test_a_failing_accept_rule_does_not_matter_when_a_decline_holds() -> None:
    data = policy_data()
    data["accept"]["criteria"][0]["when"] = "100 / mutual_contacts > 5"
    policy = Policy.from_json(data)
    slogan = "Kontakte schaden nur dem, der keine hat"
    request = {"facts": {"mutual_contacts": 0, "invitation_text": slogan}}
    assert outcome(request, policy)[:2] == ("decline", ["slogan"])
    with pytest.raises(RuleError, match=r"^the rule of criterion 'met' failed: divide by zero$"):
        decide(policy, {"facts": {"mutual_contacts": 0, "invitation_text": "Hallo"}})


def test_a_failing_decline_rule_fails_the_decision_even_when_another_holds() -> None:
    data = policy_data()
    data["decline"]["criteria"][1]["when"] = "100 / mutual_contacts > 5"
    data["decline"]["criteria"][1].pop("platforms")
    policy = Policy.from_json(data)
    slogan = "Kontakte schaden nur dem, der keine hat"
    request = {"facts": {"mutual_contacts": 0, "invitation_text": slogan}}
    message = r"criterion 'business-on-facebook' failed: divide by zero$"
    with pytest.raises(RuleError, match=message):
        decide(policy, request)


def test_a_policy_whose_rule_does_not_compile_is_refused_with_its_path() -> None:
    data = policy_data()
    data["decline"]["criteria"][0]["when"] = "met && nope"
    with pytest.raises(ChartaError) as raised:
        Policy.from_json(data)
    assert raised.value.format() == (
        "charta.json: decline.criteria[0].when: undeclared reference to 'nope' (declared facts: "
        "met, mutual_contacts, relationship, invitation_text, score, platform)"
    )


def test_a_policy_without_criteria_is_refused_with_its_path() -> None:
    data = policy_data()
    del data["accept"]["criteria"]
    message = r"^charta\.json: accept\.criteria: required key is missing \(expected a list\)$"
    with pytest.raises(ChartaError, match=message):
        Policy.from_json(data)


# Rules: build-time checks, and rules evaluated together agreeing with each evaluated alone.

FACTS = {"met": "bool", "n": "int", "d": "double", "s": "string"}


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("met", None),
        ('met && s.startsWith("Hallo") || n > 3 && d < 1.5', None),
        ('platform == "xing"', None),
        (
            "met && nope",
            (1, 8, "undeclared reference to 'nope' (declared facts: met, n, d, s, platform)"),
        ),
        (
            "met\n  && nope",
            (2, 6, "undeclared reference to 'nope' (declared facts: met, n, d, s, platform)"),
        ),
        ("n", (1, 1, "the rule gives int, expected a bool")),
        ("s + s", (1, 1, "the rule gives string, expected a bool")),
        (
            "d > 1",
            (
                1,
                3,
                "found no matching overload for '_>_' applied to '(double, int)' "
                "(CEL does not mix int and double: write 5.0, not 5, for a double)",
            ),
        ),
        ("met &&", (1, 7, "Syntax error: mismatched input '<EOF>'")),
    ],
)
def test_check_rule(expression: str, problem: tuple[int, int, str] | None) -> None:
    found = check_rule(expression, FACTS)
    assert (found and (found.line, found.column, found.message)) == problem


@pytest.mark.parametrize(
    ("expression", "needs"),
    [
        ('s.contains("met") && n > 1', ("n", "s")),
        ("[1, 2].exists(met, met > 1) && d > 0.5", ("d",)),
        ('met || platform == "xing"', ("met", "platform")),
        ("size(s) > 3", ("s",)),
    ],
)
def test_a_rule_needs_only_the_facts_it_reads(expression: str, needs: tuple[str, ...]) -> None:
    assert Rules(FACTS, {"x": expression}).needs("x") == needs


def test_a_rule_that_reads_more_facts_than_cel_lists_errors_for_needs_them_all() -> None:
    facts = {f"f{i}": "bool" for i in range(30)}
    expression = " || ".join(f"(f{i} && 'f{i}x'.contains('f'))" for i in range(30))
    rules = Rules(facts, {"x": expression, "y": "f3 || f1"})
    assert rules.needs("x") == tuple(facts)
    assert rules.needs("y") == ("f1", "f3")
    # A macro's variable sends a rule to the compile without facts, where CEL stops counting.
    shadowed = f"[true].exists(f0, f0) && ({expression.replace('(f0 && ', '(true && ')})"
    assert Rules(facts, {"z": shadowed}).needs("z") == tuple(facts)[1:]


def test_a_shape_met_once_is_evaluated_rule_by_rule_and_the_second_time_as_one_list() -> None:
    rules = Rules(FACTS, {"a": "n > 1", "b": "met || n > 5", "c": 's == "x"'})
    group = rules.group(("a", "b", "c"))
    request = {"n": 3, "s": "x"}  # `met` is missing: b is open, so its list would fail
    first_shape, first = group.evaluate(request)
    assert first_shape.everything is None  # nothing compiled for one request
    second_shape, second = group.evaluate(request)
    assert second_shape is first_shape and second_shape.everything is not None
    assert list(first) == list(second)
    assert first_shape.results(first) == (True, None, True)


def _operand(kind: str) -> st.SearchStrategy[str]:
    literals = {
        "bool": ["true", "false"],
        "int": ["0", "1", "5", "-3"],
        "double": ["0.0", "1.5", "-2.5", "1e3"],
        "string": ["''", "'a'", '"ab"', "'ä'"],
    }[kind]
    names = [name for name, type_ in {**FACTS, "platform": "string"}.items() if type_ == kind]
    return st.sampled_from(names + literals)


def _atom() -> st.SearchStrategy[str]:
    kinds = st.sampled_from(["bool", "int", "double", "string"])
    compare = kinds.flatmap(
        lambda kind: st.tuples(
            _operand(kind), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), _operand(kind)
        ).map(" ".join)
    )
    member = st.tuples(
        _operand("string"),
        st.sampled_from(["contains", "startsWith", "endsWith"]),
        _operand("string"),
    ).map(lambda parts: f"{parts[0]}.{parts[1]}({parts[2]})")
    integers = st.sampled_from(["0", "1", "5", "-3"])
    listed = st.tuples(_operand("int"), st.lists(integers, min_size=1, max_size=3)).map(
        lambda parts: f"{parts[0]} in [{', '.join(parts[1])}]"
    )
    sized = _operand("string").map(lambda text: f"size({text}) >= 1")
    return st.one_of(_operand("bool"), compare, member, listed, sized)


EXPRESSIONS = st.recursive(
    _atom(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(lambda p: f"({' '.join(p)})"),
        inner.map(lambda text: f"!({text})"),
    ),
    max_leaves=8,
)
VALUES = st.fixed_dictionaries(
    {},
    optional={
        "met": st.booleans(),
        "n": st.integers(-6, 6),
        "d": st.sampled_from([0.0, 1.5, -2.5, 1000.0]),
        "s": st.sampled_from(["", "a", "ab", "ba", "ä"]),
        "platform": st.sampled_from(["a", "xing"]),
    },
)


def evaluated(group: RuleGroup, given_: dict[str, Any]) -> tuple[Result, ...]:
    """Every rule's value in the group's order, as deciding sees them."""
    shape, read = group.evaluate(given_)
    return shape.results(read)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EXPRESSIONS, min_size=1, max_size=5), st.lists(VALUES, min_size=1, max_size=4))
def test_rules_evaluated_together_agree_with_each_alone(
    expressions: list[str], values: list[dict[str, Any]]
) -> None:
    rules = Rules(FACTS, {f"r{i}": expression for i, expression in enumerate(expressions)})
    group = rules.group(f"r{i}" for i in range(len(expressions)))
    for given_ in values:
        alone = [rules.evaluate(name, given_) for name in group.names]
        assert list(evaluated(group, given_)) == alone, given_


def test_a_failing_rule_evaluated_together_is_named() -> None:
    rules = Rules(FACTS, {"x": "met", "y": "100 / n > 5", "z": "s == 'a'"})
    group = rules.group(["x", "y", "z"])
    assert evaluated(group, {"met": True, "n": 4, "s": "a"}) == (True, True, True)
    x, y, z = evaluated(group, {"met": True, "n": 0, "s": "a"})
    assert (x, z) == (True, True)
    assert isinstance(y, RuleError)
    assert str(y) == "the rule of criterion 'y' failed: divide by zero"


def test_a_rule_that_fails_without_its_facts_fails_for_every_such_request(cel_runtime: str) -> None:
    """Where a failure and a missing fact meet in one `||`, cel-cpp gives what its left side
    gives and the Rust interpreter what its right side gives (docs/deciding.md, "The CEL
    runtime"): the rule fails on one, and is open on the other."""
    rule = "1 / size([]) > 0 || met" if cel_runtime == "cpp" else "met || 1 / size([]) > 0"
    rules = Rules(FACTS, {"x": "n > 1", "y": rule})
    group = rules.group(["x", "y"])
    for given_, x in [({}, None), ({}, None), ({"n": 3}, True)]:
        found = evaluated(group, given_)
        assert found[0] is x
        assert isinstance(found[1], RuleError)
        assert str(found[1]) == "the rule of criterion 'y' failed: divide by zero"
    assert evaluated(group, {"met": True}) == (None, True)
    other = "met || 1 / size([]) > 0" if cel_runtime == "cpp" else "1 / size([]) > 0 || met"
    assert Rules(FACTS, {"y": other}).evaluate("y", {}) is None


def test_rules_run_in_cel() -> None:
    rules = Rules(FACTS, {"x": "n % 2 == 0 || met", "y": "s.matches('^a+$')"})
    assert rules.evaluate("x", {"n": 4}) is True
    assert rules.evaluate("x", {"n": 3}) is None
    assert rules.evaluate("x", {"met": True}) is True
    assert rules.evaluate("y", {"s": "aaa"}) is True


# The commands, run in-process.


def run(module: Any, argv: list[str]) -> int:
    """Run a command module's run() with its own arguments."""
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    code: int = module.run(parser.parse_args(argv))
    return code


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    """The test policy written as charta.json."""
    path = tmp_path / "charta.json"
    path.write_text(json.dumps(policy_data()), "utf-8")
    return path


def test_decide_prints_the_decision_as_json(
    policy_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "request.json"
    request.write_text('{"platform": "xing", "facts": {"met": true}}', "utf-8")
    assert run(decide_command, [str(request), "--policy", str(policy_file), "--json"]) == 0
    out = capsys.readouterr().out
    request = {"platform": "xing", "facts": {"met": True}}
    assert json.loads(out) == decide(the_policy(), request).to_json()
    assert out.startswith(
        '{\n  "decision": "review",\n  "reasons": [],\n  "unmet": [],\n  "questions": [\n'
    )


def test_decide_prints_a_decline_for_a_reader(
    policy_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin('{"judgements": {"rude": true}}'))
    assert run(decide_command, ["-", "--policy", str(policy_file), "--name", "Max"]) == 0
    assert capsys.readouterr().out == (
        f"decline: rude\n\nHallo Max, nein: die Anfrage unhöflich ist {URL}#decline-rude\n"
    )


@pytest.mark.parametrize(
    ("request_text", "code", "error"),
    [
        ('{"facts": {"met": 1}}', 2, "-: facts.met: expected a bool (true or false), got 1"),
        ("{facts", 2, "-: not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"facts": {"score": NaN}}', 2, "-: not valid JSON: NaN is not a JSON value\n"),
        ("[" * 60_000, 2, "-: not valid JSON: nested too deeply\n"),
        ('{"facts": {"score": 1' + "0" * 5000 + "}}", 2, "-: not valid JSON: a number has too"),
        (" " * 65_537, 2, "-: is larger than 65,536 bytes, the most a request may have\n"),
    ],
    ids=["bad-fact", "not-json", "nan", "too-deep", "long-number", "too-large"],
)
def test_decide_refuses_a_bad_request_with_exit_code_2(
    policy_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request_text: str,
    code: int,
    error: str,
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(request_text))
    assert run(decide_command, ["-", "--policy", str(policy_file)]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"charta: error: {error}")


def test_decide_without_a_policy_fails_with_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "charta.json"
    assert run(decide_command, ["-", "--policy", str(missing)]) == 1
    assert capsys.readouterr().err == (
        f"charta: error: {missing}: no such file; build the charta first\n"
    )


def test_reply_prints_the_message_and_names_valid_ids(
    policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(reply_command, ["slogan", "--policy", str(policy_file), "--name", "Max"]) == 0
    assert capsys.readouterr().out == (
        f"Hallo Max, nein: Ein Spruch ersetzt keinen Anlass. {URL}#decline-slogan\n"
    )
    assert run(reply_command, ["met", "--policy", str(policy_file)]) == 0
    assert capsys.readouterr().out == (
        "Hallo, nein: - kein Grund oben zutrifft\n"
        f"- von Menschen, denen ich begegnet bin {URL}#accept-met\n"
    )  # an accept criterion is a condition not met, behind the fallback; the link goes to it
    assert run(reply_command, ["mett", "--policy", str(policy_file)]) == 2
    assert capsys.readouterr().err == (
        "charta: error: unknown criterion 'mett'; "
        "decline criteria: slogan, business-on-facebook, rude, no-reason; "
        "accept criteria: met, prospects, network, interest\n"
    )


def test_ask_asks_only_what_is_still_needed(
    policy_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked = answering(monkeypatch, ["xing", "vielleicht", "ja", "Hallo Erika", "nein"])
    assert run(ask_command, ["--policy", str(policy_file)]) == 0
    assert asked == [
        "> ",
        "Sind wir uns begegnet? [ja/nein] ",
        "Sind wir uns begegnet? [ja/nein] ",
        "Was steht darin? ",
        "Trifft das zu? die Anfrage unhöflich ist [ja/nein] ",
    ]
    assert capsys.readouterr().out.endswith("\nEntscheidung: annehmen (met)\n")


@pytest.mark.parametrize(
    "wrong",
    ["nan", "inf", "-1e999", "viel", "1" * 5000],
    ids=["nan", "inf", "-inf", "word", "long"],
)
def test_ask_asks_again_for_a_number_that_is_none(
    policy_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    wrong: str,
) -> None:
    choices = iter(["xing", "prospect"])  # the platform, then the relationship
    scores = iter([wrong, "4,5"])
    asked: list[str] = []

    def answer(prompt: str = "") -> str:
        asked.append(prompt)
        if prompt == "> ":
            return next(choices)
        if prompt.startswith("Wie gut passt es?"):
            return next(scores)
        return "nein" if "[ja/nein]" in prompt else ""

    monkeypatch.setattr(builtins, "input", answer)
    assert run(ask_command, ["--policy", str(policy_file)]) == 0
    assert asked.count("Wie gut passt es? (Zahl) ") == 2
    out = capsys.readouterr().out
    assert out.count("Bitte eine Zahl eingeben, etwa 2,5.\n") == 1
    assert out.endswith("\nEntscheidung: offen, noch zu klären:\n  - Was steht darin?\n")


def test_ask_leaves_the_rest_open_at_end_of_input(
    policy_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answering(monkeypatch, ["", "ja"])
    assert run(ask_command, ["--policy", str(policy_file)]) == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "Entscheidung: offen, noch zu klären:\n"
        "  - In welcher Beziehung stehen wir?\n"
        "  - Was steht darin?\n"
        "  - Trifft das zu? die Anfrage unhöflich ist\n"
        "  - Über welche Plattform kam die Anfrage? (XING, LinkedIn, Facebook)\n"
    )


class _Stdin:
    """A stand-in for sys.stdin that holds one text (read as bytes through `buffer`)."""

    def __init__(self, text: str) -> None:
        self.buffer = io.BytesIO(text.encode("utf-8"))


def test_the_policy_is_not_changed_by_deciding() -> None:
    data = policy_data()
    before = copy.deepcopy(data)
    decide(Policy.from_json(data), {"facts": {"met": True}})
    assert data == before


# What deciding keeps between requests: never a fact's value, only what the values of the
# criteria come to; and the quick paths through checking a request and evaluating its rules.

RUDE = {"platform": "xing", "facts": {"met": True}, "judgements": {"rude": True}}
"""A request declined for `rude`, whatever its facts."""


def test_a_name_is_put_into_every_decline_message_of_its_own() -> None:
    policy = Policy.from_json(policy_data())
    tail = f"nein: die Anfrage unhöflich ist {URL}#decline-rude"
    names = [None, "Max", "Erika", None, ""]
    messages = [decide(policy, RUDE, name).message for name in names]
    assert messages == [f"Hallo{' ' + name if name else ''}, {tail}" for name in names]


def _limited(limit: int) -> Policy:
    """policy_data() with a message_limit on XING that not every reason fits, compiled as a
    tool may compile a charta of its own (the policy reader refuses such a policy)."""
    charta = Policy.from_json(policy_data()).charta
    xing = dataclasses.replace(charta.platforms[0], message_limit=limit)
    return Policy.of(dataclasses.replace(charta, platforms=(xing, *charta.platforms[1:])))


def test_the_reader_refuses_a_limit_that_a_reason_does_not_fit() -> None:
    data = policy_data()
    data["platforms"][0]["message_limit"] = 90
    with pytest.raises(ChartaError) as raised:
        Policy.from_json(data)
    assert raised.value.format() == (
        "charta.json: platforms[0].message_limit: declining for 'slogan' (de): the decline "
        "message has 98 characters even at its shortest, but XING takes at most 90; shorten "
        "messages.decline or the first reason"
    )


def test_a_decline_whose_message_cannot_fit_fails_every_time() -> None:
    policy = _limited(90)
    assert len(decide(policy, RUDE).message or "") == 88
    for _ in range(2):  # a long name takes the room left, however often the same decline comes
        message = decide(policy, RUDE, "Maximilian Mustermann-Musterfrau").message
        assert message == decide(policy, RUDE).message  # not even "M…" fits: without the name
    policy = _limited(20)
    for _ in range(2):
        with pytest.raises(MessageTooLong):
            decide(policy, RUDE)


def test_a_failing_rule_fails_every_request_it_matters_for() -> None:
    data = policy_data()
    data["accept"]["criteria"][0]["when"] = "met || 100 / mutual_contacts > 5"
    policy = Policy.from_json(data)
    failing = {"platform": "xing", "facts": {**QUIET, "met": False, "mutual_contacts": 0}}
    for _ in range(2):
        with pytest.raises(RuleError, match="criterion 'met' failed: divide by zero"):
            decide(policy, failing)
    quiet = {"platform": "xing", "facts": {**QUIET, "met": False, "mutual_contacts": 50}}
    assert outcome(quiet, policy) == ("review", [], ["interest", "rude"])
    assert outcome({**quiet, "facts": {**QUIET, "met": False, "mutual_contacts": 1}}, policy) == (
        "review",
        [],
        ["rude"],
    )


def test_memory_stays_flat_as_requests_go_on() -> None:
    rng = random.Random(3)
    policy = Policy.from_json(policy_data())

    def requests(count: int) -> None:
        for index in range(count):
            facts = {"met": rng.random() < 0.5, "relationship": rng.choice(["prospect", "none"])}
            facts |= {"mutual_contacts": rng.randrange(100), "score": rng.random() * 5}
            facts["invitation_text"] = f"Hallo Erika {index} " + "x" * 1_970  # CEL copies it
            request = {"facts": {k: v for k, v in facts.items() if rng.random() < 0.8}}
            request["judgements"] = {k: rng.random() < 0.5 for k in ("rude", "interest")}
            request["platform"] = rng.choice(["xing", "linkedin", "facebook"])
            decide(policy, request, name=f"Name {index}")

    requests(3_000)
    before = _resident()
    requests(30_000)  # 60 MB of text went through CEL
    assert _resident() - before < 16 * 2**20


def _resident() -> int:
    """This process's resident memory in bytes (Linux)."""
    import os

    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.parametrize(
    ("values", "fact", "given", "problem"),
    [
        (["a", "\ud800"], "string", "\ud800", 'expected a string, got "\ud800"'),
        ([1, 2.5], "double", True, "expected a double (a number), got true"),
    ],
)
def test_an_allowed_value_that_does_not_fit_its_type_is_still_refused(
    values: list[Any], fact: str, given: Any, problem: str
) -> None:
    data = policy_data()
    data["facts"].append({"name": "x", "type": fact, "question": "x?", "values": values})
    with pytest.raises(RequestError) as raised:
        decide(Policy.from_json(data), {"facts": {"x": given}})
    assert str(raised.value) == f"facts.x: {problem}"


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ([True, 1], "facts[5].values[0]: True is not an int (the fact's type)"),
        ([3, 2**64], "facts[5].values[1]: expected an int from -2^63 to 2^63-1"),
    ],
)
def test_a_policy_whose_allowed_values_do_not_fit_their_type_is_refused(
    values: list[Any], problem: str
) -> None:
    data = policy_data()
    data["facts"].append({"name": "x", "type": "int", "question": "x?", "values": values})
    with pytest.raises(ChartaError) as raised:
        Policy.from_json(data)
    assert raised.value.format() == f"charta.json: {problem}"


def test_an_int_for_a_double_reaches_the_rules_and_leaves_the_request_alone() -> None:
    data = policy_data()
    data["facts"][4]["values"] = [1, 4]  # score, a double
    policy = Policy.from_json(data)
    facts = {**QUIET, "met": False, "relationship": "prospect", "score": 4}
    request = {"platform": "xing", "facts": facts, "judgements": {"rude": False}}
    assert outcome(request, policy) == ("accept", ["prospects"], [])
    assert type(facts["score"]) is int
    facts["score"] = 4.0
    assert outcome(request, policy) == ("accept", ["prospects"], [])
    with pytest.raises(RequestError, match=r"^facts\.score: expected one of 1, 4, got 4\.5$"):
        decide(policy, {"facts": {"score": 4.5}})


def test_facts_may_come_as_any_mapping() -> None:
    request = {"platform": "xing", "facts": MappingProxyType({**QUIET, "met": True})}
    assert outcome({**request, "judgements": MappingProxyType({"rude": False})}) == (
        "accept",
        ["met"],
        [],
    )


def test_a_rule_that_reads_the_platform_gets_it() -> None:
    data = policy_data()
    data["accept"]["criteria"][3]["when"] = 'platform == "xing" && met'  # interest
    policy = Policy.from_json(data)
    facts = {**QUIET, "met": True}
    assert outcome({"platform": "xing", "facts": facts}, policy) == ("review", [], ["rude"])
    judged = {"facts": facts, "judgements": {"rude": False}}
    assert outcome({**judged, "platform": "xing"}, policy) == ("accept", ["met", "interest"], [])
    assert outcome({**judged, "platform": "linkedin"}, policy) == ("accept", ["met"], [])
    assert outcome({"facts": {**QUIET, "met": False}, "judgements": {"rude": False}}, policy) == (
        "decline",
        ["no-reason"],
        [],
    )
    data["accept"]["criteria"][0]["when"] = 'platform == "xing" || met'
    policy = Policy.from_json(data)
    assert outcome({**judged, "facts": {**QUIET, "met": False}}, policy) == (
        "review",
        [],
        ["platform"],
    )


def test_rules_left_open_beside_decided_ones_and_a_failing_one() -> None:
    rules = Rules(FACTS, {"x": "met", "y": "n > 1", "z": "met && s == 'a'", "w": "100 / n > 5"})
    group = rules.group(["x", "y", "z"])
    assert evaluated(group, {"met": True, "n": 2}) == (True, True, None)
    assert evaluated(group, {"met": False, "n": 2}) == (False, True, False)
    assert evaluated(group, {"met": True, "s": "a"}) == (True, None, True)
    group = rules.group(["x", "w", "z"])
    x, w, z = evaluated(group, {"met": True, "n": 0})
    assert (x, z) == (True, None)
    assert str(w) == "the rule of criterion 'w' failed: divide by zero"


def _unfit(change: str) -> dict[str, Any]:
    """The test policy with one thing that does not fit its schema or its rules."""
    data = policy_data()
    if change == "limit as text":
        data["platforms"][0]["message_limit"] = "5"
    elif change == "alternative as number":
        data["declined"]["alternatives"] = [7]
    elif change == "id on both sides":
        data["decline"]["criteria"][2]["id"] = "met"
        data["decline"]["criteria"][2]["link"] = f"{URL}#decline-met"
    elif change == "two otherwise":
        data["decline"]["criteria"][2] |= {"otherwise": True}
    elif change == "otherwise with when":
        data["decline"]["criteria"][3]["when"] = "met"
    return data


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("limit as text", 'platforms[0].message_limit: expected an int, got "5"'),
        ("alternative as number", "declined.alternatives[0]: expected an object, got 7"),
        (
            "id on both sides",
            "decline.criteria[2].id: duplicate id 'met' (first at accept.criteria[0]; "
            "ids are unique in the whole charta)",
        ),
        (
            "two otherwise",
            "decline.criteria[3].otherwise: a second otherwise criterion (the first is "
            "decline.criteria[2]; at most one)",
        ),
        (
            "otherwise with when",
            "decline.criteria[3].when: an otherwise criterion takes no when (it holds when no "
            "accept criterion does)",
        ),
    ],
)
def test_decide_refuses_a_policy_that_does_not_fit_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str, error: str
) -> None:
    from kontaktcharta.cli import main

    policy = tmp_path / "charta.json"
    policy.write_text(json.dumps(_unfit(change)), "utf-8")
    request = tmp_path / "request.json"
    request.write_text('{"facts": {"met": true}}', "utf-8")
    assert main(["decide", str(request), "--policy", str(policy)]) == 1
    assert capsys.readouterr() == ("", f"charta: error: {policy}: {error}\n")
