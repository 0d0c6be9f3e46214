"""One writer at a time: an OS lock on a small file, which the OS releases when its holder dies.

The lock is `fcntl.flock` on Linux and macOS and `msvcrt.locking` on Windows; both belong to the
open file, so a killed holder leaves no lock behind, only the file, which the next holder takes
over. The holder writes its process id into the file, so that one who waits in vain can name it,
and removes the file when it is done. A waiter that took the lock of a file removed in the
meantime lets it go and tries again on the file now there: two holders never hold two files.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from types import TracebackType

_POLL = 0.02
"""Seconds between two tries while another holds the lock."""
_WINDOWS_BYTE = 1 << 30
"""Where Windows' lock sits: beyond the process id, which a waiter must still read."""


class Busy(Exception):
    """Another process held the lock for longer than one would wait."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder
        """The holder's process id as its file says it, or "" where it says none."""


class Lock:
    """A held lock on a file; `with` releases it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def take(cls, path: Path, wait: float) -> Lock:
        """Take the lock of `path` (made where missing), waiting up to `wait` seconds; raise
        Busy if another holds it still, OSError where the file cannot be made."""
        deadline = time.monotonic() + wait
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if _try_lock(fd) and _same_file(fd, path):
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, f"{os.getpid()}\n".encode())
                    return cls(path, fd)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # closing the file lets go of a lock taken on a removed file
            if time.monotonic() >= deadline:
                raise Busy(_holder(path))
            time.sleep(_POLL)

    def release(self) -> None:
        """Remove the file and let go of the lock."""
        if sys.platform == "win32":  # Windows removes no file that is open
            os.close(self._fd)
            _remove(self.path)  # fails where a waiter has it open; the waiter removes it then
        else:
            _remove(self.path)  # while held, so that no one takes this file once it is gone
            os.close(self._fd)

    def __enter__(self) -> Lock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    """Take the lock of an open file without waiting; False where another holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the open file (its holder may have removed it meanwhile)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _holder(path: Path) -> str:
    """The process id the lock's file names, or "" where it names none."""
    try:
        text = path.read_text("ascii", errors="replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # gone already, or a waiter on Windows has it open
        path.unlink()
