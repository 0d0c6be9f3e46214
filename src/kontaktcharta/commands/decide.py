"""`charta decide REQUEST.json`: decide one contact request by the JSON policy.

Exit codes: 0 for any decision; 1 when the policy cannot be used (missing, not valid JSON, a rule
that fails, a message that cannot fit); 2 when the request is wrong (unreadable, not JSON, or
not fitting the policy).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Final

from ..characters import for_terminal
from ..decide import Decision, Policy, RequestError, decide, load_policy
from ..errors import ChartaError
from ..jsontext import NotJson, loads
from ..messages import MessageTooLong
from ..rules import RuleError

USAGE, FAILURE = 2, 1
MAX_REQUEST: Final = 64 * 1024
"""The largest request read: a request is a platform, a few facts and answers."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The request, the policy, and how to print the decision."""
    parser.add_argument(
        "request",
        metavar="REQUEST",
        help="a file holding the request as JSON, or - for stdin",
    )
    add_policy_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")
    parser.add_argument("--name", help="the requester's name for the decline message")


def add_policy_argument(parser: argparse.ArgumentParser) -> None:
    """`--policy FILE`, shared by decide, ask and reply."""
    parser.add_argument(
        "--policy",
        default="output/charta.json",
        type=Path,
        metavar="FILE",
        help="the JSON policy (default: output/charta.json)",
    )


def error(message: object, code: int) -> int:
    """Print `charta: error: …` to stderr and return the exit code."""
    print(f"charta: error: {message}", file=sys.stderr)
    return code


def open_policy(path: Path, platform: str | None = None) -> Policy | int:
    """The compiled policy, or the exit code after printing why it (or the platform) won't do."""
    try:
        policy = load_policy(path)
    except ChartaError as problem:
        return error(problem.format(), FAILURE)
    if platform is not None and platform not in policy.platforms:
        known = ", ".join(policy.platforms) or "none declared"
        return error(f"unknown platform '{platform}'; platforms: {known}", USAGE)
    return policy


def run(args: argparse.Namespace) -> int:
    """Decide the request and print the decision; 0 for any decision."""
    policy = open_policy(args.policy)
    if isinstance(policy, int):
        return policy
    try:
        request = _read_request(args.request)
        decision = decide(policy, request, args.name)
    except RequestError as problem:
        return error(f"{args.request}: {problem}", USAGE)
    except (RuleError, MessageTooLong) as problem:
        return error(problem, FAILURE)
    if args.json:
        print(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))
    else:
        print(for_terminal(describe(decision)))
    return 0


def describe(decision: Decision) -> str:
    """The decision for a reader: the outcome and reasons, the open questions, the message."""
    lines = [decision.decision + (": " + ", ".join(decision.reasons) if decision.reasons else "")]
    if decision.unmet:
        lines.append("unmet: " + ", ".join(decision.unmet))
    if not decision.reply:
        lines.append("no reply: the request is ignored (reply: false)")
    if decision.questions:
        lines.append("open questions:")
        lines += [f"  {q.kind} {q.name}: {q.question}" for q in decision.questions]
    if decision.message is not None:
        lines += ["", decision.message]
    return "\n".join(lines)


def _read_request(source: str) -> Any:
    """The request's JSON, at most MAX_REQUEST bytes, from a file or stdin."""
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_REQUEST + 1)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_REQUEST + 1)
    except FileNotFoundError:
        raise RequestError("no such file") from None
    except OSError as problem:
        raise RequestError(f"cannot read the request: {problem.strerror}") from None
    if len(data) > MAX_REQUEST:
        raise RequestError(f"is larger than {MAX_REQUEST:,} bytes, the most a request may have")
    try:
        return loads(data)
    except NotJson as problem:
        where = f" (line {problem.line}, column {problem.column})" if problem.line else ""
        raise RequestError(problem.message + where) from None
