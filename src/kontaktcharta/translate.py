"""Translations: the charta's texts in another language, made into a whole Charta of their own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from .errors import Problem
from .lang import TAG, folder
from .messages import check_template
from .model import Alternative, Charta, Credit, Criterion, Declined, Messages, Place, Section, Text


def translate(
    charta: Charta, translations: Mapping[str, dict[str, Any]]
) -> tuple[tuple[Charta, ...], list[Problem]]:
    """Each translation as a Charta, and every missing or surplus text as a problem."""
    made: list[Charta] = []
    problems: list[Problem] = []
    for lang, values in translations.items():
        one = _Translation(charta, lang, values)
        translated = one.make()
        problems += one.problems
        if translated is not None:
            made.append(translated)
    return tuple(made), problems


class _Translation:
    def __init__(self, charta: Charta, lang: str, values: dict[str, Any]) -> None:
        self.charta = charta
        self.lang = lang
        self.values = values
        self.root = f"translations.{lang}"
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        """Record a problem at the nearest place the loader recorded for the path."""
        full = f"{self.root}.{path}" if path else self.root
        probe = full
        while probe not in self.charta.places and "." in probe:
            probe = probe.rsplit(".", 1)[0]
        place = self.charta.places.get(probe, Place(0, 0, ""))
        self.problems.append(
            Problem(self.charta.file, place.line, place.column, full, message, place.source)
        )

    def text(self, values: dict[str, Any], key: str, path: str, original: object) -> Any:
        """The translated value of a text the main language has (or has not)."""
        if original is None:
            if key in values:
                self.problem(f"{path}{key}", "the main language has no such text to translate")
            return None
        if key not in values:
            self.problem(f"{path}{key}", f"missing translation of {path}{key}")
        return values.get(key)

    def make(self) -> Charta | None:
        c, v = self.charta, self.values
        if not TAG.fullmatch(self.lang):
            self.problem("", f"{self.lang!r} is not a language tag like en or en-GB")
        elif self.lang.lower() == c.lang.lower():
            self.problem("", f"{self.lang!r} is the charta's own language (lang: {c.lang})")
        intro = self.text(v, "intro", "", c.intro)
        goal = self.text(v, "goal", "", c.goal)
        based = self.text(v, "based_on", "", c.based_on)
        message = self.text(v.get("messages", {}), "decline", "messages.", c.messages.decline)
        if message is not None and (problem := check_template(message)):
            self.problem("messages.decline", problem)
        translated = replace(
            c,
            lang=self.lang,
            title=v["title"],
            url=urljoin(c.url, folder(self.lang)) if c.url else None,
            intro=intro,
            goal=goal,
            based_on=Credit(based["text"], c.based_on.url) if based and c.based_on else None,
            facts=self.facts(),
            accept=self.section(c.accept, v["accept"]),
            decline=self.section(c.decline, v["decline"]),
            declined=self.declined(v["declined"]),
            messages=Messages(message),
            translations=(),
        )
        return None if self.problems else translated

    def facts(self) -> tuple[Any, ...]:
        given: dict[str, Any] = self.values.get("facts", {})
        for name in given.keys() - {f.name for f in self.charta.facts}:
            self.problem(f"facts.{name}", "no such fact in the main language")
        made = []
        for fact in self.charta.facts:
            question = self.text(
                given.get(fact.name, {}), "question", f"facts.{fact.name}.", fact.question
            )
            made.append(replace(fact, question=question or fact.question))
        return tuple(made)

    def section(self, section: Section, values: dict[str, Any]) -> Section:
        given: dict[str, Any] = values["criteria"]
        path = f"{section.name}.criteria."
        for name in given.keys() - {c.id for c in section.criteria}:
            self.problem(f"{path}{name}", f"no criterion {name!r} in the {section.name} list")
        criteria: list[Criterion] = []
        for criterion in section.criteria:
            if criterion.id not in given:
                self.problem(
                    f"{path}{criterion.id}",
                    f"missing translation of {section.name} criterion {criterion.id!r}",
                )
                continue
            texts = given[criterion.id]
            reason = self.text(texts, "reason", f"{path}{criterion.id}.", criterion.reason)
            criteria.append(replace(criterion, text=texts["text"], reason=reason))
        return replace(section, title=values["title"], criteria=tuple(criteria))

    def declined(self, values: dict[str, Any]) -> Declined:
        original = self.charta.declined.alternatives
        given: tuple[dict[str, Any], ...] = values.get("alternatives", ())
        if len(given) != len(original):
            self.problem(
                "declined.alternatives",
                f"translates {len(given)} alternatives, the "
                f"main language has {len(original)} (same order, one each)",
            )
        alternatives = tuple(
            Alternative(g["text"], g.get("url", o.url))
            for g, o in zip(given, original, strict=False)
        )
        text: Text = values["text"]
        return Declined(values["title"], text, alternatives)
