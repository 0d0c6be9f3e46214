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
from typing import TYPE_CHECKING, Final

import yaml

from .errors import NOWHERE, ChartaError, Place, Problem, read_file
from .keys import closest
from .yamlfile import compose_any

if TYPE_CHECKING:  # a type only: the installed themes are read only where a name needs them
    from .installed import Installed

DEFAULT: Final = "default"
METADATA: Final = "theme.yaml"
_NULL: Final = "tag:yaml.org,2002:null"
_STR: Final = "tag:yaml.org,2002:str"
_EXPECTED: Final = "`extends: <theme>` or `extends: null`"
"""What a theme.yaml holds."""


def built_in_folder(package: Path) -> Path | None:
    """Where the built-in themes are, for the package folder `package` (`kontaktcharta/`): in
    an installed wheel the package's own `themes/` (pyproject.toml's force-include puts them
    there), in a source checkout `themes/` beside `src/` and `pyproject.toml`; None where
    neither is (no other folder counts, so that no stray `themes/` is taken for built-in)."""
    if (package / "themes").is_dir():
        return package / "themes"
    checkout = package.parent.parent
    if package.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout / "themes"
    return None


BUILT_IN: Final = built_in_folder(Path(__file__).resolve().parent)
"""The folder of the built-in themes (`default`, `cards`)."""


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
    """Whether a theme is given as a folder (`./mine`, `../looks/theme`), not by name."""
    return "/" in value or os.sep in value or value.startswith(".")


def is_theme(folder: Path) -> bool:
    """Whether a folder is a theme: it has `templates/` or `theme.yaml`."""
    return (folder / "templates").is_dir() or (folder / METADATA).is_file()


def roots(project: Path) -> list[Path]:
    """Where themes are looked for: the project's `themes/`, then the built-in ones."""
    found: list[Path] = []
    for root in (project / "themes", BUILT_IN):
        if root is not None and root.resolve() not in found:
            found.append(root.resolve())
    return found


def built_in() -> set[str]:
    """The names of the built-in themes, which no installed theme may take."""
    return set(_themes_in(BUILT_IN))


def _themes_in(root: Path | None) -> list[str]:
    """The names of the themes in a folder of themes."""
    if root is None or not root.is_dir():
        return []
    return [folder.name for folder in root.iterdir() if is_theme(folder)]


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
        found = lookup.next(name, [], origin)
        if found is None:
            raise origin.error(lookup.unknown(name, origin.base or Path.cwd()))
        first = found
    names, folders = [name], [first]
    wanted, origin = _extends(first)
    while wanted is not None:
        folder = lookup.next(wanted, folders, origin)
        if folder is None:
            if not lookup.known(wanted, origin):
                raise origin.error(lookup.unknown(wanted))
            if wanted == DEFAULT and _stands_alone(names[-1], folders[-1]):
                break  # the built-in default
            chain = " → ".join([*names, wanted])
            raise origin.error(f"themes extend each other: {chain}")
        names.append(wanted)
        folders.append(folder)
        wanted, origin = _extends(folder)
    return Theme(name, tuple(folders), tuple(lookup.warnings))


class _Lookup:
    """The themes one search sees, nearest first: the project's, the built-in, the installed
    ones. The installed ones are read only for a name the others lack: reading them takes a
    tenth of a build's time."""

    def __init__(self, project: Path) -> None:
        self.roots = roots(project)
        self.warnings: list[str] = []
        self._installed: dict[str, list[Installed]] | None = None

    def next(self, name: str, taken: list[Path], origin: Origin) -> Path | None:
        """The nearest theme folder of that name that is not taken yet. An installed theme of
        that name that cannot be used is an error shown at `origin`, where it was asked for."""
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
            raise origin.error(f"{name!r} is installed twice, by {by}; uninstall one of them")
        if not found:
            return None
        from .installed import Unusable

        try:
            folder = _installed_folder(found[0])
        except Unusable as error:
            raise origin.error(str(error)) from None
        return None if folder in taken else folder

    def known(self, name: str, origin: Origin) -> bool:
        """Whether a theme of that name is found at all."""
        return self.next(name, [], origin) is not None

    def names(self) -> list[str]:
        """The name of every theme found, sorted; an installed one only where it can be used
        (why one cannot is said where it is asked for)."""
        found = {name for root in self.roots for name in _themes_in(root)}
        usable = {name for name, themes in self.installed().items() if _usable(themes)}
        return sorted(found | usable)

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


def _installed_folder(theme: Installed) -> Path:
    """The folder of an installed theme; installed.Unusable where it is none."""
    folder = theme.folder()
    if not is_theme(folder):
        raise theme.unusable(
            f"names {folder}, which is no theme (it has neither templates/ nor {METADATA})"
        )
    return folder


def _usable(themes: list[Installed]) -> bool:
    """Whether one of the installed themes of a name can be used."""
    from .installed import Unusable

    for theme in themes:
        try:
            _installed_folder(theme)
        except Unusable:
            continue
        return True
    return False


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


def _extends(folder: Path) -> tuple[str | None, Origin]:
    """The theme a theme builds on: its `theme.yaml` says, else `default` (but for itself); and
    where that was said, for a mistake in it. Every mistake of `theme.yaml` is shown at its
    line and column."""
    path = folder / METADATA
    shown = str(path)
    if not path.is_file():
        return DEFAULT, Origin(shown)
    text = read_file(path)
    lines = text.splitlines()
    node = compose_any(text, shown)
    extends: tuple[str | None, Origin] = (DEFAULT, Origin(shown))
    if node is None:
        return extends
    problems: list[Problem] = []

    def wrong(at: yaml.Node, key: str, message: str) -> None:
        place = _place(at, lines)
        problems.append(Problem(shown, place.line, place.column, key, message, place.source))

    if not isinstance(node, yaml.MappingNode):
        wrong(node, "", f"expected {_EXPECTED}")
    else:
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            if name != "extends":
                meant = "(did you mean 'extends'?)" if closest(name, ["extends"]) else ""
                wrong(key, name, f"unknown key {meant or f'(expected {_EXPECTED})'}")
            elif name in seen:
                wrong(key, name, "duplicate key (a theme extends one theme)")
            elif isinstance(value, yaml.ScalarNode) and value.tag == _NULL:
                extends = (None, Origin(shown, name, _place(value, lines)))
            elif isinstance(value, yaml.ScalarNode) and value.tag == _STR:
                extends = (str(value.value), Origin(shown, name, _place(value, lines)))
            else:
                wrong(value, name, "expected a theme's name, or null (a theme that stands alone)")
            seen.add(name)
    if problems:
        raise ChartaError(problems)
    return extends


def _place(node: yaml.Node, lines: list[str]) -> Place:
    """Where a node of theme.yaml stands."""
    mark = node.start_mark
    source = lines[mark.line] if mark.line < len(lines) else ""
    return Place(mark.line + 1, mark.column + 1, source)
