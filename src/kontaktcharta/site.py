"""Every file of a site, as one list of outputs that the build and `charta verify` both walk.

A new kind of file is one module with an Output (outputs.py) and one line in OUTPUTS.
"""

from __future__ import annotations

import datetime
import errno
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .discovery import POINTER
from .embed import EMBED
from .errors import ChartaError, Problem, open_regular
from .extra_pages import EXTRA_PAGES
from .markdown_page import MARKDOWN
from .outputs import Build
from .page import PAGE
from .policy import FILE as POLICY_FILE
from .policy import POLICY
from .preview import PICTURE
from .schema import POLICY_SCHEMA
from .static import STATIC
from .visitor import OTHER_FILES

if TYPE_CHECKING:
    from .outputs import Files, Output

OUTPUTS: Final[tuple[Output, ...]] = (
    PAGE,
    EMBED,
    MARKDOWN,
    EXTRA_PAGES,
    POLICY,
    POLICY_SCHEMA,
    POINTER,
    STATIC,
    OTHER_FILES,
    PICTURE,
)
"""What a build writes, in the order it is made; a later output may not replace a file of an
earlier one."""
MOST_BYTES: Final = 16 * 2**20
"""The most bytes of one file of a site verify reads (but the policy: policy_reader.MAX_BYTES)."""


def render(build: Build) -> dict[str, bytes]:
    """Every output's files, checked against the policy; a ChartaError where they disagree."""
    files: dict[str, bytes] = {}
    made_by: dict[str, Output] = {}
    for output in OUTPUTS:
        for name, data in output.render(build):
            if name in files:
                where = str(build.project / "site_src" / "static") if output is STATIC else name
                raise ChartaError.single(where, f"{name} would replace a file the build makes")
            files[name] = data
            made_by[name] = output
    problems = []
    for output in OUTPUTS:
        for difference in output.check(Memory(files), build.policy):
            maker = made_by.get(difference.file, output)  # a file is the fault of who made it
            source = f"{build.theme} theme" if maker.source == "theme" else maker.source
            message = difference.message
            if difference.what:
                message = f"{difference.what} and the policy differ: {message}"
            problems.append(Problem(source, 0, 0, difference.file, message))
    if problems:
        raise ChartaError(problems)
    return dict(sorted(files.items()))


def check_folder(folder: Path, on: datetime.date) -> tuple[Mapping[str, Any] | None, list[str]]:
    """A built or deployed folder: its policy, and every way its files and policy disagree."""
    return check_site(Folder(folder), on)


def check_site(files: Files, on: datetime.date) -> tuple[Mapping[str, Any] | None, list[str]]:
    """A built or deployed site, in a folder or over HTTP (published.py): its policy, and every
    way its files and policy disagree."""
    from .policy_reader import parse, read_policy

    try:
        text = files.read(POLICY_FILE)
    except OSError as error:
        return None, [f"{POLICY_FILE}: cannot be read ({error.strerror})"]
    if text is None:
        return None, [f"{POLICY_FILE}: cannot be read ({files.absent(POLICY_FILE)})"]
    try:
        policy = parse(text, POLICY_FILE)
        read_policy(policy, POLICY_FILE)
    except ChartaError as error:
        return None, [problem.format() for problem in error.problems]
    found = list(
        dict.fromkeys(  # a file that cannot be read is said so once, not by each output
            f"{difference.file}: {difference.message}"
            for output in OUTPUTS
            for difference in output.check(files, policy)
        )
    )
    review_by = policy.get("review_by")
    if review_by and datetime.date.fromisoformat(review_by) < on:
        found.append(
            f"the charta is stale: its review date {review_by} has passed "
            f"(updated {policy['updated']}); look it over, set a new review_by, rebuild"
        )
    return policy, found


def most_bytes(name: str) -> int:
    """The most bytes of a site's file that verify reads: a deployed site is not trusted to be
    small. The policy's limit is the policy reader's."""
    if name == POLICY_FILE:
        from .policy_reader import MAX_BYTES

        return MAX_BYTES
    return MOST_BYTES


def utf8(data: bytes | None, where: str = "") -> str | None:
    """A file's bytes as text (None: no file); OSError (EILSEQ) where they are not UTF-8, saying
    `where` they came from when given."""
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        said = f"{where}: not UTF-8 text" if where else "not UTF-8 text"
        raise OSError(errno.EILSEQ, said) from None


@dataclass(frozen=True, slots=True, eq=False)
class Memory:
    """The files of a build not yet written."""

    files: Mapping[str, bytes]

    def read(self, name: str) -> str | None:
        data = self.files.get(name)
        return None if data is None else data.decode("utf-8")

    def read_bytes(self, name: str) -> bytes | None:
        return self.files.get(name)

    def names(self) -> list[str]:
        return sorted(self.files)

    def absent(self, name: str) -> str:
        return "no such file"


@dataclass(frozen=True, slots=True, eq=False)
class Folder:
    """The files of a built or deployed folder."""

    folder: Path

    def read(self, name: str) -> str | None:
        return utf8(self.read_bytes(name))

    def read_bytes(self, name: str) -> bytes | None:
        try:
            handle = open_regular(self.folder / name)
        except (FileNotFoundError, NotADirectoryError):
            return None
        most = most_bytes(name)
        with handle:
            data = handle.read(most + 1)
        if len(data) > most:
            raise OSError(errno.EFBIG, f"larger than {most:,} bytes")
        return data

    def names(self) -> list[str]:
        return sorted(
            path.relative_to(self.folder).as_posix()
            for path in self.folder.rglob("*")
            if path.is_file()
        )

    def absent(self, name: str) -> str:
        return "no such file"
