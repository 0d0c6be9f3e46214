"""Policies, requests, names and chartas from elsewhere: bounded, checked, and said plainly.

Each hostile input of the issue on safety has its test here: policies beyond the limits (the
reader refuses them naming the limit, the build at the rule's line), the hostile policies that
once took gigabytes or failed every later request, names that carried escape sequences into a
message, texts with control characters, YAML tags, and links out of `site_src/static`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta import limits
from kontaktcharta.characters import NAME, clean_name
from kontaktcharta.cli import main
from kontaktcharta.decide import Policy, decide
from kontaktcharta.errors import ChartaError
from kontaktcharta.rules import Rules, rule_cost
from test_decide import QUIET, criterion, policy_data

pytestmark = pytest.mark.usefixtures("cel_runtime")  # on each CEL runtime

ROOT = Path(__file__).resolve().parent.parent
FACTS = {
    "met": "bool",
    "mutual_contacts": "int",
    "relationship": "string",
    "invitation_text": "string",
    "score": "double",
}
"""The facts of test_decide's policy, by type."""
LIST = "[" + ",".join(str(i) for i in range(limits.LITERAL)) + "]"


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ChartaError) as raised:
        Policy.from_json(data)
    return raised.value.format()


def _with_rule(rule: str) -> dict[str, Any]:
    data = policy_data()
    data["accept"]["criteria"][0]["when"] = rule
    return data


def _times(path: str, count: int, make: Callable[[int], Any]) -> Callable[[dict[str, Any]], None]:
    """A change that sets the list at `path` to `count` entries made by `make`."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for step in parents:
            data = data[step]
        data[last] = [make(i) for i in range(count)]

    return change


def _fact(i: int) -> dict[str, Any]:
    return {"name": f"f{i}", "type": "bool", "question": "?"}


def _criterion(i: int) -> dict[str, Any]:
    return criterion("accept", f"c{i}", "Kriterium", when="met")


def _platform(i: int) -> dict[str, Any]:
    return {"id": f"p{i}", "name": f"P{i}", "use": "business"}


def _alternative(i: int) -> dict[str, Any]:
    return {"text": "Schreiben", "html": "Schreiben", "url": f"https://example.org/{i}"}


def _example(i: int) -> dict[str, Any]:
    return {"name": f"e{i}", "request": {"judgements": {"rude": True}}, "expect": "decline"}


def _translations(data: dict[str, Any]) -> None:
    data["translations"] = {f"x-t{i}": {} for i in range(limits.TRANSLATIONS + 1)}


COUNTS = [
    (
        "facts",
        _times("facts", limits.FACTS + 1, _fact),
        "facts: has 101 entries; at most 100 (limit: facts)",
    ),
    (
        "criteria",
        _times("accept.criteria", limits.CRITERIA + 1, _criterion),
        "accept.criteria: has 5,001 entries; at most 5,000 (limit: criteria)",
    ),
    (
        "platforms",
        _times("platforms", limits.PLATFORMS + 1, _platform),
        "platforms: has 21 entries; at most 20 (limit: platforms)",
    ),
    (
        "alternatives",
        _times("declined.alternatives", limits.ALTERNATIVES + 1, _alternative),
        "declined.alternatives: has 51 entries; at most 50 (limit: alternatives)",
    ),
    (
        "examples",
        _times("examples", limits.EXAMPLES + 1, _example),
        "examples: has 1,001 entries; at most 1,000 (limit: examples)",
    ),
    (
        "fact values",
        lambda data: data["facts"][2].update(values=[f"v{i}" for i in range(101)]),
        "facts[2].values: has 101 entries; at most 100 (limit: fact values)",
    ),
    (
        "translations",
        _translations,
        "translations: has 31 entries; at most 30 (limit: translations)",
    ),
    (
        "fact text",
        lambda data: data["facts"][2].update(values=["x" * 2001]),
        "facts[2].values[0]: has 2,001 characters; a request gives at most 2,000 "
        "(limit: fact text)",
    ),
]


@pytest.mark.parametrize(("change", "problem"), [c[1:] for c in COUNTS], ids=[c[0] for c in COUNTS])
def test_the_reader_refuses_a_policy_beyond_a_count_naming_the_limit(
    change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    data = policy_data()
    change(data)
    assert _refused(data) == f"charta.json: {problem}"


RULES = [
    (
        "rule length",
        "met || " + " || ".join(["met"] * 250),
        "the rule has 1,753 characters; at most 1,000 (limit: rule length)",
    ),
    (
        "rule depth",
        "[1].exists(x, [2].exists(y, mutual_contacts" + " + x" * 28 + " > y))",
        "the rule nests 34 levels deep; at most 32 (limit: rule depth)",
    ),
    (
        "parser depth",
        "mutual_contacts" + " + 1" * 40 + " > 0",
        "the rule nests deeper than CEL reads; at most 32 levels (limit: rule depth)",
    ),
    (
        "checker depth",
        "met == (" * 33 + "met" + ")" * 33,
        "the rule nests deeper than CEL reads; at most 32 levels (limit: rule depth)",
    ),
    (
        "parser depth of parentheses",
        "(" * 33 + "met" + ")" * 33,
        "the rule nests deeper than CEL reads; at most 32 levels (limit: rule depth)",
    ),
    (
        "literal size",
        "mutual_contacts in [" + ",".join(str(i) for i in range(51)) + "]",
        "a list or map in the rule has 51 entries; at most 50 (limit: literal size)",
    ),
    (
        "macro nesting",
        "[1].exists(a, [2].exists(b, [3].exists(c, a + b + c == mutual_contacts)))",
        "the rule has 3 macros inside one another; at most 2 (limit: macro nesting)",
    ),
    (
        "rule cost",
        f"{LIST}.exists(x, {LIST}.exists(y, {LIST}.size() + x + y == mutual_contacts))",
        "the rule may take 1,698,216 steps; at most 200,000 (limit: rule cost)",
    ),
]


@pytest.mark.parametrize(("rule", "problem"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_the_reader_refuses_a_rule_beyond_a_limit_naming_it(rule: str, problem: str) -> None:
    assert _refused(_with_rule(rule)) == (f"charta.json: accept.criteria[0].when: {problem}")


def test_the_reader_refuses_rules_that_pass_the_policy_cost_together_at_the_one_that_does() -> None:
    rule = f"{LIST}.exists(x, {LIST}.exists(y, x + y == mutual_contacts))"
    data = policy_data()
    data["accept"]["criteria"] = [
        criterion("accept", f"c{i}", "Kriterium", when=rule) for i in range(2)
    ]
    assert _refused(data) == (
        "charta.json: accept.criteria[1].when: with this rule, the rules may take 214,332 steps "
        "for one request; at most 200,000 together (limit: policy cost)"
    )


def test_the_build_refuses_a_rule_beyond_a_limit_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "charta.yaml").read_text("utf-8")
    old = "      when: met\n"
    assert old in text
    rule = "[1].exists(a, [2].exists(b, [3].exists(c, a + b + c > 0)))"
    (tmp_path / "charta.yaml").write_text(text.replace(old, f"      when: '{rule}'\n", 1), "utf-8")
    line = text[: text.index(old)].count("\n") + 1
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.txt").write_text("kept", "utf-8")
    code = main(
        ["build", "-q", "--config", str(tmp_path / "charta.yaml"), "--out", str(tmp_path / "site")]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{tmp_path / 'charta.yaml'}:{line}:14: accept.criteria[0].when: the rule has 3 macros "
        "inside one another; at most 2 (limit: macro nesting)\n"
    )
    assert not (tmp_path / "site").exists()


def test_the_schemas_carry_the_counts_and_the_rule_length() -> None:
    from kontaktcharta.schema import charta_schema, policy_schema

    for schema in (charta_schema(), policy_schema()):
        text = json.dumps(schema, default=str)
        for count in (limits.CRITERIA, limits.FACTS, limits.PLATFORMS, limits.EXAMPLES):
            assert f'"maxItems": {count}' in text or f'"maxProperties": {count}' in text
        assert f'"maxLength": {limits.RULE_LENGTH}' in text


# -- the hostile policies of the issue ----------------------------------------------------------


def test_the_policy_that_took_gigabytes_is_refused_before_cel_sees_it() -> None:
    rule = "[" + ", ".join(map(str, range(9999))) + "].map(x, x).size() > 0"  # 49 KB
    assert _refused(_with_rule(rule)) == (
        "charta.json: accept.criteria[0].when: the rule has 58,905 characters; at most 1,000 "
        "(limit: rule length)"
    )


def test_string_work_in_a_macro_is_bounded_by_the_cost() -> None:
    words = "[" + ",".join(['"ab"'] * 40) + "]"
    rule = f'{words}.exists(x, {words}.exists(y, (x + y + invitation_text).matches("(a|b)*c")))'
    assert "(limit: rule cost)" in _refused(_with_rule(rule))


def _joined(leaves: int) -> str:
    if leaves == 1:
        return "invitation_text"
    return f"({_joined(leaves // 2)} + {_joined(leaves - leaves // 2)})"


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (
            'invitation_text.matches("(' + "|".join(["a{0,999}b"] * 9) + ')")',
            "a pattern repeats {0,999} times; at most 10 (limit: regex)",
        ),
        (
            'invitation_text.matches("' + "a?" * 51 + '")',
            "a pattern has 102 characters; at most 100 (limit: regex)",
        ),
        (
            "invitation_text.matches(relationship)",
            "the pattern of matches must be a text written in the rule (limit: regex)",
        ),
        (
            f"[invitation_text].exists(x, [{_joined(100).replace('invitation_text', 'x')}]"
            ".exists(y, y.size() == 1))",
            "the rule may make a text or list of 200,000 characters; at most 65,536 "
            "(limit: value size)",
        ),
        (
            f"({_joined(32)}).contains({_joined(16)} + 'b')",
            "the rule may take 259,092 steps; at most 200,000 (limit: rule cost)",
        ),
    ],
    ids=["regex-count", "regex-length", "regex-from-a-fact", "macro-variables", "search"],
)
def test_what_a_rule_reads_or_makes_is_bounded(rule: str, problem: str) -> None:
    """Once 5 s (a pattern of 95 counted repetitions), 0.59 s and 699 MiB (a fact joined with
    itself through macro variables) and 0.25 s (searches of long texts) per decision within
    the limits: found by a review."""
    assert _refused(_with_rule(rule)) == f"charta.json: accept.criteria[0].when: {problem}"


def test_a_string_joined_with_itself_in_a_loop_counts_its_length() -> None:
    """Once 154 ms and 207 MiB per decision, when a step cost 1 whatever it read."""
    each = "[" + ",".join(str(i) for i in range(25)) + "]"
    rule = f"{each}.exists(x, {each}.exists(y, {_joined(16)}.size() < 0))"
    assert _refused(_with_rule(rule)) == (
        "charta.json: accept.criteria[0].when: the rule may take 6,339,535 steps; at most "
        "200,000 (limit: rule cost)"
    )


@pytest.mark.parametrize(
    "rules",
    [
        [f"met && mutual_contacts > {i}" for i in range(3000)],
        ["(" * 31 + "met" + ")" * 31],
    ],
    ids=["3000-rules", "31-parentheses"],
)
def test_every_later_request_is_decided_too(rules: list[str]) -> None:
    """CEL cannot compile such rules as one list; they are then evaluated one by one."""
    data = policy_data()
    data["accept"]["criteria"] = [
        criterion("accept", f"c{i}", "Kriterium", when=rule) for i, rule in enumerate(rules)
    ]
    policy = Policy.from_json(data)
    for met in (False, True, False, True):
        facts = {**QUIET, "met": met, "mutual_contacts": 5_000, "score": 1.0}
        request = {"platform": "xing", "facts": facts}
        request["judgements"] = {"rude": False}
        decision = decide(policy, request)
        assert decision.decision == ("accept" if met else "decline")


def test_the_costliest_rule_within_the_limits_keeps_memory_flat() -> None:
    forty = "[" + ",".join(str(i) for i in range(40)) + "]"
    rule = f"{forty}.exists(x, [1,2,3,4,5].exists(y, string(x + y) + invitation_text == 'z'))"
    assert rule_cost(rule, FACTS) > limits.COST * 0.7  # near the limit
    data = _with_rule(rule)
    policy = Policy.from_json(data)

    def requests(count: int) -> None:
        for i in range(count):
            facts = {**QUIET, "met": False, "score": 1.0}
            facts["invitation_text"] = f"{i}" + "x" * (limits.FACT_TEXT - 10)
            decide(policy, {"platform": "xing", "facts": facts, "judgements": {"rude": False}})

    requests(200)
    before = _resident()
    requests(2_000)
    assert _resident() - before < 16 * 2**20


def _resident() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def test_a_fact_text_beyond_the_limit_is_refused() -> None:
    from kontaktcharta.request import RequestError

    facts = {**QUIET, "invitation_text": "x" * (limits.FACT_TEXT + 1)}
    with pytest.raises(RequestError) as raised:
        decide(Policy.from_json(policy_data()), {"facts": facts})
    assert str(raised.value) == (
        "facts.invitation_text: has 2,001 characters; at most 2,000 (limit: fact text)"
    )


# -- links and texts in a policy -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "https://example.org/\x00x",
        "https://example.org/\x1b[2J",
    ],
)
def test_the_reader_lets_only_http_and_mailto_links_reach_a_message(url: str) -> None:
    data = policy_data()
    data["declined"]["alternatives"] = [{"text": "Hier", "html": "Hier", "url": url}]
    problem = _refused(data)
    assert problem.startswith(
        "charta.json: declined.alternatives[0].url: expected an http(s) or mailto URL, got"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Titel\x00", "contains U+0000, a control character, at character 6"),
        ("\x1b[2JTitel", "contains U+001B, a control character, at character 1"),
        ("Titel\ufffe", "contains U+FFFE, a noncharacter, at character 6"),
    ],
)
def test_the_reader_refuses_control_characters_and_noncharacters_in_a_text(
    text: str, problem: str
) -> None:
    data = policy_data()
    data["title"] = text
    assert _refused(data).startswith(f"charta.json: title: {problem}")


# -- names ----------------------------------------------------------------------------------------


def test_a_name_loses_controls_bidi_overrides_and_zero_width_characters() -> None:
    assert clean_name("Eve \u202egnp.exe\u202c zero\u200bwidth \x1b[31mred\x07\nnext") == (
        "Eve gnp.exe zerowidth [31mred next"
    )
    assert clean_name("\u200b\u202e \x00") == ""


def test_a_long_name_is_shortened_at_a_word_with_an_ellipsis() -> None:
    name = "Maximilian " * 90
    shortened = clean_name(name)
    assert len(shortened) <= NAME
    assert shortened.endswith("Maximilian…")
    assert clean_name("A" * 900) == "A" * (NAME - 1) + "…"


def test_a_long_name_never_drops_the_alternatives_or_fails_the_message() -> None:
    data = policy_data()
    data["declined"]["alternatives"] = [_alternative(1)]
    data["messages"]["decline"] = "Hallo {name}, nein: {reasons} {url}\n{alternatives}"
    bare = decide(Policy.from_json(data), {"judgements": {"rude": True}}).message
    assert bare is not None
    data["platforms"][0]["message_limit"] = len(bare) + 12
    policy = Policy.from_json(data)
    request = {"platform": "xing", "judgements": {"rude": True}}
    for name in ("Ann", "Maximiliane Musterfrau-Beispielhaft", "X" * 900, "\u202e" * 900):
        message = decide(policy, request, name).message
        assert message is not None and len(message) <= len(bare) + 12
        assert "https://example.org/1" in message  # the alternative stayed
        assert "\u202e" not in message


def test_plain_output_shows_control_characters_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = policy_data()
    data["decline"]["criteria"][2]["reason"] = "Bitte \u202ehöflich\u202c bleiben."
    policy_file = tmp_path / "charta.json"
    policy_file.write_text(json.dumps(data, default=str), "utf-8")
    request = tmp_path / "request.json"
    request.write_text('{"judgements": {"rude": true}}', "utf-8")
    code = main(["decide", str(request), "--policy", str(policy_file), "--name", "Eve\x1b[2J"])
    assert code == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "Hallo Eve[2J, nein: Bitte \\u202ehöflich\\u202c bleiben." in out


# -- charta.yaml --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        (
            '"Meine Kontaktcharta\\0"',
            "title: contains U+0000, a control character, at character 20",
        ),
        ('"Meine\\uFFFE Kontaktcharta"', "title: contains U+FFFE, a noncharacter, at character 6"),
        ("!foo Meine Kontaktcharta", "title: the tag !foo is not one of YAML's core tags"),
        ("!!binary TWVpbmU=", "title: the tag !!binary is not one of YAML's core tags"),
        ("!!python/object:os.system x", "title: the tag !!python/object:os.system is not one"),
    ],
    ids=["nul", "noncharacter", "local-tag", "binary", "python"],
)
def test_a_charta_text_with_a_control_character_or_a_tag_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, problem: str
) -> None:
    text = (ROOT / "charta.yaml").read_text("utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("title: "))
    changed = "\n".join(
        f"title: {written}" if i == line else row for i, row in enumerate(text.splitlines(), 1)
    )
    (tmp_path / "charta.yaml").write_text(changed + "\n", "utf-8")
    code = main(
        ["build", "-q", "--config", str(tmp_path / "charta.yaml"), "--out", str(tmp_path / "out")]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'charta.yaml'}:{line}:8: {problem}")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_core_tag_written_out_is_read() -> None:
    from kontaktcharta.load import load_charta

    path = ROOT / "charta.yaml"
    charta = load_charta(path)
    assert charta.title


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "charta.yaml").write_text((ROOT / "charta.yaml").read_text("utf-8"), "utf-8")
    (project / "site_src" / "static").mkdir(parents=True)
    return project


def test_a_static_link_out_of_the_project_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim", "utf-8")
    (project / "site_src" / "static" / "notes.txt").symlink_to(secret)
    monkeypatch.chdir(project)
    assert main(["build", "-q"]) == 1
    assert capsys.readouterr().err.startswith(
        f"site_src/static/notes.txt: is a link to {secret}, outside the project; a site "
        "publishes only the project's own files (copy the file in instead of linking it)"
    )
    assert not (project / "output").exists()


def test_a_static_link_within_the_project_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    (project / "notes.txt").write_text("offen", "utf-8")
    (project / "site_src" / "static" / "notes.txt").symlink_to(project / "notes.txt")
    monkeypatch.chdir(project)
    assert main(["build", "-q"]) == 0
    assert (project / "output" / "notes.txt").read_text("utf-8") == "offen"


def test_verify_reads_no_policy_larger_than_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    assert main(["build", "-q", "--config", str(ROOT / "charta.yaml"), "--out", str(site)]) == 0
    policy = site / "charta.json"
    text = policy.read_text("utf-8")
    policy.write_text(text[:-2] + " " * (4 * 2**20) + text[-2:], "utf-8")  # valid JSON, 4 MiB more
    capsys.readouterr()
    assert main(["verify", str(site)]) == 1
    assert capsys.readouterr().err == (
        f"{site}: charta.json: cannot be read (larger than 4,194,304 bytes)\n"
        f"{site}: the site does not verify (1 problem)\n"
    )


def test_a_credit_with_a_link_of_its_own_and_a_url_builds_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page shows such a credit as written (a link in a link is no HTML): found by
    hypothesis once the build checked the credit."""
    text = (ROOT / "charta.yaml").read_text("utf-8")
    old = "based_on:\n  text: Die Idee"
    assert old in text
    new = (
        "based_on:\n  url: https://example.org/x\n"
        "  text: Nach [Vorbild](https://example.org/a) die Idee"
    )
    (tmp_path / "charta.yaml").write_text(text.replace(old, new, 1), "utf-8")
    site = tmp_path / "site"
    assert main(["build", "-q", "--config", str(tmp_path / "charta.yaml"), "--out", str(site)]) == 0
    assert main(["verify", str(site)]) == 0


def test_requests_of_ever_new_shapes_keep_memory_flat() -> None:
    """Each set of facts a request gives is a shape of its own, with its rules compiled as one
    CEL list the second time it comes: what is kept of them is bounded by size, not count."""
    import itertools

    facts = [f"f{i}" for i in range(12)]
    data = policy_data()
    data["facts"] += [{"name": name, "type": "int", "question": "?"} for name in facts]
    data["accept"]["criteria"] = [
        criterion("accept", f"c{i}", "Kriterium", when=f"{facts[i % 12]} > {i} && met")
        for i in range(600)
    ]
    policy = Policy.from_json(data)
    shapes = itertools.combinations(facts, 6)  # 924 of them

    def requests(count: int) -> None:
        for given in itertools.islice(shapes, count):
            request = {"facts": {**QUIET, "met": True, **dict.fromkeys(given, 1)}}
            for _ in range(2):
                decide(policy, {**request, "judgements": {"rude": False}})

    requests(60)
    before = _resident()
    requests(240)
    assert _resident() - before < 24 * 2**20


def test_the_docs_state_every_limit_as_limits_py_has_it() -> None:
    text = (ROOT / "docs" / "format.md").read_text("utf-8")
    table = text[text.index("### Limits") :]
    rows = {
        "criteria": f"{limits.CRITERIA:,} in each list",
        "facts": f"| facts | {limits.FACTS} |",
        "fact values": f"| fact values | {limits.FACT_VALUES} allowed",
        "platforms": f"| platforms | {limits.PLATFORMS} |",
        "alternatives": f"| alternatives | {limits.ALTERNATIVES} |",
        "examples": f"| examples | {limits.EXAMPLES:,} |",
        "translations": f"| translations | {limits.TRANSLATIONS} |",
        "rule length": f"| rule length | {limits.RULE_LENGTH:,} characters",
        "rule depth": f"| rule depth | {limits.RULE_DEPTH} levels",
        "literal size": f"| literal size | {limits.LITERAL} entries",
        "macro nesting": f"| macro nesting | {limits.MACRO_DEPTH} macros",
        "rule cost": f"| rule cost | {limits.COST:,} steps",
        "value size": f"| value size | {limits.VALUE:,} characters",
        "regex length": f"at most {limits.REGEX_LENGTH} characters, counting a repetition at "
        f"most {limits.REGEX_COUNT} times",
        "policy cost": f"| policy cost | {limits.COST:,} steps",
        "regex": f"`matches`, which is {limits.REGEX_STEPS}",
        "fact text": f"a string fact at most {limits.FACT_TEXT:,} characters (limit: fact text)",
    }
    for name, row in rows.items():
        assert row in table, name


RUNTIME_REFUSES = [
    (
        'invitation_text.matches("a++")',
        {"cpp": "cel-expr-python, the CEL runtime installed here, cannot read the pattern 'a++': "
         "bad repetition operator: ++"},
    ),
    (
        r'met || invitation_text.matches("\\Qa+\\E")',
        {"rust": "common-expression-language, the CEL runtime installed here, cannot read the "
         r"pattern '\Qa+\E': unrecognized escape sequence: \Q"},
    ),
    (
        'matches(invitation_text, "^[[:alpha:]]+\\\\C")',
        {"rust": "common-expression-language, the CEL runtime installed here, cannot read the "
         r"pattern '^[[:alpha:]]+\C': unrecognized escape sequence: \C"},
    ),
    (
        'timestamp(mutual_contacts) > timestamp("2001-02-03T04:05:06Z")',
        {"rust": "common-expression-language, the CEL runtime installed here, cannot run "
         "timestamp(int) as CEL does"},
    ),
]  # fmt: skip
"""Rules that fail for every request on a CEL runtime, which that runtime refuses when it reads
them, in its words (a pattern its regex cannot read, a call it cannot run as CEL does): the
other runtime runs them."""


@pytest.mark.parametrize(("rule", "refusals"), RUNTIME_REFUSES)
def test_the_reader_refuses_a_rule_the_runtime_cannot_run(
    cel_runtime: str, rule: str, refusals: dict[str, str]
) -> None:
    if cel_runtime in refusals:
        problem = refusals[cel_runtime]
        assert _refused(_with_rule(rule)) == f"charta.json: accept.criteria[0].when: {problem}"
    else:
        Policy.from_json(_with_rule(rule))
        values = {"met": False, "mutual_contacts": 3, "invitation_text": "aa+"}
        assert Rules(FACTS, {"rule": rule}).evaluate("rule", values) in (True, False)


@pytest.mark.parametrize(("rule", "refusals"), RUNTIME_REFUSES)
def test_the_build_refuses_a_rule_the_runtime_cannot_run_at_the_part(
    cel_runtime: str,
    rule: str,
    refusals: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (ROOT / "charta.yaml").read_text("utf-8")
    old = "      when: met\n"
    written = rule.replace("mutual_contacts", "size(relationship)").replace("'", "''")
    (tmp_path / "charta.yaml").write_text(text.replace(old, f"      when: '{written}'\n", 1))
    line = text[: text.index(old)].count("\n") + 1
    argv = ["build", "-q", "--config", str(tmp_path / "charta.yaml"), "--out", str(tmp_path / "o")]
    code = main(argv)
    err = capsys.readouterr().err
    if cel_runtime not in refusals:  # the rule is read (the examples decide otherwise now)
        assert "accept.criteria[0].when" not in err, err
        return
    assert code == 1
    at = (
        written.index("timestamp(") + len("timestamp")
        if "timestamp" in rule
        else written.index('"')
    )
    where = f"{tmp_path / 'charta.yaml'}:{line}:{14 + at}"  # the pattern, or the call's (
    assert err.startswith(f"{where}: accept.criteria[0].when: {refusals[cel_runtime]}\n"), err
