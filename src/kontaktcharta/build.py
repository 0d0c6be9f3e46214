"""One build: load (every check) → render every output → verify they agree → write atomically.

Loading finds every problem of the charta; rendering only renders, and what it made is compared
with the policy (site.py) before anything is written.
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import NOWHERE, ChartaError
from .extra_pages import leftovers, load_extra_pages
from .model import Charta
from .outputs import Build
from .page import Renderer, read_words
from .policy import dump, render_policy
from .schema import CHARTA_FILE, charta_schema
from .site import render
from .themes import DEFAULT, Origin, Theme, find_theme, roots
from .write import write_site


@dataclass(frozen=True, slots=True, eq=False)
class Site:
    """A rendered site, in memory until it is written."""

    charta: Charta
    """The model it was made from."""
    files: dict[str, bytes]
    """Relative path → content, sorted by path."""
    warnings: tuple[str, ...]
    """Things the owner should know that do not stop the build."""
    theme: Theme
    """The theme it was built with."""


def today() -> datetime.date:
    """The build date: SOURCE_DATE_EPOCH where set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


def render_site(config: Path, theme_name: str | None = None, label: str | None = None) -> Site:
    """Everything `output/` will hold, verified; nothing is written. `theme_name` (`--theme`)
    overrides the charta's `theme:`; `label` names the charta file in messages as the author
    named it."""
    from .load import load_charta

    charta = load_charta(config, label or str(config))
    project = config.parent
    theme = chosen_theme(charta, project, theme_name)
    source = project / "site_src"
    build = Build(
        charta=charta,
        policy=render_policy(charta),
        renderer=Renderer(theme, source / "templates"),
        theme=theme.name,
        pages=load_extra_pages(source / "pages"),
        project=project,
        words=read_words(find_theme(DEFAULT, project)),
        static=[*(folder / "static" for folder in reversed(theme.folders)), source / "static"],
    )
    warnings = [
        *_warnings(charta, today()),
        *charta.warnings,
        *theme.warnings,
        *leftovers(source / "pages"),
        *_stale_schema(project),
    ]
    return Site(charta, render(build), tuple(warnings), theme)


def chosen_theme(charta: Charta, project: Path, theme_name: str | None = None) -> Theme:
    """The theme of a build: `--theme` where given, else the charta's `theme:` (a folder from
    the charta's folder, a mistake shown at the key), else `default`."""
    if theme_name is not None:
        return find_theme(theme_name, project)
    if charta.theme is None:
        return find_theme(DEFAULT, project)
    place = charta.places.get("theme", NOWHERE)
    return find_theme(charta.theme, project, Origin(charta.file, "theme", place, project))


def build(
    config: Path, out: Path, theme_name: str | None = None, label: str | None = None
) -> tuple[Site, float]:
    """Render, verify and write a site; return it and the seconds taken."""
    start = time.perf_counter()
    site = render_site(config, theme_name, label)
    write_site(site.files, out, sources(config, site.theme))
    return site, time.perf_counter() - start


def sources(config: Path, theme: Theme) -> list[tuple[str, Path]]:
    """What a build is made from, named: the output folder may be none of them, nor hold one,
    nor lie inside one (write.check_output). Every folder of themes is, not only this theme's:
    the next build may take another."""
    project = config.parent
    return [
        ("the charta", config),
        ("the site's sources", project / "site_src"),
        *(("the theme", folder) for folder in theme.folders),
        *(("the themes folder", folder) for folder in roots(project)),
    ]


def theme_of(config: Path, theme_name: str | None = None) -> Theme:
    """The theme a build of `config` will take, before it runs (`charta serve` watches its
    folders): `--theme`, else the charta's `theme:`; `default` while the charta has mistakes."""
    from .load import load_charta

    if theme_name is not None:
        return find_theme(theme_name, config.parent)
    try:
        return chosen_theme(load_charta(config), config.parent)
    except ChartaError:
        return find_theme(DEFAULT, config.parent)  # the first build shows the mistake


def _warnings(charta: Charta, on: datetime.date) -> list[str]:
    found = []
    if charta.url is None:
        found.append(
            f"{charta.file}: url: not set, so charta.json carries relative links only "
            "(set url: to the page's public address)"
        )
    if charta.review_by is not None:
        place = charta.places["review_by"]
        where = f"{charta.file}:{place.line}:{place.column}: review_by"
        days = (charta.review_by - on).days
        if days < 0:
            found.append(
                f"{where}: the review date {charta.review_by} has passed; "
                "look the charta over and set a new date"
            )
        elif days <= 30:
            found.append(f"{where}: the review is due in {days} days ({charta.review_by})")
    return found


def _stale_schema(project: Path) -> list[str]:
    """The editor's schema beside charta.yaml (`charta init` writes it) is this format's."""
    path = project / CHARTA_FILE
    try:
        written = path.read_bytes()
    except OSError:
        return []
    if written == dump(charta_schema()):
        return []
    return [
        f"{path}: not the schema of this Kontaktcharta's format, so your editor may miss keys "
        f"or mark right ones (refresh it: charta schema > {path})"
    ]
