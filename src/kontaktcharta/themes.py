"""Themes: where a theme is found, and what it builds on.

A theme is a folder with `templates/` or `theme.yaml` (or both) and, optionally, `style.css`,
`embed.css`, `words.yaml` and `static/`. It holds only what differs from the theme it extends: a
template, a style sheet or a word it lacks comes from there. `theme.yaml` names that theme
(`extends: cards`); without it a theme extends `default`, and `extends: null` makes one that
stands alone. A theme named like one it extends builds on the next of that name: a project's own
`default` (without `theme.yaml`) holds only what differs from the built-in `default`, which
itself stands alone.

A theme is chosen by name or as a folder (written with a slash or a leading dot: `./mine`). A
name is looked up in the project's `themes/`, then among the built-in themes, then among the
installed ones (installed.py). An installed theme cannot take a built-in theme's name: it is not
used, and the build says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from .errors import NOWHERE, ChartaError, Place, Problem
from .yamlfile import FAST_LOADER

if TYPE_CHECKING:  # a type only: the installed themes are read only where a name needs them
    from .installed import Installed

DEFAULT: Final = "default"
METADATA: Final = "theme.yaml"
_BUILT_IN: Final = Path(__file__).resolve().parent / "themes"
_CHECKOUT: Final = Path(__file__).resolve().parents[2] / "themes"  # a source checkout


@dataclass(frozen=True, slots=True, eq=False)
class Theme:
    """A theme and the themes it builds on, nearest first."""

    name: str
    """The name or folder it was asked for by, as given to `theme:` or `--theme`."""
    folders: tuple[Path, ...]
    """Its own folder, then the folder of each theme it extends."""
    warnings: tuple[str, ...] = ()
    """What the owner should know about the themes found (an installed theme not used)."""

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


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a theme was chosen: where its folder is taken from, where a mistake is shown."""

    file: str
    """`--theme`, or the charta file as the author named it."""
    key: str = ""
    """The key that chose it (`theme`); empty on the command line."""
    place: Place = NOWHERE
    """Where the key stands in the charta file."""
    base: Path | None = None
    """The folder a theme's folder is taken from: the charta's; None: the current folder."""

    def error(self, message: str) -> ChartaError:
        """A mistake in the choice, shown where it was made."""
        where = self.place
        return ChartaError(
            [Problem(self.file, where.line, where.column, self.key, message, where.source)]
        )


COMMAND_LINE: Final = Origin("--theme")


def is_folder(value: str) -> bool:
    """Whether a theme is given as a folder (`./mine`, `../shared/theme`), not by name."""
    return "/" in value or os.sep in value or value.startswith(".")


def is_theme(folder: Path) -> bool:
    """Whether a folder is a theme: it has `templates/` or `theme.yaml`."""
    return (folder / "templates").is_dir() or (folder / METADATA).is_file()


def roots(project: Path) -> list[Path]:
    """Where themes are looked for: the project's `themes/`, then the built-in ones."""
    found: list[Path] = []
    for root in (project / "themes", _BUILT_IN, _CHECKOUT):
        if root.resolve() not in found:
            found.append(root.resolve())
    return found


def built_in() -> set[str]:
    """The names of the built-in themes, which no installed theme may take."""
    return {
        folder.name
        for root in (_BUILT_IN, _CHECKOUT)
        if root.is_dir()
        for folder in root.iterdir()
        if is_theme(folder)
    }


def available(project: Path) -> list[str]:
    """The name of every theme found, sorted: the project's, the built-in and installed ones."""
    return _Lookup(project).names()


def find_theme(name: str, project: Path, origin: Origin = COMMAND_LINE) -> Theme:
    """Find a theme by name (the project's first) or as a folder, with every theme it extends.
    A theme that extends one of its own name (a project's `default` or `cards`) builds on the
    next one found: the built-in theme of that name."""
    lookup = _Lookup(project)
    if is_folder(name):
        first = _given(name, origin)
    else:
        found = lookup.next(name, [])
        if found is None:
            raise origin.error(lookup.unknown(name, origin.base or Path.cwd()))
        first = found
    names, folders = [name], [first]
    wanted = _extends(first)
    while wanted is not None:
        folder = lookup.next(wanted, folders)
        if folder is None:
            where = str(folders[-1] / METADATA)
            if not lookup.known(wanted):
                raise ChartaError.single(where, lookup.unknown(wanted), "extends")
            if wanted == DEFAULT and _stands_alone(names[-1], folders[-1]):
                break  # the built-in default
            chain = " → ".join([*names, wanted])
            raise ChartaError.single(where, f"themes extend each other: {chain}")
        names.append(wanted)
        folders.append(folder)
        wanted = _extends(folder)
    return Theme(name, tuple(folders), tuple(lookup.warnings))


class _Lookup:
    """The themes one search sees, nearest first: the project's, the built-in, the installed
    ones. The installed ones are read only for a name the others lack: reading them takes a
    tenth of a build's time."""

    def __init__(self, project: Path) -> None:
        self.roots = roots(project)
        self.warnings: list[str] = []
        self._installed: dict[str, list[Installed]] | None = None

    def next(self, name: str, taken: list[Path]) -> Path | None:
        """The nearest theme folder of that name that is not taken yet."""
        if not name or is_folder(name):
            return None
        for root in self.roots:
            if is_theme(root / name) and root / name not in taken:
                return root / name
        if name in built_in():
            return None
        found = self.installed().get(name, [])
        if len(found) > 1:
            by = " and ".join(theme.distribution for theme in found)
            raise ChartaError.single(
                f"theme {name!r}", f"is installed twice, by {by}; uninstall one of them"
            )
        if not found:
            return None
        folder = found[0].folder()
        if not is_theme(folder):
            raise ChartaError.single(
                str(folder),
                f"is not a theme (no templates/, no {METADATA}), but {found[0].distribution} "
                f"installs it as the theme {name!r}",
            )
        return None if folder in taken else folder

    def known(self, name: str) -> bool:
        """Whether a theme of that name is found at all."""
        return self.next(name, []) is not None

    def names(self) -> list[str]:
        """The name of every theme found, sorted."""
        found = {
            folder.name
            for root in self.roots
            if root.is_dir()
            for folder in root.iterdir()
            if is_theme(folder)
        }
        return sorted(found | self.installed().keys())

    def unknown(self, name: str, base: Path | None = None) -> str:
        """What an unknown name is told: the themes there are."""
        listed = ", ".join(self.names()) or "none"
        hint = ""
        if base is not None and is_theme(base / name):
            hint = f" (a folder is written with a slash: ./{name})"
        return f"unknown theme {name!r}; available themes: {listed}{hint}"

    def installed(self) -> dict[str, list[Installed]]:
        """The installed themes by name, but for those named like a built-in theme."""
        if self._installed is None:
            from .installed import installed_themes

            everything = installed_themes()
            reserved = built_in()
            for name in sorted(everything.keys() & reserved):
                for theme in everything[name]:
                    self.warnings.append(
                        f"the installed theme {name!r} of {theme.distribution} is not used: "
                        f"{name} is a built-in theme, which an installed one cannot replace"
                    )
            self._installed = {n: t for n, t in everything.items() if n not in reserved}
        return self._installed


def _given(value: str, origin: Origin) -> Path:
    """The folder of a theme given as a folder, from the charta's folder or the current one."""
    folder = ((origin.base or Path.cwd()) / value).resolve()
    if not folder.is_dir():
        raise origin.error(f"no theme folder {value!r} ({folder} is not a folder)")
    if not is_theme(folder):
        raise origin.error(
            f"{value!r} is not a theme folder: {folder} has neither templates/ nor {METADATA}"
        )
    return folder


def _stands_alone(name: str, folder: Path) -> bool:
    """A `default` without `theme.yaml` extends another `default` where there is one."""
    return name == DEFAULT and not (folder / METADATA).is_file()


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
