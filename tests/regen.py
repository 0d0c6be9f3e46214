"""Regenerate expected outputs on purpose: `python tests/regen.py [--errors] [--golden] [--docs]`.

--errors rewrites every tests/cases/invalid/*.err from the current messages;
--golden rewrites tests/golden/example/ from charta.yaml; --docs rewrites the key table of
docs/format.md and --schemas the JSON Schemas in src/kontaktcharta/schemas/ and the JavaScript
reader's (js/src/policy-schema.js) from the declarations of the format (model.py). Review the
diff before committing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
GOLDEN = ROOT / "tests" / "golden" / "example"


def error_of(case: Path) -> str:
    """The exact message the build gives for a broken charta."""
    try:
        render_site(case, label=case.name)
    except ChartaError as error:
        return error.format() + "\n"
    raise AssertionError(f"{case.name} builds without an error")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--golden", action="store_true")
    parser.add_argument("--docs", action="store_true")
    parser.add_argument("--schemas", action="store_true")
    args = parser.parse_args()
    if args.errors:
        for case in sorted((CASES / "invalid").glob("*.yaml")):
            case.with_suffix(".err").write_text(error_of(case), encoding="utf-8")
    if args.docs:
        from kontaktcharta.schema import key_table

        doc = ROOT / "docs" / "format.md"
        head, rest = doc.read_text("utf-8").split("<!-- keys:start -->\n")
        tail = rest.split("<!-- keys:end -->")[1]
        doc.write_text(f"{head}<!-- keys:start -->\n{key_table()}<!-- keys:end -->{tail}", "utf-8")
    if args.schemas:
        from kontaktcharta.policy import dump
        from kontaktcharta.schema import charta_schema, policy_schema

        shipped = ROOT / "src" / "kontaktcharta" / "schemas"
        (shipped / "charta.yaml.schema.json").write_bytes(dump(charta_schema()))
        (shipped / "charta.json.schema.json").write_bytes(dump(policy_schema()))
        from kontaktcharta.schema import javascript_schema

        (ROOT / "js" / "src" / "policy-schema.js").write_text(javascript_schema(), "utf-8")
    if args.golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for name, data in render_site(ROOT / "charta.yaml", label="charta.yaml").files.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
