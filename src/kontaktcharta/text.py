"""A Markdown text as the page and the policy have it: its source, its HTML and its plain text."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Text:
    """A Markdown text with its rendered forms; shown by Jinja as its HTML."""

    source: str
    """The Markdown as written in `charta.yaml`; empty where read from `charta.json`."""
    html: Markup
    """The HTML fragment the page shows (inline or block, as the key is)."""
    plain: str
    """The same text without markup, for the JSON `text` and for messages."""

    def __html__(self) -> str:
        return str(self.html)
