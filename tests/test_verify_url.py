"""`charta verify URL`: a published charta checked over HTTP, against a real server on 127.0.0.1
that serves a site the project built; exact output and exit codes."""

from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kontaktcharta import remote
from kontaktcharta.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_URL = "https://erika.example/kontaktcharta/"
NO_CORS = (
    "sent without Access-Control-Allow-Origin, so tools running in a browser on other sites "
    "cannot read it (docs/publishing.md, “Sending the CORS header”)"
)

Route = Callable[["Handler"], None]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the server's folder, except where a test gave a path a route, type or headers."""

    server: Server

    def __init__(self, request: Any, client: Any, server: Server) -> None:
        super().__init__(request, client, server, directory=str(server.site.root))

    def do_GET(self) -> None:
        self.server.site.asked.append((self.path, dict(self.headers)))
        route = self.server.site.routes.get(self.path)
        if route is not None:
            route(self)
        else:
            super().do_GET()

    def guess_type(self, path: str | Any) -> str:
        given = self.server.site.types.get(self.path)
        return given if given is not None else super().guess_type(path)

    def end_headers(self) -> None:
        for name, value in self.server.site.headers.get(self.path, {}).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    """The server, with the site it serves now."""

    daemon_threads = True
    site: Served


@dataclass
class Served:
    """What the server serves in one test, and what it was asked."""

    root: Path
    """The folder served: the charta in `kontakt/`, the pointer in `.well-known/`."""
    base: str
    """The server's address: `http://127.0.0.1:<port>/`."""
    routes: dict[str, Route] = field(default_factory=dict)
    """Answers of the test's own, by the path asked."""
    types: dict[str, str] = field(default_factory=dict)
    """Content types in place of the file's, by path."""
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Headers added to an answer, by path."""
    asked: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """Each request: its path and headers."""
    released: threading.Event = field(default_factory=threading.Event)
    """Set when the test ends: a route that waits stops waiting."""

    @property
    def url(self) -> str:
        """The charta's address."""
        return self.base + "kontakt/"

    def replace(self, file: str, old: str, new: str) -> None:
        """Replace `old` (there once) by `new` in a file of the charta."""
        path = self.root / "kontakt" / file
        text = path.read_text("utf-8")
        assert text.count(old) == 1, f"{old!r} is in {file} {text.count(old)} times"
        path.write_text(text.replace(old, new), "utf-8")

    def revision(self) -> str:
        """The policy's revision, as verify prints it."""
        return str(json.loads((self.root / "kontakt" / "charta.json").read_text())["revision"])


@contextlib.contextmanager
def serving(tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    """A server on 127.0.0.1 at a free port, stopped after."""
    server = Server(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, name="test site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build_into(root: Path, url: str, tmp: Path, picture: bytes | None = None) -> None:
    """Build the example charta with `url:` set to `url` into `root/kontakt/`, and put its
    pointer at `root/.well-known/`, as docs/publishing.md says; with `picture`, that is its
    picture for link previews, `site_src/static/vorschau.png`."""
    project = tmp / "project"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    text = (ROOT / "charta.yaml").read_text("utf-8").replace(EXAMPLE_URL, url)
    if picture is not None:
        text = text.replace(f"url: {url}\n", f"url: {url}\nimage: vorschau.png\n")
        (project / "site_src" / "static").mkdir()
        (project / "site_src" / "static" / "vorschau.png").write_bytes(picture)
    (project / "charta.yaml").write_text(text, "utf-8")
    out = root / "kontakt"
    argv = ["build", "--config", str(project / "charta.yaml"), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    (root / ".well-known").mkdir()
    shutil.copy(out / ".well-known" / "kontaktcharta.json", root / ".well-known")


def cors(served: Served) -> None:
    """Send Access-Control-Allow-Origin: * with both JSON files, as the docs say to."""
    for path in ("/kontakt/charta.json", "/.well-known/kontaktcharta.json"):
        served.headers[path] = {"Access-Control-Allow-Origin": "*"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One server for the module; each test gives it a site of its own."""
    with serving() as server:
        yield server


@pytest.fixture(scope="module")
def built(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example charta built once for the server's address."""
    root = tmp_path_factory.mktemp("published") / "root"
    url = f"http://127.0.0.1:{server.server_port}/kontakt/"
    build_into(root, url, tmp_path_factory.mktemp("project"))
    return root


@pytest.fixture
def site(
    server: Server, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Served]:
    """A fresh copy of the built site on the server, the CORS header sent, on the build date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21
    root = tmp_path / "root"
    shutil.copytree(built, root)
    server.site = Served(root, f"http://127.0.0.1:{server.server_port}/")
    cors(server.site)
    yield server.site
    server.site.released.set()


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`charta verify ARGS`: the exit code, stdout and stderr."""
    capsys.readouterr()
    code = main(["verify", *args])
    out, err = capsys.readouterr()
    return code, out, err


def agree(url: str, revision: str) -> str:
    """The line of a site that verifies."""
    return f"{url}: page and policy agree (13 criteria in 2 languages, {revision[:19]}…)\n"


def fails(url: str, *problems: str) -> str:
    """What verify prints on stderr for a site with these problems."""
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    return (
        "".join(f"{url}: {p}\n" for p in problems) + f"{url}: the site does not verify ({count})\n"
    )


def test_a_good_site_verifies(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(capsys, site.url) == (0, agree(site.url, site.revision()), "")
    asked = dict(site.asked)
    assert set(asked) == {
        "/kontakt/",
        "/kontakt/charta.json",
        "/kontakt/embed.html",
        "/kontakt/charta.md",
        "/kontakt/en/",
        "/kontakt/en/embed.html",
        "/kontakt/en/charta.md",
        "/kontakt/impressum.html",  # linked from the pages: checked as the folder's files are
        "/.well-known/kontaktcharta.json",
    }
    assert len(site.asked) == len(asked), "each address is asked once"
    headers = asked["/kontakt/charta.json"]
    assert headers["Accept-Encoding"] == "identity"
    assert headers["User-Agent"].startswith("kontaktcharta/")
    assert headers["User-Agent"].endswith(" (+verify)")


def test_a_page_given_by_its_file_name_is_read_by_file_names(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.url + "en/index.html"
    assert verify(capsys, url) == (0, agree(site.url, site.revision()), "")
    assert "/kontakt/index.html" in dict(site.asked)


def test_a_deep_link_is_read_as_its_page(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.url + "#decline-no-reason"
    assert verify(capsys, url) == (0, agree(site.url, site.revision()), "")


def test_verify_reads_at_most_50_of_the_files_the_pages_link(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    links = "".join(f'<a href="p{n:02}.html">{n}</a>' for n in range(52))
    site.replace("index.html", "</main>", links + "</main>")
    assert verify(capsys, site.url) == (
        0,
        agree(site.url, site.revision()),
        f"warning: {site.url}: the pages link 3 more files of the site than the 50 verify reads\n",
    )
    asked = {path for path, _ in site.asked}
    assert "/kontakt/p48.html" in asked and "/kontakt/p49.html" not in asked  # and impressum


def test_a_changed_criterion_is_named(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    site.replace("index.html", "keiner der Gründe oben zutrifft", "mir danach ist")
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            "index.html: decline.criteria[0] (no-reason): the page shows 'mir danach ist', "
            "the policy says 'keiner der Gründe oben zutrifft'",
        ),
    )


def test_a_stale_revision_in_a_page_is_named(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    revision = site.revision()
    site.replace("en/index.html", f'content="{revision}"', 'content="sha256:0"')
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"en/index.html: revision: the page carries sha256:0, the policy {revision}",
        ),
    )


def test_a_script_in_a_linked_page_is_found(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    site.replace("impressum.html", "</main>", "<script>alert(1)</script></main>")
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url, "impressum.html: the page runs JavaScript (<script>); a charta page runs none"
        ),
    )


def test_a_charta_past_its_review_date_fails_as_a_folder_does(
    site: Served, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830000000")  # 2027-12-28
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            "the charta is stale: its review date 2027-11-21 has passed (updated 2026-11-21); "
            "look it over, set a new review_by, rebuild",
        ),
    )


@pytest.mark.parametrize(
    ("path", "sent", "problem"),
    [
        (
            "/kontakt/charta.json",
            "text/plain",
            "charta.json: sent as text/plain; expected application/json (or a type ending in "
            "+json)",
        ),
        ("/kontakt/charta.json", "application/json; charset=utf-8", None),
        ("/kontakt/charta.json", "application/vnd.kontaktcharta+json", None),
        ("/kontakt/", "text/plain", "index.html: sent as text/plain; expected text/html"),
        ("/kontakt/en/", "text/html; charset=UTF-8", None),
        (
            "/kontakt/en/",
            "text/html; charset=iso-8859-1",
            "en/index.html: sent as text/html; charset=iso-8859-1, but the file is UTF-8: "
            "charset=utf-8, or no charset",
        ),
        (
            "/.well-known/kontaktcharta.json",
            "text/html",
            "/.well-known/kontaktcharta.json: sent as text/html; expected application/json "
            "(or a type ending in +json)",
        ),
    ],
)
def test_the_type_each_file_is_sent_as(
    site: Served, capsys: pytest.CaptureFixture[str], path: str, sent: str, problem: str | None
) -> None:
    site.types[path] = sent
    code, out, err = verify(capsys, site.url)
    if problem is None:
        assert (code, out, err) == (0, agree(site.url, site.revision()), "")
    else:
        assert (code, out, err) == (1, "", fails(site.url, problem))


def test_a_page_sent_without_a_type_is_named(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    def untyped(handler: Handler) -> None:
        body = (site.root / "kontakt" / "en" / "index.html").read_bytes()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.routes["/kontakt/en/"] = untyped
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(site.url, "en/index.html: sent without a Content-Type; expected text/html"),
    )


def test_a_policy_without_the_cors_header_is_a_warning(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    del site.headers["/kontakt/charta.json"]
    assert verify(capsys, site.url) == (
        0,
        agree(site.url, site.revision()),
        f"warning: {site.url}: charta.json: {NO_CORS}\n",
    )


def test_cors_for_one_origin_only_is_a_warning(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    site.headers["/.well-known/kontaktcharta.json"] = {
        "Access-Control-Allow-Origin": "https://tool.example"
    }
    assert verify(capsys, site.url) == (
        0,
        agree(site.url, site.revision()),
        f"warning: {site.url}: /.well-known/kontaktcharta.json: sent with "
        "Access-Control-Allow-Origin: https://tool.example, so only tools on that site can "
        "read it in a browser (docs/publishing.md, “Sending the CORS header”)\n",
    )


def test_a_missing_policy_is_named_with_its_address_and_status(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    (site.root / "kontakt" / "charta.json").unlink()
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"charta.json: cannot be read ({site.url}charta.json: HTTP 404 File not found)",
        ),
    )


def test_a_missing_page_and_a_server_error(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(capsys, site.base + "nowhere/") == (
        1,
        "",
        fails(site.base + "nowhere/", "cannot be read (HTTP 404 File not found)"),
    )
    site.routes["/kontakt/en/"] = lambda handler: handler.send_error(500)
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"en/index.html: cannot be read ({site.url}en/: HTTP 500 Internal Server Error)",
        ),
    )


def test_a_page_that_is_none_of_the_chartas(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.url + "impressum.html"  # it names the policy too, as every page of the site
    assert verify(capsys, url) == (
        1,
        "",
        fails(
            site.url,
            f"{url} names this policy, but is none of its pages ({site.url}index.html, "
            f"{site.url}en/index.html)",
        ),
    )
    (site.root / "other.html").write_text("<!doctype html><title>x</title><p>Hallo</p>")
    assert verify(capsys, site.base + "other.html") == (
        1,
        "",
        fails(
            site.base + "other.html",
            'the page names no policy (<link rel="alternate" type="application/json" '
            'href="charta.json">): is it a charta page?',
        ),
    )


def redirect(to: str, status: int = 301) -> Route:
    """A route that sends the client to `to`."""

    def send(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return send


def test_a_redirect_is_followed_and_reported(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/old/"] = redirect("/moved/")
    site.routes["/moved/"] = redirect(site.url, 308)
    assert verify(capsys, site.base + "old/") == (
        0,
        f"{site.base}old/: redirected to {site.url}\n" + agree(site.url, site.revision()),
        "",
    )


@pytest.mark.parametrize(
    ("routes", "reason"),
    [
        (
            {"/a/": "/b/", "/b/": "/a/"},
            "redirects in a loop: {base}a/ → {base}b/ → {base}a/",
        ),
        (
            {f"/{n}/": f"/{n + 1}/" for n in range(7)},
            "redirects more than 5 times ({base}0/ → {base}1/ → {base}2/ → {base}3/ → {base}4/ "
            "→ {base}5/ → {base}6/)",
        ),
        (
            {"/a/": "ftp://127.0.0.1/kontakt/"},
            "redirects to ftp://127.0.0.1/kontakt/; verify follows redirects only to http and "
            "https",
        ),
    ],
    ids=["loop", "too-many", "ftp"],
)
def test_a_redirect_verify_does_not_follow(
    site: Served, capsys: pytest.CaptureFixture[str], routes: dict[str, str], reason: str
) -> None:
    for path, to in routes.items():
        site.routes[path] = redirect(to)
    first = site.base + next(iter(routes))[1:]
    assert verify(capsys, first) == (
        1,
        "",
        fails(first, f"cannot be read ({reason.format(base=site.base)})"),
    )


def test_a_policy_that_redirects_in_a_loop(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/kontakt/charta.json"] = redirect("/kontakt/charta.json")
    policy = site.url + "charta.json"
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"charta.json: cannot be read ({policy}: redirects in a loop: {policy} → {policy})",
        ),
    )


def test_a_slow_server_times_out(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/kontakt/charta.json"] = lambda handler: site.released.wait(10)
    started = time.monotonic()
    assert verify(capsys, site.url, "--timeout", "0.5") == (
        2,
        "",
        f"charta verify: {site.url}charta.json: timed out: no whole answer within 0.5 s\n",
    )
    assert time.monotonic() - started < 3


def test_an_answer_that_trickles_in_times_out_as_a_whole(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    def trickle(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(1000):  # a byte each 0.1 s: each wait is short, the whole is not
                handler.wfile.write(b" ")
                handler.wfile.flush()
                if site.released.wait(0.1):
                    break

    site.routes["/kontakt/en/"] = trickle
    started = time.monotonic()
    assert verify(capsys, site.url, "--timeout", "0.5") == (
        2,
        "",
        f"charta verify: {site.url}en/: timed out: no whole answer within 0.5 s\n",
    )
    assert time.monotonic() - started < 3


def test_a_run_has_a_time_limit_of_its_own(site: Served) -> None:
    site.routes["/kontakt/"] = lambda handler: site.released.wait(10)
    fetcher = remote.Fetcher("test", timeout=10, run_time=0.5)
    with pytest.raises(remote.Unanswered) as stopped:
        fetcher.get(site.url, 100)
    assert str(stopped.value) == f"{site.url}: timed out: the run's 0.5 s are over"
    with pytest.raises(remote.Unanswered) as stopped:
        fetcher.get(site.url + "charta.json", 100)
    assert str(stopped.value) == f"{site.url}charta.json: not asked: the run took its 0.5 s already"


def stream(sent: list[int], length: int | None = None) -> Route:
    """A route that sends zeros until 1 GiB is sent or the client stops reading; the bytes the
    server could send go into `sent`."""

    def send(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if length is not None:
            handler.send_header("Content-Length", str(length))
        handler.end_headers()
        chunk = b"0" * 65536
        count = 0
        try:
            while count < 2**30:
                handler.wfile.write(chunk)
                count += len(chunk)
        except OSError:
            pass
        finally:
            sent.append(count)
            handler.close_connection = True

    return send


def test_a_huge_policy_is_read_only_up_to_the_limit(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    sent: list[int] = []
    site.routes["/kontakt/charta.json"] = stream(sent)
    policy = site.url + "charta.json"
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"charta.json: cannot be read ({policy}: is larger than 4,194,304 bytes, the most "
            "verify reads of it; it stopped reading)",
        ),
    )
    for _ in range(100):  # the server notices the closed connection a moment later
        if sent:
            break
        time.sleep(0.05)
    assert sent and sent[0] < 32 * 2**20, "the client stopped reading: the server could not go on"


def test_a_stated_length_over_the_limit_is_refused_before_reading(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/kontakt/charta.json"] = stream([], length=5_000_000)
    policy = site.url + "charta.json"
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"charta.json: cannot be read ({policy}: is 5,000,000 bytes (Content-Length), more "
            "than the 4,194,304 bytes verify reads of it)",
        ),
    )


def test_a_compressed_answer_is_refused(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    site.headers["/kontakt/en/"] = {"Content-Encoding": "gzip"}
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"en/index.html: cannot be read ({site.url}en/: sent gzip-encoded although verify "
            "asked for it as it is (Accept-Encoding: identity))",
        ),
    )


def test_a_missing_pointer_is_a_warning(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    (site.root / ".well-known" / "kontaktcharta.json").unlink()
    assert verify(capsys, site.url) == (
        0,
        agree(site.url, site.revision()),
        f"warning: {site.url}: /.well-known/kontaktcharta.json: there is none "
        f"({site.base}.well-known/kontaktcharta.json: HTTP 404 File not found), so tools that "
        "know only the domain do not find the charta (docs/publishing.md, “Discovery”)\n",
    )


def pointer(site: Served, change: Callable[[dict[str, Any]], object]) -> None:
    """Change the pointer at the root."""
    path = site.root / ".well-known" / "kontaktcharta.json"
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


def test_a_pointer_to_another_policy_is_a_warning(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    pointer(site, lambda data: data.update(policy=EXAMPLE_URL + "charta.json"))
    assert verify(capsys, site.url) == (
        0,
        agree(site.url, site.revision()),
        f"warning: {site.url}: /.well-known/kontaktcharta.json: names the policy "
        f"{EXAMPLE_URL}charta.json, not this one ({site.url}charta.json), so tools that know "
        "only the domain find that one\n",
    )


def test_a_pointer_relative_to_its_own_place_is_read_so(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    pointer(
        site,
        lambda data: data.update(
            policy="../kontakt/charta.json", pages={"de": "/kontakt/", "en": "../kontakt/en/"}
        ),
    )
    assert verify(capsys, site.url) == (0, agree(site.url, site.revision()), "")


def test_a_wrong_pointer_is_named(site: Served, capsys: pytest.CaptureFixture[str]) -> None:
    pointer(site, lambda data: data.update(pages={"de": site.url + "old/", "fr": site.url}))
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            f"/.well-known/kontaktcharta.json: pages.de: names {site.url}old/, the page is "
            f"{site.url}",
            f"/.well-known/kontaktcharta.json: pages: names no page for en ({site.url}en/)",
            "/.well-known/kontaktcharta.json: pages.fr: the policy has no such language",
        ),
    )
    (site.root / ".well-known" / "kontaktcharta.json").write_text("{", "utf-8")
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            "/.well-known/kontaktcharta.json: not valid JSON: Expecting property name enclosed "
            "in double quotes",
        ),
    )
    (site.root / ".well-known" / "kontaktcharta.json").write_text('{"charta": 1}', "utf-8")
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(
            site.url,
            "/.well-known/kontaktcharta.json: not a pointer as the build writes it: "
            '{"charta": 1, "policy": "<address>", "pages": {"<lang>": "<address>"}}',
        ),
    )


def test_a_host_that_does_not_answer(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/kontakt/"
    assert verify(capsys, url) == (
        2,
        "",
        f"charta verify: {url}: the connection was refused\n",
    )
    assert verify(capsys, "http://kontaktcharta.invalid/") == (
        2,
        "",
        "charta verify: http://kontaktcharta.invalid/: cannot find the host "
        f"kontaktcharta.invalid ({_no_such_host()})\n",
    )


def _no_such_host() -> str:
    try:
        socket.getaddrinfo("kontaktcharta.invalid", 80)
    except socket.gaierror as error:
        return str(error.strerror)
    raise AssertionError("kontaktcharta.invalid resolves")


def test_timeout_is_for_an_address_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(capsys, str(tmp_path), "--timeout", "1") == (
        2,
        "",
        "charta verify: --timeout is for an address (http:// or https://)\n",
    )
    assert verify(capsys, "http://127.0.0.1/", "--timeout", "0") == (
        2,
        "",
        "charta verify: --timeout must be more than 0 seconds\n",
    )


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (openssl)."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed for this test (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_https(
    certificate: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")
    cert, key = certificate
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with serving(tls) as server:
        base = f"https://127.0.0.1:{server.server_port}/"
        build_into(tmp_path / "root", base + "kontakt/", tmp_path)
        server.site = Served(tmp_path / "root", base)
        cors(server.site)
        url = server.site.url
        assert verify(capsys, url) == (
            2,
            "",
            f"charta verify: {url}: TLS: the certificate is refused (self-signed certificate)\n",
        )
        trusted = ssl.create_default_context(cafile=str(cert))
        monkeypatch.setattr(remote, "_tls", lambda: trusted)
        assert verify(capsys, url) == (0, agree(url, server.site.revision()), "")
        server.site.routes["/kontakt/en/"] = redirect("http://127.0.0.1/kontakt/en/")
        assert verify(capsys, url) == (
            1,
            "",
            fails(
                url,
                f"en/index.html: cannot be read ({url}en/: redirects from https to http "
                "(http://127.0.0.1/kontakt/en/); a visitor's browser would leave the encrypted "
                "connection)",
            ),
        )
        server.site.released.set()


@pytest.mark.browser
def test_verify_browser_looks_at_the_published_pages(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(capsys, "--browser", site.url) == (0, agree(site.url, site.revision()), "")
    site.replace(
        "en/index.html", "</main>", '<img src="x.png" alt="" onerror="document.title=1"></main>'
    )
    code, out, err = verify(capsys, "--browser", site.url)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith(f"{site.url}: en/index.html: the page runs JavaScript (<img>)")
    assert any(
        line.startswith(f"{site.url}: en/index.html: tries to run script (") for line in lines
    ), err
    assert not any("index.html: tries" in line and "en/" not in line for line in lines), err


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "http://127.0.0.1:99999/",
            "is not an address that can be asked (Port out of range 0-65535)",
        ),
        (
            "http://h:abc/",
            "is not an address that can be asked (Port could not be cast to integer value as "
            "'abc')",
        ),
        ("http://[::1:/x", "is not an address that can be asked (Invalid IPv6 URL)"),
        ("http:///x", "names no host"),
    ],
)
def test_an_address_that_cannot_be_asked(
    capsys: pytest.CaptureFixture[str], url: str, reason: str
) -> None:
    assert verify(capsys, url) == (2, "", f"charta verify: {url}: {reason}\n")


@pytest.mark.parametrize(
    ("to", "reason"),
    [
        (
            "http://127.0.0.1:abc/",
            "redirects to http://127.0.0.1:abc/, which is not an address that can be asked "
            "(Port could not be cast to integer value as 'abc')",
        ),
        (
            "http://[::1:/x",
            "redirects to an address that cannot be read (Invalid IPv6 URL)",
        ),
    ],
    ids=["port", "host"],
)
def test_a_redirect_to_an_address_that_cannot_be_asked(
    site: Served, capsys: pytest.CaptureFixture[str], to: str, reason: str
) -> None:
    site.routes["/a/"] = redirect(to)
    first = site.base + "a/"
    assert verify(capsys, first) == (1, "", fails(first, f"cannot be read ({reason})"))


def test_a_length_that_is_no_ascii_number_is_read_up_to_the_limit(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (site.root / "kontakt" / "charta.json").read_bytes()

    def superscript(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Access-Control-Allow-Origin", "*")
        handler.send_header("Content-Length", "²")
        handler.end_headers()
        handler.wfile.write(body)

    site.routes["/kontakt/charta.json"] = superscript
    assert verify(capsys, site.url) == (0, agree(site.url, site.revision()), "")


def test_links_that_are_no_addresses_do_not_stop_verify(
    site: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page's link and the pointer's addresses are read from the site: one that urljoin
    cannot read (an unclosed `[`) is a problem of the site, not a crash of verify."""
    site.replace("impressum.html", "</main>", '<a href="http://[::1:/">x</a></main>')
    assert verify(capsys, site.url) == (0, agree(site.url, site.revision()), "")
    site.replace(
        "index.html",
        'type="application/json" href="charta.json"',
        'type="application/json" href="http://[::1:/charta.json"',
    )
    assert verify(capsys, site.url) == (
        1,
        "",
        fails(site.url, "the page's link to its policy is no address: http://[::1:/charta.json"),
    )


def test_the_picture_whose_size_the_pages_give_is_read_from_the_site(
    server: Server,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21
    png = tmp_path / "vorschau.png"
    Image.new("RGB", (1200, 630)).save(png)
    base = f"http://127.0.0.1:{server.server_port}/"
    # Its address is the https one the charta names; verify reads it where the site is served.
    build_into(tmp_path / "root", "https://erika.example/kontakt/", tmp_path, png.read_bytes())
    served = server.site = Served(tmp_path / "root", base)
    cors(served)
    pointer = (
        f"warning: {served.url}: /.well-known/kontaktcharta.json: names the policy "
        f"https://erika.example/kontakt/charta.json, not this one ({served.url}charta.json), "
        "so tools that know only the domain find that one\n"
    )
    try:
        assert verify(capsys, served.url) == (0, agree(served.url, served.revision()), pointer)
        assert "/kontakt/vorschau.png" in dict(served.asked)
        (tmp_path / "root" / "kontakt" / "vorschau.png").unlink()
        assert verify(capsys, served.url) == (
            1,
            "",
            f"{served.url}: vorschau.png: image: the pages give the size of the preview's "
            f"picture, which cannot be read ({served.url}vorschau.png: HTTP 404 File not found)\n"
            f"{pointer}{served.url}: the site does not verify (1 problem)\n",
        )
    finally:
        served.released.set()
