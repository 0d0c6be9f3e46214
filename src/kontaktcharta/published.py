"""`charta verify URL`: a published charta, checked over HTTP(S).

The site's files are read through `Site`, which site.check_site reads as it reads a folder, so a
published charta meets exactly the checks of a built one. Then what only HTTP shows: the type
each file is sent as, the policy's CORS header, the redirects, and the `.well-known` pointer at
the root of the domain.
"""

from __future__ import annotations

import datetime
import errno
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from .discovery import FILE as POINTER_FILE
from .jsontext import NotJson, loads
from .outputs import language_paths
from .policy import FILE as POLICY_FILE
from .remote import Fetcher, Refused, Response, Unanswered
from .site import MOST_BYTES, check_site, most_bytes, utf8
from .verify import parse

HTML: Final = "text/html"
JSON: Final = "application/json"
CSS: Final = "text/css"
UTF8: Final = frozenset({"utf-8", "utf8"})
"""The charsets a file may be sent with, or none: every file of a site is UTF-8."""
MAX_LINKED: Final = 50
"""The most other files of the site (extra pages, style sheets) read, of those the pages link."""
CORS: Final = "docs/publishing.md, “Sending the CORS header”"
"""Where the docs say how to send Access-Control-Allow-Origin."""


@dataclass
class Report:
    """What verify found on a published charta."""

    site: str
    """The charta's address: the folder of its policy (before it is known, the address given)."""
    policy: Mapping[str, Any] | None = None
    """The policy, where it could be read."""
    problems: list[str] = field(default_factory=list)
    """Every way the site fails: each a message, the file first where it is one file's."""
    warnings: list[str] = field(default_factory=list)
    """What works, but not for everyone: a tool in a browser, a tool that knows only the domain."""
    notes: list[str] = field(default_factory=list)
    """What verify did that the user should know: each redirect it followed."""
    pages: list[tuple[str, str]] = field(default_factory=list)
    """Each language's page: its name (`en/index.html`) and the address that answered."""


def check_url(url: str, on: datetime.date, fetcher: Fetcher) -> Report:
    """Every problem of the charta whose page is at `url`; remote.Unanswered where the site
    does not answer at all."""
    try:
        parts = urlsplit(url.split("#", 1)[0])  # a deep link is its page
    except ValueError as error:
        raise Unanswered(url, f"is not an address that can be asked ({error})") from None
    url = urlunsplit(parts._replace(path=parts.path or "/"))
    try:
        page = fetcher.get(url, MOST_BYTES, HTML)
    except Refused as error:
        reason = error.reason if error.url == url else str(error)
        return Report(url, problems=[f"cannot be read ({reason})"])
    if not page.ok:
        return Report(url, problems=[f"cannot be read ({_status(page)})"])
    report = Report(url, notes=_redirected(page))
    try:
        text = page.body.decode("utf-8")
    except UnicodeDecodeError:
        report.problems.append("cannot be read (not UTF-8 text)")
        return report
    href = policy_link(text)
    if href is None:
        report.problems.append(
            'the page names no policy (<link rel="alternate" type="application/json" '
            'href="charta.json">): is it a charta page?'
        )
        return report
    policy_url = _join(page.url, href)
    if policy_url is None:
        report.problems.append(f"the page's link to its policy is no address: {href[:200]}")
        return report
    site = Site(fetcher, policy_url.split("#", 1)[0], page)
    report.site = site.base
    report.policy, report.problems = check_site(site, on)
    if report.policy is None:
        return report
    report.pages = site.pages(report.policy)
    if page.url not in (address for _, address in report.pages):
        report.problems.append(
            f"{page.url} names this policy, but is none of its pages "
            f"({', '.join(address for _, address in report.pages)})"
        )
    for name, answer in site.answers():
        report.notes += _redirected(answer)
        if answer.ok:
            report.problems += [f"{name}: {wrong}" for wrong in sent_as(name, answer)]
    report.warnings += [f"{POLICY_FILE}: {w}" for w in readable(site.answer(POLICY_FILE))]
    if site.left_out:
        report.warnings.append(
            f"the pages link {site.left_out} more files of the site than the {MAX_LINKED} "
            "verify reads"
        )
    _check_pointer(fetcher, site, report.policy, report)
    report.notes = list(dict.fromkeys(report.notes))  # the page's redirect, once
    return report


def policy_link(page: str) -> str | None:
    """The `href` of the page's <link rel="alternate" type="application/json">, if any."""
    for node in parse(page).css("link[href]"):
        attrs = node.attributes
        if (
            "alternate" in (attrs.get("rel") or "").lower().split()
            and (attrs.get("type") or "").strip().lower() == JSON
        ):
            return attrs.get("href") or None
    return None


class Site:
    """The files of a published charta, read over HTTP as site.check_site reads a folder: a
    path below the site is that address below the policy's folder (a page `en/index.html` is
    `en/` where the charta's address is a folder's), `charta.json` the address the page names.
    Each address is asked once."""

    def __init__(self, fetcher: Fetcher, policy_url: str, page: Response) -> None:
        self.fetcher = fetcher
        self.policy_url = policy_url
        self.base = urljoin(policy_url, ".")
        """The site's address: where the pages' paths start."""
        last = urlsplit(page.url).path.rsplit("/", 1)[-1]
        self.folders = "." not in last
        """Whether a page's address is its folder's (`en/`) rather than its file's."""
        self._answers: dict[str, Response | Refused] = {page.url: page}
        self._read: dict[str, str] = {}  # each file read: its address
        self.left_out = 0
        """How many of the files the pages link were left unread (more than MAX_LINKED)."""

    def url(self, name: str) -> str:
        """The address of a file of the site."""
        if name == POLICY_FILE:
            return self.policy_url
        if self.folders and (name == "index.html" or name.endswith("/index.html")):
            name = name.removesuffix("index.html")
        return self.base + quote(name)

    def answer(self, name: str) -> Response | Refused:
        """The site's answer for a file, asked once."""
        url = self._read.setdefault(name, self.url(name))
        if url not in self._answers:
            accept = JSON if name.endswith(".json") else "text/html, */*"
            try:
                self._answers[url] = self.fetcher.get(url, most_bytes(name), accept)
            except Refused as error:
                self._answers[url] = error
        return self._answers[url]

    def answers(self) -> list[tuple[str, Response]]:
        """Each file read with the answer it got, in the order they were read."""
        return [
            (name, answer)
            for name, url in self._read.items()
            if isinstance(answer := self._answers[url], Response)
        ]

    def read(self, name: str) -> str | None:
        data = self.read_bytes(name)
        return None if data is None else utf8(data, self.answer(name).url)  # it gave the bytes

    def read_bytes(self, name: str) -> bytes | None:
        answer = self.answer(name)
        if isinstance(answer, Refused):
            raise OSError(errno.EPROTO, str(answer))
        if answer.status in (404, 410):
            return None
        if not answer.ok:
            raise OSError(errno.EIO, f"{answer.url}: {_status(answer)}")
        return answer.body

    def absent(self, name: str) -> str:
        answer = self.answer(name)
        return f"{self.url(name)}: {_status(answer)}" if isinstance(answer, Response) else ""

    def names(self) -> list[str]:
        """Each language's page and embed, and the site's own HTML pages and style sheets that
        the pages link (a site over HTTP cannot be listed)."""
        try:
            policy = loads(self.read(POLICY_FILE) or "")
            pages = [path for _, path in language_paths(policy, "index.html")]
            embeds = [path for _, path in language_paths(policy, "embed.html")]
        except (OSError, NotJson, KeyError, TypeError, AttributeError):
            return []  # check_site has said why
        linked: set[str] = set()
        for name in pages:
            try:
                text = self.read(name)
            except OSError:
                continue
            if text is not None:
                linked.update(self._linked(name, text))
        linked -= {*pages, *embeds}
        others = sorted(linked)
        self.left_out = max(0, len(others) - MAX_LINKED)
        return sorted({*pages, *embeds, *others[:MAX_LINKED]})

    def _linked(self, name: str, text: str) -> set[str]:
        """The paths of the site's HTML pages and style sheets that a page links."""
        answer = self.answer(name)
        page = answer.url if isinstance(answer, Response) else self.url(name)
        found = set()
        for node in parse(text).css("a[href], link[href]"):
            address = _join(page, node.attributes.get("href") or "")
            address = (address or "").split("#", 1)[0].split("?", 1)[0]
            if not address or not address.startswith(self.base):
                continue
            path = unquote(address.removeprefix(self.base))
            if path == "" or path.endswith("/"):
                path += "index.html"
            if path.lower().rsplit(".", 1)[-1] in ("html", "htm", "css"):
                found.add(path)
        return found

    def pages(self, policy: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Each language's page with the address that answered for it."""
        found = []
        for _, name in language_paths(policy, "index.html"):
            answer = self.answer(name)
            found.append((name, answer.url if isinstance(answer, Response) else self.url(name)))
        return found


def sent_as(name: str, answer: Response) -> list[str]:
    """What is wrong with the type a file was sent as: a page must be text/html, a JSON file
    application/json (or a type ending in +json), a style sheet text/css, each in UTF-8."""
    kind = name.lower().rsplit(".", 1)[-1]
    expected = {"html": HTML, "htm": HTML, "json": JSON, "css": CSS}.get(kind)
    if expected is None:
        return []  # charta.md and the like: not for browsers, any type will do
    wanted = f"{expected} (or a type ending in +json)" if expected == JSON else expected
    sent = answer.headers.get("Content-Type")
    if sent is None:
        return [f"sent without a Content-Type; expected {wanted}"]
    given = answer.headers.get_content_type()
    if not (
        given == expected
        or (expected == JSON and given.startswith("application/") and given.endswith("+json"))
    ):
        return [f"sent as {sent.strip()}; expected {wanted}"]
    charset = answer.headers.get_content_charset()
    if charset is not None and charset not in UTF8:
        return [f"sent as {sent.strip()}, but the file is UTF-8: charset=utf-8, or no charset"]
    return []


def readable(answer: Response | Refused) -> list[str]:
    """Whether a tool in a browser on another site may read a JSON file: a warning unless it is
    sent with `Access-Control-Allow-Origin: *`."""
    if not isinstance(answer, Response) or not answer.ok:
        return []
    allowed = answer.headers.get("Access-Control-Allow-Origin")
    if allowed is None:
        return [
            "sent without Access-Control-Allow-Origin, so tools running in a browser on other "
            f"sites cannot read it ({CORS})"
        ]
    if allowed.strip() != "*":
        return [
            f"sent with Access-Control-Allow-Origin: {allowed.strip()}, so only tools on that "
            f"site can read it in a browser ({CORS})"
        ]
    return []


def _check_pointer(fetcher: Fetcher, site: Site, policy: Mapping[str, Any], report: Report) -> None:
    """The `.well-known` pointer at the root of the domain: there (else a warning), a pointer,
    and, where it names this policy, naming each of its pages."""
    path = "/" + POINTER_FILE  # the pointer's name in messages: the site's address is before
    parts = urlsplit(site.base)
    url = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    try:
        answer = fetcher.get(url, most_bytes(POLICY_FILE), JSON)
    except Refused as error:
        report.problems.append(f"{path}: cannot be read ({error})")
        return
    report.notes += _redirected(answer)
    if answer.status in (404, 410):
        report.warnings.append(
            f"{path}: there is none ({url}: {_status(answer)}), so tools that know only the "
            "domain do not find the charta (docs/publishing.md, “Discovery”)"
        )
        return
    if not answer.ok:
        report.problems.append(f"{path}: cannot be read ({url}: {_status(answer)})")
        return
    report.problems += [f"{path}: {wrong}" for wrong in sent_as(POINTER_FILE, answer)]
    report.warnings += [f"{path}: {warning}" for warning in readable(answer)]
    try:
        pointer = loads(answer.body)
    except NotJson as error:
        report.problems.append(f"{path}: {error.message}")
        return
    if not (
        isinstance(pointer, dict)
        and pointer.get("charta") == policy["charta"]
        and isinstance(pointer.get("policy"), str)
        and isinstance(pointer.get("pages"), dict)
        and all(isinstance(v, str) for v in pointer["pages"].values())
    ):
        report.problems.append(
            f"{path}: not a pointer as the build writes it: "
            f'{{"charta": {policy["charta"]}, "policy": "<address>", '
            '"pages": {"<lang>": "<address>"}}'
        )
        return
    named = _join(answer.url, pointer["policy"])
    if named is None:
        report.problems.append(f"{path}: policy: no address: {pointer['policy'][:200]}")
        return
    if named != site.policy_url:
        report.warnings.append(
            f"{path}: names the policy {named}, not this one ({site.policy_url}), so tools that "
            "know only the domain find that one"
        )
        return
    pages = {lang: site.url(name) for lang, name in language_paths(policy, "index.html")}
    for lang, address in pages.items():
        given = pointer["pages"].get(lang)
        if given is None:
            report.problems.append(f"{path}: pages: names no page for {lang} ({address})")
        elif (joined := _join(answer.url, given)) is None or _page(joined) != _page(address):
            report.problems.append(
                f"{path}: pages.{lang}: names {joined or given[:200]}, the page is {address}"
            )
    for lang in pointer["pages"]:
        if lang not in pages:
            report.problems.append(f"{path}: pages.{lang}: the policy has no such language")


def _page(url: str) -> str:
    """A page's address, the same for its folder and its index.html."""
    return url.removesuffix("index.html")


def _status(answer: Response) -> str:
    return f"HTTP {answer.status} {answer.reason}".rstrip()


def _redirected(answer: Response) -> list[str]:
    """A note for an answer that came from another address than was asked."""
    return [f"{answer.redirects[0]}: redirected to {answer.url}"] if answer.redirects else []


def _join(base: str, href: str) -> str | None:
    """`href` read against `base`; None where it is no address (a host with an unclosed `[`)."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None
