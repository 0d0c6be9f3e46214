"""The benchmark's chartas build, so that `python bench/build.py` keeps measuring real builds."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from kontaktcharta.build import render_site
from kontaktcharta.yamlfile import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


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
