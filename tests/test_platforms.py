"""The built wheel's dependencies resolve to wheels on every platform the README's table claims,
with the CEL runtime it names (README, "Where it installs"). Needs the package registry.

pip evaluates environment markers for the machine it runs on, not for `--platform`; so the
wheel's own requirements are evaluated here for each platform (`packaging`, as pip does), and pip
resolves them with that platform's tags, wheels only."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _manylinux(arch: str, glibc: int) -> list[str]:
    """The tags pip accepts on a Linux with this glibc (2.`glibc`)."""
    return [f"manylinux_2_{minor}_{arch}" for minor in range(glibc, 16, -1)] + [
        f"manylinux2014_{arch}"
    ]


def _macos(arch: str, major: int) -> list[str]:
    versions = [f"{v}_0" for v in range(major, 10, -1)] + [f"10_{m}" for m in range(15, 8, -1)]
    return [f"macosx_{v}_{kind}" for v in versions for kind in (arch, "universal2")]


PLATFORMS = {
    # name: (marker environment, tags, the CEL runtime's distribution)
    "linux-x86_64": ({"sys_platform": "linux", "platform_machine": "x86_64"},
                     _manylinux("x86_64", 28), "cel_expr_python"),
    "linux-aarch64": ({"sys_platform": "linux", "platform_machine": "aarch64"},
                      _manylinux("aarch64", 28), "cel_expr_python"),
    "macos-arm64": ({"sys_platform": "darwin", "platform_machine": "arm64"},
                    _macos("arm64", 14), "cel_expr_python"),
    "macos-x86_64": ({"sys_platform": "darwin", "platform_machine": "x86_64"},
                     _macos("x86_64", 13), "cel_expr_python"),
    "windows-amd64": ({"sys_platform": "win32", "platform_machine": "AMD64"},
                      ["win_amd64"], "cel_expr_python"),
    "linux-x86_64-glibc2.17": ({"sys_platform": "linux", "platform_machine": "x86_64"},
                               _manylinux("x86_64", 17), None),
    "linux-armv7l": ({"sys_platform": "linux", "platform_machine": "armv7l"},
                     _manylinux("armv7l", 36), None),
}  # fmt: skip
"""The README's table; None where no install from wheels is claimed (it is checked to fail)."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built as `pip wheel` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True)
    return next(out.glob("kontaktcharta-*.whl"))


def _requirements(wheel: Path, environment: dict[str, str]) -> list[str]:
    """The wheel's requirements that hold on a platform (markers as pip evaluates them)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode()
    found = []
    for line in metadata.splitlines():
        if line.startswith("Requires-Dist:") and "extra ==" not in line:
            requirement = Requirement(line.split(":", 1)[1].strip())
            marker = requirement.marker
            if marker is None or marker.evaluate({**environment, "python_version": "3.11"}):
                found.append(f"{requirement.name}{requirement.specifier}")
    return found


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_wheel_resolves_where_the_readme_says(
    platform: str, wheel: Path, tmp_path: Path
) -> None:
    environment, tags, runtime = PLATFORMS[platform]
    requirements = _requirements(wheel, environment)
    command = [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:"]
    command += [f"--platform={tag}" for tag in tags]
    command += ["--python-version=3.11", "--implementation=cp", "-d", str(tmp_path)]
    done = subprocess.run(command + requirements, capture_output=True, text=True, check=False)
    if runtime is None:
        assert done.returncode != 0, f"{platform} resolves: say so in the README"
        assert "No matching distribution found" in done.stderr, done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert any(path.name.startswith(runtime) for path in tmp_path.iterdir())
