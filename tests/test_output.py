"""The output folder: what `--out` may replace, and one build at a time writing it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kontaktcharta import write
from kontaktcharta.build import render_site
from kontaktcharta.cli import main
from kontaktcharta.write import MARKER, MARKER_TEXT
from test_faults import tree

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "example"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
REPLACED = "and each build replaces its output folder whole"
OWN = "give --out a folder of its own (such as output)"
HOLDER = """
import pathlib, sys, time
from kontaktcharta.lock import Lock

lock = Lock.take(pathlib.Path(sys.argv[1]), 0)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""
"""Holds the lock of a file for some seconds, as a build writing its folder does."""
RACER = """
import pathlib, sys, time
from kontaktcharta.build import render_site
from kontaktcharta.cli import main

write_bytes = pathlib.Path.write_bytes


def slowly(path, data):  # a slow disk: the builds' writing overlaps, as it seldom does at speed
    time.sleep(0.005)
    return write_bytes(path, data)


pathlib.Path.write_bytes = slowly
sys.stdin.readline()  # every racer has its imports done: they start building together
sys.exit(main(["build", "--quiet"]))
"""
"""`charta build --quiet` on a slow disk, started by a line on its stdin."""


def snapshot(folder: Path) -> dict[str, object]:
    """Everything below `folder`: each file's bytes, each folder, each link's target."""
    found: dict[str, object] = {}
    for where, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = Path(where, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"-> {os.readlink(path)}"
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = path.read_bytes()
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example site in a folder of projects, with a neighbour, a theme of its own, a Git
    folder and notes, as the working folder; not built yet."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    project = tmp_path.resolve() / "projects" / "site"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copy(ROOT / "charta.yaml", project / "charta.yaml")
    shutil.copytree(ROOT / "themes" / "cards", project / "themes" / "cards")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    (project / "notes").mkdir()
    (project / "notes" / "todo.txt").write_text("ask Erika\n", "utf-8")
    (project.parent / "neighbour").mkdir()
    (project.parent / "neighbour" / "letter.txt").write_text("Dear Erika\n", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(project)
    monkeypatch.chdir(project)
    return project


def site_files(project: Path, theme: str = "default") -> dict[str, bytes]:
    """What a build of the project writes: the site's files and the marker."""
    files = render_site(project / "charta.yaml", theme, label="charta.yaml").files
    return {**files, MARKER: MARKER_TEXT}


# What --out may not be

REFUSED = {
    "the project folder": (
        ["--out", "."],
        "{p}: cannot be the output folder: it holds the charta {p}/charta.yaml, {replaced}; {own}",
    ),
    "a folder above it": (
        ["--out", ".."],
        "{projects}: cannot be the output folder: it holds the charta {p}/charta.yaml, "
        "{replaced}; {own}",
    ),
    "the folder of a charta given by --config": (
        ["--config", "{p}/charta.yaml", "--out", "{p}", "@elsewhere"],
        "{p}: cannot be the output folder: it holds the charta {p}/charta.yaml, {replaced}; {own}",
    ),
    "site_src": (
        ["--out", "site_src"],
        "{p}/site_src: cannot be the output folder: it is the site's sources {p}/site_src, "
        "{replaced}; {own}",
    ),
    "the theme's folder": (
        ["--theme", "cards", "--out", "themes/cards"],
        "{p}/themes/cards: cannot be the output folder: it is the theme {p}/themes/cards, "
        "{replaced}; {own}",
    ),
    "another theme's folder": (
        ["--out", "themes/cards"],
        "{p}/themes/cards: cannot be the output folder: it is inside the themes folder "
        "{p}/themes, {replaced}; {own}",
    ),
    "a folder inside site_src": (
        ["--out", "site_src/pages/site"],
        "{p}/site_src/pages/site: cannot be the output folder: it is inside the site's sources "
        "{p}/site_src, {replaced}; {own}",
    ),
    "a link to the project": (
        ["--out", "../../link"],
        "{top}/link (a link to {p}): cannot be the output folder: it holds the charta "
        "{p}/charta.yaml, {replaced}; {own}",
    ),
    "a folder of other files": (
        ["--out", "notes"],
        "{p}/notes: cannot be the output folder: it holds files no build made (it has no "
        ".kontaktcharta), {replaced}; give --out a new or empty folder",
    ),
    "a folder with a charta.json but no page": (
        ["--out", "../neighbour", "@charta.json"],
        "{projects}/neighbour: cannot be the output folder: it holds files no build made "
        "(it has no .kontaktcharta), {replaced}; give --out a new or empty folder",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_folder_a_build_did_not_make_is_refused_and_left_as_it_was(
    project: Path, case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    words, message = REFUSED[case]
    argv = [word.format(p=project) for word in words if not word.startswith("@")]
    if "@elsewhere" in words:
        monkeypatch.chdir(project.parents[1] / "elsewhere")
    if "@charta.json" in words:  # what a build wrote, without its page
        shutil.copy(GOLDEN / "charta.json", project.parent / "neighbour")
    everything = project.parents[1]
    before = snapshot(everything)
    assert main(["build", "--quiet", *argv]) == 1
    said = message.format(
        p=project, projects=project.parent, top=everything, replaced=REPLACED, own=OWN
    )
    assert capsys.readouterr() == ("", said + "\n")
    assert snapshot(everything) == before, "nothing was touched"


# What --out may be


@pytest.mark.parametrize(
    "folder", ["a new folder", "an empty folder", "a build", "an old build", "a folder of builds"]
)
def test_a_new_or_empty_folder_or_a_build_is_built_into(
    project: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "public"
    if folder == "an empty folder":
        out.mkdir()
    elif folder == "a build":
        assert main(["build", "--quiet", "--out", "public"]) == 0
        (out / "gone.html").write_text("from a build before", "utf-8")
    elif folder == "an old build":  # by the version before the marker, which it lacks
        assert main(["build", "--quiet", "--out", "public"]) == 0
        (out / MARKER).unlink()
        (out / "gone.html").write_text("from a build before", "utf-8")
    elif folder == "a folder of builds":  # as README.md builds an example into output/
        assert main(["build", "--quiet", "--out", "public/example"]) == 0
        assert main(["build", "--quiet", "--out", "public/old"]) == 0
        (out / "old" / MARKER).unlink()
    sources = {k: v for k, v in snapshot(project).items() if not k.startswith("public")}
    assert main(["build", "--quiet", "--out", "public"]) == 0
    assert capsys.readouterr() == ("", "")
    assert tree(out) == site_files(project)
    assert {k: v for k, v in snapshot(project).items() if not k.startswith("public")} == sources
    assert main(["verify", "public"]) == 0


# One build at a time


def hold_lock(project: Path, seconds: float) -> subprocess.Popen[str]:
    """A process that holds the lock of output/ for some seconds, once it has printed `held`."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project / ".output.lock"), str(seconds)],
        env=ENV,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_build_waits_for_another_then_builds(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = hold_lock(project, 0.5)
    started = time.monotonic()
    assert main(["build", "--quiet"]) == 0
    assert time.monotonic() - started >= 0.4, "it waited for the other"
    holder.communicate(timeout=30)
    assert holder.returncode == 0
    assert capsys.readouterr() == ("", "")
    assert tree(project / "output") == site_files(project)
    assert not (project / ".output.lock").exists()


def test_a_build_waits_a_while_then_names_the_other(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--quiet"]) == 0
    before = snapshot(project)
    holder = hold_lock(project, 60)
    try:
        monkeypatch.setattr(write, "WAIT", 0.3)
        assert main(["build", "--quiet"]) == 1
        assert capsys.readouterr() == (
            "",
            f"{project}/output: another build (pid {holder.pid}) is writing this folder and "
            "did not finish within 0.3 s; try again once it is done\n",
        )
        after = snapshot(project)
        assert after.pop(".output.lock") == f"{holder.pid}\n".encode(), "the holder's"
        assert after == before
    finally:
        holder.kill()
        holder.wait(timeout=30)
        assert holder.stdout is not None
        holder.stdout.close()


def test_a_lock_left_by_a_killed_build_is_taken_over(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = hold_lock(project, 60)
    os.kill(holder.pid, signal.SIGKILL)
    assert holder.wait(timeout=30) == -signal.SIGKILL
    assert holder.stdout is not None
    holder.stdout.close()
    assert (project / ".output.lock").read_text("ascii") == f"{holder.pid}\n", "left behind"
    monkeypatch.setattr(write, "WAIT", 0.3)
    assert main(["build", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert tree(project / "output") == site_files(project)
    assert not (project / ".output.lock").exists()


ROUNDS = 20
RACERS = 3


def test_builds_started_together_leave_one_whole_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before the lock, most rounds had a build fail (one's recovery removed another's unfinished
    folder), and some ended without output/ and with an .output-old-* folder that stayed."""
    racer = project.parent / "racer.py"
    racer.write_text(RACER, "utf-8")
    expected = site_files(project)
    for round_ in range(ROUNDS):
        if round_ % 2:
            shutil.rmtree(project / "output", ignore_errors=True)
        racers = [
            subprocess.Popen(
                [sys.executable, str(racer)],
                cwd=project,
                env=ENV,
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(RACERS)
        ]
        for process in racers:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in racers:
            _, err = process.communicate(timeout=120)
            busy = f"{project}/output: another build (pid "
            assert (process.returncode, err) == (0, "") or (
                process.returncode == 1 and err.startswith(busy)
            ), f"round {round_}: {process.returncode} {err}"
        assert tree(project / "output") == expected, f"round {round_}"
        assert sorted(p.name for p in project.glob(".output*")) == [], f"round {round_}"
        capsys.readouterr()
        assert main(["verify", "output"]) == 0, f"round {round_}"
