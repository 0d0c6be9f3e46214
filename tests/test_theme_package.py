"""The example theme package (examples/theme-package), installed with pip into a fresh virtual
environment and used by the `charta` of that environment, as a user would."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kontaktcharta

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "examples" / "theme-package"
SOURCE = Path(kontaktcharta.__file__).resolve().parents[1]
"""The folder that holds the kontaktcharta under test, put first on the environment's path."""
MARKERS = ('class="sepia-list"', "--bg:#f6efe2")
"""The sepia theme's template and its style sheet, as the page shows them."""


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a fresh environment with the example theme installed by pip."""
    venv = tmp_path_factory.mktemp("venv")
    # The system's packages are Kontaktcharta's dependencies (and hatchling, the build backend).
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        check=True,
    )
    python = venv / "bin" / "python"
    source = tmp_path_factory.mktemp("theme") / "theme-package"
    shutil.copytree(PACKAGE, source)  # a build must leave nothing in the repository
    # Offline where hatchling is installed (the test group has it), else pip fetches it.
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    pip = [sys.executable, "-m", "pip", "--python", python]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", *isolation, source],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return python


def charta(python: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`charta ARGS…` of the environment, in the project's folder."""
    return subprocess.run(
        [python, "-m", "kontaktcharta", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SOURCE)},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example charta with `theme: sepia`."""
    text = (ROOT / "charta.yaml").read_text("utf-8")
    (tmp_path / "charta.yaml").write_text(
        text.replace("\nupdated:", "\ntheme: sepia\nupdated:", 1), "utf-8"
    )
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    return tmp_path


def test_an_installed_theme_named_in_the_charta_builds_the_page(
    python: Path, project: Path
) -> None:
    built = charta(python, project, "build", "--quiet")
    assert (built.returncode, built.stderr) == (0, "")
    page = (project / "output" / "index.html").read_text("utf-8")
    for marker in MARKERS:
        assert marker in page, marker
    assert "<h1>Meine Kontaktcharta</h1>" in page, "the rest is the default theme's"
    checked = charta(python, project, "verify", "output")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_installed_theme_is_listed_and_the_option_overrides_it(
    python: Path, project: Path
) -> None:
    built = charta(python, project, "build", "--quiet", "--theme", "default")
    assert built.returncode == 0, built.stderr
    page = (project / "output" / "index.html").read_text("utf-8")
    assert not any(marker in page for marker in MARKERS)
    unknown = charta(python, project, "build", "--theme", "sepi")
    assert (unknown.returncode, unknown.stdout) == (1, "")
    assert unknown.stderr.startswith("--theme: unknown theme 'sepi'; available themes: ")
    assert "sepia" in unknown.stderr.partition("available themes: ")[2].rstrip().split(", ")
