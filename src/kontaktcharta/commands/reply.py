"""`charta reply ID…`: print the decline message for some criteria.

The ids of decline criteria are the reasons; the ids of accept criteria are conditions that were
not met (as a decline under `match: all` names them). Given only the latter, the reason is the
`otherwise` criterion, as in a decision. Exit codes: 0 with the message, or with the
note that such requests get none; 1 when the policy cannot be used or the message cannot fit the
platform's limit; 2 for an unknown id or platform.
"""

from __future__ import annotations

import argparse

from ..characters import for_terminal
from ..lang import primary
from ..messages import MessageTooLong
from .decide import FAILURE, USAGE, add_policy_argument, error, open_policy

IGNORED = {
    "de": "Keine Nachricht: Anfragen, die aus diesem Grund abgelehnt werden ({ids}), "
    "bleiben ohne Antwort (reply: false).",
    "en": "No message: requests declined for this reason ({ids}) are ignored, "
    "they get no answer (reply: false).",
}
"""What `reply` says for a reason whose requests are ignored, by the charta's language."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The criteria, the policy, the name and the platform."""
    parser.add_argument(
        "ids",
        nargs="+",
        metavar="ID",
        help="ids of decline criteria (the reasons) and of unmet accept criteria, in this order",
    )
    add_policy_argument(parser)
    parser.add_argument("--name", help="the requester's name")
    parser.add_argument("--platform", metavar="ID", help="its template and its limit")


def run(args: argparse.Namespace) -> int:
    """Print the decline message, ready to paste; or say that no message is sent."""
    policy = open_policy(args.policy, args.platform)
    if isinstance(policy, int):
        return policy
    messages = policy.messages
    reasons = [id_ for id_ in args.ids if id_ in messages.reasons]
    unmet = [id_ for id_ in args.ids if id_ in messages.conditions]
    unknown = [
        id_ for id_ in args.ids if id_ not in messages.reasons and id_ not in messages.conditions
    ]
    if unknown:
        return error(
            f"unknown criterion {unknown[0]!r}; decline criteria: {', '.join(messages.reasons)}; "
            f"accept criteria: {', '.join(messages.conditions)}",
            USAGE,
        )
    if unmet and not reasons:  # declined because the accept criteria failed: by the fallback
        reasons = list(policy.fallback)
    if not messages.answered(reasons):
        silent = ", ".join(id_ for id_ in reasons if id_ in messages.silent)
        print(IGNORED.get(primary(policy.lang), IGNORED["en"]).format(ids=silent))
        return 0
    try:
        message = messages.render(reasons, args.name, args.platform, unmet)
    except MessageTooLong as problem:
        return error(problem, FAILURE)
    print(for_terminal(message))
    return 0
