"""What deciding a request gives: a Decision, with the Questions still open; and the questions a
policy asks, worded once for both deciders (the reference and the compiled one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

from .lang import primary
from .model import PLATFORM, Charta, Outcome

QuestionKind = Literal["fact", "judgement", "platform"]
_PLATFORM_QUESTION: Final = {
    "de": "Über welche Plattform kam die Anfrage?",
    "en": "On which platform did the request arrive?",
}


@dataclass(frozen=True, slots=True)
class Question:
    """Something a person could answer to settle a review."""

    kind: QuestionKind
    """fact, judgement or platform."""
    name: str
    """The fact's name, the criterion id, or `platform`."""
    question: str
    """The fact's question, the criterion's question (else its plain text), or which platform,
    listing them."""

    def to_json(self) -> dict[str, str]:
        """The question as JSON: kind, name, question."""
        return {"kind": self.kind, "name": self.name, "question": self.question}


@dataclass(frozen=True, slots=True)
class Decision:
    """What the policy says about one request."""

    decision: Outcome
    """accept, decline or review."""
    reasons: tuple[str, ...] = ()
    """The criterion ids behind an accept or a decline, in charta order."""
    unmet: tuple[str, ...] = ()
    """The accept criteria whose failing declines the request (under `match: all`), in charta
    order; empty for any other decision."""
    questions: tuple[Question, ...] = ()
    """What is still open, for a review."""
    reply: bool = True
    """Whether the owner answers the request; False for a decline that is ignored."""
    message: str | None = None
    """The decline message to send, for a decline that is answered."""

    def to_json(self) -> dict[str, Any]:
        """The decision as JSON: decision, reasons, unmet, questions, reply, message."""
        return {
            "decision": self.decision,
            "reasons": list(self.reasons),
            "unmet": list(self.unmet),
            "questions": [question.to_json() for question in self.questions],
            "reply": self.reply,
            "message": self.message,
        }


class Questions:
    """Every question one policy may ask, in the order a review lists them: the missing facts in
    declared order, then the judgements in charta order, then the platform."""

    def __init__(self, charta: Charta) -> None:
        self.facts = {f.name: Question("fact", f.name, f.question) for f in charta.facts}
        self.judgements = {
            c.id: Question("judgement", c.id, c.question or c.text.plain)
            for c in charta.criteria
            if c.judged
        }
        asked = _PLATFORM_QUESTION.get(primary(charta.lang), _PLATFORM_QUESTION["en"])
        names = ", ".join(platform.name for platform in charta.platforms)
        self.platform = Question("platform", PLATFORM, f"{asked} ({names})" if names else asked)

    def review(self, missing: Iterable[str], asks: Iterable[str], platform: bool) -> Decision:
        """A review asking for these facts and judgements, and for the platform where needed."""
        missing, asks = set(missing), set(asks)
        questions = [q for name, q in self.facts.items() if name in missing]
        questions += [q for id_, q in self.judgements.items() if id_ in asks]
        if platform or PLATFORM in missing:
            questions.append(self.platform)
        return Decision("review", questions=tuple(questions))
