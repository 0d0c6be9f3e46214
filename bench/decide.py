"""How fast requests are decided: in-process decisions per second, and one cold `charta decide`.

    python bench/decide.py [POLICY] [--requests N] [--runs N] [--against CHECKOUT]

POLICY defaults to output/charta.json (`python build.py` makes it); when it is missing, a built-in
policy of 15 criteria is used. The requests are varied and reproducible (fixed seed): random
platforms, about three in four facts known, values drawn from each fact's `values` and from the
literals of the rules, picked so that accepts, declines and reviews each make about a third.

Every rule is evaluated by CEL. Three ways of calling it are measured side by side, interleaved in
every run so that a load on the machine weighs on each alike: one `eval(data=...)` per rule (the
baseline), one Activation per request shared by one-by-one evaluations, and the way `decide`
works (the rules that may apply on the platform and read a given fact as one CEL list, converting
the request once; when that list fails because a rule is left open, the rules whose facts are all
given as one list and each of the others on its own). Then the time per request is split into its
parts, and what `decide` keeps between requests is counted.

`--against CHECKOUT` (another tree, e.g. `git worktree add /tmp/old HEAD~3`) decides the same
requests by the same policy with that tree's code too, in processes of their own taking turns
with this tree's, and gives the ratio of the medians.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
try:
    import kontaktcharta  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from kontaktcharta.cel import PACKAGES  # noqa: E402
from kontaktcharta.cel.runtime import RUNTIME  # noqa: E402
from kontaktcharta.decide import Policy, decide  # noqa: E402
from kontaktcharta.defaults import default_decline_template  # noqa: E402
from kontaktcharta.policy import revision  # noqa: E402
from kontaktcharta.rules import _ARENA_USES, Result, RuleError, RuleGroup, Shape  # noqa: E402

TEXTS = [
    "",
    "Hallo, ich würde mich gern mit Ihnen vernetzen.",
    "Liebe Erika, wir haben uns letzte Woche auf dem Barcamp in Köln unterhalten, und "
    "ich würde gern in Kontakt bleiben und von Ihren Projekten hören.",
]
NUMBERS = [0, 1, 2, 3, 5, 8, 10, 12, 20, 50]
Request = dict[str, Any]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policy", nargs="?", default=ROOT / "output" / "charta.json", type=Path)
    parser.add_argument("--requests", type=int, default=3000, help="varied requests per run")
    parser.add_argument("--runs", type=int, default=7, help="runs; the median is reported")
    parser.add_argument("--against", type=Path, help="another checkout to decide with, in turns")
    args = parser.parse_args()

    if args.policy.exists():
        data = json.loads(args.policy.read_text("utf-8"))
        print(f"policy: {args.policy}")
    else:
        data = sample_policy()
        print(f"policy: {args.policy} not found; using the built-in sample policy")
    print(f"CEL runtime: {RUNTIME.NAME} ({PACKAGES[RUNTIME.NAME]})")
    policy = Policy.from_json(data)
    rules = sum(c.rule is not None for c in policy.criteria.values())
    facts = len(policy.charta.facts)
    print(f"criteria: {len(policy.criteria)}, rules (all CEL): {rules}, facts: {facts}")
    requests = varied_requests(data, policy, args.requests)
    mix = Counter(decide(policy, request).decision for request in requests)
    known = statistics.mean(len(r.get("facts", {})) for r in requests)
    print(
        f"requests: {len(requests)}: "
        + ", ".join(f"{k} {mix[k]}" for k in sorted(mix))
        + f"; {known:.1f} of {facts} facts known on average"
    )
    if args.against:
        against(data, requests, args.against, args.runs)

    final = "decide: one CEL list per request"
    ways = {
        "one eval(data=...) per rule": one_by_one(policy, shared=False),
        "one by one, one Activation per request": one_by_one(policy, shared=True),
        final: no_patch,
    }
    wall: dict[str, list[float]] = {label: [] for label in ways}
    cpu: dict[str, list[float]] = {label: [] for label in ways}
    for _ in range(args.runs):
        for label, way in ways.items():
            with way():
                run_wall, run_cpu = measure(policy, requests)
            wall[label].append(run_wall)
            cpu[label].append(run_cpu)
    print(f"decisions per second, median of {args.runs} runs (wall time; CPU time):")
    base = statistics.median(cpu[next(iter(ways))])
    for label in ways:
        by_wall, by_cpu = statistics.median(wall[label]), statistics.median(cpu[label])
        print(f"  {label:40} {by_wall:9,.0f}/s; {by_cpu:9,.0f}/s  (x{by_cpu / base:.2f})")
    breakdown(policy, requests, statistics.median(cpu[final]))
    first_pass(policy, requests, args.runs)
    cold_cli(data, requests[0])


def measure(policy: Policy, requests: list[Request]) -> tuple[float, float]:
    """Decisions per second of wall time and of CPU time, deciding every request once."""
    started, started_cpu = time.perf_counter(), time.process_time()
    for request in requests:
        decide(policy, request)
    wall = len(requests) / (time.perf_counter() - started)
    return wall, len(requests) / max(time.process_time() - started_cpu, 1e-9)


@contextmanager
def no_patch() -> Iterator[None]:
    """`decide` as it is."""
    yield


def one_by_one(policy: Policy, *, shared: bool) -> Callable[[], Any]:
    """`decide` with each rule evaluated alone, with or without one Activation per request."""
    rules = policy.rules

    def evaluate(group: RuleGroup, values: Any) -> tuple[Shape, tuple[Result, ...]]:
        shape = group.shape(values)
        activation = rules.activation(values) if shared else None
        read: list[Result] = []
        for index in shape.read:
            try:
                read.append(rules.evaluate(group.names[index], values, activation))
            except RuleError as error:
                read.append(error)
        return shape, tuple(read)

    return lambda: mock.patch.object(RuleGroup, "evaluate", evaluate)


def breakdown(policy: Policy, requests: list[Request], per_second: float) -> None:
    """Where the CPU time of one decision goes, part by part, in microseconds."""

    def run(program: Any, values: Any, arena: Any) -> Any:
        return RUNTIME.evaluate_list(program, values, arena)  # as RuleGroup.evaluate

    cases = []
    for request in requests:
        decision = decide(policy, request)
        platform, values, _ = policy.requests.read(request)
        cases.append((policy.plans[platform].rules, values, decision, platform))

    def cpu(work: Callable[[], object]) -> float:
        times = []
        for _ in range(5):
            started = time.process_time()
            work()
            times.append(time.process_time() - started)
        return statistics.median(times) * 1e6 / len(cases)

    read = cpu(lambda: [policy.requests.read(request) for request in requests])
    evaluate = cpu(lambda: [group.evaluate(values) for group, values, *_ in cases])
    together = [
        (shape.everything, values)
        for group, values, *_ in cases
        if (shape := group.shape(values)).everything is not None
    ]
    arena = Arena()
    listed = cpu(lambda: [run(program, values, arena()) for program, values in together])
    declines = [(d.reasons, platform) for *_, d, platform in cases if d.decision == "decline"]
    named = cpu(lambda: [policy.messages.render(r, "Max Muster", p) for r, p in declines])
    failed = sum(type(run(program, values, arena())) is not list for program, values in together)
    total = 1e6 / per_second
    print(f"CPU microseconds per decision, {total:.1f} in all:")
    print(f"  checking the request                                  {read:5.1f}")
    print(f"  evaluating the rules                                  {evaluate:5.1f}")
    print(f"    of which the one CEL list per request (eval)        {listed:5.1f}")
    print(f"  putting the decision together                         {total - read - evaluate:5.1f}")
    print(
        f"  (a decline message with a name, made for each named request: "
        f"{named * len(cases) / max(len(declines), 1):.1f} per decline)"
    )
    print(
        f"requests whose CEL list fails because a rule is left open (then the others as one "
        f"list, each open one on its own): {failed} of {len(cases)}; "
        f"no CEL call for {len(cases) - len(together)}"
    )
    plans = policy.plans.values()
    kept = [sum(len(getattr(plan, table)) for plan in plans) for table in ("declines", "accepts")]
    print(
        f"kept between requests, never a fact's value: {kept[0]} decline and {kept[1]} accept "
        f"sides by their criteria's values, {sum(len(plan.declined) for plan in plans)} "
        f"declines by their reasons, {len(policy.reviews)} reviews by what they ask"
    )


def first_pass(policy: Policy, requests: list[Request], runs: int) -> None:
    """Decisions per second of CPU time while what `decide` keeps is still to be worked out."""
    times = []
    for _ in range(runs):
        for plan in policy.plans.values():
            for table in (plan.keys, plan.declines, plan.accepts, plan.declined):
                table.clear()
        policy.reviews.clear()
        times.append(measure(policy, requests)[1])
    print(
        f"the same requests with nothing kept at the start (shapes and CEL programs kept): "
        f"{statistics.median(times):,.0f}/s, median of {runs} runs"
    )


class Arena:
    """A CEL arena for a number of evaluations, then a new one, as `decide` has it."""

    def __init__(self) -> None:
        self.arena, self.uses = RUNTIME.arena(), _ARENA_USES

    def __call__(self) -> Any:
        self.uses -= 1
        if self.uses <= 0:
            self.arena, self.uses = RUNTIME.arena(), _ARENA_USES
        return self.arena


def varied_requests(data: dict[str, Any], policy: Policy, count: int) -> list[Request]:
    """Reproducible requests: the policy's examples, then about a third of each decision."""
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
    wanted = Counter({"accept": count // 3, "decline": count // 3})
    wanted["review"] = count - len(requests) - wanted.total()
    platforms = [None, *policy.platforms]
    for _ in range(200 * count):
        if wanted.total() <= 0:
            break
        facts: dict[str, Any] = {}
        for fact in policy.charta.facts:
            if chance.random() < 0.75:
                facts[fact.name] = value(chance, fact.type, fact.values, literals)
        request: Request = {"facts": facts}
        platform = chance.choice(platforms)
        if platform is not None:
            request["platform"] = platform
        judgements = {
            id_: chance.random() < 0.3
            for id_ in policy.questions.judgements
            if chance.random() < 0.6
        }
        if judgements:
            request["judgements"] = judgements
        outcome = decide(policy, request).decision
        if wanted[outcome] > 0:
            wanted[outcome] -= 1
            requests.append(request)
    chance.shuffle(requests)
    return requests


WORKER = """
import json, sys, time
from kontaktcharta.decide import Policy, decide
policy = Policy.from_json(json.loads(open(sys.argv[1], encoding="utf-8").read()))
requests = json.loads(open(sys.argv[2], encoding="utf-8").read())
for request in requests:  # what decide keeps is worked out before the runs, as in main()
    decide(policy, request)
for _ in range(int(sys.argv[3])):
    started = time.process_time()
    for request in requests:
        decide(policy, request)
    print(len(requests) / max(time.process_time() - started, 1e-9), flush=True)
"""
"""Decides the requests by the policy with the tree on PYTHONPATH, printing decisions per second
of CPU time per run: only what every tree has (`Policy.from_json`, `decide`)."""


def against(data: dict[str, Any], requests: list[Request], other: Path, runs: int) -> None:
    """This tree and another deciding the same requests, in processes taking turns."""
    trees = {"this tree": ROOT, f"against {other}": other}
    found: dict[str, list[float]] = {label: [] for label in trees}
    with tempfile.TemporaryDirectory() as folder:
        policy_file, requests_file = Path(folder, "charta.json"), Path(folder, "requests.json")
        policy_file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        requests_file.write_text(json.dumps(requests, ensure_ascii=False), "utf-8")
        for _ in range(runs):
            for label, tree in trees.items():
                command = [sys.executable, "-c", WORKER, str(policy_file), str(requests_file), "3"]
                env = {"PYTHONPATH": str(tree / "src")}
                done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
                found[label].append(statistics.median(map(float, done.stdout.split())))
    ours, theirs = (statistics.median(found[label]) for label in trees)
    print(f"decisions per second of CPU time, side by side, median of {runs} turns:")
    for label in trees:
        print(f"  {label:40} {statistics.median(found[label]):9,.0f}/s")
    print(f"  ratio (this tree / the other)            {ours / theirs:9.2f}")
    turns = [a / b for a, b in zip(*found.values(), strict=True)]  # each turn's own ratio
    print(f"  median of the turns' ratios              {statistics.median(turns):9.2f}")


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
    policy: dict[str, Any] = {
        "charta": 1,
        "lang": "de",
        "title": "Kontaktcharta",
        "owner": {"name": "Erika Musterfrau"},
        "url": "https://erika.example/kontaktcharta/",
        "updated": "2026-11-21",
        "review_by": None,
        "based_on": None,
        "revision": "",
        "intro": None,
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
        "goal": None,
        "messages": {"decline": default_decline_template("de")},
        "examples": [],
        "translations": {},
    }
    policy["revision"] = revision(policy)
    return policy


if __name__ == "__main__":
    main()
