"""The built wheel's dependencies resolve to wheels where the README's table says, with the CEL
runtime it names, and where it says they do not, exactly the packages it names do not (README,
"Where it installs"). Needs the package registry.

pip evaluates environment markers for the machine it runs on, not for `--platform`; so the
wheel's own requirements are evaluated here for each platform (`packaging`, as pip does), and pip
resolves them with that platform's tags, wheels only."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _manylinux(arch: str, glibc: int) -> list[str]:
    """The tags pip accepts on a Linux with this glibc (2.`glibc`)."""
    return [f"manylinux_2_{minor}_{arch}" for minor in range(glibc, 16, -1)] + [
        f"manylinux2014_{arch}"
    ]


def _musllinux(arch: str) -> list[str]:
    """The tags pip accepts on a Linux with musl 1.2."""
    return [f"musllinux_1_{minor}_{arch}" for minor in (2, 1, 0)]


def _macos(arch: str, major: int, minor: int = 0) -> list[str]:
    """The tags pip accepts on this macOS (`major`.`minor`)."""
    versions = [f"{v}_0" for v in range(major, 10, -1)]
    versions += [f"10_{m}" for m in range(15 if major > 10 else minor, 8, -1)]
    return [f"macosx_{v}_{kind}" for v in versions for kind in (arch, "universal2")]


@dataclass(frozen=True)
class Check:
    """One platform as pip sees it, and what resolves there."""

    machine: dict[str, str]
    """The markers' `sys_platform` and `platform_machine` there."""
    tags: list[str]
    """The wheel tags pip accepts there."""
    runtime: str | None = None
    """The CEL runtime's distribution that resolves there; None for none."""
    failing: frozenset[str] = frozenset()
    """The wheel's requirements that do not resolve from wheels there (each alone, with its own
    dependencies); all the others resolve together."""
    also: frozenset[str] = frozenset()
    """Other distributions that do not resolve there either, named by the README's row."""


LINUX_X86, LINUX_ARM = (
    {"sys_platform": "linux", "platform_machine": machine} for machine in ("x86_64", "aarch64")
)
CPP, RUST = "cel-expr-python", "common-expression-language"
SOURCE_BUILT = frozenset(["pyyaml", "livereload", "selectolax"])
"""What has no 32-bit ARM wheel: PyYAML, selectolax, and tornado, which livereload needs."""
PLATFORMS = {
    # the README's row (its first cell): each platform it stands for
    "Linux x86_64, glibc 2.27 or later (Ubuntu 18.04+, Debian 10+, Docker `python:3.x-slim`)": [
        Check(LINUX_X86, _manylinux("x86_64", 27), CPP),
    ],
    "Linux aarch64, glibc 2.26 or later (Raspberry Pi OS 64-bit, Amazon Linux 2 on Graviton, "
    "Docker on Apple Silicon)": [
        Check(LINUX_ARM, _manylinux("aarch64", 26), CPP),
    ],
    "macOS 11+ arm64, macOS 10.15+ x86_64": [
        Check({"sys_platform": "darwin", "platform_machine": "arm64"}, _macos("arm64", 11), CPP),
        Check(
            {"sys_platform": "darwin", "platform_machine": "x86_64"}, _macos("x86_64", 10, 15), CPP
        ),
    ],
    "Windows x86_64, with a 64-bit Python": [
        Check({"sys_platform": "win32", "platform_machine": "AMD64"}, ["win_amd64"], CPP),
    ],
    "Linux x86_64 with a glibc older than 2.27 (CentOS 7, Amazon Linux 2 on x86_64), aarch64 "
    "older than 2.26": [
        Check(LINUX_X86, _manylinux("x86_64", 26), failing=frozenset([CPP])),
        Check(LINUX_ARM, _manylinux("aarch64", 25), failing=frozenset([CPP])),
    ],
    "Linux on 32-bit ARM with a 32-bit kernel (`uname -m` says armv7l)": [
        Check(
            {"sys_platform": "linux", "platform_machine": "armv7l"},
            _manylinux("armv7l", 36),
            RUST,
            SOURCE_BUILT,
            frozenset(["tornado"]),
        ),
    ],
    "32-bit Raspberry Pi OS on a 64-bit kernel (the default on a Pi 4, 400 or 5: `uname -m` says "
    "aarch64, `getconf LONG_BIT` says 32)": [
        Check(LINUX_ARM, _manylinux("armv7l", 36), failing=SOURCE_BUILT | {CPP}),
        # under `linux32`, the kernel says armv8l, and pip takes armv8l and armv7l wheels
        Check(
            {"sys_platform": "linux", "platform_machine": "armv8l"},
            _manylinux("armv8l", 36) + _manylinux("armv7l", 36),
            RUST,
            SOURCE_BUILT,
            frozenset(["tornado"]),
        ),
    ],
    "Linux with musl (Alpine, Docker `python:3.x-alpine`)": [
        Check(LINUX_X86, _musllinux("x86_64"), failing=frozenset([CPP]), also=frozenset([RUST])),
        Check(LINUX_ARM, _musllinux("aarch64"), failing=frozenset([CPP]), also=frozenset([RUST])),
    ],
    "Windows on ARM64": [
        Check(
            {"sys_platform": "win32", "platform_machine": "ARM64"},
            ["win_arm64"],
            failing=frozenset([RUST, "pyyaml"]),
            also=frozenset([CPP]),
        ),
    ],
    "Windows with a 32-bit Python": [  # platform_machine is the 64-bit Windows's
        Check(
            {"sys_platform": "win32", "platform_machine": "AMD64"},
            ["win32"],
            failing=frozenset([CPP]),
        ),
    ],
}
"""The README's table: every platform each row stands for, and what resolves there."""
CHECKS = [(row, number) for row, checks in PLATFORMS.items() for number in range(len(checks))]


def _table() -> dict[str, tuple[str, str]]:
    """The README's table of where it installs: each row's first cell, with the other two."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Where it installs\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]  # no heads
    cells = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]
    return {first: (installs, runtime) for first, installs, runtime in cells}


NAMES = re.compile(r"PyYAML|selectolax|tornado|cel-expr-python|common-expression-language")
"""The packages a row of the README may name as not resolving there."""


def test_every_row_of_the_readme_is_resolved_here() -> None:
    table = _table()
    assert list(table) == list(PLATFORMS)
    for row, (installs, runtime) in table.items():
        checks = PLATFORMS[row]
        assert (installs == "yes") == all(not check.failing for check in checks), row
        runtimes = {check.runtime for check in checks} - {None}
        assert (runtime == "–") == (not runtimes), row
        assert all(runtime.startswith(name) for name in runtimes), row
        named = {canonicalize_name(name) for name in NAMES.findall(installs)}
        assert named <= {name for check in checks for name in check.failing | check.also}, row


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built as `pip wheel` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True)
    return next(out.glob("kontaktcharta-*.whl"))


def _requirements(wheel: Path, environment: dict[str, str]) -> dict[str, str]:
    """The wheel's requirements that hold on a platform (markers as pip evaluates them), by
    their canonical names."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode()
    found = {}
    for line in metadata.splitlines():
        if line.startswith("Requires-Dist:") and "extra ==" not in line:
            requirement = Requirement(line.split(":", 1)[1].strip())
            marker = requirement.marker
            if marker is None or marker.evaluate({**environment, "python_version": "3.11"}):
                found[canonicalize_name(requirement.name)] = str(requirement.specifier)
    return found


def _download(
    tags: list[str], requirements: list[str], folder: Path
) -> subprocess.CompletedProcess[str]:
    """pip resolving these requirements from wheels for these tags, into `folder`."""
    command = [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:"]
    command += [f"--platform={tag}" for tag in tags]
    command += ["--python-version=3.11", "--implementation=cp", "-d", str(folder)]
    return subprocess.run(command + requirements, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("row", "number"), CHECKS, ids=[f"{r[:30]}-{n}" for r, n in CHECKS])
def test_the_wheel_resolves_where_the_readme_says(
    row: str, number: int, wheel: Path, tmp_path: Path
) -> None:
    check = PLATFORMS[row][number]
    requirements = _requirements(wheel, check.machine)
    assert check.failing <= set(requirements), "each failing one is a requirement there"
    rest = [f"{name}{spec}" for name, spec in requirements.items() if name not in check.failing]
    done = _download(check.tags, rest, tmp_path / "rest")
    assert done.returncode == 0, done.stderr
    got = {canonicalize_name(path.name.split("-")[0]) for path in (tmp_path / "rest").iterdir()}
    if check.runtime is not None:
        assert check.runtime in got
    for name in sorted(check.failing | check.also):
        alone = name + requirements.get(name, "")
        done = _download(check.tags, [alone], tmp_path / name)
        assert done.returncode != 0, f"{name} resolves for {row}: say so in the README"
        assert "No matching distribution found" in done.stderr or (
            "ResolutionImpossible" in done.stderr
        ), done.stderr
