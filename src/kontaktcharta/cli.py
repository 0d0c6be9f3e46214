"""The `charta` command: one subcommand per module in `kontaktcharta.commands`."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .cel import NoRuntime, chosen
from .errors import ChartaError

COMMANDS = {
    "build": "build charta.yaml into output/ (the default of build.py)",
    "serve": "build, serve on 127.0.0.1 and reload the browser on every change",
    "verify": "check that a built, deployed or published site's pages and policy agree",
    "decide": "decide a contact request by the policy",
    "ask": "answer the open questions in the terminal and get a decision",
    "reply": "print the decline message for some reasons",
    "init": "create a ready-to-build charta site",
    "schema": "print the JSON Schema of charta.yaml (for editors) or of charta.json",
}


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand; given `command`, only its options are added."""
    top = argparse.ArgumentParser(
        prog="charta", description="Build and use a Kontaktcharta: your rules for contact requests."
    )
    top.add_argument("--version", action=_Version)
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        sub = subs.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."
        )
        if command is None or name == command:
            _module(name).add_arguments(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 failed, 2 usage)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # The top level takes no option with a value, so the first word is the command. Only its
    # module is imported: a build starts without the server, the decider or the CEL runtime.
    command = _command(argv)
    try:
        if command in COMMANDS:  # each says at once, in one line, that no CEL runtime will do
            chosen()
        args = parser(command if command in COMMANDS else None).parse_args(argv)
        code: int = _module(args.command).run(args)
    except NoRuntime as error:  # also one found that cannot be imported
        print(f"charta: error: {error}", file=sys.stderr)
        return 1
    except ChartaError as error:
        print(error.format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    return code


def script(argv: Sequence[str] | None = None) -> NoReturn:
    """The process: `charta`, `python -m kontaktcharta` and build.py run main() and exit with it."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # A command runs once and ends. Its objects live to the end and make few cycles, so the
    # cyclic collector's passes over them, while the modules are imported and again as the
    # interpreter ends, are wasted: a tenth of a cold build. `serve` runs for hours and keeps
    # the collector, as every long-running process must.
    if _command(argv) != "serve":
        gc.disable()
    code = main(argv)
    gc.freeze()  # what is left is freed as the interpreter ends, without a last sweep
    sys.exit(code)


def _command(argv: Sequence[str]) -> str | None:
    """The command of a command line: its first word that is no option."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"kontaktcharta.commands.{name}")


class _Version(argparse._VersionAction):
    """`--version`, looked up only when asked: importlib.metadata is slow to import."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        from . import version

        self.version = f"%(prog)s {version()}"
        super().__call__(parser, namespace, values, option_string)
