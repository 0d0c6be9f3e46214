"""The docs say what the code does."""

from __future__ import annotations

from pathlib import Path

from kontaktcharta import spec

ROOT = Path(__file__).resolve().parents[1]


def test_format_reference_lists_every_key_as_the_loader_reads_it() -> None:
    text = (ROOT / "docs" / "format.md").read_text("utf-8")
    table = text.split("<!-- keys:start -->\n")[1].split("<!-- keys:end -->")[0]
    assert table == spec.reference(), (
        "docs/format.md is out of step with src/kontaktcharta/spec.py; paste spec.reference()")


def test_every_key_of_the_example_is_in_the_reference() -> None:
    import yaml

    def paths(value: object, prefix: str) -> set[str]:
        found = set()
        if isinstance(value, dict):
            for key, inner in value.items():
                path = f"{prefix}{key}"
                found.add(path)
                found |= paths(inner, f"{path}.")
        elif isinstance(value, list):
            for inner in value:
                found |= paths(inner, f"{prefix[:-1]}[].")
        return found

    example = yaml.safe_load((ROOT / "charta.yaml").read_text("utf-8"))
    documented = {path for path, _ in spec.walk()}
    generic = {p for p in paths(example, "") if not p.startswith(("facts.", "examples[]."))}
    assert generic <= documented
