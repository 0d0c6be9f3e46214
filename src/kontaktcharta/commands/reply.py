"""`charta reply REASON…`: print the decline message for some decline criteria.

Exit codes: 0 with the message; 1 when the policy cannot be used or the message cannot fit the
platform's limit; 2 for an unknown reason or platform.
"""

from __future__ import annotations

import argparse

from ..messages import MessageTooLong
from .decide import FAILURE, USAGE, add_policy_argument, error, open_policy


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The reasons, the policy, the name and the platform."""
    parser.add_argument(
        "reasons", nargs="+", metavar="REASON", help="ids of decline criteria, in this order"
    )
    add_policy_argument(parser)
    parser.add_argument("--name", help="the requester's name")
    parser.add_argument("--platform", metavar="ID", help="keep the message within its limit")


def run(args: argparse.Namespace) -> int:
    """Print the decline message, ready to paste."""
    policy = open_policy(args.policy, args.platform)
    if isinstance(policy, int):
        return policy
    try:
        message = policy.messages.render(args.reasons, args.name, args.platform)
    except ValueError as problem:
        return error(problem, USAGE)
    except MessageTooLong as problem:
        return error(problem, FAILURE)
    print(message)
    return 0
