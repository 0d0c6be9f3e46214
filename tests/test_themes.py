"""Themes that build on others: what a theme lacks comes from the theme it extends."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.themes import available, find_theme
from kontaktcharta.verify import parse, text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "charta.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project without themes of its own."""
    shutil.copy(EXAMPLE, tmp_path / "charta.yaml")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    return tmp_path


def theme(project: Path, name: str, files: dict[str, str]) -> None:
    """Write a theme of the project: its files by path."""
    for path, content in files.items():
        (project / "themes" / name / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "themes" / name / path).write_text(content, "utf-8")


def page(project: Path, name: str) -> str:
    """The charta page built with a theme."""
    return render_site(project / "charta.yaml", name).files["index.html"].decode()


def without_style(html: str) -> str:
    """A page without the content of its style sheet."""
    return re.sub(r"<style>.*?</style>", "<style></style>", html, flags=re.S)


def test_a_theme_with_only_a_style_sheet_is_the_theme_it_extends_in_other_colours(
    project: Path,
) -> None:
    files = {"theme.yaml": "extends: cards\n", "style.css": "body{color:navy}"}
    theme(project, "navy", {**files, "templates/.keep": ""})
    navy, cards = page(project, "navy"), page(project, "cards")
    assert "<style>body{color:navy}</style>" in navy
    assert without_style(navy) == without_style(cards)


def test_a_theme_changes_one_word_and_keeps_the_others(project: Path) -> None:
    theme(
        project,
        "worded",
        {"templates/.keep": "", "words.yaml": "de:\n  platforms: 'Ich bin auf:'\n"},
    )
    tree = parse(page(project, "worded"))
    assert text(tree.css_first(".platforms")).startswith("Ich bin auf:")
    assert "Stand:" in text(tree.css_first("footer")), "the other words are the default's"


DETAILS = (
    '<p><a href="{{ charta.owner.url }}">{{ charta.owner.name }}</a></p>'
    '<p><time datetime="{{ charta.updated }}">{{ charta.updated }}</time> '
    '<time datetime="{{ charta.review_by }}">{{ charta.review_by }}</time> '
    "{{ charta.based_on.text }}</p>\n"
)
"""What a footer of one's own must still show of the charta (`charta verify` checks it)."""


def test_a_theme_overrides_one_template_of_the_theme_it_extends(project: Path) -> None:
    colophon = "<p>Von {{ charta.owner.name }}</p>\n" + DETAILS
    theme(
        project, "short", {"theme.yaml": "extends: cards\n", "templates/_colophon.html": colophon}
    )
    tree = parse(page(project, "short"))
    assert text(tree.css_first("footer")).startswith("Von Erika Musterfrau ")
    assert tree.css_first("ul.cards") is not None, "the rest is the cards theme's"


def test_a_project_theme_named_like_a_built_in_one_builds_on_it(project: Path) -> None:
    theme(project, "default", {"templates/_colophon.html": "<p>Eigene Fußzeile</p>\n" + DETAILS})
    own = {"theme.yaml": "extends: cards\n", "style.css": "body{color:teal}", "templates/.keep": ""}
    theme(project, "cards", own)
    own_default = parse(page(project, "default"))
    assert text(own_default.css_first("footer")).startswith("Eigene Fußzeile ")
    assert own_default.css_first("h1") is not None, "the rest is the built-in default's"
    mine, built_in = project / "themes", ROOT / "themes"
    assert find_theme("cards", project).folders == (
        mine / "cards",
        built_in / "cards",
        mine / "default",
        built_in / "default",
    )
    own_cards = page(project, "cards")
    assert "<style>body{color:teal}</style>" in own_cards
    assert "Eigene Fußzeile" in own_cards, "its default is the project's own"


def test_the_built_in_cards_theme_holds_only_what_differs() -> None:
    cards = find_theme("cards", ROOT)
    assert [folder.name for folder in cards.folders] == ["cards", "default"]
    own = {p.relative_to(cards.folder).as_posix() for p in cards.folder.rglob("*") if p.is_file()}
    default = cards.folders[1]
    for name in own - {"theme.yaml", "README.md"}:
        assert (cards.folder / name).read_bytes() != (default / name).read_bytes(), name


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a/theme.yaml": "extends: b\n", "b/theme.yaml": "extends: a\n"},
            "themes extend each other: a → b → a",
        ),
        ({"a/theme.yaml": "extends: nowhere\n"}, "unknown theme 'nowhere'"),
        ({"a/theme.yaml": "extend: cards\n"}, "expected `extends: <theme>` (or `extends: null`)"),
        ({"a/theme.yaml": "extends: [cards]\n"}, "extends: expected a theme's name"),
        ({"a/theme.yaml": "extends: null\n"}, "template not found: index.html"),
    ],
)
def test_a_theme_that_cannot_be_put_together_is_named(
    project: Path, files: dict[str, str], message: str
) -> None:
    for path, content in files.items():
        name, _, file = path.partition("/")
        theme(project, name, {file: content, "templates/.keep": ""})
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", "a")
    assert message in raised.value.format()


def test_a_style_sheet_that_would_end_its_element_is_named(project: Path) -> None:
    theme(project, "broken", {"templates/.keep": "", "style.css": "p{}</style><p>"})
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", "broken")
    assert raised.value.format() == (
        f"{project / 'themes' / 'broken' / 'style.css'}: must not contain `</style`"
    )


def test_every_theme_found_builds_the_example(project: Path) -> None:
    for name in available(ROOT):
        site = render_site(ROOT / "charta.yaml", name)
        assert "index.html" in site.files and "embed.html" in site.files, name
