"""The conformance suite (conformance/): Python passes all of it, and it is what the reference
makes now."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta.decide import Policy, RequestError, decide
from kontaktcharta.errors import ChartaError
from kontaktcharta.policy_reader import read_policy
from kontaktcharta.reference import Reference
from kontaktcharta.rules import RuleError

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "conformance"
DECIDE = sorted((SUITE / "decide").glob("*.json"))
REFUSE = sorted((SUITE / "refuse").glob("*.json"))


def groups(path: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return data


def outcome(decider: Any, case: dict[str, Any]) -> dict[str, Any]:
    """What a decider gives for a case, in the suite's terms."""
    try:
        return {"result": decider(case["request"], case.get("name")).to_json()}
    except RequestError as error:
        return {"error": {"kind": "request", "message": str(error)}}
    except RuleError as error:
        return {"error": {"kind": "rule", "message": str(error)}}


def expected(case: dict[str, Any]) -> dict[str, Any]:
    """A case's expectation, as `outcome` gives it (the path and criterion are in the message)."""
    if "result" in case:
        return {"result": case["result"]}
    error = case["error"]
    return {"error": {"kind": error["kind"], "message": error["message"]}}


RUST_DIFFERS = {
    f"`{rule}` with z = 0, {given}"
    for rule, given in [
        ("10 / z > 1 || b", "without b"),
        ("10 / z > 1 && b", "without b"),
        ("b || 10 / z > 1", "without b"),
        ("b && 10 / z > 1", "without b"),
        ("[z, 1].exists(d, d == 1 ? b : 10 / d > 1)", "b true"),
        ("[z, 1].all(d, d == 1 ? b : 10 / d > 1)", "b false"),
        ("[1, z].exists_one(d, d == 1 ? b : 10 / d > 1)", "without b"),
        ("[z, 1].exists_one(d, d == 1 ? b : 10 / d > 1)", "without b"),
        ("[1, z].filter(d, d == 1 ? b : 10 / d > 1).size() > 0", "without b"),
        ("[z, 1].filter(d, d == 1 ? b : 10 / d > 1).size() > 0", "without b"),
    ]
}
"""The cases where a failing part meets a missing fact, or a failing entry meets one that
decides, and the Rust interpreter gives another outcome than cel-cpp (docs/deciding.md, "The CEL
runtime"): on it, each of these must differ, and every other case must pass."""


@pytest.mark.parametrize("path", DECIDE, ids=[p.stem for p in DECIDE])
def test_python_decides_every_case(path: Path, cel_runtime: str) -> None:
    differing = 0
    for group in groups(path):
        policy = Policy.from_json(group["policy"])
        reference = Reference(read_policy(group["policy"]))
        for case in group["cases"]:
            want = expected(case)
            if cel_runtime == "rust" and case["description"] in RUST_DIFFERS:
                assert outcome(functools.partial(decide, policy), case) != want
                assert outcome(reference.decide, case) != want
                differing += 1
                continue
            assert outcome(functools.partial(decide, policy), case) == want, case["description"]
            assert outcome(reference.decide, case) == want, case["description"]
    if cel_runtime == "rust" and path.stem == "logic":  # where those cases are
        assert differing == len(RUST_DIFFERS)


@pytest.mark.parametrize("path", REFUSE, ids=[p.stem for p in REFUSE])
def test_python_refuses_every_policy(path: Path, cel_runtime: str) -> None:
    for group in groups(path):
        with pytest.raises(ChartaError) as refused:
            read_policy(group["policy"])
        named = [(p.path, p.message) for p in refused.value.problems]
        assert named == [(p["path"], p["message"]) for p in group["problems"]], group["description"]


def test_the_suite_is_what_the_reference_makes() -> None:
    done = subprocess.run(
        [sys.executable, str(SUITE / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith(" cases in 12 files\n"), done.stdout


def test_the_suite_covers_every_rule() -> None:
    """At least 300 cases; every decision, error and limit; names, platforms, both languages."""
    seen: Counter[str] = Counter()
    for path in DECIDE:
        for group in groups(path):
            seen[f"lang {group['policy']['lang'][:2]}"] += 1
            seen[f"match {group['policy']['accept'].get('match', 'any')}"] += 1
            for case in group["cases"]:
                seen["case"] += 1
                if "error" in case:
                    seen[f"error {case['error']['kind']}"] += 1
                    continue
                result = case["result"]
                seen[result["decision"]] += 1
                seen["unmet"] += bool(result["unmet"])
                seen["ignored"] += not result["reply"]
                seen["named message"] += "name" in case and result["message"] is not None
                seen.update(f"question {q['kind']}" for q in result["questions"])
    for path in REFUSE:
        for group in groups(path):
            seen["case"] += 1
            seen.update(f"limit {p['limit']}" for p in group["problems"] if "limit" in p)
    assert seen["case"] >= 300, seen
    wanted = [
        "lang de",
        "lang en",
        "match any",
        "match all",
        "accept",
        "decline",
        "review",
        "unmet",
        "ignored",
        "named message",
        "question fact",
        "question judgement",
        "question platform",
        "error request",
        "error rule",
    ]
    names = [
        "criteria",
        "facts",
        "fact values",
        "platforms",
        "alternatives",
        "examples",
        "translations",
        "rule length",
        "rule depth",
        "literal size",
        "macro nesting",
        "regex",
        "value size",
        "rule cost",
        "policy cost",
    ]
    assert [w for w in wanted + [f"limit {n}" for n in names] if not seen[w]] == []
