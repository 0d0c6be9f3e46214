"""The model → the JSON policy (`charta.json`), written by the declarations of model.py.

How a key is written follows from its declaration: a value the charta leaves out is `null` at
the top level and left out further in (a list or mapping with nothing in it is written empty);
a Markdown text is `{text, html}`, and one named `text` puts `text` and `html` into the object
that holds it; a mapping by name (facts) is a list whose entries carry their name first. The
policy adds what only it has (POLICY_KEYS): each criterion's `link`, the `revision` and the
`translations`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import orjson

from .keys import Key, Kind, ListOf, MapOf, Markdown, Nested, Pattern, PlainText, Translations
from .model import CHARTA, Charta, Criterion, link
from .outputs import Build, Difference

if TYPE_CHECKING:
    from .outputs import Files

REVISION: Final = re.compile(r"sha256:[0-9a-f]{64}")


class DeepLink(PlainText):
    """A criterion's deep link: the page's `url` and `#<section>-<id>`, or the anchor alone."""

    name, expected = "deep link", "the criterion's deep link"
    json_type = expected


POLICY_KEYS: Final[dict[type, dict[str, tuple[str, Key]]]] = {
    Charta: {
        "based_on": (
            "revision",
            Key(
                kind=Pattern(REVISION, "revision", "sha256: and 64 hex digits"),
                doc="`sha256:` of the canonical JSON (sorted keys, no spaces, UTF-8) of "
                "everything but `revision`.",
                example="sha256:…",
                required=True,
                absent="",
                translated=False,
                only=None,
                written=None,
            ),
        ),
    },
    Criterion: {
        "text": (
            "link",
            Key(
                kind=DeepLink(),
                doc="Deep link to the criterion: `url` with `#<section>-<id>` where `url` is "
                "set, else the anchor alone.",
                example="https://erika.example/kontaktcharta/#accept-met",
                required=True,
                absent="",
                translated=False,
                only=None,
                written=None,
            ),
        ),
    },
}
"""The keys only the policy has, by the class they belong to: by the key each follows, its
name and declaration. A translation has no `revision` of its own (see `added`)."""


def added(cls: type, translation: bool = False) -> dict[str, tuple[str, Key]]:
    """The policy's own keys of a class (see POLICY_KEYS), as a translation has them or not."""
    extra = POLICY_KEYS.get(cls, {})
    if translation:
        return {after: (n, k) for after, (n, k) in extra.items() if n != "revision"}
    return extra


def presence(declared: Key, top: bool) -> str:
    """How charta.json has a key: `required` (always, with a value), `nullable` (always, null
    where the charta gives none: the top level, but for a `late` key) or `optional` (only where
    the charta gives it)."""
    if declared.required or declared.written is not None or declared.default is not None:
        return "required"
    return "nullable" if top and not declared.late else "optional"


def render_policy(charta: Charta) -> dict[str, Any]:
    """Everything the page says and a tool needs, in every language, with its `revision`."""
    policy = content(charta)
    policy["translations"] = {}
    for translated in charta.translations:
        one = content(translated)
        del one["revision"]
        policy["translations"][translated.lang] = one
    policy["revision"] = revision(policy)
    return policy


def content(charta: Charta) -> dict[str, Any]:
    """One language's policy, with `revision` still empty and no `translations`."""
    writer = _Writer(charta)
    return writer.object(charta, CHARTA, None, top=True)


def revision(policy: dict[str, Any]) -> str:
    """`sha256:` of the canonical JSON of everything but `revision` (sorted keys, no spaces)."""
    content = {key: value for key, value in policy.items() if key != "revision"}
    return "sha256:" + hashlib.sha256(canonical(content)).hexdigest()


def canonical(data: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant whitespace."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def dump(data: Any) -> bytes:
    """The written form: indented by two spaces, UTF-8, a final newline; the same input gives the
    same bytes. orjson writes what `json.dumps(data, indent=2, ensure_ascii=False)` would, some
    twenty times faster, but for the exponent of a large or small double (`1e16`, not `1e+16`)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


Step = Callable[[dict[str, Any], Any], None]
"""Writes one key of an object into its JSON form."""


class _Writer:
    """Writes one language's charta by its declarations; the steps of each kind of object are
    worked out once and used for every object of that kind (a charta may have thousands)."""

    def __init__(self, charta: Charta) -> None:
        self.charta = charta
        self.plans: dict[tuple[type, str | None, bool], tuple[Step, ...]] = {}

    def object(
        self, value: Any, kind: Nested, part: str | None, top: bool = False
    ) -> dict[str, Any]:
        """An object as JSON, its keys in declared order."""
        where = kind.part or part
        plan = self.plans.get((kind.cls, where, top))
        if plan is None:
            plan = self.plans[kind.cls, where, top] = self._plan(kind, where, top)
        data: dict[str, Any] = {}
        for step in plan:
            step(data, value)
        return data

    def _plan(self, kind: Nested, part: str | None, top: bool) -> tuple[Step, ...]:
        steps: list[Step] = []
        extra = added(kind.cls)
        for name, declared in kind.keys(part).items():
            if declared.policy and not isinstance(declared.kind, Translations):
                steps.append(self._step(name, declared, part, top))
            if name in extra:
                steps.append(self._extra(*extra[name], part))
        return tuple(steps)

    def _extra(self, name: str, declared: Key, part: str | None) -> Step:
        if name == "link":
            url = self.charta.url

            def write_link(data: dict[str, Any], criterion: Any) -> None:
                data["link"] = link(part or "", criterion.id, url)

            return write_link

        def write_empty(data: dict[str, Any], value: Any) -> None:
            data[name] = ""  # the revision, filled in once everything else is written

        return write_empty

    def _step(self, name: str, declared: Key, part: str | None, top: bool) -> Step:
        kind = declared.kind
        value_of = self._value(kind, part)
        fallback = declared.written
        merged = isinstance(kind, Markdown) and name == "text"
        charta = self.charta
        null = presence(declared, top) == "nullable"

        def write(data: dict[str, Any], obj: Any) -> None:
            value = getattr(obj, name)
            if value is None and fallback is not None:
                data[name] = fallback(charta)
            elif value is None:
                if null:
                    data[name] = None
            elif merged:
                data["text"] = value.plain
                data["html"] = str(value.html)
            else:
                data[name] = value_of(value)

        return write

    def _value(self, kind: Kind, part: str | None) -> Callable[[Any], Any]:
        """How a present value of a kind is written."""
        if isinstance(kind, Nested):
            return lambda value: self.object(value, kind, part)
        if isinstance(kind, ListOf):
            item = self._value(kind.item, part)
            return lambda values: [item(value) for value in values]
        if isinstance(kind, MapOf):
            item = self._value(kind.item, part)
            named = kind.name_field
            if named is not None:
                return lambda values: [{named: getattr(v, named), **item(v)} for v in values]
            return lambda values: {name: item(value) for name, value in values.items()}
        if type(kind).write is Kind.write:
            return _same
        return kind.write


def _same(value: Any) -> Any:
    return value


class PolicyFile:
    """`charta.json`, the policy; its revision must fit its content."""

    source = "Kontaktcharta"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        yield FILE, dump(build.policy)

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        expected = revision(dict(policy))
        if policy.get("revision") != expected:
            yield Difference(
                FILE,
                f"revision: it says {policy.get('revision')}, its content gives {expected} "
                "(was it edited by hand?)",
            )


FILE: Final = "charta.json"
"""The policy's place in the output, beside the page."""
POLICY = PolicyFile()
