"""Static files: the theme's `static/` and the project's `site_src/static/`, copied as they are."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .outputs import Build, Difference

if TYPE_CHECKING:
    from .outputs import Files


class StaticFiles:
    """Every file below the `static/` of each theme (the one extended first) and of
    `site_src/`; a nearer one replaces a file of the same name."""

    source = "site_src/static"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        files: dict[str, bytes] = {}
        for folder in build.static:
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        files[path.relative_to(folder).as_posix()] = path.read_bytes()
        yield from files.items()

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        return iter(())  # copied as they are


STATIC = StaticFiles()
