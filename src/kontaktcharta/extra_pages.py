"""Extra pages: each `site_src/pages/*.md` becomes a page of its own, linked from the footer."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup

from .errors import ChartaError, Problem, read_file
from .keys import SLUG
from .markdown import UnsafeLink, render_block
from .outputs import Build, Difference, language_paths

if TYPE_CHECKING:
    from .outputs import Files

_H1 = re.compile(r"#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True, eq=False)
class ExtraPage:
    """A page from `site_src/pages/*.md`, linked from the footer."""

    slug: str
    """The file stem, e.g. `impressum`; the page is written to `<slug>.html`."""
    title: str
    """The page's heading and `<title>`."""
    html: Markup
    """The rendered body."""

    @property
    def href(self) -> str:
        """The page's address relative to the charta page."""
        return f"{self.slug}.html"


def load_extra_pages(folder: Path) -> list[ExtraPage]:
    """Read `folder/*.md` (`site_src/pages/`) into extra pages, sorted by slug."""
    pages = [_extra_page(path, _html) for path in _page_files(folder)]
    return sorted(pages, key=lambda p: p.slug)


def _page_files(folder: Path) -> list[Path]:
    """The Markdown files of `site_src/pages/` that are pages (not hidden, not `_partial.md`)."""
    if not folder.is_dir():
        return []
    return [
        path
        for path in sorted(folder.glob("*.md"))
        if not path.name.startswith((".", "_")) and path.is_file()
    ]


def _extra_page(path: Path, md: Callable[[str], str]) -> ExtraPage:
    slug = path.stem
    if not SLUG.fullmatch(slug) or slug == "index":
        raise ChartaError.single(
            str(path),
            "an extra page needs a file name like `impressum.md` (lower-case letters, digits,"
            " hyphens; not `index`), because it becomes the page's address",
        )
    lines = read_file(path).splitlines()
    title, body_start = _front_matter(path, lines)
    body = lines[body_start:]
    if title is None:
        title, body = _heading_title(body)
    if title is None:
        title = slug.replace("-", " ").capitalize()
    try:
        return ExtraPage(slug, title, Markup(md("\n".join(body) + "\n")))
    except UnsafeLink as error:
        line = lines.index(_first_unsafe_line(body, md), body_start) + 1
        raise _page_error(path, lines, line, str(error)) from None


def _first_unsafe_line(body: list[str], md: Callable[[str], str]) -> str:
    """The body line that ends the first unsafe link or image: the shortest failing start."""
    good, bad = 0, len(body)  # body[:good] renders, body[:bad] does not
    while bad - good > 1:
        middle = (good + bad) // 2
        try:
            md("\n".join(body[:middle]) + "\n")
            good = middle
        except UnsafeLink:
            bad = middle
    return body[bad - 1]


def _front_matter(path: Path, lines: list[str]) -> tuple[str | None, int]:
    """The front matter's `title` and the index of the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    if end is None:
        raise _page_error(path, lines, 1, "front matter opened with `---` is never closed")
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = (error.problem_mark.line + 2) if error.problem_mark else 1
        raise _page_error(path, lines, line, f"front matter: {error.problem}") from None
    if node is None:
        return None, end + 1
    if not isinstance(node, yaml.MappingNode):
        raise _page_error(path, lines, node.start_mark.line + 2, "front matter must be a mapping")
    title = None
    for key, value in node.value:
        line = key.start_mark.line + 2
        if key.value != "title":
            raise _page_error(path, lines, line, f"unknown key {key.value!r}; expected `title`")
        if title is not None:
            raise _page_error(path, lines, line, "duplicate key 'title'")
        if not (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str")):
            raise _page_error(path, lines, line, "`title` must be text")
        title = str(value.value).strip()
        if not title:
            raise _page_error(path, lines, line, "`title` must not be empty")
    return title, end + 1


def _heading_title(body: list[str]) -> tuple[str | None, list[str]]:
    """Take the first `# ` heading outside code fences as the title, out of the body."""
    fence: str | None = None
    for i, line in enumerate(body):
        opener = _FENCE.match(line)
        if opener:
            mark = opener.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is None:
            heading = _H1.fullmatch(line)
            if heading and heading.group(1):
                return heading.group(1), body[:i] + body[i + 1 :]
    return None, body


def _page_error(path: Path, lines: list[str], line: int, message: str) -> ChartaError:
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return ChartaError([Problem(str(path), line, 1, "", message, source)])


def _html(source: str) -> str:
    return str(render_block(source).html)


class ExtraPages:
    """The extra pages, each as `<slug>.html` beside the charta page."""

    source = "theme"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        for page in build.pages:
            html = build.renderer.extra_page(build.charta, build.revision, build.pages, page)
            yield page.href, html.encode()

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        """What every HTML page of the site but the charta's pages and embeds says to link
        previews and of the owner's profiles, held to the policy as a charta page's is
        (preview.py): the extra pages, and any static page, which a deployed folder does not
        tell apart from them. They show nothing else of the policy."""
        from selectolax.lexbor import LexborHTMLParser

        from .markup import elements_of
        from .preview import head_problems

        charta_pages = {
            path
            for name in ("index.html", "embed.html")
            for _, path in language_paths(policy, name)
        }
        for name in files.names():
            if name.lower().rsplit(".", 1)[-1] not in ("html", "htm") or name in charta_pages:
                continue
            try:
                text = files.read(name)
            except OSError:
                continue  # visitor.OTHER_FILES says why
            if text is None:
                continue
            elements = [(node, node.attributes) for node in elements_of(LexborHTMLParser(text))]
            for message in head_problems(elements, policy, page=name):
                yield Difference(name, message, "the page")


EXTRA_PAGES = ExtraPages()


def leftovers(folder: Path) -> list[str]:
    """A warning for each extra page that still holds a placeholder of `charta init`'s starter
    (`[First name Last name]`), with the line of the first."""
    placeholders = _starter_placeholders()
    found: list[str] = []
    for path in _page_files(folder):
        for number, line in enumerate(read_file(path).splitlines(), 1):
            hit = next((p for p in placeholders if p in line), None)
            if hit is not None:
                found.append(
                    f"{path}:{number}: still holds the starter's placeholder {hit}; "
                    "put in your own details (or delete the page if you need none)"
                )
                break
    return found


@functools.cache
def _starter_placeholders() -> tuple[str, ...]:
    """The bracketed placeholders of the starter's pages, in every language."""
    from importlib import resources

    found: list[str] = []
    starter = resources.files("kontaktcharta").joinpath("starter")
    for lang in starter.iterdir():
        pages = lang.joinpath("site_src", "pages")
        for page in pages.iterdir() if pages.is_dir() else ():
            found += re.findall(r"\[[^\]\n]+\](?!\()", page.read_text("utf-8"))
    return tuple(dict.fromkeys(found))
