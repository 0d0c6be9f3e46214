"""`charta serve`: rebuild on each change, serve output/, reload the browser, show errors."""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import json
import mimetypes
import re
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher as LivereloadWatcher
from tornado import httpserver, httputil, web, websocket

from .build import build, theme_of
from .errors import ChartaError, Problem
from .lang import primary
from .watch import Watcher
from .yamlfile import MAX_BYTES

QUIET = 0.01
"""Seconds without a change that end a burst: an editor's save is a burst far shorter than this.

The events of one save, as the watcher reports them, come at most 3 ms apart on an idle machine
(plain writes, temporary file and rename, with and without fsync, vim, `sed -i`, `ed`), and at
most about 10 ms apart with every core busy; see docs/serve.md. watchfiles looks for new changes
every `QUIET` seconds (its `step`), so a burst ends 10 to 20 ms after its last change.
"""
LONGEST_WAIT = 0.25
"""Seconds after a burst's first change by which it is built however long the burst goes on
(watchfiles' `debounce`)."""
STOP_WAIT = 5.0
"""Seconds the server waits for the watcher's thread as it stops; it stops within `QUIET`."""
PORT_TRIES = 10
"""How many ports from the one asked for are tried before giving up."""
REQUEST_LIMIT = 10.0
"""Seconds a connection has to send a request's headers, counted from when the server starts
waiting for them: on a new connection, or on one kept open after an answer. A client that is
idle or sends them byte by byte is cut off after this; a browser sends them in one go."""
BODY_LIMIT = 10.0
"""Seconds a request's body may take; the server answers only GET and HEAD, which have none."""
MAX_BODY = 64 * 1024
"""The largest request body read, in bytes; a longer one is refused before it is read."""
HELLO_LIMIT = 10.0
"""Seconds a live-reload socket has to say livereload.js's handshake (`hello`, then `info`)
after it opens; livereload.js says it at once. A socket that has said it stays open as long
as the page does, to carry the reloads; one that has not is closed after this."""
MAX_MESSAGE = 64 * 1024
"""The largest message a live-reload socket may send, in bytes; livereload.js's are tiny."""
_PROTOCOL = "http://livereload.com/protocols/official-7"
"""The livereload protocol livereload.js and this server speak."""
# The two reloads the server sends, as the `path` of livereload's "reload" command. The page's
# plugin (see `reload_script`) takes over `_SWAP_RELOAD`: it fetches the page again and swaps it
# in place, which is quicker than a navigation and keeps the scroll position. Every other path
# goes to livereload.js's own logic, which reloads the whole page for "*" (it names no stylesheet
# or image). A change to a static file (an image, a font) needs that full reload: a page swapped
# in place would keep showing what the browser already fetched of it (see `reload_path`).
_FULL_RELOAD = "*"
_SWAP_RELOAD = "charta:swap"


class ServeError(Exception):
    """A reason the server cannot start, said in one line."""


@dataclass
class Live:
    """What is served: the sources, the output folder and how the latest build went."""

    config: Path
    """The charta file; its folder holds `site_src/`."""
    out: Path
    """The output folder, written only by good builds."""
    theme: str | None
    """The theme as given to `--theme`; None: the charta's `theme:`, else `default`."""
    label: str
    """The charta file as the user named it, for messages."""
    generation: int = 0
    """Builds so far; each served page carries it, so a page from an older build reloads."""
    failed: bytes | None = None
    """The error page served in place of the site's pages while the latest build fails, in
    the charta's language; None while it is good."""
    warnings: tuple[str, ...] = ()
    """The latest good build's warnings, said again only when they change."""

    def rebuild(self, changed: Sequence[Path] = ()) -> None:
        """Build; write the output if the build is good, else keep the error for the browser."""
        try:
            # The build command's own function: output/ holds what `charta build` writes.
            site, seconds = build(self.config, self.out, self.theme, self.label)
        except ChartaError as error:
            self._failed(error)
        except Exception as error:  # a bug in the build must not take the server down
            traceback.print_exc()
            self._failed(ChartaError.single(self.label, f"the build crashed: {error!r}"))
        else:
            self.failed = None
            why = ""
            if changed:
                why = f" after a change to {_relative(changed[0], self.config.parent)}"
            verb = "Rebuilt" if self.generation else "Built"
            print(f"{verb} {self.out}/ in {seconds:.2f} s{why}", flush=True)
            if site.warnings != self.warnings:
                for warning in site.warnings:
                    print(f"warning: {warning}", file=sys.stderr, flush=True)
            self.warnings = site.warnings
        self.generation += 1

    def _failed(self, error: ChartaError) -> None:
        self.failed = error_page(error, charta_lang(self.config)).encode()
        print(error.format(), file=sys.stderr, flush=True)
        print(
            f"Build failed; the browser shows the error and {self.out}/ keeps the last good build",
            file=sys.stderr,
            flush=True,
        )


def _relative(path: Path, project: Path) -> str:
    project = project.absolute()
    return str(path.relative_to(project)) if path.is_relative_to(project) else str(path)


ERROR_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Build fehlgeschlagen",
        "one": "Die Charta hat einen Fehler",
        "many": "Die Charta hat {count} Fehler",
        "text": "Der Build ist fehlgeschlagen, darum steht diese Seite an Stelle der Charta; "
        "die Dateien auf der Platte sind noch die des letzten guten Builds. Beheben Sie den "
        "Fehler und speichern Sie: Die Seite kommt von selbst zurück.",
    },
    "en": {
        "title": "Build failed",
        "one": "The charta has a mistake",
        "many": "The charta has {count} mistakes",
        "text": "The build failed, so this page stands in for the charta; the files on disk are "
        "still those of the last good build. Fix the mistake and save: the page comes back by "
        "itself.",
    },
}
"""What the error page says, by the charta's primary language (English for any other)."""
_LANG = re.compile(r"^lang:[ \t]*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.MULTILINE)


def error_page(error: ChartaError, lang: str = "en") -> str:
    """The page served in place of every page of the site while the build fails, in the
    charta's language (de or en; English for any other)."""
    words = ERROR_WORDS.get(primary(lang), ERROR_WORDS["en"])
    shown = lang if primary(lang) in ERROR_WORDS else "en"
    count = len(error.problems)
    heading = words["one"] if count == 1 else words["many"].format(count=count)
    problems = "\n".join(_problem(p) for p in error.problems)
    return f"""<!doctype html>
<html lang="{escape(shown)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{words["title"]} \N{EN DASH} Kontaktcharta</title>
<style>{_ERROR_CSS}</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{words["text"]}</p>
{problems}
</main>
</body>
</html>
"""


def charta_lang(config: Path) -> str:
    """The language a charta file names (`lang:`), read even where the charta has mistakes;
    English where none is found."""
    try:
        with config.open(encoding="utf-8", errors="replace") as handle:
            found = _LANG.search(handle.read(MAX_BYTES))
    except OSError:
        return "en"
    return found.group(1) if found else "en"


def _problem(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}:{problem.column}" if problem.line else problem.file
    path = f"<code>{escape(problem.path)}</code>: " if problem.path else ""
    source = ""
    if problem.source:
        text = escape(problem.source.replace("\t", " "))
        caret = " " * max(problem.column - 1, 0) + "^"
        source = f'\n<pre><code>{text}\n<span class="caret">{caret}</span></code></pre>'
    return (
        f'<section class="problem">\n<h2><code>{escape(where)}</code></h2>\n'
        f"<p>{path}{escape(problem.message)}</p>{source}\n</section>"
    )


_ERROR_CSS = (
    "body{margin:0;font:1.05rem/1.5 system-ui,sans-serif;background:Canvas;color:CanvasText}"
    "main{max-width:48rem;margin:0 auto;padding:2rem 1rem}"
    "h1{margin-top:0;color:#b3261e;font-size:1.6rem}"
    "h2{margin:0 0 .25rem;font-size:1rem}"
    ".problem{border-left:.3rem solid #b3261e;padding:.5rem 1rem;margin:1.5rem 0;"
    "background:color-mix(in srgb,#b3261e 8%,Canvas)}"
    "pre{overflow-x:auto;margin:.5rem 0 0;font-size:.95rem}"
    ".caret{color:#b3261e;font-weight:bold}"
    "@media (prefers-color-scheme:dark){h1,.caret{color:#ffb4ab}.problem{border-color:#ffb4ab}}"
)


def reload_script(generation: int) -> bytes:
    """The script a served page gets: livereload.js and a plugin that swaps a new build in."""
    return _RELOAD_SCRIPT.replace("GENERATION", str(generation)).encode()


# livereload.js (livereload/vendors/livereload.js of the livereload package) adds as a plugin
# each `window.LiveReloadPlugin…` there is when it loads: it calls `new Plugin(window, host)`,
# sends the plugin's static `version`, under its static `identifier`, to the server on each
# connection, and on each reload calls every plugin's `reload(path, options)` first; a plugin
# that returns true has handled the reload.
#
# This plugin's version is the build the page shows, so a page that was loading while its reload
# was sent is reloaded when it connects (`Reload.on_message`). It handles `_SWAP_RELOAD`: it
# fetches the page again and swaps it in place, in one task so that no frame shows half of it:
# the attributes of <html>, the head's content (nodes equal to the old ones are kept, so an
# unchanged stylesheet is not parsed or fetched again) and the body; then it restores the scroll
# position and takes the new page's build as its version. The new page's scripts do not run
# (DOMParser marks them so), the livereload.js that runs keeps its connection. The error page
# (HTTP 500) is swapped in like any page. On any failure, or when the answer is not one of this
# server's pages, it reloads the whole page instead.
_RELOAD_SCRIPT = (
    '<script data-charta-generation="GENERATION">(function(){'
    "var SWAP=" + json.dumps(_SWAP_RELOAD) + ",latest=0;"
    "function Charta(window){this.window=window}"
    'Charta.identifier="charta";'
    'Charta.version=document.currentScript.getAttribute("data-charta-generation");'
    "Charta.prototype.reload=function(path){"
    "if(path!==SWAP)return false;"
    "var w=this.window,ticket=++latest;"
    "swap(w,ticket).catch(function(){w.location.reload()});"
    "return true};"
    "async function swap(w,ticket){"
    'var r=await w.fetch(w.location.href,{cache:"no-store"});'
    'var kind=(r.headers.get("Content-Type")||"").split(";")[0].trim().toLowerCase();'
    'if(r.status!==200&&r.status!==500||r.redirected||kind!=="text/html")'
    'throw new Error("not a page");'
    "var text=await r.text();"
    "if(ticket!==latest)return;"  # a later reload's fetch is under way
    'var doc=new DOMParser().parseFromString(text,"text/html"),'
    'mark=doc.querySelector("script[data-charta-generation]");'
    'if(!mark||!doc.head||!doc.body)throw new Error("not a page of this server");'
    'var generation=mark.getAttribute("data-charta-generation");'
    "if(+generation<+Charta.version)return;"
    # With scripting off, DOMParser reads <noscript> as markup; a browser with scripts shows none.
    'doc.querySelectorAll("noscript").forEach(function(n){n.remove()});'
    "var d=w.document,x=w.scrollX,y=w.scrollY;"
    "attributes(d.documentElement,doc.documentElement);"
    "head(d,doc.head);"
    "d.documentElement.replaceChild(d.adoptNode(doc.body),d.body);"
    "Charta.version=generation;"
    # The new element the address's #fragment names becomes :target, without a scroll to it.
    "if(w.location.hash)w.location.replace(w.location.href);"
    "w.scrollTo(x,y)}"
    "function attributes(to,from){"
    "Array.from(to.attributes).forEach(function(a){"
    "if(!from.hasAttribute(a.name))to.removeAttribute(a.name)});"
    "Array.from(from.attributes).forEach(function(a){"
    "if(to.getAttribute(a.name)!==a.value)to.setAttribute(a.name,a.value)})}"
    "function head(d,fresh){"
    "var old=Array.from(d.head.childNodes),kept=new Set();"
    "var nodes=Array.from(fresh.childNodes).map(function(n){"
    "var same=old.find(function(o){return!kept.has(o)&&o.isEqualNode(n)});"
    "if(same){kept.add(same);return same}"
    "return d.adoptNode(n)});"
    "old.forEach(function(o){if(!kept.has(o))o.remove()});"
    "nodes.forEach(function(n,i){var at=d.head.childNodes[i];"
    "if(at!==n)d.head.insertBefore(n,at||null)})}"
    "window.LiveReloadPluginCharta=Charta;"
    "var s=document.createElement('script'),l=window.location;"
    "var p=l.port||(l.protocol=='https:'?443:80);"
    "s.src='/livereload.js?host='+l.hostname+'&port='+p;"
    "document.head.appendChild(s)})();</script>"
)


def inject(page: bytes, script: bytes) -> bytes:
    """`page` with `script` before its `</head>`, else at its end; for serving, never for files."""
    at = page.lower().find(b"</head>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def site_file(root: Path, url_path: str) -> Path:
    """The file or folder `url_path` names inside `root`: 403 outside it, 404 where missing."""
    base = root.resolve()
    try:
        found = base.joinpath(*_parts(url_path)).resolve(strict=True)
    except (OSError, RuntimeError):
        raise web.HTTPError(404) from None
    if not found.is_relative_to(base):  # a symlink that points out of the output folder
        raise web.HTTPError(403)
    return found


def _parts(url_path: str) -> list[str]:
    """The path's segments, decoded; 403 for any that could climb out of the folder."""
    parts = unquote(url_path).split("/")
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        raise web.HTTPError(403)
    return [part for part in parts if part]


def _page_name(url_path: str) -> str:
    return url_path + "index.html" if url_path.endswith("/") else url_path


class _Site(web.RequestHandler):
    """Serves the output folder with the reload script in its pages, or the error page."""

    def initialize(self, live: Live, local: bool) -> None:
        self.live = live
        self.local = local

    def prepare(self) -> None:
        check_host(self.request, self.local)

    def get(self) -> None:
        path = self.request.path
        parts = _parts(path)
        if self.live.failed is not None and _page_name(path).endswith(".html"):
            self._send(500, self.live.failed, "text/html")
            return
        found = site_file(self.live.out, path)
        if found.is_dir():
            if not path.endswith("/"):
                self.redirect("/" + "".join(f"{part}/" for part in parts))
                return
            found = site_file(self.live.out, path + "index.html")
        if not found.is_file():
            raise web.HTTPError(404)
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        self._send(200, found.read_bytes(), kind)

    def head(self) -> None:
        self.get()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        title = f"{status_code} {escape(self._reason)}"
        page = f"<!doctype html><html lang=en><head><title>{title}</title></head><h1>{title}</h1>"
        self._send(status_code, page.encode(), "text/html")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        if kind == "text/html":
            data = inject(data, reload_script(self.live.generation))
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(data)


def check_host(request: httputil.HTTPServerRequest, local: bool) -> None:
    """403 unless the request names this machine, when the server is bound to it only."""
    # Bound to this machine, answer only its own names: another name is a DNS-rebinding page.
    host, _ = httputil.split_host_and_port(request.host.lower())
    if local and not is_loopback(host):
        raise web.HTTPError(403)


class _Script(LiveReloadJSHandler):  # type: ignore[misc]
    """livereload.js, for this machine's names only, as the pages."""

    def initialize(self, local: bool) -> None:
        self.local = local

    def prepare(self) -> None:
        check_host(self.request, self.local)


def _reload_handler(live: Live, hook: _Hook, local: bool) -> type[Any]:
    class Reload(LiveReloadHandler):  # type: ignore[misc]
        """livereload's socket, one class per server: checks the host and the origin, answers
        only livereload.js's handshake, closes a socket that does not say it, drops no reload."""

        waiters: set[Any] = set()  # noqa: RUF012 - livereload keeps its connections here
        watcher = hook
        live_css = False
        _deadline: asyncio.TimerHandle | None = None

        def prepare(self) -> None:
            check_host(self.request, local)

        def check_origin(self, origin: str) -> bool:
            # The origin's host and port must be the ones the request names (checked above).
            return bool(websocket.WebSocketHandler.check_origin(self, origin))

        def open(self) -> None:
            loop = asyncio.get_running_loop()
            self._deadline = loop.call_later(HELLO_LIMIT, self.close, 1008, "no handshake")

        @classmethod
        def poll_tasks(cls) -> None:
            # livereload ignores a change within 3 s of the last reload; every change counts here.
            changed, _ = cls.watcher.examine()
            if changed:
                cls.reload_waiters(cls.watcher.reload_path)

        def on_message(self, message: str | bytes) -> None:
            # Whatever is not livereload.js's handshake is ignored: no answer, no error logged.
            data = _command(message)
            if data is None:
                return
            if data["command"] == "hello":
                self.send_message(_HELLO)
                return
            if data["command"] != "info":
                return
            if self._deadline is not None:  # livereload.js: it may stay as long as its page
                self._deadline.cancel()
                self._deadline = None
            # livereload files connections in its own class's set; this server keeps its own.
            self.waiters.add(self)
            plugins = data.get("plugins")
            given = plugins.get("charta", {}) if isinstance(plugins, dict) else {}
            version = given.get("version") if isinstance(given, dict) else None
            if version != str(live.generation):
                # What changed since that page's build is not known: reload it whole.
                self.send_message({"command": "reload", "path": _FULL_RELOAD, "liveCSS": False})

        def on_close(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self.waiters.discard(self)

    return Reload


_HELLO = {"command": "hello", "protocols": [_PROTOCOL], "serverName": "livereload-tornado"}
"""The server's half of livereload's handshake, as livereload's own handler says it."""


def _command(message: str | bytes) -> dict[str, Any] | None:
    """A message of livereload.js (a JSON object with a `command`), or None for anything else."""
    if not isinstance(message, str):  # livereload.js sends text frames only
        return None
    try:
        data = json.loads(message)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("command"), str):
        return None
    return data


class _Hook(LivereloadWatcher):  # type: ignore[misc]
    """livereload's watcher hook: a thread waits for the watcher's bursts of changes and hands
    each to the event loop, which rebuilds once for what came since its last build."""

    def __init__(
        self,
        watcher: Watcher,
        rebuild: Callable[[Sequence[Path]], None],
        static: Sequence[Path] = (),
    ) -> None:
        super().__init__()
        self._watcher = watcher
        self._rebuild = rebuild
        self._static = static
        self.reload_path = _SWAP_RELOAD
        """The reload for the pages after the latest burst: in place, or whole (`reload_path`)."""
        self._pending: dict[Path, None] = {}
        self._due: asyncio.Handle | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, callback: Callable[[], None]) -> bool:
        """Call livereload's `callback` after each burst of changes; True: it need not poll."""
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(
            target=self._wait, args=(loop, callback), name="charta watcher", daemon=True
        )
        self._thread.start()
        return True

    def examine(self) -> tuple[str | None, None]:
        """Rebuild for the changes of the burst; livereload reloads the pages after it."""
        changed, self._pending, self._due = list(self._pending), {}, None
        self.filepath = str(changed[0]) if changed else None
        if changed:
            self.reload_path = reload_path(changed, self._static)
            self._rebuild(changed)
        return self.filepath, None

    def close(self) -> None:
        """Stop watching."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_WAIT)
        if self._due is not None:
            self._due.cancel()
        if self._thread is None or not self._thread.is_alive():
            self._watcher.close()

    def _wait(self, loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
        """In the watcher's thread: hand each burst to the loop until told to stop."""
        while (changed := self._watcher.wait(QUIET, LONGEST_WAIT, stop=self._stop)) is not None:
            if changed:
                try:
                    loop.call_soon_threadsafe(self._arrived, changed, callback)
                except RuntimeError:  # the loop is closed: the server has stopped
                    return

    def _arrived(self, changed: list[Path], callback: Callable[[], None]) -> None:
        """In the loop: note the changes and build once for all that came before the build."""
        self._pending.update(dict.fromkeys(changed))
        if self._due is None and not self._stop.is_set():
            self._due = asyncio.get_running_loop().call_soon(callback)


def reload_path(changed: Sequence[Path], static: Sequence[Path]) -> str:
    """The reload to send after building `changed`: whole if a static file may be among them.

    A page swapped in place keeps the images, fonts and other files the browser has fetched for
    it; only a full reload fetches them again. A change to a folder that holds a static folder
    (its creation, its removal, a change whose file is not known) may be a change to a static
    file too.
    """
    for path in changed:
        if any(path.is_relative_to(f) or f.is_relative_to(path) for f in static):
            return _FULL_RELOAD
    return _SWAP_RELOAD


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (`localhost`, `127.0.0.1`, `::1`)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """What to tell the user when `--host` lets other machines see the site."""
    if is_loopback(host):
        return None
    return (
        f"--host {host} lets other machines on the network see this site and its unpublished "
        "changes; leave --host out to keep it on this machine"
    )


def bind(host: str, port: int) -> tuple[list[socket.socket], int]:
    """Listen on `port`, else on the next free one (said on screen); port 0 takes any free one."""
    last = port + (PORT_TRIES - 1 if port else 0)
    for candidate in range(port, last + 1):
        try:
            sockets = _listen(host, candidate)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                continue
            raise ServeError(f"Cannot serve on {host}:{port}: {error.strerror}") from None
        bound: int = sockets[0].getsockname()[1]
        if candidate != port:
            print(f"Port {port} is in use; serving on {bound} instead", flush=True)
        return sockets, bound
    raise ServeError(f"Ports {port} to {last} are all in use; choose a free one with --port")


def _listen(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for each address of `host` (both of `localhost`), closed on failure."""
    sockets: list[socket.socket] = []
    addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    try:
        for family, kind, proto, _, address in dict.fromkeys(addresses):
            listener = socket.socket(family, kind, proto)
            sockets.append(listener)
            if sys.platform != "win32":  # where it lets two servers listen on one port
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if sockets[0] is not listener:  # port 0: every address gets the first one's port
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            listener.bind(address)
            listener.listen(128)
            listener.setblocking(False)
    except OSError:
        for listener in sockets:
            listener.close()
        raise
    return sockets


def _say(line: str) -> None:
    print(line, flush=True)


def url(host: str, port: int) -> str:
    """The address the site is served at."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


async def serve(
    live: Live,
    host: str,
    port: int,
    stop: asyncio.Event | None = None,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Build, serve and rebuild on every change until `stop` is set or the task is cancelled."""
    project = live.config.parent
    theme = theme_of(live.config, live.theme)
    sockets, port = bind(host, port)
    # Watching starts before the first build, so that a change made during it is not missed.
    watcher = Watcher([live.config], [project / "site_src", *theme.folders], live.out, say=_say)
    live.rebuild()
    static = [(folder / "static").absolute() for folder in (project / "site_src", *theme.folders)]
    hook = _Hook(watcher, live.rebuild, static)
    local = is_loopback(host)
    reload = _reload_handler(live, hook, local)
    app = web.Application(
        [
            (r"/livereload", reload),
            (r"/livereload\.js", _Script, {"local": local}),
            (r"/.*", _Site, {"live": live, "local": local}),
        ],
        log_function=lambda handler: None,
        websocket_max_message_size=MAX_MESSAGE,
    )
    server = httpserver.HTTPServer(
        app,
        idle_connection_timeout=REQUEST_LIMIT,  # tornado's deadline for a request's headers
        body_timeout=BODY_LIMIT,
        max_body_size=MAX_BODY,
    )
    server.add_sockets(sockets)
    hook.start(reload.poll_tasks)
    print(f"Serving {live.out}/ on {url(host, port)} — Ctrl-C stops", flush=True)
    if ready is not None:
        ready(port)
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        hook.close()
        server.stop()
        for waiter in list(reload.waiters):
            waiter.close()
        await server.close_all_connections()
