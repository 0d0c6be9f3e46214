"""Build the Kontaktcharta: `python build.py` (same as `charta build`), `python build.py serve`."""

import sys

from kontaktcharta.cli import COMMANDS, script

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args = ["build", *args]
    script(args)
