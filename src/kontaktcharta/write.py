"""Writing a site so that `output/` is always the whole old or the whole new build.

A build replaces its output folder whole, so it writes only to a folder that a build made (it
holds the marker file), a new one or an empty one; never to a folder of the sources or above
them. One build at a time writes a folder: it holds a lock beside it (`.output.lock`) meanwhile.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from .errors import ChartaError
from .lock import Busy, Lock

MARKER: Final = ".kontaktcharta"
"""The file in every output folder that says a build made it, and may replace it."""
MARKER_TEXT: Final = (
    b"Made by Kontaktcharta's `charta build`, which replaces this folder whole on every build.\n"
)
WAIT: Final = 5.0
"""Seconds a build waits for another build writing the same output folder."""
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_REPLACED = "and each build replaces its output folder whole"


def write_site(
    files: dict[str, bytes], out: Path, sources: Sequence[tuple[str, Path]] = ()
) -> None:
    """Write the files into a fresh folder beside `out`, then swap it in; one build at a time.

    `sources` are what the build was made from, named (`the charta`, path): `out` may be none
    of them, nor hold one, nor lie inside one."""
    out = Path(os.path.abspath(out))
    check_output(out, sources)  # before the lock, whose file would be litter beside a refused one
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = Lock.take(out.with_name(f".{out.name}.lock"), WAIT)
    except OSError as error:
        raise ChartaError.single(str(out), f"cannot write here: {error.strerror}") from None
    except Busy as busy:
        who = f"another build (pid {busy.holder})" if busy.holder else "another build"
        raise ChartaError.single(
            str(out),
            f"{who} is writing this folder and did not finish within {WAIT:g} s; "
            "try again once it is done",
        ) from None
    with lock:
        _write(files, out, sources)


def check_output(out: Path, sources: Sequence[tuple[str, Path]] = ()) -> None:
    """Refuse an output folder whose replacing would destroy what no build made: one of the
    `sources`, a folder inside one or holding one, or a folder of files without the marker."""
    where = Path(os.path.abspath(out))
    real = where.resolve()
    named = f"{where} (a link to {real})" if where.is_symlink() else str(where)
    for what, source in sources:
        for path in dict.fromkeys([Path(os.path.abspath(source)), source.resolve()]):
            for folder in dict.fromkeys([where, real]):
                if path == folder:
                    why = f"it is {what} {path}"
                elif path.is_relative_to(folder):
                    why = f"it holds {what} {path}"
                elif folder.is_relative_to(path):
                    why = f"it is inside {what} {path}"
                else:
                    continue
                raise ChartaError.single(
                    named,
                    f"cannot be the output folder: {why}, {_REPLACED}; "
                    "give --out a folder of its own (such as output)",
                )
    if where.is_dir() and not made_by_a_build(where) and any(where.iterdir()):
        raise ChartaError.single(
            named,
            f"cannot be the output folder: it holds files no build made (it has no {MARKER}), "
            f"{_REPLACED}; give --out a new or empty folder",
        )


def made_by_a_build(folder: Path) -> bool:
    """Whether builds made the folder: it has the marker, or it is a build of a version before
    the marker, or it holds only folders builds made (`--out output/example`, then `output`)."""
    if (folder / MARKER).is_file() or _old_build(folder):
        return True
    inside = list(folder.iterdir())
    return bool(inside) and all(
        path.is_dir() and not path.is_symlink() and made_by_a_build(path) for path in inside
    )


def _old_build(folder: Path) -> bool:
    """A build of a version before the marker: an `index.html` beside a `charta.json` with the
    policy's format version and revision."""
    try:
        policy = json.loads((folder / "charta.json").read_bytes())
    except (OSError, ValueError):
        return False
    return (
        (folder / "index.html").is_file()
        and isinstance(policy, dict)
        and isinstance(policy.get("charta"), int)
        and str(policy.get("revision")).startswith("sha256:")
    )


def _write(files: dict[str, bytes], out: Path, sources: Sequence[tuple[str, Path]]) -> None:
    """Write while holding the lock: what a killed build left is undone first."""
    try:
        recover(out)
        check_output(out, sources)  # again, now that the folder is this build's alone
        if out.exists() and not out.is_dir():
            raise ChartaError.single(str(out), "exists and is not a folder")
        if out.exists() and not _replaceable(out):
            raise ChartaError.single(
                str(out),
                "is read-only, so the new build cannot replace it; "
                "the previous output was left as it was",
            )
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    except OSError as error:
        raise ChartaError.single(str(out), f"cannot write here: {error.strerror}") from None
    try:
        for name, data in files.items():
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (fresh / MARKER).write_bytes(MARKER_TEXT)
        fresh.chmod(0o755)
        _swap(fresh, out)
    except OSError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise ChartaError.single(
            str(out),
            f"cannot write the new build ({error.strerror}); "
            "the previous output was left as it was",
        ) from None


def recover(out: Path) -> None:
    """Undo what a killed build left: restore a moved-away output, drop unfinished folders."""
    leftovers = sorted(out.parent.glob(f".{out.name}-old-*"))
    if not out.exists() and leftovers:
        os.rename(leftovers.pop(), out)
    for folder in [*leftovers, *out.parent.glob(f".{out.name}-new-*")]:
        shutil.rmtree(folder, ignore_errors=True)


def _swap(fresh: Path, out: Path) -> None:
    if not out.exists():
        os.rename(fresh, out)
        return
    # Once swapped, the new build is out: what is left of the old one recover() removes later.
    if _exchange(fresh, out):
        shutil.rmtree(fresh, ignore_errors=True)  # now holds the old build
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    os.rename(out, old)  # a kill between these two renames is undone by recover()
    os.rename(fresh, out)
    shutil.rmtree(old, ignore_errors=True)


def _replaceable(out: Path) -> bool:
    """Whether the old build can be removed once swapped out: every folder in it writable."""
    return all(os.access(folder, os.W_OK | os.X_OK) for folder, _, _ in os.walk(out))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system cannot, and nothing has changed: on Windows (ctypes cannot open the C library the
    interpreter runs on), where the C library has no renameat2 (macOS, an old glibc), where the
    kernel or the file system has no such swap (ENOSYS, EINVAL), or where it fails otherwise
    (then the two renames that follow fail the same way, and say why)."""
    import ctypes  # here: only a rebuild over an existing folder needs it

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
    except (OSError, TypeError):  # TypeError on Windows, which has no such library
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
