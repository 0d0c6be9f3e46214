"""Every broken charta gets its exact message; every valid one builds a page that agrees."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.verify import compare

pytestmark = pytest.mark.usefixtures("cel_runtime")  # on each CEL runtime

CASES = Path(__file__).parent / "cases"
INVALID = sorted((CASES / "invalid").glob("*.yaml"))
VALID = [
    *sorted((CASES / "valid").glob("*.yaml")),
    Path(__file__).parents[1] / "charta.yaml",
    *sorted((Path(__file__).parents[1] / "examples").glob("*/charta.yaml")),
]


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_invalid_charta_gets_its_exact_message(case: Path) -> None:
    expected = case.with_suffix(".err").read_text("utf-8")
    with pytest.raises(ChartaError) as caught:
        render_site(case, label=case.name)
    assert caught.value.format() + "\n" == expected


@pytest.mark.parametrize("case", VALID, ids=[f"{c.parent.name}/{c.stem}" for c in VALID])
def test_valid_charta_page_and_policy_agree(case: Path) -> None:
    site = render_site(case, label=case.name)
    policy = json.loads(site.files["charta.json"])
    assert compare(site.files["index.html"].decode(), policy) == []
    criteria = policy["accept"]["criteria"] + policy["decline"]["criteria"]
    assert [c["id"] for c in criteria] == [c.id for c in site.charta.criteria]


@pytest.mark.parametrize("case", VALID, ids=[f"{c.parent.name}/{c.stem}" for c in VALID])
def test_valid_charta_policy_matches_its_schema(case: Path) -> None:
    site = render_site(case, label=case.name)
    schema = json.loads(site.files["charta.schema.json"])
    validator = jsonschema.validators.validator_for(schema)
    assert validator is jsonschema.Draft7Validator
    validator.check_schema(schema)
    validator(schema).validate(json.loads(site.files["charta.json"]))


def test_there_are_enough_broken_chartas() -> None:
    assert len(INVALID) >= 40
    assert all(case.with_suffix(".err").exists() for case in INVALID)


def test_a_charta_of_exactly_1_mib_builds_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    base = (CASES / "valid" / "minimal.yaml").read_text("utf-8")
    config = tmp_path / "charta.yaml"
    padding = 1024 * 1024 - len(base.encode()) - 1  # a comment line: "#", spaces, newline
    config.write_text(base + "#" + " " * (padding - 1) + "\n", "utf-8")
    assert config.stat().st_size == 1024 * 1024
    assert render_site(config).files["charta.json"]
    config.write_text(base + "#" + " " * padding + "\n", "utf-8")
    with pytest.raises(ChartaError) as caught:
        render_site(config)
    assert "1,048,577 bytes, more than the limit of 1,048,576" in caught.value.format()
