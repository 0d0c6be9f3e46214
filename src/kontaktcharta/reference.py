"""Deciding a contact request, plainly: the rules of docs/format.md ("Deciding a request") in
the order they are written, with nothing remembered from one request to the next.

This is the reference: it is slow and meant to be read. `charta decide` and every tool of this
package decide with the compiled fast path (decide.py), which tests hold equal to this on random
policies and requests.
"""

from __future__ import annotations

from typing import Any

from .decision import Decision, Questions
from .messages import DeclineMessages
from .model import PLATFORM, Charta, Criterion
from .request import RequestReader
from .rules import Rules

Value = bool | None
"""A value in three-valued logic: True, False, or None (open: not known yet)."""


class Reference:
    """One policy, its rules compiled, ready to decide requests plainly."""

    def __init__(self, charta: Charta) -> None:
        self.charta = charta
        rules = {c.id: c.when for c in charta.criteria if c.when is not None}
        self.rules = Rules({fact.name: fact.type for fact in charta.facts}, rules)
        self.requests = RequestReader(charta, reads_platform=True)
        self.questions = Questions(charta)
        self.messages = DeclineMessages.of(charta)
        self.declared = {platform.id for platform in charta.platforms}

    def decide(self, request: Any, name: str | None = None) -> Decision:
        """Decide a request: accept, decline or review."""
        platform, facts, judgements = self.requests.read(request)

        def applies(criterion: Criterion) -> Value:
            """Step 1: a criterion with platforms applies only on those platforms; without a
            platform in the request, whether it applies is open (unless it names them all)."""
            if criterion.platforms is None or self.declared <= set(criterion.platforms):
                return True
            if platform is None:
                return None
            return platform in criterion.platforms

        def value(criterion: Criterion) -> Value:
            """A rule's value for the request's facts, or a person's judgement."""
            if criterion.when is not None:
                return self.rules.evaluate(criterion.id, facts)
            found = judgements.get(criterion.id)
            return None if found is None else bool(found)

        def holds(criterion: Criterion) -> Value:
            return both(applies(criterion), value(criterion))

        # Step 1: the criteria that may apply on the request's platform.
        declines = [c for c in self.charta.decline.criteria if not c.otherwise]
        declines = [c for c in declines if applies(c) is not False]
        accepts = [c for c in self.charta.accept.criteria if applies(c) is not False]

        # Step 2: any decline criterion that holds declines, with every one that holds.
        decline = {c.id: holds(c) for c in declines}
        reasons = tuple(id_ for id_, held in decline.items() if held is True)
        if reasons:
            return self._decline(reasons, name, platform)

        # Step 3: the accept criteria hold, and no decline criterion is still open: accept.
        accept = {c.id: (applies(c), value(c)) for c in accepts}
        if self.charta.accept.match == "all":
            held = every(accept.values())
        else:
            held = anyone(both(*pair) for pair in accept.values())
        still_open = any(held_ is None for held_ in decline.values())
        if held is True and not still_open:
            reasons = tuple(id_ for id_, (a, v) in accept.items() if a is True and v is True)
            return Decision("accept", reasons)

        # Step 4: the accept criteria certainly do not hold: decline, with the fallback; under
        # `all`, naming every applicable accept criterion that is false.
        if held is False:
            fallback = self.charta.fallback
            unmet: tuple[str, ...] = ()
            if self.charta.accept.match == "all":
                unmet = tuple(id_ for id_, (a, v) in accept.items() if a is True and v is False)
            return self._decline(fallback, name, platform, unmet)

        # Step 5: review, asking what is still open.
        open_ = [c for c in declines if decline[c.id] is None]
        ask_platform = False
        if held is None and self.charta.accept.match == "all":  # a true value counts as true
            open_ += [c for c in accepts if accept[c.id][1] is not True]
            ask_platform = anyone(a for a, _ in accept.values()) is None
        elif held is None:
            open_ += [c for c in accepts if both(*accept[c.id]) is None]
        ask_platform = ask_platform or any(applies(c) is None for c in open_)
        missing: set[str] = set()
        asks: set[str] = set()
        for criterion in open_:
            if value(criterion) is not None:
                continue  # only where it applies is open
            if criterion.when is None:
                asks.add(criterion.id)
            else:
                missing |= set(self.rules.needs(criterion.id)) - set(facts)
        if platform is not None:
            missing.discard(PLATFORM)
        return self.questions.review(missing, asks, ask_platform)

    def _decline(
        self,
        reasons: tuple[str, ...],
        name: str | None,
        platform: str | None,
        unmet: tuple[str, ...] = (),
    ) -> Decision:
        """A decline, answered with a message unless a reason says `reply: false`."""
        if any(c.reply is False for c in self.charta.decline.criteria if c.id in reasons):
            return Decision("decline", reasons, unmet, reply=False)
        message = self.messages.render(reasons, name, platform, unmet)
        return Decision("decline", reasons, unmet, message=message)


def both(first: Value, second: Value) -> Value:
    """Kleene's and: false wins, then open."""
    if first is False or second is False:
        return False
    if first is None or second is None:
        return None
    return True


def anyone(values: Any) -> Value:
    """Kleene's or over values: true wins, then open; none at all is false."""
    found: Value = False
    for value in values:
        if value is True:
            return True
        if value is None:
            found = None
    return found


def every(pairs: Any) -> Value:
    """`match: all` over (applies, value) pairs: each applicable criterion is true, and at least
    one applies. A criterion whose applying is open counts as true where its value is true."""
    pairs = list(pairs)
    each: Value = True
    for applies, value in pairs:
        if applies is True and value is False:
            return False
        if value is not True:
            each = None
    some = anyone(applies for applies, _ in pairs)
    return both(each, some)
