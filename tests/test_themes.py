"""Themes that build on others: what a theme lacks comes from the theme it extends."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

import kontaktcharta
from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.themes import available, built_in_folder, find_theme
from kontaktcharta.verify import parse, text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "charta.yaml"
SOURCE = Path(kontaktcharta.__file__).resolve().parent
"""The folder of the kontaktcharta package under test."""


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
            "{b}:1:10: extends: themes extend each other: a → b → a\n"
            "    extends: a\n"
            "             ^",
        ),
        (
            {"a/theme.yaml": "# mine\nextends: nowhere\n"},
            "{a}:2:10: extends: unknown theme 'nowhere'; available themes: a, cards, default\n"
            "    extends: nowhere\n"
            "             ^",
        ),
        (
            {"a/theme.yaml": "extend: cards\n"},
            "{a}:1:1: extend: unknown key (did you mean 'extends'?)\n    extend: cards\n    ^",
        ),
        (
            {"a/theme.yaml": "extends: cards\ncolour: red\n"},
            "{a}:2:1: colour: unknown key (expected `extends: <theme>` or `extends: null`)\n"
            "    colour: red\n"
            "    ^",
        ),
        (
            {"a/theme.yaml": "extends: [cards]\n"},
            "{a}:1:10: extends: expected a theme's name, or null (a theme that stands alone)\n"
            "    extends: [cards]\n"
            "             ^",
        ),
        (
            {"a/theme.yaml": "extends: cards\nextends: default\n"},
            "{a}:2:1: extends: duplicate key (a theme extends one theme)\n"
            "    extends: default\n"
            "    ^",
        ),
        (
            {"a/theme.yaml": "- cards\n"},
            "{a}:1:1: expected `extends: <theme>` or `extends: null`\n    - cards\n    ^",
        ),
        (
            {"a/theme.yaml": "extends: [cards\n"},
            "{a}:1:10: YAML syntax: the file ends before this bracket is closed "
            "(add the closing ] or }})\n"
            "    extends: [cards\n"
            "             ^",
        ),
        (
            {"a/theme.yaml": "extends: null\n"},
            "{folder}: template not found: index.html",
        ),
    ],
    ids=[
        "cycle",
        "unknown-theme",
        "misspelt-key",
        "unknown-key",
        "not-a-name",
        "twice",
        "not-a-mapping",
        "yaml-syntax",
        "stands-alone-without-templates",
    ],
)
def test_a_theme_that_cannot_be_put_together_is_named_where_it_says_so(
    project: Path, files: dict[str, str], message: str
) -> None:
    for path, content in files.items():
        name, _, file = path.partition("/")
        theme(project, name, {file: content, "templates/.keep": ""})
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", "a")
    themes = project / "themes"
    assert raised.value.format() == message.format(
        a=themes / "a" / "theme.yaml", b=themes / "b" / "theme.yaml", folder=themes / "a"
    )


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


# The theme: key, --theme and installed themes


def choose(project: Path, value: str) -> None:
    """Write `theme: <value>` into the project's charta (at line 11, before `updated`)."""
    config = project / "charta.yaml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("\nupdated:", f"\ntheme: {value}\nupdated:", 1), "utf-8")


def install(site: Path, distribution: str, themes: dict[str, dict[str, str]]) -> None:
    """Install a distribution into `site` (a folder on sys.path) as pip would lay it out: one
    package per theme, each with its files by path, named in the entry point group."""
    info = site / f"{distribution.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n")
    points = "".join(f"{name} = {name}_theme\n" for name in themes)
    (info / "entry_points.txt").write_text(f"[kontaktcharta.themes]\n{points}")
    for name, files in themes.items():
        for path, content in {"__init__.py": "", **files}.items():
            (site / f"{name}_theme" / path).parent.mkdir(parents=True, exist_ok=True)
            (site / f"{name}_theme" / path).write_text(content, "utf-8")


@pytest.fixture
def site(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    installed_themes: list[Path],
) -> Path:
    """A folder on sys.path, outside the project, where `install` puts distributions: the one
    place installed themes are found in a test (conftest.installed_themes)."""
    folder = tmp_path_factory.mktemp("site-packages")
    monkeypatch.syspath_prepend(str(folder))
    installed_themes.append(folder)
    return folder


NAVY = {"theme.yaml": "extends: cards\n", "style.css": "body{color:navy}"}


def test_the_theme_key_names_a_built_in_theme(project: Path) -> None:
    choose(project, "cards")
    assert render_site(project / "charta.yaml").files == render_site(EXAMPLE, "cards").files


def test_the_theme_key_takes_a_folder_from_the_charta_s_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "looks" / "navy").mkdir(parents=True)
    for name, content in NAVY.items():
        (project / "looks" / "navy" / name).write_text(content, "utf-8")
    choose(project, "./looks/navy")
    monkeypatch.chdir(tmp_path.parent)  # not the charta's folder
    site = render_site(project / "charta.yaml")
    assert site.theme.folders[0] == project / "looks" / "navy"
    assert "<style>body{color:navy}</style>" in site.files["index.html"].decode()


def test_the_theme_option_overrides_the_key(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kontaktcharta.cli import main

    choose(project, "nosuch")  # not even looked up
    monkeypatch.chdir(project)
    assert main(["build", "--quiet", "--theme", "cards"]) == 0
    assert 'ul class="cards"' in (project / "output" / "index.html").read_text("utf-8")
    theme(project, "navy", NAVY)
    assert main(["build", "--quiet", "--theme", "./themes/navy"]) == 0, "a folder from here"
    assert "body{color:navy}" in (project / "output" / "index.html").read_text("utf-8")
    assert capsys.readouterr() == ("", "")


def test_an_unknown_theme_is_shown_at_the_key_and_the_output_is_kept(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kontaktcharta.cli import main

    monkeypatch.chdir(project)
    assert main(["build", "--quiet"]) == 0
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    theme(project, "mine", {"theme.yaml": "extends: cards\n"})
    choose(project, "fancy")
    assert main(["build", "--quiet"]) == 1
    assert capsys.readouterr() == (
        "",
        "charta.yaml:11:8: theme: unknown theme 'fancy'; available themes: cards, default, mine\n"
        "    theme: fancy\n"
        "           ^\n",
    )
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("./missing", "no theme folder './missing' ({project}/missing is not a folder)"),
        (
            "./site_src/pages",
            "'./site_src/pages' is not a theme folder: {project}/site_src/pages has "
            "neither templates/ nor theme.yaml",
        ),
        (
            "looks",
            "unknown theme 'looks'; available themes: cards, default "
            "(a folder is written with a slash: ./looks)",
        ),
    ],
)
def test_a_theme_folder_that_is_none_is_shown_at_the_key(
    project: Path, value: str, message: str
) -> None:
    (project / "looks").mkdir()
    (project / "looks" / "theme.yaml").write_text("extends: cards\n", "utf-8")
    choose(project, value)
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", label="charta.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.path) == (11, "theme")
    assert problem.message == message.format(project=project)


def test_the_policy_does_not_carry_the_theme(project: Path) -> None:
    choose(project, "cards")
    chosen = render_site(project / "charta.yaml").files
    plain = render_site(EXAMPLE, "cards").files
    assert chosen["charta.json"] == plain["charta.json"]
    assert "theme" not in chosen["charta.json"].decode()


def test_an_installed_theme_is_found_by_name_and_extends_another(project: Path, site: Path) -> None:
    install(site, "kontaktcharta-navy", {"navy": NAVY})
    install(site, "kontaktcharta-teal", {"teal": {"theme.yaml": "extends: navy\n"}})
    assert {"navy", "teal"} <= set(available(project))
    choose(project, "teal")
    built = render_site(project / "charta.yaml")
    assert [folder.name for folder in built.theme.folders] == [
        "teal_theme",
        "navy_theme",
        "cards",
        "default",
    ]
    assert "<style>body{color:navy}</style>" in built.files["index.html"].decode()
    assert built.warnings == render_site(EXAMPLE).warnings, "nothing to say about it"


def test_a_project_theme_of_an_installed_one_s_name_builds_on_it(project: Path, site: Path) -> None:
    install(site, "kontaktcharta-navy", {"navy": NAVY})
    theme(project, "navy", {"theme.yaml": "extends: navy\n", "style.css": "body{color:teal}"})
    found = find_theme("navy", project)
    assert found.folders[:2] == (project / "themes" / "navy", site.resolve() / "navy_theme")


def test_an_installed_theme_cannot_replace_a_built_in_one(project: Path, site: Path) -> None:
    install(site, "kontaktcharta-fake", {"cards": NAVY, "navy": NAVY})
    assert find_theme("cards", project).folders == find_theme("cards", ROOT).folders
    chosen = find_theme("navy", project)  # the installed themes are read for this one
    assert chosen.warnings == (
        "the installed theme 'cards' of kontaktcharta-fake is not used: cards is a built-in "
        "theme, which an installed one cannot replace",
    )
    assert available(project).count("cards") == 1


def built(project: Path) -> str:
    """What a build of the project's charta says, where it fails (the charta as charta.yaml)."""
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", label="charta.yaml")
    return raised.value.format()


def test_a_theme_two_distributions_install_is_refused_where_it_is_chosen(
    project: Path, site: Path
) -> None:
    install(site, "kontaktcharta-navy", {"navy": NAVY})
    (site / "other-1.0.dist-info").mkdir()
    (site / "other-1.0.dist-info" / "METADATA").write_text("Name: other\nVersion: 1.0\n")
    (site / "other-1.0.dist-info" / "entry_points.txt").write_text(
        "[kontaktcharta.themes]\nnavy = navy_theme\n"
    )
    choose(project, "navy")
    assert built(project) == (
        "charta.yaml:11:8: theme: 'navy' is installed twice, by kontaktcharta-navy and other; "
        "uninstall one of them\n"
        "    theme: navy\n"
        "           ^"
    )
    with pytest.raises(ChartaError) as raised:
        find_theme("navy", project)
    assert raised.value.format() == (
        "--theme: 'navy' is installed twice, by kontaktcharta-navy and other; uninstall one of them"
    )
    theme(project, "mine", {"theme.yaml": "extends: navy\n"})  # asked for by another theme
    with pytest.raises(ChartaError) as raised:
        find_theme("mine", project)
    assert raised.value.format().splitlines() == [
        f"{project / 'themes' / 'mine' / 'theme.yaml'}:1:10: extends: 'navy' is installed twice, "
        "by kontaktcharta-navy and other; uninstall one of them",
        "    extends: navy",
        "             ^",
    ]


UNUSABLE = "the installed theme 'navy' cannot be used: kontaktcharta-navy's entry point navy = "


@pytest.mark.parametrize(
    ("package", "files", "message"),
    [
        (
            "gone_theme",
            {},
            "'gone_theme' in kontaktcharta.themes names a package that is not installed; a theme "
            "is the folder of a package",
        ),
        (
            "navy_theme:folder",
            {},
            "'navy_theme:folder' in kontaktcharta.themes is not a package's name (expected one "
            "such as navy_theme); a theme is the folder of a package",
        ),
        (
            "navy_theme.nothing",
            {},
            "'navy_theme.nothing' in kontaktcharta.themes names a package that is not installed; "
            "a theme is the folder of a package",
        ),
        (
            "plain",
            {"plain.py": ""},
            "'plain' in kontaktcharta.themes names a module, not a package; a theme is the folder "
            "of a package",
        ),
        (
            "empty_theme",
            {"empty_theme/__init__.py": ""},
            "'empty_theme' in kontaktcharta.themes names {site}/empty_theme, which is no theme (it "
            "has neither templates/ nor theme.yaml)",
        ),
    ],
    ids=["not-installed", "object", "inner-not-installed", "module", "no-theme"],
)
def test_an_installed_theme_that_cannot_be_used_is_left_out_and_refused_where_it_is_chosen(
    project: Path, site: Path, package: str, files: dict[str, str], message: str
) -> None:
    install(site, "kontaktcharta-navy", {"navy": NAVY})
    for path, content in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(content, "utf-8")
    points = site / "kontaktcharta_navy-1.0.dist-info" / "entry_points.txt"
    points.write_text(f"[kontaktcharta.themes]\nnavy = {package}\n")
    assert available(project) == ["cards", "default"]
    choose(project, "navy")
    assert built(project) == (
        f"charta.yaml:11:8: theme: {UNUSABLE}{message.format(site=site.resolve())}\n"
        "    theme: navy\n"
        "           ^"
    )
    config = project / "charta.yaml"  # another name: the list of themes, which leaves it out
    config.write_text(config.read_text("utf-8").replace("theme: navy", "theme: navi"), "utf-8")
    assert built(project).splitlines()[0] == (
        "charta.yaml:11:8: theme: unknown theme 'navi'; available themes: cards, default"
    )


def test_finding_an_installed_theme_runs_no_code_of_a_package_around_it(
    project: Path, site: Path, tmp_path: Path
) -> None:
    install(site, "kontaktcharta-navy", {"navy": NAVY})
    ran = tmp_path / "ran"
    (site / "outer").mkdir()
    (site / "outer" / "__init__.py").write_text(
        f"import pathlib\npathlib.Path({str(ran)!r}).touch()\n", "utf-8"
    )
    (site / "navy_theme").rename(site / "outer" / "navy_theme")
    points = site / "kontaktcharta_navy-1.0.dist-info" / "entry_points.txt"
    points.write_text("[kontaktcharta.themes]\nnavy = outer.navy_theme\n")
    assert "navy" in available(project)
    assert find_theme("navy", project).folder == site.resolve() / "outer" / "navy_theme"
    assert not ran.exists(), "outer/__init__.py ran"
    assert "outer" not in sys.modules


def test_the_built_in_themes_are_in_one_exact_folder(tmp_path: Path) -> None:
    # An installed wheel: pyproject.toml puts themes/ into the package.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wheel = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"themes": "kontaktcharta/themes"}
    lib = tmp_path / "prefix" / "lib" / "python3.11"
    package = lib / "site-packages" / "kontaktcharta"
    (package / "themes" / "default" / "templates").mkdir(parents=True)
    (lib / "themes" / "stray" / "templates").mkdir(parents=True)  # not the package's
    assert built_in_folder(package) == package / "themes"
    shutil.rmtree(package / "themes")
    assert built_in_folder(package) is None, "a folder that is not the package's counted"
    # A source checkout: themes/ beside src/ and pyproject.toml.
    checkout = tmp_path / "checkout"
    (checkout / "src" / "kontaktcharta").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("", "utf-8")
    assert built_in_folder(checkout / "src" / "kontaktcharta") == checkout / "themes"
    assert built_in_folder(SOURCE) == ROOT / "themes" == find_theme("cards", ROOT).folders[0].parent


def test_an_installed_theme_is_checked_as_a_project_s_is(project: Path, site: Path) -> None:
    hiding = {"theme.yaml": "extends: default\n", "style.css": ".criteria{display:none}"}
    install(site, "kontaktcharta-sly", {"sly": hiding})
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", "sly")
    assert "sly theme: index.html: the page and the policy differ: " in raised.value.format()
    assert "display: none" in raised.value.format()
    install(site, "kontaktcharta-leak", {"leak": {"theme.yaml": "extends: default\n"}})
    (site / "leak_theme" / "static").mkdir()
    (site / "leak_theme" / "static" / "secret").symlink_to(site / "kontaktcharta_sly-1.0.dist-info")
    with pytest.raises(ChartaError) as raised:
        render_site(project / "charta.yaml", "leak")
    assert "is a link to" in raised.value.format()
    assert "outside the project" in raised.value.format()


def test_serve_watches_the_theme_the_charta_names(project: Path) -> None:
    from kontaktcharta.build import theme_of

    theme(project, "navy", NAVY)
    choose(project, "navy")
    config = project / "charta.yaml"
    assert theme_of(config).folders[0] == project / "themes" / "navy"
    assert theme_of(config, "cards").folders == find_theme("cards", ROOT).folders
    config.write_text(config.read_text("utf-8").replace("lang: de", "lang: 42"), "utf-8")
    assert theme_of(config).name == "default", "the first build will show the mistake"
