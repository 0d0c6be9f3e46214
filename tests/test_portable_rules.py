"""Rules mean the same in Python and in JavaScript, or the build says so at the rule's line.

Over a corpus of rules (every `when` of the repository and of the conformance suite, the probes
of test_js_rules, the random rules of test_js_measure and random rules of a grammar that writes
every construct of portable_rules.py), each rule Python takes is put in a policy of its own; the
JavaScript package checks that policy (checkPolicy) and decides requests by it as Python does.
A rule the JavaScript package refuses, or decides otherwise for one request, must get a warning
from the build; so a rule without a warning is taken and decided alike. Leaving out the warnings
of any one construct makes the cross-check fail. The conversions the JavaScript package adjusts
(js/src/conversions.js) are compared with cel-cpp's over many values.
"""

from __future__ import annotations

import json
import math
import random
import re
import struct
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from cel_expr_python import cel

from kontaktcharta.check import portability_warnings
from kontaktcharta.cli import main
from kontaktcharta.decide import Policy, decide
from kontaktcharta.errors import ChartaError
from kontaktcharta.portable_rules import CONSTRUCTS, Construct
from kontaktcharta.rules import RuleError
from policies import whole_policy
from test_js_measure import FACTS, corpus, run_node
from test_js_rules import PROBES

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "node" / "portable.mjs"
URL = "https://erika.example/k/"

RANDOM_FACTS = {
    "n": "int",
    "m": "int",
    "d": "double",
    "e": "double",
    "s": "string",
    "t": "string",
    "a": "bool",
    "b": "bool",
}
"""The facts of the grammar's rules."""
VALUES: dict[str, list[Any]] = {
    "bool": [True, False],
    "int": [0, 1, -1, 7, 100, 2**63 - 1, -(2**63)],
    "double": [0.0, -0.0, 0.5, 0.1, -2.5, 3.0, 1e20, 1e-5, 123456.7, 1e300, 5e-324, 1.7976931e308],
    "string": [
        "",
        "a",
        "k",
        " 5",
        "+5",
        "-0",
        "0x10",
        " 0x1p3 ",
        "1e3",
        "1e400",
        "nan",
        "-inf",
        "true",
        "t",
        "1",
        "18446744073709551615",
        "18446744073709551616",
        "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:00.123456789Z",
        "Wed, 01 Jan 2020 00:00:00 GMT",
        "1s",
        "1.5h",
        "Hallo 👋",
        "a.b",
    ],
}
"""The values a request gives a fact of each type: edges of the conversions among them."""

CONSTRUCT_RULES = {
    "has-literal": ['has({"a": n}.a)'],
    "has-any": ["[dyn(1), {'a': 1}].exists(x, has(x.a))"],
    "leading-dot": [".5 < d", ".n > 0"],
    "no-type": ["[][0] < n", "[].all(x, x > n)", '{}["a"] == s'],
    "bytes-order": ['bytes(s) < b"m"', 'dyn(b"a") < dyn(bytes(s))'],
    "null-time": ["null < null", "string(null) == s"],
    "int-of-uint": ["int(uint(n)) == n"],
    "time-conversion": ["int(timestamp(n)) == n"],
    "time": [
        'timestamp(s) < timestamp("2030-01-01T00:00:00Z")',
        'timestamp(s) == timestamp("2020-01-01T00:00:00.123Z")',
        'duration(s) > duration("1s")',
        "timestamp(n).getFullYear() > 2000",
    ],
    "empty-comma": ["[,].size() == n", "{,}.size() == n"],
    "message": ["google.protobuf.Int64Value{value: n} == n"],
    "raw-bytes": ['br"\\x41" == bytes(s)'],
    "huge-double": ["d < 1e309"],
    "nan-text": ['string(0.0 / 0.0) == "nan"', 'string(-(d * 0.0 / 0.0)) == "nan"'],
    "type-name": ["type(n) == google.protobuf.Int64Value"],
    "dyn-name": ["type(dyn(n)) == dyn"],
    "map-key": [
        "{d: 1}[d] == 1",
        "{dyn(d): 1}.size() > 0",
        "{s: 1}.size() == 1",
        "{'a': 1, 'a': 2}.size() == 1",
        "{1: 'a', 1u: 'b'}.size() == 2",
        "{2: 1}.exists(k, k == 2)",
        "{'__proto__': 1}.size() == 1",
    ],
    "map-order": ["{'b': 1, 'a': 2}.map(k, k)[0] == s"],
}
"""Rules with each construct alone, by its name: with the grammar's rules, they make sure the
cross-check meets each."""

GRAMMAR: dict[str, list[str]] = {
    "bool": [
        "a",
        "b",
        "true",
        "<int> < <int>",
        "<int> == <int>",
        "<double> <= <double>",
        "<double> == <double>",
        "<uint> > <uint>",
        "<string> < <string>",
        "<string> == <string>",
        "<bool> && <bool>",
        "<bool> || <bool>",
        "!<bool>",
        "!!<bool>",
        "(<bool> ? <bool> : <bool>)",
        "<string>.contains(<string>)",
        "<string>.startsWith(<string>)",
        '<string>.matches("^[a-z]+$")',
        "<int> in <list_int>",
        "<string> in <list_string>",
        "<double> in <list_double>",
        "<list_int>.exists(x, x > <int>)",
        "<list_string>.all(y, y != <string>)",
        "<list_double>.exists_one(z, z < <double>)",
        "<dyn> == <dyn>",
        "<int> in [1, 2.0, 'a']",
        "bool(<string>)",
        "<bytes> == <bytes>",
        "string(<bytes>) == <string>",
        "size(<bytes>) > 1",
        "string(<double>) == <numeral>",
        "string(<double>).contains('e')",
        "string(<double>).size() < 8",
        "double(<string>) < 1.0",
        "uint(<string>) > 0u",
        "uint(<double>) >= 0u",
        "[{'a': <int>}].exists(x, has(x.a))",
        "{'a': <int>, 'b': 2}.exists(k, k == <string>)",
        "<string> in {'a': 1, '1': 2}",
        "{'a': <int>, 'b': 2}[<string>] > 0",
        "{'b': 1, 'a': 2}.filter(k, k != <string>)[0] == 'a'",
        "{1: <string>, 2: 'x'}[<int>] == <string>",
    ],
    "int": [
        "n",
        "m",
        "0",
        "-3",
        "<int> + <int>",
        "<int> - <int>",
        "<int> * <int>",
        "<int> / <int>",
        "<int> % <int>",
        "-<int>",
        "--<int>",
        "size(<string>)",
        "<string>.size()",
        "int(<double>)",
        "int(<string>)",
        "<list_int>[0]",
        "(<bool> ? <int> : <int>)",
        "{'k': <int>}.k",
    ],
    "uint": [
        "1u",
        "uint(<int>)",
        "uint(<double>)",
        "uint(<string>)",
        "<uint> + <uint>",
        "<uint> - 1u",
    ],
    "bytes": ['b"a"', 'b"\\xff"', 'b"\\xc3\\xa4"', 'b"\\xed\\xa0\\x80"', "bytes(<string>)"],
    "double": [
        "d",
        "e",
        "0.5",
        "1e20",
        "-2.5",
        "<double> + <double>",
        "<double> - <double>",
        "<double> * <double>",
        "<double> / <double>",
        "-<double>",
        "double(<int>)",
        "double(<uint>)",
        "double(<string>)",
        "<list_double>[0]",
    ],
    "string": [
        "s",
        "t",
        "'a'",
        '"5"',
        "string(<int>)",
        "string(<uint>)",
        "string(<double>)",
        "string(<bool>)",
        "<string> + <string>",
        "string(bytes(<string>))",
        "(<bool> ? <string> : <string>)",
        "<list_string>[0]",
    ],
    "list_int": ["[<int>]", "[<int>, n]", "<list_int> + <list_int>", "<list_int>.map(v, v * 2)"],
    "list_string": ["[<string>]", "[<string>, 'x']", "<list_string>.filter(w, w != <string>)"],
    "list_double": ["[<double>]", "[<double>, <double>]", "<list_double>.map(v, v / 2.0)"],
    "numeral": ['"1e+20"', '"100000000000000000000"', '"-0"', '"0"', '"1e-05"', '"0.5"', '"inf"'],
    "dyn": ["dyn(<int>)", "dyn(<double>)", "dyn(<string>)", "dyn(<uint>)", "[1, 'a', 2.0][1]"],
}
"""Rules of every sort, by the type they give: `<type>` stands for another rule of that type."""
_PART = re.compile(r"<(\w+)>")


class _Grammar:
    """Random rules of GRAMMAR, with a rule of CONSTRUCT_RULES now and then."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.constructs = [rule for rules in CONSTRUCT_RULES.values() for rule in rules]

    def rule(self) -> str:
        return self.make("bool", 0)

    def make(self, kind: str, depth: int) -> str:
        if kind == "bool" and self.rng.random() < 0.06:
            return f"({self.rng.choice(self.constructs)})"
        options = GRAMMAR[kind]
        if depth >= 4:
            options = [option for option in options if "<" not in option] or options[:1]
        made = _PART.sub(lambda part: self.make(part.group(1), depth + 1), self.rng.choice(options))
        return f"({made})" if " " in made else made


def _conformance_rules() -> Iterator[tuple[str, dict[str, str]]]:
    """Every `when` of the conformance suite, with the facts of its policy."""
    for path in sorted((ROOT / "conformance").glob("*/*.json")):
        for group in json.loads(path.read_text("utf-8")):
            policy = group["policy"]
            facts = policy.get("facts") if isinstance(policy, dict) else None
            if not isinstance(facts, list):
                continue
            types = {
                f["name"]: f["type"]
                for f in facts
                if isinstance(f, dict) and f.get("type") in ("bool", "int", "double", "string")
            }
            for side in ("accept", "decline"):
                part = policy.get(side)
                criteria = part.get("criteria") if isinstance(part, dict) else None
                for criterion in criteria if isinstance(criteria, list) else ():
                    if isinstance(criterion, dict) and isinstance(criterion.get("when"), str):
                        yield criterion["when"], types
    for path in sorted((ROOT / "conformance" / "chartas").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        types = {name: fact["type"] for name, fact in (data.get("facts") or {}).items()}
        for side in ("accept", "decline"):
            for criterion in data.get(side, {}).get("criteria", []):
                if isinstance(criterion.get("when"), str):
                    yield criterion["when"], types


def _corpus() -> list[tuple[str, dict[str, str]]]:
    cases = [*corpus(), *_conformance_rules(), *((rule, FACTS) for rule in PROBES)]
    cases += [(rule, RANDOM_FACTS) for rules in CONSTRUCT_RULES.values() for rule in rules]
    grammar = _Grammar(20)
    cases += [(grammar.rule(), RANDOM_FACTS) for _ in range(800)]
    unique = {(rule, json.dumps(facts, sort_keys=True)): (rule, facts) for rule, facts in cases}
    return list(unique.values())


def _policy(rule: str, facts: dict[str, str]) -> dict[str, Any]:
    """A policy whose one accept criterion has the rule: accepted, declined, reviewed or failed
    as the rule is true, false, open or fails."""
    criterion = {"id": "r", "text": "R", "html": "R", "link": f"{URL}#accept-r", "when": rule}
    otherwise = {"id": "o", "text": "O", "html": "O", "link": f"{URL}#decline-o", "otherwise": True}
    return whole_policy(
        url=URL,
        lang="en",
        facts=[{"name": n, "type": kind, "question": f"{n}?"} for n, kind in facts.items()],
        accept={"title": "Yes", "match": "any", "criteria": [criterion]},
        decline={"title": "No", "criteria": [otherwise]},
    )


def _requests(facts: dict[str, str], rng: random.Random) -> list[dict[str, Any]]:
    """No facts, then requests that give each fact one of VALUES, or leave it out now and then."""
    made: list[dict[str, Any]] = [{"facts": {}}]
    for _ in range(11):
        given = {n: rng.choice(VALUES[kind]) for n, kind in facts.items() if rng.random() < 0.9}
        made.append({"facts": given})
    return made


def _python(policy: Policy, request: dict[str, Any]) -> dict[str, Any]:
    """What Python decides, as tests/node/portable.mjs writes it."""
    try:
        return {"result": decide(policy, request).to_json()}
    except RuleError:
        return {"error": {"kind": "rule", "criterion": "r"}}


@cache
def _compared() -> list[tuple[str, list[str], str | None]]:
    """Each rule Python takes, with its warnings and how JavaScript differs (None: it does not)."""
    rng = random.Random(21)
    taken = []
    for rule, facts in _corpus():
        try:
            policy = Policy.from_json(_policy(rule, facts))
        except ChartaError:
            continue  # Python refuses it: test_js_rules holds JavaScript to the same
        requests = _requests(facts, rng)
        outcomes = [_python(policy, request) for request in requests]
        taken.append((rule, facts, requests, outcomes))
    given = {
        "groups": [{"policy": _policy(r, f), "requests": q} for r, f, q, _ in taken],
        "doubles": [],
        "texts": [],
    }
    found = run_node(DRIVER, given)["groups"]
    compared = []
    for (rule, facts, requests, outcomes), javascript in zip(taken, found, strict=True):
        differs = None
        if "problems" in javascript:
            differs = f"refused: {javascript['problems'][0]['message']}"
        else:
            for request, python, js in zip(requests, outcomes, javascript["outcomes"], strict=True):
                if python != js:
                    differs = f"for {request['facts']}: Python {python}, JavaScript {js}"
                    break
        compared.append((rule, portability_warnings(rule, facts), differs))
    return compared


def _missed(without: Construct | None = None) -> list[str]:
    """The rules JavaScript refuses or decides otherwise that get no warning (leaving out the
    warnings of one construct)."""
    missed = []
    for rule, warnings, differs in _compared():
        kept = [w for w in warnings if without is None or w != without.warning()]
        if differs is not None and not kept:
            missed.append(f"{rule!r}: {differs}")
    return missed


def test_every_rule_javascript_refuses_or_decides_otherwise_gets_a_warning() -> None:
    compared = _compared()
    missed = _missed()
    assert not missed, "\n".join(missed[:20]) + f"\n{len(missed)} rules"
    alike = [rule for rule, warnings, differs in compared if not warnings]
    assert len(alike) > 1000  # taken and decided alike, without a warning
    assert sum(differs is not None for _, _, differs in compared) > 100


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=[c.name for c in CONSTRUCTS])
def test_without_the_warnings_of_a_construct_the_cross_check_fails(construct: Construct) -> None:
    """The cross-check can fail: it meets every construct, and catches a missing warning."""
    assert _missed(construct)


def test_the_build_warns_of_each_construct_at_the_rule_s_line_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "charta.yaml").read_text("utf-8")
    old = '      when: invitation_text.contains("Kontakte schaden nur dem, der keine hat")\n'
    new = (
        """      when: 'has({"text": invitation_text}.text) && duration("1s") > duration("0s") """
        """&& invitation_text.contains("Kontakte schaden nur dem, der keine hat")'\n"""
    )
    assert old in text
    (tmp_path / "charta.yaml").write_text(text.replace(old, new), "utf-8")
    line = text[: text.index(old)].count("\n") + 1
    code = main(["build", "--config", str(tmp_path / "charta.yaml"), "--out", str(tmp_path / "o")])
    assert code == 0
    at = f"warning: {tmp_path / 'charta.yaml'}:{line}:13: decline.criteria[4].when:"
    assert capsys.readouterr().err == (
        f'{at} has() of something other than a variable\'s field (has({{"a": 1}}.a)), which '
        'JavaScript readers refuse; write "a" in {…}\n'
        f"{at} a time (timestamp(), duration()), which JavaScript readers run differently; "
        "compare numbers or texts\n"
    )


def test_the_format_lists_every_construct_as_the_build_names_it() -> None:
    text = (ROOT / "docs" / "format.md").read_text("utf-8").replace("`", "")
    listed = text.split("### What JavaScript readers run differently")[1].split("\n### ")[0]
    missing = [c.what for c in CONSTRUCTS if f"| {c.what} | {c.verb}" not in listed]
    assert not missing


def _doubles() -> list[float]:
    """Doubles of every sort: edges of the notation, random bits, random decimals."""
    rng = random.Random(22)
    found = [0.0, -0.0, 1.0, 0.1, 1e20, 1e21, 1e-7, 5e-324, 2.2250738585072014e-308]
    found += [1.7976931348623157e308, 123456.7, 1234567.0, 999999.0, 999999.5, 1e6, 1e5]
    found += [0.0001, 0.00001, 0.00012345, 9.5e-5, 2.0**53, 2.0**63, 2.0**64, 1 / 3]
    found += [float(f"{m}e{x}") for m in ("1", "9.99999", "1.5", "123456") for x in range(-9, 9)]
    for _ in range(3000):
        bits = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(bits):
            found.append(bits)
        found.append(round(rng.uniform(-1e7, 1e7), rng.randrange(0, 9)))
        found.append(rng.randrange(-(10**17), 10**17) / 10 ** rng.randrange(0, 20))
    return [*found, *(-value for value in found)]


def _texts() -> list[str]:
    """Texts to read as numbers: what cel-cpp takes and what it does not."""
    rng = random.Random(23)
    parts = ["", "+", "-", "0", "1", "9", "00", ".", "5", "e", "E", "e-", "p", "0x", "0X", "a"]
    parts += ["f", "inf", "INFINITY", "nan", "nan(x_1)", " ", "\t", "\v", "\u00a0", "1_0", "x"]
    texts = ["", " 1", "1 ", "0x10", "0x1p3", "0x1.8p1", "0x1p-1074", "0x1p-1075", "0x1.8p-1075"]
    texts += ["0x1.fffffffffffff8p1023", "0x1.00000000000008p0", "0x1.00000000000018p0"]
    texts += ["1e400", "-1e400", "1e-400", "2.4703282292062328e-324", "+-1", "-+1", "--1"]
    texts += ["0x123456789abcdef123p-3", "1" + "0" * 400, "0." + "0" * 400 + "1e400", "+0x1p1"]
    texts += ["18446744073709551615", "18446744073709551616", "0005", " +7\n", "-0", "٥"]
    for _ in range(3000):
        texts.append("".join(rng.choices(parts, k=rng.randrange(1, 6))))
        digits = "".join(rng.choices("0123456789abcdef", k=rng.randrange(1, 30)))
        texts.append(f"0x{digits[:5]}.{digits[5:]}p{rng.randrange(-1100, 1100)}")
    return texts


def _cel(expression: str, name: str, kind: str, value: Any) -> Any:
    """What cel-cpp gives for an expression of one variable, or None where it fails."""
    found = _program(expression, name, kind).eval(data={name: value})
    return None if found.type() == cel.Type.ERROR else found.value()


@cache
def _program(expression: str, name: str, kind: str) -> cel.Expression:
    return cel.NewEnv(variables={name: getattr(cel.Type, kind)}).compile(expression)


def _written(value: float | None) -> str:
    """A double exactly, NaN as `nan` whatever its sign (JavaScript cannot see it)."""
    return "nan" if value is not None and math.isnan(value) else repr(value)


def test_javascript_converts_numbers_as_cel_cpp_does() -> None:
    doubles, texts = _doubles(), _texts()
    found = run_node(DRIVER, {"groups": [], "doubles": doubles, "texts": texts})
    wrong = []
    for value, js in zip(doubles, found["doubles"], strict=True):
        python = _cel("string(d)", "d", "DOUBLE", value)
        if js != python:
            wrong.append(f"string({value!r}): cel-cpp {python}, JavaScript {js}")
    for text, (js_double, js_uint) in zip(texts, found["texts"], strict=True):
        python = _cel("double(s)", "s", "STRING", text)
        read = None if js_double is None else float(js_double.replace("Infinity", "inf"))
        if _written(read) != _written(python):
            wrong.append(f"double({text!r}): cel-cpp {python!r}, JavaScript {js_double}")
        python = _cel("string(uint(s))", "s", "STRING", text)
        if js_uint != python:
            wrong.append(f"uint({text!r}): cel-cpp {python}, JavaScript {js_uint}")
    assert not wrong, "\n".join(wrong[:20]) + f"\n{len(wrong)} differ"
    assert sum(value is not None for value, _ in found["texts"]) > 1000


def test_on_the_other_runtime_the_build_warns_of_what_the_text_shows(
    cel_runtime: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cel-expr-python warns of every construct; the other runtime keeps no checked tree, so
    only of a leading dot, `[,]` and raw bytes (docs/format.md)."""
    text = (ROOT / "charta.yaml").read_text("utf-8")
    old = '      when: invitation_text.contains("Kontakte schaden nur dem, der keine hat")\n'
    new = (
        """      when: 'has({"text": invitation_text}.text) && 0.6 > .5 """
        """&& invitation_text.contains("Kontakte schaden nur dem, der keine hat")'\n"""
    )
    (tmp_path / "charta.yaml").write_text(text.replace(old, new), "utf-8")
    code = main(["build", "--config", str(tmp_path / "charta.yaml"), "--out", str(tmp_path / "o")])
    warned = capsys.readouterr().err
    assert code == 0
    assert (
        "a number or name with a leading dot (.5, .name), which JavaScript readers refuse" in warned
    )
    assert ("has() of something other than a variable's field" in warned) == (cel_runtime == "cpp")
