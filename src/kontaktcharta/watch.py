"""Changes to a charta's sources, as the system reports them (through watchfiles: inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), or found by polling.

Folders are watched one by one, none with what is below it: the folder of each watched file, so
that an editor's save by rename is seen too; the parent of each watched folder, so that its
creation or removal is seen; each watched folder and every folder below it, but the output and
the folders a build makes beside it. A folder made later is watched from when it is reported.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchfiles._rust_notify import RustNotify, WatchfilesRustInternalError

POLL = 0.1
"""Seconds between two looks at the folders when polling."""
FORCE_POLLING = "WATCHFILES_FORCE_POLLING"
"""The environment variable that makes watchfiles, and so this watcher, poll."""
_TRIES = 5
"""How often the folders are walked again when one goes while they are being watched."""
_Entry = tuple[int, int, int, int, int]
"""What polling compares of a folder's entry: inode, mode, size, modified and changed time; of
a folder in it only the first two (what is in that folder is looked at on its own)."""


def forced_polling() -> bool:
    """Whether the environment asks to poll, as watchfiles reads it: `WATCHFILES_FORCE_POLLING`
    set and not `false`, `disable` or `disabled`."""
    value = os.environ.get(FORCE_POLLING, "")
    return bool(value) and value.lower() not in {"false", "disable", "disabled"}


class Watcher:
    """Reports changes to some files and to everything below some folders, never the output's."""

    def __init__(
        self,
        files: Iterable[Path],
        folders: Iterable[Path],
        output: Path,
        polling: bool | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        """Watch from now on; poll where `polling` says so (None: where the environment asks
        to); `say` gets a line about polling when it polls."""
        self._files = {p.absolute() for p in files}
        self._folders = {p.absolute() for p in folders}
        self._output = output.absolute()
        self._say = say or (lambda line: None)
        self.polling = forced_polling() if polling is None else polling
        """Whether the folders are polled rather than watched through the system."""
        if self.polling:
            why = f", as {FORCE_POLLING} asks" if polling is None else ""
            self._say(f"Polling the sources every {POLL:g} s{why}")
        self._watched: list[Path] = []
        self._real: dict[Path, Path] = {}
        self._source: _Native | _Polled = self._open()

    def wait(
        self,
        quiet: float,
        longest: float,
        timeout: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[Path] | None:
        """The watched paths that changed in the next burst of changes, sorted, each once.

        A burst ends once `quiet` seconds pass without a change (when polling, a look at the
        folders that finds none), or `longest` seconds after its first change. Returns [] after
        `timeout` seconds without a change to a watched path, None once `stop` is set."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while stop is None or not stop.is_set():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return []
            try:
                raw = self._source.next(quiet, longest, left, stop)
            except WatchfilesRustInternalError as error:
                self._fall_back(error)
                return sorted(self._files | self._folders)  # what changed meanwhile is unknown
            changed = self._take(raw)
            if changed:
                return changed
        return None

    def close(self) -> None:
        """Stop watching."""
        self._source.close()

    def _open(self) -> _Native | _Polled:
        """The system's watcher of the folders there are now, else polling."""
        error: Exception | None = None
        for _ in range(_TRIES):
            self._watch(self._walk())
            if self.polling:
                return _Polled(self._watched)
            try:
                return _Native(self._watched)
            except FileNotFoundError as gone:
                error = gone  # a folder went between the walk and its watch: walk again
            except (OSError, WatchfilesRustInternalError) as failed:
                error = failed
                break
        self._fall_back(error, opened=False)
        return _Polled(self._watched)

    def _fall_back(self, error: Exception | None, opened: bool = True) -> None:
        """Poll from now on, and say why."""
        self._say(
            f"The system's file watching failed ({_reason(error)}); "
            f"polling the sources every {POLL:g} s instead"
        )
        self.polling = True
        if opened:
            self._source.close()
            self._watch(self._walk())
            self._source = _Polled(self._watched)

    def _take(self, raw: set[str]) -> list[Path]:
        """The watched paths among `raw`, after watching the folders made or removed in it."""
        changed = {path for path in map(self._ours, raw) if self._wanted(path)}
        news = changed
        for _ in range(_TRIES):
            if not any(p in self._real or _folder(p) for p in news):
                break
            folders = self._walk()
            if folders == self._watched:
                break
            try:
                raw = self._source.rewatch(folders)
            except FileNotFoundError:
                continue  # a folder went between the walk and its watch: walk again
            except (OSError, WatchfilesRustInternalError) as error:
                self._fall_back(error)
                return sorted(changed | self._files | self._folders)
            self._watch(folders)
            news = {path for path in map(self._ours, raw) if self._wanted(path)}
            changed |= news
        return sorted(changed)

    def _watch(self, folders: list[Path]) -> None:
        """Note the folders watched, and each by its real path, as some systems report them."""
        self._watched = folders
        self._real = {folder: folder for folder in folders}
        for folder in folders:
            self._real.setdefault(folder.resolve(), folder)

    def _ours(self, raw: str) -> Path:
        """A reported path as it is watched: in a watched folder, or one of them."""
        path = Path(raw)
        for folder, name in ((path.parent, path.name), (path, "")):
            if folder in self._real:
                ours = self._real[folder]
                return ours / name if name else ours
        return path

    def _walk(self) -> list[Path]:
        """The folders to watch now, each once, sorted."""
        found: set[Path] = set()
        for anchor in {p.parent for p in self._files | self._folders}:
            if _readable(anchor):
                found.add(anchor)
        for folder in self._folders:
            self._tree(folder, found)
        return sorted(found)

    def _tree(self, folder: Path, found: set[Path]) -> None:
        if not _readable(folder) or self._is_output(folder):
            return
        found.add(folder)
        try:
            children = list(folder.iterdir())
        except OSError:
            return  # removed while being walked: its parent's watch reports that
        for child in children:
            if child.is_dir() and not child.is_symlink():
                self._tree(child, found)

    def _wanted(self, path: Path) -> bool:
        if self._is_output(path):
            return False
        return path in self._files or any(path.is_relative_to(f) for f in self._folders)

    def _is_output(self, path: Path) -> bool:
        """Whether `path` lies in the output or in a folder `write_site` makes beside it."""
        name = self._output.name
        for part in (path, *path.parents):
            if part.parent == self._output.parent and (
                part.name == name or part.name.startswith((f".{name}-new-", f".{name}-old-"))
            ):
                return True
        return False


def _reason(error: Exception | None) -> str:
    """notify's message of an error, without the paths and the debug form it appends."""
    return str(error).split(" about [", 1)[0].rstrip(".") or type(error).__name__


def _readable(folder: Path) -> bool:
    """Whether `folder` is a folder whose entries can be read, and so watched."""
    return folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)


def _folder(path: Path) -> bool:
    """Whether `path` is a folder that would be walked into (not a link to one)."""
    return path.is_dir() and not path.is_symlink()


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class _Native:
    """The system's file notifications of some folders, through watchfiles."""

    def __init__(self, folders: list[Path]) -> None:
        self._notify = _notify(folders)

    def next(
        self, quiet: float, longest: float, timeout: float | None, stop: threading.Event | None
    ) -> set[str]:
        """The paths reported in the next burst; none after `timeout` or once `stop` is set."""
        found = self._notify.watch(_ms(longest), _ms(quiet), _ms(timeout) if timeout else 0, stop)
        if found == "signal":  # only in the main thread, as Ctrl-C
            raise KeyboardInterrupt
        return {path for _, path in found} if isinstance(found, set) else set()

    def rewatch(self, folders: list[Path]) -> set[str]:
        """Watch `folders` instead; the paths reported meanwhile."""
        fresh = _notify(folders)  # before the old one is closed, so that nothing is missed
        found = self._notify.watch(0, 1, 1, None)
        self._notify.close()
        self._notify = fresh
        return {path for _, path in found} if isinstance(found, set) else set()

    def close(self) -> None:
        self._notify.close()


def _notify(folders: list[Path]) -> RustNotify:
    # Not recursive (every folder is named), no polling, errors raised (not ignored).
    return RustNotify([str(f) for f in folders], False, False, 0, False, False)


class _Polled:
    """Changes to some folders' entries, found by looking at them every `POLL` seconds, and
    every `quiet` seconds while a burst goes on.

    watchfiles polls too, but its version of notify compares the modified times in whole
    seconds: a second save within the same second was not seen."""

    def __init__(self, folders: list[Path]) -> None:
        self._seen = {folder: _entries(folder) for folder in folders}

    def next(
        self, quiet: float, longest: float, timeout: float | None, stop: threading.Event | None
    ) -> set[str]:
        """The paths changed in the next burst: until a look `quiet` seconds after the last
        change finds none, or `longest` seconds after the first; none after `timeout` or once
        `stop` is set."""
        start = time.monotonic()
        changed: set[str] = set()
        first = 0.0
        while True:
            (stop.wait if stop else time.sleep)(quiet if changed else POLL)
            found = self._look()
            now = time.monotonic()
            if changed and (not found or now - first >= longest):
                return changed | found
            if found and not changed:
                first = now
            changed |= found
            if not changed and (
                (stop is not None and stop.is_set())
                or (timeout is not None and now - start >= timeout)
            ):
                return changed

    def rewatch(self, folders: list[Path]) -> set[str]:
        """Look at `folders` instead; changes to those looked at already are found as before."""
        self._seen = {f: self._seen[f] if f in self._seen else _entries(f) for f in folders}
        return set()

    def close(self) -> None:
        self._seen = {}

    def _look(self) -> set[str]:
        changed: set[str] = set()
        for folder, before in self._seen.items():
            now = _entries(folder)
            if now != before:
                self._seen[folder] = now
                names = before.keys() | now.keys()
                changed.update(str(folder / n) for n in names if before.get(n) != now.get(n))
        return changed


def _entries(folder: Path) -> dict[str, _Entry]:
    """What is in `folder`, name by name; nothing where it cannot be read."""
    found: dict[str, _Entry] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    s = entry.stat(follow_symlinks=False)
                except OSError:
                    continue  # gone since the folder was read
                if entry.is_dir(follow_symlinks=False):
                    found[entry.name] = (s.st_ino, s.st_mode, 0, 0, 0)
                else:
                    found[entry.name] = (
                        s.st_ino,
                        s.st_mode,
                        s.st_size,
                        s.st_mtime_ns,
                        s.st_ctime_ns,
                    )
    except OSError:
        pass
    return found
