"""charta.json is enough in another language: a Node.js consumer decides as Python does."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta.build import render_site
from kontaktcharta.decide import Policy, decide

ROOT = Path(__file__).resolve().parents[1]
CONSUMER = ROOT / "tests" / "node" / "decide.mjs"
CHARTAS = [
    ROOT / "charta.yaml",
    *sorted((ROOT / "tests" / "cases" / "valid").glob("[af]*.yaml")),
    *sorted((ROOT / "examples").glob("*/charta.yaml")),
]


def node_decisions(policy: dict[str, Any], requests: list[dict[str, Any]], tmp: Path) -> Any:
    """Run the JavaScript consumer over the requests; fail (never skip) without Node."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for this test (.ci/run installs the npm tools)")
    path = tmp / "charta.json"
    path.write_text(json.dumps(policy), "utf-8")
    done = subprocess.run(
        [node, str(CONSUMER), str(path)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def requests_for(policy: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The examples and varied requests: any platform or none, facts given or left out."""
    rng = random.Random(7)
    samples = {
        "bool": [True, False],
        "int": [0, 3, 7],
        "double": [0.5, 4.0],
        "string": ["Hallo", "Kontakte schaden nur dem, der keine hat"],
    }
    platforms = [None, *(p["id"] for p in policy["platforms"])]
    judgeable = [
        c["id"]
        for s in ("accept", "decline")
        for c in policy[s]["criteria"]
        if "when" not in c and not c.get("otherwise")
    ]
    requests = [e["request"] for e in policy["examples"]]
    for _ in range(count):
        request: dict[str, Any] = {"facts": {}}
        platform = rng.choice(platforms)
        if platform is not None:
            request["platform"] = platform
        for fact in policy["facts"]:
            if rng.random() < 0.7:
                request["facts"][fact["name"]] = rng.choice(
                    fact.get("values") or samples[fact["type"]]
                )
        request["judgements"] = {
            i: rng.choice([True, False]) for i in judgeable if rng.random() < 0.6
        }
        requests.append(request)
    return requests


@pytest.mark.parametrize("charta", CHARTAS, ids=[c.parent.name + "/" + c.stem for c in CHARTAS])
def test_node_consumer_decides_as_python_does(charta: Path, tmp_path: Path) -> None:
    policy = json.loads(render_site(charta, label=charta.name).files["charta.json"])
    requests = requests_for(policy, 1500)
    compiled = Policy.from_json(policy)
    python = []
    for request in requests:
        decision = decide(compiled, request)
        python.append(
            {
                "decision": decision.decision,
                "reasons": list(decision.reasons),
                "unmet": list(decision.unmet),
                "questions": [f"{q.kind}:{q.name}" for q in decision.questions],
                "reply": decision.reply,
            }
        )
    javascript = node_decisions(policy, requests, tmp_path)
    for request, ours, theirs in zip(requests, python, javascript, strict=True):
        assert theirs == ours, request
    kinds = {d["decision"] for d in python}
    assert kinds == {"accept", "decline", "review"}, kinds  # the requests cover every outcome


def test_node_consumer_gets_every_example_right(tmp_path: Path) -> None:
    policy = json.loads(render_site(ROOT / "charta.yaml").files["charta.json"])
    decided = node_decisions(policy, [e["request"] for e in policy["examples"]], tmp_path)
    for example, decision in zip(policy["examples"], decided, strict=True):
        assert decision["decision"] == example["expect"], example["name"]
        for stated in ("reasons", "unmet", "reply"):
            if stated in example:
                assert decision[stated] == example[stated], (example["name"], stated)
