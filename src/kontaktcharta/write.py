"""Writing a site so that `output/` is always the whole old or the whole new build."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import ChartaError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write the files into a fresh folder beside `out`, then swap it in."""
    out = out.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
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
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    import ctypes  # here: only a rebuild over an existing folder needs it

    libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
