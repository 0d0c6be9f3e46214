"""The one error type of Kontaktcharta: a located problem in a user's input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
