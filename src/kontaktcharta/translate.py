"""Translations: the charta's texts in another language, made into a whole Charta of their own.

Which keys a translation gives follows from the declarations (`translated=` in model.py; see
keys.Translated): every translated text of the main language must be translated, and nothing
the main language lacks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .errors import Problems
from .keys import Key, ListOf, MapOf, Nested, Translated
from .lang import TAG, translation_url
from .model import CHARTA, Charta


def translate(charta: Charta, translations: Mapping[str, Any], problems: Problems) -> Charta:
    """The charta with each translation made a Charta; every missing or surplus text is a
    problem (and the charta is returned as it was)."""
    before = len(problems.found)
    made: list[Charta] = []
    for lang, given in translations.items():
        root = f"translations.{lang}"
        if not TAG.fullmatch(lang):
            problems.at(root, f"{lang!r} is not a language tag like en or en-GB")
        elif lang.lower() == charta.lang.lower():
            problems.at(root, f"{lang!r} is the charta's own language (lang: {charta.lang})")
        one = _Translation(root, problems)
        translated = one.translated(charta, given, CHARTA, None, "")
        made.append(
            dataclasses.replace(
                translated,
                lang=lang,
                url=translation_url(charta.url, lang),
                translations=(),
            )
        )
    if len(problems.found) > before:
        return charta
    return dataclasses.replace(charta, translations=tuple(made))


class _Translation:
    """One language's texts laid over the main language's charta."""

    def __init__(self, root: str, problems: Problems) -> None:
        self.root = root
        self.problems = problems

    def problem(self, relative: str, message: str) -> None:
        self.problems.at(f"{self.root}.{relative}", message)

    def translated(
        self, original: Any, given: Mapping[str, Any], kind: Nested, part: str | None, path: str
    ) -> Any:
        """`original` with the texts of `given` in place of its own."""
        changes: dict[str, Any] = {}
        inner = kind.part or part
        declared = kind.keys(part)
        for name, translated in Translated(kind).keys(part).items():
            value = getattr(original, name)
            where = f"{path}{name}"
            if declared[name].translated:
                text = self.text(given, name, where, value, translated)
                if text is not None:
                    changes[name] = text
            elif value is None:  # an object the main language lacks
                if name in given:
                    self.problem(where, "the main language has no such text to translate")
            elif isinstance(translated.kind, Nested):
                nested = declared[name].kind
                assert isinstance(nested, Nested)
                changes[name] = self.translated(
                    value, given.get(name, {}), nested, inner, f"{where}."
                )
            elif isinstance(translated.kind, ListOf | MapOf):
                changes[name] = self.entries(value, given.get(name), declared[name], inner, where)
        return dataclasses.replace(original, **changes) if changes else original

    def text(
        self, given: Mapping[str, Any], name: str, where: str, original: object, declared: Key
    ) -> Any:
        """The translated value of a text the main language has (or has not). A text the main
        language leaves to a default of its own language (`written`, like the built-in decline
        template) may be given by a translation all the same."""
        own = declared.translated == "override" or declared.written is not None
        if original is None and not own:
            if name in given:
                self.problem(where, "the main language has no such text to translate")
            return None
        if name not in given:
            if declared.required or (original is not None and declared.translated != "override"):
                self.problem(where, f"missing translation of {where}")
            return None
        return given[name]

    def entries(
        self, originals: tuple[Any, ...], given: Any, declared: Key, part: str | None, where: str
    ) -> tuple[Any, ...]:
        """A list or map of objects, translated entry by entry."""
        kind = declared.kind
        assert isinstance(kind, ListOf | MapOf) and isinstance(kind.item, Nested)
        item = kind.item
        noun = f"{part} {item.cls.__name__.lower()}" if part else item.cls.__name__.lower()
        if isinstance(kind, ListOf) and "id" not in item.keys(part):  # by position
            entries = list(given or ())
            if len(entries) != len(originals):
                self.problem(
                    where,
                    f"translates {len(entries)} {where.rsplit('.', 1)[-1]}, the main language has "
                    f"{len(originals)} (same order, one each)",
                )
            return tuple(
                self.translated(o, g, item, part, f"{where}[{i}].")
                for i, (o, g) in enumerate(zip(originals, entries, strict=False))
            )
        by = "id" if isinstance(kind, ListOf) else kind.name_field
        assert by is not None
        given = given or {}
        names = {getattr(o, by) for o in originals}
        for name in given:
            if name not in names:
                if isinstance(kind, ListOf):
                    self.problem(
                        f"{where}.{name}",
                        f"no {item.cls.__name__.lower()} {name!r} in the {part or where} list",
                    )
                else:
                    self.problem(f"{where}.{name}", f"no such {noun} in the main language")
        made = []
        for original in originals:
            name = getattr(original, by)
            if name not in given:
                if isinstance(kind, ListOf):
                    if has_texts(original, item, part):
                        self.problem(f"{where}.{name}", f"missing translation of {noun} {name!r}")
                    made.append(original)
                    continue
                given_item: Mapping[str, Any] = {}
            else:
                given_item = given[name]
            made.append(self.translated(original, given_item, item, part, f"{where}.{name}."))
        return tuple(made)


def has_texts(original: Any, kind: Nested, part: str | None) -> bool:
    """Whether an object of the main language has a text a translation must give."""
    declared = kind.keys(part)
    for name in Translated(kind).keys(part):
        value = getattr(original, name)
        if value is None:
            continue
        inner = declared[name].kind
        if declared[name].translated:
            return True
        if isinstance(inner, Nested) and has_texts(value, inner, kind.part or part):
            return True
        if (
            isinstance(inner, ListOf | MapOf)
            and isinstance(inner.item, Nested)
            and any(has_texts(entry, inner.item, kind.part or part) for entry in value)
        ):
            return True
    return False
