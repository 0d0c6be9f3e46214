"""`charta verify --browser`: each charta page as a visitor sees it in Chromium.

The folder is served on 127.0.0.1 with a Content-Security-Policy that lets no script run (a
published site's own answers get that policy put on them); a script that tries is reported by
Chromium on the console, and every request is recorded (one to another host is stopped and
reported). Each page is opened 360 and 1280 px wide, light and
dark, and printed; every criterion is scrolled into view and must be there: of real size, not
covered (the element at its centre is it or inside it), its text at a contrast of 4.5:1 at least.
Playwright is optional: without it (or without Chromium) the check cannot run.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from .colours import CONTRAST
from .outputs import language_paths

CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
"""Where Chromium is looked for: Debian's first, then on PATH."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_SCRIPT = "script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'"
"""The Content-Security-Policy every page is served with: nothing of it runs."""
VIEWS: tuple[tuple[str, int, Literal["light", "dark"], Literal["screen", "print"]], ...] = (
    ("360 px, light", 360, "light", "screen"),
    ("360 px, dark", 360, "dark", "screen"),
    ("1280 px, light", 1280, "light", "screen"),
    ("1280 px, dark", 1280, "dark", "screen"),
    ("printed", 800, "light", "print"),
)
"""Each way a page is looked at: its name in messages, width, colour scheme, media."""

_LOOK = """(contrast) => {
  const rgba = (value) => {
    const m = value.match(/rgba?\\(([^)]*)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const dark = matchMedia("(prefers-color-scheme: dark)").matches &&
    getComputedStyle(document.documentElement).colorScheme.includes("dark");
  const canvas = dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((below, c) => over(c, below), canvas);
  };
  const ratio = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const found = [];
  for (const criterion of document.querySelectorAll("[data-criterion]")) {
    const name = `criterion '${criterion.dataset.criterion}' (` +
      `${criterion.closest("[data-section]")?.dataset.section ?? "?"})`;
    const text = criterion.querySelector("[data-criterion-text]") || criterion;
    text.scrollIntoView({block: "center", inline: "center"});
    const box = [...text.getClientRects()].find((r) => r.width >= 1 && r.height >= 1);
    const style = getComputedStyle(text);
    if (!box || parseFloat(style.fontSize) < 4 || style.visibility !== "visible") {
      found.push(`${name} has no visible box`);
      continue;
    }
    const x = box.left + Math.min(box.width / 2, 8), y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
      found.push(`${name} is out of view (at ${Math.round(box.left)}, ${Math.round(box.top)})`);
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(text === hit || text.contains(hit))) {
      const tag = hit ? hit.tagName.toLowerCase() : "nothing";
      found.push(`${name} is covered by <${tag}${hit && hit.id ? ` id="${hit.id}"` : ""}>`);
      continue;
    }
    let opacity = 1;
    for (let e = text; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    for (const e of [text, ...text.querySelectorAll("*")]) {
      if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const color = rgba(getComputedStyle(e).color);
      const back = background(e);
      const shown = over([color[0], color[1], color[2], color[3] * opacity], back);
      const r = ratio(shown, back);
      if (r < contrast) {
        found.push(`${name} has a contrast of ${r.toFixed(2)}:1 (at least ${contrast}:1)`);
        break;
      }
    }
  }
  return found;
}"""


class NoBrowser(Exception):
    """Playwright or Chromium is not installed: the check cannot run."""


def find_chromium() -> str | None:
    """Chromium's executable, where it is installed."""
    for name in CHROMIUM:
        path = shutil.which(name) if "/" not in name else (name if Path(name).is_file() else None)
        if path:
            return path
    return None


def look(folder: Path, policy: Mapping[str, Any]) -> list[str]:
    """Every problem a visitor meets on the charta pages of a folder, in Chromium."""
    chromium = _chromium()
    pages = [path for _, path in language_paths(policy, "index.html")]
    with served(folder) as base:
        return _look(chromium, base, [(name, base + name) for name in pages], answer=None)


def look_published(pages: Sequence[tuple[str, str]]) -> list[str]:
    """Every problem a visitor meets on the pages of a published charta (each page's name and
    address), in Chromium. Chromium asks the site itself; each answer from the site gets the
    Content-Security-Policy `NO_SCRIPT` in place of its own before Chromium reads it."""
    chromium = _chromium()
    site = urlsplit(pages[0][1])
    return _look(chromium, f"{site.scheme}://{site.netloc}/", pages, answer=_with_no_script)


def _chromium() -> str:
    """Chromium's executable; NoBrowser where Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise NoBrowser(
            "--browser needs Playwright (pip install playwright); it installs no browser"
        ) from None
    chromium = find_chromium()
    if chromium is None:
        raise NoBrowser(f"--browser needs Chromium (looked for {', '.join(CHROMIUM)})")
    return chromium


def _look(
    chromium: str,
    site: str,
    pages: Sequence[tuple[str, str]],
    answer: Callable[[Any], str | None] | None,
) -> list[str]:
    """Each page (its name and address) in each view. A request to `site` is answered by
    `answer` (by the site itself where None); one anywhere else is stopped and reported."""
    from playwright.sync_api import sync_playwright

    found: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for name, url in pages:
                for view, width, scheme, media in VIEWS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 800},
                        color_scheme=scheme,
                        service_workers="block",
                    )
                    try:
                        found += _look_at(context, site, answer, name, url, view, media)
                    finally:
                        context.close()
        finally:
            browser.close()
    return list(dict.fromkeys(found))


def _look_at(
    context: Any,
    site: str,
    answer: Callable[[Any], str | None] | None,
    name: str,
    url: str,
    view: str,
    media: str,
) -> list[str]:
    """One page in one view."""
    found: list[str] = []

    def request(route: Any) -> None:
        asked = route.request.url
        if not _on(asked, site):
            found.append(f"{name}: fetches {asked[:120]} from another host")
            route.abort()
        elif answer is None:
            route.continue_()
        else:
            failed = answer(route)
            if failed is not None:
                found.append(f"{name}: {failed}")

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            found.append(f"{name}: tries to run script ({message.text[:160]})")

    context.route("**/*", request)
    page = context.new_page()
    page.on("console", console)
    page.on("pageerror", lambda error: found.append(f"{name}: a script ran ({error})"))
    page.emulate_media(media=media)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(50)  # a refresh or a late request shows itself
    if page.url != url:
        found.append(f"{name}: sends its visitors to {page.url[:120]}")
    else:
        found += [f"{name} at {view}: {problem}" for problem in page.evaluate(_LOOK, CONTRAST)]
    return found


def _on(url: str, site: str) -> bool:
    """Whether an address is on a site (`http://host:port/`): the same scheme, host and port."""
    a, b = urlsplit(url), urlsplit(site)
    ports = {"http": 80, "https": 443}
    return (a.scheme, a.hostname) == (b.scheme, b.hostname) and (a.port or ports.get(a.scheme)) == (
        b.port or ports.get(b.scheme)
    )


_LEFT_OUT = frozenset(
    {"content-security-policy", "content-security-policy-report-only"}
    | {"content-encoding", "content-length"}
)
"""The headers of a site's answer not passed on: its own script policy, and how its body was
sent (Playwright hands it over decoded)."""


def _with_no_script(route: Any) -> None:
    """Answer a request with the site's own answer under the policy that no script runs."""
    from playwright.sync_api import Error

    try:
        response = route.fetch()
    except Error as error:
        route.abort()
        raise NoBrowser(
            f"{route.request.url[:120]}: cannot be read in Chromium ({error})"
        ) from None
    headers = {k: v for k, v in response.headers.items() if k.lower() not in _LEFT_OUT}
    route.fulfill(response=response, headers={**headers, "content-security-policy": NO_SCRIPT})
    return None


@contextlib.contextmanager
def served(
    folder: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] | None = None
) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port (by default with `NO_SCRIPT`); its base URL,
    then stop."""
    handler = functools.partial(handler_class or _Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder's files, each with the policy that no script runs, without a log."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", NO_SCRIPT)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass
