"""Bounded HTTP(S) requests for `charta verify URL`: a timeout for each request and for the run,
a size limit for each answer read in chunks, at most a few redirects and only to http or https.

A published site is not trusted to answer quickly, briefly or at all, so nothing here reads more
than it was given leave to. The standard library only: http.client, with the system's
certificates for https.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from typing import Final
from urllib.parse import quote, urljoin, urlsplit

TIMEOUT: Final = 10.0
"""The most seconds one request may take, from connecting to the last byte of its answer."""
RUN_TIME: Final = 60.0
"""The most seconds all requests of one run may take together."""
MAX_REDIRECTS: Final = 5
"""The most redirects followed for one file."""
CHUNK: Final = 64 * 1024
"""How much of an answer is read at a time."""
REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_SAFE: Final = "/%:@!$&'()*+,;=-._~"
"""What stays as it is in a path: what a URL may hold there, and `%` of an escape."""


class Failure(Exception):
    """A request that failed: `url: reason`."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


class Unanswered(Failure):
    """No HTTP answer at all (the host unknown, the connection refused, TLS failed, a timeout):
    the check cannot go on."""


class Refused(Failure):
    """An answer verify does not take (too large, compressed, a redirect it does not follow):
    the site's fault."""


@dataclass(frozen=True, slots=True)
class Response:
    """What a site answered for one address, after the redirects."""

    url: str
    """The address that answered: the last of the redirects."""
    status: int
    """The HTTP status: 200, 404 …"""
    reason: str
    """Its phrase: `Not Found`."""
    headers: Message
    """The answer's headers."""
    body: bytes
    """The whole body of a 2xx answer; empty for any other."""
    redirects: tuple[str, ...] = ()
    """The addresses before `url`, in the order they were asked, the first one asked first."""

    @property
    def ok(self) -> bool:
        """Whether the status is a success (2xx)."""
        return 200 <= self.status < 300


@dataclass(slots=True)
class Fetcher:
    """Makes the requests of one run, each bounded by `timeout` and all by `run_time`."""

    user_agent: str
    """The User-Agent sent: `kontaktcharta/1.0.0 (+verify)`."""
    timeout: float = TIMEOUT
    """The most seconds one request may take."""
    run_time: float = RUN_TIME
    """The most seconds all requests may take together."""
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.run_time

    def get(self, url: str, limit: int, accept: str = "*/*") -> Response:
        """GET `url`, following at most MAX_REDIRECTS redirects within http and https, and read
        at most `limit` bytes of the body; Unanswered or Refused where that fails."""
        problem = _unusable(url)
        if problem is not None:
            raise Unanswered(url, problem)
        chain = [url]
        while True:
            response = self._once(chain[-1], limit, accept)
            location = response.headers.get("Location")
            if response.status not in REDIRECTS or not location:
                return Response(
                    chain[-1],
                    response.status,
                    response.reason,
                    response.headers,
                    response.body,
                    tuple(chain[:-1]),
                )
            try:
                target = urljoin(chain[-1], location.strip()).split("#", 1)[0]
                scheme = urlsplit(target).scheme.lower()
            except ValueError as error:  # a host that cannot be read (an unclosed `[`)
                raise Refused(
                    url, f"redirects to an address that cannot be read ({error})"
                ) from None
            if scheme not in ("http", "https"):
                raise Refused(
                    url,
                    f"redirects to {target[:200]}; verify follows redirects only to http and https",
                )
            if urlsplit(chain[-1]).scheme.lower() == "https" and scheme == "http":
                raise Refused(
                    url,
                    f"redirects from https to http ({target}); a visitor's browser would "
                    "leave the encrypted connection",
                )
            problem = _unusable(target) if scheme in ("http", "https") else None
            if problem is not None:
                raise Refused(url, f"redirects to {target[:200]}, which {problem}")
            if target in chain:
                raise Refused(url, f"redirects in a loop: {' → '.join([*chain, target])}")
            if len(chain) > MAX_REDIRECTS:
                raise Refused(
                    url,
                    f"redirects more than {MAX_REDIRECTS} times ({' → '.join([*chain, target])})",
                )
            chain.append(target)

    def _once(self, url: str, limit: int, accept: str) -> Response:
        """One request, no redirect followed, cut off when its time is up."""
        parts = urlsplit(url)
        started = time.monotonic()
        allowed = min(self.timeout, self.deadline - started)
        if allowed <= 0:
            raise Unanswered(url, f"not asked: the run took its {self.run_time:g} s already")
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname or "", parts.port, timeout=allowed, context=_tls()
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname or "", parts.port, timeout=allowed
            )
        expired = threading.Event()
        # The socket's timeout bounds each wait; the timer the whole request, however slowly
        # the handshake or the answer trickles in, by shutting the connection when time is up.
        held: list[socket.socket] = []  # the answer keeps the socket the connection lets go
        timer = threading.Timer(allowed, _cut, (connection, held, expired))
        timer.daemon = True
        timer.start()
        try:
            connection.connect()
            if connection.sock is not None:
                held.append(connection.sock)
            response = self._exchange(url, connection, limit, accept)
            if expired.is_set():
                raise TimeoutError
            return response
        except (OSError, http.client.HTTPException) as error:
            if expired.is_set() or isinstance(error, TimeoutError):
                raise Unanswered(
                    url,
                    f"timed out: no whole answer within {allowed:g} s"
                    if allowed == self.timeout
                    else f"timed out: the run's {self.run_time:g} s are over",
                ) from None
            raise Unanswered(url, _failure(parts.hostname, error)) from None
        finally:
            timer.cancel()
            connection.close()

    def _exchange(
        self, url: str, connection: http.client.HTTPConnection, limit: int, accept: str
    ) -> Response:
        """Send the request and read the answer: the body of a success only."""
        parts = urlsplit(url)
        path = quote(parts.path or "/", safe=_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_SAFE + "?")
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": self.user_agent,
                "Accept": accept,
                "Accept-Encoding": "identity",
            },
        )
        with connection.getresponse() as answer:  # closed, and with it the connection
            body = b""
            if 200 <= answer.status < 300:
                _check_encoding(url, answer)
                body = _read(url, answer, limit)
            return Response(url, answer.status, answer.reason, answer.headers, body)


def _unusable(url: str) -> str | None:
    """Why an http(s) address cannot be asked (no host, a port that is not one), or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it (a ValueError where it is no port)
    except ValueError as error:
        return f"is not an address that can be asked ({error})"
    if not parts.hostname:
        return "names no host"
    return None


def _cut(
    connection: http.client.HTTPConnection, held: list[socket.socket], expired: threading.Event
) -> None:
    """End a request whose time is up: a wait on its socket (connecting, the TLS handshake,
    reading the answer) returns at once."""
    expired.set()
    for sock in (connection.sock, *held):
        if sock is not None:
            with contextlib.suppress(OSError):  # the plain socket's: TLS's state is left alone
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _failure(host: str | None, error: BaseException) -> str:
    """Why a request got no answer, in a few words."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS: the certificate is refused ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error})"
    if isinstance(error, socket.gaierror):
        return f"cannot find the host {host} ({error.strerror})"
    if isinstance(error, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(error, http.client.HTTPException):
        return f"not a valid HTTP answer ({type(error).__name__})"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _check_encoding(url: str, answer: http.client.HTTPResponse) -> None:
    """Verify asks for the body as it is (`Accept-Encoding: identity`) and takes no other."""
    encoding = (answer.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise Refused(
            url,
            f"sent {encoding}-encoded although verify asked for it as it is "
            "(Accept-Encoding: identity)",
        )


def _read(url: str, answer: http.client.HTTPResponse, limit: int) -> bytes:
    """The body in chunks, stopping once it is past `limit` bytes."""
    length = answer.headers.get("Content-Length", "").strip()
    if length.isascii() and length.isdigit() and int(length) > limit:
        raise Refused(
            url,
            f"is {int(length):,} bytes (Content-Length), more than the {limit:,} bytes "
            "verify reads of it",
        )
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = answer.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise Refused(
        url, f"is larger than {limit:,} bytes, the most verify reads of it; it stopped reading"
    )
