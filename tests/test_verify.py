"""The proof that page and policy agree: every way a page can differ is found and named."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kontaktcharta
from kontaktcharta.build import build, render_site
from kontaktcharta.embed import compare_embed
from kontaktcharta.site import check_folder
from kontaktcharta.verify import compare

EXAMPLE = Path(__file__).parents[1] / "charta.yaml"
EXCHANGE = (
    '<li id="accept-exchange" data-criterion="exchange"><span data-criterion-text>von Menschen, '
    "mit denen ich mich schon anderswo rege austausche, etwa per Mail oder im Fediverse</span> "
    '<a href="#accept-exchange" aria-label="Direktlink">#</a></li>'
)
MET_LINK = '<a href="#accept-met" aria-label="Direktlink">#</a>'
MET = (
    '<li id="accept-met" data-criterion="met"><span data-criterion-text>von Menschen, denen ich '
    f"<strong>persönlich begegnet</strong> bin oder die ich bald treffe</span> {MET_LINK}</li>"
)


@pytest.fixture(scope="module")
def built() -> tuple[str, str, dict[str, object]]:
    site = render_site(EXAMPLE)
    page, embed = site.files["index.html"].decode(), site.files["embed.html"].decode()
    assert EXCHANGE in page and MET in page
    return page, embed, json.loads(site.files["charta.json"])


def test_the_built_page_and_embed_agree(built: tuple[str, str, dict[str, object]]) -> None:
    page, embed, policy = built
    assert compare(page, policy) == []
    assert compare_embed(embed, policy) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            EXCHANGE,
            "",
            [
                "accept: the page lacks criterion 'exchange' (#accept-exchange)",
            ],
        ),
        (
            MET + "\n" + EXCHANGE,
            EXCHANGE + "\n" + MET,
            [
                "accept: the page orders the criteria ['exchange', 'met', 'customers', "
                "'prospects', 'profile-readers'], the policy ['met', 'exchange', 'customers', "
                "'prospects', 'profile-readers']"
            ],
        ),
        (
            EXCHANGE,
            EXCHANGE + '\n<li id="accept-extra" data-criterion="extra">Noch etwas</li>',
            ["accept: the page shows criterion 'extra', which the policy lacks"],
        ),
        (
            'id="accept-exchange"',
            'id="accept-austausch"',
            [
                "accept.criteria[1] (exchange): the anchor is 'accept-austausch', "
                "expected 'accept-exchange'"
            ],
        ),
        (
            "etwa per Mail oder im Fediverse",
            "etwa per Brief",
            [
                "accept.criteria[1] (exchange): the page shows 'von Menschen, mit denen ich mich "
                "schon anderswo rege austausche, etwa per Brief', the policy says 'von Menschen, "
                "mit denen ich mich schon anderswo rege austausche, etwa per Mail oder im "
                "Fediverse'"
            ],
        ),
        (
            "<strong>persönlich begegnet</strong>",
            "<em>persönlich begegnet</em>",
            [
                "accept.criteria[0] (met): the page shows 'von Menschen, denen ich <em>persönlich "
                "begegnet</em> bin oder die ich bald treffe', the policy says 'von Menschen, denen "
                "ich <strong>persönlich begegnet</strong> bin oder die ich bald treffe'"
            ],
        ),
        (
            '<li id="accept-met" data-criterion="met">',
            '<li id="accept-met" data-criterion="met" onclick="alert(1)">',
            ["the page runs JavaScript (<li>); a charta page runs none"],
        ),
        (
            "</main>",
            "<script>alert(1)</script></main>",
            ["the page runs JavaScript (<script>); a charta page runs none"],
        ),
        (
            "</main>",
            "<svg><script>alert(1)</script></svg></main>",
            ["the page runs JavaScript (<script>); a charta page runs none"],
        ),
        (  # the first in the document is named, whatever the case of the attribute
            "</main>",
            '<p ONMOUSEOVER="alert(1)">x</p><script>alert(1)</script></main>',
            ["the page runs JavaScript (<p>); a charta page runs none"],
        ),
        (
            '<meta name="charta-revision" content="sha256:',
            '<meta name="charta-revision" content="sha256:0',
            ["revision"],
        ),
        (
            '<link rel="alternate" type="application/json" href="charta.json">',
            "",
            [
                "the page does not name its JSON policy "
                '(<link rel="alternate" type="application/json">)'
            ],
        ),
        (
            "<h1>Meine Kontaktcharta</h1>",
            "<h1>Meine Charta</h1>",
            ["title: the page's h1 says 'Meine Charta', the policy 'Meine Kontaktcharta'"],
        ),
        (
            "<h2>Ich lehne Kontakte ab, wenn</h2>",
            "<h2>Ich lehne ab</h2>",
            [
                "decline.title: the page says 'Ich lehne ab', the policy "
                "'Ich lehne Kontakte ab, wenn'"
            ],
        ),
        (
            '<section id="declined">',
            '<section id="abgelehnt">',
            ["declined: the page has no #declined section"],
        ),
        (
            f" {MET_LINK}",
            "",
            ["accept.criteria[0] (met): the criterion holds no link to its own anchor #accept-met"],
        ),
        (
            MET_LINK,
            MET_LINK.replace("#accept-met", "#accept-exchange"),
            ["accept.criteria[0] (met): the criterion holds no link to its own anchor #accept-met"],
        ),
        (  # a theme made before criteria linked to themselves: both parts are named
            MET,
            MET.replace("<span data-criterion-text>", "").replace(f"</span> {MET_LINK}", ""),
            [
                "accept.criteria[0] (met): no element inside is marked data-criterion-text",
                "accept.criteria[0] (met): the criterion holds no link to its own anchor "
                "#accept-met",
            ],
        ),
        (  # the link added, the mark not
            MET,
            MET.replace("<span data-criterion-text>", "").replace("</span>", ""),
            ["accept.criteria[0] (met): no element inside is marked data-criterion-text"],
        ),
    ],
    ids=[
        "missing",
        "order",
        "extra",
        "anchor",
        "text",
        "markup",
        "event-attribute",
        "script",
        "svg-script",
        "first-of-two",
        "revision",
        "no-policy-link",
        "h1",
        "section-title",
        "no-section",
        "no-self-link",
        "self-link-elsewhere",
        "theme-before-self-links",
        "link-without-mark",
    ],
)
def test_every_way_a_page_differs_is_named(
    built: tuple[str, str, dict[str, object]], old: str, new: str, expected: list[str]
) -> None:
    page, _, policy = built
    assert page.count(old) == 1
    found = compare(page.replace(old, new), policy)
    if expected == ["revision"]:  # the message names both long hashes
        assert len(found) == 1
        assert found[0].startswith("revision: the page carries sha256:0")
    else:
        assert found == expected


def test_entities_and_attribute_order_do_not_count_as_differences(
    built: tuple[str, str, dict[str, object]],
) -> None:
    page, _, policy = built
    same = page.replace("persönlich", "pers&ouml;nlich").replace("Fediverse", "Fedivers&#101;")
    same = same.replace(
        "<h1>Meine Kontaktcharta</h1>", "<h1>Meine <style>p{}</style>Kontaktcharta</h1>"
    )
    same = same.replace(
        '<li id="accept-met" data-criterion="met">', '<li data-criterion="met" id="accept-met">'
    )
    assert compare(same, policy) == []


def test_an_embed_with_a_second_root_or_another_language_is_named(
    built: tuple[str, str, dict[str, object]],
) -> None:
    _, embed, policy = built
    assert compare_embed(embed + "<p>mehr</p>", policy) == [
        'the fragment is not one <div class="kontaktcharta"> element'
    ]
    assert compare_embed(embed.replace('lang="de"', 'lang="en"', 1), policy) == [
        "lang: the fragment says 'en', the policy 'de'"
    ]


IMAGE = "https://erika.example/kontaktcharta/vorschau.png"
OG_IMAGE = f'<meta property="og:image" content="{IMAGE}">'


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, object]]:
    """The example with a picture for link previews: its page and its policy."""
    text = EXAMPLE.read_text("utf-8")
    url = "url: https://erika.example/kontaktcharta/\n"
    assert text.count(url) == 1
    config = tmp_path_factory.mktemp("previewed") / "charta.yaml"
    config.write_text(text.replace(url, f"{url}image: {IMAGE}\n"), "utf-8")
    site = render_site(config)
    return site.files["index.html"].decode(), json.loads(site.files["charta.json"])


SITE_NAME = '<meta property="og:site_name" content="Erika Musterfrau">'
OWNER = '<a class="p-name u-url" href="https://erika.example/" rel="me">Erika Musterfrau</a>'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            OG_IMAGE,
            OG_IMAGE.replace(IMAGE, "https://evil.example/x.png"),
            [f"image: the page's og:image is 'https://evil.example/x.png', the policy's {IMAGE!r}"],
        ),
        (
            OG_IMAGE,
            "",
            [f'image: the page carries no <meta property="og:image">, the policy names {IMAGE!r}'],
        ),
        (  # a second picture, under another name a crawler also reads
            SITE_NAME,
            SITE_NAME + '<meta name="twitter:image" content="https://evil.example/x.png">',
            [
                "image: the page's twitter:image is 'https://evil.example/x.png', "
                f"the policy's {IMAGE!r}"
            ],
        ),
        (
            SITE_NAME,
            SITE_NAME + '<meta property="og:image:width" content="1200px">',
            ["image: the page's og:image:width is '1200px', not a number of pixels"],
        ),
        (
            '<meta property="og:url" content="https://erika.example/kontaktcharta/">',
            '<meta property="og:url" content="https://evil.example/">',
            [
                "url: the page's og:url is 'https://evil.example/', "
                "the policy's url 'https://erika.example/kontaktcharta/'"
            ],
        ),
        (
            '<link rel="canonical" href="https://erika.example/kontaktcharta/">',
            '<link rel="canonical" href="https://evil.example/">',
            [
                "url: the page's canonical link is 'https://evil.example/', "
                "the policy's url 'https://erika.example/kontaktcharta/'"
            ],
        ),
        (  # the owner's name goes, and with it the h-card's: shown.py names it
            OWNER,
            OWNER.replace(">Erika Musterfrau<", ">Max Muster<"),
            ["owner: the page shows no link to 'https://erika.example/' named 'Erika Musterfrau'"],
        ),
        (  # another's profile claimed as the owner's, by a link or in the head
            "</main>",
            '<a href="https://mastodon.example/@someone" rel="me">x</a></main>',
            [
                "owner: the page claims 'https://mastodon.example/@someone' as the owner's own "
                '(rel="me"), which is neither owner.url nor a platform\'s profile in the policy'
            ],
        ),
        (
            SITE_NAME,
            SITE_NAME + '<link rel="ME" href="https://mastodon.example/@someone">',
            [
                "owner: the page claims 'https://mastodon.example/@someone' as the owner's own "
                '(rel="me"), which is neither owner.url nor a platform\'s profile in the policy'
            ],
        ),
    ],
    ids=[
        "other-picture",
        "no-picture",
        "second-picture",
        "width",
        "og-url",
        "canonical",
        "h-card-name",
        "rel-me-link",
        "rel-me-head",
    ],
)
def test_every_way_a_preview_or_identity_differs_is_named(
    previewed: tuple[str, dict[str, object]], old: str, new: str, expected: list[str]
) -> None:
    page, policy = previewed
    assert compare(page, policy) == []
    assert page.count(old) == 1
    assert compare(page.replace(old, new), policy) == expected


def test_a_preview_picture_the_policy_lacks_is_named(
    previewed: tuple[str, dict[str, object]],
) -> None:
    page, policy = previewed
    without = {key: value for key, value in policy.items() if key != "image"}
    assert compare(page, without) == [
        f'image: the page names a preview picture (<meta property="og:image" content="{IMAGE}">)'
        ", the policy none"
    ]


# Every page of a built site, and the picture, as `charta verify` reads a folder


PICTURED = "https://erika.example/kontaktcharta/vorschau.png"


@pytest.fixture(scope="module")
def pictured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, with a picture of the site for link previews, built into a folder."""
    from PIL import Image

    project = tmp_path_factory.mktemp("pictured")
    shutil.copytree(EXAMPLE.parent / "site_src", project / "site_src")
    url = "url: https://erika.example/kontaktcharta/\n"
    text = EXAMPLE.read_text("utf-8").replace(url, f"{url}image: vorschau.png\n")
    (project / "charta.yaml").write_text(text, "utf-8")
    (project / "site_src" / "static").mkdir()
    Image.new("RGB", (1200, 630), (11, 87, 164)).save(
        project / "site_src" / "static" / "vorschau.png"
    )
    build(project / "charta.yaml", project / "output")
    return project / "output"


def tampered(built: Path, folder: Path, changes: dict[str, tuple[str, str]]) -> list[str]:
    """What verify finds in a copy of a built folder with a text in each file replaced, there
    once before (a file whose text is None is deleted, one whose new text is bytes written)."""
    shutil.copytree(built, folder)
    for name, (old, new) in changes.items():
        path = folder / name
        text = path.read_text("utf-8")
        assert text.count(old) == 1, f"{old!r} in {name}"
        path.write_text(text.replace(old, new), "utf-8")
    return check_folder(folder, datetime.date(2026, 11, 21))[1]


EMBED_ROOT = '<div class="kontaktcharta" lang="de">'
IMPRESSUM_URL = (
    '<meta property="og:url" content="https://erika.example/kontaktcharta/impressum.html">'
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"impressum.html": (f'content="{PICTURED}"', 'content="https://evil.example/x.png"')},
            [
                "impressum.html: image: the page's og:image is 'https://evil.example/x.png', "
                f"the policy's {PICTURED!r}"
            ],
        ),
        (
            {
                "impressum.html": (
                    "</footer>",
                    '<a href="https://mastodon.example/@x" rel="me">x</a></footer>',
                )
            },
            [
                "impressum.html: owner: the page claims 'https://mastodon.example/@x' as the "
                "owner's own (rel=\"me\"), which is neither owner.url nor a platform's profile in "
                "the policy"
            ],
        ),
        (
            {"impressum.html": (IMPRESSUM_URL, IMPRESSUM_URL.replace("impressum.html", ""))},
            [
                "impressum.html: url: the page's og:url is 'https://erika.example/kontaktcharta/',"
                " its own address 'https://erika.example/kontaktcharta/impressum.html'"
            ],
        ),
        (  # the embed claims no profile, not even the owner's own
            {
                "embed.html": (
                    EMBED_ROOT,
                    EMBED_ROOT + '<a href="https://erika.example/" rel="me">x</a>',
                )
            },
            [
                "embed.html: owner: the fragment claims 'https://erika.example/' as the owner's "
                'own (rel="me"); it stands on a page that is not the charta\'s, and claims no '
                "profile"
            ],
        ),
        (
            {"index.html": ('og:image:width" content="1200"', 'og:image:width" content="1201"')},
            [
                "index.html: image: the page's og:image:width is 1201; the picture vorschau.png "
                "is 1200 pixels wide"
            ],
        ),
    ],
    ids=["extra-page-picture", "extra-page-rel-me", "extra-page-address", "embed-rel-me", "width"],
)
def test_every_page_s_preview_and_owner_and_the_picture_s_size_are_checked(
    pictured: Path, tmp_path: Path, changes: dict[str, tuple[str, str]], expected: list[str]
) -> None:
    assert tampered(pictured, tmp_path / "site", changes) == expected


@pytest.mark.parametrize(
    ("picture", "expected"),
    [
        (
            None,
            "vorschau.png: image: the pages give the size of the preview's picture, which cannot "
            "be read (no such file)",
        ),
        (
            b"not a picture",
            "vorschau.png: image: the preview's picture is not a PNG picture (no whole header with "
            "a size in it)",
        ),
        (
            "JPEG",
            "vorschau.png: image: the preview's picture is not a PNG picture (a JPEG picture in "
            "it)",
        ),
    ],
    ids=["deleted", "garbage", "a-jpeg"],
)
def test_the_picture_whose_size_the_pages_give_must_be_there_and_a_picture(
    pictured: Path, tmp_path: Path, picture: bytes | str | None, expected: str
) -> None:
    from PIL import Image

    site = tmp_path / "site"
    shutil.copytree(pictured, site)
    if picture is None:
        (site / "vorschau.png").unlink()
    elif isinstance(picture, str):  # a picture of that kind, of the same size
        Image.new("RGB", (1200, 630)).save(site / "vorschau.png", picture)
    else:
        (site / "vorschau.png").write_bytes(picture)
    assert check_folder(site, datetime.date(2026, 11, 21))[1] == [expected]


def test_a_fifo_in_the_folder_is_named_without_waiting_for_a_writer(
    pictured: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(pictured, site)
    (site / "vorschau.png").unlink()
    os.mkfifo(site / "vorschau.png")
    verified = subprocess.run(  # in a process of its own, which a timeout ends should it wait
        [sys.executable, "-m", "kontaktcharta", "verify", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PYTHONPATH": str(Path(kontaktcharta.__file__).resolve().parents[1]),
            "SOURCE_DATE_EPOCH": "1795219200",  # 2026-11-21
        },
    )
    assert (verified.returncode, verified.stderr) == (
        1,
        f"{site}: vorschau.png: image: the pages give the size of the preview's picture, which "
        "cannot be read (a FIFO, not a file)\n"
        f"{site}: the site does not verify (1 problem)\n",
    )
