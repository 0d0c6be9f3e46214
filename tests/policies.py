"""Whole JSON policies for tests: every key a build writes, the test giving what it is about."""

from __future__ import annotations

from typing import Any

from kontaktcharta.defaults import default_decline_template
from kontaktcharta.policy import revision


def whole_policy(**given: Any) -> dict[str, Any]:
    """A policy as a build writes it: what is given, and the rest as a small charta has it, with
    its revision. `accept` and `decline` must be given."""
    lang = given.get("lang", "de")
    policy: dict[str, Any] = {
        "charta": 1,
        "lang": lang,
        "title": "Kontaktcharta",
        "owner": {"name": "Erika Musterfrau"},
        "url": None,
        "updated": "2026-11-21",
        "review_by": None,
        "based_on": None,
        "revision": "",
        "intro": None,
        "platforms": [],
        "facts": [],
        "accept": None,
        "decline": None,
        "goal": None,
        "declined": {
            "title": "Abgelehnt - was jetzt?",
            "text": "Nicht persönlich nehmen.",
            "html": "<p>Nicht persönlich nehmen.</p>",
            "alternatives": [],
        },
        "messages": {"decline": default_decline_template(lang)},
        "examples": [],
        "translations": {},
    }
    policy.update(given)
    policy["revision"] = revision(policy)
    return policy
