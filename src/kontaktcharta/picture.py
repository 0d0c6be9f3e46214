"""The picture a link preview shows (`image:`): where it is, and its size read from the file.

The size comes from the first bytes of the file (PNG, JPEG, WebP, GIF): a preview card is drawn
from `og:image:width` and `og:image:height` before the crawler has fetched the picture, so the
first share of a link shows it. Nothing is decoded, so this needs no imaging library.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from typing import IO, Final

KINDS: Final = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WebP", "gif": "GIF"}
"""The kind of picture each extension names."""
EXTENSIONS: Final = tuple(KINDS)
"""The kinds of file a picture may be, as its name ends (in any case)."""
FILE: Final = re.compile(
    r"(?![/\\])(?!.*//)(?!(?:.*/)?\.{1,2}(?:/|$))[^\s\\:?#]+\.(?:"
    + "|".join("".join(f"[{c}{c.upper()}]" for c in ext) for ext in EXTENSIONS)
    + ")"
)
"""A picture's path below site_src/static: relative, with one `/` between folders, no `.` or
`..` part, no space, backslash, colon, `?` or `#`, ending in one of the EXTENSIONS."""

_PNG: Final = b"\x89PNG\r\n\x1a\n"
_JPEG_SIZES: Final = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""The JPEG markers of a frame header (SOF0 to SOF15), which give the size; C4, C8 and CC
are other segments."""
_JPEG_BARE: Final = frozenset([0x01, *range(0xD0, 0xD9)])
"""JPEG markers without a length: TEM, the restart markers, the start of the image."""
_JPEG_STEPS: Final = 1000
"""The most markers and fill bytes read before a JPEG's frame header: a camera's file has a few
dozen; more is a file made to keep a reader busy."""


@dataclass(frozen=True, slots=True)
class Picture:
    """The picture of a link preview, as `charta.yaml` gives it and the page names it."""

    url: str
    """Its absolute https address (`og:image`); empty for a file until the loader has made it
    absolute with the charta's `url`."""
    file: str | None = None
    """Its path below `site_src/static`, where it is one of the site's files; None for a
    picture elsewhere."""
    width: int | None = None
    """Its width in pixels, where it is a file of the site (read from the file)."""
    height: int | None = None
    """Its height in pixels, likewise."""


@dataclass(frozen=True, slots=True)
class Header:
    """What the first bytes of a picture file say."""

    kind: str
    """`PNG`, `JPEG`, `WebP` or `GIF` (the values of KINDS)."""
    width: int
    """In pixels."""
    height: int
    """In pixels."""

    @property
    def size(self) -> tuple[int, int]:
        """Width and height."""
        return self.width, self.height


def kind_named(name: str) -> str | None:
    """The kind of picture a file's name says it is, by its extension (in any case)."""
    return KINDS.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def header_of(image: IO[bytes]) -> Header | None:
    """The kind and size of a PNG, JPEG, WebP or GIF image, read from its header; None for any
    other file, or one whose header is not all there (a PNG's whole IHDR chunk with its
    checksum, a GIF's screen descriptor, a WebP's first chunk header, a JPEG's whole frame
    header)."""
    head = image.read(33)
    if head.startswith(_PNG):
        return _png(head)
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 13:
        return _sized("GIF", *struct.unpack("<HH", head[6:10]))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and len(head) >= 30:
        return _webp(head)
    if head[:2] == b"\xff\xd8":
        image.seek(2)
        return _jpeg(image)
    return None


def _sized(kind: str, width: int, height: int) -> Header | None:
    return Header(kind, width, height) if width > 0 and height > 0 else None


def _png(head: bytes) -> Header | None:
    """The size in a PNG's IHDR chunk, which must come first, whole, with its checksum."""
    if len(head) < 33 or head[8:16] != b"\x00\x00\x00\x0dIHDR":
        return None
    if zlib.crc32(head[12:29]) != int.from_bytes(head[29:33], "big"):
        return None
    return _sized("PNG", *struct.unpack(">II", head[16:24]))


def _webp(head: bytes) -> Header | None:
    """The canvas of a WebP image: by its first chunk, lossy (VP8), lossless (VP8L) or extended
    (VP8X)."""
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return _sized("WebP", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return Header("WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return Header("WebP", width, height)
    return None


def _jpeg(image: IO[bytes]) -> Header | None:
    """The size in a JPEG's frame header, found by stepping over the segments before it (a
    camera's Exif data or a colour profile may come first, and be large)."""
    for _ in range(_JPEG_STEPS):
        byte = image.read(1)
        if byte != b"\xff":
            return None
        marker = image.read(1)
        if marker == b"\xff":  # a fill byte before a marker: the next step reads on
            image.seek(-1, 1)
            continue
        if not marker:
            return None
        code = marker[0]
        if code in _JPEG_BARE:
            continue
        if code == 0xDA:  # the image data begins: no frame header came before it
            return None
        length = image.read(2)
        if len(length) < 2 or (size := int.from_bytes(length, "big")) < 2:
            return None
        if code in _JPEG_SIZES:
            frame = image.read(size - 2)  # precision, height, width, then 3 bytes a component
            if len(frame) < 6 or len(frame) != 6 + 3 * frame[5]:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return _sized("JPEG", width, height)
        image.seek(size - 2, 1)
    return None
