"""CEL for the rules: the runtime that compiles and evaluates them (runtime.py, with cpp.py for
cel-expr-python and rust.py for common-expression-language), and a parser and type checker of
our own (syntax.py, types.py) for the runtime that has neither a syntax tree nor a checker.

Which runtime a process takes is decided here, without importing one, so that the CLI can say
at once, in one line, that none will do (`chosen`)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from typing import Final

RUNTIMES: Final = {"cpp": "cel_expr_python", "rust": "cel"}
"""Each runtime by its name, with the module it needs, in the order they are tried."""
PACKAGES: Final = {"cpp": "cel-expr-python", "rust": "common-expression-language"}
"""The distribution that brings each runtime."""
CHOICE: Final = "KONTAKTCHARTA_CEL"
"""The environment variable that forces a runtime: `cpp` or `rust`."""


class NoRuntime(ImportError):
    """No CEL runtime will do: the one KONTAKTCHARTA_CEL names is unknown or not installed, or
    none is installed. Its text is the one line the CLI prints."""


def wanted(name: str | None = None) -> str | None:
    """The runtime named (or by KONTAKTCHARTA_CEL), None for the first one installed; NoRuntime
    for a name that is none."""
    name = name or os.environ.get(CHOICE) or None
    if name is not None and name not in RUNTIMES:
        raise NoRuntime(f"{CHOICE}={name}: expected {' or '.join(RUNTIMES)}")
    return name


def chosen(name: str | None = None) -> str:
    """The name of the runtime a process takes, found but not imported; NoRuntime where none
    will do."""
    forced = wanted(name)
    for runtime in candidates(forced):
        if importlib.util.find_spec(RUNTIMES[runtime]) is not None:
            return runtime
    raise missing(forced)


def candidates(forced: str | None) -> tuple[str, ...]:
    """The runtimes to try, in order: the one forced, else every one."""
    return (forced,) if forced is not None else tuple(RUNTIMES)


def missing(forced: str | None, failures: Sequence[tuple[str, str]] = ()) -> NoRuntime:
    """Why no runtime will do: none is installed, or each found failed to import (its name
    and why)."""
    if forced is not None:
        package = PACKAGES[forced]
        if failures:
            return NoRuntime(
                f"{CHOICE}={forced}, but {package} cannot be imported: {failures[0][1]}"
            )
        return NoRuntime(
            f"{CHOICE}={forced}, but {package} is not installed: pip install {package}"
        )
    if failures:
        said = "; ".join(f"{PACKAGES[runtime]}: {why}" for runtime, why in failures)
        return NoRuntime(f"no CEL runtime can be imported: {said}")
    return NoRuntime(
        f"no CEL runtime is installed: pip install {PACKAGES['cpp']}, or {PACKAGES['rust']} "
        f"where {PACKAGES['cpp']} has no wheel"
    )
