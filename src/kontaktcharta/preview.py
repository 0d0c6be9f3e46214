"""What programs that read a page for a person take from it: the link preview (Open Graph and
Twitter card tags) and whose profiles the page names as the owner's own (`rel="me"`).

The loader makes the preview's picture absolute and reads its size (`locate`); verify holds
what a page says to those programs to its policy (`head_problems`), so that a page cannot
show another picture in a preview, claim to be another address, or claim another's profile.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urljoin

from .picture import size_of

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

    from .errors import Problems
    from .model import Charta

STATIC: Final = "site_src/static"
"""Where a picture of the site lies, below the folder of charta.yaml."""
SMALLEST: Final = 200
"""The fewest pixels either way that Facebook and LinkedIn show a preview's picture with."""
LARGEST_BYTES: Final = 5 * 1000 * 1000
"""The largest picture LinkedIn shows (Facebook takes 8 MB)."""
PICTURE: Final = frozenset(
    ["og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"]
)
"""The tags that name a preview's picture: each must be the policy's `image`."""
SIZES: Final = frozenset(["og:image:width", "og:image:height"])
ADDRESS: Final = frozenset(["og:url", "twitter:url"])
"""The tags that name the page's own address: each must be the policy's `url`."""
_READ: Final = frozenset(["meta", "link", "a", "area"])
"""The elements that hold a preview tag or may name a profile with `rel="me"`."""
_PIXELS: Final = re.compile(r"[1-9][0-9]{0,5}")


def locate(charta: Charta, project: Path, problems: Problems) -> Charta:
    """The charta with its picture's absolute address, and, for a file of the site, its
    size; a problem at `image` where a file has no address (no `url`) or is no picture."""
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
    path = project / STATIC / file
    try:
        with path.open("rb") as image:
            size = size_of(image)
            length = image.seek(0, 2)
    except OSError as error:
        missing = isinstance(error, FileNotFoundError | NotADirectoryError)
        why = "there is no such file" if missing else error.strerror or str(error)
        problems.at("image", f"cannot read {STATIC}/{file}: {why}")
        return charta
    if size is None:
        problems.at(
            "image", f"{STATIC}/{file} is not a PNG, JPEG, WebP or GIF picture (no size in it)"
        )
        return charta
    width, height = size
    if min(width, height) < SMALLEST:
        problems.warn(
            "image",
            f"{STATIC}/{file} is {width}×{height} pixels; link previews show a picture of at "
            f"least {SMALLEST}×{SMALLEST} (best 1200×630), so this one may be left out",
        )
    if length > LARGEST_BYTES:
        problems.warn(
            "image",
            f"{STATIC}/{file} has {length / 1e6:.1f} MB; LinkedIn shows a picture of at most "
            f"{LARGEST_BYTES // 1000000} MB, so this one may be left out",
        )
    address = urljoin(charta.url, quote(file))
    located = dataclasses.replace(picture, url=address, width=width, height=height)
    return dataclasses.replace(charta, image=located)


def head_problems(
    elements: Iterable[tuple[LexborNode, Mapping[str, str | None]]], policy: Mapping[str, Any]
) -> list[str]:
    """Every way a page's preview tags and `rel="me"` links say something else than its policy:
    another picture (or one the policy lacks), another address, a size that is no number, a
    profile that is neither the owner's address nor one of the platforms'. `elements` are the
    page's elements with their attributes."""
    image, url = policy.get("image"), policy.get("url")
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
            if tag in PICTURE:
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
            elif tag in ADDRESS and content != url:
                found.append(f"url: the page's {tag} is {content[:80]!r}, {_policy_url(url)}")
        rel = (attrs.get("rel") or "").lower().split()
        if "canonical" in rel and node.tag == "link":
            href = (attrs.get("href") or "").strip()
            if href != url:
                found.append(f"url: the page's canonical link is {href[:80]!r}, {_policy_url(url)}")
        if "me" in rel and node.tag in ("a", "link", "area"):
            href = (attrs.get("href") or "").strip()
            if href not in profiles:
                found.append(
                    f'owner: the page claims {href[:80]!r} as the owner\'s own (rel="me"), '
                    "which is neither owner.url nor a platform's profile in the policy"
                )
    if image is not None and pictures == 0:
        found.append(
            f'image: the page carries no <meta property="og:image">, the policy names {image!r}'
        )
    return found


def _policy_url(url: str | None) -> str:
    return f"the policy's url {url!r}" if url else "and the policy has no url"


def _named(attrs: Mapping[str, str | None]) -> str:
    return "property" if attrs.get("property") else "name"
