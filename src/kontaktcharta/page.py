"""The charta page, its extra pages and the embed, rendered by a theme with Jinja.

One Renderer serves one build: it owns the template environment, the theme's words and its
minified style sheets, read once for the build and gone with it (a server builds again with a
new one, so nothing is left over from an earlier build).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import jinja2
import yaml
from markupsafe import Markup

from .errors import ChartaError, Problem, read_file
from .lang import folder as lang_folder
from .lang import primary
from .model import Charta
from .outputs import LanguageFile
from .themes import Theme
from .verify import compare
from .yamlfile import FAST_LOADER

if TYPE_CHECKING:
    from .outputs import Page

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
_CSS_STRING_OR_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/", re.S)
_CSS_STRING = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')")
_CSS_SPACE = re.compile(r"\s*([{};,>])\s*|(:)\s+|\s+")
_CSS_LEADING_ZERO = re.compile(r"(?<![\w.#-])0(\.\d)")
EMBED = "embed.html"
"""The embed's template in `templates/`."""
EMBED_STYLE = "embed.css"
"""The embed's style sheet beside the theme's `style.css`; every selector starts with the scope."""


class Renderer:
    """Renders the pages of one build with a theme and the project's template overrides."""

    def __init__(self, theme: Theme, overrides: Path | None = None) -> None:
        self.theme = theme
        folders = [] if overrides is None or not overrides.is_dir() else [overrides]
        loader = jinja2.FileSystemLoader([*folders, *theme.templates()])
        self.environment = jinja2.Environment(
            loader=loader, bytecode_cache=_compiled_templates(), **_OPTIONS
        )
        self._words: dict[str, dict[str, Any]] | None = None
        self._css: dict[str, Markup] = {}

    def page(
        self,
        charta: Charta,
        revision: str,
        pages: Sequence[Page] = (),
        languages: Sequence[str] = (),
    ) -> str:
        """One language's charta page; `languages` lists every language, the main one first."""
        context = self.context(charta, revision, pages, None, languages)
        return self._render("index.html", context)

    def extra_page(self, charta: Charta, revision: str, pages: Sequence[Page], page: Page) -> str:
        """`output/<slug>.html` for one extra page."""
        return self._render("page.html", self.context(charta, revision, pages, page, ()))

    def embed(self, charta: Charta, revision: str) -> str:
        """One language's embed fragment, with the theme's `embed.css` as its style sheet."""
        context = {**self.context(charta, revision, (), None, ()), "css": self.css(EMBED_STYLE)}
        return self._render(EMBED, context)

    def words(self, lang: str) -> dict[str, Any]:
        """The theme's words for the primary subtag of `lang`, filled up from English."""
        if self._words is None:
            self._words = read_words(self.theme)
        return words_in(self._words, lang)

    def css(self, name: str) -> Markup:
        """A style sheet of the theme (the nearest that has it), minified; empty where none."""
        if name not in self._css:
            path = self.theme.file(name)
            css = minify_css(read_file(path), str(path)) if path is not None else ""
            self._css[name] = Markup(css)
        return self._css[name]

    def context(
        self,
        charta: Charta,
        revision: str,
        pages: Sequence[Page],
        page: Page | None,
        languages: Sequence[str],
    ) -> dict[str, Any]:
        """What every template receives (docs/themes.md, "Template context")."""
        words = self.words(charta.lang)
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
            "css": self.css("style.css"),
            "pages": list(pages),
            "page": page,
            "policy_href": root + POLICY_HREF,
            "root": root,
            "languages": [_language(lang, main, root, charta) for lang in languages],
            "words": words,
            "og_locale": og_locale(charta.lang),
            "date": functools.partial(format_date, words=words),
        }

    def _render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as error:
            file = error.filename or error.name or name
            source = (error.source or "").splitlines()
            line = source[error.lineno - 1] if 0 < error.lineno <= len(source) else ""
            problem = Problem(file, error.lineno, 1, "", error.message or "syntax error", line)
            raise ChartaError([problem]) from None
        except jinja2.TemplateNotFound as error:
            raise ChartaError.single(
                str(self.theme.folder), f"template not found: {error.name}"
            ) from None
        except jinja2.TemplateError as error:
            raise ChartaError.single(
                f"{self.theme.name}/{name}", f"template error: {error}"
            ) from None


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


def read_words(theme: Theme) -> dict[str, dict[str, Any]]:
    """A theme's words by language (`words.yaml`): its own over those of the theme it extends."""
    found: dict[str, dict[str, Any]] = {}
    for folder in reversed(theme.folders):
        path = folder / "words.yaml"
        if not path.is_file():
            continue
        try:
            data = yaml.load(read_file(path), Loader=FAST_LOADER)
        except yaml.YAMLError as error:
            raise ChartaError.single(str(path), f"not valid YAML: {error}") from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise ChartaError.single(str(path), "expected a mapping of language → mapping of words")
        for language, words in data.items():
            found[language] = {**found.get(language, {}), **words}
    return found


def words_in(words: Mapping[str, Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """The words for the primary subtag of `lang` (`de-AT` → `de`), filled up from English."""
    return {**words.get(FALLBACK_LANG, {}), **words.get(primary(lang), {})}


def minify_css(css: str, file: str = "style.css") -> str:
    """Strip comments, needless whitespace and the 0 of `0.5`, leaving quoted strings alone."""
    css = _CSS_STRING_OR_COMMENT.sub(lambda m: m.group(1) or "", css)
    parts = _CSS_STRING.split(css)
    for i in range(0, len(parts), 2):
        parts[i] = _CSS_SPACE.sub(lambda m: m.group(1) or m.group(2) or " ", parts[i])
        parts[i] = _CSS_LEADING_ZERO.sub(r"\1", parts[i])  # 0.5rem is .5rem
    text = "".join(parts).strip().replace(";}", "}")
    # The CSS sits inside <style>; a closing tag in it would end the element early.
    if "</style" in text.lower():
        raise ChartaError.single(file, "must not contain `</style`")
    return text


_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


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
    """The one on-disk store of compiled templates (made once per process: finding the temp
    folder safely takes a moment). It holds no state of a build: an entry is checked against
    the template's source every time."""
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no safe temp folder: compile every time
        return None


PAGE = LanguageFile(
    "index.html",
    "the page",
    "theme",
    lambda build, version: build.renderer.page(
        version, build.revision, build.pages, build.languages
    ),
    compare,
)
"""The charta page of each language: `index.html`, `en/index.html`."""
