"""The one error type of Kontaktcharta: a located problem in a user's input."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake, located in the source file."""

    file: str
    """The file as the user named it, e.g. `charta.yaml`."""
    line: int
    """1-based line; 0 when the problem has no place in the file."""
    column: int
    """1-based column; 0 when the problem has no place in the file."""
    path: str
    """The key path as the user wrote it, e.g. `decline.criteria[1].when`."""
    message: str
    """What is wrong and what was expected."""
    source: str = ""
    """The offending source line, shown under the message with a caret."""

    def format(self) -> str:
        """Render as `file:line:col: path: message`, the source line and a caret."""
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        head = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if not self.source:
            return head
        text = self.source.replace("\t", " ")
        caret = " " * max(self.column - 1, 0) + "^"
        return f"{head}\n    {text}\n    {caret}"


class ChartaError(Exception):
    """One or more problems that stop the build; printed without a traceback."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.format())

    @classmethod
    def single(cls, file: str, message: str, path: str = "") -> ChartaError:
        """An error with no place in a file (a missing file, a folder that cannot be written)."""
        return cls([Problem(file, 0, 0, path, message)])

    def format(self) -> str:
        """All problems, one block each, and a count when there are several."""
        text = "\n".join(p.format() for p in self.problems)
        if len(self.problems) > 1:
            text += f"\n{len(self.problems)} problems found."
        return text


@dataclass(frozen=True, slots=True)
class Place:
    """Where a key stands in the source file."""

    line: int
    """1-based line; 0 where the key has no place in a file (a key of charta.json)."""
    column: int
    """1-based column."""
    source: str
    """The line as written."""


NOWHERE = Place(0, 0, "")


class Problems:
    """The one collector of located problems: every check reports here, by key path.

    `places` tells where each key path stands (the loader records them); a path without a place
    of its own is shown at its nearest parent that has one. `renamed` renames a path where the file
    writes it otherwise than the model names it (charta.json lists facts: `facts.met` is
    `facts[0]` there); the reader of that file fills it in.
    """

    def __init__(
        self,
        file: str,
        places: Mapping[str, Place] | None = None,
    ) -> None:
        self.file = file
        self.places: Mapping[str, Place] = places if places is not None else {}
        self.renamed: dict[str, str] = {}
        self.found: list[Problem] = []
        self.warnings: list[str] = []
        """What the author should know that does not stop the build, each located."""

    def at(self, path: str, message: str, column: int = 0, place: Place | None = None) -> None:
        """Record a problem at a key path; `column` moves the caret right within the value."""
        if place is None:
            place = self.place(path)
        self.found.append(
            Problem(
                self.file,
                place.line,
                place.column + column if place.line else 0,
                self._renamed(path),
                message,
                place.source,
            )
        )

    def warn(self, path: str, message: str, place: Place | None = None) -> None:
        """Record a warning at a key path: `file:line:column: path: message`."""
        where = place if place is not None else self.place(path)
        at = f"{self.file}:{where.line}:{where.column}" if where.line else self.file
        self.warnings.append(f"{at}: {self._renamed(path)}: {message}")

    def place(self, path: str) -> Place:
        """Where a key path stands, or its nearest parent that has a place."""
        probe = path
        while probe:
            place = self.places.get(probe)
            if place is not None:
                return place
            probe = _parent(probe)
        return NOWHERE

    def _renamed(self, path: str) -> str:
        if not self.renamed:
            return path
        probe = path
        while probe:
            if probe in self.renamed:
                return self.renamed[probe] + path[len(probe) :]
            probe = _parent(probe)
        return path

    def __bool__(self) -> bool:
        return bool(self.found)

    def check(self) -> None:
        """Raise a ChartaError with every problem, in the order of the file, if there is one."""
        if self.found:
            raise ChartaError(sorted(self.found, key=lambda p: (p.line, p.column)))


def _parent(path: str) -> str:
    """`a.b[2].c` → `a.b[2]` → `a.b` → `a` → ``."""
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def read_file(path: Path) -> str:
    """A file of the project or its theme as text (UTF-8, a byte-order mark allowed); a
    ChartaError naming the file where it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ChartaError.single(str(path), f"cannot read: {error}") from None


def open_regular(path: Path) -> BinaryIO:
    """A file opened for reading without waiting on it: what is not a regular file (a FIFO,
    whose opening would wait for a writer for ever, a device, a folder) is an OSError that
    says what it is."""
    descriptor = os.open(
        path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{_kind(mode)}, not a file")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _kind(mode: int) -> str:
    """What a file that is not a regular one is."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    return "a device"
