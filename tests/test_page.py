"""The HTML page made from a charta: anchors, order, words, themes, overrides, extra pages."""

from __future__ import annotations

import dataclasses
import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markupsafe import Markup

from kontaktcharta.errors import ChartaError
from kontaktcharta.extra_pages import ExtraPage, load_extra_pages
from kontaktcharta.model import (
    Alternative,
    Charta,
    Criterion,
    Declined,
    Owner,
    Platform,
    Section,
    Text,
)
from kontaktcharta.page import Renderer
from kontaktcharta.themes import Theme, find_theme

ROOT = Path(__file__).resolve().parents[1]
REVISION = "sha256:" + "0" * 64
MD = MarkdownIt("commonmark", {"html": False})


def inline(source: str) -> Text:
    """An inline Markdown text as the loader would make it."""
    return Text(source, Markup(MD.renderInline(source)), source.replace("*", ""))


def block(source: str) -> Text:
    """A block Markdown text as the loader would make it."""
    return Text(source, Markup(MD.render(source)), source)


def make_charta(lang: str = "de", intro: str | None = "Hallo & willkommen.") -> Charta:
    """A small charta with markup and an ampersand in its texts."""
    return Charta(
        charta=1,
        lang=lang,
        title="Kontaktcharta & Regeln",
        owner=Owner(name="Erika Musterfrau", url="https://erika.example/"),
        updated=datetime.date(2026, 11, 21),
        url="https://erika.example/kontaktcharta/",
        intro=block(intro) if intro else None,
        accept=Section(
            name="accept",
            title="Ich freue mich über Kontakte",
            criteria=(
                Criterion(id="met", text=inline("zu Menschen, denen ich *begegnet* bin")),
                Criterion(
                    id="customers",
                    text=inline("zu Kunden & [Partnern](https://p.example/?a=1&b=2)"),
                ),
            ),
        ),
        decline=Section(
            name="decline",
            title="Ich lehne Kontakte ab, wenn",
            criteria=(
                Criterion(id="slogan", text=inline("die Einladung nur einen „Spruch“ enthält")),
            ),
        ),
        goal=block("Eine überschaubare Liste."),
        declined=Declined(
            title="Abgelehnt \N{EN DASH} was jetzt?",
            text=block("Nicht persönlich nehmen."),
            alternatives=(Alternative(text=inline("Kontakt merken"), url="https://xing.example/"),),
        ),
    )


class Tree(HTMLParser):
    """Elements with their attributes, text and raw inner HTML, in document order."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.starts = [0]
        for line in source.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.elements: list[dict[str, str]] = []
        self.stack: list[tuple[str, dict[str, str], int]] = []
        self.feed(source)

    def position(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "br", "hr", "img", "input"):
            self.elements.append({"tag": tag, **{k: v or "" for k, v in attrs}})
            return
        end = self.position() + len(self.get_starttag_text() or "")
        self.stack.append((tag, {k: v or "" for k, v in attrs}, end))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, attrs, start = self.stack.pop()
            if name == tag:
                inner = self.source[start : self.position()]
                self.elements.append({"tag": tag, **attrs, "inner": inner})
                return

    def find(self, **attrs: str) -> list[dict[str, str]]:
        """Every element whose attributes include `attrs` (`tag` names the element)."""
        return [e for e in self.elements if all(e.get(k) == v for k, v in attrs.items())]


def text_of(element: dict[str, str]) -> str:
    """An element's text, tags dropped and whitespace collapsed."""
    parser = HTMLParser(convert_charrefs=True)
    parts: list[str] = []
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(element["inner"])
    return " ".join("".join(parts).split())


@pytest.fixture
def theme() -> Theme:
    """The built-in default theme."""
    return find_theme("default", ROOT)


def test_each_criterion_has_its_anchor_its_exact_html_and_a_link_to_itself(
    theme: Theme,
) -> None:
    charta = make_charta()
    tree = Tree(Renderer(theme, None).page(charta, REVISION, []))
    for section in (charta.accept, charta.decline):
        for criterion in section.criteria:
            anchor = f"{section.name}-{criterion.id}"
            [element] = tree.find(id=anchor)
            assert element["tag"] == "li"
            assert element["data-criterion"] == criterion.id
            inside = Tree(element["inner"])
            [text] = inside.find(tag="span")
            assert "data-criterion-text" in text
            assert text["inner"] == str(criterion.text.html)
            [link] = [a for a in inside.find(tag="a") if a["href"] == f"#{anchor}"]
            assert link["aria-label"] == "Direktlink" and text_of(link) == "#"


def test_the_platforms_are_named_with_their_use_and_all_of_is_said(theme: Theme) -> None:
    charta = dataclasses.replace(
        make_charta(),
        platforms=(
            Platform(id="xing", name="XING", use="business"),
            Platform(id="facebook", name="Facebook", use="private"),
        ),
        accept=dataclasses.replace(make_charta().accept, match="all"),
    )
    tree = Tree(Renderer(theme, None).page(charta, REVISION, []))
    [platforms] = tree.find(tag="p", **{"class": "platforms"})
    assert text_of(platforms) == "Gilt auf: XING (beruflich) · Facebook (privat)"
    [all_of] = tree.find(tag="p", **{"class": "all-of"})
    assert text_of(all_of) == "Alle Punkte müssen zutreffen."
    assert not Tree(Renderer(theme, None).page(make_charta(), REVISION, [])).find(
        tag="p", **{"class": "all-of"}
    ), "under match: any no such line"


def test_sections_follow_the_contract_order_with_their_titles(theme: Theme) -> None:
    charta = make_charta()
    tree = Tree(Renderer(theme, None).page(charta, REVISION, []))
    [h1] = tree.find(tag="h1")
    assert text_of(h1) == charta.title
    order = [e["id"] for e in tree.elements if e["tag"] == "section"]
    ids = {"accept", "decline", "goal", "declined"}
    assert [i for i in order if i in ids] == ["accept", "decline", "goal", "declined"]
    for name, title in [
        ("accept", charta.accept.title),
        ("decline", charta.decline.title),
        ("declined", charta.declined.title),
    ]:
        [section] = tree.find(tag="section", id=name)
        assert text_of(Tree(section["inner"]).find(tag="h2")[0]) == title


def test_head_names_revision_policy_and_canonical(theme: Theme) -> None:
    charta = make_charta()
    tree = Tree(Renderer(theme, None).page(charta, REVISION, []))
    assert tree.find(tag="meta", name="charta-revision")[0]["content"] == REVISION
    assert tree.find(tag="link", rel="alternate", type="application/json")[0]["href"] == (
        "charta.json"
    )
    assert tree.find(tag="link", rel="canonical")[0]["href"] == charta.url
    assert tree.find(tag="meta", property="og:locale")[0]["content"] == "de_DE"
    assert not tree.find(tag="script")
    assert "<style>" in tree.source and "/*" not in tree.source


@pytest.mark.parametrize(
    ("lang", "updated", "date"),
    [
        ("de", "Stand", "21. November 2026"),
        ("de-AT", "Stand", "21. November 2026"),
        ("en", "Last updated", "21 November 2026"),
        ("fr", "Last updated", "21 November 2026"),
    ],
)
def test_footer_speaks_the_chartas_language(
    theme: Theme, lang: str, updated: str, date: str
) -> None:
    tree = Tree(Renderer(theme, None).page(make_charta(lang), REVISION, []))
    [footer] = tree.find(tag="footer")
    [time] = tree.find(tag="time")
    assert time["datetime"] == "2026-11-21"
    assert text_of(time) == date
    assert f"{updated}: {date}" in text_of(footer)


def test_description_is_cut_at_a_word_boundary(theme: Theme) -> None:
    long = "Wort " * 60
    tree = Tree(Renderer(theme, None).page(make_charta(intro=long), REVISION, []))
    description = tree.find(tag="meta", name="description")[0]["content"]
    assert len(description) <= 160
    assert description.endswith("Wort…")


def test_description_without_intro_names_title_and_owner(theme: Theme) -> None:
    tree = Tree(Renderer(theme, None).page(make_charta(intro=None), REVISION, []))
    description = tree.find(tag="meta", name="description")[0]["content"]
    assert description == "Kontaktcharta & Regeln \N{EN DASH} Erika Musterfrau"


def test_an_override_replaces_one_template(theme: Theme, tmp_path: Path) -> None:
    (tmp_path / "_colophon.html").write_text("<p>Eigene Fußzeile von {{ charta.owner.name }}</p>\n")
    tree = Tree(Renderer(theme, tmp_path).page(make_charta(), REVISION, []))
    [footer] = tree.find(tag="footer")
    assert text_of(footer) == "Eigene Fußzeile von Erika Musterfrau"
    assert tree.find(tag="li", id="accept-met"), "the rest of the theme still renders"


def test_unknown_theme_lists_the_available_ones(tmp_path: Path) -> None:
    (tmp_path / "themes" / "mine" / "templates").mkdir(parents=True)
    assert find_theme("mine", tmp_path).folder == tmp_path / "themes" / "mine"
    with pytest.raises(ChartaError) as error:
        find_theme("nope", tmp_path)
    assert "unknown theme 'nope'" in str(error.value)
    listed = str(error.value).partition("available themes: ")[2].split(", ")
    assert {"default", "mine"} <= set(listed)
    assert listed == sorted(listed)


def test_extra_page_links_back_and_is_in_the_footer(theme: Theme) -> None:
    charta = make_charta()
    page = ExtraPage("impressum", "Impressum", Markup("<p>Angaben</p>\n"))
    tree = Tree(Renderer(theme).extra_page(charta, REVISION, [page], page))
    [h1] = tree.find(tag="h1")
    assert text_of(h1) == "Impressum"
    assert tree.find(tag="a", href="index.html")
    assert tree.find(tag="a", href="impressum.html")[0]["aria-current"] == "page"
    assert tree.find(tag="link", rel="canonical")[0]["href"] == (
        "https://erika.example/kontaktcharta/impressum.html"
    )
    index = Tree(Renderer(theme, None).page(charta, REVISION, [page]))
    assert text_of(index.find(tag="a", href="impressum.html")[0]) == "Impressum"


def test_extra_page_titles(tmp_path: Path) -> None:
    (tmp_path / "b-front.md").write_text("---\ntitle: Vorne\n---\n# Bleibt\n")
    (tmp_path / "a-heading.md").write_text("Vorab.\n\n# Aus der Überschrift\n\nText\n")
    (tmp_path / "c-stem.md").write_text("Nur Text.\n")
    (tmp_path / "_draft.md").write_text("# Entwurf\n")
    pages = load_extra_pages(tmp_path)
    assert [(p.slug, p.title) for p in pages] == [
        ("a-heading", "Aus der Überschrift"),
        ("b-front", "Vorne"),
        ("c-stem", "C stem"),
    ]
    assert "<h1>" not in pages[0].html, "the heading became the title, not a second h1"
    assert "<h1>Bleibt</h1>" in pages[1].html


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("---\ntitle: [a\n---\n", ":2:1:"),
        ("---\ntitle: Gut\nfarbe: rot\n---\n", ":3:1:"),
        ("---\ntitle: Offen\n", ":1:1:"),
    ],
)
def test_bad_front_matter_names_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    (tmp_path / "impressum.md").write_text(text)
    with pytest.raises(ChartaError) as error:
        load_extra_pages(tmp_path)
    assert f"impressum.md{where}" in str(error.value)


def test_the_examples_impressum_is_filled_in_for_its_made_up_owner() -> None:
    from kontaktcharta.extra_pages import leftovers

    pages = {p.slug: p for p in load_extra_pages(ROOT / "site_src" / "pages")}
    page = pages["impressum"]
    assert page.title == "Impressum"
    assert "Erika Musterfrau" in page.html and "erfunden" in page.html
    assert leftovers(ROOT / "site_src" / "pages") == [], "no starter placeholder left"
