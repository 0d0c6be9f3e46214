"""`charta serve` as its own process, for the tests that drive the real command."""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ServeProcess:
    """`charta serve` running as its own process, its output read by a thread."""

    process: subprocess.Popen[str]
    """The server process."""
    port: int
    """Where it listens, on 127.0.0.1."""
    lines: list[str]
    """What it printed so far, stdout and stderr in order."""
    reader: threading.Thread
    """Reads the output into `lines` until the process closes it."""

    @property
    def url(self) -> str:
        """The served site's address."""
        return f"http://127.0.0.1:{self.port}/"

    def get(self, path: str, timeout: float = 10) -> tuple[int, bytes]:
        """Request `path` exactly as written (no normalising); return the status and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def memory(self) -> int:
        """The server's resident memory in bytes (VmRSS)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
        assert match, status
        return int(match.group(1)) * 1024


@contextlib.contextmanager
def serving(project: Path, env: dict[str, str] | None = None) -> Iterator[ServeProcess]:
    """`python -m kontaktcharta serve --port 0` in the project, with `env` added to the
    environment; stopped by its PID after."""
    with subprocess.Popen(
        [sys.executable, "-m", "kontaktcharta", "serve", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    ) as process:
        lines: list[str] = []
        ports: queue.Queue[int] = queue.Queue()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                found = re.search(r" on http://127\.0\.0\.1:(\d+)/ ", line)
                if found:
                    ports.put(int(found.group(1)))
            ports.put(0)

        reader = threading.Thread(target=read, name="serve output", daemon=True)
        reader.start()
        try:
            port = ports.get(timeout=60)
            assert port, "".join(lines)
            yield ServeProcess(process, port, lines, reader)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            reader.join(timeout=10)
