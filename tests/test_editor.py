"""Editing charta.yaml in an editor: the real yaml-language-server reads the schema that
`charta init` writes, marks mistakes and offers every key with its meaning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta.cli import main
from kontaktcharta.schema import charta_schema
from lsp import Client


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Client, Path]]:
    """A project made by `charta init`, and the language server on it."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--lang", "en"]) == 0
    client = Client(tmp_path)
    yield client, tmp_path
    client.close()


def diagnostics(client: Client, path: Path, text: str) -> list[dict[str, Any]]:
    """Open a document and return what the server marks in it."""
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    found = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and bool(m["params"]["diagnostics"])
        )
    )
    return list(found["params"]["diagnostics"])


def marks(found: list[dict[str, Any]], text: str) -> dict[str, str]:
    """Each marked line's key (or the line) with the message."""
    lines = text.splitlines()
    return {lines[d["range"]["start"]["line"]].strip(): d["message"] for d in found}


def test_a_misspelt_key_and_a_wrong_type_are_marked_and_nothing_else(
    started: tuple[Client, Path],
) -> None:
    client, project = started
    text = (project / "charta.yaml").read_text("utf-8")
    assert "\ntitle: " in text and "\n  name: " in text and "message_limit: 1000" in text
    text = (
        text.replace("\ntitle: ", "\ntitel: ", 1)  # a misspelt key
        .replace("message_limit: 1000", 'message_limit: "1000"', 1)  # text for a number
        .replace("\n  name: ", "\n  name: 2026 # ", 1)  # a number for a text: the loader takes it
    )
    found = marks(diagnostics(client, project / "charta.yaml", text), text)
    assert found == {
        "charta: 1": 'Missing property "title".',
        "titel: My contact charter": "Property titel is not allowed.",
        'message_limit: "1000"': 'Incorrect type. Expected "integer | null".',
    }


def test_the_starter_is_marked_nowhere(started: tuple[Client, Path]) -> None:
    client, project = started
    text = (project / "charta.yaml").read_text("utf-8") + "wrong: key\n"  # one mark, to wait for
    text += "based_on:\n"  # empty, as the loader takes it: not given
    found = marks(diagnostics(client, project / "charta.yaml", text), text)
    assert found == {"wrong: key": "Property wrong is not allowed."}


def test_completion_offers_the_keys_with_their_meaning(started: tuple[Client, Path]) -> None:
    client, project = started
    path = project / "charta.yaml"
    text = "# yaml-language-server: $schema=charta.yaml.schema.json\ncharta: 1\n\nwrong: key\n"
    diagnostics(client, path, text)
    result = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": path.as_uri()}, "position": {"line": 2, "character": 0}},
    )
    items = {item["label"]: item.get("documentation") for item in result["items"]}
    declared = charta_schema()["properties"]
    for name in ("lang", "title", "owner", "review_by", "accept", "declined", "translations"):
        assert items[name] == {"kind": "markdown", "value": declared[name]["description"]}, name
    assert "charta" not in items, "a key that is there is not offered again"
