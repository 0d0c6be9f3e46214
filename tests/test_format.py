"""Everything made from the one declaration of the format agrees: the loader, the key table of the
docs, the schema of charta.yaml, the policy writer, its schema and the policy reader."""

from __future__ import annotations

import contextlib
import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kontaktcharta.build import render_site
from kontaktcharta.commands.init import LANGUAGES, starter
from kontaktcharta.decide import Policy, decide
from kontaktcharta.defaults import default_decline_template
from kontaktcharta.errors import ChartaError
from kontaktcharta.keys import Image, Url, walk
from kontaktcharta.messages import MessageTooLong
from kontaktcharta.model import CHARTA
from kontaktcharta.policy import dump, render_policy
from kontaktcharta.policy_reader import read_policy
from kontaktcharta.request import RequestError
from kontaktcharta.rules import RuleError
from kontaktcharta.schema import charta_schema, javascript_schema, policy_schema

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
VALID = [
    *sorted((CASES / "valid").glob("*.yaml")),
    ROOT / "charta.yaml",
    *sorted((ROOT / "examples").glob("*/charta.yaml")),
]
INVALID = sorted((CASES / "invalid").glob("*.yaml"))
NOT_SHAPE = {
    # the file cannot be read as one YAML document of values
    "byte-order-mark",
    "empty-file",
    "file-too-large",
    "not-utf8",
    "yaml-alias",
    "yaml-alias-laughs",
    "yaml-alias-under-unknown-keys",
    "yaml-bad-indent",
    "yaml-colon-in-value",
    "yaml-no-colon",
    "yaml-tab",
    "yaml-two-documents",
    "yaml-unclosed-bracket",
    "yaml-unclosed-quote",
    "duplicate-yaml-key",  # an editor marks it as YAML, before any schema
    "duplicate-fact",
    # what one value cannot show: a calendar, CEL, Markdown's links, templates
    "date-impossible",
    "cel-not-bool",
    "cel-quoted-undeclared",
    "cel-syntax",
    "cel-type-mismatch",
    "markdown-data-link",
    "markdown-image",
    "markdown-javascript-link",
    "template-unknown-placeholder",
    "translation-template-unknown-placeholder",
    "url-unclosed-bracket",
    # what needs the whole charta: ids, declarations, the rules' decisions, translations
    "duplicate-criterion-id",
    "duplicate-platform-id",
    "example-unknown-fact",
    "example-wrong-decision",
    "example-wrong-message",
    "example-message-link-before-url",
    "example-wrong-reply",
    "example-wrong-unmet",
    "fact-name-reserved",
    "fact-undeclared",
    "fact-values-wrong-type",
    "fact-bool-values-yes-no",
    "fact-value-infinite",
    "message-limit-too-small",
    "otherwise-twice",
    "otherwise-with-when",
    "platform-template-too-long",
    "platform-template-unknown-placeholder",
    "platform-undeclared",
    "question-with-when",
    "translation-missing",
    "translation-surplus",
    # what needs `url` or the project's files: a picture of the site
    "image-file-missing",
    "image-file-without-url",
    "image-file-with-http-url",
}
"""Broken chartas whose mistake is not one of shape: the loader finds them, a schema cannot."""

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def as_editors_read_it(text: str) -> Any:
    """YAML as yaml-language-server reads it: the YAML 1.2 core schema (`yes` and `2026-11-21`
    are text, `1_000` is text), so a test sees what an editor sees."""

    def value(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return {str(value(k)): value(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [value(item) for item in node.value]
        text = str(node.value)
        if node.style:  # quoted or a block
            return text
        if _NULL.fullmatch(text):
            return None
        if _BOOL.fullmatch(text):
            return text.lower() == "true"
        if _INT.fullmatch(text):
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
        return text

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if node is None else value(node)


def schema_at(schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The part of a schema a key path of the docs names (`facts.<name>.type`, `x[].y`)."""
    definitions = schema.get("definitions", {})

    def resolved(part: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in part or "anyOf" in part:
            if "$ref" in part:
                part = definitions[part["$ref"].rsplit("/", 1)[1]]
            else:
                part = next(p for p in part["anyOf"] if p.get("type") != "null")
        return part

    part = resolved(schema)
    for step in re.findall(r"[^.\[\]]+|\[\]", path):
        if step == "[]" or (step == "<name>" and part.get("type") == "array"):
            part = resolved(part["items"])
        elif step == "<name>":
            part = resolved(part["additionalProperties"])
        else:
            part = resolved(part["properties"][step])
    return part


# The derivations agree


def test_every_declared_key_is_in_both_schemas_and_the_docs() -> None:
    docs = (ROOT / "docs" / "format.md").read_text("utf-8")
    editor, policy = charta_schema(), policy_schema()
    keys = list(walk(CHARTA))
    assert len(keys) > 80
    for path, declared, _ in keys:
        assert f"| `{path}` |" in docs, path
        assert schema_at(editor, path.rpartition(".")[0] or "").get("properties", {}).get(
            path.rpartition(".")[2].removesuffix("[]")
        ) or schema_at(editor, path), path
        described = _described(editor, path)
        assert described == declared.doc, path
        if declared.policy:
            assert schema_at(policy, path), path
        else:  # only the build reads it (`theme`)
            assert path not in schema_at(policy, "").get("properties", {}), path


def _described(schema: dict[str, Any], path: str) -> str:
    """The description a key has in its parent object's schema."""
    parent, _, name = path.rpartition(".")
    return str(schema_at(schema, parent)["properties"][name]["description"])


def test_the_schemas_that_ship_are_the_derived_ones() -> None:
    shipped = ROOT / "src" / "kontaktcharta" / "schemas"
    assert (shipped / "charta.yaml.schema.json").read_bytes() == dump(charta_schema()), (
        "run python tests/regen.py --schemas"
    )
    assert (shipped / "charta.json.schema.json").read_bytes() == dump(policy_schema())
    javascript = (ROOT / "js" / "src" / "policy-schema.js").read_text("utf-8")
    assert javascript == javascript_schema(), "run python tests/regen.py --schemas"


@pytest.mark.parametrize("schema", [charta_schema(), policy_schema("https://e.example/k/")])
def test_both_schemas_are_draft_07_schemas(schema: dict[str, Any]) -> None:
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft7Validator
    jsonschema.Draft7Validator.check_schema(schema)


STARTERS = {
    f"starter-{lang}": starter(lang, __import__("datetime").date(2026, 11, 21))
    for lang in LANGUAGES
}


@pytest.mark.parametrize(
    "text",
    [*(case.read_text("utf-8") for case in VALID), *(s["charta.yaml"] for s in STARTERS.values())],
    ids=[*(case.stem for case in VALID), *STARTERS],
)
def test_every_valid_charta_fits_the_schema_of_charta_yaml(text: str) -> None:
    jsonschema.Draft7Validator(charta_schema()).validate(as_editors_read_it(text))


SHAPE = [case for case in INVALID if case.stem not in NOT_SHAPE]


@pytest.mark.parametrize("case", SHAPE, ids=[case.stem for case in SHAPE])
def test_every_charta_of_the_wrong_shape_is_refused_by_the_schema(case: Path) -> None:
    data = as_editors_read_it(case.read_text("utf-8"))
    assert not jsonschema.Draft7Validator(charta_schema()).is_valid(data)


def test_the_cases_not_of_shape_are_cases() -> None:
    assert {case.stem for case in INVALID} >= NOT_SHAPE
    assert len(SHAPE) >= 25


@pytest.mark.parametrize("case", VALID, ids=[case.stem for case in VALID])
def test_the_reader_reads_what_the_writer_writes(case: Path) -> None:
    policy = json.loads(render_site(case, label=case.name).files["charta.json"])
    jsonschema.Draft7Validator(policy_schema()).validate(policy)
    assert render_policy(read_policy(policy)) == policy


# The reader refuses what does not fit, naming where; it never fails otherwise


def built(case: Path) -> dict[str, Any]:
    """The policy the build writes for a charta."""
    policy: dict[str, Any] = json.loads(render_site(case, label=case.name).files["charta.json"])
    return policy


FULL = built(CASES / "valid" / "full.yaml")
BUILT = [built(ROOT / "charta.yaml"), FULL, built(CASES / "valid" / "all-of.yaml")]
BUILT.append({**FULL, "translations": {}})
"""Built policies with translations (where a change to the main language alone makes them
differ) and without (where a change stands alone)."""
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2**64),
    st.floats(allow_nan=False),
    st.sampled_from(
        ["", " ", "x", "5", "sha256:00", "xing", "#accept-met", "any", "{name}", "met &&"]
    ),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["id", "text", "x"]), st.integers(0, 3), max_size=2),
)


def places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in nested JSON data."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*path, index))
    return found


def retyped(value: Any) -> Any:
    """A value of another JSON type than `value`'s."""
    if isinstance(value, bool) or value is None:
        return "true"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value] if value.isdigit() or not value else 5
    if isinstance(value, list):
        return {"0": value[0]} if value else {}
    return [value]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A built policy changed in one to three places: a value of another type, another value,
    a key removed or added, an entry repeated."""
    policy = copy.deepcopy(draw(st.sampled_from(BUILT)))
    for _ in range(draw(st.integers(1, 3))):
        kinds: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for place in places(policy)[1:]:  # by key, so that each key is as likely to change
            kind = tuple("[]" if isinstance(step, int) else step for step in place)
            kinds.setdefault(kind, []).append(place)
        where = draw(st.sampled_from(draw(st.sampled_from(list(kinds.values())))))
        parent = policy
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        how = draw(st.sampled_from(["retype", "retype", "junk", "remove", "add", "repeat"]))
        if how == "retype":
            parent[last] = retyped(parent[last])
        elif how == "junk":
            parent[last] = draw(JUNK)
        elif how == "remove":
            del parent[last]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "when", "otherwise", "platforms"]))] = draw(JUNK)
        elif how == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return policy


@settings(
    max_examples=600,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_a_mutated_policy_is_refused_at_its_place_or_decided(policy: dict[str, Any]) -> None:
    fits = jsonschema.Draft7Validator(policy_schema()).is_valid(policy)
    try:
        compiled = Policy.from_json(policy)
    except ChartaError as refused:
        for problem in refused.problems:
            assert problem.file == "charta.json"
            assert problem.path or problem.message.startswith("expected a JSON object"), problem
        return
    assert fits, "what the schema refuses, the reader refuses"
    for example in policy["examples"]:
        # decided, or refused with a message as `charta decide` prints it
        with contextlib.suppress(RequestError, RuleError, MessageTooLong):
            decide(compiled, example["request"], name="Max")


def json_path(place: tuple[Any, ...]) -> str:
    """`("platforms", 0, "message_limit")` → `platforms[0].message_limit`."""
    text = ""
    for step in place:
        text += f"[{step}]" if isinstance(step, int) else f".{step}" if text else str(step)
    return text


@pytest.mark.parametrize("policy", BUILT[2:], ids=["all-of", "full-alone"])
def test_every_key_of_another_type_is_refused_at_its_path(policy: dict[str, Any]) -> None:
    schema = jsonschema.Draft7Validator(policy_schema())
    seen = set()
    for place in places(policy)[1:]:
        kind = tuple("[]" if isinstance(step, int) else step for step in place)
        if kind in seen:
            continue
        seen.add(kind)
        changed = copy.deepcopy(policy)
        parent = changed
        for step in place[:-1]:
            parent = parent[step]
        parent[place[-1]] = retyped(parent[place[-1]])
        if schema.is_valid(changed):
            continue  # another type that fits too: a fact's value may be any scalar
        with pytest.raises(ChartaError) as refused:
            read_policy(changed)
        paths = [problem.path for problem in refused.value.problems]
        assert json_path(place) in paths, (json_path(place), paths)
    assert len(seen) > 45


def test_a_translation_needs_what_holds_a_required_text_and_nothing_else() -> None:
    required = {path: key.required for path, key, _ in walk(CHARTA)}
    root = "translations.<name>."
    assert required[root + "title"] and required[root + "accept"]
    assert required[root + "accept.criteria"] and required[root + "accept.criteria.<name>.text"]
    assert not required[root + "accept.criteria.<name>.reason"]
    assert required[root + "declined"] and not required[root + "declined.alternatives"]
    assert not required[root + "based_on"] and required[root + "based_on.text"]
    assert root + "owner" not in required, "the owner has no text to translate"


def test_a_translation_in_a_policy_names_only_known_placeholders() -> None:
    policy = copy.deepcopy(FULL)
    policy["translations"]["de"]["messages"]["decline"] = "Hallo {nmae}: {url}"
    with pytest.raises(ChartaError) as raised:
        read_policy(policy)
    assert [(problem.path, problem.message) for problem in raised.value.problems] == [
        (
            "translations.de.messages.decline",
            "unknown placeholder {nmae} (did you mean {name}?); "
            "a decline message knows {name}, {reasons}, {url}, {alternatives}",
        )
    ]


URL_PIECES = ["http", "HTTPS", "s", "mailto", "MailTo", "ftp", ":", "//", "/", "?", "#", "x.de"]
URL_PIECES += ["a@b", " ", "[", "]"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), min_size=1, max_size=6).map("".join))
def test_the_schema_takes_exactly_the_urls_the_reader_takes(url: str) -> None:
    kind = Url(mailto=True)
    pattern = kind.json_schema()["pattern"]
    if kind.valid(url):
        assert re.search(pattern, url), url
    elif "[" not in url:  # an unclosed IPv6 bracket is seen by the reader only (see NOT_SHAPE)
        assert not re.search(pattern, url), url


IMAGE_PIECES = ["https", "http", "://", "x.de", "/", "?", "#", "a@b", "@", ":pw"]
IMAGE_PIECES += ["v.png", "v.JPG", ".svg", ".SVGZ", "v.bmp", "..", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(IMAGE_PIECES), min_size=1, max_size=7).map("".join))
def test_the_schema_takes_exactly_the_pictures_the_loader_takes(value: str) -> None:
    node = yaml.ScalarNode("tag:yaml.org,2002:str", value)
    wrong: list[str] = []

    class Reader:
        def wrong(self, node: yaml.Node, path: str, message: str) -> None:
            wrong.append(message)

        def warn(self, node: yaml.Node, path: str, message: str) -> None:
            pass

    taken = Image().read(node, "image", Reader()) is not None
    assert taken == (not wrong)
    assert taken == bool(re.search(Image().yaml_schema()["pattern"], value.strip())), value


def test_a_translation_may_write_the_template_its_main_language_leaves_built_in() -> None:
    policy = built(CASES / "valid" / "translation-own-template.yaml")
    assert policy["messages"]["decline"] == default_decline_template("de")
    english = policy["translations"]["en"]["messages"]["decline"]
    assert english == "Hello {name}, thank you, but no. {reasons} My rules: {url}"


def test_a_policy_translated_into_its_own_language_is_refused() -> None:
    policy = copy.deepcopy(FULL)
    german = json.dumps(policy["translations"]["de"]).replace("/charter/de/", "/charter/en-gb/")
    policy["translations"]["EN-gb"] = {**json.loads(german), "lang": "EN-gb"}
    with pytest.raises(ChartaError) as raised:
        read_policy(policy)
    assert [(problem.path, problem.message) for problem in raised.value.problems] == [
        ("translations.EN-gb", "'EN-gb' is the charta's own language (lang: en-GB)")
    ]
