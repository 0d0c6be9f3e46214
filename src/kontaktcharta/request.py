"""A contact request checked against a policy before anything is decided.

A request is `{platform?, facts?, judgements?}`; each key is checked against what the policy
declares, and a request that does not fit is refused with the key and what was expected.
"""

from __future__ import annotations

import builtins
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from .keys import show
from .limits import FACT_TEXT
from .model import PLATFORM, Charta, Fact

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_REQUEST_KEYS: Final = frozenset({"platform", "facts", "judgements"})
_EXPECTED: Final = {
    "bool": "a bool (true or false)",
    "int": "an int (a whole number)",
    "double": "a double (a number)",
    "string": "a string",
}
_PYTHON_TYPES: Final = {"bool": bool, "int": int, "double": float, "string": str}
_NOTHING: Final[Mapping[str, Any]] = {}


class RequestError(Exception):
    """A request that does not fit the policy; says which key and what was expected."""


@dataclass(frozen=True, slots=True, eq=False)
class FactCheck:
    """A declared fact as a request must give it."""

    type: str
    """bool, int, double or string."""
    python: builtins.type
    """The Python type of a value that needs no conversion (float for a double)."""
    values: tuple[Any, ...] | None
    """The allowed values, where fixed."""
    fits: frozenset[Any] | None
    """Values of the type `python` that are taken as they are: the allowed values, or true and
    false; None where any value of the type is checked by itself."""


def fact_check(fact: Fact) -> FactCheck:
    """How a request's value of a fact is checked, knowing which values are taken as they are."""
    check = FactCheck(fact.type, _PYTHON_TYPES[fact.type], fact.values, None)
    if fact.values is None and fact.type != "bool":
        return check
    fits = set()
    for value in (True, False) if fact.values is None else fact.values:
        try:  # only a value the full check takes as it is
            if type(value) is check.python and fact_value(fact.name, check, value) is value:
                fits.add(value)
        except RequestError:
            pass
    return replace(check, fits=frozenset(fits))


class RequestReader:
    """Checks the requests of one policy: their platform, facts and judgements."""

    def __init__(self, charta: Charta, reads_platform: bool) -> None:
        self.platforms = [platform.id for platform in charta.platforms]
        self.facts = {fact.name: fact_check(fact) for fact in charta.facts}
        everything = charta.criteria
        self.otherwise = charta.fallback[0] if charta.fallback else None
        self.ruled = frozenset(c.id for c in everything if c.when is not None)
        self.judgeable = frozenset(c.id for c in everything if c.judged)
        self.judgeable_order = [c.id for c in everything if c.id in self.judgeable]
        self.reads_platform = reads_platform

    def read(self, request: Any) -> tuple[str | None, Mapping[str, Any], Mapping[str, Any]]:
        """The request's platform, its values for the rules, and its judgements."""
        if type(request) is not dict and not isinstance(request, Mapping):
            raise RequestError(f"a request is a JSON object, got {show(request)}")
        if not request.keys() <= _REQUEST_KEYS:
            key = next(key for key in request if key not in _REQUEST_KEYS)
            raise RequestError(
                f"{_key('', key)}: unknown key; a request has platform, facts and judgements"
            )
        platform = request.get("platform")
        if platform is not None and (type(platform) is not str or platform not in self.platforms):
            if not self.platforms:
                raise RequestError(
                    f"platform: the charta declares no platforms, got {show(platform)}"
                )
            known = ", ".join(self.platforms)
            raise RequestError(f"platform: expected one of {known}, got {show(platform)}")
        facts = request.get("facts", _NOTHING)
        if type(facts) is not dict:
            if not isinstance(facts, Mapping):
                raise RequestError(f"facts: expected an object of fact values, got {show(facts)}")
            facts = dict(facts)
        values: dict[str, Any] = facts  # given to CEL as they are, unless one is converted
        declared = self.facts
        for name, value in facts.items():
            fact = declared.get(name)
            if fact is None:
                known = ", ".join(declared) or "none"
                raise RequestError(f"{_key('facts', name)}: no such fact; declared facts: {known}")
            kind: Any = fact.python
            fits = fact.fits
            # The common case, checked inline for speed (x - x is 0.0 for a finite double only).
            if type(value) is kind and (
                (value in fits)
                if fits is not None
                else (value.isascii() and len(value) <= FACT_TEXT)
                if kind is str
                else (value - value == 0.0)
                if kind is float
                else (_INT_MIN <= value <= _INT_MAX)
            ):
                continue
            checked = fact_value(name, fact, value)
            if checked is not value:  # an int for a double
                if values is facts:
                    values = dict(facts)
                values[name] = checked
        if platform is not None and self.reads_platform:
            values = {PLATFORM: platform, **values}
        judgements = request.get("judgements", _NOTHING)
        if type(judgements) is not dict and not isinstance(judgements, Mapping):
            raise RequestError(f"judgements: expected an object of bools, got {show(judgements)}")
        for key, value in judgements.items():
            if key not in self.judgeable:
                raise RequestError(f"{_key('judgements', key)}: {self._not_judgeable(key)}")
            if value is not True and value is not False:
                raise RequestError(f"{_key('judgements', key)}: expected a bool, got {show(value)}")
        return platform, values, judgements

    def _not_judgeable(self, key: str) -> str:
        valid = ", ".join(self.judgeable_order) or "none"
        if key == self.otherwise:
            return f"{key} is the otherwise criterion, which holds by itself; judgements: {valid}"
        if key in self.ruled:
            return f"{key} is decided by its rule (when), not by judgement; judgements: {valid}"
        return f"no criterion to judge by that id; judgements: {valid}"


def fact_value(name: str, fact: FactCheck, value: Any) -> Any:
    """A request's value of a fact as the rules get it (an int for a double becomes a float)."""
    kind = fact.type
    if kind == "bool":
        fits = value is True or value is False
    elif kind == "string":
        fits = type(value) is str and (value.isascii() or _is_unicode(value))
        if fits and len(value) > FACT_TEXT:
            raise RequestError(
                f"{_key('facts', name)}: has {len(value):,} characters; at most {FACT_TEXT:,} "
                "(limit: fact text)"
            )
    elif kind == "int":
        fits = type(value) is int
        if fits and not _INT_MIN <= value <= _INT_MAX:
            raise RequestError(f"{_key('facts', name)}: expected an int from -2^63 to 2^63-1")
    else:
        try:
            fits = type(value) in (int, float) and math.isfinite(value)
        except OverflowError:  # a whole number beyond any double
            fits = False
        value = float(value) if fits else value
    if not fits:
        raise RequestError(f"{_key('facts', name)}: expected {_EXPECTED[kind]}, got {show(value)}")
    if fact.values is not None and value not in fact.values:
        allowed = ", ".join(show(allowed) for allowed in fact.values)
        raise RequestError(f"{_key('facts', name)}: expected one of {allowed}, got {show(value)}")
    return value


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _key(parent: str, key: Any) -> str:
    """`parent.key`, or `parent["key"]` where the key would not read as one."""
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"
