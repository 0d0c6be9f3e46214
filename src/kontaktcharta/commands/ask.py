"""`charta ask`: answer the open questions in the terminal, one at a time, and get a decision.

Asks the platform first (unless given), then only what the decision still needs, re-deciding
after every answer. An empty answer leaves a question open; end of input leaves the rest open.
Exit codes: 0 with a decision; 1 when the policy cannot be used; 2 for an unknown platform.
"""

from __future__ import annotations

import argparse
from typing import Any, Final

from ..characters import for_terminal
from ..decide import Decision, Policy, Question, RequestError, decide
from ..lang import primary
from ..messages import MessageTooLong
from ..request import FactCheck, fact_value
from ..rules import RuleError
from .decide import FAILURE, USAGE, add_policy_argument, error, open_policy

TEXTS: Final = {
    "de": {
        "intro": "Eine leere Antwort lässt die Frage offen.",
        "yes": ("ja", "j", "yes", "y"),
        "no": ("nein", "n", "no"),
        "yes_no": "[ja/nein]",
        "int": "(ganze Zahl)",
        "double": "(Zahl)",
        "judgement": "Trifft das zu? {text}",
        "again_yes_no": "Bitte mit ja oder nein antworten.",
        "again_int": "Bitte eine ganze Zahl eingeben, etwa 3.",
        "again_double": "Bitte eine Zahl eingeben, etwa 2,5.",
        "again_choice": "Bitte eine der Möglichkeiten wählen (Nummer oder Wort).",
        "again_ambiguous": "Das passt zu mehreren: {choices}. Bitte genauer.",
        "only_platform": "Plattform: {name} (die einzige der Charta)",
        "accept": "Entscheidung: annehmen",
        "decline": "Entscheidung: ablehnen",
        "review": "Entscheidung: offen, noch zu klären:",
        "unmet": "Nicht erfüllt: {ids}",
        "ignored": "Keine Antwort senden: Solche Anfragen bleiben unbeantwortet (reply: false).",
        "message": "Nachricht zum Einfügen:",
    },
    "en": {
        "intro": "An empty answer leaves the question open.",
        "yes": ("yes", "y"),
        "no": ("no", "n"),
        "yes_no": "[yes/no]",
        "int": "(a whole number)",
        "double": "(a number)",
        "judgement": "Does this apply? {text}",
        "again_yes_no": "Please answer yes or no.",
        "again_int": "Please enter a whole number, such as 3.",
        "again_double": "Please enter a number, such as 2.5.",
        "again_choice": "Please pick one of the choices (number or word).",
        "again_ambiguous": "That fits several: {choices}. Please be more precise.",
        "only_platform": "Platform: {name} (the charta's only one)",
        "accept": "Decision: accept",
        "decline": "Decision: decline",
        "review": "Decision: open, still to settle:",
        "unmet": "Not met: {ids}",
        "ignored": "Send no answer: such requests are ignored (reply: false).",
        "message": "Message to paste:",
    },
}
"""What the dialogue says, by the charta's primary language (English for other languages)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The policy, the platform if known, and the requester's name."""
    add_policy_argument(parser)
    parser.add_argument("--platform", metavar="ID", help="the platform, if known (else asked)")
    parser.add_argument("--name", help="the requester's name for the decline message")


def run(args: argparse.Namespace) -> int:
    """Ask until the decision is settled or nothing is left to ask; print it."""
    policy = open_policy(args.policy, args.platform)
    if isinstance(policy, int):
        return policy
    texts: dict[str, Any] = TEXTS.get(primary(policy.lang), TEXTS["en"])
    request: dict[str, Any] = {"facts": {}, "judgements": {}}
    print(texts["intro"])
    if args.platform is not None:
        request["platform"] = args.platform
    elif len(policy.platforms) == 1:  # nothing to choose
        [(only, name)] = policy.platforms.items()
        request["platform"] = only
        print(for_terminal(texts["only_platform"].format(name=name)))
    try:
        decision = _dialogue(policy, request, args.name, texts)
    except (RuleError, MessageTooLong) as problem:
        return error(problem, FAILURE)
    except RequestError as problem:  # an answer the policy cannot take, e.g. not UTF-8
        return error(problem, USAGE)
    except UnicodeDecodeError:
        return error("the answer is not UTF-8 text", USAGE)
    print()
    print(for_terminal(_result(policy, decision, texts)))
    return 0


def _dialogue(
    policy: Policy, request: dict[str, Any], name: str | None, texts: dict[str, Any]
) -> Decision:
    """Ask one open question at a time; stop when settled, unanswerable, or at end of input."""
    skipped: set[tuple[str, str]] = set()
    try:
        if "platform" not in request and policy.platforms:
            _answer(policy, policy.questions.platform, request, skipped, texts)
        while True:
            decision = decide(policy, request, name)
            waiting = [q for q in decision.questions if (q.kind, q.name) not in skipped]
            if decision.decision != "review" or not waiting:
                return decision
            _answer(policy, waiting[0], request, skipped, texts)
    except EOFError:
        print()
        return decide(policy, request, name)


def _answer(
    policy: Policy,
    question: Question,
    request: dict[str, Any],
    skipped: set[tuple[str, str]],
    texts: dict[str, Any],
) -> None:
    """Ask until the answer parses; store it in the request, or note the question as skipped."""
    if question.kind == "platform":
        choices = list(policy.platforms.items())
        value = _choose(question.question, choices, texts)
    elif question.kind == "judgement":
        value = _yes_no(_wording(policy, question, texts), texts)
    else:
        fact = next(f for f in policy.charta.facts if f.name == question.name)
        if fact.values is not None:
            value = _choose(question.question, [(v, str(v)) for v in fact.values], texts)
        elif fact.type == "bool":
            value = _yes_no(question.question, texts)
        elif fact.type in ("int", "double"):
            value = _number(question.question, policy.requests.facts[fact.name], texts)
        else:
            value = input(f"{question.question} ").strip() or None
    if value is None:
        skipped.add((question.kind, question.name))
    elif question.kind == "platform":
        request["platform"] = value
    else:
        section = "judgements" if question.kind == "judgement" else "facts"
        request[section][question.name] = value


def _yes_no(question: str, texts: dict[str, Any]) -> bool | None:
    while True:
        answer = input(f"{question} {texts['yes_no']} ").strip().lower()
        if not answer:
            return None
        if answer in texts["yes"] or answer in texts["no"]:
            return answer in texts["yes"]
        print(texts["again_yes_no"])


def _number(question: str, fact: FactCheck, texts: dict[str, Any]) -> int | float | None:
    """A number the fact takes, as a request would give it (the request's own check)."""
    kind = fact.type
    while True:
        answer = input(f"{question} {texts[kind]} ").strip()
        if not answer:
            return None
        try:
            number = int(answer) if kind == "int" else float(answer.replace(",", "."))
            return fact_value("", fact, number)  # type: ignore[no-any-return]
        except (ValueError, RequestError):  # not a number, or not one the fact takes
            print(texts[f"again_{kind}"])


def _choose(question: str, choices: list[tuple[Any, str]], texts: dict[str, Any]) -> Any:
    """One of `choices` (value, label), by number, value or label, or by the start of one that
    no other starts with (`face` for Facebook), ignoring case."""
    print(for_terminal(question))
    for number, (_, label) in enumerate(choices, 1):
        print(for_terminal(f"  {number}) {label}"))
    while True:
        answer = input("> ").strip().casefold()
        if not answer:
            return None
        for number, (value, label) in enumerate(choices, 1):
            if answer in (str(number), str(value).casefold(), label.casefold()):
                return value
        starting = [
            (value, label)
            for value, label in choices
            if str(value).casefold().startswith(answer) or label.casefold().startswith(answer)
        ]
        if len(starting) == 1:
            return starting[0][0]
        if starting:
            labels = ", ".join(label for _, label in starting)
            print(texts["again_ambiguous"].format(choices=labels))
        else:
            print(texts["again_choice"])


def _wording(policy: Policy, question: Question, texts: dict[str, Any]) -> str:
    """How a question is put: a judgement by its criterion's own question, else "Does it hold?"
    before the criterion's text."""
    if question.kind != "judgement":
        return question.question
    own = next(c.question for c in policy.charta.criteria if c.id == question.name)
    return own or texts["judgement"].format(text=question.question)


def _result(policy: Policy, decision: Decision, texts: dict[str, Any]) -> str:
    head = texts[decision.decision]
    if decision.reasons:
        head += f" ({', '.join(decision.reasons)})"
    lines = [head]
    if decision.unmet:
        lines.append(texts["unmet"].format(ids=", ".join(decision.unmet)))
    if not decision.reply:
        lines.append(texts["ignored"])
    lines += [f"  - {_wording(policy, question, texts)}" for question in decision.questions]
    if decision.message is not None:
        lines += ["", texts["message"], "", decision.message]
    return "\n".join(lines)
