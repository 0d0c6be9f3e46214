"""The examples of a charta: each request decided by the rules and compared with what its author
expects. A charta whose rules decide otherwise does not build."""

from __future__ import annotations

import re
from typing import Any, Final

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
            decision = decide(policy, request_json(example.request), name=example.name)
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
            continue
        if example.unmet is not None and decision.unmet != example.unmet:
            problems.at(
                f"{path}.unmet",
                f"example {example.name!r}: the rules find unmet "
                f"{_listed(decision.unmet)}, the example expects {_listed(example.unmet)}",
            )
        if example.reply is not None and decision.reply != example.reply:
            problems.at(
                f"{path}.reply",
                f"example {example.name!r}: the decision {_answers(decision.reply)}, "
                f"the example expects that it {_answers(example.reply)}",
            )
        if example.message is not None and decision.message != example.message:
            problems.at(
                f"{path}.message", _message_differs(example.name, decision.message, example.message)
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


_ADDRESS: Final = re.compile(r"https?://[^\s#]*(?=#)")
"""The address part of a deep link, before its `#`."""
_LINK: Final = re.compile(r"(?:https?://[^\s#]*)?#[a-z0-9-]+")
"""A deep link, absolute or the bare anchor."""


def _listed(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) if ids else "none"


def _answers(reply: bool) -> str:
    return "answers the request" if reply else "ignores the request (no message)"


def _message_differs(name: str, made: str | None, expected: str) -> str:
    """Where the message the rules make first differs from the example's, in a few words."""
    if made is None:
        return f"example {name!r}: the decision sends no message, the example expects one"
    at = next(
        (i for i, (a, b) in enumerate(zip(made, expected, strict=False)) if a != b),
        min(len(made), len(expected)),
    )
    line = made.count("\n", 0, at) + 1
    found = (
        f"example {name!r}: the message differs from line {line} on: the rules give "
        f"{made[at : at + 40]!r}, the example says {expected[at : at + 40]!r}"
    )
    if _ADDRESS.sub("", made) == _ADDRESS.sub("", expected):  # only the links' address
        link = next(iter(_LINK.findall(made)), "")
        found += f" (only the links differ: they follow `url:`; the rules link to {link})"
    return found
