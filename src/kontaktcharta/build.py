"""One build: load → render the page and the policy → verify they agree → write atomically."""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import discovery, embed, markdown_page
from . import page as pages
from .errors import ChartaError, Problem
from .lang import folder
from .markdown import render_block
from .model import Charta
from .output import write_site
from .policy import dump, localize, render_policy
from .schema import POLICY_FILE as SCHEMA_FILE
from .schema import policy_schema
from .verify import compare, compare_embed, compare_file

GENERATED = ("index.html", "charta.json", SCHEMA_FILE, discovery.FILE)
LANGUAGE_FILES = ("index.html", embed.FILE, markdown_page.FILE)
"""What the build writes for each language, the main one in the root, the others in `<lang>/`."""


@dataclass(frozen=True, slots=True)
class Site:
    """A rendered site, in memory until it is written."""

    charta: Charta
    """The model it was made from."""
    files: dict[str, bytes]
    """Relative path → content, sorted by path."""
    warnings: tuple[str, ...]
    """Things the owner should know that do not stop the build."""


def today() -> datetime.date:
    """The build date: SOURCE_DATE_EPOCH where set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


def render_site(config: Path, theme_name: str = "default", shown: str | None = None) -> Site:
    """Everything `output/` will hold, verified; nothing is written."""
    from .load import load_charta

    charta = load_charta(config, shown or str(config))
    project = config.parent
    theme = pages.find_theme(theme_name, project)
    overrides = project / "site_src" / "templates"
    extra = pages.load_extra_pages(
        project / "site_src" / "pages", lambda text: str(render_block(text).html)
    )
    policy = render_policy(charta)
    revision = policy["revision"]
    files = _static(theme.folder / "static") | _static(project / "site_src" / "static")
    languages = [charta.lang, *(t.lang for t in charta.translations)]
    made = {
        p + n for p in ("", *(folder(t.lang) for t in charta.translations)) for n in LANGUAGE_FILES
    }
    clash = sorted(set(files) & {*GENERATED, *made, *(p.href for p in extra)})
    if clash:
        raise ChartaError.single(
            str(project / "site_src" / "static"), f"{clash[0]} would replace a file the build makes"
        )
    embedder = embed.embed_theme(theme, project)
    default_theme = pages.find_theme("default", project)
    problems = []
    for version in (charta, *charta.translations):
        prefix = "" if version is charta else folder(version.lang)
        local = localize(policy, version.lang)
        html = pages.render_page(version, revision, theme, overrides, extra, languages)
        problems += _differ(
            f"{theme.name} theme", f"{prefix}index.html", "the page", compare(html, local)
        )
        fragment = embed.render_embed(version, revision, embedder, overrides)
        problems += _differ(
            f"{embedder.name} theme",
            f"{prefix}{embed.FILE}",
            "the embed",
            compare_embed(fragment, local),
        )
        words = pages.load_words(default_theme, version.lang)
        markdown = markdown_page.render_markdown(version, words)
        problems += _differ(
            "Kontaktcharta",
            f"{prefix}{markdown_page.FILE}",
            "the Markdown page",
            compare_file("markdown", markdown, local),
        )
        files[f"{prefix}index.html"] = html.encode()
        files[f"{prefix}{embed.FILE}"] = fragment.encode()
        files[f"{prefix}{markdown_page.FILE}"] = markdown.encode()
    if problems:
        raise ChartaError(problems)
    for extra_page in extra:
        files[extra_page.href] = pages.render_extra_page(
            charta, revision, theme, overrides, extra, extra_page
        ).encode()
    files["charta.json"] = dump(policy)
    files[SCHEMA_FILE] = dump(policy_schema(charta.url))
    files[discovery.FILE] = dump(discovery.render_pointer(charta))
    return Site(charta, dict(sorted(files.items())), tuple(_warnings(charta, today())))


def build(
    config: Path, out: Path, theme_name: str = "default", shown: str | None = None
) -> tuple[Site, float]:
    """Render, verify and write a site; return it and the seconds taken."""
    start = time.perf_counter()
    site = render_site(config, theme_name, shown)
    write_site(site.files, out)
    return site, time.perf_counter() - start


def _differ(source: str, name: str, what: str, differences: list[str]) -> list[Problem]:
    """One problem per way a rendered file and the policy differ."""
    return [Problem(source, 0, 0, name, f"{what} and the policy differ: {d}") for d in differences]


def _static(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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
