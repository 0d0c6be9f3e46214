"""`charta.json` → a validated Charta: the reader every command that uses a policy goes through.

A policy may come from anyone, so nothing in it is trusted: it is read by the same declarations
the build writes it by (model.py, policy.py), every key checked for its type, and then checked as
a whole like a charta (unique ids, one `otherwise` and without `when`, declared platforms and
facts, rules that compile) and for what the build derives (each criterion's link, the
translations' untranslated keys). Every problem names its key path and what was expected.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from .errors import ChartaError, Problems
from .jsontext import NotJson, loads
from .keys import Key, ListOf, MapOf, Markdown, Nested, Translated, Translations, closest, show
from .lang import TAG, folder, translation_url
from .model import CHARTA, Charta, link
from .policy import added, presence

MAX_BYTES: Final = 4 * 1024 * 1024
"""The largest policy read: four times the largest charta.yaml, as its JSON carries HTML too."""
_BAD: Final = object()
"""What a read gives where the value did not fit (its problem is reported)."""


def load_policy_file(path: Path) -> Charta:
    """Read `charta.json` from a file; a ChartaError says what is wrong with it."""
    file = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ChartaError.single(file, "no such file; build the charta first") from None
    except OSError as error:
        raise ChartaError.single(file, f"cannot read the policy: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ChartaError.single(
            file, f"is larger than {MAX_BYTES:,} bytes, the most a policy may have"
        )
    return read_policy(parse(data, file), file)


def parse(data: bytes | str, file: str) -> Any:
    """JSON text (or its UTF-8 bytes) → data; NaN and Infinity are not JSON and are refused."""
    from .errors import Problem

    try:
        return loads(data)
    except NotJson as error:
        problem = Problem(file, error.line, error.column, "", error.message)
        raise ChartaError([problem]) from None


def read_policy(data: Any, file: str = "charta.json") -> Charta:
    """Check a JSON policy and read it into the model; a ChartaError lists every problem."""
    problems = Problems(file)
    reader = _Reader(problems)
    if not isinstance(data, dict):
        problems.at("", f"expected a JSON object (a charta policy), got {show(data)}")
        problems.check()
    values = reader.object(data, "", CHARTA, None, top=True, make=False)
    translations = _translations(reader, data.get("translations", _BAD))
    if values is _BAD or translations is _BAD:
        problems.check()
    charta = Charta(**values, translations=(), file=file)
    from .check import check_charta

    check_charta(charta, problems)
    reader.check_links(charta, "")
    made = []
    for lang, values in translations.items():
        root = f"translations.{lang}"
        if values is _BAD:
            continue
        if lang.lower() == charta.lang.lower():
            problems.at(root, f"{lang!r} is the charta's own language (lang: {charta.lang})")
            continue
        translated = Charta(**values, file=file)
        reader.check_links(translated, root + ".")
        _check_same(problems, charta, translated, lang)
        made.append(translated)
    problems.check()
    charta = dataclasses.replace(charta, translations=tuple(made))
    from .check import check_message_limits

    check_message_limits(charta, problems)  # as the build: every reason fits every platform
    problems.check()
    return charta


def _translations(reader: _Reader, given: Any) -> Any:
    """Each translation's values by language, read like the main language's."""
    if given is _BAD:
        reader.problems.at("translations", "required key is missing (expected an object)")
        return _BAD
    if not isinstance(given, dict):
        reader.problems.at("translations", f"expected an object, got {show(given)}")
        return _BAD
    too_many = CHARTA.keys()["translations"].kind
    if isinstance(too_many, MapOf) and (problem := too_many.too_many(len(given))):
        reader.problems.at("translations", problem)
        return _BAD
    found = {}
    for lang, content in given.items():
        root = f"translations.{lang}"
        if not TAG.fullmatch(lang):
            reader.problems.at(root, "expected a language tag like en or en-GB as the key")
            continue
        reader.prefix = root + "."
        found[lang] = reader.object(
            content, root, CHARTA, None, top=True, translation=True, make=False
        )
        reader.prefix = ""
    return found


class _Reader:
    """Reads JSON values by their declared kinds, reporting each value that does not fit."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.links: dict[str, list[tuple[str, str, str]]] = {}
        """Each language's criteria links as written: (path, section, link), by path prefix."""
        self.prefix = ""
        self.renamed = problems.renamed

    def object(
        self,
        value: Any,
        path: str,
        kind: Nested,
        part: str | None,
        top: bool = False,
        translation: bool = False,
        make: bool = True,
    ) -> Any:
        """An object of declared keys, made; or the values to make it from (`make` False); or
        _BAD. At the `top` of a policy an absent value is written null."""
        if not isinstance(value, dict):
            self.problems.at(path, f"expected an object, got {show(value)}")
            return _BAD
        where = kind.part or part
        keys = kind.keys(part)
        extra = added(kind.cls, translation)
        names = _json_names(keys, extra, translation)
        values: dict[str, Any] = {}
        ok = True
        for name in value:
            if name not in names:
                meant = closest(name, names) if isinstance(name, str) else None
                hint = (
                    f"did you mean {meant!r}?" if meant else f"expected one of: {', '.join(names)}"
                )
                self.problems.at(_join(path, name), f"unknown key ({hint})")
                ok = False
        for name, declared in keys.items():
            if isinstance(declared.kind, Translations) or not declared.policy:
                continue
            read = self.key(value, path, name, declared, where, top)
            if read is _BAD:
                ok = False
            elif read is not None:
                values[name] = read
            if name in extra:
                own, key = extra[name]
                given = value.get(own, _BAD)
                if given is _BAD:
                    self.problems.at(
                        _join(path, own),
                        f"required key is missing (expected {key.kind.json_type})",
                    )
                    ok = False
                elif key.kind.read_json(given, _join(path, own), self.problems) is None:
                    ok = False
                elif own == "link":
                    relative = path.removeprefix(self.prefix)
                    self.links.setdefault(self.prefix, []).append((relative, where or "", given))
        if not ok:
            return _BAD
        return kind.make(values) if make else values

    def key(
        self,
        value: dict[str, Any],
        path: str,
        name: str,
        declared: Key,
        part: str | None,
        top: bool,
    ) -> Any:
        """One key's value: None where it is absent and may be, _BAD where it does not fit."""
        kind = declared.kind
        where = _join(path, name)
        if isinstance(kind, Markdown) and name == "text":
            text = kind.read_pair(value, path, self.problems)
            return _BAD if text is None else text
        if name not in value:
            if presence(declared, top) != "optional":
                self.problems.at(where, f"required key is missing (expected {kind.json_type})")
                return _BAD
            return None
        given = value[name]
        if given is None:
            if presence(declared, top) == "nullable":
                return None
            self.problems.at(where, f"expected {kind.json_type}, got null")
            return _BAD
        return self.value(given, where, kind, part)

    def value(self, given: Any, path: str, kind: Any, part: str | None) -> Any:
        """A value of any kind; _BAD where it does not fit."""
        if isinstance(kind, Nested):
            return self.object(given, path, kind, part)
        if isinstance(kind, ListOf):
            return self.list(given, path, kind, part)
        if isinstance(kind, MapOf):
            return self.map(given, path, kind, part)
        read = kind.read_json(given, path, self.problems)
        return _BAD if read is None else read

    def list(self, given: Any, path: str, kind: ListOf, part: str | None) -> Any:
        if not isinstance(given, list):
            self.problems.at(path, f"expected a list, got {show(given)}")
            return _BAD
        if len(given) < kind.min_items:
            self.problems.at(path, f"expected at least {kind.min_items} entries, got none")
            return _BAD
        too_many = kind.too_many(len(given))
        if too_many:
            self.problems.at(path, too_many)
            return _BAD
        items = [self.value(item, f"{path}[{i}]", kind.item, part) for i, item in enumerate(given)]
        return _BAD if any(item is _BAD for item in items) else tuple(items)

    def map(self, given: Any, path: str, kind: MapOf, part: str | None) -> Any:
        too_many = kind.too_many(len(given)) if isinstance(given, dict | list) else None
        if too_many:
            self.problems.at(path, too_many)
            return _BAD
        named = kind.name_field
        if named is None:
            if not isinstance(given, dict):
                self.problems.at(path, f"expected an object, got {show(given)}")
                return _BAD
            found = {
                name: self.value(item, _join(path, name), kind.item, part)
                for name, item in given.items()
            }
            return _BAD if any(item is _BAD for item in found.values()) else found
        if not isinstance(given, list):
            self.problems.at(path, f"expected a list, got {show(given)}")
            return _BAD
        assert isinstance(kind.item, Nested)
        items = []
        first: dict[str, int] = {}
        for i, entry in enumerate(given):
            where = f"{path}[{i}]"
            name = entry.get(named, _BAD) if isinstance(entry, dict) else _BAD
            if not isinstance(entry, dict):
                self.problems.at(where, f"expected an object, got {show(entry)}")
                items.append(_BAD)
                continue
            if not isinstance(name, str) or not name:
                got = "nothing" if name is _BAD else show(name)
                self.problems.at(f"{where}.{named}", f"expected a name (a string), got {got}")
                items.append(_BAD)
                continue
            if name in first:
                self.problems.at(
                    f"{where}.{named}",
                    f"duplicate {named} {name!r} (first at {path}[{first[name]}])",
                )
                items.append(_BAD)
                continue
            first[name] = i
            self.renamed[f"{path}.{name}"] = where
            rest = {key: item for key, item in entry.items() if key != named}
            values = self.object(rest, where, kind.item, part, make=False)
            items.append(_BAD if values is _BAD else kind.item.make({named: name, **values}))
        return _BAD if any(item is _BAD for item in items) else tuple(items)

    def check_links(self, charta: Charta, prefix: str) -> None:
        """Each criterion's link is the one its id and the charta's `url` make."""
        for path, section, given in self.links.get(prefix, ()):
            criterion_id = _criterion_id(charta, path)
            expected = link(section, criterion_id, charta.url)
            if given != expected:
                self.problems.at(
                    f"{prefix}{path}.link",
                    f"expected {expected!r} (the page's url and #{section}-{criterion_id}), "
                    f"got {show(given)}",
                )


def _criterion_id(charta: Charta, path: str) -> str:
    """The id of the criterion at a path like `decline.criteria[2]`."""
    section, _, index = path.partition(".criteria[")
    return getattr(charta, section).criteria[int(index.rstrip("]"))].id  # type: ignore[no-any-return]


def _json_names(
    keys: Mapping[str, Key], extra: Mapping[str, tuple[str, Key]], translation: bool
) -> list[str]:
    """The names an object has in charta.json, in order."""
    names = []
    for name, declared in keys.items():
        if not declared.policy:
            continue
        if isinstance(declared.kind, Translations):
            if not translation:
                names.append(name)
        elif isinstance(declared.kind, Markdown) and name == "text":
            names += ["text", "html"]
        else:
            names.append(name)
        if name in extra:
            names.append(extra[name][0])
    return names


def _join(path: str, name: Any) -> str:
    text = str(name)
    return f"{path}.{text}" if path else text


def _check_same(problems: Problems, main: Charta, translated: Charta, lang: str) -> None:
    """A translation differs from the main language in its texts only."""
    root = f"translations.{lang}"
    if translated.lang != lang:
        problems.at(
            f"{root}.lang",
            f"expected {lang!r} (the translation's key), got {show(translated.lang)}",
        )
    expected_url = translation_url(main.url, lang)
    if translated.url != expected_url:
        problems.at(
            f"{root}.url",
            f"expected {show(expected_url)} (the main url and {folder(lang)}), "
            f"got {show(translated.url)}",
        )
    _same(problems, main, translated, CHARTA, None, f"{root}.", top=True)


def _same(
    problems: Problems,
    main: Any,
    other: Any,
    kind: Nested,
    part: str | None,
    path: str,
    top: bool = False,
) -> None:
    texts = Translated(kind).keys(part)
    where = kind.part or part
    for name, declared in kind.keys(part).items():
        if top and name in ("lang", "url", "translations"):
            continue
        if declared.translated:
            continue
        a, b = getattr(main, name), getattr(other, name)
        inner = declared.kind
        if isinstance(inner, MapOf) and inner.name_field and a is not None and b is not None:
            named = inner.name_field
            if [getattr(x, named) for x in a] != [getattr(y, named) for y in b]:
                problems.at(
                    f"{path}{name}",
                    "differs from the main language; a translation changes texts only",
                )
                continue
        if name in texts and a is not None and b is not None:
            if isinstance(inner, Nested):
                _same(problems, a, b, inner, where, f"{path}{name}.")
                continue
            if (
                isinstance(inner, ListOf | MapOf)
                and isinstance(inner.item, Nested)
                and len(a) == len(b)
            ):
                for i, (x, y) in enumerate(zip(a, b, strict=True)):
                    _same(problems, x, y, inner.item, where, f"{path}{name}[{i}].")
                continue
        if a != b:
            problems.at(
                f"{path}{name}", "differs from the main language; a translation changes texts only"
            )
