"""What programs that read a page for a person take from it: the link preview (Open Graph and
Twitter card tags) and whose profiles the page names as the owner's own (`rel="me"`).

The loader makes the preview's picture absolute and reads its size (`locate`); verify holds
what a page says to those programs to its policy (`head_problems`), so that a page cannot
show another picture in a preview, claim to be another address, or claim another's profile;
and it reads the picture where it is one of the site's files (`PICTURE`), so that the size the
pages give is the picture's.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, unquote, urljoin, urlsplit

from .errors import open_regular
from .outputs import Build, Difference
from .picture import KINDS, Header, header_of, kind_named

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

    from .errors import Problems
    from .model import Charta
    from .outputs import Files

STATIC: Final = "site_src/static"
"""Where a picture of the site lies, below the folder of charta.yaml."""
SMALLEST: Final = 200
"""The fewest pixels either way that Facebook and LinkedIn show a preview's picture with."""
LARGEST_BYTES: Final = 5 * 1000 * 1000
"""The largest picture LinkedIn shows (Facebook takes 8 MB)."""
PICTURE_TAGS: Final = frozenset(
    ["og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"]
)
"""The tags that name a preview's picture: each must be the policy's `image`."""
SIZES: Final = {"og:image:width": 0, "og:image:height": 1}
"""The tags that give the picture's size, with the place of their number in (width, height)."""
ADDRESS: Final = frozenset(["og:url", "twitter:url"])
"""The tags that name the page's own address: a charta page's is the policy's `url`."""
_READ: Final = frozenset(["meta", "link", "a", "area"])
"""The elements that hold a preview tag or may name a profile with `rel="me"`."""
_PIXELS: Final = re.compile(r"[1-9][0-9]{0,5}")
_EXTENSION: Final = {kind: ext for ext, kind in reversed(KINDS.items())}
"""The usual extension of each kind of picture: `jpg` for a JPEG."""


def locate(charta: Charta, project: Path, problems: Problems) -> Charta:
    """The charta with its picture's absolute address, and, for a file of the site, its
    size; a problem at `image` where a file has no address (no `url`), lies outside the
    project (a link), is not a regular file, or is no picture of the kind its name says."""
    picture = charta.image
    if picture is None or picture.file is None:
        return charta
    file = picture.file
    if charta.url is None:
        problems.at(
            "image",
            f"{file!r} is a file of the site, and a link preview needs its absolute address: "
            "set url (the page's public address), or give the picture's https URL",
        )
        return charta
    if urlsplit(charta.url).scheme != "https":
        problems.at(
            "image",
            f"{file!r} is a file of the site, whose address follows url, and link previews load "
            "over https: set url to the page's https address, or give the picture's https URL",
        )
        return charta
    shown = f"{STATIC}/{file}"
    found = _read_header(project, file, shown)
    if isinstance(found, str):
        problems.at("image", found)
        return charta
    header, length = found
    width, height = header.size
    if min(width, height) < SMALLEST:
        problems.warn(
            "image",
            f"{shown} is {width}×{height} pixels; link previews show a picture of at "
            f"least {SMALLEST}×{SMALLEST} (best 1200×630), so this one may be left out",
        )
    if length > LARGEST_BYTES:
        problems.warn(
            "image",
            f"{shown} has {length / 1e6:.1f} MB; LinkedIn shows a picture of at most "
            f"{LARGEST_BYTES // 1000000} MB, so this one may be left out",
        )
    address = urljoin(charta.url, quote(file))
    located = dataclasses.replace(picture, url=address, width=width, height=height)
    return dataclasses.replace(charta, image=located)


def _read_header(project: Path, file: str, shown: str) -> tuple[Header, int] | str:
    """The header and the length of a picture of the site, or what is wrong with it. The path
    is resolved first: a link may not lead out of the project (as the static files' rule is),
    and only a regular file is opened (a FIFO would keep the build waiting)."""
    path = project / STATIC / file
    within = (project.resolve(), (project / "site_src").resolve())
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a link that leads to itself
        return f"cannot read {shown}: a link that never reaches a file"
    if not any(target.is_relative_to(root) for root in within):
        return (
            f"{shown} is a link to {target}, outside the project; a site publishes only the "
            "project's own files (copy the picture in instead of linking it)"
        )
    try:
        with open_regular(target) as image:
            header = header_of(image)
            length = os.fstat(image.fileno()).st_size
    except OSError as error:
        missing = isinstance(error, FileNotFoundError | NotADirectoryError)
        why = "there is no such file" if missing else error.strerror or str(error)
        return f"cannot read {shown}: {why}"
    if header is None:
        return (
            f"{shown} is not a PNG, JPEG, WebP or GIF picture (no whole header with its size in it)"
        )
    named = kind_named(file)
    if header.kind != named:
        ext = file.rsplit(".", 1)[1]
        better = f"{file.rsplit('/', 1)[-1].rsplit('.', 1)[0]}.{_EXTENSION[header.kind]}"
        return (
            f"{shown} is a {header.kind} picture, named as a {named} (.{ext}): rename it "
            f"{better}, since a web server sends a file as the type its name says and a link "
            "preview may leave out a picture sent as another"
        )
    return header, length


def head_problems(
    elements: Iterable[tuple[LexborNode, Mapping[str, str | None]]],
    policy: Mapping[str, Any],
    page: str = "",
    fragment: bool = False,
) -> list[str]:
    """Every way a page's preview tags and `rel="me"` links say something else than its policy:
    another picture (or one the policy lacks), another address, a size that is no number, a
    profile that is neither the owner's address nor one of the platforms'. `elements` are the
    page's elements with their attributes.

    `page` is the path of a page of the site that is not a charta page (an extra page,
    `impressum.html`): its og:url and canonical link name its own address, and it need not
    carry og:image. A `fragment` (the embed, charta.md) stands on a page that is not the
    charta's: it need not carry og:image either, and claims no profile at all."""
    image, url = policy.get("image"), policy.get("url")
    addresses, expected = _addresses(url, page)
    profiles = {policy["owner"].get("url")} | {p.get("profile") for p in policy["platforms"]}
    profiles.discard(None)
    found: list[str] = []
    pictures = 0
    for node, attrs in elements:
        if node.tag not in _READ or (node.tag != "meta" and "rel" not in attrs):
            continue  # most elements: no preview tag, no rel
        if node.tag == "meta":
            tag = (attrs.get("property") or attrs.get("name") or "").strip().lower()
            content = (attrs.get("content") or "").strip()
            if tag in PICTURE_TAGS:
                pictures += tag == "og:image"
                if image is None:
                    found.append(
                        f'image: the page names a preview picture (<meta {_named(attrs)}="{tag}" '
                        f'content="{content[:60]}">), the policy none'
                    )
                elif content != image:
                    found.append(
                        f"image: the page's {tag} is {content[:80]!r}, the policy's {image!r}"
                    )
            elif tag in SIZES and not _PIXELS.fullmatch(content):
                found.append(f"image: the page's {tag} is {content[:20]!r}, not a number of pixels")
            elif tag in ADDRESS and content not in addresses:
                found.append(f"url: the page's {tag} is {content[:80]!r}, {expected}")
        rel = (attrs.get("rel") or "").lower().split()
        if "canonical" in rel and node.tag == "link":
            href = (attrs.get("href") or "").strip()
            if href not in addresses:
                found.append(f"url: the page's canonical link is {href[:80]!r}, {expected}")
        if "me" in rel and node.tag in ("a", "link", "area"):
            href = (attrs.get("href") or "").strip()
            if fragment:
                found.append(
                    f'owner: the fragment claims {href[:80]!r} as the owner\'s own (rel="me"); '
                    "it stands on a page that is not the charta's, and claims no profile"
                )
            elif href not in profiles:
                found.append(
                    f'owner: the page claims {href[:80]!r} as the owner\'s own (rel="me"), '
                    "which is neither owner.url nor a platform's profile in the policy"
                )
    if image is not None and pictures == 0 and not page and not fragment:
        found.append(
            f'image: the page carries no <meta property="og:image">, the policy names {image!r}'
        )
    return found


def _addresses(url: str | None, page: str) -> tuple[set[str], str]:
    """The addresses a page may give as its own (og:url, canonical), and how a message names
    them: the policy's url for a charta page, that joined with the page's path for another."""
    if url is None:
        return set(), "and the policy has no url"
    if not page:
        return {url}, f"the policy's url {url!r}"
    own = urljoin(url, quote(page))
    return {own, own.removesuffix("index.html") or own}, f"its own address {own!r}"


def _named(attrs: Mapping[str, str | None]) -> str:
    return "property" if attrs.get("property") else "name"


def site_file(image: str, url: str | None) -> str | None:
    """The path below the site of a picture whose address is the site's (`vorschau.png` for
    `<url>vorschau.png`), as the loader makes it; None for a picture elsewhere."""
    if url is None:
        return None
    base = urljoin(url, ".")
    parts = urlsplit(image)
    if not image.startswith(base) or parts.query or parts.fragment:
        return None
    name = unquote(image[len(base) :])
    return name if name and kind_named(name) is not None else None


class PreviewPicture:
    """The picture of link previews where the pages give its size: one of the site's files
    (the build gives the size of no other), read as the build read it. It must be there, a
    picture of the kind its name says, of the size each page gives."""

    source = "site_src/static"

    def render(self, build: Build) -> Iterator[tuple[str, bytes]]:
        return iter(())  # the picture is a static file: it checks what STATIC copied

    def check(self, files: Files, policy: Mapping[str, Any]) -> Iterator[Difference]:
        image = policy.get("image")
        name = site_file(image, policy.get("url")) if image else None
        if name is None:
            return  # no picture, or one elsewhere: verify fetches nothing from another host
        sized = list(_sizes_given(files))
        if not sized:
            return
        unread = "the pages give the size of the preview's picture, which cannot be read"
        try:
            data = files.read_bytes(name)
        except OSError as error:
            yield Difference(name, f"image: {unread} ({error.strerror})")
            return
        if data is None:
            yield Difference(name, f"image: {unread} ({files.absent(name)})")
            return
        header, named = header_of(io.BytesIO(data)), kind_named(name)
        if header is None or header.kind != named:
            found = f"a {header.kind} picture" if header else "no whole header with a size"
            yield Difference(
                name, f"image: the preview's picture is not a {named} picture ({found} in it)"
            )
            return
        for page, tag, given in sized:
            real, way = header.size[SIZES[tag]], ("wide", "high")[SIZES[tag]]
            if given != str(real):
                yield Difference(
                    page,
                    f"image: the page's {tag} is {given}; the picture {name} is {real} "
                    f"pixels {way}",
                )


PICTURE = PreviewPicture()


def _sizes_given(files: Files) -> Iterator[tuple[str, str, str]]:
    """Each HTML page's og:image:width and og:image:height that is a number: the page, the
    tag and the number (head_problems names one that is not)."""
    from selectolax.lexbor import LexborHTMLParser

    for name in files.names():
        if name.lower().rsplit(".", 1)[-1] not in ("html", "htm"):
            continue
        try:
            text = files.read(name)
        except OSError:
            continue  # said by the output that reads it
        if text is None:
            continue
        for node in LexborHTMLParser(text).css("meta"):
            attrs = node.attributes
            tag = (attrs.get("property") or attrs.get("name") or "").strip().lower()
            content = (attrs.get("content") or "").strip()
            if tag in SIZES and _PIXELS.fullmatch(content):
                yield name, tag, content
