"""What a visitor gets: `charta verify` fails for a page whose criteria a visitor cannot see,
that runs or loads anything, or whose other texts differ from the policy; the build fails for a
theme that does any of that."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import browser
from kontaktcharta.cli import main

ROOT = browser.ROOT
MET = '<li id="accept-met" data-criterion="met">'
HIDDEN = "criterion 'met' (accept) is hidden from visitors: "
RULE = HIDDEN + 'the CSS rule "[data-criterion=met]" sets {} on <li id="accept-met">'
LOADS = "the page loads {} from another host ({}); a charta page loads only its own files"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example charta built once with the default theme."""
    out = tmp_path_factory.mktemp("visitor") / "output"
    assert browser.build(ROOT / "charta.yaml", out) == 0
    return out


def tampered(built: Path, tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the built site with `old` (there once) replaced by `new` in `file`."""
    site = tmp_path / "site"
    shutil.copytree(built, site)
    text = (site / file).read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is in {file} {text.count(old)} times"
    (site / file).write_text(text.replace(old, new), "utf-8")
    return site


def verify(site: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    """Run `charta verify` on a folder: its exit code and its lines on stderr, folder cut off."""
    capsys.readouterr()
    code = main(["verify", *options, str(site)])
    lines = capsys.readouterr().err.splitlines()
    return code, [line.removeprefix(f"{site}: ") for line in lines]


STYLE = "</style>"
MAIN = "</main>"
CASES = {
    "css-display-none": (
        STYLE,
        "[data-criterion=met]{display:none}</style>",
        RULE.format("display: none"),
    ),
    "css-visibility-hidden": (
        STYLE,
        "[data-criterion=met]{visibility:hidden}</style>",
        RULE.format("visibility: hidden"),
    ),
    "css-font-size-0": (
        STYLE,
        "[data-criterion=met]{font-size:0}</style>",
        RULE.format("font-size: 0"),
    ),
    "css-off-screen": (
        STYLE,
        "@media (min-width:1px){[data-criterion=met]{position:absolute;left:-9999px}}</style>",
        RULE.format("left: -9999px"),
    ),
    "css-opacity-on-hover": (
        STYLE,
        "[data-criterion=met]:hover{opacity:0}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]:hover" sets opacity: 0 on <li id="accept-met">',
    ),
    "css-on-an-ancestor-in-print": (
        STYLE,
        "@media print{#accept ul{clip-path:inset(50%)}}</style>",
        HIDDEN + 'the CSS rule "#accept ul" sets clip-path: inset(50%) on <ul class="criteria">',
    ),
    "css-text-the-background-colour": (
        STYLE,
        "[data-criterion-text]{color:var(--bg);background:var(--bg)}</style>",
        HIDDEN + 'the CSS rule "[data-criterion-text]" sets color: var(--bg) on background: '
        "var(--bg) on <span>",
    ),
    "hidden-attribute": (
        MET,
        MET[:-1] + " hidden>",
        HIDDEN + '<li id="accept-met"> has the hidden attribute',
    ),
    "inline-style": (
        MET,
        MET[:-1] + ' style="font-size:0">',
        HIDDEN + '<li id="accept-met"> has style="font-size:0" (font-size: 0)',
    ),
    "closed-details": (
        '<ul class="criteria">\n' + MET,
        '<ul class="criteria">\n<details>' + MET,
        HIDDEN + "<details> is a closed <details>, whose content a browser does not show",
    ),
    "iframe-srcdoc": (
        MAIN,
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe></main>',
        (
            "the page runs JavaScript (<iframe srcdoc>); a charta page runs none",
            "the page embeds another document or a plug-in (<iframe>); a charta page embeds none",
        ),
    ),
    "script-url": (
        MAIN,
        '<a href=" JaVa\tScRiPt:alert(1)">x</a></main>',
        'the page runs JavaScript (<a href="JaVaScRiPt:alert(1)">); a charta page runs none',
    ),
    "object": (
        MAIN,
        '<object data="x.swf"></object></main>',
        "the page embeds another document or a plug-in (<object>); a charta page embeds none",
    ),
    "meta-refresh": (
        '<meta charset="utf-8">',
        '<meta charset="utf-8"><meta http-equiv="refresh" content="0; url=https://evil.example/">',
        'the page sends its visitors elsewhere (<meta http-equiv="refresh">); a charta page stays',
    ),
    "base": (
        '<meta charset="utf-8">',
        '<meta charset="utf-8"><base href="https://evil.example/">',
        "the page sets the base of its links (<base>); a charta page has none",
    ),
    "form": (
        MAIN,
        '<form action="/x"><input name="q"></form></main>',
        "the page holds a form (<form>); a charta page sends nothing",
    ),
    "external-stylesheet": (
        "</head>",
        '<link rel="stylesheet" href="https://evil.example/x.css"></head>',
        LOADS.format("https://evil.example/x.css", "<link href>"),
    ),
    "external-image": (
        MAIN,
        '<img src="//evil.example/x.png" alt=""></main>',
        LOADS.format("//evil.example/x.png", "<img src>"),
    ),
    "external-srcset": (
        MAIN,
        '<img src="x.png" srcset="x.png 1x, https://evil.example/x.png 2x" alt=""></main>',
        LOADS.format("https://evil.example/x.png", "<img srcset>"),
    ),
    "css-import": (
        "<style>",
        '<style>@import "https://evil.example/x.css";',
        "the page's CSS imports https://evil.example/x.css (@import); a charta page's CSS imports "
        "nothing: it is in the page or in the site's files it links",
    ),
    "css-url": (
        STYLE,
        "body{background:url(https://evil.example/x.png)}</style>",
        LOADS.format("https://evil.example/x.png", "its CSS"),
    ),
    "style-attribute-url": (
        '<main id="main">',
        '<main id="main" style="background:url(\'https://evil.example/x.png\')">',
        LOADS.format("https://evil.example/x.png", "<main style>"),
    ),
    "template-shadow-root": (
        '<main id="main">',
        '<main id="main"><template shadowrootmode="open"><img src="x.png" '
        'onerror="fetch(1)"><script>alert(1)</script></template>',
        'the page holds a <template> (<template shadowrootmode="open">), whose content verify '
        "cannot read (a declarative shadow root can run script and hide the page); a charta page "
        "has none",
    ),
    "data-stylesheet": (
        "</head>",
        '<link rel="stylesheet" '
        'href="data:text/css;base64,W2RhdGEtY3JpdGVyaW9uXXtkaXNwbGF5Om5vbmV9"></head>',
        "the page takes a style sheet from a data: URL (<link href>); a charta page's CSS is its "
        "own <style> or the site's files",
    ),
    "css-import-data": (
        "<style>",
        '<style>@import "data:text/css,[data-criterion]{display:none}";',
        "the page's CSS imports data:text/css,[data-criterion]{display:none} (@import); a charta "
        "page's CSS imports nothing: it is in the page or in the site's files it links",
    ),
    "css-import-same-site": (
        "<style>",
        "<style>@import url(hide.css);",
        "the page's CSS imports hide.css (@import); a charta page's CSS imports nothing: it is "
        "in the page or in the site's files it links",
    ),
    "popover": (
        MET,
        MET[:-1] + " popover>",
        HIDDEN
        + '<li id="accept-met"> has the popover attribute, which hides it until it is opened',
    ),
    "css-text-the-page-background": (
        STYLE,
        "[data-criterion=met]{color:#fdfcf9}</style>",
        HIDDEN
        + "its styles give <span> a contrast of 1.11:1 (#fdfcf9 on #fff0b8, light; at least 4.5:1)",
    ),
    "css-variable-the-page-background": (
        STYLE,
        ":root{--fg:var(--bg)}</style>",
        HIDDEN
        + "its styles give <span> a contrast of 1.11:1 (#fdfcf9 on #fff0b8, light; at least 4.5:1)",
    ),
    "css-colour-unreadable": (
        STYLE,
        "main{color:color-mix(in srgb, red 0%, transparent)}</style>",
        HIDDEN
        + 'its styles give <main id="main"> color: color-mix(in srgb, red 0%, transparent), a '
        "colour verify cannot read",
    ),
    "css-zero-height-across-rules": (
        STYLE,
        "main{height:0}main{overflow:hidden}</style>",
        HIDDEN + 'its styles give <main id="main"> height: 0 with its overflow clipped',
    ),
    "css-small-height-contain": (
        STYLE,
        "main{block-size:2px}main{contain:paint}</style>",
        HIDDEN + 'its styles give <main id="main"> block-size: 2px with its overflow clipped',
    ),
    "css-relative-offset": (
        STYLE,
        "[data-criterion=met]{position:relative;left:-9999px}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets left: -9999px on <li id="accept-met">',
    ),
    "css-offset-calc": (
        STYLE,
        "[data-criterion=met]{position:absolute;left:calc(-9999px)}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets left: calc(-9999px) on <li id="accept-met">',
    ),
    "css-text-indent": (
        STYLE,
        "[data-criterion=met]{text-indent:9999px;overflow:hidden}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets text-indent: 9999px on <li id="accept-met">',
    ),
    "css-scale": (
        STYLE,
        "[data-criterion=met]{transform:scale(.01)}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets transform: scale(.01) on <li id="accept-met">',
    ),
    "css-rotate-x": (
        STYLE,
        "[data-criterion=met]{transform:rotateX(90deg)}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets transform: rotatex(90deg) on <li '
        'id="accept-met">',
    ),
    "css-zoom": (
        STYLE,
        "[data-criterion=met]{zoom:0.01}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets zoom: 0.01 on <li id="accept-met">',
    ),
    "css-opacity-faint": (
        STYLE,
        "[data-criterion=met]{opacity:0.11}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets opacity: 0.11 on <li id="accept-met">',
    ),
    "css-opacity-compounded": (
        STYLE,
        "main{opacity:.7}.criteria{opacity:.7}</style>",
        (
            "criterion 'met' (accept) is hidden from visitors: its styles give <ul "
            'class="criteria"> an opacity of 0.49 with the elements around it',
            "criterion 'met' (accept) is hidden from visitors: its styles give <span> a contrast "
            "of 3.02:1 (#1d2125 on #fff0b8, light; at least 4.5:1)",
        ),
    ),
    "css-colour-alpha": (
        STYLE,
        "[data-criterion=met]{color:rgba(0,0,0,0.01)}</style>",
        RULE.format("color: rgba(0,0,0,0.01)"),
    ),
    "css-filter-opacity": (
        STYLE,
        "[data-criterion=met]{filter:opacity(0.01)}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets filter: opacity(0.01) on <li id="accept-met">',
    ),
    "css-blur": (
        STYLE,
        "[data-criterion=met]{filter:blur(40px)}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets filter: blur(40px) on <li id="accept-met">',
    ),
    "css-mask": (
        STYLE,
        "[data-criterion=met]{-webkit-mask:linear-gradient(transparent,transparent)}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets -webkit-mask: '
        'linear-gradient(transparent,transparent) on <li id="accept-met">',
    ),
    "css-letter-spacing": (
        STYLE,
        "[data-criterion=met]{letter-spacing:-1em}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets letter-spacing: -1em on <li id="accept-met">',
    ),
    "css-font-size-em": (
        STYLE,
        "[data-criterion=met]{font-size:0.3em}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets font-size: 0.3em on <li id="accept-met">',
    ),
    "css-font-size-calc": (
        STYLE,
        "[data-criterion=met]{font-size:calc(0px)}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets font-size: calc(0px) on <li id="accept-met">',
    ),
    "css-font-size-vw": (
        STYLE,
        "[data-criterion=met]{font-size:0.0001vw}</style>",
        HIDDEN
        + 'the CSS rule "[data-criterion=met]" sets font-size: 0.0001vw on <li id="accept-met">',
    ),
    "css-var-fallback": (
        STYLE,
        "[data-criterion=met]{display:var(--nope, none)}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets display: none on <li id="accept-met">',
    ),
    "css-registered-property": (
        STYLE,
        "@property --x{syntax:'*';inherits:true;initial-value:none}[data-criterion=met]{display:v"
        "ar(--x)}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]" sets display: none on <li id="accept-met">',
    ),
    "inline-style-variable": (
        MET,
        MET[:-1] + ' style="--h:none;display:var(--h)">',
        HIDDEN + 'its styles give <li id="accept-met"> display: none',
    ),
    "css-cover": (
        STYLE,
        'body::after{content:"";position:fixed;inset:0;background:#fff}</style>',
        'the CSS rule "body::after" may cover the criteria: generated content with position: '
        "fixed with background: #fff; a charta page lays nothing over them",
    ),
    "css-not-hover": (
        STYLE,
        "[data-criterion=met]:not(:hover){display:none}</style>",
        HIDDEN + 'the CSS rule "[data-criterion=met]:not(:hover)" sets display: none on <li '
        'id="accept-met">',
    ),
    "svg-feimage": (
        MAIN,
        '<svg><filter id="f"><feImage href="//evil.example/x"/></filter></svg></main>',
        "the page loads //evil.example/x from another host (<feimage href>); a charta page loads "
        "only its own files",
    ),
    "svg-xlink-href": (
        MAIN,
        '<svg><image xlink:href="//evil.example/x"/></svg></main>',
        "the page loads //evil.example/x from another host (<image xlink:href>); a charta page "
        "loads only its own files",
    ),
    "attributionsrc": (
        MAIN,
        '<img src="x.png" alt="" attributionsrc="https://evil.example/x"></main>',
        "the page loads https://evil.example/x from another host (<img attributionsrc>); a "
        "charta page loads only its own files",
    ),
    "a-attributionsrc": (
        MAIN,
        '<a href="https://evil.example/" attributionsrc>x</a></main>',
        "the page loads https://evil.example/ from another host (<a attributionsrc>); a charta "
        "page loads only its own files",
    ),
    "compression-dictionary": (
        "</head>",
        '<link rel="compression-dictionary" href="//evil.example/d"></head>',
        "the page loads //evil.example/d from another host (<link href>); a charta page loads "
        "only its own files",
    ),
    "meta-refresh-spaced": (
        '<meta charset="utf-8">',
        '<meta charset="utf-8"><meta http-equiv=" refresh" content="0;url=https://evil.example">',
        'the page sends its visitors elsewhere (<meta http-equiv="refresh">); a charta page stays',
    ),
    "formaction": (
        MAIN,
        '<button formaction="//evil.example">x</button></main>',
        "the page holds a form (<button formaction>); a charta page sends nothing",
    ),
    "title": (
        "<h1>Meine Kontaktcharta</h1>",
        "<h1>Meine Charta</h1>",
        "title: the page's h1 says 'Meine Charta', the policy 'Meine Kontaktcharta'",
    ),
    "intro": (
        "beruflichen Verbindungen: zu Kundinnen,\n",
        "privaten Verbindungen: zu Kundinnen,\n",
        "intro: the page does not show the policy's intro "
        "('Auf XING und LinkedIn pflege ich meine beruflichen Verbindu…')",
    ),
    "goal": (
        "ein gepflegtes schon",
        "ein großes auch",
        "goal: the page does not show the policy's goal "
        "('Meine Kontaktliste soll so übersichtlich bleiben, dass ich …')",
    ),
    "declined-text": (
        "Bitte nehmen Sie das nicht persönlich",
        "Nehmen Sie das ruhig persönlich",
        "declined.text: the page does not show the policy's text "
        "('Ich habe Ihre Anfrage nicht angenommen? Dann traf mindesten…')",
    ),
    "alternative-link": (
        '<a href="https://erika.example/newsletter/">',
        '<a href="https://evil.example/newsletter/">',
        "declined.alternatives[2]: the page shows no link to 'https://erika.example/newsletter/'"
        " with 'Meinen Newsletter abonnieren, der einmal im Monat erscheint'",
    ),
    "alternative-text": (
        "der einmal im Monat erscheint",
        "der täglich erscheint",
        "declined.alternatives[2]: the page shows no link to 'https://erika.example/newsletter/'"
        " with 'Meinen Newsletter abonnieren, der einmal im Monat erscheint'",
    ),
    "owner": (
        '<a class="p-name u-url" href="https://erika.example/" rel="me">Erika Musterfrau</a>',
        '<a class="p-name u-url" href="https://erika.example/" rel="me">Max Muster</a>',
        "owner: the page shows no link to 'https://erika.example/' named 'Erika Musterfrau'",
    ),
    "platform": (
        '<a href="https://www.linkedin.com/in/erika-musterfrau" rel="me">LinkedIn</a>',
        '<a href="https://www.linkedin.com/in/someone-else" rel="me">LinkedIn</a>',
        (
            "owner: the page claims 'https://www.linkedin.com/in/someone-else' as the owner's "
            'own (rel="me"), which is neither owner.url nor a platform\'s profile in the policy',
            "platforms[1]: the page shows no link to 'https://www.linkedin.com/in/erika-musterfrau'"
            " named 'LinkedIn'",
        ),
    ),
    "og-image": (
        '<meta property="og:site_name" content="Erika Musterfrau">',
        '<meta property="og:site_name" content="Erika Musterfrau">'
        '<meta property="og:image" content="https://evil.example/vorschau.png">',
        'image: the page names a preview picture (<meta property="og:image" '
        'content="https://evil.example/vorschau.png">), the policy none',
    ),
    "updated": (
        '<time datetime="2026-11-21">21. November 2026</time>',
        '<time datetime="2026-12-24">24. Dezember 2026</time>',
        'updated: the page shows no <time datetime="2026-11-21"> with that date',
    ),
    "review-by": (
        '<time datetime="2027-11-21">21. November 2027</time>',
        '<time datetime="2027-11-21">21. November 2029</time>',
        'review_by: the page shows no <time datetime="2027-11-21"> with that date',
    ),
    "credit": (
        "Die Idee stammt aus den Kontaktchartas",
        "Die Idee ist von mir",
        "based_on: the page does not show "
        "'Die Idee stammt aus den Kontaktchartas, die Beraterinnen un…'",
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), CASES.values(), ids=CASES)
def test_verify_names_what_a_tampered_page_does_to_its_visitors(
    built: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    expected: str | tuple[str, ...],
) -> None:
    site = tampered(built, tmp_path, "index.html", old, new)
    lines = [expected] if isinstance(expected, str) else list(expected)
    assert verify(site, capsys) == (
        1,
        [
            *(f"index.html: {line}" for line in lines),
            f"the site does not verify ({len(lines)} problem{'s' if len(lines) > 1 else ''})",
        ],
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "en/index.html",
            '<div class="intro">\n<p>',
            '<div class="intro">\n<p>Hi ',
            "en/index.html: intro: the page does not show the policy's intro "
            "('On XING and LinkedIn I keep my working relationships: with …')",
        ),
        (
            "embed.html",
            "Bitte nehmen Sie das nicht persönlich",
            "Nehmen Sie das ruhig persönlich",
            "embed.html: declined.text: the page does not show the policy's text "
            "('Ich habe Ihre Anfrage nicht angenommen? Dann traf mindesten…')",
        ),
        (
            "embed.html",
            '<li id="accept-met" data-criterion="met">',
            '<li id="accept-met" data-criterion="met" style="opacity:.05">',
            "embed.html: " + HIDDEN + '<li id="accept-met"> has style="opacity:.05" (opacity: .05)',
        ),
        (
            "charta.md",
            "Stand: 21. November 2026",
            "Stand: 22. November 2026",
            "charta.md: updated: the page does not show the date 2026-11-21",
        ),
        (
            "impressum.html",
            MAIN,
            "<svg onload=alert(1)></svg></main>",
            "impressum.html: the page runs JavaScript (<svg>); a charta page runs none",
        ),
    ],
    ids=["translation", "embed", "embed-hidden", "charta-md", "extra-page"],
)
def test_verify_checks_every_language_and_every_file(
    built: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    site = tampered(built, tmp_path, file, old, new)
    assert verify(site, capsys) == (1, [expected, "the site does not verify (1 problem)"])


def test_a_css_file_of_the_site_may_load_nothing_from_elsewhere(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tampered(
        built, tmp_path, "index.html", "</head>", '<link rel="stylesheet" href="x.css"></head>'
    )
    (site / "x.css").write_text(
        "@font-face{font-family:x;src:url('https://fonts.example/x.woff2')}\n"
        ".criteria{display:none}\n",
        "utf-8",
    )
    assert verify(site, capsys) == (
        1,
        [
            "index.html: " + HIDDEN + 'the CSS rule ".criteria" sets display: none on '
            '<ul class="criteria">',
            "x.css: the style sheet loads https://fonts.example/x.woff2 from another host; "
            "a charta site loads only its own files",
            "the site does not verify (2 problems)",
        ],
    )


def test_both_built_in_themes_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for theme in ("default", "cards"):
        out = tmp_path / theme
        assert browser.build(ROOT / "charta.yaml", out, theme) == 0
        code, lines = verify(out, capsys)
        assert (code, len(lines)) == (0, 0), lines


def test_a_theme_that_hides_a_criterion_fails_the_build_and_keeps_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(ROOT / "charta.yaml", tmp_path / "charta.yaml")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    out = tmp_path / "output"
    assert browser.build(tmp_path / "charta.yaml", out) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    own = tmp_path / "themes" / "sly"
    (own / "templates").mkdir(parents=True)
    (own / "theme.yaml").write_text("extends: default\n", "utf-8")
    (own / "style.css").write_text(
        (ROOT / "themes" / "default" / "style.css").read_text("utf-8")
        + "\n@media (max-width: 40rem) { #decline li:nth-child(3) { visibility: hidden } }\n",
        "utf-8",
    )
    capsys.readouterr()
    assert browser.build(tmp_path / "charta.yaml", out, "sly") == 1
    err = capsys.readouterr().err
    rule = (
        "criterion 'message-would-do' (decline) is hidden from visitors: the CSS rule "
        '"#decline li:nth-child(3)" sets visibility: hidden on <li id="decline-message-would-do">'
    )
    assert f"sly theme: index.html: the page and the policy differ: {rule}" in err
    assert f"sly theme: en/index.html: the page and the policy differ: {rule}" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_verify_browser_says_why_it_cannot_run(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kontaktcharta.in_browser.find_chromium", lambda: None)
    assert verify(built, capsys, "--browser") == (
        2,
        [
            "charta verify: --browser needs Chromium (looked for /usr/bin/chromium, chromium, "
            "chromium-browser, google-chrome)"
        ],
    )


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["default", "cards"])
def test_verify_browser_passes_a_built_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], theme: str
) -> None:
    out = tmp_path / theme
    assert browser.build(ROOT / "charta.yaml", out, theme) == 0
    code, lines = verify(out, capsys, "--browser")
    assert (code, lines) == (0, [])


@pytest.mark.browser
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            MAIN,
            '<div id="cover" style="position:fixed;inset:0;background:#fff"></div></main>',
            "index.html at 360 px, light: criterion 'met' (accept) is covered by "
            '<div id="cover">',
        ),
        (
            STYLE,
            "[data-criterion=met] [data-criterion-text]{color:#ccc}</style>",
            "index.html at 1280 px, light: criterion 'met' (accept) has a contrast of 1.57:1 "
            "(at least 4.5:1)",
        ),
        (
            STYLE,
            "[data-criterion=met]{position:relative;top:-3000px}</style>",
            "index.html at 1280 px, dark: criterion 'met' (accept) is out of view (at ",
        ),
        (
            STYLE,
            "@media print{[data-criterion=met] [data-criterion-text]{color:#fff}}</style>",
            "index.html at printed: criterion 'met' (accept) has a contrast of 1.00:1 "
            "(at least 4.5:1)",
        ),
        (
            MAIN,
            '<img src="http://example.invalid/x.png" alt=""></main>',
            "index.html: fetches http://example.invalid/x.png from another host",
        ),
        (
            MAIN,
            '<img src="x.png" alt="" onerror="document.title=1"></main>',
            "index.html: tries to run script (",
        ),
    ],
    ids=["covered", "low-contrast", "off-screen", "printed-white", "external-fetch", "script"],
)
def test_verify_browser_finds_what_a_visitor_meets(
    built: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    expected: str,
) -> None:
    site = tampered(built, tmp_path, "index.html", old, new)
    code, lines = verify(site, capsys, "--browser")
    assert code == 1
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
