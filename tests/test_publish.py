"""Publishing elsewhere: embed.html for blogs, charta.md built by Hugo and Jekyll, discovery."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import tinycss2
from selectolax.lexbor import LexborNode

from kontaktcharta.build import build
from kontaktcharta.cli import main
from kontaktcharta.embed import compare_embed, unscoped_selectors
from kontaktcharta.markdown_page import as_html
from kontaktcharta.outputs import localize
from kontaktcharta.verify import compare, parse, text, top_level

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal.yaml"
LANGUAGES = {"de": "", "en": "en/"}
"""The example's languages and where each one's files go."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example charta built into a fresh output folder."""
    out = tmp_path_factory.mktemp("publish") / "output"
    build(ROOT / "charta.yaml", out)
    return out


@pytest.fixture(scope="module")
def policy(site: Path) -> dict[str, Any]:
    """The example's charta.json."""
    data: dict[str, Any] = json.loads((site / "charta.json").read_text("utf-8"))
    return data


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project as the current folder."""
    shutil.copy(ROOT / "charta.yaml", tmp_path / "charta.yaml")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21
    return tmp_path


def elements(markup: str) -> list[LexborNode]:
    """The top-level elements of a fragment; text between them must be blank."""
    nodes = top_level(parse(markup))
    assert all(node.tag != "-text" for node in nodes)
    return nodes


def assert_anchors(markup: str, policy: dict[str, Any]) -> None:
    """Every section and criterion anchor is there, with its data-criterion, its text and a
    link to itself."""
    by_id = {e.attributes["id"]: e for e in parse(markup).css("[id]")}
    assert {"accept", "decline", "declined"} <= set(by_id)
    for section in ("accept", "decline"):
        for criterion in policy[section]["criteria"]:
            anchor = f"{section}-{criterion['id']}"
            element = by_id[anchor]
            assert element.attributes["data-criterion"] == criterion["id"]
            shown = element.css_first("[data-criterion-text]")
            assert shown is not None and text(shown) == " ".join(criterion["text"].split())
            assert element.css_first(f'a[href="#{anchor}"]') is not None, anchor


def test_every_export_exists_for_every_language(site: Path) -> None:
    for prefix in LANGUAGES.values():
        for name in ("index.html", "embed.html", "charta.md"):
            assert (site / prefix / name).is_file(), prefix + name
    assert (site / ".well-known" / "kontaktcharta.json").is_file()


def test_embed_is_one_element_in_the_language_of_its_page(site: Path) -> None:
    for lang, prefix in LANGUAGES.items():
        [top] = elements((site / prefix / "embed.html").read_text("utf-8"))
        assert (top.tag, top.attributes["class"], top.attributes["lang"]) == (
            "div",
            "kontaktcharta",
            lang,
        )
        assert [e.tag for e in top.css("h1, h2")] == ["h2"]
        assert not top.css("script, link, meta")


def scoped(css: str) -> list[str]:
    """Every selector of a style sheet, as tinycss2 parses it; fails on an at-rule that leaks."""
    selectors = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule":
            assert rule.lower_at_keyword in ("media", "supports"), rule.at_keyword
            selectors += scoped(tinycss2.serialize(rule.content or []))
            continue
        assert rule.type == "qualified-rule", rule
        selectors += [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
    return selectors


EMBED_CSS = sorted((ROOT / "themes").glob("*/embed.css"))


@pytest.mark.parametrize("path", EMBED_CSS, ids=[p.parent.name for p in EMBED_CSS])
def test_embed_css_is_scoped_to_the_embed(path: Path) -> None:
    selectors = scoped(path.read_text("utf-8"))
    assert len(selectors) > 5
    for selector in selectors:
        # the root itself, or something inside it: a descendant or child, never a sibling
        assert selector == ".kontaktcharta" or selector.startswith(
            (".kontaktcharta ", ".kontaktcharta>")
        ), selector
        assert not selector[len(".kontaktcharta") :].lstrip(" >").startswith(("+", "~")), selector


def test_the_built_embed_carries_the_scoped_css(site: Path) -> None:
    [top] = elements((site / "embed.html").read_text("utf-8"))
    [style] = top.css("style")
    css = style.text(deep=True)
    assert scoped(css) == scoped((ROOT / "themes" / "default" / "embed.css").read_text("utf-8"))


def test_embed_and_markdown_carry_every_anchor(site: Path, policy: dict[str, Any]) -> None:
    for lang, prefix in LANGUAGES.items():
        local = localize(policy, lang)
        embed = (site / prefix / "embed.html").read_text("utf-8")
        markdown = as_html((site / prefix / "charta.md").read_text("utf-8"))
        assert_anchors(embed, local)
        assert_anchors(markdown, local)
        assert compare_embed(embed, local) == []
        assert compare(markdown, local, fragment=True) == []


def test_markdown_front_matter_is_what_hugo_and_jekyll_read(site: Path) -> None:
    import yaml

    text = (site / "en" / "charta.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "title": "My contact charter",
        "description": (
            "On XING and LinkedIn I keep my working relationships: with clients, partners and "
            "people I actually do something with. Since I regularly receive requests I do…"
        ),
        "date": datetime.date(2026, 11, 21),
        "lastmod": datetime.date(2026, 11, 21),
        "lang": "en",
        "url": "/kontaktcharta/en/",
        "permalink": "/kontaktcharta/en/",
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda e: f"<p>Hallo</p>\n{e}",
            'the fragment is not one <div class="kontaktcharta"> element',
        ),
        (
            lambda e: e.replace('lang="de"', 'lang="en"', 1),
            "lang: the fragment says 'en', the policy 'de'",
        ),
        (lambda e: e.replace("<h2", "<h3", 1).replace("</h2>", "</h3>", 1), None),
        (
            lambda e: e.replace('class="kc-title">', 'class="kc-title">Die ', 1),
            "title: the first heading says 'Die Meine Kontaktcharta', "
            "the policy 'Meine Kontaktcharta'",
        ),
    ],
)
def test_embed_rules(site: Path, policy: dict[str, Any], change: Any, problem: str | None) -> None:
    embed = change((site / "embed.html").read_text("utf-8"))
    assert compare_embed(embed, policy) == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("css", "unscoped"),
    [
        (".kontaktcharta{} .kontaktcharta li:target, .kontaktcharta>p{}", []),
        ("body, .kontaktcharta p, :root{}", ["body", ":root"]),
        (
            ".kontaktcharta + p{} .kontaktcharta ~ *{} .kontaktcharta li + li{}",
            [".kontaktcharta + p", ".kontaktcharta ~ *"],
        ),
        (".kontaktcharta-x p{} .kontaktcharta:not(.a, .b) > li{}", [".kontaktcharta-x p"]),
        (
            '@media print{.kontaktcharta p{content:"}"} h1{}} @import url(x.css);',
            ["h1", "@import url(x.css)"],
        ),
        (
            "@font-face{font-family:x} /* p{} */ .kontaktcharta{& + p{}}",
            ["@font-face", ".kontaktcharta (a nested rule)"],
        ),
    ],
)
def test_unscoped_selectors(css: str, unscoped: list[str]) -> None:
    assert unscoped_selectors(css, ".kontaktcharta") == unscoped


def test_a_broken_embed_override_fails_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = (ROOT / "themes" / "default" / "templates" / "embed.html").read_text("utf-8")
    (project / "site_src" / "templates").mkdir(exist_ok=True)
    (project / "site_src" / "templates" / "embed.html").write_text(
        template.replace("<h3>{{ section.title }}</h3>", "<h3>{{ section.title | upper }}</h3>")
        .replace(  # a criterion bound to platforms ends in a full stop the policy lacks
            "{{ criteria_items(section) -}}",
            '{% for c in section.criteria %}{% set a = section.name ~ "-" ~ c.id %}'
            '<li id="{{ a }}" data-criterion="{{ c.id }}"><span data-criterion-text>{{ c.text }}'
            '{{ "." if c.platforms }}</span> <a href="#{{ a }}">#</a></li>\n{% endfor %}',
        )
        .replace("<h2", "<style>p { color: red }</style>\n<h2"),
        "utf-8",
    )
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "default theme: embed.html: the embed and the policy differ: accept.title: the page says "
        "'ICH NEHME KONTAKTE GERN AN', the policy 'Ich nehme Kontakte gern an'",
        "default theme: embed.html: the embed and the policy differ: decline.title: the page says "
        "'ICH LEHNE KONTAKTE AB, WENN', the policy 'Ich lehne Kontakte ab, wenn'",
        "default theme: embed.html: the embed and the policy differ: decline.criteria[7] "
        "(business-on-facebook): the page shows 'die Anfrage auf Facebook kommt, wir uns aber "
        "nur beruflich kennen.', the policy says 'die Anfrage auf Facebook kommt, wir uns aber "
        "nur beruflich kennen'",
        "default theme: embed.html: the embed and the policy differ: the CSS reaches outside "
        ".kontaktcharta: p",
        "default theme: en/embed.html: the embed and the policy differ: accept.title: the page "
        "says 'I GLADLY ACCEPT REQUESTS', the policy 'I gladly accept requests'",
        "default theme: en/embed.html: the embed and the policy differ: decline.title: the page "
        "says 'I DECLINE REQUESTS WHEN', the policy 'I decline requests when'",
        "default theme: en/embed.html: the embed and the policy differ: decline.criteria[7] "
        "(business-on-facebook): the page shows 'the request comes on Facebook, but we only know "
        "each other through work.', the policy says 'the request comes on Facebook, but we only "
        "know each other through work'",
        "default theme: en/embed.html: the embed and the policy differ: the CSS reaches outside "
        ".kontaktcharta: p",
        "8 problems found.",
    ]
    assert not (project / "output").exists()


def test_a_theme_without_an_embed_uses_the_default_one(project: Path) -> None:
    theme = project / "themes" / "plain"
    shutil.copytree(ROOT / "themes" / "default", theme)
    (theme / "templates" / "embed.html").unlink()
    (theme / "embed.css").unlink()
    assert main(["build", "--quiet", "--theme", "plain", "--out", "plain"]) == 0
    assert main(["build", "--quiet", "--out", "default"]) == 0
    for prefix in LANGUAGES.values():
        made = (project / "plain" / prefix / "embed.html").read_bytes()
        assert made == (project / "default" / prefix / "embed.html").read_bytes()


def test_verify_checks_embed_and_markdown(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--quiet"]) == 0
    for name, old in (
        ("embed.html", "Ich nehme Kontakte gern an"),
        ("en/charta.md", "I gladly accept requests"),
    ):
        path = project / "output" / name
        path.write_text(path.read_text("utf-8").replace(old, "Nope", 1), "utf-8")
    assert main(["verify"]) == 1
    assert capsys.readouterr().err == (
        "output: embed.html: accept.title: the page says 'Nope', the policy "
        "'Ich nehme Kontakte gern an'\n"
        "output: en/charta.md: accept.title: the page says 'Nope', the policy "
        "'I gladly accept requests'\n"
        "output: the site does not verify (2 problems)\n"
    )


def test_well_known_points_at_the_policy_and_every_page(site: Path) -> None:
    pointer = json.loads((site / ".well-known" / "kontaktcharta.json").read_text("utf-8"))
    assert pointer == {
        "charta": 1,
        "policy": "https://erika.example/kontaktcharta/charta.json",
        "pages": {
            "de": "https://erika.example/kontaktcharta/",
            "en": "https://erika.example/kontaktcharta/en/",
        },
    }


def test_well_known_without_url_is_relative_to_its_place(tmp_path: Path) -> None:
    build(MINIMAL, tmp_path / "out")
    pointer = json.loads((tmp_path / "out" / ".well-known" / "kontaktcharta.json").read_text())
    assert pointer == {"charta": 1, "policy": "../charta.json", "pages": {"de": "../"}}


def program(name: str) -> str:
    """The path of a site generator; in CI both must be there (.ci/run installs them)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


HUGO_CONFIG = """\
baseURL = "https://erika.example/"
languageCode = "de"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[markup.goldmark.renderer]
unsafe = true
"""
JEKYLL_CONFIG = """\
url: https://erika.example
title: SUBSTITUTED
defaults:
  - scope: {path: ""}
    values: {layout: page}
"""
LAYOUT = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1>
{content}
</main></body></html>
"""


def hugo_builds(markdown: dict[str, Path], tmp_path: Path) -> Path:
    """Build a Hugo site whose content is the named charta.md files; return its output folder.

    Fails on any error of Hugo's, such as a shortcode it does not know.
    """
    hugo = program("hugo")
    source = tmp_path / "hugo"
    (source / "content").mkdir(parents=True)
    (source / "layouts" / "_default").mkdir(parents=True)
    (source / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    (source / "layouts" / "_default" / "single.html").write_text(
        LAYOUT.format(lang="{{ .Params.lang }}", title="{{ .Title }}", content="{{ .Content }}")
    )
    (source / "layouts" / "index.html").write_text("<!doctype html><title>Home</title>\n")
    for name, path in markdown.items():
        shutil.copy(path, source / "content" / name)
    public = tmp_path / "public"
    subprocess.run(
        [hugo, "--quiet", "--noBuildLock", "--source", str(source), "--destination", str(public)],
        check=True,
        capture_output=True,
        env={**os.environ, "HUGO_CACHEDIR": str(tmp_path / "cache")},
    )
    return public


def jekyll_builds(markdown: dict[str, Path], tmp_path: Path) -> Path:
    """Build a Jekyll site of the named charta.md files; return its output folder.

    Fails on any error of Jekyll's, such as an include it cannot find.
    """
    jekyll = program("jekyll")
    source = tmp_path / "jekyll"
    (source / "_layouts").mkdir(parents=True)
    (source / "_config.yml").write_text(JEKYLL_CONFIG, "utf-8")
    (source / "_layouts" / "page.html").write_text(
        LAYOUT.format(lang="{{ page.lang }}", title="{{ page.title }}", content="{{ content }}")
    )
    for name, path in markdown.items():
        shutil.copy(path, source / name)
    public = tmp_path / "public"
    subprocess.run(
        [
            jekyll,
            "build",
            "--quiet",
            "--disable-disk-cache",
            "--source",
            str(source),
            "--destination",
            str(public),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    return public


def test_hugo_builds_charta_md_with_every_anchor(
    site: Path, policy: dict[str, Any], tmp_path: Path
) -> None:
    markdown = {"charta.md": site / "charta.md", "charta-en.md": site / "en" / "charta.md"}
    check_built_pages(hugo_builds(markdown, tmp_path), policy)


def test_jekyll_builds_charta_md_with_every_anchor(
    site: Path, policy: dict[str, Any], tmp_path: Path
) -> None:
    markdown = {"charta.md": site / "charta.md", "charta-en.md": site / "en" / "charta.md"}
    check_built_pages(jekyll_builds(markdown, tmp_path), policy)


TEMPLATES = (
    "{{% shortcode %}} {{< x >}} {{ .Title }} {% include x %} {{ site.title }} "
    "{::comment}versteckt{:/comment}"
)
"""Template syntax of Hugo (a shortcode of each kind, a variable), of Jekyll (Liquid) and of
kramdown, Jekyll's Markdown (an extension that hides text)."""
TEMPLATE_CHARTA = f"""\
charta: 1
lang: de
title: "Titel {TEMPLATES}"
url: https://erika.example/kontaktcharta/
owner:
  name: "Erika {TEMPLATES}"
updated: 2026-11-21
intro: "Einleitung {TEMPLATES} und Code: `{{{{< x >}}}} {{% raw %}}`"
accept:
  title: Ich nehme an
  criteria:
    - id: met
      text: "Kriterium {TEMPLATES}"
decline:
  title: Ich lehne ab
  criteria:
    - id: no-reason
      text: kein Grund trifft zu
      reason: "Grund {TEMPLATES}"
      otherwise: true
declined:
  title: "Abgelehnt {TEMPLATES}"
  text: Nehmen Sie es nicht persönlich.
  alternatives:
    - text: "Alternative {TEMPLATES}"
      url: https://erika.example/newsletter/
    - text: "Ohne Link {TEMPLATES}"
"""
"""A charta with template syntax in each kind of text charta.md holds."""
SHOWN = {
    "h1": f"Titel {TEMPLATES}",
    "[data-criterion=met] [data-criterion-text]": f"Kriterium {TEMPLATES}",
    "h2#declined": f"Abgelehnt {TEMPLATES}",
    "li a[href='https://erika.example/newsletter/']": f"Alternative {TEMPLATES}",
    "p code": "{{< x >}} {% raw %}",
}
"""Elements of the built page and the text each must show, as written in the charta."""


@pytest.mark.parametrize("generator", ["hugo", "jekyll", "a Markdown viewer"])
def test_template_syntax_in_a_text_is_shown_as_written(tmp_path: Path, generator: str) -> None:
    config = tmp_path / "charta.yaml"
    config.write_text(TEMPLATE_CHARTA, "utf-8")
    out = tmp_path / "output"
    build(config, out)
    policy = json.loads((out / "charta.json").read_text("utf-8"))
    assert policy["decline"]["criteria"][0]["reason"] == f"Grund {TEMPLATES}"  # not in charta.md
    if generator == "a Markdown viewer":
        page = as_html((out / "charta.md").read_text("utf-8"))
    else:
        builds = hugo_builds if generator == "hugo" else jekyll_builds
        public = builds({"charta.md": out / "charta.md"}, tmp_path / generator)
        page = (public / "kontaktcharta" / "index.html").read_text("utf-8")
    tree = parse(page)
    shown = {css: [text(node) for node in tree.css(css)] for css in SHOWN}
    assert shown == {css: [expected] for css, expected in SHOWN.items()}
    body = text(tree.css_first("h1").parent)
    for label in ("Einleitung", "Erika", "Ohne Link"):
        assert f"{label} {TEMPLATES}" in body, label
    assert "SUBSTITUTED" not in page  # Jekyll's `site.title`
    assert compare(page, localize(policy, "de"), fragment=True) == []


def check_built_pages(public: Path, policy: dict[str, Any]) -> None:
    """Each language's page sits at the path of its `url` and agrees with the policy."""
    for lang, prefix in LANGUAGES.items():
        page = (public / "kontaktcharta" / prefix / "index.html").read_text("utf-8")
        local = localize(policy, lang)
        assert_anchors(page, local)
        assert compare(page, local, fragment=True) == []
        root = parse(page).root
        assert root is not None
        assert root.attributes["lang"] == lang
