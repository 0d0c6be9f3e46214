"""Helpers for the browser tests: build a charta, serve the output, drive Chromium, check HTML."""

from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from kontaktcharta import in_browser
from kontaktcharta.themes import is_theme, roots

ROOT = Path(__file__).resolve().parents[1]
THEMES = sorted(
    {
        folder.name
        for root in roots(ROOT)
        if root.is_dir()
        for folder in root.iterdir()
        if is_theme(folder)
    }
)
"""Every theme of the repository and every built-in one (not those installed on the machine):
each browser test runs with each."""
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = in_browser.CHROMIUM_ARGS
"""The arguments `charta verify --browser` starts Chromium with: the tests start it the same way."""
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def build(config: Path, out: Path, theme: str = "default") -> int:
    """Build `config` into `out` in-process, as `charta build` does; return the exit code."""
    from kontaktcharta.cli import main

    argv = ["build", "--config", str(config), "--out", str(out), "--theme", theme, "--quiet"]
    code: int = main(argv)
    return code


def launch_chromium(playwright: Playwright) -> Browser:
    """Start Debian's headless Chromium; fail (never skip) where it is missing."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium"
            " (`apt-get install chromium`, as .ci/run does); never `playwright install`."
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class Chromium:
    """One Chromium, started on first use and kept until `stop`.

    While Playwright's sync API is started, its asyncio loop counts as running on this thread,
    so `asyncio.run()` fails: stop the browser before any test that does not use it.
    """

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def get(self) -> Browser:
        """The running browser; start it if it is not running."""
        if self._browser is None:
            self._playwright = sync_playwright().start()
            try:
                self._browser = launch_chromium(self._playwright)
            except BaseException:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        """Close the browser and Playwright, if they run."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> contextlib.AbstractContextManager[str]:
    """Serve `folder` over HTTP on 127.0.0.1 at a free port; yield the base URL, then stop."""
    return in_browser.served(folder, _QuietHandler)


def nu_errors(files: Sequence[Path]) -> list[dict[str, Any]]:
    """Check `files` with the W3C Nu validator in one run; return its error messages."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.fail(
            f"the Nu validator needs `java` and {VNU_JAR.relative_to(ROOT)}"
            " (`npm ci` and default-jre-headless, as .ci/run installs)"
        )
    argv = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    try:
        report = json.loads(done.stderr or done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the Nu validator gave no JSON (exit {done.returncode}):\n{done.stderr}")
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def pdf_text(pdf: Path) -> str:
    """The text a reader sees in `pdf`, as poppler's pdftotext extracts it."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: install poppler-utils (as .ci/run does)")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout
