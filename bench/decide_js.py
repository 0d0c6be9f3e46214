"""How fast the JavaScript package (js/) decides, beside Python's `decide`, on the same requests.

    python bench/decide_js.py [POLICY] [--requests N] [--runs N]

The requests are bench/decide.py's (varied, reproducible, about a third of each decision). Node
decides them in one process (`node bench/decide_js.mjs`), run after run; then Python does, run
after run. Both print decisions per second of CPU time, median of the runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_decide", ROOT / "bench" / "decide.py")
assert spec is not None and spec.loader is not None
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def main() -> None:
    """Make the requests, run both, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policy", nargs="?", default=ROOT / "output" / "charta.json", type=Path)
    parser.add_argument("--requests", type=int, default=3000, help="varied requests per run")
    parser.add_argument("--runs", type=int, default=7, help="runs; the median is reported")
    args = parser.parse_args()
    if args.policy.exists():
        data = json.loads(args.policy.read_text("utf-8"))
    else:
        data = bench.sample_policy()
        print(f"policy: {args.policy} not found; using the built-in sample policy")
    policy = bench.Policy.from_json(data)
    requests = bench.varied_requests(data, policy, args.requests)
    print(f"policy: {args.policy}; {len(requests)} requests, {args.runs} runs each")
    with tempfile.TemporaryDirectory() as folder:
        policy_file, requests_file = Path(folder, "charta.json"), Path(folder, "requests.json")
        policy_file.write_text(json.dumps(data), "utf-8")
        requests_file.write_text(json.dumps(requests), "utf-8")
        done = subprocess.run(
            [
                "node",
                str(ROOT / "bench" / "decide_js.mjs"),
                str(policy_file),
                str(requests_file),
                "--runs",
                str(args.runs),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        sys.exit(done.stderr)
    median = done.stdout.splitlines()[-1].removeprefix("median: ")
    print(f"JavaScript (js/, Node {node_version()}): {median}")
    for request in requests:  # what decide keeps is worked out before the runs
        bench.decide(policy, request)
    rates = [bench.measure(policy, requests)[1] for _ in range(args.runs)]
    print(f"Python (kontaktcharta.decide): {statistics.median(rates):,.0f} decisions/s")


def node_version() -> str:
    """The version of Node that ran the benchmark."""
    return subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


if __name__ == "__main__":
    main()
