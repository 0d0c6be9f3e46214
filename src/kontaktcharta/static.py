"""Static files: the theme's `static/` and the project's `site_src/static/`, copied as they are."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ChartaError
from .outputs import Build, Difference

if TYPE_CHECKING:
    from .outputs import Files


class StaticFiles:
    """Every file below the `static/` of each theme (the one extended first) and of
    `site_src/`; a nearer one replaces a file of the same name."""

    source = "site_src/static"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        files: dict[str, bytes] = {}
        project = build.project.resolve()
        for folder in build.static:
            if folder.is_dir():
                # A link may point within the project, or within the theme the folder is of.
                within = (project, folder.parent.resolve())
                for path in sorted(folder.rglob("*")):
                    if path.is_symlink():
                        _check_link(path, within)
                    if path.is_file():
                        files[path.relative_to(folder).as_posix()] = path.read_bytes()
        yield from files.items()

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        return iter(())  # copied as they are


def _check_link(path: Path, within: tuple[Path, ...]) -> None:
    """A link in a static folder may not reach outside the project (or its theme)."""
    target = path.resolve()
    if not any(target.is_relative_to(root) for root in within):
        raise ChartaError.single(
            str(path),
            f"is a link to {target}, outside the project; a site publishes only the "
            "project's own files (copy the file in instead of linking it)",
        )


STATIC = StaticFiles()
