"""The benchmark's chartas build, so that `python bench/build.py` keeps measuring real builds."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from kontaktcharta.build import render_site
from kontaktcharta.yamlfile import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]


def _bench(name: str) -> ModuleType:
    """A script of bench/ as a module."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench("build")


@pytest.mark.parametrize("compact", [False, True], ids=["realistic", "compact"])
def test_generated_charta_builds_with_its_examples(tmp_path: Path, compact: bool) -> None:
    config = tmp_path / "charta.yaml"
    config.write_text(BENCH.charta_yaml(40, compact), "utf-8")
    site = render_site(config)  # checks the examples too
    assert len(site.charta.criteria) == 40
    assert len(site.charta.examples) == 2
    marked = [c for c in site.charta.criteria if "<" in c.text.html]
    assert 5 <= len(marked) <= 15  # about one in four has Markdown


def test_ten_thousand_compact_criteria_fit_the_loader() -> None:
    assert len(BENCH.charta_yaml(10_000, compact=True).encode()) <= MAX_BYTES
    fit = BENCH.largest_fitting(compact=False)
    assert len(BENCH.charta_yaml(fit, compact=False).encode()) <= MAX_BYTES
    assert len(BENCH.charta_yaml(fit + 1, compact=False).encode()) > MAX_BYTES


def test_the_scale_chartas_stay_within_the_policy_limits(tmp_path: Path) -> None:
    from kontaktcharta import limits
    from kontaktcharta.rules import rule_cost

    config = tmp_path / "charta.yaml"
    config.write_text(BENCH.charta_yaml(10_000, compact=True), "utf-8")
    charta = render_site(config).charta  # the build checks the limits
    facts = {fact.name: fact.type for fact in charta.facts}
    steps = sum(rule_cost(c.when, facts) for c in charta.criteria if c.when)
    assert 0 < steps <= limits.COST / 2  # room to spare
    assert max(len(charta.accept.criteria), len(charta.decline.criteria)) <= limits.CRITERIA


def test_the_worst_policies_of_bench_limits_are_read_and_go_as_far_as_the_limits(
    tmp_path: Path,
) -> None:
    """Each kind is within every limit (the reader takes it), and one step further is not."""
    from kontaktcharta import limits
    from kontaktcharta.cli import main
    from kontaktcharta.decide import Policy
    from kontaktcharta.rules import rule_cost

    bench = _bench("limits")
    assert main(["build", "-q", "--config", str(ROOT / "charta.yaml"), "--out", str(tmp_path)]) == 0
    bench.BASE = tmp_path / "charta.json"
    for kind, (make, _) in bench.KINDS.items():
        data = bench.policy(kind)
        policy = Policy.from_json(data)
        whens = [c.when for c in policy.charta.criteria if c.when]
        steps = sum(rule_cost(when, bench.FACTS) for when in whens)
        assert steps <= limits.COST, kind
        count = bench._longest(make)
        if count < limits.LITERAL and kind not in ("many", "deep"):
            assert rule_cost(make(0, count + 1), bench.FACTS) == 0, kind  # a list longer: refused
        assert steps + rule_cost(make(len(whens), count), bench.FACTS) > limits.COST or (
            len(whens) == 2 * limits.CRITERIA - 1
        ), kind  # one rule more would pass the policy cost (or the criteria)
