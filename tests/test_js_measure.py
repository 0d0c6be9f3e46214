"""The JavaScript package measures a rule as Python does: the same shape, number for number.

limits.py measures a rule on the tree cel-cpp checked; js/src/measure.js on the tree
js/src/syntax.js makes as cel-cpp's parser makes it. Both are run over every rule the project's
tests, examples and charta write, the hostile rules of test_untrusted and a few hundred random
rules, and must give the same depth, macro depth, literal size, cost, largest value and regex
problem; where cel-cpp's parser stops at its depth, so must syntax.js.
"""

from __future__ import annotations

import ast
import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kontaktcharta import limits
from kontaktcharta.cel.cpp import _TOO_DEEP, environment
from kontaktcharta.references import checked_tree

ROOT = Path(__file__).resolve().parents[1]
MEASURE = ROOT / "tests" / "node" / "measure.mjs"
TYPES = ("bool", "int", "double", "string")
FACTS = {
    "met": "bool",
    "known": "bool",
    "has_message": "bool",
    "mutual_contacts": "int",
    "relationship": "string",
    "invitation_text": "string",
    "score": "double",
    "n": "int",
    "m": "int",
    "s": "string",
    "t": "string",
    "a": "bool",
    "b": "bool",
    "d": "double",
}
"""The facts of a rule found outside a charta (in a test's Python), by type."""

Case = tuple[str, dict[str, str]]


def run_node(script: Path, data: Any) -> Any:
    """Run a Node script of the JavaScript package's tests on JSON; fail (never skip) without
    Node."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for this test (.ci/run installs the npm tools)")
    done = subprocess.run(
        [node, "--no-warnings", str(script)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _yaml_rules() -> Iterator[Case]:
    paths = [ROOT / "charta.yaml", *ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")]
    for path in sorted(paths):
        try:
            data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        declared = data.get("facts")
        facts = {
            name: fact["type"]
            for name, fact in (declared.items() if isinstance(declared, dict) else ())
            if isinstance(fact, dict) and fact.get("type") in TYPES
        }
        for rule in whens(data):
            yield rule, facts or FACTS


def whens(data: Any) -> Iterator[str]:
    """Every `when` in a charta or policy, however deep."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "when" and isinstance(value, str):
                yield value
            else:
                yield from whens(value)
    elif isinstance(data, list):
        for item in data:
            yield from whens(item)


def _python_rules() -> Iterator[str]:
    """The rules written as constants in the tests: `when=…`, `"when": …` and `when: …` lines."""
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "when":
                yield from _constant(node.value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "when":
                        yield from _constant(value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                for line in re.findall(r"^\s*when: (.+)$", node.value, re.MULTILINE):
                    try:
                        value = yaml.safe_load(line)
                    except yaml.YAMLError:
                        continue
                    if isinstance(value, str):
                        yield value


def _constant(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value


def _hostile_rules() -> Iterator[str]:
    """Every rule test_untrusted writes: its `rule =` values and parametrized rules, evaluated
    in its own namespace."""
    import test_untrusted

    tree = ast.parse(Path(test_untrusted.__file__).read_text("utf-8"))
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        assigned = [
            (statement.targets[0].id, statement)
            for statement in function.body
            if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
        ]
        rules = [statement for name, statement in assigned if name == "rule"]
        read = {n.id for rule in rules for n in ast.walk(rule.value) if isinstance(n, ast.Name)}
        names = dict(vars(test_untrusted))  # the rule and what it is made of, in order
        for name, statement in assigned:
            if name == "rule" or name in read:
                exec(compile(ast.Module([statement], []), function.name, "exec"), names)
        if rules:
            yield names["rule"]
    for rule in test_untrusted.RULES:
        yield rule[1]
    for marker in test_untrusted.test_what_a_rule_reads_or_makes_is_bounded.pytestmark:
        if marker.name == "parametrize":
            yield from (case[0] for case in marker.args[1])
    yield "(" * 31 + "met" + ")" * 31


class _Random:
    """Random rules from a small grammar: macros, lists, texts, `matches`, `contains`,
    ternaries, arithmetic, parentheses and chains of `&&` and `||`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = {"int": ["n", "m"], "string": ["s", "t"], "bool": ["a", "b"], "double": ["d"]}
        self.macros = 0

    def rule(self) -> str:
        return self.of("bool", 0)

    def of(self, kind: str, depth: int) -> str:
        made: str = getattr(self, "_" + kind.replace("<", "_").rstrip(">"))(depth + 1)
        if self.rng.random() < 0.08:
            made = f"({made})"
        return made

    def _leaf(self, kind: str) -> str:
        return self.rng.choice(self.names[kind])

    def _bool(self, depth: int) -> str:
        if depth > 4:
            return self.rng.choice([self._leaf("bool"), "true", f"{self._leaf('int')} > 2"])
        pick = self.rng.randrange(16)
        of = self.of
        if pick == 0:
            terms = [of("bool", depth) for _ in range(self.rng.randrange(2, 6))]
            return "(" + self.rng.choice([" && ", " || "]).join(terms) + ")"
        if pick == 1:
            return "!" * self.rng.randrange(1, 4) + f"({of('bool', depth)})"
        if pick == 2:
            operator = self.rng.choice(["<", "<=", "==", "!=", ">"])
            return f"({of('int', depth)} {operator} {of('int', depth)})"
        if pick == 3:
            return f"({of('bool', depth)} ? {of('bool', depth)} : {of('bool', depth)})"
        if pick == 4:
            return f"{of('string', depth)}.contains({of('string', depth)})"
        if pick == 5:
            return f"{of('string', depth)}.matches({self._pattern()})"
        if pick == 6:
            return f"({of('int', depth)} in {of('list<int>', depth)})"
        if pick in (7, 8) and self.macros < 3:
            return self._macro(depth, "bool")
        if pick == 9:
            return f"{of('string', depth)}.startsWith({of('string', depth)})"
        if pick == 10:
            return f"size({of('list<string>', depth)}) > {self.rng.randrange(4)}"
        if pick == 11:
            return f'has({{"k": {of("int", depth)}}}.k)'
        if pick == 12:
            return f"({of('double', depth)} < {of('double', depth)})"
        if pick == 13:
            return f"({of('string', depth)} in {of('list<string>', depth)})"
        return self._leaf("bool")

    def _int(self, depth: int) -> str:
        if depth > 4:
            return self.rng.choice([self._leaf("int"), str(self.rng.randrange(-3, 99))])
        pick = self.rng.randrange(11)
        of = self.of
        if pick == 0:
            return f"({of('int', depth)} {self.rng.choice('+-*/%')} {of('int', depth)})"
        if pick == 1:
            return f"-({of('int', depth)})"
        if pick == 2:
            return f"({of('bool', depth)} ? {of('int', depth)} : {of('int', depth)})"
        if pick == 3:
            return f"size({of('string', depth)})"
        if pick == 4:
            return f"{of('string', depth)}.size()"
        if pick == 5:
            return f"{of('list<int>', depth)}[0]"
        if pick == 6:
            return f"{of('list<int>', depth)}.size()"
        if pick == 7:
            return self.rng.choice(["-1", "- 2", "--3", "0x1F", "-0x10", "(-4)"])
        if pick == 8:
            return f'{{"a": {of("int", depth)}, "b": 2}}["a"]'
        return self._leaf("int")

    def _double(self, depth: int) -> str:
        if depth > 4:
            return self.rng.choice(["d", "1.5", "-2.0", "1e3"])
        pick = self.rng.randrange(4)
        if pick == 0:
            return f"({self.of('double', depth)} * {self.of('double', depth)})"
        if pick == 1:
            return f"double({self.of('int', depth)})"
        return self.rng.choice(["d", "0.5", ".5e1", "-3.25"])

    def _string(self, depth: int) -> str:
        if depth > 4:
            return self.rng.choice([self._leaf("string"), '"x"', "'yz'"])
        pick = self.rng.randrange(9)
        of = self.of
        if pick == 0:
            return f"({of('string', depth)} + {of('string', depth)})"
        if pick == 1:
            return f"string({of('int', depth)})"
        if pick == 2:
            return f"({of('bool', depth)} ? {of('string', depth)} : {of('string', depth)})"
        if pick == 3:
            return f"{of('list<string>', depth)}[0]"
        if pick == 4:
            return self.rng.choice(
                ['r"a\\d"', '"""tri\nple"""', "'\\u00e4\\x41\\101'", '"ÿ€😀"', "'\\n\\t'", '""']
            )
        return self._leaf("string")

    def _list_int(self, depth: int) -> str:
        pick = self.rng.randrange(5)
        if depth > 3 or pick == 0:
            count = self.rng.choice([0, 1, 2, 3, 7, 20])
            return "[" + ", ".join(str(self.rng.randrange(50)) for _ in range(count)) + "]"
        if pick == 1 and self.macros < 3:
            return self._macro(depth, "list<int>")
        if pick == 2:
            return f"({self.of('list<int>', depth)} + {self.of('list<int>', depth)})"
        return "[" + ", ".join(self.of("int", depth) for _ in range(self.rng.randrange(1, 4))) + "]"

    def _list_string(self, depth: int) -> str:
        pick = self.rng.randrange(4)
        if depth > 3 or pick == 0:
            words = ['"a"', '"bc"', "'def'", "s", "t"]
            return "[" + ", ".join(self.rng.choices(words, k=self.rng.randrange(4))) + "]"
        if pick == 1 and self.macros < 3:
            return self._macro(depth, "list<string>")
        return (
            "[" + ", ".join(self.of("string", depth) for _ in range(self.rng.randrange(1, 3))) + "]"
        )

    def _macro(self, depth: int, kind: str) -> str:
        self.macros += 1
        item = self.rng.choice(["int", "string"])
        if kind != "bool" and self.rng.random() < 0.5:
            item = kind.removeprefix("list<").rstrip(">")  # a filter
        variable = self.rng.choice(["x", "y", "z", "e"])
        source = self.of(f"list<{item}>", depth)
        self.names[item].append(variable)
        try:
            if kind == "bool":
                name = self.rng.choice(["all", "exists", "exists_one"])
                return f"{source}.{name}({variable}, {self.of('bool', depth)})"
            if kind == f"list<{item}>":
                return f"{source}.filter({variable}, {self.of('bool', depth)})"
            made = kind.removeprefix("list<").rstrip(">")
            if self.rng.random() < 0.5:
                return f"{source}.map({variable}, {self.of(made, depth)})"
            return f"{source}.map({variable}, {self.of('bool', depth)}, {self.of(made, depth)})"
        finally:
            self.names[item].pop()
            self.macros -= 1

    def _pattern(self) -> str:
        parts = ["a", "b+", "[a-z]{2,4}", "(x|y)", "\\\\d{3}", ".*", "^", "$", "c{1,12}", "ä?"]
        return '"' + "".join(self.rng.choices(parts, k=self.rng.randrange(1, 6))) + '"'


def _deep_rules() -> Iterator[str]:
    """Rules near the depths cel-cpp's parser stops at."""
    for n in range(28, 36):
        yield "(" * n + "n" + ")" * n + " == 1"
        yield "+".join(["n"] * n) + " == 1"
        yield "n + (" * n + "n" + ")" * n + " == 1"
        yield "[" * n + "1" + "]" * n + " != []"
        yield "{'a':" * n + "1" + "}" * n + " != {}"
        yield "a ? " * n + "a" + " : b" * n
        yield "f(" * n + "1" + ")" * n
        yield "a && " * n + "a"
        yield "!(" * n + "a" + ")" * n
        yield "-(" * n + "n" + ")" * n + " == 1"
        yield "[1].exists(x, " * 2 + "(" * n + "x" + ")" * n + " > 0" + ")" * 2


def corpus() -> list[Case]:
    """Every rule of the corpus with the facts it is checked against."""
    cases: list[Case] = list(_yaml_rules())
    cases += [(rule, FACTS) for rule in _python_rules()]
    cases += [(rule, FACTS) for rule in _hostile_rules()]
    cases += [(rule, FACTS) for rule in _deep_rules()]
    randomly = _Random(16)
    cases += [(randomly.rule(), FACTS) for _ in range(600)]
    unique = {(rule, json.dumps(facts, sort_keys=True)): (rule, facts) for rule, facts in cases}
    return [case for case in unique.values() if len(case[0]) <= limits.RULE_LENGTH]


def python_shape(rule: str, facts: dict[str, str]) -> dict[str, Any]:
    """What Python makes of a rule: its shape, `deep` where the parser stops, or `error`."""
    try:
        program = environment(tuple(facts.items())).compile(rule)
    except RuntimeError as error:
        text = str(error)
        deep = any(deep in text for deep in _TOO_DEEP)
        return {"deep": True} if deep else {"error": text}
    shape = limits.measure(checked_tree(program.serialize()), facts)
    return {
        "depth": shape.depth,
        "macro_depth": shape.macro_depth,
        "literal": shape.literal,
        "cost": str(shape.cost),
        "largest": str(shape.largest),
        "regex": shape.regex,
    }


def test_the_corpus_is_large_and_varied() -> None:
    cases = corpus()
    shapes = [python_shape(rule, facts) for rule, facts in cases]
    measured = [s for s in shapes if "depth" in s]
    assert len(measured) > 500
    assert sum("deep" in s for s in shapes) > 20
    assert sum(s["regex"] is not None for s in measured) > 5
    assert sum(s["macro_depth"] >= 2 for s in measured) > 20
    assert sum(int(s["cost"]) > limits.COST for s in measured) > 3


def test_javascript_measures_every_rule_as_python_does() -> None:
    cases = corpus()
    found = run_node(MEASURE, [{"rule": rule, "facts": facts} for rule, facts in cases])
    wrong = []
    for (rule, facts), js in zip(cases, found, strict=True):
        python = python_shape(rule, facts)
        if "error" in python:
            continue  # refused for another reason: test_js_check compares the refusals
        if "deep" in python:
            if not js.get("deep"):
                wrong.append(f"{rule!r}: Python's parser stops at its depth, JavaScript {js}")
        elif python != js:
            wrong.append(f"{rule!r}:\n  Python     {python}\n  JavaScript {js}")
    assert not wrong, "\n".join(wrong[:20])


def test_the_javascript_limits_are_python_s() -> None:
    text = (ROOT / "js" / "src" / "limits.js").read_text("utf-8")
    found = dict(re.findall(r"^export const ([A-Z_]+) = ([\d_]+)$", text, re.MULTILINE))
    python = {
        name: value
        for name, value in vars(limits).items()
        if name.isupper() and isinstance(value, int) and not name.startswith("_")
    }
    assert {name: int(value) for name, value in found.items()} == python
