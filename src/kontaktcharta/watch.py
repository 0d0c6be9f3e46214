"""Changes to a charta's sources, as Linux inotify reports them, without polling."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from inotify_simple import INotify, flags  # type: ignore[import-untyped]

_CHANGES = (
    flags.CREATE
    | flags.DELETE
    | flags.MODIFY
    | flags.CLOSE_WRITE
    | flags.ATTRIB
    | flags.MOVED_FROM
    | flags.MOVED_TO
)
_ARRIVED = flags.CREATE | flags.MOVED_TO


class Watcher:
    """Reports changes to some files and to everything below some folders, never the output's."""

    def __init__(self, files: Iterable[Path], folders: Iterable[Path], output: Path) -> None:
        self._files = {p.absolute() for p in files}
        self._folders = {p.absolute() for p in folders}
        self._output = output.absolute()
        self._inotify = INotify(nonblocking=True)
        self._dirs: dict[int, Path] = {}
        # A file is watched through its folder, so an editor's save by rename is seen too;
        # a watched folder's parent is watched so that its creation or removal is seen.
        for anchor in {p.parent for p in self._files | self._folders}:
            self._add(anchor)
        for folder in self._folders:
            self._add_tree(folder)

    def fileno(self) -> int:
        """The inotify descriptor, readable when changes are waiting."""
        fd: int = self._inotify.fileno()
        return fd

    def read(self) -> list[Path]:
        """The watched paths that changed since the last read, in order, each once; never blocks."""
        changed: dict[Path, None] = {}
        for event in self._inotify.read(timeout=0):
            if event.mask & flags.Q_OVERFLOW:
                # The kernel dropped events: something changed, though no one knows what.
                changed.update(dict.fromkeys(sorted(self._files | self._folders)))
                continue
            folder = self._dirs.get(event.wd)
            if folder is None:
                continue
            if event.mask & flags.IGNORED:
                del self._dirs[event.wd]
                continue
            path = folder / event.name if event.name else folder
            if not self._wanted(path):
                continue
            if event.mask & flags.ISDIR:
                if event.mask & flags.MOVED_FROM:
                    self._forget_tree(path)
                elif event.mask & _ARRIVED:
                    self._add_tree(path)
            changed[path] = None
        return list(changed)

    def close(self) -> None:
        """Stop watching."""
        self._inotify.close()

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

    def _add(self, folder: Path) -> None:
        try:
            wd: int = self._inotify.add_watch(folder, _CHANGES | flags.ONLYDIR)
        except OSError:
            return  # not there (yet) or not a folder: its parent's watch reports its arrival
        self._dirs[wd] = folder

    def _add_tree(self, folder: Path) -> None:
        if not folder.is_dir() or self._is_output(folder):
            return
        self._add(folder)
        try:
            children = sorted(folder.iterdir())
        except OSError:
            return  # removed while being walked: its parent's watch reports that
        for child in children:
            if child.is_dir() and not child.is_symlink():
                self._add_tree(child)

    def _forget_tree(self, folder: Path) -> None:
        for wd, path in list(self._dirs.items()):
            if path.is_relative_to(folder):
                del self._dirs[wd]
                with contextlib.suppress(OSError):  # the kernel may have dropped it already
                    self._inotify.rm_watch(wd)
