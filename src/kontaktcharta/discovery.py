"""`.well-known/kontaktcharta.json`: where a tool that knows a site finds its charta."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from .lang import folder
from .model import Charta
from .outputs import Build, Difference

if TYPE_CHECKING:
    from .outputs import Files
from .page import POLICY_HREF
from .policy import dump

FILE = ".well-known/kontaktcharta.json"
"""The pointer's place below the output folder; it means something only at the domain root."""


def render_pointer(charta: Charta) -> dict[str, Any]:
    """A small pointer to the policy and each language's page, not a copy of the policy.

    Absolute under `url`, so it stays right when it is moved to the domain root; without `url`
    relative to its own place (`../charta.json`), which is right for a site at the root.
    """
    base = charta.url or "../"
    pages = {charta.lang: base}
    pages |= {
        t.lang: urljoin(base, folder(t.lang)) if charta.url else base + folder(t.lang)
        for t in charta.translations
    }
    policy = urljoin(base, POLICY_HREF) if charta.url else base + POLICY_HREF
    return {"charta": charta.charta, "policy": policy, "pages": pages}


class Pointer:
    """`.well-known/kontaktcharta.json`."""

    source = "Kontaktcharta"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        yield FILE, dump(render_pointer(build.charta))

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        return iter(())  # it means something only at the domain root, where it is moved to


POINTER = Pointer()
