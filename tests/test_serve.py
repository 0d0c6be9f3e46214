"""`charta serve`: rebuilds on each save, reloads the browser, shows errors, serves nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import queue
import re
import select
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect
from tornado import httpclient, websocket
from watchfiles import _rust_notify as watchfiles_rust

import browser
from kontaktcharta import serve, watch
from kontaktcharta.cli import main
from kontaktcharta.errors import ChartaError, Problem
from kontaktcharta.watch import Watcher
from serving import ServeProcess, serving

CRITERION = "keiner der Gründe oben zutrifft"
"""A criterion's text in the example charta, plain text on the page."""
BROKEN = "keiner: der Gründe"
"""The same line made invalid YAML (a second `:`), reported on its own line."""
SETTLE = 1.0
"""Seconds to wait for a rebuild or a reload that must not come."""
PROTOCOL = "http://livereload.com/protocols/official-7"
EDITOR_PAUSE = 0.003
"""Seconds between the steps of an editor's save: more than nothing, far less than a human."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example site: charta.yaml and site_src/."""
    shutil.copy(browser.ROOT / "charta.yaml", tmp_path / "charta.yaml")
    shutil.copytree(browser.ROOT / "site_src", tmp_path / "site_src")
    return tmp_path


def editor_save(path: Path, text: str) -> None:
    """Save as editors do: write a temporary file, rename it over the old one, write it again."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    for line in ("\n", "# saved\n"):
        time.sleep(EDITOR_PAUSE)
        with path.open("a", encoding="utf-8") as file:
            file.write(line)


def line_of(text: str, part: str) -> int:
    """The 1-based number of the first line of `text` that holds `part`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if part in line)


# In-process server


@dataclass
class Served:
    """A server running in a thread of this process."""

    live: serve.Live
    """Its build state."""
    port: int
    """The port it listens on, at 127.0.0.1."""

    def get(self, path: str, **headers: str) -> tuple[int, bytes]:
        """Request `path` exactly as written (no normalising); return the status and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_for_builds(self, count: int, timeout: float = 20) -> None:
        """Wait until the server has built `count` times."""
        deadline = time.monotonic() + timeout
        while self.live.generation < count:
            assert time.monotonic() < deadline, f"built {self.live.generation} times, not {count}"
            time.sleep(0.01)


@contextlib.contextmanager
def running(project: Path, port: int = 0) -> Iterator[Served]:
    """Serve `project` on 127.0.0.1 in a thread until the block ends."""
    live = serve.Live(project / "charta.yaml", project / "output", "default", "charta.yaml")
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started: queue.Queue[int | BaseException] = queue.Queue()

    def run() -> None:
        try:
            loop.run_until_complete(serve.serve(live, "127.0.0.1", port, stop, started.put))
        except BaseException as error:
            started.put(error)

    thread = threading.Thread(target=run, name="charta serve")
    thread.start()
    try:
        outcome = started.get(timeout=30)
        if isinstance(outcome, BaseException):
            raise outcome
        yield Served(live, outcome)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
        assert not thread.is_alive(), "the server did not stop"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# The error page


class _Text(HTMLParser):
    """The text of each element with a given tag."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.stack.append(tag)
        self.texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        for tag in set(self.stack):
            self.texts[tag][-1] += data


def parse(page: str | bytes) -> _Text:
    """Parse a page into the text of its elements."""
    parser = _Text()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    return parser


def test_error_page_shows_each_problem_with_place_message_and_source() -> None:
    error = ChartaError(
        [
            Problem(
                "charta.yaml",
                12,
                9,
                "decline.criteria[1].when",
                "unknown fact <b>x</b>",
                "    when:\tx <b>",
            ),
            Problem("site_src/pages/impressum.md", 0, 0, "", "cannot read"),
        ]
    )
    page = parse(serve.error_page(error))
    assert page.texts["title"] == ["Build failed – Kontaktcharta"]
    assert page.texts["h1"] == ["The charta has 2 mistakes"]
    assert page.texts["h2"] == ["charta.yaml:12:9", "site_src/pages/impressum.md"]
    assert "decline.criteria[1].when: unknown fact <b>x</b>" in page.texts["p"]
    assert page.texts["pre"] == ["    when: x <b>\n        ^"]  # the caret under column 9
    assert "b" not in page.tags, "the user's text must be escaped, not markup"
    assert "style" in page.tags


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [
        ("de", "Build fehlgeschlagen – Kontaktcharta", "Die Charta hat 2 Fehler"),
        ("de-AT", "Build fehlgeschlagen – Kontaktcharta", "Die Charta hat 2 Fehler"),
        ("en-GB", "Build failed – Kontaktcharta", "The charta has 2 mistakes"),
        ("fr", "Build failed – Kontaktcharta", "The charta has 2 mistakes"),
    ],
)
def test_the_error_page_speaks_the_chartas_language(
    tmp_path: Path, lang: str, title: str, heading: str
) -> None:
    config = tmp_path / "charta.yaml"
    config.write_text(f"charta: 1\nlang: {lang}\ntitel: Kaputt\n", "utf-8")  # broken, lang read
    error = ChartaError.single("charta.yaml", "a").problems * 2
    page = parse(serve.error_page(ChartaError(error), serve.charta_lang(config)))
    assert (page.texts["title"], page.texts["h1"]) == ([title], [heading])
    assert serve.charta_lang(tmp_path / "missing.yaml") == "en"


def test_one_problem_is_one_mistake() -> None:
    page = parse(serve.error_page(ChartaError.single("charta.yaml", "not found")))
    assert page.texts["h1"] == ["The charta has a mistake"]
    assert "pre" not in page.texts


def test_reload_script_goes_before_the_end_of_head_or_at_the_end() -> None:
    script = serve.reload_script(7)
    assert serve.inject(b"<html><head><title>t</title></HEAD><body>", script) == (
        b"<html><head><title>t</title>" + script + b"</HEAD><body>"
    )
    assert serve.inject(b"<p>no head</p>", script) == b"<p>no head</p>" + script
    assert b'<script data-charta-generation="7">' in script and b"/livereload.js?" in script


def test_a_change_to_a_static_file_reloads_the_whole_page_any_other_swaps_it(
    tmp_path: Path,
) -> None:
    static = [tmp_path / "site_src" / "static", tmp_path / "themes" / "default" / "static"]
    swap = serve.reload_path(
        [tmp_path / "charta.yaml", tmp_path / "site_src" / "pages" / "a.md"], static
    )
    assert swap == "charta:swap"
    assert serve.reload_path([tmp_path / "themes" / "default" / "style.css"], static) == swap
    for path in (
        tmp_path / "site_src" / "static" / "bild.png",
        tmp_path / "themes" / "default" / "static" / "fonts" / "a.woff2",
        tmp_path / "site_src" / "static",
        tmp_path / "site_src",  # made, removed or renamed: its static folder with it
    ):
        assert serve.reload_path([tmp_path / "charta.yaml", path], static) == "*", path


# The server in-process


def test_served_pages_get_the_reload_script_and_written_files_equal_build_s(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    config = project / "charta.yaml"
    with running(project) as served:
        assert main(["build", "--config", str(config), "--out", str(project / "built"), "-q"]) == 0
        assert tree(project / "output") == tree(project / "built")
        status, body = served.get("/")
        assert status == 200
        assert b"/livereload.js?" in body
        assert (
            body.replace(serve.reload_script(served.live.generation), b"")
            == (project / "output" / "index.html").read_bytes()
        )
        assert b"livereload" not in (project / "output" / "index.html").read_bytes()
        assert served.get("/charta.json")[1] == (project / "output" / "charta.json").read_bytes()

        editor_save(config, config.read_text("utf-8").replace(CRITERION, "kein Grund passt"))
        served.wait_for_builds(2)
        assert main(["build", "--config", str(config), "--out", str(project / "built"), "-q"]) == 0
        assert "kein Grund passt" in (project / "output" / "index.html").read_text("utf-8")
        assert tree(project / "output") == tree(project / "built")


def test_an_editor_s_save_gives_exactly_one_rebuild(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "charta.yaml"
    with running(project) as served:
        editor_save(config, config.read_text("utf-8").replace(CRITERION, "kein Grund passt"))
        served.wait_for_builds(2)
        time.sleep(SETTLE)
        assert served.live.generation == 2
    rebuilt = [line for line in capsys.readouterr().out.splitlines() if "Rebuilt" in line]
    assert len(rebuilt) == 1
    assert re.fullmatch(
        r"Rebuilt output/ in \d+\.\d\d s after a change to charta\.yaml",
        rebuilt[0].replace(str(project / "output"), "output"),
    )


def test_changes_to_the_output_rebuild_nothing(project: Path) -> None:
    with running(project) as served:
        (project / "output" / "extra.txt").write_text("x")
        (project / ".output-new-x").mkdir()
        (project / "notes.txt").write_text("not a source")
        time.sleep(SETTLE)
        assert served.live.generation == 1
        (project / "site_src" / "static" / "new").mkdir(parents=True)
        time.sleep(0.2)
        (project / "site_src" / "static" / "new" / "hello.txt").write_text("hello")
        served.wait_for_builds(3)  # one for the folder, one for the file in it
        assert served.get("/new/hello.txt") == (200, b"hello")


def test_a_broken_charta_shows_the_error_keeps_output_and_recovers(project: Path) -> None:
    config = project / "charta.yaml"
    good = config.read_text("utf-8")
    broken = good.replace(CRITERION, BROKEN)
    with running(project) as served:
        before = tree(project / "output")
        editor_save(config, broken)
        served.wait_for_builds(2)
        status, body = served.get("/")
        assert status == 500
        page = parse(body)
        assert f"charta.yaml:{line_of(broken, BROKEN)}:" in page.texts["h2"][0]
        assert BROKEN in page.texts["pre"][0]
        assert b"/livereload.js?" in body, "the error page must reload when the charta is fixed"
        assert served.get("/impressum.html")[0] == 500
        assert served.get("/charta.json") == (200, before["charta.json"])
        assert tree(project / "output") == before

        editor_save(config, good)
        served.wait_for_builds(3)
        status, body = served.get("/")
        assert status == 200
        assert CRITERION in body.decode()


def test_a_template_added_while_serving_is_used_and_its_removal_too(project: Path) -> None:
    override = project / "site_src" / "templates" / "page.html"
    override.parent.mkdir(parents=True, exist_ok=True)  # git keeps no empty folders
    theme = (browser.ROOT / "themes" / "default" / "templates" / "page.html").read_text("utf-8")
    marked = theme.replace("{% block main %}", "{% block main %}<p>Eigene Vorlage</p>", 1)
    assert marked != theme
    with running(project) as served:
        override.write_text(marked)
        served.wait_for_builds(2)
        assert b"Eigene Vorlage" in served.get("/impressum.html")[1]
        override.unlink()
        served.wait_for_builds(3)
        assert b"Eigene Vorlage" not in served.get("/impressum.html")[1]


@pytest.mark.parametrize(
    "path",
    [
        "/../charta.yaml",
        "/%2e%2e/charta.yaml",
        "/%2E%2E/%2E%2E/charta.yaml",
        "/..%2fcharta.yaml",
        "/.%2e/charta.yaml",
        "/link/charta.yaml",
        "/leak.yaml",
        "/..\\charta.yaml",
    ],
)
def test_nothing_outside_the_output_is_served(project: Path, path: str) -> None:
    with running(project) as served:
        (project / "output" / "link").symlink_to(project)
        (project / "output" / "leak.yaml").symlink_to(project / "charta.yaml")
        status, body = served.get(path)
    assert status in (403, 404)
    assert b"Erika" not in body


def test_a_page_asked_for_by_another_host_name_is_refused(project: Path) -> None:
    with running(project) as served:
        assert served.get("/", Host="attacker.example")[0] == 403
        assert served.get("/", Host=f"localhost:{served.port}")[0] == 200


def test_a_port_in_use_moves_to_the_next_and_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with running(project, port) as served:
            assert served.port != port
            assert served.get("/")[0] == 200
    out = capsys.readouterr().out
    assert f"Port {port} is in use; serving on {served.port} instead\n" in out
    assert f"Serving {project / 'output'}/ on http://127.0.0.1:{served.port}/ — Ctrl-C stops" in out


def _taken_ports(count: int) -> list[socket.socket]:
    """Listening sockets on `count` consecutive ports of 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65536:
            continue
        sockets = []
        try:
            for port in range(first, first + count):
                taken = socket.socket()
                sockets.append(taken)
                taken.bind(("127.0.0.1", port))
                taken.listen()
            return sockets
        except OSError:
            for taken in sockets:
                taken.close()
    pytest.fail(f"found no {count} free consecutive ports")


def test_when_every_port_tried_is_in_use_serve_says_so_and_fails(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    taken = _taken_ports(serve.PORT_TRIES)
    first = taken[0].getsockname()[1]
    try:
        assert main(["serve", "--port", str(first)]) == 1
    finally:
        for port in taken:
            port.close()
    assert capsys.readouterr().err == (
        f"Ports {first} to {first + 9} are all in use; choose a free one with --port\n"
    )


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_a_port_is_reused_at_once_but_never_shared(
    monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    """SO_REUSEADDR lets a server listen again at once on the port it just left; on Windows
    it would let a second server listen on a port in use, so the next port would not be
    taken (tornado leaves it out there too)."""
    monkeypatch.setattr(sys, "platform", platform)
    sockets, _ = serve.bind("127.0.0.1", 0)
    try:
        reused = {s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) for s in sockets}
    finally:
        for listener in sockets:
            listener.close()
    assert reused == ({0} if platform == "win32" else {1})


def test_a_host_open_to_the_network_is_warned_about(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    # 192.0.2.1 is reserved for documentation: no machine has it, so nothing is ever served.
    assert main(["serve", "--host", "192.0.2.1", "--port", "8000"]) == 1
    assert capsys.readouterr().err == (
        "warning: --host 192.0.2.1 lets other machines on the network see this site and its "
        "unpublished changes; leave --host out to keep it on this machine\n"
        "Cannot serve on 192.0.2.1:8000: Cannot assign requested address\n"
    )
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert serve.exposure_warning(host) is None
    assert serve.exposure_warning("0.0.0.0") is not None


async def _connect(
    port: int, version: str, origin: str | None = None
) -> websocket.WebSocketClientConnection:
    """A livereload.js-like client that says it shows the build `version`, from a page of
    `origin` if given."""
    headers = {"Origin": origin} if origin else {}
    request = httpclient.HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers)
    client = await websocket.websocket_connect(request)
    await client.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    assert json.loads(await client.read_message() or "")["command"] == "hello"
    info = {"command": "info", "plugins": {"charta": {"version": version}}, "url": "x"}
    await client.write_message(json.dumps(info))
    return client


async def _close(client: websocket.WebSocketClientConnection) -> None:
    """Close the connection and wait until it is closed."""
    client.close()
    async with asyncio.timeout(10):
        while await client.read_message() is not None:
            pass


async def _reloads(client: websocket.WebSocketClientConnection, seconds: float) -> int:
    """How many reloads the client gets within `seconds`."""
    count = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                message = json.loads(await client.read_message() or "{}")
                count += message.get("command") == "reload"
    return count


def test_a_page_from_an_older_build_is_reloaded_when_it_connects(project: Path) -> None:
    async def check(port: int, current: int) -> tuple[int, int]:
        old, new = await _connect(port, str(current - 1)), await _connect(port, str(current))
        counts = await _reloads(old, SETTLE), await _reloads(new, SETTLE)
        await _close(old)
        await _close(new)
        return counts

    with running(project) as served:
        assert asyncio.run(check(served.port, served.live.generation)) == (1, 0)


def test_no_reload_is_dropped_however_close_the_saves(project: Path) -> None:
    config = project / "charta.yaml"
    text = config.read_text("utf-8")

    async def check(served: Served) -> int:
        client = await _connect(served.port, str(served.live.generation))
        for i in range(3):
            editor_save(config, text.replace(CRITERION, f"Grund {i}"))
            await asyncio.to_thread(served.wait_for_builds, 2 + i)
        count = await _reloads(client, SETTLE)
        await _close(client)
        return count

    with running(project) as served:
        assert asyncio.run(check(served)) == 3  # livereload alone sends one in 3 s


async def _next_reload(client: websocket.WebSocketClientConnection) -> str:
    """The path of the next reload the client gets."""
    async with asyncio.timeout(20):
        while True:
            message = json.loads(await client.read_message() or "{}")
            if message.get("command") == "reload":
                path: str = message["path"]
                return path


def test_a_save_swaps_the_page_and_a_static_file_reloads_it(project: Path) -> None:
    config = project / "charta.yaml"
    text = config.read_text("utf-8")

    async def check(served: Served) -> list[str]:
        client = await _connect(served.port, str(served.live.generation))
        editor_save(config, text.replace(CRITERION, "kein Grund passt"))
        paths = [await _next_reload(client)]
        (project / "site_src" / "static" / "bild.svg").write_text("<svg/>")
        paths.append(await _next_reload(client))
        editor_save(project / "site_src" / "pages" / "impressum.md", "# Impressum\n")
        paths.append(await _next_reload(client))
        await _close(client)
        return paths

    (project / "site_src" / "static").mkdir(exist_ok=True)  # git keeps no empty folders
    with running(project) as served:
        assert asyncio.run(check(served)) == ["charta:swap", "*", "charta:swap"]


LIMIT = 1.0
"""Seconds each time limit of the server is set to in the tests of them."""
SLACK = 1.5
"""Seconds by which a busy machine may close a connection late."""


@pytest.fixture
def limited(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's time limits, all of them `LIMIT` seconds."""
    for limit in ("REQUEST_LIMIT", "BODY_LIMIT", "HELLO_LIMIT"):
        monkeypatch.setattr(serve, limit, LIMIT)


HANDSHAKE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}
"""The headers that open a WebSocket."""


def test_the_socket_and_its_script_are_refused_to_other_sites(project: Path) -> None:
    with running(project) as served:
        here = f"127.0.0.1:{served.port}"
        assert served.get("/livereload", **HANDSHAKE)[0] == 101  # a client that is no browser
        assert served.get("/livereload", Origin=f"http://{here}", **HANDSHAKE)[0] == 101
        local = f"localhost:{served.port}"
        assert (
            served.get("/livereload", Host=local, Origin=f"http://{local}", **HANDSHAKE)[0] == 101
        )
        for origin in (
            "https://attacker.example",
            "null",  # a file:// page or a sandboxed frame
            f"http://127.0.0.1:{served.port + 1}",  # another server on this machine
            f"http://localhost:{served.port}",  # another name than the one the request uses
        ):
            assert served.get("/livereload", Origin=origin, **HANDSHAKE)[0] == 403, origin
        # DNS rebinding: a page of attacker.example, its name pointed at 127.0.0.1 (its origin
        # is then the host the request names, so only the host tells it apart).
        for origin in ({"Origin": "http://attacker.example"}, {}):
            refused = served.get("/livereload", Host="attacker.example", **origin, **HANDSHAKE)
            assert refused[0] == 403, origin
        assert served.get("/livereload.js", Host="attacker.example")[0] == 403
        assert served.get("/livereload.js")[0] == 200


def test_a_socket_from_this_site_stays_past_every_limit_and_gets_the_reload(
    project: Path, limited: None
) -> None:
    config = project / "charta.yaml"

    async def check(served: Served) -> str:
        origin = f"http://127.0.0.1:{served.port}"
        client = await _connect(served.port, str(served.live.generation), origin)
        await asyncio.sleep(3 * LIMIT)
        editor_save(config, config.read_text("utf-8").replace(CRITERION, "kein Grund passt"))
        path = await _next_reload(client)
        await _close(client)
        return path

    with running(project) as served:
        assert asyncio.run(check(served)) == "charta:swap"


def _frame(opcode: int, payload: bytes, first: int = 0x80) -> bytes:
    """A masked WebSocket frame from a client (RFC 6455 5.2); `first` holds FIN and the
    reserved bits."""
    length = len(payload)
    if length < 126:
        size = bytes([length | 0x80])
    elif length < 1 << 16:
        size = bytes([126 | 0x80]) + length.to_bytes(2, "big")
    else:
        size = bytes([127 | 0x80]) + length.to_bytes(8, "big")
    mask = b"\x01\x02\x03\x04"
    hidden = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([first | opcode]) + size + mask + hidden


def _raw_socket(port: int) -> socket.socket:
    """A WebSocket to /livereload opened by hand, its 101 answer read, for frames made by hand."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = "".join(f"{k}: {v}\r\n" for k, v in HANDSHAKE.items())
    connection.sendall(f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{head}\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += connection.recv(1024)
    assert answer.startswith(b"HTTP/1.1 101 "), answer
    return connection


def _until_closed(
    connection: socket.socket, timeout: float, answer_close: bool = False
) -> tuple[float, bytes]:
    """Seconds until the server ends the connection, and what it sent before; fails after
    `timeout` seconds. On a WebSocket, the server's close frame is answered, as clients do."""
    start = time.monotonic()
    received = b""
    connection.settimeout(timeout)
    while True:
        try:
            data = connection.recv(4096)
        except ConnectionResetError:
            data = b""
        if not data:
            return time.monotonic() - start, received
        received += data
        if answer_close and CLOSE in received:
            with contextlib.suppress(ConnectionError):
                connection.sendall(_frame(0x8, b""))


CLOSE = b"\x88"
"""The first byte of a WebSocket's close frame."""


GARBAGE = [
    "not json",
    "[1, 2]",
    '"hello"',
    "null",
    "7",
    "{}",
    '{"command": 5}',
    '{"command": ["hello"]}',
    '{"command": "reload", "path": "*"}',
    '{"command": "info", "plugins": [1]}',
    '{"command": "info", "plugins": {"charta": "x"}}',
    '{"command": "info", "plugins": {"charta": {"version": {"a": 1}}}}',
    '{"command": "hello", "protocols": 7}',
]
"""Messages no livereload.js sends."""


async def _handshake(port: int) -> None:
    """Open a socket, say livereload.js's handshake and close it."""
    await _close(await _connect(port, "1"))


def test_garbage_on_the_socket_is_ignored_without_a_traceback(project: Path) -> None:
    async def messages(port: int) -> None:
        client = await websocket.websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        for message in GARBAGE:
            await client.write_message(message)
        await client.write_message(b"\xff\x00{", binary=True)
        # The same socket still speaks livereload's protocol after all that. (An `info` whose
        # plugins name no build of this server's pages has had a whole reload.)
        await client.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
        async with asyncio.timeout(10):
            while json.loads(await client.read_message() or "")["command"] != "hello":
                pass
        await _close(client)

    frames = [
        _frame(0x1, b"\xff\xfe"),  # text that is not UTF-8
        _frame(0x1, b"{}", first=0x80 | 0x40),  # a reserved bit: an extension never agreed on
        _frame(0x3, b"{}"),  # an opcode that means nothing
        _frame(0x0, b"{}"),  # a continuation of nothing
        _frame(0x9, b"x" * 126),  # a ping too long for a control frame
        _frame(0x1, b" " * (serve.MAX_MESSAGE + 1)),  # too big
    ]
    with serving(project) as served:
        asyncio.run(messages(served.port))
        for frame in frames:
            with _raw_socket(served.port) as connection:
                with contextlib.suppress(ConnectionError):  # dropped before it was all sent
                    connection.sendall(frame)
                try:
                    _until_closed(connection, 10, answer_close=True)  # the server drops it
                except TimeoutError:
                    pytest.fail(f"not dropped: {frame[:4]!r}")
        asyncio.run(_handshake(served.port))  # a new socket too
        for request in (
            b"NONSENSE\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n",
        ):
            with socket.create_connection(("127.0.0.1", served.port)) as connection:
                connection.sendall(request)
                _until_closed(connection, 10)
        assert served.get("/")[0] == 200
        time.sleep(0.2)  # for anything the server would still print
        printed = "".join(served.lines)
        assert printed.count("\n") == 2, printed  # "Built …" and "Serving …", nothing else


def test_the_limits_in_the_docs_are_the_server_s() -> None:
    text = (browser.ROOT / "docs" / "serve.md").read_text("utf-8")
    rows = dict(re.findall(r"^  \| ([a-z' -]+) \| (\d+) \|", text, re.MULTILINE))
    assert rows == {
        "a request's headers": f"{serve.REQUEST_LIMIT:g}",
        "a request's body": f"{serve.BODY_LIMIT:g}",
        "the live-reload handshake": f"{serve.HELLO_LIMIT:g}",
    }
    assert serve.MAX_BODY == serve.MAX_MESSAGE == 64 * 1024  # "64 KiB" in the docs


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_client_that_sends_its_request_slowly_is_cut_off(
    project: Path, limited: None, part: str
) -> None:
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if part == "body":  # the headers at once, then a body the server must read before answering
        head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60000\r\n\r\n"
    trickle = b"X-Slow: yes\r\n" * 1000
    with running(project) as served, socket.create_connection(("127.0.0.1", served.port)) as slow:
        slow.sendall(head)
        start = time.monotonic()
        for byte in trickle:  # never idle for long, so only a deadline for all of them helps
            if time.monotonic() - start > LIMIT + SLACK:
                break
            try:
                slow.sendall(bytes([byte]))
            except ConnectionError:
                break
            readable, _, _ = select.select([slow], [], [], 0.02)
            if readable and slow.recv(1024) == b"":
                break
        took = time.monotonic() - start
        assert LIMIT * 0.9 < took < LIMIT + SLACK, took
        assert served.get("/")[0] == 200


@pytest.mark.parametrize("before", ["nothing", "a request", "a socket", "a socket's hello"])
def test_an_idle_connection_is_closed(project: Path, limited: None, before: str) -> None:
    with running(project) as served:
        if before.startswith("a socket"):
            idle = _raw_socket(served.port)
            if before == "a socket's hello":  # but not the `info` that follows it at once
                idle.sendall(_frame(0x1, json.dumps({"command": "hello"}).encode()))
        else:
            idle = socket.create_connection(("127.0.0.1", served.port))
            if before == "a request":  # and then the connection is kept open
                idle.sendall(
                    f"GET /charta.json HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode()
                )
        with idle:
            took, received = _until_closed(idle, 10, before.startswith("a socket"))
        assert LIMIT * 0.9 < took < LIMIT + SLACK, took
        if before == "a request":
            assert received.startswith(b"HTTP/1.1 200 OK\r\n")
        if before.startswith("a socket"):  # closed with 1008, "policy violation", and why
            assert received.endswith(CLOSE + bytes([14]) + b"\x03\xf0no handshake")
        assert served.get("/")[0] == 200


# The watcher


WAYS = ["notified", "polled"]
"""How the watcher learns of changes: from the system (through watchfiles), or by polling."""


@pytest.fixture(params=WAYS)
def polling(request: pytest.FixtureRequest) -> bool:
    """Whether the watcher polls."""
    return request.param == "polled"


def burst(watcher: Watcher, timeout: float = 1.0) -> list[Path] | None:
    """The watched paths of the watcher's next burst, [] when none comes within `timeout`."""
    return watcher.wait(serve.QUIET, serve.LONGEST_WAIT, timeout)


def test_the_watcher_reports_saves_by_rename_and_new_folders_but_not_the_output(
    tmp_path: Path, polling: bool
) -> None:
    config, sources, out = tmp_path / "charta.yaml", tmp_path / "site_src", tmp_path / "output"
    config.write_text("a")
    out.mkdir()
    watcher = Watcher([config], [sources], out, polling)
    try:
        assert watcher.polling is polling
        (tmp_path / ".charta.yaml.tmp").write_text("b")
        os.replace(tmp_path / ".charta.yaml.tmp", config)
        assert burst(watcher) == [config]
        (out / "index.html").write_text("x")
        (tmp_path / ".output-new-1").mkdir()
        (tmp_path / "notes.txt").write_text("not a source")
        assert burst(watcher, SETTLE) == []
        (sources / "static").mkdir(parents=True)
        assert burst(watcher) == [sources]  # what is in it is built with it
        (sources / "static" / "a.css").write_text("x")
        assert burst(watcher) == [sources / "static" / "a.css"]
        shutil.rmtree(sources / "static")
        assert burst(watcher) == [sources / "static", sources / "static" / "a.css"]
        (sources / "static").mkdir()  # watched again, though made where one was before
        assert burst(watcher) == [sources / "static"]
        (sources / "static" / "b.css").write_text("x")
        assert burst(watcher) == [sources / "static" / "b.css"]
    finally:
        watcher.close()


def test_an_output_inside_a_watched_folder_is_still_not_watched(
    tmp_path: Path, polling: bool
) -> None:
    sources = tmp_path / "site_src"
    out = sources / "public"
    out.mkdir(parents=True)
    watcher = Watcher([tmp_path / "charta.yaml"], [sources], out, polling)
    try:
        (out / "index.html").write_text("x")
        (sources / ".public-new-1").mkdir()
        (sources / ".public-new-1" / "index.html").write_text("x")
        (sources / "page.md").write_text("x")
        assert burst(watcher) == [sources / "page.md"]
        assert burst(watcher, SETTLE) == []
    finally:
        watcher.close()


class _Resolving:
    """watchfiles' watcher reporting each path with its links resolved, as macOS' FSEvents
    does (a project in /tmp is reported in /private/tmp)."""

    def __init__(self, *args: object) -> None:
        self.watcher = watchfiles_rust.RustNotify(*args)

    def watch(self, *args: object) -> object:
        found = self.watcher.watch(*args)
        if not isinstance(found, set):
            return found
        return {(change, os.path.realpath(path)) for change, path in found}

    def close(self) -> None:
        self.watcher.close()


def test_paths_reported_with_their_links_resolved_are_the_watched_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "RustNotify", _Resolving)
    (tmp_path / "real" / "site_src").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    config, sources = tmp_path / "link" / "charta.yaml", tmp_path / "link" / "site_src"
    watcher = Watcher([config], [sources], tmp_path / "link" / "output", False)
    try:
        config.write_text("a")
        assert burst(watcher) == [config]
        (sources / "pages").mkdir()
        assert burst(watcher) == [sources / "pages"]
        (sources / "pages" / "a.md").write_text("x")
        assert burst(watcher) == [sources / "pages" / "a.md"]
    finally:
        watcher.close()


def test_two_saves_within_one_second_are_both_seen(tmp_path: Path, polling: bool) -> None:
    """watchfiles' own polling (notify 8.0) compares modified times in whole seconds, and
    missed the second save; so polling is the watcher's own."""
    config = tmp_path / "charta.yaml"
    config.write_text("a")
    watcher = Watcher([config], [], tmp_path / "output", polling)
    try:
        time.sleep(1 - time.time() % 1)  # at the start of a second, so that both saves fit in it
        config.write_text("b")
        assert burst(watcher) == [config]
        config.write_text("c")
        assert burst(watcher) == [config]
        assert time.time() % 1 < 0.9, "too slow to test: the saves were a second apart"
    finally:
        watcher.close()


FELL_BACK = (
    "The system's file watching failed (OS file watch limit reached); "
    "polling the sources every 0.1 s instead"
)
"""What the server says when it polls since the system's watching failed."""
FORCED = "Polling the sources every 0.1 s, as WATCHFILES_FORCE_POLLING asks"
"""What the server says when it polls since the environment asks it to."""


def test_the_environment_makes_the_watcher_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    for value, polls in [("1", True), ("yes", True), ("false", False), ("Disabled", False)]:
        monkeypatch.setenv("WATCHFILES_FORCE_POLLING", value)
        Watcher([tmp_path / "charta.yaml"], [], tmp_path / "out", say=said.append).close()
        assert watch.forced_polling() is polls
    monkeypatch.delenv("WATCHFILES_FORCE_POLLING")
    assert not watch.forced_polling()
    assert said == [FORCED] * 2


LIMIT_REACHED = (
    'OS file watch limit reached. about ["/p"] (Error { kind: MaxFilesWatch, paths: ["/p"] })'
)
"""How watchfiles 1.3 says that inotify's watches are used up: its OSError holds notify's message,
the paths and notify's debug form."""


def _native_fails(*args: object) -> None:
    raise OSError(LIMIT_REACHED)


def test_where_the_system_cannot_watch_the_watcher_polls_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "RustNotify", _native_fails)
    config = tmp_path / "charta.yaml"
    config.write_text("a")
    said: list[str] = []
    watcher = Watcher([config], [], tmp_path / "output", say=said.append)
    try:
        assert watcher.polling
        assert said == [FELL_BACK]
        config.write_text("b")
        assert burst(watcher) == [config]
    finally:
        watcher.close()


class _FailingLater:
    """watchfiles' watcher, failing as it waits for its third burst."""

    def __init__(self, *args: object) -> None:
        self.watcher = watchfiles_rust.RustNotify(*args)
        self.calls = 0

    def watch(self, *args: object) -> object:
        self.calls += 1
        if self.calls == 3:
            raise watchfiles_rust.WatchfilesRustInternalError("error in underlying watcher: x")
        return self.watcher.watch(*args)

    def close(self) -> None:
        self.watcher.close()


def test_when_the_system_s_watching_fails_later_the_watcher_polls_and_reports_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "RustNotify", _FailingLater)
    config, sources = tmp_path / "charta.yaml", tmp_path / "site_src"
    config.write_text("a")
    sources.mkdir()
    said: list[str] = []
    watcher = Watcher([config], [sources], tmp_path / "output", False, said.append)
    try:
        for text in ("b", "c"):
            config.write_text(text)
            assert burst(watcher) == [config]
        assert not said
        # What changed while it failed is not known: everything watched, so that it is built.
        assert burst(watcher) == [config, sources]
        assert watcher.polling
        assert said == [
            "The system's file watching failed (error in underlying watcher: x); "
            "polling the sources every 0.1 s instead"
        ]
        (sources / "page.md").write_text("x")
        assert burst(watcher) == [sources / "page.md"]
    finally:
        watcher.close()


def test_the_polling_messages_are_in_the_docs() -> None:
    text = (browser.ROOT / "docs" / "serve.md").read_text("utf-8")
    for message in (FELL_BACK, FORCED):
        assert f"| `{message}` |" in text, message


def test_a_server_whose_watching_fails_polls_and_still_reloads(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(watch, "RustNotify", _native_fails)
    config = project / "charta.yaml"

    async def check(served: Served) -> str:
        client = await _connect(served.port, str(served.live.generation))
        editor_save(config, config.read_text("utf-8").replace(CRITERION, "kein Grund passt"))
        path = await _next_reload(client)
        await _close(client)
        return path

    with running(project) as served:
        assert asyncio.run(check(served)) == "charta:swap"
        assert b"kein Grund passt" in served.get("/")[1]
        assert served.live.generation == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0] == FELL_BACK
    assert out[1].startswith("Built ")


def test_the_command_polls_when_the_environment_says_so_and_reloads(project: Path) -> None:
    config = project / "charta.yaml"

    async def check(port: int) -> str:
        client = await _connect(port, "1")
        editor_save(config, config.read_text("utf-8").replace(CRITERION, "kein Grund passt"))
        path = await _next_reload(client)
        await _close(client)
        return path

    with serving(project, {"WATCHFILES_FORCE_POLLING": "1"}) as served:
        assert asyncio.run(check(served.port)) == "charta:swap"
        assert b"kein Grund passt" in served.get("/")[1]
        printed = "".join(served.lines)
    assert printed.startswith(f"{FORCED}\nBuilt output/ in ")
    assert printed.count("Rebuilt output/") == 1, printed


# In Chromium, through the real command


@pytest.fixture
def command(project: Path) -> Iterator[ServeProcess]:
    """`charta serve` on a free port in the project, stopped by its PID after the test."""
    with serving(project) as served:
        yield served


@pytest.mark.browser
def test_the_browser_follows_saves_errors_and_fixes(
    project: Path, command: ServeProcess, page: Page
) -> None:
    config = project / "charta.yaml"
    good = config.read_text("utf-8")
    page.goto(command.url)
    expect(page.get_by_text(CRITERION)).to_be_visible()

    changed = good.replace(CRITERION, "keiner der hier genannten Gründe zutrifft")
    editor_save(config, changed)
    expect(page.get_by_text("keiner der hier genannten Gründe zutrifft")).to_be_visible()

    broken = good.replace(CRITERION, BROKEN)
    editor_save(config, broken)
    expect(page.locator("h1")).to_have_text("Die Charta hat einen Fehler")  # the charta's lang
    line = line_of(broken, BROKEN)
    expect(page.locator("h2")).to_contain_text(f"charta.yaml:{line}:")
    expect(page.locator("pre")).to_contain_text(BROKEN)

    editor_save(config, good)
    expect(page.get_by_text(CRITERION)).to_be_visible()
    expect(page.locator("h1")).not_to_have_text("Die Charta hat einen Fehler")


@pytest.mark.browser
def test_ctrl_c_stops_cleanly(command: ServeProcess, page: Page) -> None:
    page.goto(command.url)  # a connected browser must not hold the server up
    expect(page.get_by_text(CRITERION)).to_be_visible()
    command.process.send_signal(signal.SIGINT)
    assert command.process.wait(timeout=10) == 0
    command.reader.join(timeout=10)
    printed = "".join(command.lines)
    assert "Traceback" not in printed
    assert printed.endswith("\nStopped serving output/\n")


# In Chromium: a save swaps the page in place


CHANGED = "keiner der hier genannten Gründe zutrifft"
"""The criterion's text after an edit."""


def connected(page: Page, url: str) -> list[str]:
    """Open `url`, wait for livereload.js to connect and mark the page with `window.__marker`.

    Returns the list into which each document the page requests from then on goes: a page
    swapped in place requests none, a reload or another navigation one.
    """
    page.goto(url)
    page.wait_for_function("window.LiveReload && window.LiveReload.connector.protocol >= 7")
    page.evaluate("window.__marker = 1")
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    return documents


def marked(page: Page) -> bool:
    """Whether the page is still the document `connected` opened."""
    return bool(page.evaluate("window.__marker") == 1)


def served_document(page: Page) -> str:
    """The page's served HTML as the browser parses it, to compare with what the page shows."""
    return str(
        page.evaluate(
            """async () => {
            const answer = await fetch(location.href, {cache: "no-store"});
            const parsed = new DOMParser().parseFromString(await answer.text(), "text/html");
            return parsed.documentElement.outerHTML;
        }"""
        )
    )


def shown_document(page: Page) -> str:
    """What the page shows, as HTML."""
    return str(page.evaluate("document.documentElement.outerHTML"))


@pytest.mark.browser
def test_a_save_is_swapped_into_the_page_without_a_navigation(
    project: Path, command: ServeProcess, page: Page
) -> None:
    config = project / "charta.yaml"
    documents = connected(page, command.url)
    assert page.evaluate("LiveReloadPluginCharta.version") == "1"

    editor_save(config, config.read_text("utf-8").replace(CRITERION, CHANGED))
    expect(page.get_by_text(CHANGED)).to_be_visible()
    expect(page.get_by_text(CRITERION)).to_have_count(0)
    assert marked(page), "the page was reloaded, not swapped"
    assert documents == []
    assert shown_document(page) == served_document(page)
    # The plugin now reports the new build, so a new connection reloads nothing.
    assert page.evaluate("LiveReloadPluginCharta.version") == "2"
    page.evaluate(
        """() => {
            document.addEventListener("LiveReloadConnect", () => { window.__again = true; });
            LiveReload.connector.socket.close();
        }"""
    )
    page.wait_for_function("window.__again === true", timeout=10_000)
    time.sleep(SETTLE)
    assert marked(page) and documents == []


@pytest.mark.browser
def test_an_open_page_keeps_its_socket_past_every_limit_and_follows_a_save(
    project: Path, limited: None, page: Page
) -> None:
    config = project / "charta.yaml"
    with running(project) as served:
        documents = connected(page, f"http://127.0.0.1:{served.port}/")
        page.evaluate(
            """() => document.addEventListener(
                "LiveReloadDisconnect", () => { window.__dropped = true; })"""
        )
        time.sleep(3 * LIMIT)  # the page's idle HTTP connection is closed meanwhile
        editor_save(config, config.read_text("utf-8").replace(CRITERION, CHANGED))
        expect(page.get_by_text(CHANGED)).to_be_visible()
        assert marked(page) and documents == []
        assert page.evaluate("window.__dropped") is None, "the socket was closed"


@pytest.mark.browser
def test_a_swap_keeps_the_scroll_position(project: Path, command: ServeProcess, page: Page) -> None:
    config = project / "charta.yaml"
    page.set_viewport_size({"width": 800, "height": 300})
    documents = connected(page, command.url)
    page.evaluate("window.scrollTo(0, 500)")
    assert page.evaluate("window.scrollY") == 500

    editor_save(config, config.read_text("utf-8").replace(CRITERION, CHANGED))
    expect(page.get_by_text(CHANGED)).to_be_attached()
    assert marked(page) and documents == []
    assert page.evaluate("[window.scrollX, window.scrollY]") == [0, 500]


@pytest.mark.browser
def test_a_deep_link_keeps_its_mark_through_a_swap(
    project: Path, command: ServeProcess, page: Page
) -> None:
    config = project / "charta.yaml"
    documents = connected(page, command.url + "#decline-no-reason")
    target = page.locator("li:target")
    expect(target).to_contain_text(CRITERION)
    page.evaluate("window.scrollTo(0, 20)")

    editor_save(config, config.read_text("utf-8").replace(CRITERION, CHANGED))
    expect(target).to_contain_text(CHANGED)
    assert marked(page) and documents == []
    assert page.evaluate("window.scrollY") == 20, "the mark must not scroll the page"


@pytest.mark.browser
def test_the_error_page_is_swapped_in_and_out(
    project: Path, command: ServeProcess, page: Page
) -> None:
    config = project / "charta.yaml"
    good = config.read_text("utf-8")
    documents = connected(page, command.url)
    title = page.title()
    assert page.evaluate("document.documentElement.lang") == "de"

    broken = good.replace(CRITERION, BROKEN)
    editor_save(config, broken)
    expect(page.locator("h1")).to_have_text("Die Charta hat einen Fehler")
    expect(page.locator("h2")).to_contain_text(f"charta.yaml:{line_of(broken, BROKEN)}:")
    expect(page.locator("pre")).to_contain_text(BROKEN)
    expect(page).to_have_title("Build fehlgeschlagen – Kontaktcharta")  # the head is swapped too
    assert page.evaluate("document.documentElement.lang") == "de"  # in the charta's language
    assert shown_document(page) == served_document(page)

    editor_save(config, good)
    expect(page.get_by_text(CRITERION)).to_be_visible()
    expect(page).to_have_title(title)
    expect(page.locator("h2").first).not_to_contain_text("charta.yaml:")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert shown_document(page) == served_document(page)
    assert marked(page) and documents == []


@pytest.mark.browser
def test_a_changed_static_file_reloads_the_whole_page_and_shows_the_new_file(
    project: Path, page: Page
) -> None:
    # A page of the site shows an image from site_src/static, through the user's own template.
    templates = project / "site_src" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    theme = (browser.ROOT / "themes" / "default" / "templates" / "page.html").read_text("utf-8")
    image = '<img id="bild" src="bild.svg" alt="Bild">'
    (templates / "page.html").write_text(
        theme.replace("{% block main %}", "{% block main %}" + image, 1)
    )
    static = project / "site_src" / "static"
    static.mkdir(exist_ok=True)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{0}"/>'
    (static / "bild.svg").write_text(svg.format(10))
    with serving(project) as command:
        documents = connected(page, command.url + "impressum.html")
        width = "document.getElementById('bild').naturalWidth"
        page.wait_for_function(f"{width} === 10")

        (static / "bild.svg").write_text(svg.format(20))
        page.wait_for_function("window.__marker === undefined")
        page.wait_for_function(f"{width} === 20")
        assert documents == [command.url + "impressum.html"]


@pytest.mark.browser
@pytest.mark.parametrize("answer", ["network error", "plain text", "404", "another server's page"])
def test_a_swap_that_fails_reloads_the_whole_page(
    project: Path, command: ServeProcess, page: Page, answer: str
) -> None:
    def fetched(route: Route) -> None:
        if route.request.resource_type != "fetch":
            route.continue_()
        elif answer == "network error":
            route.abort()
        elif answer == "plain text":
            route.fulfill(status=200, content_type="text/plain", body="Seite")
        elif answer == "404":
            route.fulfill(status=404, content_type="text/html", body="<h1>Not found</h1>")
        else:
            route.fulfill(status=200, content_type="text/html", body="<title>Proxy</title><p>Hallo")

    config = project / "charta.yaml"
    page.route(command.url, fetched)
    documents = connected(page, command.url)
    editor_save(config, config.read_text("utf-8").replace(CRITERION, CHANGED))
    page.wait_for_function("window.__marker === undefined")
    expect(page.get_by_text(CHANGED)).to_be_visible()
    assert documents == [command.url]
