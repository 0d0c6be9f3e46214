"""Decline messages: placeholders, the default texts, tidying, and keeping within a limit."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kontaktcharta.decide import Policy
from kontaktcharta.defaults import DEFAULT_DECLINE, default_decline_template
from kontaktcharta.errors import ChartaError
from kontaktcharta.messages import DeclineMessages, MessageTooLong
from kontaktcharta.model import TEMPLATE as TEMPLATE_KIND
from kontaktcharta.model import Messages
from kontaktcharta.policy_reader import read_policy
from policies import whole_policy

URL = "https://erika.example/kontaktcharta/"


def policy_data(
    template: str | None = None,
    lang: str = "de",
    limit: int | None = None,
    alternatives: bool = True,
    url: str | None = URL,
) -> dict[str, Any]:
    """A JSON policy with three decline criteria, two alternatives and one platform."""

    def criterion(id_: str, text: str, **given: Any) -> dict[str, Any]:
        link = f"{url}#decline-{id_}" if url else f"#decline-{id_}"
        return {"id": id_, "text": text, "html": text, "link": link, **given}

    platform: dict[str, Any] = {"id": "xing", "name": "XING", "use": "business"}
    if limit is not None:
        platform["message_limit"] = limit
    return whole_policy(
        lang=lang,
        url=url,
        platforms=[platform, {"id": "linkedin", "name": "LinkedIn", "use": "business"}],
        accept={
            "title": "Gern",
            "match": "any",
            "criteria": [
                {
                    "id": "met",
                    "text": "begegnet",
                    "html": "begegnet",
                    "link": f"{url}#accept-met" if url else "#accept-met",
                }
            ],
        },
        decline={
            "title": "Ich lehne ab, wenn",
            "criteria": [
                criterion(
                    "slogan",
                    "die Einladung nur einen Spruch enthält",
                    reason="Ein Spruch allein ersetzt leider keinen gemeinsamen Anlass.",
                ),
                criterion(
                    "group-only",
                    "wir uns nur aus einer Gruppe kennen",
                    reason="Eine gemeinsame Gruppe allein verbindet uns noch nicht.",
                ),
                criterion("no-reason", "kein Grund oben zutrifft", otherwise=True),
            ],
        },
        declined={
            "title": "Abgelehnt - was jetzt?",
            "text": "Nicht persönlich nehmen.",
            "html": "<p>Nicht persönlich nehmen.</p>",
            "alternatives": [
                {"text": "Mir auf XING folgen", "html": "…", "url": "https://xing.example/erika"},
                {"text": "Mir schreiben", "html": "…"},
            ]
            if alternatives
            else [],
        },
        messages={"decline": template or default_decline_template(lang)},
    )


def message(
    reasons: list[str],
    name: str | None = "Max Mustermann",
    platform: str | None = None,
    **given: Any,
) -> str:
    """The decline message of a policy_data(**given) for these reasons. A `limit` is set on XING
    after the policy is read, as the reader refuses a limit a reason cannot fit: the renderer's
    own steps are what is tested."""
    limit = given.pop("limit", None)
    charta = Policy.from_json(policy_data(**given)).charta
    if limit is not None:
        platforms = tuple(
            dataclasses.replace(p, message_limit=limit) if p.id == "xing" else p
            for p in charta.platforms
        )
        charta = dataclasses.replace(charta, platforms=platforms)
    return DeclineMessages.of(charta).render(reasons, name, platform)


GERMAN = f"""Guten Tag Max Mustermann,

vielen Dank für Ihre Kontaktanfrage. Ich nehme sie jedoch nicht an.

Ein Spruch allein ersetzt leider keinen gemeinsamen Anlass.

Meine Regeln für Kontaktanfragen finden Sie hier: {URL}#decline-slogan

Was Sie stattdessen tun können:
- Mir auf XING folgen: https://xing.example/erika
- Mir schreiben

Viele Grüße"""


def test_the_german_default_message() -> None:
    assert message(["slogan"]) == GERMAN


def test_the_english_default_message_with_two_reasons() -> None:
    assert message(["slogan", "group-only"], lang="en-GB") == (
        "Hello Max Mustermann,\n\n"
        "thank you for your contact request. However, I am not accepting it.\n\n"
        "- Ein Spruch allein ersetzt leider keinen gemeinsamen Anlass.\n"
        "- Eine gemeinsame Gruppe allein verbindet uns noch nicht.\n\n"
        f"You can find my rules for contact requests here: {URL}#decline-slogan\n\n"
        "What you can do instead:\n"
        "- Mir auf XING folgen: https://xing.example/erika\n"
        "- Mir schreiben\n\n"
        "Best regards"
    )


@pytest.mark.parametrize(
    ("lang", "default"),
    [("de", "de"), ("de-AT", "de"), ("DE-ch", "de"), ("en", "en"), ("fr", "en")],
)
def test_the_default_template_follows_the_primary_language(lang: str, default: str) -> None:
    assert default_decline_template(lang) == DEFAULT_DECLINE[default]


def test_the_defaults_use_every_placeholder_and_pass_the_check() -> None:
    for template in DEFAULT_DECLINE.values():
        assert TEMPLATE_KIND.problem(template) is None
        assert all(f"{{{key}}}" in template for key in ("name", "reasons", "url", "alternatives"))


def test_a_policy_without_a_template_uses_the_default_of_its_language() -> None:
    assert message(["slogan"], template=None) == GERMAN
    assert message(["slogan"], lang="en").startswith("Hello Max Mustermann,\n\nthank you")


def test_without_a_name_the_greeting_is_neutral() -> None:
    assert message(["slogan"], name=None).startswith("Guten Tag,\n\nvielen Dank")
    assert message(["slogan"], name="  ", lang="en").startswith("Hello,\n\nthank you")


def test_a_reason_without_a_sentence_is_stated_by_its_text() -> None:
    text = message(["no-reason"], template="{reasons} ({url})")
    assert text == f"kein Grund oben zutrifft ({URL}#decline-no-reason)"


def test_the_link_is_the_first_reasons_and_relative_without_a_page_address() -> None:
    assert message(["group-only", "slogan"], template="{url}") == f"{URL}#decline-group-only"
    assert message(["slogan"], template="{url}", url=None) == "#decline-slogan"


def test_without_reasons_the_link_goes_to_the_decline_section() -> None:
    template = "Nein.\n\n{reasons}\n\nSiehe {url}"
    assert message([], template=template) == f"Nein.\n\nSiehe {URL}#decline"


def test_without_alternatives_their_paragraph_goes_and_no_blank_lines_pile_up() -> None:
    text = message(["slogan"], alternatives=False)
    assert "Was Sie stattdessen" not in text
    assert "\n\n\n" not in text
    assert text.endswith(f"{URL}#decline-slogan\n\nViele Grüße")


def test_other_braces_and_percent_signs_are_text() -> None:
    template = "{Name}, {foo} {{name}} { } {} 100 % sicher: {reasons}"
    with pytest.raises(ChartaError, match=r"messages\.decline: unknown placeholder \{Name\}"):
        message(["slogan"], template=template)  # a policy with them is refused; its text is safe:
    charta = dataclasses.replace(read_policy(policy_data()), messages=Messages(decline=template))
    assert Policy.of(charta).messages.render(["slogan"], "Max Mustermann", None) == (
        "{Name}, {foo} {Max Mustermann} { } {} 100 % sicher: "
        "Ein Spruch allein ersetzt leider keinen gemeinsamen Anlass."
    )


def test_a_name_cannot_inject_placeholders() -> None:
    text = message(["slogan"], name="{url} %(url)s", template="Hallo {name}!")
    assert text == "Hallo {url} %(url)s!"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("Hallo {name}, {reasons} {url} {alternatives}", None),
        ("JSON { } and {} and {1} stay text", None),
        (
            "Hallo {Name}, {grund} {name} {grund}",
            "unknown placeholder {Name}, {grund}; "
            "a decline message knows {name}, {reasons}, {url}, {alternatives}",
        ),
        (
            "Hallo {{name}}",
            "unknown placeholder {{name}} (did you mean {name}?); "
            "a decline message knows {name}, {reasons}, {url}, {alternatives}",
        ),
        (
            "Hallo {nmae}: {url}",
            "unknown placeholder {nmae} (did you mean {name}?); "
            "a decline message knows {name}, {reasons}, {url}, {alternatives}",
        ),
    ],
)
def test_a_template_names_unknown_placeholders(template: str, problem: str | None) -> None:
    assert TEMPLATE_KIND.problem(template) == problem


def test_an_unknown_reason_is_named_with_the_valid_ones() -> None:
    with pytest.raises(ValueError) as raised:
        message(["met"])
    assert str(raised.value) == (
        "unknown reason 'met'; decline criteria: slogan, group-only, no-reason"
    )


def test_the_limit_of_another_platform_does_not_apply() -> None:
    assert message(["slogan"], platform="linkedin", limit=10) == GERMAN


# Keeping within message_limit: each step drops more, the link always stays.

TWO = ["slogan", "group-only"]
TEMPLATE = "Hallo {name}.\n\n{reasons}\n\n{url}\n\n{alternatives}"
ALTERNATIVES = "- Mir auf XING folgen: https://xing.example/erika\n- Mir schreiben"
FULL = (
    "Hallo Max Mustermann.\n\n"
    "- Ein Spruch allein ersetzt leider keinen gemeinsamen Anlass.\n"
    "- Eine gemeinsame Gruppe allein verbindet uns noch nicht.\n\n"
    f"{URL}#decline-slogan\n\n" + ALTERNATIVES
)
NO_ALTERNATIVES = FULL.removesuffix("\n\n" + ALTERNATIVES)
SHORT = (
    "Hallo Max Mustermann.\n\n"
    "- die Einladung nur einen Spruch enthält\n"
    "- wir uns nur aus einer Gruppe kennen\n\n"
    f"{URL}#decline-slogan"
)
FIRST = f"Hallo Max Mustermann.\n\ndie Einladung nur einen Spruch enthält\n\n{URL}#decline-slogan"


def bare(text: str) -> str:
    """The message without the name: which form fits is decided by it, the name takes the rest."""
    return text.replace(" Max Mustermann", "")


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (len(FULL), FULL),
        (len(FULL) - 1, FULL.replace("Max Mustermann", "Max…")),
        (len(bare(FULL)) + 1, bare(FULL)),
        (len(bare(FULL)) - 1, NO_ALTERNATIVES),
        (len(bare(NO_ALTERNATIVES)) - 1, SHORT),
        (len(bare(SHORT)) - 1, FIRST),
        (len(FIRST), FIRST),
    ],
    ids=[
        "fits",
        "the name yields",
        "no room for the name",
        "alternatives dropped",
        "short forms",
        "first reason only",
        "exactly",
    ],
)
def test_a_long_message_is_shortened_step_by_step(limit: int, expected: str) -> None:
    text = message(TWO, platform="xing", limit=limit, template=TEMPLATE)
    assert text == expected
    assert len(text) <= limit


def test_a_message_that_cannot_fit_names_the_limit_and_the_shortest_length() -> None:
    shortest = len(bare(FIRST))  # the name is left out before the message fails
    with pytest.raises(MessageTooLong) as raised:
        message(TWO, platform="xing", limit=shortest - 1, template=TEMPLATE)
    assert (raised.value.limit, raised.value.shortest) == (shortest - 1, shortest)
    assert str(raised.value) == (
        f"the decline message has {shortest} characters even at its shortest, but XING takes "
        f"at most {shortest - 1}; shorten messages.decline or the first reason"
    )
