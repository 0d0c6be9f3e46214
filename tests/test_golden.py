"""The example builds into exactly the reviewed golden output (`python tests/regen.py --golden`)."""

from __future__ import annotations

import difflib
from pathlib import Path

from kontaktcharta.build import render_site

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "example"


def test_example_matches_golden_output() -> None:
    site = render_site(ROOT / "charta.yaml", label="charta.yaml")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(site.files) == sorted(expected)
    for name, data in site.files.items():
        if data != expected[name]:
            diff = "\n".join(
                difflib.unified_diff(
                    expected[name].decode().splitlines(),
                    data.decode().splitlines(),
                    f"golden/{name}",
                    f"built/{name}",
                    lineterm="",
                    n=2,
                )
            )
            raise AssertionError(
                f"{name} differs from the golden output "
                f"(regenerate on purpose: python tests/regen.py --golden)\n{diff}"
            )


def test_build_is_deterministic() -> None:
    first = render_site(ROOT / "charta.yaml", label="charta.yaml").files
    second = render_site(ROOT / "charta.yaml", label="charta.yaml").files
    assert first == second
