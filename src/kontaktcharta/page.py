"""Render the validated charta into its HTML page and the extra pages (Impressum etc.)."""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
import yaml
from markupsafe import Markup

from .errors import ChartaError, Problem
from .keys import SLUG
from .lang import folder as lang_folder
from .lang import primary
from .markdown import UnsafeLink
from .model import Charta
from .yamlfile import FAST_LOADER

POLICY_HREF = "charta.json"
DESCRIPTION_LIMIT = 160
FALLBACK_LANG = "en"
DASH = "\N{EN DASH}"
# Each language named in itself, for the language switch.
LANGUAGE_NAMES = {
    "da": "Dansk",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "sv": "Svenska",
}

# og:locale needs a territory; these are the usual ones where the tag names none.
_TERRITORIES = {
    "da": "DK",
    "de": "DE",
    "en": "US",
    "es": "ES",
    "fr": "FR",
    "it": "IT",
    "nl": "NL",
    "pl": "PL",
    "pt": "PT",
    "sv": "SE",
}
_H1 = re.compile(r"#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CSS_STRING_OR_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/", re.S)
_CSS_STRING = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')")
_CSS_SPACE = re.compile(r"\s*([{};,>])\s*|(:)\s+|\s+")


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme: templates, `style.css` and `words.yaml` in one folder."""

    name: str
    """The folder's name, as given to `--theme`."""
    folder: Path
    """`themes/<name>/`."""


def _theme_roots(project: Path) -> list[Path]:
    here = Path(__file__).resolve()
    return [project / "themes", here.parent / "themes", here.parents[2] / "themes"]


def find_theme(name: str, project: Path) -> Theme:
    """Find a theme in the project's `themes/`, else among the built-in themes."""
    roots = _theme_roots(project)
    if name and name == Path(name).name and not name.startswith("."):
        for root in roots:
            if (root / name / "templates").is_dir():
                return Theme(name, root / name)
    available = sorted(
        {
            p.name
            for root in roots
            if root.is_dir()
            for p in root.iterdir()
            if (p / "templates").is_dir()
        }
    )
    listed = ", ".join(available) if available else "none"
    raise ChartaError.single(
        f"themes/{name}", f"unknown theme {name!r}; available themes: {listed}", "theme"
    )


def render_page(
    charta: Charta,
    revision: str,
    theme: Theme,
    overrides: Path | None,
    pages: Sequence[ExtraPage],
    languages: Sequence[str] = (),
) -> str:
    """Render one language's charta page; `languages` lists every language, the main one first."""
    context = _context(charta, revision, theme, pages, None, languages)
    return _render(theme, overrides, "index.html", context)


def render_extra_page(
    charta: Charta,
    revision: str,
    theme: Theme,
    overrides: Path | None,
    pages: Sequence[ExtraPage],
    page: ExtraPage,
) -> str:
    """Render `output/<slug>.html` for one extra page."""
    context = _context(charta, revision, theme, pages, page, ())
    return _render(theme, overrides, "page.html", context)


def _context(
    charta: Charta,
    revision: str,
    theme: Theme,
    pages: Sequence[ExtraPage],
    page: ExtraPage | None,
    languages: Sequence[str],
) -> dict[str, Any]:
    words = load_words(theme, charta.lang)
    main = languages[0] if languages else charta.lang
    root = "" if charta.lang == main else "../"
    if page is None:
        canonical = charta.url
        if charta.intro is not None and charta.intro.plain.strip():
            description = shorten(charta.intro.plain)
        else:
            description = shorten(f"{charta.title} {DASH} {charta.owner.name}")
    else:
        canonical = urljoin(charta.url, page.href) if charta.url else None
        description = shorten(f"{page.title} {DASH} {charta.title}, {charta.owner.name}")
    return {
        "charta": charta,
        "revision": revision,
        "canonical": canonical,
        "description": description,
        "css": Markup(minify_css(_read(theme.folder / "style.css"))),
        "pages": list(pages),
        "page": page,
        "policy_href": root + POLICY_HREF,
        "root": root,
        "languages": [_language(lang, main, root, charta) for lang in languages],
        "words": words,
        "og_locale": og_locale(charta.lang),
        "date": functools.partial(format_date, words=words),
    }


def _language(lang: str, main: str, root: str, charta: Charta) -> dict[str, Any]:
    """One entry of the language switch and the hreflang alternates."""
    folder = "" if lang == main else lang_folder(lang)
    base = charta.url if lang == charta.lang else None
    if charta.url:
        site = urljoin(charta.url, root or "./")
        base = urljoin(site, folder)
    return {
        "lang": lang,
        "name": LANGUAGE_NAMES.get(primary(lang), lang),
        "href": (root + folder) or "./",
        "url": base or (root + folder) or "./",
        "current": lang == charta.lang,
    }


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Collapse whitespace and cut at a word boundary, ending in `…` when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(f" ,;:-{DASH}") + "…"


def og_locale(lang: str) -> str | None:
    """Turn a BCP 47 tag into an Open Graph locale (`de` → `de_DE`, `en-GB` → `en_GB`)."""
    parts = lang.replace("_", "-").split("-")
    primary = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    region = region or _TERRITORIES.get(primary)
    return f"{primary}_{region}" if region and primary.isalpha() else None


def format_date(day: datetime.date, words: Mapping[str, Any]) -> str:
    """Write a date in the words' language, e.g. `21. November 2026`; ISO without words."""
    months = words.get("months")
    pattern = words.get("date")
    if not isinstance(pattern, str) or not isinstance(months, list) or len(months) != 12:
        return day.isoformat()
    return pattern.format(day=day.day, month=months[day.month - 1], year=day.year)


@functools.lru_cache(maxsize=8)  # a build reads the file once per page, and serve rebuilds often
def _parse_words(text: str) -> Any:
    return yaml.load(text, Loader=FAST_LOADER)


def load_words(theme: Theme, lang: str) -> dict[str, Any]:
    """The theme's words for the primary subtag of `lang`, filled up from English."""
    path = theme.folder / "words.yaml"
    if not path.is_file():
        return {}
    try:
        data = _parse_words(_read(path))
    except yaml.YAMLError as error:
        raise ChartaError.single(str(path), f"not valid YAML: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ChartaError.single(str(path), "expected a mapping of language → mapping of words")
    return {**data.get(FALLBACK_LANG, {}), **data.get(primary(lang), {})}


@functools.lru_cache(maxsize=16)  # each page and each language minifies the same sheets
def minify_css(css: str) -> str:
    """Strip comments and needless whitespace, leaving quoted strings alone."""
    css = _CSS_STRING_OR_COMMENT.sub(lambda m: m.group(1) or "", css)
    parts = _CSS_STRING.split(css)
    for i in range(0, len(parts), 2):
        parts[i] = _CSS_SPACE.sub(lambda m: m.group(1) or m.group(2) or " ", parts[i])
    text = "".join(parts).strip().replace(";}", "}")
    # The CSS sits inside <style>; a closing tag in it would end the element early.
    if "</style" in text.lower():
        raise ChartaError.single("style.css", "must not contain `</style`")
    return text


def load_extra_pages(folder: Path, md: Callable[[str], str]) -> list[ExtraPage]:
    """Read `folder/*.md` into extra pages, sorted by slug; `md` renders block Markdown."""
    if not folder.is_dir():
        return []
    pages = []
    for path in sorted(folder.glob("*.md")):
        if path.name.startswith((".", "_")) or not path.is_file():
            continue
        pages.append(_extra_page(path, md))
    return sorted(pages, key=lambda p: p.slug)


def _extra_page(path: Path, md: Callable[[str], str]) -> ExtraPage:
    slug = path.stem
    if not SLUG.fullmatch(slug) or slug == "index":
        raise ChartaError.single(
            str(path),
            "an extra page needs a file name like `impressum.md` (lower-case letters, digits,"
            " hyphens; not `index`), because it becomes the page's address",
        )
    lines = _read(path).splitlines()
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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ChartaError.single(str(path), f"cannot read: {error}") from None


def _render(theme: Theme, overrides: Path | None, name: str, context: dict[str, Any]) -> str:
    extra = overrides.absolute() if overrides is not None and overrides.is_dir() else None
    # Absolute, so that two projects in one process (tests, serve) never share a cached loader.
    env = _environment((theme.folder / "templates").absolute(), extra)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        file = error.filename or error.name or name
        source = (error.source or "").splitlines()
        line = source[error.lineno - 1] if 0 < error.lineno <= len(source) else ""
        problem = Problem(file, error.lineno, 1, "", error.message or "syntax error", line)
        raise ChartaError([problem]) from None
    except jinja2.TemplateNotFound as error:
        raise ChartaError.single(str(theme.folder), f"template not found: {error.name}") from None
    except jinja2.TemplateError as error:
        raise ChartaError.single(f"{theme.name}/{name}", f"template error: {error}") from None


_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


@functools.lru_cache(maxsize=8)
def _environment(templates: Path, overrides: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None:
        loaders.append(jinja2.FileSystemLoader(overrides))
    loaders.append(jinja2.FileSystemLoader(templates))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), bytecode_cache=_compiled_templates(), **_OPTIONS
    )


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates as an earlier build compiled them, in Jinja's own folder for that in the
    system's temp folder: compiling them is a third of a small build's own time. An entry is
    found by the template's file and these options, and used only for the same source."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"kontaktcharta {sorted(_OPTIONS.items())} {name}", filename)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:  # unreadable: compile as if there were no cache
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a full or read-only disk costs the next build time
            super().dump_bytecode(bucket)


@functools.cache
def _compiled_templates() -> jinja2.BytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no safe temp folder: compile every time
        return None


def forget_templates() -> None:
    """Drop the cached template environments, so the next render sees templates added or removed."""
    _environment.cache_clear()


def render_fragment(
    charta: Charta, revision: str, theme: Theme, overrides: Path | None, name: str, css: str
) -> str:
    """Render a template that is not a whole page (`embed.html`) with `css` as its style sheet."""
    context = {**_context(charta, revision, theme, (), None, ()), "css": Markup(css)}
    return _render(theme, overrides, name, context)
