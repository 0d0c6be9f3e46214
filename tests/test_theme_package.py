"""The example theme package (examples/theme-package), installed with pip into a fresh virtual
environment beside the kontaktcharta under test, installed from a wheel as a user has it, and used
by the `charta` of that environment, as a user would."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "examples" / "theme-package"
MARKERS = ('class="sepia-list"', "--bg:#f6efe2")
"""The sepia theme's template and its style sheet, as the page shows them."""


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a fresh environment with this kontaktcharta and the example theme
    installed by pip, the theme's requirement of kontaktcharta resolved against it."""
    venv = tmp_path_factory.mktemp("venv")
    # The system's packages are Kontaktcharta's dependencies (and hatchling, the build backend).
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        check=True,
    )
    python = venv / "bin" / "python"
    copies = tmp_path_factory.mktemp("sources")  # a build must leave nothing in the repository
    checkout = copies / "kontaktcharta"
    for name in ("src", "themes"):
        shutil.copytree(ROOT / name, checkout / name)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, checkout / name)
    theme = copies / "theme-package"
    shutil.copytree(PACKAGE, theme)
    # Offline where hatchling is installed (the test group has it), else pip fetches it.
    offline = (
        ["--no-build-isolation", "--no-index"] if importlib.util.find_spec("hatchling") else []
    )
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", *offline]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    # Its dependencies are the system's; then the theme's, kontaktcharta>=…, must be met by it.
    subprocess.run([*pip, "--no-deps", checkout], check=True, env=env)
    subprocess.run([*pip, theme], check=True, env=env)
    return python


def charta(python: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`charta ARGS…` of the environment, in the project's folder."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [python, "-m", "kontaktcharta", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
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


def test_the_environment_runs_the_installed_wheel_with_its_built_in_themes(python: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    found = subprocess.run(
        [python, "-c", "import kontaktcharta.themes as t; print(t.__file__); print(t.BUILT_IN)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    package = Path(found[0]).parent
    assert package.is_relative_to(python.parents[1]), "not the environment's own kontaktcharta"
    assert Path(found[1]) == package / "themes"
    assert sorted(p.name for p in (package / "themes").iterdir()) == ["cards", "default"]
