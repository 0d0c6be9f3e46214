"""Make the conformance suite from the Python reference.

    python conformance/generate.py          # write conformance/decide, refuse, policy.schema.json
    python conformance/generate.py --check  # exit 1 where the files differ from what it makes

The chartas are in conformance/chartas/; the requests, names and broken policies are written
below. Every expected result is what `kontaktcharta.decide` gives, checked against the plain
step-by-step reference (`kontaktcharta.reference`) before anything is written. Review the
result as a diff (`git diff conformance/`).
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kontaktcharta import limits
from kontaktcharta.decide import Policy, RequestError, decide
from kontaktcharta.errors import ChartaError
from kontaktcharta.load import load_charta
from kontaktcharta.policy import render_policy, revision
from kontaktcharta.policy_reader import read_policy
from kontaktcharta.reference import Reference
from kontaktcharta.rules import RuleError
from kontaktcharta.schema import policy_schema

HERE = Path(__file__).resolve().parent
CHARTAS = HERE / "chartas"

Case = dict[str, Any]
Change = Callable[[dict[str, Any]], Any]
"""A change to a policy, in place; what it returns, where not None, replaces the policy."""

NAMES = [
    "Max Muster",
    "  Anna\n  Berg  ",
    "Eve\u202egnilrac",
    "Zoe\u200b\u2060 Zero",
    "Ada\x1b[31m Lovelace",
    "Björn Ünal-Øster",
    "\u3164\u200d",
    " ".join(["Maximiliane"] * 9),
]
"""Requesters' names: plain, with line breaks, a bidi override, zero-width and joiner
characters, a terminal escape, letters beyond ASCII, only invisible characters, too long."""

SAMPLES = {
    "bool": [True, False],
    "int": [0, 1, 3, 4, 7],
    "double": [0.05, 0.5, 0.75],
    "string": ["Hi", "Hi du", "Ein Angebot für Sie", "RABATT JETZT!", "Hello, we met in Köln"],
}
"""Values tried for a fact without declared values."""


def policy_of(charta: str) -> dict[str, Any]:
    """The policy a build writes for conformance/chartas/<charta>.yaml."""
    return render_policy(load_charta(CHARTAS / f"{charta}.yaml"))


def outcome(policy: Policy, reference: Reference, request: Any, name: str | None) -> Case:
    """What deciding gives: the result, or the error a reader must raise; the fast path and
    the reference must agree."""
    found = []
    for decider in (lambda: decide(policy, request, name), lambda: reference.decide(request, name)):
        try:
            found.append({"result": decider().to_json()})
        except RequestError as error:
            text = str(error)
            path = "" if text.startswith("a request ") else text.split(": ", 1)[0]
            found.append({"error": {"kind": "request", "path": path, "message": text}})
        except RuleError as error:
            criterion = re.search(r"criterion '([^']+)'", str(error))
            assert criterion is not None, error
            kind = {"kind": "rule", "criterion": criterion[1], "message": str(error)}
            found.append({"error": kind})
    if found[0] != found[1]:
        raise SystemExit(f"the reference and decide differ for {request!r}: {found}")
    return found[0]


def group(description: str, data: dict[str, Any], cases: list[tuple[str, Any, Any]]) -> Case:
    """A group of decide/: the policy and each (description, request, name) with its outcome.
    A name of None is left out of the case."""
    policy = Policy.from_json(data)
    reference = Reference(read_policy(copy.deepcopy(data)))
    made = []
    for text, request, name in cases:
        case: Case = {"description": text, "request": request}
        if name is not None:
            case["name"] = name
        case.update(outcome(policy, reference, request, name))
        made.append(case)
    return {"description": description, "policy": data, "cases": made}


def spread(data: dict[str, Any], count: int, seed: int, names: bool = False) -> list[Any]:
    """`count` different requests across the policy's platforms, facts and judgements: each
    fact given one of its values or left out, each judgement given or not."""
    rng = random.Random(seed)
    judgeable = [
        c["id"]
        for side in ("accept", "decline")
        for c in data[side]["criteria"]
        if "when" not in c and not c.get("otherwise")
    ]
    platforms = [None, *(p["id"] for p in data["platforms"])]
    seen: set[str] = set()
    cases = []
    while len(cases) < count:
        request: dict[str, Any] = {}
        platform = rng.choice(platforms)
        if platform is not None:
            request["platform"] = platform
        facts = {}
        for fact in data["facts"]:
            if rng.random() < 0.75:
                facts[fact["name"]] = rng.choice(fact.get("values") or SAMPLES[fact["type"]])
        request["facts"] = facts
        judgements = {i: rng.choice([True, False]) for i in judgeable if rng.random() < 0.6}
        if judgements:
            request["judgements"] = judgements
        key = json.dumps(request, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        name = NAMES[len(cases) % len(NAMES)] if names else None
        cases.append((describe(request), request, name))
    return cases


def describe(request: dict[str, Any]) -> str:
    """A request in words, for a case's description."""
    parts = [f"on {request['platform']}" if "platform" in request else "no platform"]
    facts = request.get("facts", {})
    parts += [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in facts.items()] or ["no facts"]
    parts += [f"judged {k}={json.dumps(v)}" for k, v in request.get("judgements", {}).items()]
    return ", ".join(parts)


def decide_groups() -> Iterator[tuple[str, list[Case]]]:
    """The files of decide/ and their groups."""
    anyof = policy_of("any")
    yield (
        "any",
        [
            group(
                "match: any, by hand: each step of the decision",
                anyof,
                [
                    ("met in person: accept", {"platform": "xing", "facts": {"met": True}}, None),
                    (
                        "a customer who has not met me: accept on business alone",
                        {"platform": "linkedin", "facts": {"relationship": "kunde", "met": False}},
                        None,
                    ),
                    (
                        "met, but the note sells something: a decline wins over an accept",
                        {"platform": "xing", "facts": {"met": True, "note": "Mein Angebot"}},
                        "Max Muster",
                    ),
                    (
                        "met, with the sales rule still open: review asks for the note",
                        {"platform": "xing", "facts": {"met": True, "shared": 2}},
                        None,
                    ),
                    (
                        "nothing holds and nothing is open: the fallback declines",
                        {
                            "platform": "xing",
                            "facts": {
                                "met": False,
                                "relationship": "keine",
                                "shared": 2,
                                "closeness": 0.2,
                                "note": "Hallo",
                            },
                            "judgements": {"careful-reader": False},
                        },
                        "Max Muster",
                    ),
                    (
                        "two decline criteria hold: both are reasons, in charta order",
                        {
                            "platform": "linkedin",
                            "facts": {"met": False, "shared": 0, "note": "Rabatt!"},
                        },
                        "Max Muster",
                    ),
                    ("an empty request: review asks everything", {}, None),
                    ("facts left empty", {"facts": {}}, None),
                    (
                        "a colleague on XING: the bound criterion applies",
                        {"platform": "xing", "facts": {"relationship": "kollege", "note": "x"}},
                        None,
                    ),
                    (
                        "a colleague on Facebook: the bound criterion does not apply",
                        {
                            "platform": "facebook",
                            "facts": {"relationship": "kollege", "met": True, "note": "x"},
                            "judgements": {"private-only": False},
                        },
                        None,
                    ),
                    (
                        "a colleague without a platform: whether it applies is open",
                        {"facts": {"relationship": "kollege", "note": "x", "shared": 5}},
                        None,
                    ),
                    (
                        "a judgement decides the accept side",
                        {
                            "platform": "xing",
                            "facts": {"note": "Ihr Vortrag", "shared": 1},
                            "judgements": {"careful-reader": True},
                        },
                        None,
                    ),
                    (
                        "Facebook's own decline criterion, judged true",
                        {"platform": "facebook", "judgements": {"private-only": True}},
                        "Anna Berg",
                    ),
                    (
                        "an int given for a double fact counts as that double",
                        {
                            "platform": "xing",
                            "facts": {"closeness": 1, "shared": 3, "note": "Hallo"},
                        },
                        None,
                    ),
                    (
                        "a double at the bound holds",
                        {
                            "platform": "xing",
                            "facts": {"closeness": 0.6, "shared": 3, "note": "Hallo"},
                        },
                        None,
                    ),
                ],
            ),
            group("match: any, across requests", anyof, spread(anyof, 90, 1, names=True)),
        ],
    )
    allof = policy_of("all")
    yield (
        "all",
        [
            group(
                "match: all, by hand: unmet conditions and their reasons",
                allof,
                [
                    (
                        "every condition holds on LinkedIn",
                        {
                            "platform": "linkedin",
                            "facts": {"known": True, "mutual": 4, "overlap": 0.5},
                            "judgements": {"friendly": True, "fake": False},
                        },
                        None,
                    ),
                    (
                        "on Facebook the LinkedIn-only condition does not count",
                        {
                            "platform": "facebook",
                            "facts": {"known": True, "mutual": 9},
                            "judgements": {"friendly": True, "fake": False},
                        },
                        None,
                    ),
                    (
                        "two conditions fail: both are unmet, the fallback is the reason",
                        {
                            "platform": "linkedin",
                            "facts": {"known": False, "mutual": 1, "overlap": 0.9},
                        },
                        "Robin's friend",
                    ),
                    (
                        "one condition fails while others are open: still a decline",
                        {"platform": "linkedin", "facts": {"mutual": 0}},
                        "Max Muster",
                    ),
                    (
                        "a failing condition whose platform is open is not unmet",
                        {"facts": {"known": False, "overlap": 0.1}},
                        None,
                    ),
                    (
                        "a fake profile is ignored: no reply, no message",
                        {"platform": "linkedin", "judgements": {"fake": True}},
                        "Max Muster",
                    ),
                    (
                        "all hold but the platform is open",
                        {
                            "facts": {"known": True, "mutual": 5, "overlap": 0.7},
                            "judgements": {"friendly": True, "fake": False},
                        },
                        None,
                    ),
                    (
                        "the judgement fails: unmet names it",
                        {
                            "platform": "facebook",
                            "facts": {"known": True, "mutual": 5},
                            "judgements": {"friendly": False},
                        },
                        "Sam",
                    ),
                ],
            ),
            group("match: all, across requests", allof, spread(allof, 70, 2, names=True)),
        ],
    )
    logic = policy_of("logic")
    failing, order = policy_of("failing"), policy_of("order")
    yield ("logic", [logic_group(logic), failing_group(failing), order_group(order)])
    messages = policy_of("messages")
    yield ("messages", [message_group(messages), elsewhere_group(messages)])
    quiet = policy_of("quiet")
    yield (
        "ignoring",
        [group("reply: false, with the default German template", quiet, quiet_cases())],
    )
    platforms = policy_of("bound")
    yield ("platforms", [group("platforms in rules and on criteria", platforms, bound(platforms))])
    yield ("requests", [group("requests a reader must refuse", anyof, refused_requests())])
    translated = policy_of("translated")
    yield ("translations", [group("a policy with a translation", translated, translated_cases())])


def logic_group(data: dict[str, Any]) -> Case:
    """Commutative logic: a missing fact leaves open only what needs it; a failing rule stops
    the decision only where its value matters."""
    cases: list[tuple[str, Any, Any]] = []
    values: dict[str, list[Any]] = {
        "a": [True, False, None],
        "b": [True, False, None],
        "count": [0, 4, 6, 12, None],
        "ratio": [0.05, 0.75, None],
    }
    for a, b, count, ratio in itertools.product(*values.values()):
        facts = {
            k: v
            for k, v in {"a": a, "b": b, "count": count, "ratio": ratio, "divisor": 2}.items()
            if v is not None
        }
        facts["text"] = "A calm note"
        cases.append((describe({"facts": facts}), {"facts": facts}, None))
    for text in ["Hi", "Hi!", "Hiya you", "STOP IT!", "NO", "a good offer", "deal", "Stop it!"]:
        for b in (True, False):
            request = {"facts": {"text": text, "b": b, "ratio": 0.5, "a": False}}
            cases.append((describe(request), request, "Kim"))
    for facts, why in [
        ({"count": 5, "divisor": 0}, "division by zero where the value matters: an error"),
        (
            {"count": 5, "divisor": 0, "text": "Hi"},
            "division by zero, but a decline criterion holds: decline",
        ),
        (
            {"count": 5, "divisor": 0, "a": True, "b": True},
            "division by zero, but another accept criterion holds",
        ),
        ({"count": 5, "divisor": 0, "a": True}, "division by zero beside an open rule"),
        ({"count": 9223372036854775807, "divisor": 1}, "the largest int"),
        ({"count": -9223372036854775808, "divisor": -1}, "an int that overflows when divided"),
        ({"count": 2, "divisor": 5}, "integer division rounds toward zero"),
        ({"count": -7, "divisor": 2, "text": "x", "ratio": 0.5}, "a negative count"),
        ({"text": "ÄÖÜ!", "b": False, "ratio": 0.5}, "letters beyond ASCII do not match [A-Z]"),
        ({"text": "Hi 👋", "b": False, "ratio": 0.5}, "size() counts code points"),
    ]:
        cases.append((why, {"facts": facts}, None))
    cases.append(("a platform in a charta without platforms", {"platform": "xing"}, None))
    return group("open facts, commutative logic, CEL's numbers and strings", data, cases)


def failing_group(data: dict[str, Any]) -> Case:
    """Failing rules: which stops deciding, which is named, and a failure beside a missing fact."""
    cases: list[tuple[str, Any, Any]] = [
        (
            "two decline rules fail: the first in charta order is named",
            {"platform": "decline-side", "facts": {"z": 0, "a": True, "b": False}},
            None,
        ),
        (
            "a failing decline rule stops deciding, although another decline criterion holds",
            {"platform": "decline-side", "facts": {"z": 0, "b": True}},
            None,
        ),
        (
            "a failing accept rule stops deciding, although another accept criterion holds",
            {"platform": "accept-side", "facts": {"z": 0, "a": True, "b": False}},
            None,
        ),
        (
            "a failing accept rule does not stop a decline",
            {"platform": "accept-side", "facts": {"z": 0, "b": True}},
            None,
        ),
        (
            "a failing accept rule stops deciding where a decline criterion is open",
            {"platform": "accept-side", "facts": {"z": 0, "a": True}},
            None,
        ),
        (
            "a failing decline rule is named before a failing accept rule",
            {"platform": "both-sides", "facts": {"z": 0, "a": True, "b": False}},
            None,
        ),
        (
            "without a platform every rule runs: the first failing decline rule is named",
            {"facts": {"z": 0, "a": True, "b": False}},
            None,
        ),
        (
            "on a platform where no failing rule applies, nothing fails",
            {"platform": "deep", "facts": {"z": 0, "a": True, "b": True}},
            None,
        ),
    ]
    platforms = [None, *(p["id"] for p in data["platforms"])]
    for platform, z, a, b in itertools.product(platforms, [0, 5], [True, False], [True, False]):
        request: dict[str, Any] = {"facts": {"z": z, "a": a, "b": b}}
        if platform is not None:
            request = {"platform": platform, **request}
        cases.append((describe(request), request, None))
    for facts in [{"a": True, "b": False}, {"a": False, "b": False}, {"b": False}]:
        request = {"platform": "deep", "facts": facts}
        cases.append((f"rules of 32 levels: {describe(request)}", request, None))
    return group("failing rules, and a failure beside a missing fact", data, cases)


def order_group(data: dict[str, Any]) -> Case:
    """Where a failing part and a missing fact meet in one rule: which of them the rule gives."""
    cases: list[tuple[str, Any, Any]] = []
    for criterion in data["decline"]["criteria"]:
        rule, platform = criterion["when"], criterion["platforms"][0]
        for b, given in ((None, "without b"), (True, "b true"), (False, "b false")):
            facts: dict[str, Any] = {"z": 0} if b is None else {"z": 0, "b": b}
            text = f"`{rule}` with z = 0, {given}"
            cases.append((text, {"platform": platform, "facts": facts}, None))
    return group("which of two failures a rule gives", data, cases)


def message_group(data: dict[str, Any]) -> Case:
    """Every decline on every platform, with every name: templates and limits."""
    cases: list[tuple[str, Any, Any]] = []
    platforms = [None, "xing", "linkedin", "facebook", "mastodon"]
    declines = [
        {"pitch": True},
        {"empty": True},
        {"copied": True},
        {"pitch": True, "empty": True},
        {"pitch": True, "empty": True, "copied": True},
        {"pitch": False, "empty": False, "copied": False, "met": False},
    ]
    for index, (platform, facts) in enumerate(itertools.product(platforms, declines)):
        request: dict[str, Any] = {"facts": facts}
        if platform is not None:
            request["platform"] = platform
        cases.append((describe(request), request, NAMES[index % len(NAMES)]))
    for platform, name in itertools.product(platforms, [*NAMES, "", None, *LONG_NAMES]):
        request = {"facts": {"pitch": True, "copied": True}}
        if platform is not None:
            request["platform"] = platform
        cases.append((f"{describe(request)}, named {name!r}", request, name))
    for platform in ["linkedin", "mastodon"]:
        for facts in [{"course": True}, {"course": True, "pitch": True}]:
            request = {"platform": platform, "facts": facts}
            why = "the reason of course, as long as its text, is its short form too"
            cases.append((f"{describe(request)}: {why}", request, "Max Muster"))
    return group("decline messages: templates, placeholders, limits and names", data, cases)


LONG_NAMES = [
    "Ωmega " * 20,
    "a" * 70,
    "Prof. Dr. Anna-Lena Berg-Schmidt-Mustermann, M.A., LL.M., Dipl.-Kffr. Übersetzerin",
    "Anna-Lena Berg-Schmidt-Mustermann-Lüdenscheid-Oberkirchen, M.A. (Köln)",
    "Ada\x1cLovelace\x1f\x1d",
    "\u3000Kim\u2028Lee\u00a0\u0085",
    "Zoë\u00adSchmidt\ufeff\U000f0000",
]
"""Names a message shortens, or cleans: many words, one word of 70 letters, cuts that end at
punctuation, U+001C to U+001F and other whitespace (spaces, not taken out), a soft hyphen, a
byte order mark and a private-use character (taken out)."""


def written_elsewhere(data: dict[str, Any]) -> dict[str, Any]:
    """The policy of messages.yaml with texts no build writes but a reader takes: line breaks,
    a tab and an ideographic space in a criterion's text and an alternative's."""
    data = copy.deepcopy(data)
    data["decline"]["criteria"][1]["text"] = "leere\n\tEinladungen\u3000"
    data["declined"]["alternatives"][1]["text"] = "Mir auf einer\nKonferenz\u3000 begegnen"
    data["revision"] = revision(data)
    return data


def elsewhere_group(data: dict[str, Any]) -> Case:
    """A message from texts with line breaks: each reason and alternative on one line."""
    cases: list[tuple[str, Any, Any]] = []
    for platform in [None, "xing", "facebook"]:
        for facts in [{"empty": True}, {"empty": True, "pitch": True}]:
            request: dict[str, Any] = {"facts": facts}
            if platform is not None:
                request["platform"] = platform
            cases.append((describe(request), request, "Kim"))
    return group("decline messages from texts with line breaks", written_elsewhere(data), cases)


def bound(data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """A rule that reads `platform`, bound criteria whose value is decided while whether they
    apply is open, and an `otherwise` criterion with platforms."""
    sales = '`platform == "xing" && pitch`'
    requests = [
        (
            f"without a platform, {sales} with pitch true is open: the review asks for the "
            "platform",
            {"facts": {"pitch": True, "met": True, "shared": 5, "copied": False}},
        ),
        (
            f"without a platform, {sales} with pitch false is false: accept",
            {"facts": {"pitch": False, "met": True, "shared": 5, "copied": False}},
        ),
        (f"on XING, {sales} holds", {"platform": "xing", "facts": {"pitch": True}}),
        (
            f"on LinkedIn, {sales} is false",
            {
                "platform": "linkedin",
                "facts": {"pitch": True, "met": True, "shared": 5, "copied": False},
            },
        ),
        (
            "on XING without pitch: the review asks for pitch, not for the platform",
            {"platform": "xing", "facts": {"met": True}},
        ),
        ("nothing given: the review asks for every fact and the platform", {}),
        (
            "without a platform, the LinkedIn rule `copied || shared < 2` is true whatever "
            "shared is: the review asks only for the platform, not for shared",
            {"facts": {"pitch": False, "met": True, "copied": True}},
        ),
        (
            "without a platform, the same rule open: the review asks for shared and the platform",
            {"facts": {"pitch": False, "met": True, "copied": False}},
        ),
        (
            "without a platform, the LinkedIn accept criterion is true but may not apply: the "
            "review asks for the platform",
            {"facts": {"pitch": False, "met": False, "shared": 5, "copied": False}},
        ),
        (
            "without a platform, everything false: the otherwise criterion declines",
            {"facts": {"pitch": False, "met": False, "shared": 2, "copied": False}},
        ),
        (
            "null as the platform is no platform: as the request before",
            {
                "platform": None,
                "facts": {"pitch": False, "met": False, "shared": 2, "copied": False},
            },
        ),
        (
            "on Mastodon, everything false: the otherwise criterion declines",
            {"platform": "mastodon", "facts": {"pitch": False, "met": False}},
        ),
        (
            "on XING, everything false: the otherwise criterion declines here too, as its "
            "platforms are ignored",
            {"platform": "xing", "facts": {"pitch": False, "met": False}},
        ),
        (
            "on LinkedIn, few shared contacts: declined by the bound criterion",
            {"platform": "linkedin", "facts": {"pitch": False, "met": True, "shared": 1}},
        ),
    ]
    cases = [(why, request, "Max Muster") for why, request in requests]
    return cases + spread(data, 90, 3)


def quiet_cases() -> list[tuple[str, Any, Any]]:
    """Declines that are answered and declines that are not."""
    requests = [
        ({"facts": {"words": 0}}, "an empty invitation is ignored"),
        ({"facts": {"words": 0, "recruiter": True}}, "one reason ignored, one answered: ignored"),
        ({"facts": {"words": 2, "recruiter": True}}, "a recruiter gets an answer"),
        ({"facts": {"words": 2, "recruiter": False}}, "the ignored fallback"),
        ({"facts": {"words": 7, "recruiter": False}}, "accept"),
        ({"facts": {"words": 7}}, "accept with the recruiter rule open: review"),
        ({"platform": "linkedin", "facts": {"words": 3}}, "review: is it a recruiter?"),
        ({"facts": {"recruiter": True}}, "a recruiter, words unknown: decline"),
    ]
    return [(why, request, "Max Muster") for request, why in requests]


def translated_cases() -> list[tuple[str, Any, Any]]:
    """Requests by a policy with a translation: decided in the main language."""
    requests = [
        (
            "a sales pitch on LinkedIn: the main language's own template",
            {"platform": "linkedin", "facts": {"pitch": True}},
        ),
        (
            "a sales pitch on XING: the main language's default template",
            {"platform": "xing", "facts": {"pitch": True}},
        ),
        (
            "nothing holds: the fallback",
            {
                "platform": "xing",
                "facts": {"met": False, "pitch": False},
                "judgements": {"careful": False},
            },
        ),
        ("nothing given: the main language's questions", {}),
        ("met: accept", {"platform": "linkedin", "facts": {"met": True, "pitch": False}}),
    ]
    return [(why, request, "Max Muster") for why, request in requests]


def refused_requests() -> list[tuple[str, Any, Any]]:
    """Requests that do not fit the policy of any.yaml, and some that just fit."""
    requests: list[tuple[str, Any]] = [
        ("a list is not a request", []),
        ("a text is not a request", "xing"),
        ("null is not a request", None),
        ("an unknown key", {"platfrom": "xing"}),
        ("an undeclared platform", {"platform": "mastodon"}),
        ("a platform must be a text", {"platform": 1}),
        ("null as the platform: decided as without a platform", {"platform": None}),
        ("facts must be an object", {"facts": ["met"]}),
        ("an undeclared fact", {"facts": {"age": 3}}),
        ("a bool fact given a text", {"facts": {"met": "ja"}}),
        ("a bool fact given a number", {"facts": {"met": 1}}),
        ("a fact given null", {"facts": {"met": None}}),
        ("an int fact given a fraction", {"facts": {"shared": 2.5}}),
        ("an int fact given a whole double", {"facts": {"shared": 2.0}}),
        ("an int fact given a bool", {"facts": {"shared": True}}),
        ("an int fact beyond 64 bits", {"facts": {"shared": 2**63}}),
        ("an int fact at the 64-bit bound", {"facts": {"shared": 2**63 - 1}}),
        ("an int fact below the 64-bit bound", {"facts": {"shared": -(2**63) - 1}}),
        ("a double fact given a text", {"facts": {"closeness": "0.5"}}),
        ("a double fact given a bool", {"facts": {"closeness": False}}),
        ("a string fact given a number", {"facts": {"note": 5}}),
        ("a value outside the fact's values", {"facts": {"relationship": "freund"}}),
        ("a value of the wrong case", {"facts": {"relationship": "Kunde"}}),
        (
            f"a string fact of {limits.FACT_TEXT} characters",
            {"facts": {"note": "x" * limits.FACT_TEXT}},
        ),
        (
            f"a string fact of {limits.FACT_TEXT + 1} characters",
            {"facts": {"note": "x" * (limits.FACT_TEXT + 1)}},
        ),
        ("a string fact with a lone surrogate", {"facts": {"note": "a\ud800b"}}),
        ("judgements must be an object", {"judgements": ["careful-reader"]}),
        ("a judgement of a criterion with a rule", {"judgements": {"met": True}}),
        ("a judgement of the otherwise criterion", {"judgements": {"otherwise": True}}),
        ("a judgement of no criterion", {"judgements": {"nobody": True}}),
        ("a judgement that is not a bool", {"judgements": {"careful-reader": "yes"}}),
    ]
    return [(why, request, None) for why, request in requests]


def refuse_groups() -> Iterator[tuple[str, list[Case]]]:
    """The files of refuse/: policies every reader must refuse, with the paths named. Each
    changes the policy of any.yaml, but those of translations/ that of translated.yaml."""
    for topic, changes in REFUSALS.items():
        base = policy_of("translated" if topic == "translations" else "any")
        yield topic, [refused(base, why, change) for why, change in changes]


def refused(base: dict[str, Any], description: str, change: Change) -> Case:
    """The base policy changed, with the problems the reference names."""
    data = copy.deepcopy(base)
    replaced = change(data)
    if replaced is not None:
        data = replaced
    if isinstance(data, dict) and "revision" in data:
        data["revision"] = revision(data)
    try:
        read_policy(copy.deepcopy(data))
    except ChartaError as error:
        problems = []
        for problem in error.problems:
            limit = re.search(r"\(limit: ([^)]+)\)$", problem.message)
            entry = {"path": problem.path, "message": problem.message}
            if limit:
                entry = {"path": problem.path, "limit": limit[1], "message": problem.message}
            problems.append(entry)
        return {"description": description, "policy": data, "problems": problems}
    raise SystemExit(f"the reference accepts the policy meant to be refused: {description}")


def setting(path: str, value: Any) -> Change:
    """A change that sets one key (dots and [index]) to a value."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = _steps(path)
        target: Any = data
        for step in parents:
            target = target[step]
        target[last] = value

    return change


def removing(path: str) -> Change:
    """A change that removes one key."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = _steps(path)
        target: Any = data
        for step in parents:
            target = target[step]
        del target[last]

    return change


def _steps(path: str) -> list[Any]:
    return [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[]+", path)]


def criteria(side: str, count: int) -> Change:
    """`count` criteria with rules on one side (and the fallback on the decline side)."""

    def change(data: dict[str, Any]) -> None:
        made = [
            {
                "id": f"c{i}",
                "text": f"c{i}",
                "html": f"c{i}",
                "link": f"{data['url']}#{side}-c{i}",
                "when": "met",
            }
            for i in range(count)
        ]
        data[side]["criteria"] = made

    return change


def rule(expression: str) -> Change:
    return setting("accept.criteria[0].when", expression)


def many(path: str, count: int, make: Callable[[int], Any]) -> Change:
    return setting(path, [make(i) for i in range(count)])


def _fact(i: int) -> dict[str, Any]:
    return {"name": f"f{i}", "type": "bool", "question": f"f{i}?"}


def _platform(i: int) -> dict[str, Any]:
    return {"id": f"p{i}", "name": f"P{i}", "use": "business"}


def _alternative(i: int) -> dict[str, Any]:
    return {"text": f"a{i}", "html": f"a{i}"}


def _example(i: int) -> dict[str, Any]:
    return {"name": f"e{i}", "request": {"facts": {"met": True}}, "expect": "accept"}


_FIFTY = list(range(50))


def both(*changes: Change) -> Change:
    def change(data: dict[str, Any]) -> None:
        for each in changes:
            each(data)

    return change


REFUSALS: dict[str, list[tuple[str, Change]]] = {
    "schema": [
        ("the policy is not an object", lambda d: ["not", "a", "policy"]),
        ("format version 2", setting("charta", 2)),
        ("the language tag is missing", removing("lang")),
        ("the title is a number", setting("title", 7)),
        ("an unknown key at the top", setting("colour", "blue")),
        ("an unknown key in a criterion", setting("accept.criteria[0].colour", "blue")),
        ("a criterion without a text", removing("accept.criteria[1].text")),
        ("the accept list is missing", removing("accept")),
        ("match is neither any nor all", setting("accept.match", "some")),
        ("a platform's use is unknown", setting("platforms[0].use", "work")),
        ("a fact's type is unknown", setting("facts[0].type", "float")),
        ("a message limit of zero", setting("platforms[1].message_limit", 0)),
        ("a date that is not a date", setting("updated", "30.11.2026")),
        ("an id that is not a slug", setting("decline.criteria[0].id", "Sales Pitch")),
        ("criteria must be a list", setting("decline.criteria", {})),
        ("reply must be true or false", setting("decline.criteria[0].reply", "no")),
        ("a text with a control character", setting("title", "Kontakt\x07charta")),
        ("an owner URL that is not http(s)", setting("owner.url", "ftp://jonas.example/")),
    ],
    "semantics": [
        ("two criteria with one id", setting("accept.criteria[1].id", "met")),
        ("an id shared across the lists", setting("decline.criteria[0].id", "met")),
        (
            "three criteria with one id: the second and the third are named",
            both(setting("accept.criteria[1].id", "met"), setting("accept.criteria[3].id", "met")),
        ),
        ("two otherwise criteria", setting("decline.criteria[0].otherwise", True)),
        ("an otherwise criterion with a rule", setting("decline.criteria[3].when", "met")),
        ("an undeclared platform in a criterion", setting("accept.criteria[2].platforms", ["x"])),
        ("two platforms with one id", setting("platforms[1].id", "xing")),
        ("two facts with one name", setting("facts[1].name", "met")),
        ("a rule that does not parse", rule("met &&")),
        ("a rule that reads an undeclared fact", rule("age > 3")),
        ("a rule that is not a bool", rule("shared + 1")),
        ("a rule comparing a text with a number", rule("note > 3")),
        ("a fact value of the wrong type", setting("facts[1].values", ["kunde", 3])),
        ("a wrong deep link", setting("accept.criteria[0].link", "https://x.example/#met")),
        ("an unknown placeholder", setting("messages.decline", "Hallo {vorname} {url}")),
        (
            "an alternative that runs script",
            setting("declined.alternatives[0].url", "javascript:alert(1)"),
        ),
        (
            "an alternative on a data: URL",
            setting("declined.alternatives[0].url", "data:text/html,x"),
        ),
        (
            "an alternative without a scheme",
            setting("declined.alternatives[0].url", "//evil.example/"),
        ),
        ("a message limit too small for the reasons", setting("platforms[1].message_limit", 40)),
        (
            "a fallback bound to one platform is checked against every limit",
            both(
                setting("platforms[1].message_limit", 400),
                setting("decline.criteria[3].platforms", ["xing"]),
                setting("decline.criteria[3].reason", "Woher kennen wir uns? " * 20),
                setting("decline.criteria[3].text", "wenn nichts oben zutrifft " * 20),
                setting("decline.criteria[3].html", "wenn nichts oben zutrifft " * 20),
            ),
        ),
    ],
    "limits": [
        (f"{limits.CRITERIA + 1} accept criteria", criteria("accept", limits.CRITERIA + 1)),
        (f"{limits.FACTS + 1} facts", many("facts", limits.FACTS + 1, _fact)),
        (
            f"{limits.FACT_VALUES + 1} values of one fact",
            setting("facts[1].values", [f"v{i}" for i in range(limits.FACT_VALUES + 1)]),
        ),
        (f"{limits.PLATFORMS + 1} platforms", many("platforms", limits.PLATFORMS + 1, _platform)),
        (
            f"{limits.ALTERNATIVES + 1} alternatives",
            many("declined.alternatives", limits.ALTERNATIVES + 1, _alternative),
        ),
        (
            f"{limits.EXAMPLES + 1} examples",
            many("examples", limits.EXAMPLES + 1, _example),
        ),
        (
            f"{limits.TRANSLATIONS + 1} translations",
            setting(
                "translations",
                {f"en-{i:03d}": {"title": "Contacts"} for i in range(limits.TRANSLATIONS + 1)},
            ),
        ),
        (
            f"a rule of {limits.RULE_LENGTH + 1} characters",
            rule("met" + " " * (limits.RULE_LENGTH - 5) + "||met"),
        ),
        ("a rule nested too deep", rule("(" * 40 + "met" + ")" * 40)),
        ("a rule of 34 levels", rule("met == (" * 33 + "met" + ")" * 33)),
        (
            "32 operators inside one another: 33 levels",
            rule("met == (" * 31 + "met == met" + ")" * 31),
        ),
        (
            "a macro around 30 operators: 33 levels",
            rule("[1].exists(x, " + "met == (" * 29 + "met == met" + ")" * 29 + ")"),
        ),
        ("33 parentheses inside one another", rule("(" * 33 + "met" + ")" * 33)),
        ("33 levels as written, though the tree has one", rule("!!(" * 31 + "!!met" + ")" * 31)),
        ("macros three deep", rule("[[[1]]].exists(a, a.exists(b, b.exists(c, c == shared)))")),
        ("a list literal of 51 entries", rule(f"shared in {list(range(51))}")),
        ("a pattern that is not written in the rule", rule("note.matches(note)")),
        ("a pattern of 101 characters", rule(f'note.matches("{"a" * 101}")')),
        ("a pattern repeating 11 times", rule('note.matches("a{11}")')),
        ("a pattern repeating up to 11 times", rule('note.matches("a{2,11}")')),
        (
            "a rule that makes too large a list of texts",
            rule("[" + ", ".join(["note"] * 40) + "].exists(a, a.size() > 0)"),
        ),
        (
            "a rule that may take too many steps",
            rule(f"{_FIFTY}.exists(a, {_FIFTY}.exists(b, note.contains(string(a))))"),
        ),
        (
            "rules that together may take too many steps, past the limit at a decline rule, one "
            "refused on its own counting nothing",
            both(
                rule(f"{_FIFTY}.exists(a, {_FIFTY}.exists(b, note.contains(string(a))))"),
                setting(
                    "accept.criteria[1].when",
                    f"{_FIFTY}.exists(a, {_FIFTY}.exists(b, a + b == shared))",
                ),
                setting(
                    "decline.criteria[0].when",
                    f"{_FIFTY}.exists(a, {_FIFTY}.exists(b, a - b == shared))",
                ),
            ),
        ),
        (
            "two rules that together may take too many steps",
            both(
                rule(f"{_FIFTY}.exists(a, {_FIFTY}.exists(b, a + b == shared))"),
                setting(
                    "accept.criteria[1].when",
                    f"{_FIFTY}.exists(a, {_FIFTY}.exists(b, a - b == shared))",
                ),
            ),
        ),
    ],
}


def swapped(path: str) -> Change:
    """A change that swaps the first two entries of a list."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = _steps(path)
        target: Any = data
        for step in parents:
            target = target[step]
        target[last][0], target[last][1] = target[last][1], target[last][0]

    return change


def _as_main_language(data: dict[str, Any]) -> None:
    translation = copy.deepcopy(data["translations"]["en-GB"])
    translation["lang"] = "DE"
    translation["url"] = "https://uta.example/regeln/de/"
    for side in ("accept", "decline"):
        for criterion in translation[side]["criteria"]:
            criterion["link"] = f"https://uta.example/regeln/de/#{side}-{criterion['id']}"
    data["translations"]["DE"] = translation


_EN = "translations.en-GB."
REFUSALS["translations"] = [
    (
        "a translation's url with the tag's capitals",
        setting(f"{_EN}url", "https://uta.example/regeln/en-GB/"),
    ),
    (
        "a translation's url that is the main url",
        setting(f"{_EN}url", "https://uta.example/regeln/"),
    ),
    ("a translation without a url where the main language has one", setting(f"{_EN}url", None)),
    (
        "a translation's link to the main page",
        setting(f"{_EN}accept.criteria[0].link", "https://uta.example/regeln/#accept-met"),
    ),
    ("a translation's language other than its key", setting(f"{_EN}lang", "en")),
    ("the main language as a translation", _as_main_language),
    ("a translation with another criterion id", setting(f"{_EN}accept.criteria[1].id", "read")),
    ("a translation with its criteria in another order", swapped(f"{_EN}accept.criteria")),
    ("a translation with a criterion fewer", removing(f"{_EN}decline.criteria[0]")),
    ("a translation with another rule", setting(f"{_EN}accept.criteria[0].when", "!met")),
    (
        "a translation with other platforms on a criterion",
        setting(f"{_EN}decline.criteria[0].platforms", ["xing"]),
    ),
    ("a translation with another message limit", setting(f"{_EN}platforms[1].message_limit", 500)),
    ("a translation with its facts in another order", swapped(f"{_EN}facts")),
    ("a translation with another owner", setting(f"{_EN}owner.name", "Uta Bilingual")),
    (
        "a translation with reply: false where the main language has none",
        setting(f"{_EN}decline.criteria[1].reply", False),
    ),
    ("a translation with an alternative fewer", setting(f"{_EN}declined.alternatives", [])),
    (
        "a translation without the own template of a platform",
        removing(f"{_EN}platforms[1].messages"),
    ),
    (
        "a translation with an unknown placeholder",
        setting(f"{_EN}messages.decline", "Hello {firstname}: {url}"),
    ),
    (
        "a translation whose template is too long for a platform's limit",
        setting(
            f"{_EN}platforms[1].messages.decline",
            "Hello {name}. " + "Sorry. " * 50 + "{reasons} {url}",
        ),
    ),
    ("a translation with a revision of its own", setting(f"{_EN}revision", "sha256:" + "0" * 64)),
]


def write(check: bool) -> int:
    """Write the suite, or compare it; the number of files that differ."""
    files: dict[Path, str] = {HERE / "policy.schema.json": dump(policy_schema())}
    count = 0
    for folder, groups in (("decide", decide_groups()), ("refuse", refuse_groups())):
        for name, made in groups:
            files[HERE / folder / f"{name}.json"] = dump(made)
            count += sum(len(g.get("cases", [None])) for g in made)
    differ = 0
    for path, text in files.items():
        old = path.read_text("utf-8") if path.exists() else None
        if old == text:
            continue
        differ += 1
        if check:
            print(f"{path.relative_to(HERE.parent)}: differs from what the reference makes")
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, "utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    print(f"{count} cases in {len(files) - 1} files")
    return differ


def dump(data: Any) -> str:
    """JSON as UTF-8 text, lone surrogates (which UTF-8 cannot hold) written as escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m[0]):04x}", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a difference")
    arguments = parser.parse_args()
    differ = write(arguments.check)
    sys.exit(1 if arguments.check and differ else 0)


if __name__ == "__main__":
    main()
