"""Link previews and identity as the programs that read a page see them: a preview crawler
fetching the served page without JavaScript and reading its Open Graph tags (extruct), and a
microformats parser reading the owner's h-card and rel="me" links (mf2py)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
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
import kontaktcharta
from kontaktcharta.build import render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.picture import header_of

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(kontaktcharta.__file__).resolve().parents[1]
"""The folder that holds the kontaktcharta under test, for a process of its own."""
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
    header = header_of(io.BytesIO(data))
    assert header is not None and header.size == size
    assert header.kind == {"WEBP": "WebP"}.get(kind, kind)


def _cut_in_frame_header(jpeg: bytes) -> bytes:
    """A JPEG cut off after the size in its frame header, before the components."""
    frame = jpeg.index(b"\xff\xc0")
    return jpeg[: frame + 2 + 2 + 5]


def _png_with_a_wrong_checksum(png: bytes) -> bytes:
    return png[:29] + bytes([png[29] ^ 1]) + png[30:]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        picture("PNG", (9, 9))[:20],
        picture("PNG", (1200, 630))[:30],  # the size is there, the rest of its chunk is not
        _png_with_a_wrong_checksum(picture("PNG", (9, 9))),
        picture("GIF", (9, 9))[:12],
        picture("WEBP", (9, 9))[:29],
        b"\xff\xd8",
        _cut_in_frame_header(picture("JPEG", (9, 9))),
    ],
    ids=[
        "empty",
        "svg",
        "png-cut-short",
        "png-of-30-bytes",
        "png-wrong-checksum",
        "gif-cut-short",
        "webp-cut-short",
        "jpeg-without-frame",
        "jpeg-frame-header-cut-short",
    ],
)
def test_what_is_no_picture_or_no_whole_header_has_no_size(data: bytes) -> None:
    assert header_of(io.BytesIO(data)) is None


def test_a_jpeg_of_endless_markers_is_not_read_to_its_end() -> None:
    data = io.BytesIO(b"\xff\xd8" + b"\xff\x01" * 1_000_000)
    assert header_of(data) is None
    assert data.tell() < 10_000, "a file made to keep a reader busy was read on"


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
        "picture (no whole header with its size in it)"
    )


def refused(config: Path) -> str:
    """What the build of a charta says where it fails, the charta named charta.yaml."""
    with pytest.raises(ChartaError) as raised:
        render_site(config, label="charta.yaml")
    return raised.value.format()


def at_image(name: str, message: str) -> str:
    """A problem at `image: <name>` (line 8 of the charta of `project`)."""
    return f"charta.yaml:8:8: image: {message}\n    image: {name}\n           ^"


def test_a_picture_that_is_another_kind_than_its_name_or_cut_short_is_refused(
    tmp_path: Path,
) -> None:
    jpeg = {"v.png": picture("JPEG", (1200, 630))}
    assert refused(project(tmp_path / "a", "v.png", jpeg)) == at_image(
        "v.png",
        "site_src/static/v.png is a JPEG picture, named as a PNG (.png): rename it v.jpg, since "
        "a web server sends a file as the type its name says and a link preview may leave out a "
        "picture sent as another",
    )
    cut = {"bilder/v.png": picture("PNG", (1200, 630))[:30]}
    assert refused(project(tmp_path / "b", "bilder/v.png", cut)) == at_image(
        "bilder/v.png",
        "site_src/static/bilder/v.png is not a PNG, JPEG, WebP or GIF picture (no whole header "
        "with its size in it)",
    )


def test_a_picture_is_read_only_inside_the_project_and_only_from_a_regular_file(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(picture("PNG", (1200, 630)))
    config = project(tmp_path / "a", "link.png")
    (config.parent / "site_src" / "static").mkdir(parents=True)
    (config.parent / "site_src" / "static" / "link.png").symlink_to(outside)
    assert refused(config) == at_image(
        "link.png",
        f"site_src/static/link.png is a link to {outside}, outside the project; a site "
        "publishes only the project's own files (copy the picture in instead of linking it)",
    )
    within = project(tmp_path / "b", "link.png", {"../../bilder/v.png": outside.read_bytes()})
    (within.parent / "site_src" / "static" / "link.png").symlink_to("../../bilder/v.png")
    assert json.loads(render_site(within).files["charta.json"])["image"] == URL + "link.png"
    folder = project(tmp_path / "c", "ordner.png", {"ordner.png/x": b""})
    assert refused(folder) == at_image(
        "ordner.png", "cannot read site_src/static/ordner.png: a folder, not a file"
    )


def test_a_fifo_named_as_the_picture_is_refused_without_waiting_for_a_writer(
    tmp_path: Path,
) -> None:
    config = project(tmp_path, "p.png")
    (tmp_path / "site_src" / "static").mkdir(parents=True)
    os.mkfifo(tmp_path / "site_src" / "static" / "p.png")
    built = subprocess.run(  # in a process of its own, which a timeout ends should it wait
        [sys.executable, "-m", "kontaktcharta", "build", "--quiet"],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(SOURCE)},
    )
    assert (built.returncode, built.stderr) == (
        1,
        at_image("p.png", "cannot read site_src/static/p.png: a FIFO, not a file") + "\n",
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
