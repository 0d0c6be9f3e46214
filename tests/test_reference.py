"""The compiled decider gives exactly what the plain reference gives, on random policies and
requests: the same decisions, reasons, questions and messages, and the same refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kontaktcharta.decide import Policy, decide
from kontaktcharta.messages import MessageTooLong
from kontaktcharta.policy import render_policy
from kontaktcharta.policy_reader import read_policy
from kontaktcharta.reference import Reference
from kontaktcharta.request import RequestError
from kontaktcharta.rules import RuleError
from policies import whole_policy

pytestmark = pytest.mark.usefixtures("cel_runtime")  # on each CEL runtime

URL = "https://erika.example/charta/"
PLATFORMS = ["xing", "linkedin", "facebook"]
TYPES = {"bool": st.booleans(), "int": st.integers(-3, 12), "double": st.floats(-3, 12)}
WORDS = ["kunde", "partner", "keiner", "Hallo Erika", "Kontakte schaden nur dem, der keine hat"]


@st.composite
def facts(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to five declared facts of every type, some with allowed values."""
    declared = []
    for index in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["bool", "int", "double", "string"]))
        fact: dict[str, Any] = {"name": f"f{index}", "type": kind, "question": f"Frage {index}?"}
        if kind == "string" and draw(st.booleans()):
            fact["values"] = draw(st.lists(st.sampled_from(WORDS), min_size=1, unique=True))
        elif kind == "int" and draw(st.booleans()):
            fact["values"] = [0, 3, 7]
        declared.append(fact)
    return declared


def atoms(fact: dict[str, Any]) -> list[str]:
    """Small rules that read one fact."""
    name, kind = fact["name"], fact["type"]
    if kind == "bool":
        return [name, f"!{name}"]
    if kind == "int":
        return [f"{name} >= 3", f"{name} < 7", f"100 / {name} > 20"]  # the last fails for 0
    if kind == "double":
        return [f"{name} > 2.5", f"{name} <= 0.0"]
    values = fact.get("values", WORDS)
    return [f'{name} == "{values[0]}"', f'{name}.contains("Kontakte")', f"size({name}) > 5"]


@st.composite
def rules(draw: st.DrawFn, declared: list[dict[str, Any]], platforms: list[str]) -> str | None:
    """A `when` over the facts and the platform, or None: a judgement."""
    pieces = [atom for fact in declared for atom in atoms(fact)]
    pieces += [f'platform == "{p}"' for p in platforms]
    if not pieces or draw(st.integers(0, 2)) == 0:
        return None
    rule = draw(st.sampled_from(pieces))
    for _ in range(draw(st.integers(0, 2))):
        rule = f"({rule}) {draw(st.sampled_from(['&&', '||']))} {draw(st.sampled_from(pieces))}"
    return rule


@st.composite
def criteria(
    draw: st.DrawFn,
    section: str,
    ids: list[str],
    declared: list[dict[str, Any]],
    platforms: list[str],
) -> list[dict[str, Any]]:
    made = []
    for _ in range(draw(st.integers(1, 4))):
        id_ = f"c{len(ids)}"
        ids.append(id_)
        criterion: dict[str, Any] = {
            "id": id_,
            "text": f"Kriterium {id_}",
            "html": f"Kriterium {id_}",
        }
        criterion["link"] = f"{URL}#{section}-{id_}"
        when = draw(rules(declared, platforms))
        if when is not None:
            criterion["when"] = when
        if platforms and draw(st.booleans()):
            criterion["platforms"] = draw(
                st.lists(st.sampled_from(platforms), min_size=1, unique=True)
            )
        if section == "decline" and draw(st.booleans()):
            criterion["reason"] = f"Weil {id_}."
        made.append(criterion)
    if section == "decline" and draw(st.booleans()):
        ids.append("no-reason")
        made.append(
            {
                "id": "no-reason",
                "text": "kein Grund oben zutrifft",
                "html": "kein Grund oben zutrifft",
                "link": f"{URL}#decline-no-reason",
                "otherwise": True,
            }
        )
    return made


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    """A whole JSON policy, as a build would write it."""
    declared = draw(facts())
    platforms = PLATFORMS[: draw(st.integers(0, 3))]
    limit = draw(st.sampled_from([None, None, 150, 400]))
    ids: list[str] = []
    return whole_policy(
        lang=draw(st.sampled_from(["de", "en"])),
        url=URL,
        platforms=[
            {
                "id": p,
                "name": p.title(),
                "use": "business",
                **({"message_limit": limit} if limit else {}),
            }
            for p in platforms
        ],
        facts=declared,
        accept={
            "title": "Gern",
            "match": draw(st.sampled_from(["any", "all"])),
            "criteria": draw(criteria("accept", ids, declared, platforms)),
        },
        decline={
            "title": "Nein, wenn",
            "criteria": draw(criteria("decline", ids, declared, platforms)),
        },
        declined={
            "title": "Abgelehnt",
            "text": "Nicht persönlich nehmen.",
            "html": "<p>Nicht persönlich nehmen.</p>",
            "alternatives": [{"text": "Folgen", "html": "Folgen", "url": "https://xing.example/e"}],
        },
        messages={
            "decline": draw(
                st.sampled_from(
                    ["Hallo {name}: {reasons} {url}", "{reasons}\n\n{alternatives}\n{url}"]
                )
            )
        },
    )


@st.composite
def requests(draw: st.DrawFn, policy: dict[str, Any]) -> dict[str, Any]:
    """A request for the policy; one in ten does not fit it in one way."""
    request: dict[str, Any] = {}
    platforms = [p["id"] for p in policy["platforms"]]
    if platforms and draw(st.booleans()):
        request["platform"] = draw(st.sampled_from(platforms))
    given_facts = {}
    for fact in policy["facts"]:
        if draw(st.integers(0, 3)) == 0:
            continue
        if "values" in fact:
            given_facts[fact["name"]] = draw(st.sampled_from(fact["values"]))
        elif fact["type"] == "string":
            given_facts[fact["name"]] = draw(st.sampled_from(WORDS))
        else:
            given_facts[fact["name"]] = draw(TYPES[fact["type"]])
    if given_facts or draw(st.booleans()):
        request["facts"] = given_facts
    everything = policy["accept"]["criteria"] + policy["decline"]["criteria"]
    judged = [c["id"] for c in everything if "when" not in c and not c.get("otherwise")]
    judgements = {id_: draw(st.booleans()) for id_ in judged if draw(st.integers(0, 2))}
    if judgements:
        request["judgements"] = judgements
    if draw(st.integers(0, 9)) == 0:
        wrong = draw(st.sampled_from(["platform", "fact", "value", "judgement", "key"]))
        if wrong == "platform":
            request["platform"] = "myspace"
        elif wrong == "fact":
            request.setdefault("facts", {})["unknown"] = 1
        elif wrong == "value" and policy["facts"]:
            request.setdefault("facts", {})[policy["facts"][0]["name"]] = (
                "ja" if policy["facts"][0]["type"] != "string" else 7
            )
        elif wrong == "judgement":
            request.setdefault("judgements", {})["nope"] = True
        else:
            request["colour"] = "blue"
    return request


def outcome(decide_it: Callable[[], Any]) -> tuple[str, Any]:
    """A decision as JSON, or the refusal with its message."""
    try:
        return "decided", decide_it().to_json()
    except (RequestError, RuleError, MessageTooLong) as error:
        return type(error).__name__, str(error)


SETTINGS = settings(
    max_examples=600,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(st.data())
def test_the_compiled_decider_decides_as_the_reference(data: st.DataObject) -> None:
    policy = data.draw(policies())
    charta = read_policy(policy)
    assert render_policy(charta) == policy, "the policy reads back to itself"
    compiled, plain = Policy.of(charta), Reference(charta)
    names = st.sampled_from([None, "Max", "{url} %s", "Ö" * 80])
    for _ in range(12):  # one compiled policy decides many requests, as a tool's would
        request = data.draw(requests(policy))
        name = data.draw(names)
        expected = outcome(lambda r=request, n=name: plain.decide(r, n))
        assert outcome(lambda r=request, n=name: decide(compiled, r, n)) == expected, request


def test_all_of_bound_criteria_that_hold_still_ask_for_the_platform() -> None:
    """Under `match: all` every accept criterion bound to a platform holds, but without a
    platform none surely applies: the platform is asked for, by both deciders."""
    accept = [
        {
            "id": f"c{i}",
            "text": f"k{i}",
            "html": f"k{i}",
            "link": f"{URL}#accept-c{i}",
            "when": "f0",
            "platforms": ["xing"],
        }
        for i in range(2)
    ]
    decline = [{"id": "d", "text": "d", "html": "d", "link": f"{URL}#decline-d", "when": "!f0"}]
    policy = whole_policy(
        url=URL,
        platforms=[{"id": p, "name": p, "use": "business"} for p in ("xing", "linkedin")],
        facts=[{"name": "f0", "type": "bool", "question": "f0?"}],
        accept={"title": "Gern", "match": "all", "criteria": accept},
        decline={"title": "Nein", "criteria": decline},
    )
    charta = read_policy(policy)
    request = {"facts": {"f0": True}}
    expected = Reference(charta).decide(request).to_json()
    assert decide(Policy.of(charta), request).to_json() == expected
    assert [q["name"] for q in expected["questions"]] == ["platform"]
