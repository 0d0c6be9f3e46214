"""Themes: where a theme is found, and what it builds on.

A theme is a folder with `templates/` and, optionally, `style.css`, `embed.css`, `words.yaml`,
`static/` and `theme.yaml`. It holds only what differs from the theme it extends: a template, a
style sheet or a word it lacks comes from there. `theme.yaml` names that theme
(`extends: cards`); without it a theme extends `default`, and `extends: null` makes one that
stands alone. A theme named like one it extends builds on the next of that name: a project's own
`default` (without `theme.yaml`) holds only what differs from the built-in `default`, which
itself stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from .errors import ChartaError
from .yamlfile import FAST_LOADER

DEFAULT: Final = "default"
METADATA: Final = "theme.yaml"
_BUILT_IN: Final = Path(__file__).resolve().parent / "themes"
_CHECKOUT: Final = Path(__file__).resolve().parents[2] / "themes"  # a source checkout


@dataclass(frozen=True, slots=True, eq=False)
class Theme:
    """A theme and the themes it builds on, nearest first."""

    name: str
    """The name it was asked for by, as given to `--theme`."""
    folders: tuple[Path, ...]
    """Its own folder, then the folder of each theme it extends."""

    @property
    def folder(self) -> Path:
        """The theme's own folder."""
        return self.folders[0]

    def file(self, name: str) -> Path | None:
        """The nearest theme's file of that name (`style.css`), or None where none has one."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return None

    def templates(self) -> list[Path]:
        """Each theme's `templates/`, nearest first: a template is taken from the first."""
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]


def roots(project: Path) -> list[Path]:
    """Where themes are looked for: the project's `themes/`, then the built-in ones."""
    found: list[Path] = []
    for root in (project / "themes", _BUILT_IN, _CHECKOUT):
        if root.resolve() not in found:
            found.append(root.resolve())
    return found


def available(project: Path) -> list[str]:
    """The name of every theme found, sorted."""
    return sorted(
        {
            folder.name
            for root in roots(project)
            if root.is_dir()
            for folder in root.iterdir()
            if (folder / "templates").is_dir()
        }
    )


def find_theme(name: str, project: Path) -> Theme:
    """Find a theme by name (the project's first) with every theme it extends. A theme that
    extends one of its own name (a project's `default` or `cards`) builds on the next one found:
    the built-in theme of that name."""
    folders: list[Path] = []
    wanted: str | None = name
    while wanted is not None:
        folder = _folder(wanted, project, folders)
        if folder is None:
            if wanted == DEFAULT and _stands_alone(folders[-1]):
                break  # the built-in default
            chain = " → ".join([*(f.name for f in folders), wanted])
            where = folders[-1] / METADATA
            raise ChartaError.single(str(where), f"themes extend each other: {chain}")
        folders.append(folder)
        wanted = _extends(folder)
    return Theme(name, tuple(folders))


def _folder(name: str, project: Path, taken: list[Path]) -> Path | None:
    """The first theme folder of that name not taken yet; an unknown name is an error."""
    found = None
    if name and name == Path(name).name and not name.startswith("."):
        found = [root / name for root in roots(project) if (root / name / "templates").is_dir()]
    if not found:
        listed = ", ".join(available(project)) or "none"
        raise ChartaError.single(
            f"themes/{name}", f"unknown theme {name!r}; available themes: {listed}", "theme"
        )
    return next((folder for folder in found if folder not in taken), None)


def _stands_alone(folder: Path) -> bool:
    """A `default` without `theme.yaml` extends another `default` where there is one."""
    return folder.name == DEFAULT and not (folder / METADATA).is_file()


def _extends(folder: Path) -> str | None:
    """The theme a theme builds on: its `theme.yaml` says, else `default` (but for itself)."""
    path = folder / METADATA
    if not path.is_file():
        return DEFAULT
    try:
        data: Any = yaml.load(path.read_text("utf-8"), Loader=FAST_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ChartaError.single(str(path), f"cannot be read: {error}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or set(data) - {"extends"}:
        raise ChartaError.single(str(path), "expected `extends: <theme>` (or `extends: null`)")
    extends = data.get("extends", DEFAULT)
    if extends is not None and not isinstance(extends, str):
        raise ChartaError.single(str(path), "expected a theme's name", "extends")
    return extends
