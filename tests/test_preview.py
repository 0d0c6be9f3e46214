"""Link previews and identity as the programs that read a page see them: a preview crawler
fetching the served page without JavaScript and reading its Open Graph tags (extruct), and a
microformats parser reading the owner's h-card and rel="me" links (mf2py)."""

from __future__ import annotations

import io
import json
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import mf2py
import pytest
from extruct.opengraph import OpenGraphExtractor
from PIL import Image

import browser
from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.picture import size_of

ROOT = Path(__file__).resolve().parents[1]
CRAWLER = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
URL = "https://erika.example/kontaktcharta/"
CHARTA = """\
charta: 1
lang: de
title: Kontaktcharta
owner:
  name: Erika Musterfrau
  url: https://erika.example/
url: {url}
{image}updated: 2026-11-21
intro: Wonach ich Kontaktanfragen annehme und ablehne.
platforms:
  - id: xing
    name: XING
    use: business
    profile: https://www.xing.com/profile/Erika_Musterfrau
  - id: facebook
    name: Facebook
    use: private
accept:
  title: Ich nehme an
  criteria:
    - id: met
      text: wir sind uns begegnet
decline:
  title: Ich lehne ab
  criteria:
    - id: no-reason
      text: kein Grund trifft zu
      otherwise: true
declined:
  title: Abgelehnt – was jetzt?
  text: Nehmen Sie es nicht persönlich.
"""


def picture(kind: str, size: tuple[int, int], **options: Any) -> bytes:
    """A picture of a size, made by Pillow in a format (PNG, JPEG, WEBP, GIF)."""
    out = io.BytesIO()
    Image.new("RGB", size, (11, 87, 164)).save(out, kind, **options)
    return out.getvalue()


def project(
    folder: Path, image: str | None, files: dict[str, bytes] | None = None, url: str = URL
) -> Path:
    """A charta with `image:` (none where None) and files under site_src/static; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    line = f"image: {image}\n" if image is not None else ""
    config = folder / "charta.yaml"
    config.write_text(CHARTA.format(url=url, image=line), "utf-8")
    for name, data in (files or {}).items():
        path = folder / "site_src" / "static" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return config


# The size of a picture, read from its first bytes


CASES = {
    "png": ("PNG", (1200, 630), {}),
    "png-odd": ("PNG", (3, 5), {}),
    "jpeg": ("JPEG", (1200, 630), {}),
    "jpeg-progressive": ("JPEG", (801, 419), {"progressive": True}),
    # Exif data and a colour profile of four segments before the frame header with the size
    "jpeg-profile-first": (
        "JPEG",
        (640, 480),
        {"exif": b"Exif\x00\x00", "icc_profile": b"x" * 200_000},
    ),
    "webp-lossy": ("WEBP", (1201, 631), {}),
    "webp-lossless": ("WEBP", (1199, 629), {"lossless": True}),
    "webp-extended": ("WEBP", (700, 400), {"exif": b"Exif\x00\x00" + b"x" * 100}),
    "gif": ("GIF", (600, 315), {}),
}


@pytest.mark.parametrize(("kind", "size", "options"), CASES.values(), ids=CASES)
def test_the_size_is_read_from_the_first_bytes_as_pillow_reads_it(
    kind: str, size: tuple[int, int], options: dict[str, Any]
) -> None:
    data = picture(kind, size, **options)
    assert Image.open(io.BytesIO(data)).size == size
    assert size_of(io.BytesIO(data)) == size


@pytest.mark.parametrize(
    "data",
    [b"", b"<svg xmlns='http://www.w3.org/2000/svg'/>", picture("PNG", (9, 9))[:20], b"\xff\xd8"],
    ids=["empty", "svg", "png-cut-short", "jpeg-without-frame"],
)
def test_what_is_no_picture_has_no_size(data: bytes) -> None:
    assert size_of(io.BytesIO(data)) is None


# A picture of the site: copied, made absolute, sized


@pytest.mark.parametrize(
    ("name", "kind", "options", "address"),
    [
        ("vorschau.png", "PNG", {}, "vorschau.png"),
        ("bilder/Bäume.JPG", "JPEG", {"progressive": True}, "bilder/B%C3%A4ume.JPG"),
    ],
    ids=["png", "jpeg"],
)
def test_a_picture_of_the_site_is_copied_and_named_with_its_size(
    tmp_path: Path, name: str, kind: str, options: dict[str, Any], address: str
) -> None:
    data = picture(kind, (1200, 627), **options)
    site = render_site(project(tmp_path, name, {name: data}))
    assert site.files[name] == data
    head = _Head.of(site.files["index.html"].decode())
    assert head.meta["og:image"] == URL + address
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "627")
    assert json.loads(site.files["charta.json"])["image"] == URL + address
    assert site.warnings == ()


def test_a_picture_elsewhere_has_no_size_and_a_picture_of_the_site_needs_one(
    tmp_path: Path,
) -> None:
    elsewhere = "https://cdn.example/vorschau.png"
    head = _Head.of(render_site(project(tmp_path / "a", elsewhere)).files["index.html"].decode())
    assert head.meta["og:image"] == elsewhere
    assert "og:image:width" not in head.meta and "og:image:height" not in head.meta
    svg = {"vorschau.png": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
    with pytest.raises(ChartaError) as refused:
        render_site(project(tmp_path / "b", "vorschau.png", svg), label="charta.yaml")
    assert refused.value.format().splitlines()[0] == (
        "charta.yaml:8:8: image: site_src/static/vorschau.png is not a PNG, JPEG, WebP or GIF "
        "picture (no size in it)"
    )


def test_a_picture_too_small_or_too_large_for_previews_is_warned_of(tmp_path: Path) -> None:
    small = render_site(
        project(tmp_path / "a", "v.png", {"v.png": picture("PNG", (120, 80))}), label="c.yaml"
    )
    assert small.warnings == (
        "c.yaml:8:8: image: site_src/static/v.png is 120×80 pixels; link previews show a "
        "picture of at least 200×200 (best 1200×630), so this one may be left out",
    )
    out = io.BytesIO()
    Image.new("RGB", (1400, 1400)).save(out, "PNG", compress_level=0)  # stored, not packed
    megabytes = f"{len(out.getvalue()) / 1e6:.1f}"
    large = render_site(project(tmp_path / "b", "v.png", {"v.png": out.getvalue()}), label="c.yaml")
    assert large.warnings == (
        f"c.yaml:8:8: image: site_src/static/v.png has {megabytes} MB; LinkedIn shows a picture "
        "of at most 5 MB, so this one may be left out",
    )


# As a preview crawler reads the served page


class _Head(HTMLParser):
    """The `<meta name|property>` of a page, as a crawler that reads no script collects them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    @classmethod
    def of(cls, html: str) -> _Head:
        head = cls()
        head.feed(html)
        head.close()
        return head

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("property") or a["name"], a.get("content", ""))


def crawl(url: str) -> tuple[str, bytes]:
    """GET a page as a link-preview crawler does: its user agent, no script run; the content
    type and the body."""
    request = urllib.request.Request(url, headers={"User-Agent": CRAWLER})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return response.headers.get_content_type(), response.read()


@pytest.fixture(scope="module", params=browser.THEMES)
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    build_site: Callable[[Path, str], Path],
    serve_site: Callable[[Path], str],
) -> tuple[str, dict[str, Any]]:
    """A charta with a picture of the site, built with each theme and served: the address
    and the policy."""
    folder = tmp_path_factory.mktemp(f"preview-{request.param}")
    data = picture("JPEG", (1200, 630))
    out = build_site(
        project(folder, "bilder/vorschau.jpg", {"bilder/vorschau.jpg": data}), request.param
    )
    return serve_site(out), json.loads((out / "charta.json").read_text("utf-8"))


def test_a_crawler_finds_title_text_address_and_a_sized_picture(
    served: tuple[str, dict[str, Any]],
) -> None:
    base, policy = served
    kind, body = crawl(base)
    assert kind == "text/html"
    html = body.decode()
    [graph] = OpenGraphExtractor().extract(body, base_url=base)
    og = dict(graph["properties"])
    assert len(og) == len(graph["properties"]), "a property stands twice"
    assert og["og:title"] == policy["title"]
    assert og["og:description"] == policy["intro"]["text"]
    assert og["og:url"] == policy["url"] == URL
    assert og["og:image"] == policy["image"] == URL + "bilder/vorschau.jpg"
    assert og["og:image:alt"] == policy["title"]
    # The crawler fetches the picture where og:image says, on the page's host: here, served.
    image_kind, image = crawl(urljoin(base, og["og:image"].removeprefix(URL)))
    assert image_kind == "image/jpeg"
    assert (og["og:image:width"], og["og:image:height"]) == tuple(
        map(str, Image.open(io.BytesIO(image)).size)
    )
    assert _Head.of(html).meta["twitter:card"] == "summary_large_image"


def test_without_a_picture_a_crawler_finds_no_picture_and_no_card(
    tmp_path: Path,
    build_site: Callable[[Path, str], Path],
    serve_site: Callable[[Path], str],
) -> None:
    base = serve_site(build_site(project(tmp_path, None), "default"))
    body = crawl(base)[1]
    [graph] = OpenGraphExtractor().extract(body, base_url=base)
    og = dict(graph["properties"])
    assert (og["og:title"], og["og:url"]) == ("Kontaktcharta", URL)
    assert not [name for name in og if name.startswith("og:image")]
    assert not [name for name in _Head.of(body.decode()).meta if name.startswith("twitter:")]


# As a microformats parser reads the page: the owner's h-card and rel="me"


IN_PAGE = {"index.html", "embed.html"}
"""The charta page, and the embed, which stands on another's page and claims no profile."""


@pytest.mark.parametrize("theme", browser.THEMES)
@pytest.mark.parametrize(
    "config",
    [ROOT / "charta.yaml", ROOT / "tests" / "cases" / "valid" / "full.yaml"],
    ids=["example", "full"],
)
def test_the_owner_is_an_h_card_and_their_profiles_are_rel_me(
    theme: str,
    config: Path,
    build_site: Callable[[Path, str], Path],
    serve_site: Callable[[Path], str],
) -> None:
    out = build_site(config, theme)
    base = serve_site(out)
    policy = json.loads((out / "charta.json").read_text("utf-8"))
    owner = policy["owner"]
    profiles = [p["profile"] for p in policy["platforms"] if "profile" in p]
    assert owner.get("url") and profiles, "nothing to mark as the owner's own"
    pages = {"": [owner["url"], *profiles]}  # the page names the platforms; every page the owner
    pages.update({p.name: [owner["url"]] for p in out.glob("*.html") if p.name not in IN_PAGE})
    assert len(pages) > 1 or config.name == "full.yaml", "no extra page was built"
    for page, claimed in pages.items():
        parsed = mf2py.parse(doc=crawl(base + page)[1].decode(), url=base + page)
        cards = [item["properties"] for item in parsed["items"] if item["type"] == ["h-card"]]
        assert cards == [{"name": [owner["name"]], "url": [owner["url"]]}], page
        assert sorted(parsed["rels"]["me"]) == sorted(claimed), page
    embed = mf2py.parse(doc=crawl(base + "embed.html")[1].decode(), url=base + "embed.html")
    assert "me" not in embed["rels"], (
        "the embed claims a profile on a page that is not the charta's"
    )


def test_an_owner_without_an_address_is_an_h_card_by_name(
    build_site: Callable[[Path, str], Path],
) -> None:
    out = build_site(ROOT / "tests" / "cases" / "valid" / "minimal.yaml", "default")
    parsed = mf2py.parse(doc=(out / "index.html").read_text("utf-8"))
    assert [item["properties"] for item in parsed["items"]] == [{"name": ["Erika Musterfrau"]}]
    assert "me" not in parsed["rels"]
