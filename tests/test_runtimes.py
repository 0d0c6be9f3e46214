"""Both CEL runtimes give the same verdicts: on every rule of the repository, of the conformance
suite, the hostile rules of test_untrusted and random rules from a small grammar, our parser
(cel/syntax.py) gives the limits the same tree as cel-cpp's checked one, our checker
(cel/types.py) refuses what cel-cpp refuses with the same words (but for the rules one runtime
alone cannot run, listed with its words), and the Rust interpreter decides what cel-cpp decides,
failing in the same words, but for the differences of ALLOWED; our conversions (cel/
conversions.py) give what cel-cpp's give."""

from __future__ import annotations

import itertools
import json
import math
import random
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import test_untrusted
from kontaktcharta import cel, limits
from kontaktcharta.cel import conversions, cpp, runtime, rust, syntax
from kontaktcharta.cel.runtime import Compiled, Missing, RuleProblem
from kontaktcharta.references import checked_tree
from test_js_measure import whens

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
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


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
            found += whens(yaml.safe_load(path.read_text("utf-8")))
        except (yaml.YAMLError, ValueError):  # the invalid cases
            continue
    for path in sorted((ROOT / "conformance").glob("*/*.json")):
        found += whens(json.loads(path.read_text("utf-8")))
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
        made: dict[str, list[Callable[[], str]]] = {
            "bool": [
                lambda: f"!{b()}",
                lambda: f"{b()} && {b()}",
                lambda: f"{b()} || {b()}",
                lambda: f"({b()} || {b()}) && {b()}",
                lambda: f"{i()} {self.pick('<', '<=', '>', '>=', '==', '!=')} {i()}",
                lambda: f"{f()} {self.pick('<', '>=', '==')} {f()}",
                lambda: f"{t()} {self.pick('==', '!=', '<')} {t()}",
                lambda: f"{t()}.{self.pick('contains', 'startsWith', 'endsWith')}({t()})",
                lambda: f'{t()}.matches("{self.pick("^a+$", "b|c", "[0-9]")}")',
                lambda: f"{i()} in [{i()}, {i()}]",
                lambda: f'{t()} in ["a", "abc", {t()}]',
                lambda: f"[{i()}, {i()}].exists(x, x > {i()})",
                lambda: f"[{t()}, 'b'].all(y, y.size() < {i()})",
                lambda: f"[1, 2, 3].exists_one(x, x == {i()})",
                lambda: f"{b()} ? {b()} : {b()}",
                lambda: f'has({{"a": {i()}}}.a)',
                lambda: f"[{i()}].map(x, x * 2).size() == {i()}",
                lambda: f"[{i()}, 4].filter(x, x % 2 == 0).size() > 0",
                lambda: f"bool({t()})",
                lambda: f'{{"a": {i()}, "abc": 2}}[{t()}] > {i()}',
                lambda: f'matches({t()}, "^[0-9]")',
            ],
            "int": [
                lambda: f"{i()} + {i()}",
                lambda: f"{i()} - {i()}",
                lambda: f"{i()} * {i()}",
                lambda: f"{i()} / {i()}",
                lambda: f"{i()} % {i()}",
                lambda: f"-{i()}",
                lambda: f"-({i()})",
                lambda: f"{i()} {self.pick('*', '/', '%')} -1",
                lambda: f"int({t()})",
                lambda: f"size({t()})",
                lambda: f"{t()}.size()",
                lambda: f"[{i()}, 7][{self.pick('0', '1', '2')}]",
                lambda: f"int({f()})",
                lambda: f"({b()} ? {i()} : {i()})",
            ],
            "double": [
                lambda: f"{f()} + {f()}",
                lambda: f"{f()} * {f()}",
                lambda: f"double({i()})",
                lambda: f"-{f()}",
                lambda: f"double({t()})",
            ],
            "string": [
                lambda: f"{t()} + {t()}",
                lambda: f"string({i()})",
                lambda: f"({b()} ? {t()} : {t()})",
                lambda: f"string({f()})",
                lambda: f"string({b()})",
            ],
        }
        return self.chance.choice(made[kind])()  # only the option picked is made

    def leaf(self, kind: str) -> str:
        return {
            "bool": lambda: self.pick("met", "true", "false", "platform == 'xing'"),
            "int": lambda: self.pick(
                "n", "mutual_contacts", "0", "1", "3", "-2", str(INT_MAX), str(INT_MIN)
            ),
            "double": lambda: self.pick("d", "score", "0.5", "2.0"),
            "string": lambda: self.pick("s", "relationship", "'abc'", '"ä"', "''", "platform"),
        }[kind]()

    def request(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "met": self.chance.random() < 0.5,
            "n": self.chance.choice([-3, 0, 1, 2, 5, INT_MIN, INT_MAX]),
            "d": self.chance.choice([-1.5, 0.0, 2.5, 1e19, -1e20]),
            "s": self.chance.choice(["", "abc", "ä", "Hi 👋", "b", " 5", "0x10", "true", "+7"]),
            "mutual_contacts": self.chance.choice([0, 4, 12]),
            "relationship": self.chance.choice(["abc", "customer"]),
            "invitation_text": "Hallo",
            "score": 0.25,
            "platform": "xing",
        }
        return {name: value for name, value in values.items() if self.chance.random() < 0.8}


RANDOM = [Grammar(seed).rule() for seed in range(600)]
CONVERSIONS = [
    'string(met) == "true"',
    "bool(s)",
    "bool(string(met)) == met",
    'string(d) == s || string(-d) < "1"',
    "string(0.0 / 0.0) != s",
    "int(s) > n",
    "int(d) != 0",
    "double(s) > d",
    "uint(n) > 3u",
    "uint(d) > 3u",
    "uint(s) == 5u",
    "int(uint(s)) == n",
    "-n < 0",
    "-(-n) > 0",
    "- - -n < 0 && -s.size() < 1",
    "[-n][0] != n",
    "-dyn(n) < 0",
    "-dyn(d) < 0.0",
    'string(dyn(met)) == "true"',
    "bool(dyn(s))",
    "int(dyn(s)) > 0",
    "double(dyn(n)) > 0.0",
    'matches(s, "^[0-9]") && matches(string(-n), "9")',
    "n * -1 > 0",
    "n / -1 > 0",
    "n % -1 == 0",
    "n + 1 > 0",
    "n - 1 < 0",
    "int(1e19) > n",
    'int("0x10") > n',
    '{"a": 1}[s] == 1',
    "{1: 2}[n] == 2",
    "{true: 1}[met] == 1",
    'int(timestamp("2001-02-03T04:05:06.7Z")) > n',
]
"""Rules of the calls the interpreter lacks or makes otherwise (made cel-cpp's by rust.source),
and of the failures it says in other words (made cel-cpp's by rust.evaluate)."""
VALUES = {
    "met": [True, False],
    "n": [INT_MIN, INT_MAX, -1, 0, 5],
    "d": [1e19, -0.0, 2.5, 1e20, 1e-7, -1e300, float("inf")],
    "s": [" 5", "0x10", "true", "t", "1e3", "+7", "-0", "a", "2.5 ", "-inf", "", "90s"],
}
"""Values of each fact for those rules: the int's edges, texts read as numbers or not."""
RUST_REFUSES = {
    "timestamp(n) > timestamp(0)": "1:10: common-expression-language, the CEL runtime installed "
    "here, cannot run timestamp(int) as CEL does",
    'duration("1s") + timestamp("2001-02-03T04:05:06Z") > timestamp(0)': "1:16: "
    "common-expression-language, the CEL runtime installed here, cannot run "
    "google.protobuf.Duration + google.protobuf.Timestamp as CEL does; write the timestamp first",
    'timestamp("2001-02-03T04:05:06Z").getHours("Europe/Berlin") == n': "1:43: "
    "common-expression-language, the CEL runtime installed here, cannot run "
    "google.protobuf.Timestamp.getHours(string) as CEL does",
    'string(duration("90s")) == s': "1:7: common-expression-language, the CEL runtime "
    "installed here, cannot run string(google.protobuf.Duration) as CEL does",
    'string(timestamp("2001-02-03T04:05:06Z")) == s': "1:7: common-expression-language, the "
    "CEL runtime installed here, cannot run string(google.protobuf.Timestamp) as CEL does",
    'duration("1.5s").getMilliseconds() == n': "1:33: common-expression-language, the CEL "
    "runtime installed here, cannot run google.protobuf.Duration.getMilliseconds() as CEL does",
    r's.matches("\\Qa.b\\E")': "1:11: common-expression-language, the CEL runtime installed "
    r"here, cannot read the pattern '\Qa.b\E': unrecognized escape sequence: \Q",
    r's.matches("a\\C")': "1:11: common-expression-language, the CEL runtime installed here, "
    r"cannot read the pattern 'a\C': unrecognized escape sequence: \C",
}
"""Rules the interpreter cannot run as cel-cpp does, which it refuses (rust.py, `_REFUSED`, and
the patterns Rust's regex cannot read), with its words: cel-cpp runs them."""
CPP_REFUSES = {
    's.matches("a++")': "1:11: cel-expr-python, the CEL runtime installed here, cannot read the "
    "pattern 'a++': bad repetition operator: ++",
    'met || s.matches("(a)**")': "1:18: cel-expr-python, the CEL runtime installed here, cannot "
    "read the pattern '(a)**': bad repetition operator: **",
}
"""Patterns RE2 cannot read (cel-cpp's words) and Rust's regex reads as a repetition repeated."""
CORPUS = repository_rules() + RANDOM + CONVERSIONS + [*RUST_REFUSES, *CPP_REFUSES]


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
    for refusing, accepting, refusals in ((other, one, RUST_REFUSES), (one, other, CPP_REFUSES)):
        if rule in refusals:
            assert isinstance(accepting, Compiled)
            assert isinstance(refusing, RuleProblem)
            assert f"{refusing.line}:{refusing.column}: {refusing.message}" == refusals[rule]
            return
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


def _requests(rule: str) -> Iterator[dict[str, Any]]:
    """Every combination of VALUES, and each with one fact left out unless the rule has an
    `&&` or `||`, where a failing part and a missing fact may meet (`ALLOWED`)."""
    for met, n, d, s in itertools.product(*VALUES.values()):
        values = {"met": met, "n": n, "d": d, "s": s}
        yield values
        if "&&" not in rule and "||" not in rule:
            left_out = [*values][(n + len(s)) % 4]  # one fact missing, as a request may leave it
            yield {name: value for name, value in values.items() if name != left_out}


@pytest.mark.parametrize("rule", CONVERSIONS)
def test_the_interpreter_runs_what_it_lacks_as_cel_cpp(rule: str) -> None:
    one, other = _compiled(cpp, rule), _compiled(rust, rule)
    assert isinstance(one, Compiled) and isinstance(other, Compiled), (one, other)
    for values in _requests(rule):
        found = cpp.evaluate(one.program, values), rust.evaluate(other.program, values)
        assert found[1] == found[0], (rule, values)


def _doubles() -> list[float]:
    """Doubles of every kind: the edges of the ints, powers of ten, any 64 bits."""
    chance = random.Random(7)
    found = [0.0, -0.0, math.inf, -math.inf, 1e20, 1e-7, 1e6, 999999.0, 1e-4, 1e-5, 5e-324]
    found += [2.0**63, -(2.0**63), 2.0**63 - 1024, 2.0**64, 2.0**64 - 2048, -0.5, 0.5, 1e308]
    found += [struct.unpack("<d", chance.randbytes(8))[0] for _ in range(1500)]
    found += [chance.uniform(-1e7, 1e7) for _ in range(500)]
    found += [chance.choice([1, -1]) * 10.0 ** chance.randint(-30, 30) for _ in range(300)]
    return [value for value in found if not math.isnan(value)]


def _texts() -> list[str]:
    """Texts that cel-cpp reads as numbers or booleans, or nearly."""
    chance = random.Random(8)
    found = [" 5", "5 ", "\t5\n", "+5", "-5", "--5", "+-5", "0x10", "1e3", "5_0", "٣", "\u00a05"]
    found += [str(INT_MAX), str(INT_MAX + 1), str(INT_MIN), str(INT_MIN - 1), str(2**64 - 1)]
    found += ["-0", ".5", "5.", ".", "1e", "1e-400", "1e400", "inf", "-Infinity", "nan(12)"]
    found += ["0x1p3", "0X.8P1", "0x", "0x1p99999", "0x1.00000000000008p0", "true", "True", "t"]
    found += ["TRUE", "1", "false", "f", "0", "T", "tRue", " true", ""]
    alphabet = "0123456789+-.eExXpPaAfFnNiItT \t_"
    found += ["".join(chance.choices(alphabet, k=chance.randint(1, 8))) for _ in range(1500)]
    return found


@pytest.mark.parametrize(
    ("conversion", "ours", "kind", "values"),
    [
        ("string(x)", conversions.string, cpp.cel.Type.DOUBLE, _doubles()),
        ("int(x)", conversions.integer, cpp.cel.Type.DOUBLE, _doubles()),
        ("uint(x)", conversions.unsigned, cpp.cel.Type.DOUBLE, _doubles()),
        ("int(x)", conversions.integer, cpp.cel.Type.STRING, _texts()),
        ("uint(x)", conversions.unsigned, cpp.cel.Type.STRING, _texts()),
        ("double(x)", conversions.double, cpp.cel.Type.STRING, _texts()),
        ("bool(x)", conversions.boolean, cpp.cel.Type.STRING, _texts()),
    ],
    ids=lambda value: getattr(value, "__name__", str(value))[:20],
)
def test_our_conversions_are_cel_cpps(
    conversion: str, ours: Callable[[Any], Any], kind: Any, values: list[Any]
) -> None:
    """What cel-cpp gives, or its words for why it fails; `uint` ours only checks, and gives
    what the interpreter's `uint` reads."""
    program = cpp.cel.NewEnv(variables={"x": kind}).compile(conversion)
    for value in values:
        found = program.eval(data={"x": value}).value()
        expected = found if not isinstance(found, str) or conversion == "string(x)" else None
        if expected is None:
            expected = str(found).split(": ", 1)[-1]
        try:
            given = ours(value)
        except conversions.Failed as failed:
            given = str(failed)
        if conversion == "uint(x)" and not isinstance(found, str):
            given = int(given)
        if isinstance(given, float) and math.isnan(given):
            assert math.isnan(expected), value
            continue
        assert (given, type(given)) == (expected, type(expected)), value


def _lacks(rule: str, values: dict[str, Any]) -> bool:
    """Whether a request lacks a fact the rule reads."""
    reads = _compiled(cpp, rule)
    return isinstance(reads, Compiled) and not set(reads.reads) <= set(values)


Value = bool | str | None
"""A rule's value for a request: True, False, None (open), or the words of its failure."""
ALLOWED: list[tuple[str, Callable[[str, dict[str, Any], Value, Value, set[str]], bool]]] = [
    (
        "where a failing part and a missing fact meet (in one && or ||, or as the parts of one "
        "call), cel-cpp gives what the first gives and the interpreter may give what another "
        "gives: one fails where the other leaves the rule open",
        lambda rule, values, one, other, said: (
            None in (one, other) and str in (type(one), type(other)) and _lacks(rule, values)
        ),
    ),
    (
        "where two parts fail, cel-cpp says why the first fails and the interpreter may say why "
        "another does: in words cel-cpp says too",
        lambda rule, values, one, other, said: (
            isinstance(one, str) and isinstance(other, str) and other in said
        ),
    ),
    (
        "a failing entry in all or exists fails on the interpreter even where another entry "
        "decides",
        lambda rule, values, one, other, said: (
            (".all(" in rule or ".exists(" in rule)
            and isinstance(one, bool)
            and isinstance(other, str)
        ),
    ),
    (
        "an index out of range: the interpreter does not say the list's size",
        lambda rule, values, one, other, said: (
            isinstance(one, str)
            and isinstance(other, str)
            and one.startswith("Index error: index=")
            and one.startswith(other)
        ),
    ),
]
"""The differences docs/deciding.md ("The CEL runtime") gives, each with whether a difference
is one of them: any other fails the test."""


def _value(runtime_: Any, program: Any, values: dict[str, Any]) -> Value:
    """A rule's value for a request: True, False, None (open), or the words of its failure."""
    found = runtime_.evaluate(program, values)
    if isinstance(found, Missing):
        if found.name in dict(FACTS, platform=1) and found.name not in values:
            return None
        return f"no value with name {found.name!r}"
    result: bool | str = found
    return result


def test_both_runtimes_decide_random_rules_alike() -> None:
    """Each random rule that compiles, for random requests: the same True, False, open (a
    missing fact) or failure in the same words, but for the differences of ALLOWED."""
    chance = Grammar(20261121)
    decided: list[tuple[str, dict[str, Any], Value, Value]] = []
    for rule in RANDOM:
        one, other = _compiled(cpp, rule), _compiled(rust, rule)
        if not isinstance(one, Compiled) or not isinstance(other, Compiled):
            continue
        for _ in range(8):
            values = chance.request()
            a, b = _value(cpp, one.program, values), _value(rust, other.program, values)
            decided.append((rule, values, a, b))
    said = {a for _, _, a, _ in decided if isinstance(a, str)}
    allowed = dict.fromkeys((why for why, _ in ALLOWED), 0)
    for rule, values, a, b in decided:
        if a != b:
            why = next((why for why, holds in ALLOWED if holds(rule, values, a, b, said)), None)
            assert why is not None, (rule, values, a, b)
            allowed[why] += 1
    assert len(decided) > 2_000
    assert len(said) > 10, "the rules fail for some requests, in many words"
    assert sum(allowed.values()) < len(decided) / 20, allowed


def test_a_runtime_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    assert runtime.choose("cpp") is cpp
    assert runtime.choose("rust") is rust
    monkeypatch.setenv(cel.CHOICE, "rust")
    assert runtime.choose() is rust
    monkeypatch.setenv(cel.CHOICE, "java")
    with pytest.raises(cel.NoRuntime) as refused:
        runtime.choose()
    assert str(refused.value) == "KONTAKTCHARTA_CEL=java: expected cpp or rust"
