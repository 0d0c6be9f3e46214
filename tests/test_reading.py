"""docs/policy.md "Reading a charta from your tool": its Python runs as written against a served
charta, and refuses a tampered one."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta.decide import decide, load_policy
from kontaktcharta.errors import ChartaError

ROOT = Path(__file__).resolve().parents[1]


def python_of_docs(heading: str = "### In Python") -> str:
    text = (ROOT / "docs" / "policy.md").read_text("utf-8")
    section = text.split(heading, 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found[1]


def run(url: str) -> tuple[dict[str, Any], str]:
    names: dict[str, Any] = {"CHARTA_URL": url}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(python_of_docs(), "docs/policy.md", "exec"), names)
    return names, printed.getvalue()


def test_the_python_of_the_docs_decides_by_a_served_policy(
    build_site: Callable[[Path], Path], serve_site: Callable[[Path], str]
) -> None:
    folder = build_site(ROOT / "charta.yaml")
    url = serve_site(folder) + "charta.json"
    names, printed = run(url)
    decision = names["decision"].to_json()
    assert printed == f"{decision}\n"
    built = load_policy(folder / "charta.json")
    request = {"platform": "xing", "facts": {"met": False}}
    assert decision == decide(built, request, name="Max Muster").to_json()
    revision = json.loads((folder / "charta.json").read_text("utf-8"))["revision"]
    assert list(names["kept"]) == [(url, revision)]


def test_the_python_of_the_docs_refuses_a_policy_beyond_the_limits(
    tmp_path: Path, serve_site: Callable[[Path], str]
) -> None:
    conformance = json.loads((ROOT / "conformance" / "refuse" / "limits.json").read_text("utf-8"))
    policy = next(
        g for g in conformance if g["description"] == "a rule that may take too many steps"
    )
    (tmp_path / "charta.json").write_text(json.dumps(policy["policy"]), "utf-8")
    with pytest.raises(ChartaError) as refused:
        run(serve_site(tmp_path) + "charta.json")
    assert "(limit: rule cost)" in refused.value.format()


def test_the_docs_keep_a_policy_while_the_server_says_it_is_current(
    build_site: Callable[[Path], Path], serve_site: Callable[[Path], str]
) -> None:
    names: dict[str, Any] = {}
    exec(compile(python_of_docs("### Keeping a policy"), "docs/policy.md", "exec"), names)
    folder = build_site(ROOT / "charta.yaml")
    url = serve_site(folder) + "charta.json"
    first = names["current"](url)
    assert first["policy"] == json.loads((folder / "charta.json").read_text("utf-8"))
    assert first["modified"]  # the test server sends Last-Modified, and 304 to If-Modified-Since
    assert names["current"](url, first) is first
