"""Language tags: which are valid, their primary language, where a translation's pages go."""

from __future__ import annotations

import re

TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
"""A BCP 47 tag as charta.yaml takes it: `de`, `en-GB`."""


def primary(tag: str) -> str:
    """The primary language of a tag, lower case: `de-AT` → `de` (`_` read as `-`)."""
    return tag.replace("_", "-").split("-")[0].lower()


def folder(tag: str) -> str:
    """Where a translation's pages go below the output folder: `en/`."""
    return f"{tag.lower()}/"


def translation_url(url: str | None, tag: str) -> str | None:
    """A translation's public address below the charta's `url`; None where it has none."""
    from urllib.parse import urljoin

    return urljoin(url, folder(tag)) if url else None
