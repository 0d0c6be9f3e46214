"""The worst policies one can write within the limits (docs/format.md, "Limits"), each decided
many times: time per decision, peak memory, and memory after the 100th and the last decision.

    python bench/limits.py [--decisions N] [--only KIND]

Each kind of policy goes as far as the limits let it, so the policy reader takes it (the bench
fails where it would not):

- macros: rules of two `exists` inside each other, with string work on the longest fact text
  in the loop, its lists as long as the rule cost allows, as many as the policy cost allows;
- regex: as many rules as the policy cost allows, each running `matches` on the longest fact
  text in a loop over as many entries as the rule cost allows;
- copies: `map` inside `map`, each step copying the list it makes;
- strings: the fact text joined with itself 16 times (as a balanced tree, within the depth) in
  two loops;
- many: as many small rules as the policy cost allows (up to 5,000 in each list);
- deep: rules nested as deep as the limit lets them, as many as the policy cost allows.

Every request gives every fact, so that every rule runs, and its string fact (2,000 characters,
the most a request may give) differs from request to request. Each kind runs in a process of its
own: peak memory is that process's high-water mark (its resident size at the most, Python and
the policy included), and the memory after a decision its resident size then.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kontaktcharta import limits  # noqa: E402

BASE = Path("/tmp/kontaktcharta-bench-limits/charta.json")
"""Where main() builds the example charta, whose policy each kind's policy starts from."""
FACTS = {"n": "int", "s": "string"}


def entries(count: int) -> str:
    """A list literal of `count` whole numbers."""
    return "[" + ",".join(str(i) for i in range(count)) + "]"


def macros(i: int, count: int) -> str:
    each = entries(count)
    return f'{each}.exists(x, {each}.exists(y, s + string(x) + s + string(y) == s + "{i}"))'


def regex(i: int, count: int) -> str:
    return f'{entries(count)}.exists(x, (s + string(x)).matches("(a+)+b{i}"))'


def copies(i: int, count: int) -> str:
    each = entries(count)
    return f"{each}.map(x, {each}.map(y, y + x + n)).size() == {i}"


def _joined(leaves: int) -> str:
    """`s` joined with itself, `leaves` times, as a balanced tree (the deepest CEL allows)."""
    if leaves == 1:
        return "s"
    half = leaves // 2
    return f"({_joined(half)} + {_joined(leaves - half)})"


def strings(i: int, count: int) -> str:
    each = entries(count)
    return f"{each}.exists(x, {each}.exists(y, {_joined(16)}.size() < x + y - {i}))"


def many(i: int, count: int) -> str:
    return f'n > {i} && s != "{i}"'


@functools.cache
def _sums() -> int:
    """The most `+ 1` after `n` within the rule depth and CEL's parser: each nests one deeper
    (CEL folds a run of `!` or `-`, and balances `&&` and `||`)."""
    sums = 0
    while _depth("n" + " + 1" * (sums + 1) + " > 0") <= limits.RULE_DEPTH:
        sums += 1
    return sums


def deep(i: int, count: int) -> str:
    return "n" + " + 1" * _sums() + f" > {i}"


KINDS: dict[str, tuple[Callable[[int, int], str], int]] = {
    "macros": (macros, limits.COST),
    "regex": (regex, limits.COST),
    "copies": (copies, limits.COST),
    "strings": (strings, limits.COST),
    "many": (many, 2 * limits.CRITERIA - 1),
    "deep": (deep, limits.COST),
}
"""Each kind: its rule (by its number and the length of its lists), and the most rules of it to
try. The lists are as long as the limits let the first rule be."""


def _depth(rule: str) -> int:
    from kontaktcharta.cel import syntax

    try:
        tree = syntax.parse(rule)
    except syntax.SyntaxProblem:  # deeper than CEL's parser goes
        return limits.RULE_DEPTH + 1
    return limits.measure(tree, FACTS).depth


def _longest(make: Callable[[int, int], str]) -> int:
    """The longest lists (up to the literal size) with which the rule stays within the limits."""
    from kontaktcharta.rules import rule_cost

    return max((n for n in range(1, limits.LITERAL + 1) if rule_cost(make(0, n), FACTS)), default=0)


def policy(kind: str) -> dict[str, Any]:
    """The policy of a kind: as many of its rules as the limits allow."""
    from kontaktcharta.rules import rule_cost

    make, most = KINDS[kind]
    count = _longest(make)
    rules: list[str] = []
    steps = 0
    for i in range(most):
        rule = make(i, count)
        cost = rule_cost(rule, FACTS)
        assert cost, f"{kind}: the rule does not compile or passes a limit: {rule}"
        if steps + cost > limits.COST:
            break
        rules.append(rule)
        steps += cost
    base = json.loads(BASE.read_text("utf-8"))  # the example charta's policy, built
    url = base["url"]
    half = min(limits.CRITERIA, (len(rules) + 1) // 2)  # the decline list has `otherwise` too
    sides = {"accept": rules[:half], "decline": rules[half:]}
    criteria = {
        side: [
            {
                "id": f"{side[0]}{i}",
                "text": f"Kriterium {i}",
                "html": f"Kriterium {i}",
                "link": f"{url}#{side}-{side[0]}{i}",
                "when": rule,
            }
            for i, rule in enumerate(found)
        ]
        for side, found in sides.items()
    }
    fallback = next(c for c in base["decline"]["criteria"] if c.get("otherwise"))
    base["decline"]["criteria"] = [fallback, *criteria["decline"]]
    base["accept"]["criteria"] = criteria["accept"]
    base["accept"]["match"] = "any"
    base["facts"] = [
        {"name": "n", "type": "int", "question": "Wie viele?"},
        {"name": "s", "type": "string", "question": "Welcher Text?"},
    ]
    base["examples"], base["translations"] = [], {}
    return base


def run_kind(kind: str, decisions: int) -> dict[str, Any]:
    """Decide `decisions` requests by the kind's policy in this process; the figures."""
    from kontaktcharta.decide import Policy, decide
    from kontaktcharta.policy_reader import parse, read_policy

    charta = read_policy(parse(json.dumps(policy(kind)), "bench"), "bench")
    compiled = Policy.of(charta)
    rules = sum(1 for c in charta.criteria if c.when)
    times = []
    after_100 = 0
    for i in range(decisions):
        text = f"{i:06d}" + "a" * (limits.FACT_TEXT - 6)
        request = {"facts": {"n": i % 1000, "s": text}}
        start = time.perf_counter()
        decide(compiled, request, "Alex")
        times.append(time.perf_counter() - start)
        if i == 99:
            after_100 = _resident()
    return {
        "kind": kind,
        "rules": rules,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": sorted(times)[int(len(times) * 0.95)] * 1000,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "after_100_mib": after_100 / 2**20,
        "after_last_mib": _resident() / 2**20,
    }


def _resident() -> int:
    """This process's resident memory now, in bytes."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=10_000, help="decisions per kind")
    parser.add_argument("--only", choices=sorted(KINDS), action="append", help="one kind")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_kind(args.child, args.decisions)))
        return
    subprocess.run(
        [sys.executable, "build.py", "-q", "--out", str(BASE.parent)], cwd=ROOT, check=True
    )
    print(f"{args.decisions:,} decisions per kind; aims: median <= 50 ms, peak <= 200 MiB,")
    print("memory after the last decision no higher than after the 100th\n")
    print(f"{'kind':8} {'rules':>6} {'median':>9} {'p95':>9} {'peak':>9} {'@100':>9} {'@last':>9}")
    for kind in args.only or list(KINDS):
        found = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--decisions", str(args.decisions)],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(found.stdout)
        print(
            f"{kind:8} {row['rules']:>6,} {row['median_ms']:>6.2f} ms {row['p95_ms']:>6.2f} ms "
            f"{row['peak_mib']:>5.0f} MiB {row['after_100_mib']:>5.0f} MiB "
            f"{row['after_last_mib']:>5.0f} MiB",
            flush=True,
        )


if __name__ == "__main__":
    main()
