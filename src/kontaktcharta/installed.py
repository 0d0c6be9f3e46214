"""Installed themes: Python packages that a distribution names in the entry point group
`kontaktcharta.themes`, as MkDocs finds its themes.

A distribution declares `[project.entry-points."kontaktcharta.themes"] navy = "navy_theme"`:
the theme `navy` is the folder of the package `navy_theme`. The package is found, not imported:
a theme is files, and looking for one runs none of its code (nor that of a package around it:
`some.theme` is looked for in the folder of `some`, which is not imported either).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

GROUP: Final = "kontaktcharta.themes"
_FOLDER: Final = "a theme is the folder of a package"
_PACKAGE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class Unusable(Exception):
    """An installed theme that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Installed:
    """A theme that an installed distribution declares."""

    name: str
    """The entry point's name: the theme's name (`navy`)."""
    package: str
    """The entry point's value: the package whose folder is the theme (`navy_theme`)."""
    distribution: str
    """The distribution that declares it (`kontaktcharta-navy`)."""

    def folder(self) -> Path:
        """The package's folder; Unusable where the entry point names no package that is
        installed with one folder."""
        if not _PACKAGE.fullmatch(self.package):
            raise self.unusable(
                f"is not a package's name (expected one such as navy_theme); {_FOLDER}"
            )
        found = _locations(self.package)
        if found is None:
            raise self.unusable(f"names a package that is not installed; {_FOLDER}")
        if not found:
            raise self.unusable(f"names a module, not a package; {_FOLDER}")
        if len(found) > 1:
            raise self.unusable(f"names a package spread over several folders; {_FOLDER}")
        return Path(found[0]).resolve()

    def unusable(self, why: str) -> Unusable:
        """Why the theme cannot be used, naming the distribution and its entry point."""
        return Unusable(
            f"the installed theme {self.name!r} cannot be used: {self.distribution}'s entry "
            f"point {self.name} = {self.package!r} in {GROUP} {why}"
        )


def _locations(package: str) -> list[str] | None:
    """The folders of a package, found without importing it or a package around it: the
    top-level package by the import system's finders (a name without a dot imports nothing),
    each inner one in the folders of the one around it. None where there is no such package."""
    import importlib.machinery
    import importlib.util

    top, *inner = package.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):  # a module in sys.modules without a spec
        return None
    name = top
    for part in inner:
        if spec is None or not spec.submodule_search_locations:
            return None
        name = f"{name}.{part}"
        spec = importlib.machinery.PathFinder.find_spec(name, list(spec.submodule_search_locations))
    if spec is None:
        return None
    return list(spec.submodule_search_locations or ())


def installed_themes() -> dict[str, list[Installed]]:
    """Every installed theme by name, in the order of `sys.path`; a name that two
    distributions declare has two entries."""
    from importlib.metadata import entry_points  # slow to import: only when a name needs it

    found: dict[str, list[Installed]] = {}
    for point in entry_points(group=GROUP):
        distribution = point.dist.name if point.dist is not None else "an unknown distribution"
        found.setdefault(point.name, []).append(Installed(point.name, point.value, distribution))
    return found
