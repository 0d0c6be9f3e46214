"""`charta serve` under stress: hundreds of saves, broken and good, and hostile paths."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from serving import ServeProcess, serving

ROOT = Path(__file__).resolve().parents[1]
CRITERION = "keiner der Gründe oben zutrifft"
"""A criterion's text in the example charta; each good save writes it differently."""
BROKEN = "keiner: der Gründe"
"""The same line made invalid YAML (a second `:`)."""
SAVES = 500
SECONDS = 10.0
"""The saves are spread over this time: one every 20 ms."""
WARM_UP = 50
"""Saves before the server's memory is first measured (imports, caches, allocator arenas)."""
GROWTH = 4 * 2**20
"""The most the server's memory may grow after the warm-up. A build's garbage is freed, so it
grows by well under 1 MiB; keeping each build's site (about 0.2 MiB) over the 30 or more builds
after the warm-up would take 6 MiB and more."""
SECRET = "geheim-7f3c2a"
"""The content of a file beside the output folder, which must never be served."""
OUTSIDE = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/.%2e/secret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/en/../../secret.txt",
    "//..//secret.txt",
    "/%00/../secret.txt",
    "/leak.txt",
    "/outside/secret.txt",
]
"""Requests for the secret file beside output/: climbing out, encoded, and by symlinks."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example site, with a secret file beside it that nobody may read."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "charta.yaml", site / "charta.yaml")
    shutil.copytree(ROOT / "site_src", site / "site_src")
    (site / "secret.txt").write_text(SECRET)
    return site


@pytest.fixture
def server(project: Path) -> Iterator[ServeProcess]:
    """`charta serve` on a free port in the project, stopped by its PID after the test."""
    with serving(project) as served:
        yield served


def save(path: Path, text: str, number: int) -> None:
    """Save as editors do: most write a temporary file and rename it, some write in place."""
    if number % 3:
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, "utf-8")
        os.replace(temporary, path)
    else:
        path.write_text(text, "utf-8")


def test_500_saves_in_10_seconds_keep_the_server_up_right_and_flat(
    project: Path, server: ServeProcess
) -> None:
    config = project / "charta.yaml"
    good = config.read_text("utf-8")
    assert CRITERION in good
    answers: list[int] = []
    refused: list[str] = []
    done = threading.Event()

    def ask() -> None:  # a browser and a prober, until the saves are done
        while not done.is_set():
            status, body = server.get("/")
            answers.append(status)
            for path in OUTSIDE[:3]:
                status, body = server.get(path)
                if status not in (400, 403, 404) or SECRET.encode() in body:
                    refused.append(f"{path}: {status}")
            time.sleep(0.01)

    asker = threading.Thread(target=ask, name="ask", daemon=True)
    start = time.monotonic()
    asker.start()
    try:
        for number in range(SAVES):
            if number % 2:
                save(config, good.replace(CRITERION, f"kein Grund passt ({number})"), number)
            else:
                save(config, good.replace(CRITERION, BROKEN), number)
            if number == WARM_UP:
                warm, warm_lines = server.memory(), len(server.lines)
            time.sleep(max(0.0, start + (number + 1) * SECONDS / SAVES - time.monotonic()))
        saved = time.monotonic() - start
    finally:
        done.set()
        asker.join(timeout=30)
    assert saved < SECONDS + 2, f"the saves took {saved:.1f} s"
    last = f"kein Grund passt ({SAVES - 1})"

    deadline = time.monotonic() + 30
    while (status := server.get("/"))[0] != 200 or last.encode() not in status[1]:
        assert time.monotonic() < deadline, f"the last good save is not served: {status[0]}"
        time.sleep(0.1)
    assert server.process.poll() is None, "".join(server.lines[-20:])
    assert last in (project / "output" / "index.html").read_text("utf-8")
    assert set(answers) <= {200, 500} and len(answers) >= 50, sorted(set(answers))
    assert refused == []
    printed = "".join(server.lines)
    assert "Traceback" not in printed
    later = "".join(server.lines[warm_lines:])
    builds = later.count("Rebuilt ") + later.count("Build failed;")
    grown = server.memory() - warm
    assert builds >= 30, f"only {builds} builds after the warm-up"
    assert grown < GROWTH, f"{grown / 2**20:.1f} MiB more after {builds} builds"


def test_nothing_outside_the_output_folder_is_served(project: Path, server: ServeProcess) -> None:
    out = project / "output"
    assert server.get("/")[0] == 200
    (out / "leak.txt").symlink_to(project / "secret.txt")
    (out / "outside").symlink_to(project)
    secret = project / "secret.txt"
    absolute = [
        str(secret),
        "/" + quote(str(secret), safe=""),
        f"http://127.0.0.1:{server.port}/../secret.txt",
        f"http://127.0.0.1:{server.port}{secret}",
    ]
    for path in OUTSIDE + absolute:
        status, body = server.get(path)
        assert status in (400, 403, 404), path
        assert SECRET.encode() not in body, path
    assert server.get("/charta.json")[0] == 200
