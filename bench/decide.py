"""How fast requests are decided: in-process decisions per second, and one cold `charta decide`.

    python bench/decide.py [POLICY] [--requests N] [--runs N]

POLICY defaults to output/charta.json; when it is missing, a built-in policy of 15 criteria is
used. The requests are varied and reproducible (fixed seed): random platforms, about three in
four facts known, values drawn from each fact's `values` and from the literals of the rules, so
that accepts, declines and reviews all occur. Prints the median (and best) of several runs, with
the rules in Python where they can be and, for comparison, all in CEL.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
try:
    import kontaktcharta  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from kontaktcharta.decide import Policy, decide  # noqa: E402
from kontaktcharta.messages import default_decline_template  # noqa: E402

TEXTS = [
    "",
    "Hallo, ich würde mich gern mit Ihnen vernetzen.",
    "Liebe Erika, wir haben uns letzte Woche auf dem Barcamp in Köln unterhalten, und "
    "ich würde gern in Kontakt bleiben und von Ihren Projekten hören.",
]
NUMBERS = [0, 1, 2, 3, 5, 8, 10, 12, 20, 50]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policy", nargs="?", default=ROOT / "output" / "charta.json", type=Path)
    parser.add_argument("--requests", type=int, default=2000, help="varied requests per run")
    parser.add_argument("--runs", type=int, default=7, help="runs; the median is reported")
    args = parser.parse_args()

    if args.policy.exists():
        data = json.loads(args.policy.read_text("utf-8"))
        print(f"policy: {args.policy}")
    else:
        data = sample_policy()
        print(f"policy: {args.policy} not found; using the built-in sample policy")
    policy = Policy.from_json(data)
    rules = [policy.rules[c.id] for c in policy.criteria.values() if c.rule is not None]
    native = sum(rule.native for rule in rules)
    print(
        f"criteria: {len(policy.criteria)}, rules: {len(rules)} "
        f"({native} in Python, {len(rules) - native} in CEL), facts: {len(policy.facts)}"
    )
    requests = varied_requests(data, policy, args.requests)
    mix = Counter(decide(policy, request).decision for request in requests)
    print(f"requests: {len(requests)}:", ", ".join(f"{k} {mix[k]}" for k in sorted(mix)))

    for label, compiled in (
        ("rules in Python where possible", policy),
        ("every rule in CEL", Policy.from_json(data, native=False)),
    ):
        wall, cpu = measure(compiled, requests, args.runs)
        print(
            f"{label}: {statistics.median(wall):,.0f} decisions/s median of {args.runs} "
            f"(best {max(wall):,.0f}; by CPU time {statistics.median(cpu):,.0f})"
        )
    cold_cli(data, requests[0])


def measure(policy: Policy, requests: list[dict[str, Any]], runs: int) -> tuple[list[float], ...]:
    """Decisions per second of wall time and of CPU time, one figure per run."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        for request in requests:
            decide(policy, request)
        wall.append(len(requests) / (time.perf_counter() - started))
        cpu.append(len(requests) / max(time.process_time() - started_cpu, 1e-9))
    return wall, cpu


def varied_requests(data: dict[str, Any], policy: Policy, count: int) -> list[dict[str, Any]]:
    """Reproducible requests over the policy's platforms, facts, judgements; its examples first."""
    chance = random.Random(20261121)
    literals: dict[str, list[Any]] = {
        "string": list(TEXTS),
        "int": list(NUMBERS),
        "double": [0.5, 2.5, 4.0, 4.8],
    }
    for criterion in [*data["accept"]["criteria"], *data["decline"]["criteria"]]:
        when = criterion.get("when") or ""
        literals["string"] += [m[1:-1] for m in re.findall(r"\"[^\"]*\"|'[^']*'", when)]
        literals["int"] += [int(m) for m in re.findall(r"(?<![\w.])\d+(?![\w.])", when)]
    requests = [example["request"] for example in data.get("examples", [])]
    platforms = [None, *policy.platforms]
    while len(requests) < count:
        facts: dict[str, Any] = {}
        for name, fact in policy.facts.items():
            if chance.random() < 0.75:
                facts[name] = value(chance, fact.type, fact.values, literals)
        request: dict[str, Any] = {"facts": facts}
        platform = chance.choice(platforms)
        if platform is not None:
            request["platform"] = platform
        judgements = {
            id_: chance.random() < 0.3 for id_ in policy.judgeable if chance.random() < 0.6
        }
        if judgements:
            request["judgements"] = judgements
        requests.append(request)
    return requests[:count]


def value(chance: random.Random, kind: str, values: Any, literals: dict[str, list[Any]]) -> Any:
    """A plausible value of a fact: one of its values, or drawn from the rules' literals."""
    if values:
        return chance.choice(values)
    if kind == "bool":
        return chance.random() < 0.4
    if kind == "int":
        return chance.choice(literals["int"])
    if kind == "double":
        return chance.choice(literals["double"])
    text = chance.choice(literals["string"])
    return chance.choice(["", "Hallo! ", "Wie besprochen: "]) + text


def cold_cli(data: dict[str, Any], request: dict[str, Any]) -> None:
    """Wall time of one `python -m kontaktcharta decide`, median of 5, beside `python -c pass`."""
    with tempfile.TemporaryDirectory() as folder:
        policy_file, request_file = Path(folder, "charta.json"), Path(folder, "request.json")
        policy_file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        request_file.write_text(json.dumps(request), "utf-8")
        command = [sys.executable, "-m", "kontaktcharta", "decide", str(request_file)]
        command += ["--policy", str(policy_file), "--json"]
        env = {"PYTHONPATH": str(ROOT / "src")}
        first = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if first.returncode != 0:
            reason = first.stderr.strip().splitlines()[-1:] or ["no output"]
            print(f"cold `charta decide`: not available yet ({reason[0]})")
            return
        times = [_seconds(command, env) for _ in range(5)]
        baseline = [_seconds([sys.executable, "-c", "pass"], env) for _ in range(5)]
    print(
        f"cold `python -m kontaktcharta decide`: {statistics.median(times) * 1000:.0f} ms "
        f"median of 5 (python -c pass: {statistics.median(baseline) * 1000:.0f} ms)"
    )


def _seconds(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env, check=True)
    return time.perf_counter() - started


def sample_policy() -> dict[str, Any]:
    """A hand-made policy of 15 criteria over 6 facts and 3 platforms, for when none is built."""

    def criterion(section: str, id_: str, text: str, **given: Any) -> dict[str, Any]:
        link = f"https://erika.example/kontaktcharta/#{section}-{id_}"
        return {"id": id_, "text": text, "html": text, "link": link, **given}

    def fact(name: str, kind: str, **given: Any) -> dict[str, Any]:
        return {"name": name, "type": kind, "question": f"{name}?", **given}

    relationships = ["customer", "partner", "prospect", "colleague", "none"]
    return {
        "charta": 1,
        "lang": "de",
        "title": "Kontaktcharta",
        "owner": {"name": "Erika Musterfrau"},
        "url": "https://erika.example/kontaktcharta/",
        "platforms": [
            {"id": "xing", "name": "XING", "use": "business", "message_limit": 1000},
            {"id": "linkedin", "name": "LinkedIn", "use": "business"},
            {"id": "instagram", "name": "Instagram", "use": "private", "message_limit": 300},
        ],
        "facts": [
            fact("met", "bool"),
            fact("mutual_contacts", "int"),
            fact("relationship", "string", values=relationships),
            fact("invitation_text", "string"),
            fact("profile_complete", "bool"),
            fact("score", "double"),
        ],
        "accept": {
            "title": "Ich nehme gern an",
            "match": "any",
            "criteria": [
                criterion("accept", "met", "begegnet", when="met"),
                criterion("accept", "customers", "Kunden", when='relationship == "customer"'),
                criterion(
                    "accept", "partners", "Partner", when='relationship in ["partner", "colleague"]'
                ),
                criterion(
                    "accept",
                    "network",
                    "viele gemeinsame Kontakte",
                    when="mutual_contacts >= 10 && profile_complete",
                    platforms=["linkedin"],
                ),
                criterion(
                    "accept",
                    "personal",
                    "persönliche Nachricht",
                    when='size(invitation_text) > 80 && !invitation_text.contains("Kontakte")',
                ),
                criterion("accept", "interest", "gemeinsames Interesse"),
                criterion("accept", "rated", "passt gut", when="score >= 4.5"),
            ],
        },
        "decline": {
            "title": "Ich lehne ab, wenn",
            "criteria": [
                criterion(
                    "decline",
                    "slogan",
                    "nur ein Spruch",
                    when='invitation_text.contains("Kontakte schaden nur dem, der keine hat")',
                    reason="Ein Spruch ersetzt keinen Anlass.",
                ),
                criterion(
                    "decline",
                    "fake",
                    "unvollständiges Profil",
                    when="!profile_complete && mutual_contacts == 0",
                    reason="Ihr Profil verrät mir zu wenig.",
                ),
                criterion(
                    "decline",
                    "sales",
                    "Verkauf",
                    when='relationship == "prospect" && !met',
                    platforms=["xing", "linkedin"],
                ),
                criterion(
                    "decline",
                    "private",
                    "beruflich auf Instagram",
                    when='relationship != "none"',
                    platforms=["instagram"],
                ),
                criterion(
                    "decline",
                    "spam",
                    "Massenanfrage",
                    when='invitation_text.startsWith("Hallo zusammen")',
                ),
                criterion("decline", "stranger", "kein Bezug", when="mutual_contacts < 1 && !met"),
                criterion("decline", "rude", "unhöflich"),
                criterion("decline", "no-reason", "kein Grund trifft zu", otherwise=True),
            ],
        },
        "declined": {
            "title": "Abgelehnt - was jetzt?",
            "text": "Nicht persönlich nehmen.",
            "html": "<p>Nicht persönlich nehmen.</p>",
            "alternatives": [
                {"text": "Mir auf XING folgen", "html": "…", "url": "https://xing.example/erika"},
                {"text": "Mir schreiben", "html": "…"},
            ],
        },
        "messages": {"decline": default_decline_template("de")},
        "examples": [],
    }


if __name__ == "__main__":
    main()
