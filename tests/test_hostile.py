"""Hostile text in every field is shown as text and never run; hostile links are refused."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

import browser
from kontaktcharta.cli import main
from kontaktcharta.decide import Policy
from kontaktcharta.markdown_page import as_html

HOSTILE = browser.ROOT / "tests" / "cases" / "valid" / "hostile.yaml"
PAYLOAD = (
    '<script>alert(1)</script> <img src=x onerror=alert(1)> "><svg onload=alert(1)> '
    "'><b onmouseover=alert(1)> &lt;script&gt;alert(1)&lt;/script&gt; "
    "&#60;script&#62;alert(1)&#60;/script&#62; javascript&colon;alert(1) "
    "</style></textarea></title><script>alert(1)</script> {{ 7*7 }} {% raw %} ${7+7} "
    "{name} {0} {} \u202egnp.exe\u202c \u2066x\u2069 zero\u200bwidth"
)
"""What hostile.yaml writes after a label into every text field."""
SHOWN = html.unescape(PAYLOAD)
"""The payload as Markdown reads it: entities decoded (`&lt;script&gt;` is the text `<script>`)."""
TEXT_KEYS = frozenset(["title", "name", "text", "question", "reason", "intro", "goal", "decline"])
"""The keys of charta.yaml that hold text a person reads (`decline` under `messages`)."""
PAGE = f"""---
title: {json.dumps("Seite " + PAYLOAD)}
---
## Abschnitt {PAYLOAD}

Absatz {PAYLOAD}

<script>alert(1)</script>

<div onclick="alert(1)"><iframe src="javascript:alert(1)"></iframe></div>

<img src=x onerror=alert(1)>

`<script>alert(1)</script>` und [Link](https://example.org/ "\\"><svg onload=alert(1)>")
und [noch einer](https://example.org/"><svg/onload=alert(1)>) und [fast](java%0ascript:alert(1))
und <https://example.org/?q=<script>> und <mailto:x@example.org>

```html
<script>alert(1)</script>
```
"""
"""An extra page (site_src/pages/hostile.md) with hostile text and raw HTML in its Markdown."""
THEMES = browser.THEMES


@dataclass
class Built:
    """The hostile charta built with one theme, served on 127.0.0.1."""

    out: Path
    """The output folder."""
    url: str
    """Its address."""
    hosts: str
    """The address of the documents that show the exports as other sites would."""
    policy: dict[str, Any]
    """The built charta.json."""


@pytest.fixture(scope="module", params=THEMES)
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    serve_site: Callable[[Path], str],
) -> Built:
    """The hostile charta and page built with a theme; its exports put into host pages."""
    project = tmp_path_factory.mktemp(f"hostile-{request.param}")
    shutil.copy(HOSTILE, project / "charta.yaml")
    (project / "site_src" / "pages").mkdir(parents=True)
    (project / "site_src" / "pages" / "hostile.md").write_text(PAGE, "utf-8")
    out = project / "output"
    argv = ["build", "--config", str(project / "charta.yaml"), "--out", str(out), "--quiet"]
    assert main([*argv, "--theme", request.param]) == 0
    hosts = project / "hosts"
    hosts.mkdir()
    for lang in ("", "en/"):
        name = lang.replace("/", "-")
        fragment = (out / lang / "embed.html").read_text("utf-8")
        (hosts / f"{name}embed.html").write_text(_document(fragment), "utf-8")
        blog = as_html((out / lang / "charta.md").read_text("utf-8"))
        (hosts / f"{name}charta-md.html").write_text(_document(blog), "utf-8")
    policy = json.loads((out / "charta.json").read_text("utf-8"))
    return Built(out, serve_site(out), serve_site(hosts), policy)


def _document(body: str) -> str:
    """A plain page of another site that shows `body`, as a blog shows an export."""
    return (
        '<!doctype html><html lang="de"><meta charset="utf-8"><title>Blog</title>'
        f'<link rel="icon" href="data:,">{body}</html>'
    )


# The charta itself


def _strings(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string in nested data with the key it stands under."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _strings(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value, key)
    elif isinstance(data, str):
        yield key, data


def test_the_hostile_charta_has_hostile_text_in_every_text_field() -> None:
    charta = yaml.safe_load(HOSTILE.read_text("utf-8"))
    texts = [(key, value) for key, value in _strings(charta) if key in TEXT_KEYS]
    assert len(texts) >= 40
    assert {key for key, _ in texts} == TEXT_KEYS
    assert [key for key, value in texts if PAYLOAD not in value] == []


# In Chromium


LOOK = """() => {
  const found = {scripts: document.querySelectorAll('script').length, handlers: [], links: []};
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.handlers.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)) {
        const url = new URL(attr.value, document.baseURI);
        found.links.push([el.tagName, attr.value, url.protocol]);
      }
    }
  }
  found.text = document.documentElement.textContent;
  return found;
}"""
SAFE_PROTOCOLS = ("http:", "https:", "mailto:")


def _visit(page: Page, url: str) -> dict[str, Any]:
    """Open `url`; what it asked for, said and showed, and what its DOM holds."""
    seen: dict[str, list[str]] = {"dialogs": [], "console": [], "requests": [], "errors": []}
    handlers: dict[str, Callable[[Any], None]] = {
        "dialog": lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()),
        "console": lambda message: seen["console"].append(
            f"{message.text} ({message.location['url']})"
        ),
        "request": lambda request: seen["requests"].append(request.url),
        "pageerror": lambda error: seen["errors"].append(str(error)),
    }
    for event, handler in handlers.items():
        page.on(event, handler)  # type: ignore[call-overload]
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(100)  # time for a timer or a failed load to run a handler
        found: dict[str, Any] = page.evaluate(LOOK)
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return {**seen, **found}


def test_no_page_and_no_export_runs_script_in_chromium(built: Built, page: Page) -> None:
    written = sorted(p.relative_to(built.out).as_posix() for p in built.out.rglob("*.html"))
    assert written == [
        "embed.html",
        "en/embed.html",
        "en/index.html",
        "hostile.html",
        "index.html",
    ]
    hosted = ["embed.html", "charta-md.html", "en-embed.html", "en-charta-md.html"]
    urls = [built.url + name for name in written] + [built.hosts + name for name in hosted]
    problems = []
    for url in urls:
        fragment = url.startswith(built.url) and url.endswith("embed.html")
        seen = _visit(page, url)
        if fragment:  # opened on its own, Chromium asks for a favicon the fragment cannot name
            seen["console"] = [m for m in seen["console"] if not m.endswith("/favicon.ico)")]
        unsafe = [
            link
            for link in seen["links"]
            if link[2] not in SAFE_PROTOCOLS and link[:2] != ["LINK", "data:,"]
        ]
        wrong = {
            "dialogs": seen["dialogs"],
            "console messages": seen["console"],
            "script errors": seen["errors"],
            "requests for other URLs": [r for r in seen["requests"] if r != url],
            "script elements": seen["scripts"],
            "event attributes": seen["handlers"],
            "links that are not http(s) or mailto": unsafe,
        }
        problems += [f"{url}: {what}: {value}" for what, value in wrong.items() if value]
        # A fragment names no charset (its host page does), so its text is checked in the host.
        if not fragment and SHOWN not in seen["text"] and PAYLOAD not in seen["text"]:
            problems.append(f"{url}: the hostile text is not shown as text")
    assert problems == [], "\n".join(problems)


# The exports as text


class _Markup(HTMLParser):
    """What a browser would run in some HTML: script elements and event attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.running: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.running.append(f"<{tag}>")
        self.running += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]
        for name, value in attrs:
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.running.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        self.text += data


def _read(markup: str) -> _Markup:
    """Parse some HTML for what would run."""
    parser = _Markup()
    parser.feed(markup)
    parser.close()
    return parser


def test_charta_md_as_a_blog_renders_it_holds_no_live_html(built: Built) -> None:
    for lang in ("", "en/"):
        markdown = (built.out / lang / "charta.md").read_text("utf-8")
        shown = _read(as_html(markdown))  # CommonMark with raw HTML on, as Hugo and Jekyll
        assert shown.running == [], lang
        assert PAYLOAD in shown.text or SHOWN in shown.text


def test_the_json_keeps_hostile_text_as_data(built: Built) -> None:
    labels = {
        value.removesuffix(f" {PAYLOAD}")
        for key, value in _strings(yaml.safe_load(HOSTILE.read_text("utf-8")))
        if key in TEXT_KEYS and value.endswith(PAYLOAD)
    }
    values = {value for _, value in _strings(built.policy)}
    for label in labels:  # a plain text as written; a Markdown text as its reader sees it
        assert {f"{label} {PAYLOAD}", f"{label} {SHOWN}"} & values, label
    fragments = [data for data in _objects(built.policy) if "html" in data]
    assert len(fragments) >= 20
    for data in fragments:
        shown = _read(data["html"])
        assert shown.running == [], data["html"]
        assert " ".join(shown.text.split()) == " ".join(data["text"].split())


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in nested data."""
    if isinstance(data, dict):
        yield data
        data = list(data.values())
    if isinstance(data, list):
        for value in data:
            yield from _objects(value)


def test_a_decline_message_keeps_hostile_text_as_written(built: Built) -> None:
    name = "<b>{reasons}</b> %s"
    message = Policy.from_json(built.policy).messages.render(["script"], name, "xing")
    template = f"Hallo {name}, {PAYLOAD.replace('{name}', name)}"  # {name} is a placeholder
    link = 'https://hostile.example/charta/"><svg/onload=alert(1)>#decline-script'
    assert message.startswith(f"{template} Grund script {PAYLOAD} {link} - Alternative 1 ")


# Links that would run script are refused, with their place

MINIMAL = browser.ROOT / "tests" / "cases" / "valid" / "minimal.yaml"
CRITERION = "text: wir sind uns begegnet"
NOT_ALLOWED = "is not allowed (expected http, https or mailto)"
REFUSED = {
    "javascript": ("[begegnet](javascript:alert(1))", "'javascript:alert(1)'"),
    "mixed case": ("[begegnet](JaVaScRiPt:alert(1))", "'JaVaScRiPt:alert(1)'"),
    "named entity": ("[begegnet](javascript&colon;alert(1))", "'javascript:alert(1)'"),
    "number entity": ("[begegnet](&#106;avascript:alert(1))", "'javascript:alert(1)'"),
    "autolink": ("<javascript:alert(1)>", "'javascript:alert(1)'"),
    "data": ("[x](data:text/html;base64,PHNjcmlwdD4=)", "'data:text/html;base64,PHNjcmlwdD4='"),
    "vbscript": ("[begegnet](vbscript:msgbox(1))", "'vbscript:msgbox(1)'"),
    "other host": ("[begegnet](//evil.example/)", "'//evil.example/'"),
}


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, charta: str) -> dict[str, bytes]:
    """A built minimal charta in `tmp_path` (the working folder), then `charta` saved over it."""
    monkeypatch.chdir(tmp_path)
    Path("charta.yaml").write_text(MINIMAL.read_text("utf-8"), "utf-8")
    assert main(["build", "--quiet"]) == 0
    Path("charta.yaml").write_text(charta, "utf-8")
    return _tree(tmp_path / "output")


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("case", REFUSED)
def test_a_link_that_could_run_script_is_refused_at_its_place(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    link, shown = REFUSED[case]
    charta = MINIMAL.read_text("utf-8").replace(CRITERION, f"{CRITERION} {link}")
    before = _project(tmp_path, monkeypatch, charta)
    capsys.readouterr()
    assert main(["build", "--quiet"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"charta.yaml:11:13: accept.criteria[0].text: link {shown} {NOT_ALLOWED}",
        f"          {CRITERION} {link}",
        "                ^",
    ]
    assert _tree(tmp_path / "output") == before


URLS = {
    "owner.url": "is not an absolute http(s) URL",
    "declined.alternatives[0].url": "is not an http(s) or mailto URL",
}


@pytest.mark.parametrize("key", URLS)
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "javascript://x.example/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_url_that_could_run_script_is_refused_at_its_place(
    key: str,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    owner, alternative = (
        (url, "https://x.example/") if key == "owner.url" else ("https://x.example/", url)
    )
    charta = MINIMAL.read_text("utf-8").replace(
        "  name: Erika Musterfrau\n", f"  name: Erika Musterfrau\n  url: {owner}\n"
    )
    charta += f"  alternatives:\n    - text: Klick\n      url: {alternative}\n"
    before = _project(tmp_path, monkeypatch, charta)
    capsys.readouterr()
    assert main(["build", "--quiet"]) == 1
    line = 6 if key == "owner.url" else 24
    source = charta.splitlines()[line - 1]
    assert capsys.readouterr().err.splitlines() == [
        f"charta.yaml:{line}:{source.index(url) + 1}: {key}: {url!r} {URLS[key]}",
        f"    {source}",
        " " * (4 + source.index(url)) + "^",
    ]
    assert _tree(tmp_path / "output") == before


def test_a_link_that_could_run_script_in_an_extra_page_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _project(tmp_path, monkeypatch, MINIMAL.read_text("utf-8"))
    page = Path("site_src", "pages", "links.md")
    page.parent.mkdir(parents=True)
    page.write_text(
        "# Links\n\nGut: [hier](https://x.example/)\n\nSchlecht: [da](javascript:alert(1))\n"
    )
    capsys.readouterr()
    assert main(["build", "--quiet"]) == 1
    assert capsys.readouterr().err == (
        f"site_src/pages/links.md:5:1: link 'javascript:alert(1)' {NOT_ALLOWED}\n"
        "    Schlecht: [da](javascript:alert(1))\n"
        "    ^\n"
    )
    assert _tree(tmp_path / "output") == before
