"""The page as visitors see it, in a real browser: accessible, valid, light, well laid out."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

import browser

pytestmark = pytest.mark.browser

CHARTAS = {
    "example": browser.ROOT / "charta.yaml",
    "full": browser.ROOT / "tests" / "cases" / "valid" / "full.yaml",
}
OG_LOCALES = {"example": "de_DE", "full": "en_GB"}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BUDGET = 14 * 1024  # what the first round trip of a TCP connection carries
SCHEMES = ["light", "dark"]


@dataclass(frozen=True)
class Site:
    """A charta built into a folder and served over HTTP."""

    policy: dict[str, Any]
    """The built `charta.json`."""
    out: Path
    """The output folder."""
    url: str
    """The address of the served folder, i.e. of its `index.html`."""

    @property
    def pages(self) -> list[str]:
        """Every HTML document the build wrote, relative to the folder, `index.html` first."""
        return [html for html in self._html() if is_document(self.out / html)]

    @property
    def fragments(self) -> list[str]:
        """Every HTML fragment the build wrote for other sites to embed, relative to the folder."""
        return [html for html in self._html() if not is_document(self.out / html)]

    def _html(self) -> list[str]:
        found = [p.relative_to(self.out).as_posix() for p in self.out.rglob("*.html")]
        return sorted(found, key=lambda page: (page != "index.html", page))

    def criteria(self) -> list[tuple[str, dict[str, Any]]]:
        """Every criterion of the policy with its section, in page order."""
        return [(s, c) for s in ("accept", "decline") for c in self.policy[s]["criteria"]]


THEMES = browser.THEMES


@pytest.fixture(scope="module", params=THEMES)
def sites(
    request: pytest.FixtureRequest,
    build_site: Callable[[Path, str], Path],
    serve_site: Callable[[Path], str],
) -> dict[str, Site]:
    """The example and the full charta, built once per built-in theme and served."""
    sites = {}
    for name, config in CHARTAS.items():
        out = build_site(config, request.param)
        sites[name] = Site(
            policy=json.loads((out / "charta.json").read_text(encoding="utf-8")),
            out=out,
            url=serve_site(out),
        )
    return sites


def is_document(html: Path) -> bool:
    """Whether the file is a whole HTML document rather than a fragment to embed."""
    return html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def host_page(fragment: str) -> str:
    """A plain, valid document that embeds a fragment, as another site would."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"</head><body><main>{fragment}</main></body></html>"
    )


def in_viewport(page: Page, selector: str) -> bool:
    """Whether the element is wholly inside the visible viewport (give or take a pixel)."""
    return bool(
        page.eval_on_selector(
            selector,
            """el => { const r = el.getBoundingClientRect();
                       return r.height > 0 && r.top > -1 && r.bottom < window.innerHeight + 1; }""",
        )
    )


# Accessible


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", CHARTAS)
def test_axe_finds_no_wcag_violations(
    sites: dict[str, Site], page: Page, name: str, scheme: str
) -> None:
    site = sites[name]
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    axe = Axe()
    reports = []
    for html in site.pages + site.fragments:
        if html in site.pages:
            page.goto(site.url + html)
        else:  # a new document first: set_content would keep the last one's color-scheme
            page.goto("about:blank")
            page.set_content(host_page((site.out / html).read_text(encoding="utf-8")))
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        if result.violations_count:
            reports.append(f"{html} ({scheme}): {result.generate_report()}")
    assert not reports, "\n".join(reports)


FOCUS = """() => {
    const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
    return {tag: el.tagName, html: el.outerHTML.slice(0, 120),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            shadow: s.boxShadow !== 'none', width: r.width, height: r.height};
}"""


def test_keyboard_focus_is_visible_on_every_link(sites: dict[str, Site], page: Page) -> None:
    page.goto(sites["example"].url)
    links = page.eval_on_selector_all("a[href]", "els => els.length")
    assert links > 0
    unseen = []
    for _ in range(links):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["tag"] == "A", f"Tab reached {focus['html']} before every link"
        if not (focus["outline"] or focus["shadow"]) or not (focus["width"] and focus["height"]):
            unseen.append(focus["html"])
    assert not unseen, f"no visible focus indicator on: {unseen}"


@pytest.mark.parametrize("name", CHARTAS)
def test_deep_link_scrolls_to_and_marks_the_criterion(
    sites: dict[str, Site], page: Page, name: str
) -> None:
    site = sites[name]
    *others, last = site.policy["decline"]["criteria"]
    target, plain = f"#decline-{last['id']}", f"#decline-{others[0]['id']}"
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(site.url)
    assert not in_viewport(page, target), "the criterion is visible without the link: no test"

    page.goto("about:blank")
    page.goto(site.url + target)
    assert page.eval_on_selector(target, "el => el.dataset.criterion") == last["id"]
    assert page.eval_on_selector(target, "el => el.matches(':target')")
    assert in_viewport(page, target), f"{target} is not scrolled into view"
    look = """el => { const s = getComputedStyle(el);
        return [s.backgroundColor, s.borderLeft, s.borderTop, s.outline, s.boxShadow]; }"""
    assert page.eval_on_selector(target, look) != page.eval_on_selector(plain, look), (
        f"{target} looks like every other criterion"
    )


# Light


@pytest.mark.parametrize("name", CHARTAS)
def test_page_loads_in_one_request(sites: dict[str, Site], page: Page, name: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(sites[name].url, wait_until="networkidle")
    assert requests == [sites[name].url]


@pytest.mark.parametrize("name", CHARTAS)
def test_page_runs_no_javascript_and_loads_no_fonts(
    sites: dict[str, Site], page: Page, name: str
) -> None:
    said: list[str] = []
    page.on("console", lambda message: said.append(f"console: {message.text}"))
    page.on("dialog", lambda dialog: said.append(f"dialog: {dialog.message}"))
    page.on("pageerror", lambda error: said.append(f"error: {error}"))
    page.goto(sites[name].url, wait_until="networkidle")
    assert page.evaluate("document.scripts.length") == 0
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(el =>
                 [...el.attributes].filter(a => a.name.toLowerCase().startsWith('on')
                                                || /^\\s*javascript:/i.test(a.value))
                                   .map(a => `<${el.localName} ${a.name}="${a.value}">`))"""
    )
    assert handlers == []
    assert page.evaluate("document.fonts.size") == 0, "the page declares web fonts"
    assert said == []


# Layout


@pytest.mark.parametrize("name", CHARTAS)
def test_no_horizontal_scrolling_at_360px(sites: dict[str, Site], page: Page, name: str) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    wide = []
    for html in sites[name].pages:
        page.goto(sites[name].url + html)
        scroll = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if scroll[0] > scroll[1]:
            wide.append(f"{html}: {scroll[0]} px of content in {scroll[1]} px")
    assert not wide


# Characters per line: the width of the element's content box divided by the average width of
# one character of the page's own text in the element's font, measured by laying that text out
# on a single line inside the element (so it inherits font, size and letter spacing).
CHARACTERS_PER_LINE = """el => {
    const s = getComputedStyle(el);
    const box = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const probe = document.createElement('span');
    probe.style.whiteSpace = 'nowrap';
    probe.textContent = document.querySelector('main').textContent.replace(/\\s+/g, ' ').trim();
    el.append(probe);
    const perCharacter = probe.getBoundingClientRect().width / probe.textContent.length;
    probe.remove();
    return box / perCharacter;
}"""


@pytest.mark.parametrize("name", CHARTAS)
def test_reading_width_at_1280px_is_comfortable(
    sites: dict[str, Site], page: Page, name: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sites[name].url)
    widths: dict[str, int] = {}
    for selector in ("main p", "main [data-criterion]"):
        measured = page.eval_on_selector_all(selector, f"els => els.map({CHARACTERS_PER_LINE})")
        widths |= {f"{selector} #{i}": round(chars) for i, chars in enumerate(measured, 1)}
    assert any(key.startswith("main [data-criterion]") for key in widths)
    bad = {where: chars for where, chars in widths.items() if not 45 <= chars <= 90}
    assert not bad, f"characters per line outside 45 to 90: {bad}"


def squeeze(text: str) -> str:
    """Text without what layout changes: whitespace, hyphens, ligatures, case."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if not c.isspace() and c not in "-\u00ad\u2010\u2011")


@pytest.mark.parametrize("name", CHARTAS)
def test_print_shows_every_criterion_and_no_navigation(
    sites: dict[str, Site], page: Page, name: str, tmp_path: Path
) -> None:
    site = sites[name]
    page.goto(site.url)
    chrome = page.eval_on_selector_all(
        "nav, a[href^='#']:not(main a)", "els => els.map(el => el.textContent)"
    )
    assert chrome, "the page has no navigation to leave out of print: nothing to test"
    pdf = tmp_path / "print.pdf"
    page.pdf(path=pdf, format="A4")
    printed = squeeze(browser.pdf_text(pdf))

    missing = [f"#{s}-{c['id']}" for s, c in site.criteria() if squeeze(c["text"]) not in printed]
    assert not missing, f"criteria missing from print: {missing}"
    shown = [text.strip() for text in chrome if squeeze(text) in printed]
    assert not shown, f"navigation printed: {shown}"


# Valid and light: checked on the built files


def test_nu_validator_finds_no_errors(sites: dict[str, Site], tmp_path: Path) -> None:
    files = [site.out / html for site in sites.values() for html in site.pages]
    assert any(p.name != "index.html" for p in files), "no extra page was built"
    for name, site in sites.items():
        for html in site.fragments:
            hosted = tmp_path / name / f"host-of-{html.replace('/', '-')}"
            hosted.parent.mkdir(exist_ok=True)
            hosted.write_text(host_page((site.out / html).read_text(encoding="utf-8")), "utf-8")
            files.append(hosted)
    messages = browser.nu_errors(files)
    report = "\n".join(
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}"
        f"\n    {m.get('extract', '')!r}"
        for m in messages
    )
    assert not messages, report


def test_example_page_is_under_the_budget(sites: dict[str, Site]) -> None:
    size = (sites["example"].out / "index.html").stat().st_size
    assert size < BUDGET, f"index.html is {size} bytes, over the budget of {BUDGET}"


# Link previews


class _Head(HTMLParser):
    """Collects `<title>`, `<meta>` and `<link rel>` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            for rel in a.get("rel", "").split():
                self.links[rel] = a.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def read_head(html: Path) -> _Head:
    """The head of a built page, as a link preview reads it."""
    head = _Head()
    head.feed(html.read_text(encoding="utf-8"))
    head.close()
    return head


@pytest.mark.parametrize("name", CHARTAS)
def test_link_preview_tags(sites: dict[str, Site], name: str) -> None:
    site = sites[name]
    head = read_head(site.out / "index.html")
    assert site.policy["title"] in head.title
    for key in ("description", "og:title", "og:description"):
        assert head.meta.get(key, "").strip(), f"{key} is missing or empty"
    assert site.policy["url"].startswith("https://"), "the charta needs a public `url`"
    assert head.links.get("canonical") == site.policy["url"]
    assert head.meta.get("og:url") == site.policy["url"]
    assert head.meta.get("og:locale") == OG_LOCALES[name]
    image = site.policy.get("image")  # the full charta's: a picture elsewhere, of no known size
    assert head.meta.get("og:image") == image
    assert head.meta.get("twitter:card") == ("summary_large_image" if image else None)
    assert "og:image:width" not in head.meta


def test_one_charta_here_has_a_picture_for_link_previews(sites: dict[str, Site]) -> None:
    assert [name for name, site in sites.items() if site.policy.get("image")] == ["full"]


def test_translated_pages_preview_in_their_language(sites: dict[str, Site]) -> None:
    translated = [
        (site, Path(page))
        for site in sites.values()
        for page in site.pages
        if page.endswith("/index.html")
    ]
    assert translated, "no charta here has a translation: nothing to test"
    for site, page in translated:
        head = read_head(site.out / page)
        url = site.policy["url"] + page.parent.as_posix() + "/"
        assert head.title.strip() and head.meta.get("og:title", "").strip(), page
        assert head.meta.get("description", "").strip(), page
        assert (head.links.get("canonical"), head.meta.get("og:url")) == (url, url), page
        primary = head.lang.split("-")[0].lower()
        assert head.meta.get("og:locale", "").startswith(f"{primary}_"), (page, head.lang)
