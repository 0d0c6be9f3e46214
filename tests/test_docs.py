"""The docs say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from kontaktcharta.keys import walk
from kontaktcharta.model import CHARTA
from kontaktcharta.schema import key_table

ROOT = Path(__file__).resolve().parents[1]


def test_format_reference_lists_every_key_as_the_loader_reads_it() -> None:
    text = (ROOT / "docs" / "format.md").read_text("utf-8")
    table = text.split("<!-- keys:start -->\n")[1].split("<!-- keys:end -->")[0]
    assert table == key_table(), (
        "docs/format.md is out of step with the declarations in src/kontaktcharta/model.py; "
        "run python tests/regen.py --docs"
    )


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
    named = {
        p[: i + len("<name>")]
        for p, _, _ in walk(CHARTA)
        for i in range(len(p))
        if p.startswith("<name>", i)
    }
    documented = [
        re.compile(re.escape(path).replace(re.escape("<name>"), r"[^.]+"))
        for path in [*(p for p, _, _ in walk(CHARTA)), *named]
    ]
    for path in paths(example, ""):
        if path.startswith(("examples[].request.facts.", "examples[].request.judgements.")):
            continue  # request facts and judgements are named by the charta itself
        assert any(d.fullmatch(path) for d in documented), path


def test_every_link_of_the_docs_finds_its_file() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    pages += sorted((ROOT / "themes").glob("*/README.md"))
    pages += sorted((ROOT / "examples").glob("*/README.md"))
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)}: {target}"


def test_the_docs_name_no_contract_outside_the_repository() -> None:
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "src").rglob("*.py")]:
        assert "FORMAT.md" not in path.read_text("utf-8"), path
