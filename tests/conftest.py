"""Shared fixtures: built chartas, a local web server and Chromium."""

from __future__ import annotations

import contextlib
import importlib.metadata
import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

import browser
from kontaktcharta import cel, installed
from kontaktcharta.cel import runtime

_CHROMIUM = browser.Chromium()
RUNTIMES = tuple(cel.RUNTIMES)
"""The CEL runtimes that a test using the fixture `cel_runtime` runs on, each in turn."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses `cel_runtime` runs once on each CEL runtime."""
    if "cel_runtime" in metafunc.fixturenames:
        metafunc.parametrize("cel_runtime", RUNTIMES, indirect=True)


@pytest.fixture
def cel_runtime(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CEL runtime (cpp or rust) that compiles and evaluates the rules in this test."""
    name: str = request.param
    monkeypatch.setattr(runtime, "RUNTIME", runtime.choose(name))
    return name


@pytest.fixture(autouse=True)
def installed_themes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders a test installs themes into (test_themes.install); no theme installed on
    the machine is found in a test, so that none changes what a test sees."""
    folders: list[Path] = []
    found = installed.installed_themes
    assert importlib.metadata.entry_points  # imported already: none is imported with sys.path cut

    def only_those() -> dict[str, list[installed.Installed]]:
        with monkeypatch.context() as scan:
            scan.setattr(sys, "path", [str(folder) for folder in folders])
            return found()

    monkeypatch.setattr(installed, "installed_themes", only_those)
    return folders


@pytest.fixture(scope="session")
def build_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], Path]:
    """Build a charta with a theme into a fresh folder and return it; fail unless it exits 0."""

    def build_site(config: Path, theme: str = "default") -> Path:
        out = tmp_path_factory.mktemp(f"site-{config.stem}-{theme}")
        code = browser.build(config, out, theme)
        assert code == 0, f"building {config} exited {code}"
        return out

    return build_site


@pytest.fixture(scope="session")
def serve_site() -> Iterator[Callable[[Path], str]]:
    """Serve an output folder on 127.0.0.1 until the session ends; return its base URL."""
    with contextlib.ExitStack() as servers:
        yield lambda folder: servers.enter_context(browser.serve(folder))


@pytest.fixture
def chromium() -> Browser:
    """Headless Debian Chromium, kept running from one browser test to the next."""
    return _CHROMIUM.get()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh tab of its own (light scheme, 1280 by 800 px) that is closed after the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    yield context.new_page()
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """Stop Chromium after its last test in a row, so that the next test may use asyncio."""
    try:
        return (yield)
    finally:
        if nextitem is None or "chromium" not in getattr(nextitem, "fixturenames", ()):
            _CHROMIUM.stop()
