"""Installed themes: Python packages that a distribution names in the entry point group
`kontaktcharta.themes`, as MkDocs finds its themes.

A distribution declares `[project.entry-points."kontaktcharta.themes"] navy = "navy_theme"`:
the theme `navy` is the folder of the package `navy_theme`. The package is found, not imported:
a theme is files, and looking for one runs none of its code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from .errors import ChartaError

GROUP: Final = "kontaktcharta.themes"
_PACKAGE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


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
        """The package's folder; a package that cannot be found is an error naming both."""
        import importlib.util

        where = f"{self.distribution}: entry point {self.name} = {self.package!r} in {GROUP}"
        if not _PACKAGE.fullmatch(self.package):
            raise ChartaError.single(where, "expected the name of a package, such as navy_theme")
        try:
            spec = importlib.util.find_spec(self.package)
        except Exception as error:  # a parent package's own code failed: it is not ours
            raise ChartaError.single(where, f"cannot be found: {error!r}") from None
        found = list(spec.submodule_search_locations or ()) if spec is not None else []
        if len(found) != 1:
            why = "is not installed" if spec is None else "is not a package with one folder"
            raise ChartaError.single(where, f"{why}; a theme is the folder of a package")
        return Path(found[0]).resolve()


def installed_themes() -> dict[str, list[Installed]]:
    """Every installed theme by name, in the order of `sys.path`; a name that two
    distributions declare has two entries."""
    from importlib.metadata import entry_points  # slow to import: only when a name needs it

    found: dict[str, list[Installed]] = {}
    for point in entry_points(group=GROUP):
        distribution = point.dist.name if point.dist is not None else "an unknown distribution"
        found.setdefault(point.name, []).append(Installed(point.name, point.value, distribution))
    return found
