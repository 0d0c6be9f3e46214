"""Format 1 stays valid: a policy built before decisions said why is read and decided exactly as
the version that built it decided it (recorded from that version: the same decisions, reasons,
questions and messages; nothing unmet, every decline answered)."""

from __future__ import annotations

import json
from pathlib import Path

from kontaktcharta.decide import Policy, decide

POLICIES = Path(__file__).parent / "cases" / "policies"
BEFORE = POLICIES / "example-before-decisions-said-why.json"


def test_a_policy_of_before_decides_as_it_did() -> None:
    policy = Policy.from_json(json.loads(BEFORE.read_text("utf-8")))
    recorded = json.loads(BEFORE.with_suffix(".decisions.json").read_text("utf-8"))
    assert {case["decision"]["decision"] for case in recorded} == {"accept", "decline", "review"}
    for case in recorded:
        made = decide(policy, case["request"], case["name"]).to_json()
        assert made == {**case["decision"], "unmet": [], "reply": True}, case["request"]
