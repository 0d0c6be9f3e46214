"""Faults: a build killed anywhere, a folder it may not write, a full disk, a missing theme."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from kontaktcharta import write
from kontaktcharta.build import render_site
from kontaktcharta.cli import main
from kontaktcharta.themes import available
from kontaktcharta.write import MARKER, MARKER_TEXT

ROOT = Path(__file__).resolve().parents[1]
CRITERION = "keiner der Gründe oben zutrifft"
"""A criterion's text in the example charta; the new build says it differently."""
KILLER = """
import os, pathlib, signal, sys
from kontaktcharta import write
from kontaktcharta import write
from kontaktcharta.build import render_site
from kontaktcharta.cli import main

STEPS = [(os, "mkdir"), (os, "rename"), (os, "chmod"), (os, "unlink"), (os, "rmdir"),
         (pathlib.Path, "write_bytes"), (write, "_exchange")]
render_site(pathlib.Path("charta.yaml"))  # imports and caches warm before the forks


def counted(function, count):
    def call(*args, **kwargs):
        count()
        return function(*args, **kwargs)
    return call


way, argv = sys.argv[1], sys.argv[2:]
for line in sys.stdin:  # one build per step number, each in a fork of this process
    pid = os.fork()
    if pid == 0:
        kill_at, calls = int(line), []

        def count():
            calls.append(1)
            if len(calls) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        if way == "two-renames":  # as on a system without renameat2's RENAME_EXCHANGE
            write._exchange = lambda a, b: False
        for owner, name in STEPS:
            setattr(owner, name, counted(getattr(owner, name), count))
        code = main(argv)
        sys.stderr.flush()
        os._exit(code)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""
"""Runs `charta` once per step number read, in a fork with every file-system step counted and
a SIGKILL at that step; prints each exit code (-9: killed)."""
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
MOST_STEPS = 200
"""More steps than a build of the example takes: the kill loop ends long before."""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example site, built into output/, as the working folder."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "charta.yaml", tmp_path / "charta.yaml")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    assert main(["build", "--quiet"]) == 0
    return tmp_path


def change_charta(project: Path) -> dict[str, bytes]:
    """Change a criterion's text; return what the new build will write: its files and the marker."""
    config = project / "charta.yaml"
    config.write_text(config.read_text("utf-8").replace(CRITERION, "kein Grund passt"), "utf-8")
    return {**render_site(config, label="charta.yaml").files, MARKER: MARKER_TEXT}


def leftovers(project: Path) -> list[str]:
    """The unfinished or moved-away builds beside output/."""
    return sorted(p.name for p in project.glob(".output-*"))


# A build killed at any step


def killed_builds(project: Path, way: str) -> Iterator[tuple[int, int]]:
    """Build with a kill at step 1, 2, … until a build runs to its end; yield (step, exit code)."""
    killer = project.parent / "killer.py"
    killer.write_text(KILLER, "utf-8")
    process = subprocess.Popen(
        [sys.executable, str(killer), way, "build", "--quiet"],
        cwd=project,
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for step in range(1, MOST_STEPS):
            process.stdin.write(f"{step}\n")
            process.stdin.flush()
            code = int(process.stdout.readline())
            yield step, code
            if code != -9:
                return
        pytest.fail(f"the build was still killed at step {MOST_STEPS}")
    finally:
        process.stdin.close()
        process.wait(timeout=30)
        process.stdout.close()


@pytest.mark.parametrize("way", ["exchange", "two-renames"])
def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_site_and_recovers(
    project: Path, way: str
) -> None:
    old = tree(project / "output")
    new = change_charta(project)
    assert old != new
    seen = {"old": 0, "new": 0, "moved away": 0}
    for step, code in killed_builds(project, way):
        out = project / "output"
        assert code in (0, -9), f"the build with a kill at step {step} exited {code}"
        if code == 0:
            assert tree(out) == new, f"the build that ran to its end (step {step})"
            break
        if not out.exists() and way == "two-renames":
            # Between the two renames the old site waits whole beside; the next build restores it.
            moved = [project / name for name in leftovers(project) if "-old-" in name]
            assert len(moved) == 1 and tree(moved[0]) == old, f"killed at step {step}"
            seen["moved away"] += 1
        else:
            assert tree(out) in (old, new), f"killed at step {step}: output/ is neither site"
            seen["old" if tree(out) == old else "new"] += 1
        assert main(["build", "--quiet"]) == 0, f"the build after the kill at step {step}"
        assert tree(out) == new
        assert leftovers(project) == [], f"the build after the kill at step {step}"
        assert not (project / ".output.lock").exists(), f"the build after the kill at step {step}"
        _restore(project, old)
    assert seen["old"] >= 10 and seen["new"] >= 1, seen
    assert seen["moved away"] == (1 if way == "two-renames" else 0), seen


def _restore(project: Path, old: dict[str, bytes]) -> None:
    """Put the old site back into output/, for the next kill."""
    out = project / "output"
    shutil.rmtree(out, ignore_errors=True)
    for name, data in old.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)


# A system that cannot swap two folders in one step


def _renameat2_failing(code: int) -> Callable[..., int]:
    """renameat2 as a kernel or a file system without RENAME_EXCHANGE answers it."""

    def renameat2(*args: object) -> int:
        ctypes.set_errno(code)
        return -1

    return renameat2


def _no_library(error: Exception) -> Callable[..., object]:
    def cdll(*args: object, **kwargs: object) -> object:
        raise error

    return cdll


SWAPLESS = {
    # ctypes' CDLL(None) on Windows: `'/' in name` with name None.
    "Windows": _no_library(TypeError("argument of type 'NoneType' is not iterable")),
    "no C library to open": _no_library(OSError("dlopen failed")),
    "a C library without renameat2 (macOS, an old glibc)": lambda *a, **k: SimpleNamespace(),
    "a kernel without renameat2 (ENOSYS)": lambda *a, **k: SimpleNamespace(
        renameat2=_renameat2_failing(errno.ENOSYS)
    ),
    "a file system without RENAME_EXCHANGE (EINVAL)": lambda *a, **k: SimpleNamespace(
        renameat2=_renameat2_failing(errno.EINVAL)
    ),
}
"""How each system without the one-step swap answers, as ctypes.CDLL."""


@pytest.mark.parametrize("system", ["Linux", *SWAPLESS])
def test_where_the_folders_cannot_be_swapped_in_one_step_the_build_renames_them(
    project: Path, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    new = change_charta(project)
    if system in SWAPLESS:
        monkeypatch.setattr(ctypes, "CDLL", SWAPLESS[system])
    swapped: list[bool] = []
    exchange = write._exchange

    def noted(a: Path, b: Path) -> bool:
        swapped.append(exchange(a, b))
        return swapped[-1]

    monkeypatch.setattr(write, "_exchange", noted)
    assert main(["build", "--quiet"]) == 0
    assert swapped == [system == "Linux"]  # one step on Linux, else the two renames
    assert tree(project / "output") == new
    assert sorted(p.name for p in project.glob(".output*")) == [], "nothing left beside it"
    assert main(["verify", "output"]) == 0


# A folder the build may not write


def as_a_user(argv: list[str]) -> list[str]:
    """`argv` run without root's power to write anywhere (root ignores a folder's mode bits).

    As root the command runs under setpriv with CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and
    CAP_FOWNER dropped from its bounding set, so it is still uid 0, owner of the test's files,
    but bound by their mode bits like any user; a user needs nothing of that.
    """
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")  # util-linux, on every Debian
    assert setpriv is not None, "setpriv (util-linux) is needed to test as root"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *argv]


def build_as_a_user(project: Path) -> subprocess.CompletedProcess[str]:
    """`charta build --quiet` in `project`, as a user would run it."""
    argv = as_a_user([sys.executable, "-m", "kontaktcharta", "build", "--quiet"])
    return subprocess.run(
        argv, cwd=project, env=ENV, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("read_only", "message"),
    [
        ("the folder of output/", "cannot write here: Permission denied"),
        (
            "output/",
            "is read-only, so the new build cannot replace it; "
            "the previous output was left as it was",
        ),
    ],
)
def test_a_read_only_folder_is_said_and_the_old_site_stays(
    project: Path, read_only: str, message: str
) -> None:
    old = tree(project / "output")
    change_charta(project)
    folder = project if read_only == "the folder of output/" else project / "output"
    folder.chmod(0o555)
    try:
        done = build_as_a_user(project)
    finally:
        folder.chmod(0o755)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"{project}/output: {message}\n")
    assert tree(project / "output") == old
    assert leftovers(project) == []
    assert main(["build", "--quiet"]) == 0, "once writable, the build goes through"


# A full disk


def test_a_full_disk_is_said_and_the_old_site_stays(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tree(project / "output")
    new = change_charta(project)
    written: list[str] = []
    write_bytes = Path.write_bytes

    def fill_up(path: Path, data: bytes) -> int:  # the disk is full after five files
        if len(written) == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path.name)
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    capsys.readouterr()
    assert main(["build", "--quiet"]) == 1
    assert capsys.readouterr().err == (
        f"{project}/output: cannot write the new build (No space left on device); "
        "the previous output was left as it was\n"
    )
    assert tree(project / "output") == old
    assert leftovers(project) == [], "the unfinished build is removed"
    monkeypatch.setattr(Path, "write_bytes", write_bytes)  # space again
    assert main(["build", "--quiet"]) == 0
    assert tree(project / "output") == new


# A missing theme


def test_a_missing_theme_is_named_with_the_themes_there_are(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tree(project / "output")
    change_charta(project)
    capsys.readouterr()
    assert main(["build", "--quiet", "--theme", "nosuch"]) == 1
    assert capsys.readouterr() == (
        "",
        f"--theme: unknown theme 'nosuch'; available themes: {', '.join(available(project))}\n",
    )
    assert tree(project / "output") == old


def test_a_missing_theme_folder_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tree(project / "output")
    change_charta(project)
    capsys.readouterr()
    assert main(["build", "--quiet", "--theme", "../default"]) == 1
    missing = project.parent / "default"
    assert capsys.readouterr() == (
        "",
        f"--theme: no theme folder '../default' ({missing} is not a folder)\n",
    )
    assert tree(project / "output") == old
