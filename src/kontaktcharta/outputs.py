"""What the build writes, as a list of outputs: each renders its files from the charta and says
how a file of it is checked against the policy. The build (site.py) renders every output and
checks what it made; `charta verify` checks a built or deployed folder by the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import Markup

from .lang import folder
from .model import Charta

if TYPE_CHECKING:  # what the outputs are given, as types only: no cost at run time

    class Page(Protocol):
        """An extra page (extra_pages.Page)."""

        @property
        def title(self) -> str:
            """The page's heading."""

        @property
        def html(self) -> Markup:
            """Its body."""

        @property
        def href(self) -> str:
            """Its address beside the charta page."""

    class Renderer(Protocol):
        """Renders the theme's pages (page.Renderer)."""

        def page(
            self, charta: Charta, revision: str, pages: Sequence[Page], languages: Sequence[str]
        ) -> str:
            """One language's charta page."""

        def extra_page(
            self, charta: Charta, revision: str, pages: Sequence[Page], page: Page
        ) -> str:
            """One extra page."""

        def embed(self, charta: Charta, revision: str) -> str:
            """One language's embed fragment."""

    class Files(Protocol):
        """The files of a site, built in memory or in a folder."""

        def read(self, name: str) -> str | None:
            """A file's text, or None where there is no such file; OSError if unreadable."""

        def read_bytes(self, name: str) -> bytes | None:
            """A file's bytes (a picture's), or None where there is no such file; OSError if
            unreadable or larger than verify reads."""

        def names(self) -> list[str]:
            """Every file's path below the site, sorted."""

        def absent(self, name: str) -> str:
            """Why `read` gave None for a file: `no such file`."""

    class Output(Protocol):
        """One kind of file the build writes."""

        @property
        def source(self) -> str:
            """Who makes it, for a build that fails: `theme`, or `Kontaktcharta`."""

        def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
            """Its files by path below the output folder."""

        def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
            """How its files, where the site has them, differ from the policy."""


@dataclass(frozen=True, slots=True, eq=False)
class Build:
    """What the outputs of one build are made from."""

    charta: Charta
    """The validated charta, with its translations."""
    policy: dict[str, Any]
    """The JSON policy made from it."""
    renderer: Renderer
    """The theme's renderer for this build."""
    theme: str
    """The theme's name, for messages."""
    pages: Sequence[Page]
    """The extra pages of `site_src/pages/`."""
    project: Path
    """The folder of `charta.yaml`, with `site_src/`."""
    words: Mapping[str, Mapping[str, Any]]
    """Kontaktcharta's own words by language (the default theme's), for `charta.md`."""
    static: Sequence[Path]
    """The folders whose files are copied as they are, a later one's over an earlier one's."""

    @property
    def revision(self) -> str:
        """The policy's revision, which every page carries."""
        return str(self.policy["revision"])

    @property
    def languages(self) -> list[str]:
        """Every language, the main one first."""
        return [self.charta.lang, *(t.lang for t in self.charta.translations)]

    def versions(self) -> Iterator[tuple[str, Charta]]:
        """Each language's charta with the folder its files go in (`""`, `en/`)."""
        yield "", self.charta
        for translated in self.charta.translations:
            yield folder(translated.lang), translated


@dataclass(frozen=True, slots=True)
class Difference:
    """A way a file and the policy disagree."""

    file: str
    """The file, relative to the site: `en/embed.html`."""
    message: str
    """What differs."""
    what: str = ""
    """What the file is (`the page`), where the difference is one of its content."""


@dataclass(frozen=True, slots=True, eq=False)
class LanguageFile:
    """A file each language gets that shows the charta: the page, the embed, charta.md."""

    name: str
    """The file's name: `index.html`."""
    what: str
    """What it is called in a message: `the page`."""
    source: str
    """Who makes it: `theme` or `Kontaktcharta`."""
    make: Callable[[Build, Charta], str]
    """Renders one language's file."""
    compare: Callable[[str, Mapping[str, Any]], list[str]]
    """Every difference between one language's file and its policy."""
    required: bool = True
    """Whether a site must have it (`charta verify` checks the others where they are)."""

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        for prefix, version in build.versions():
            yield prefix + self.name, self.make(build, version).encode()

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        for lang, name in language_paths(policy, self.name):
            try:
                text = files.read(name)
            except OSError as error:
                yield Difference(name, f"cannot be read ({error.strerror})")
                continue
            if text is None:
                if self.required:
                    yield Difference(name, f"cannot be read ({files.absent(name)})")
                continue
            local = localize(policy, lang)
            for difference in self.compare(text, local):
                yield Difference(name, difference, self.what)


def language_paths(policy: Mapping[str, Any], name: str) -> Iterator[tuple[str, str]]:
    """Each language of a policy with the path of its file `name`: `index.html` for the main
    language, `en/index.html` for a translation."""
    for lang in (policy["lang"], *policy.get("translations", {})):
        yield lang, ("" if lang == policy["lang"] else folder(lang)) + name


def localize(policy: Mapping[str, Any], lang: str) -> Mapping[str, Any]:
    """The policy as one language's page says it: a translation with the document's revision."""
    if lang == policy["lang"]:
        return policy
    return {**policy["translations"][lang], "revision": policy["revision"], "translations": {}}
