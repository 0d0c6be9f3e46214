"""Both CEL runtimes give the same verdicts: on every rule of the repository, of the conformance
suite, the hostile rules of test_untrusted and random rules from a small grammar, our parser
(cel/syntax.py) gives the limits the same tree as cel-cpp's checked one, our checker
(cel/types.py) refuses what cel-cpp refuses with the same words, and the Rust interpreter
decides what cel-cpp decides."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import test_untrusted
from kontaktcharta import cel, limits
from kontaktcharta.cel import cpp, runtime, rust, syntax
from kontaktcharta.cel.runtime import Compiled, Missing, RuleProblem
from kontaktcharta.references import checked_tree

ROOT = Path(__file__).resolve().parents[1]
FACTS = (
    ("met", "bool"),
    ("n", "int"),
    ("d", "double"),
    ("s", "string"),
    ("mutual_contacts", "int"),
    ("relationship", "string"),
    ("invitation_text", "string"),
    ("score", "double"),
)
"""Facts of every type, and those of test_untrusted's rules."""


def _whens(data: Any) -> Iterator[str]:
    """Every `when` in a charta or policy, however deep."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "when" and isinstance(value, str):
                yield value
            else:
                yield from _whens(value)
    elif isinstance(data, list):
        for value in data:
            yield from _whens(value)


REFUSED = [
    "s.contains()",
    "size() == 0",
    "s.size(1) == 0",
    "size(s, s) == 1",
    's.startsWith("a", "b")',
    'contains("a", "b")',
    "matches(s)",
    "s.int() == 1",
    "n.string() == 'a'",
    "int() == 1",
    "dyn() == 1",
    "s.foo()",
    "s.contains(1)",
    "size(1) == 1",
    "has(s)",
    "has(s[0])",
    "has(.s)",
    "met && has(  [1][0] )",
    "has(dyn(1))",
]
"""Rules cel-cpp refuses, said in its words: a call with no overload of as many arguments, or
called on a receiver where none is declared so (`undeclared reference`), a `has` of no field."""


def repository_rules() -> list[str]:
    """The rules of every charta and policy in the repository and of test_untrusted."""
    found: list[str] = []
    for path in sorted(ROOT.glob("**/*.yaml")):
        if "node_modules" in path.parts:
            continue
        try:
            found += _whens(yaml.safe_load(path.read_text("utf-8")))
        except (yaml.YAMLError, ValueError):  # the invalid cases
            continue
    for path in sorted((ROOT / "conformance").glob("*/*.json")):
        found += _whens(json.loads(path.read_text("utf-8")))
    found += [rule for _, rule, _ in test_untrusted.RULES]
    found += REFUSED
    found += [
        "(" * 31 + "met" + ")" * 31,
        "met == (" * 33 + "met" + ")" * 33,
        "[1].exists(x, [2].exists(y, mutual_contacts" + " + x" * 28 + " > y))",
    ]
    return list(dict.fromkeys(rule for rule in found if len(rule) <= limits.RULE_LENGTH))


class Grammar:
    """Random rules: mostly well typed, some not, over the facts of every type."""

    def __init__(self, seed: int) -> None:
        self.chance = random.Random(seed)

    def pick(self, *options: str) -> str:
        return self.chance.choice(options)

    def rule(self, kind: str = "bool", depth: int = 0) -> str:
        if self.chance.random() < 0.03:  # a rule that does not fit its type
            kind = self.pick("bool", "int", "double", "string")
        if depth > 3 or self.chance.random() < 0.25:
            return self.leaf(kind)
        b = lambda: self.rule("bool", depth + 1)  # noqa: E731
        i = lambda: self.rule("int", depth + 1)  # noqa: E731
        f = lambda: self.rule("double", depth + 1)  # noqa: E731
        t = lambda: self.rule("string", depth + 1)  # noqa: E731
        made = {
            "bool": lambda: self.pick(
                f"!{b()}",
                f"{b()} && {b()}",
                f"{b()} || {b()}",
                f"({b()} || {b()}) && {b()}",
                f"{i()} {self.pick('<', '<=', '>', '>=', '==', '!=')} {i()}",
                f"{f()} {self.pick('<', '>=', '==')} {f()}",
                f"{t()} {self.pick('==', '!=', '<')} {t()}",
                f"{t()}.{self.pick('contains', 'startsWith', 'endsWith')}({t()})",
                f'{t()}.matches("{self.pick("^a+$", "b|c", "[0-9]")}")',
                f"{i()} in [{i()}, {i()}]",
                f'{t()} in ["a", "abc", {t()}]',
                f"[{i()}, {i()}].exists(x, x > {i()})",
                f"[{t()}, 'b'].all(y, y.size() < {i()})",
                f"[1, 2, 3].exists_one(x, x == {i()})",
                f"{b()} ? {b()} : {b()}",
                f'has({{"a": {i()}}}.a)',
                f"[{i()}].map(x, x * 2).size() == {i()}",
                f"[{i()}, 4].filter(x, x % 2 == 0).size() > 0",
            ),
            "int": lambda: self.pick(
                f"{i()} + {i()}",
                f"{i()} - {i()}",
                f"{i()} * {i()}",
                f"{i()} / {i()}",
                f"{i()} % {i()}",
                f"-{i()}",
                f"size({t()})",
                f"{t()}.size()",
                f"[{i()}, 7][{self.pick('0', '1', '2')}]",
                f"int({f()})",
                f"({b()} ? {i()} : {i()})",
            ),
            "double": lambda: self.pick(
                f"{f()} + {f()}", f"{f()} * {f()}", f"double({i()})", f"-{f()}"
            ),
            "string": lambda: self.pick(
                f"{t()} + {t()}", f"string({i()})", f"({b()} ? {t()} : {t()})"
            ),
        }
        return made[kind]()

    def leaf(self, kind: str) -> str:
        return {
            "bool": lambda: self.pick("met", "true", "false", "platform == 'xing'"),
            "int": lambda: self.pick("n", "mutual_contacts", "0", "1", "3", "-2"),
            "double": lambda: self.pick("d", "score", "0.5", "2.0"),
            "string": lambda: self.pick("s", "relationship", "'abc'", '"ä"', "''", "platform"),
        }[kind]()

    def request(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "met": self.chance.random() < 0.5,
            "n": self.chance.choice([-3, 0, 1, 2, 5]),
            "d": self.chance.choice([-1.5, 0.0, 2.5]),
            "s": self.chance.choice(["", "abc", "ä", "Hi 👋", "b"]),
            "mutual_contacts": self.chance.choice([0, 4, 12]),
            "relationship": self.chance.choice(["abc", "customer"]),
            "invitation_text": "Hallo",
            "score": 0.25,
            "platform": "xing",
        }
        return {name: value for name, value in values.items() if self.chance.random() < 0.8}


RANDOM = [Grammar(seed).rule() for seed in range(600)]
CORPUS = repository_rules() + RANDOM


def _compiled(runtime_: Any, rule: str) -> Compiled | RuleProblem:
    if len(rule) > limits.RULE_LENGTH:  # pragma: no cover - left out of the corpus
        return RuleProblem(1, 1, limits.too_long(rule))
    found: Compiled | RuleProblem = runtime_.compile(FACTS, rule)
    return found


def test_the_corpus_holds_good_and_bad_rules() -> None:
    good = sum(isinstance(_compiled(cpp, rule), Compiled) for rule in CORPUS)
    assert len(repository_rules()) > 60
    assert 0.6 * len(CORPUS) < good < len(CORPUS)


@pytest.mark.parametrize("rule", CORPUS)
def test_our_parser_gives_the_limits_the_tree_cel_cpp_checked(rule: str) -> None:
    try:
        program = cpp.environment(FACTS).compile(rule)
    except RuntimeError:  # a problem: the next test compares it
        return
    facts = dict(FACTS)
    assert limits.measure(syntax.parse(rule), facts) == limits.measure(
        checked_tree(program.serialize()), facts
    )


@pytest.mark.parametrize("rule", CORPUS)
def test_both_runtimes_accept_and_refuse_alike(rule: str) -> None:
    one, other = _compiled(cpp, rule), _compiled(rust, rule)
    if isinstance(one, RuleProblem) or isinstance(other, RuleProblem):
        assert isinstance(other, RuleProblem), f"cpp refuses: {one}"
        assert isinstance(one, RuleProblem), f"rust refuses: {other}"
        assert (other.line, other.column) == (one.line, one.column)
        if one.message.startswith("Syntax error:"):  # ANTLR's words, said alike in the main
            assert other.message.startswith("Syntax error:")
        else:
            assert other.message == one.message
        return
    assert (other.cost, other.reads) == (one.cost, one.reads)


UNSUPPORTED = frozenset(["string", "bool"])
"""The conversions the Rust interpreter lacks (string of a bool, bool of a string): it says it
does not know the function (docs/deciding.md, "The CEL runtime")."""


def _value(runtime_: Any, program: Any, values: dict[str, Any]) -> Any:
    found = runtime_.evaluate(program, values)
    if isinstance(found, Missing):
        if found.name in UNSUPPORTED:
            return "unsupported"
        return (
            None
            if dict(FACTS, platform=1).get(found.name) and found.name not in values
            else (f"missing {found.name}")
        )
    return found if isinstance(found, bool) else "failed"


def test_both_runtimes_decide_random_rules_alike() -> None:
    """Each random rule that compiles, for random requests: the same True, False, open (a
    missing fact) or failure, but where a failing part meets a missing fact in one `&&` or `||`,
    or a failing entry in `all` or `exists` (docs/deciding.md, "The CEL runtime")."""
    chance = Grammar(20261121)
    compared = differing = 0
    for rule in RANDOM:
        one, other = _compiled(cpp, rule), _compiled(rust, rule)
        if not isinstance(one, Compiled) or not isinstance(other, Compiled):
            continue
        for _ in range(8):
            values = chance.request()
            a, b = _value(cpp, one.program, values), _value(rust, other.program, values)
            if b == "unsupported":
                continue
            compared += 1
            if a != b:
                assert "failed" in (a, b), (rule, values, a, b)
                differing += 1
    assert compared > 2_000
    assert differing < compared / 100


def test_a_runtime_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    assert runtime.choose("cpp") is cpp
    assert runtime.choose("rust") is rust
    monkeypatch.setenv(cel.CHOICE, "rust")
    assert runtime.choose() is rust
    monkeypatch.setenv(cel.CHOICE, "java")
    with pytest.raises(cel.NoRuntime) as refused:
        runtime.choose()
    assert str(refused.value) == "KONTAKTCHARTA_CEL=java: expected cpp or rust"
