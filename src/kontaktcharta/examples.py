"""The examples of a charta: each request decided by the rules and compared with what its author
expects. A charta whose rules decide otherwise does not build."""

from __future__ import annotations

from typing import Any

from .errors import Problems
from .model import Charta, Request


def check_examples(charta: Charta, problems: Problems) -> None:
    """Decide every example; report each that gets another decision or other reasons."""
    if not charta.examples:
        return
    from .decide import Policy, RequestError, decide
    from .messages import MessageTooLong
    from .rules import RuleError

    policy = Policy.of(charta)
    for i, example in enumerate(charta.examples):
        path = f"examples[{i}]"
        try:
            decision = decide(policy, request_json(example.request))
        except RequestError as error:
            key, _, detail = str(error).partition(": ")
            problems.at(f"{path}.request.{key}", f"{detail} (in example {example.name!r})")
            continue
        except (RuleError, MessageTooLong) as error:
            problems.at(path, f"example {example.name!r}: {error}")
            continue
        wrong = decision.decision != example.expect or (
            example.reasons is not None and tuple(decision.reasons) != example.reasons
        )
        if wrong:
            got = f"{decision.decision} ({', '.join(decision.reasons) or 'no reasons'})"
            expected: str = example.expect
            if example.reasons is not None:
                expected += f" ({', '.join(example.reasons)})"
            problems.at(
                path,
                f"example {example.name!r}: the rules decide {got}, the example expects {expected}",
            )


def request_json(request: Request) -> dict[str, Any]:
    """A request as a tool sends it: `{platform?, facts, judgements?}`."""
    data: dict[str, Any] = {}
    if request.platform is not None:
        data["platform"] = request.platform
    data["facts"] = dict(request.facts)
    if request.judgements is not None:
        data["judgements"] = dict(request.judgements)
    return data
