"""The JavaScript package checks a policy as the Python reader does: the same key paths.

js/src/check.js `checkPolicy` must take every policy Python takes (every built example and
valid case), refuse every policy Python refuses at the same key paths (a few thousand
mutations of valid policies, the hostile policies of test_untrusted), and name the same limit.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.policy_reader import read_policy
from test_decide import criterion, policy_data
from test_js_measure import run_node
from test_untrusted import COUNTS, LIST, RULES, _with_rule

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "tests" / "node" / "check.mjs"
CHARTAS = [
    ROOT / "charta.yaml",
    *sorted((ROOT / "examples").glob("*/charta.yaml")),
    *sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml")),
]

Policy = dict[str, Any]


@cache
def built(charta: Path) -> Policy:
    """The policy a charta builds into."""
    site = render_site(charta, label=charta.name)
    data: Policy = json.loads(site.files["charta.json"])
    return data


def python_problems(policy: Any) -> list[tuple[str, str | None]]:
    """The key paths the Python reader names, each with the limit it names; none for a policy
    it takes."""
    try:
        read_policy(copy.deepcopy(policy))
    except ChartaError as error:
        return sorted({(p.path, _limit(p.message)) for p in error.problems}, key=str)
    return []


def javascript(policies: list[Any]) -> list[list[dict[str, str]]]:
    """What the JavaScript package finds in each policy."""
    found: list[list[dict[str, str]]] = run_node(CHECK, policies)
    return found


def test_javascript_takes_every_policy_python_builds() -> None:
    policies = [built(charta) for charta in CHARTAS]
    for charta, problems in zip(CHARTAS, javascript(policies), strict=True):
        assert problems == [], charta


def _limit(message: str) -> str | None:
    return message.rpartition("(limit: ")[2].rstrip(")") if "(limit: " in message else None


def _untrusted() -> Iterator[tuple[str, Policy, str]]:
    """test_untrusted's policies beyond a limit, with the problem Python gives."""
    for name, change, problem in COUNTS:
        data = policy_data()
        change(data)
        yield name, data, problem
    for name, rule, problem in RULES:
        yield name, _with_rule(rule), f"accept.criteria[0].when: {problem}"
    rule = f"{LIST}.exists(x, {LIST}.exists(y, x + y == mutual_contacts))"
    data = policy_data()
    data["accept"]["criteria"] = [
        criterion("accept", f"c{i}", "Kriterium", when=rule) for i in range(2)
    ]
    yield "policy cost", data, "accept.criteria[1].when: … (limit: policy cost)"


def test_javascript_refuses_a_policy_beyond_a_limit_naming_it() -> None:
    cases = list(_untrusted())
    for (name, _, problem), found in zip(cases, javascript([c[1] for c in cases]), strict=True):
        path, _, message = problem.partition(": ")
        assert [(p["path"], p.get("limit")) for p in found] == [(path, _limit(message))], name


# -- mutations ----------------------------------------------------------------------------------

Path_ = tuple[str | int, ...]

URLS = [
    "http://[::1",
    "http://[::1]/",
    "http://[1.2.3.4]/",
    "http://[v1.x]/",
    "http://[zz]/",
    "https://a\u2100b/",
    "javascript:alert(1)",
    "mailto:",
    "mailto:erika@example.org",
    "HTTPS://Example.org/x",
    "ftp://example.org/",
    "https://",
    "https:///x",
    "https://a b",
    "https://example.org/\x07",
]
DATES = ["2026-02-30", "2026-13-01", "0000-01-01", "2024-02-29", "2023-02-29", "26-1-1"]
TEXTS = ["", "   ", "a\x07b", "a\ufdd0", "\U0001fffe", "ok", "a\u202eb", "x" * 3000]


def _paths(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*path, i))


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def _rules(policy: Policy) -> list[str]:
    """Rules over a policy's facts: fine ones, wrong ones and ones beyond a limit."""
    facts: dict[str, list[str]] = {}
    for fact in policy.get("facts") or []:
        if isinstance(fact, dict) and isinstance(fact.get("name"), str):
            facts.setdefault(str(fact.get("type")), []).append(fact["name"])
    some = {kind: names[0] for kind, names in facts.items()}
    rules = ["platform == 'xing'", "undeclared_fact", "1 +", "platform", "true", "(((true)))"]
    rules += ["[" + ",".join(map(str, range(51))) + "].size() > 0", "a" * 1001]
    if "bool" in some:
        b = some["bool"]
        rules += [b, f"!{b}", f"{b} && {b} || !{b}", f"{b} ? 1 : 2", f"[{b}].exists(x, x)"]
    if "int" in some:
        n = some["int"]
        rules += [f"{n} > 3", f"{n} > 3.0", f"{n}", f"[1, 2].exists(x, x == {n})"]
        rules += [f"[1].exists(a, [2].exists(b, [3].exists(c, a + b + c == {n})))"]
    if "string" in some:
        s = some["string"]
        rules += ['s.contains("a")'.replace("s.", f"{s}."), f'{s}.matches("a{{2,30}}")']
        rules += [f"{s}.matches({s})", f'{s} in ["a", "b"]', f"{s}.size()"]
    if "double" in some:
        d = some["double"]
        rules += [f"{d} > 1.0", f"{d} > 1", f"{d} == 1"]
    return rules


def _dicts(given: Any) -> list[dict[str, Any]]:
    """The objects of a list, where it is one."""
    return [item for item in given if isinstance(item, dict)] if isinstance(given, list) else []


def _criteria(data: Policy, side: str) -> list[dict[str, Any]]:
    section = data.get(side)
    return _dicts(section.get("criteria")) if isinstance(section, dict) else []


def _mutate(policy: Policy, rng: random.Random) -> Policy:
    """The policy with one to three random changes, each of a kind a reader must notice."""
    data = copy.deepcopy(policy)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        paths = list(_paths(data))
        path = rng.choice(paths[1:])
        *parent_path, last = path
        parent = _get(data, tuple(parent_path))
        value = parent[last]
        change = rng.randrange(20)
        if change == 0 and isinstance(parent, dict):
            del parent[last]
        elif change == 1:
            parent[last] = None
        elif change == 2:
            parent[last] = rng.choice([5, "x", True, [], {}, -1, 0, 2**40, 1.5])
        elif change == 3 and isinstance(value, dict):
            value[rng.choice(["extra", "Text", "link", "when", "otherwise", "reply", "html"])] = (
                rng.choice(["x", True, 1])
            )
        elif change == 4 and isinstance(value, str):
            parent[last] = rng.choice(TEXTS)
        elif change == 5 and isinstance(value, list) and value:
            value.append(copy.deepcopy(rng.choice(value)))
        elif change == 6 and isinstance(value, list):
            value.clear()
        elif (change == 7 and last == "when") or (change == 8 and last in ("text", "question")):
            parent["when"] = rng.choice(_rules(data))
        elif change == 9 and isinstance(value, str) and ("url" in str(last) or "//" in value):
            parent[last] = rng.choice(URLS)
        elif change == 10 and last in ("updated", "review_by"):
            parent[last] = rng.choice(DATES)
        elif change == 11 and last in ("id", "name", "lang") and isinstance(value, str):
            ids = [v for p in paths if p and p[-1] == last and isinstance(v := _get(data, p), str)]
            parent[last] = rng.choice([*ids, "Not A Slug", "platform", "in", "x-y", "de", "en"])
        elif (change == 12 and last == "message_limit") or (change == 13 and last == "use"):
            parent["message_limit"] = rng.choice([1, 10, 80, 200, 400, 2000, 0, "5"])
        elif change == 14 and last in ("type", "values", "decline"):
            parent[last] = rng.choice(["int", "double", "text", ["a", 1], [True], "Hi {nme}"])
        elif change == 15 and isinstance(value, str):
            parent[last] = value + rng.choice(["{name}", "{{url}}", "{reason}", " ", "\t"])
        elif change in (16, 17) and _dicts(data.get("platforms")):  # near a message limit
            platform = rng.choice(_dicts(data["platforms"]))
            platform["message_limit"] = rng.choice([60, 120, 200, 300, 450, 700, 1000])
            criteria = [c for side in ("accept", "decline") for c in _criteria(data, side)]
            if change == 17 and criteria:
                rng.choice(criteria)["reason"] = "Ein Grund, der lang ist. " * rng.randrange(30)
        elif change == 18 and isinstance(data.get("messages"), dict):
            data["messages"]["decline"] = rng.choice(
                [
                    "{reasons} {url}",
                    "Hallo {name},\n\n{reasons}\n\n{url}\n\n{alternatives}",
                    "x" * 500,
                ]
            )
        elif change == 19 and isinstance(data.get("accept"), dict):
            data["accept"]["match"] = rng.choice(["all", "any"])
    return data


def _with_translation(policy: Policy, rng: random.Random) -> Policy:
    """The policy with a translation made from itself, then changed at random."""
    data = copy.deepcopy(policy)
    lang = rng.choice(["en", "fr", "fr", "en-GB", "x-test", data["lang"].upper()])
    translated = {
        k: copy.deepcopy(v) for k, v in data.items() if k not in ("revision", "translations")
    }
    translated["lang"] = lang
    if data.get("url"):
        translated["url"] = data["url"] + lang.lower() + "/"
    for section in ("accept", "decline"):
        for entry in translated[section]["criteria"]:
            if translated.get("url"):
                entry["link"] = translated["url"] + entry["link"].rpartition("/")[2]
    data["translations"] = {lang: _mutate(translated, rng) if rng.random() < 0.8 else translated}
    return data


def _seeds() -> list[Policy]:
    return [
        built(ROOT / "charta.yaml"),
        built(ROOT / "tests" / "cases" / "valid" / "full.yaml"),
        built(ROOT / "tests" / "cases" / "valid" / "all-of.yaml"),
        built(ROOT / "examples" / "facebook-all-four" / "charta.yaml"),
        policy_data(),
        policy_data(match="all"),
    ]


def _mutations(count: int) -> list[Policy]:
    rng = random.Random(20)
    seeds = _seeds()
    made = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        made.append(_with_translation(seed, rng) if i % 5 == 4 else _mutate(seed, rng))
    return made


def _compared(policies: list[Policy], describe: Callable[[int], str]) -> list[str]:
    wrong = []
    for i, (policy, found) in enumerate(zip(policies, javascript(policies), strict=True)):
        python = python_problems(policy)
        paths = sorted({(p["path"], p.get("limit")) for p in found}, key=str)
        if paths != python:
            shown = {p["path"]: p["message"] for p in found}
            wrong.append(f"{describe(i)}:\n  Python     {python}\n  JavaScript {shown}")
    return wrong


def test_javascript_names_the_paths_python_names_in_mutated_policies() -> None:
    policies = _mutations(4000)
    refused = sum(bool(python_problems(p)) for p in policies[:300])
    assert 100 < refused < 295  # most mutations are refused, some are not
    wrong = _compared(policies, lambda i: f"mutation {i}")
    assert not wrong, "\n".join(wrong[:10]) + f"\n{len(wrong)} of {len(policies)} differ"


@pytest.mark.parametrize("name", ["not-an-object", "empty", "no-translations"])
def test_javascript_refuses_what_is_not_a_policy_at_its_root(name: str) -> None:
    policy: Any = {"not-an-object": [1], "empty": {}, "no-translations": None}[name]
    if name == "no-translations":
        policy = {k: v for k, v in policy_data().items() if k != "translations"}
    assert not _compared([policy], lambda i: name)


SUITE = ROOT / "conformance"


def test_javascript_names_the_paths_python_names_in_the_conformance_suite() -> None:
    groups = [
        group
        for folder in ("refuse", "decide")
        for path in sorted((SUITE / folder).glob("*.json"))
        for group in json.loads(path.read_text("utf-8"))
    ]
    wrong = _compared([g["policy"] for g in groups], lambda i: groups[i]["description"])
    assert not wrong, "\n".join(wrong)
    done = run_node_script(ROOT / "js" / "test" / "check.mjs", str(SUITE))
    assert done.endswith(" 0 failed\n"), done


def run_node_script(script: Path, *args: str) -> str:
    """The output of a Node script that takes no input."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for this test (.ci/run installs the npm tools)")
    done = subprocess.run(
        [node, "--no-warnings", str(script), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


OBJECT_NAMES = ["__proto__", "prototype", "constructor", "toString", "hasOwnProperty", "valueOf"]
"""Names every JavaScript object carries: cel-js cannot declare the first two."""


@pytest.mark.parametrize("name", [*OBJECT_NAMES, "for", "while"])
def test_javascript_checks_a_fact_named_like_what_objects_carry(name: str) -> None:
    """A fact named `__proto__` or `prototype` (which cel-js cannot declare) or a word CEL
    reserves is refused at its own path by both readers, and checking never throws; one named
    like another property of every object (`constructor`) is a fact like any."""
    rules = ["true", "undeclared", f"{name} && undeclared", name, f"!{name}"]
    policies = []
    for rule in rules:
        data = policy_data()
        data["facts"][0]["name"] = name  # `met`, a bool, read by accept.criteria[0]
        data["accept"]["criteria"][0]["when"] = rule
        policies.append(data)
    refused = name not in OBJECT_NAMES[2:]
    for rule, data, found in zip(rules, policies, javascript(policies), strict=True):
        paths = sorted({(p["path"], p.get("limit")) for p in found}, key=str)
        python = python_problems(data)
        assert (("facts[0]", None) in python) == refused, rule
        if refused and rule not in ("true", "undeclared"):
            # cel-cpp reads `__proto__` in a rule as a name; cel-js refuses it there too.
            assert paths == sorted({*python, ("accept.criteria[0].when", None)}, key=str), rule
        else:
            assert paths == python, rule
