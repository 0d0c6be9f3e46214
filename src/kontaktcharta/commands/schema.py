"""`charta schema [--policy]`: print the JSON Schema of charta.yaml, or of charta.json.

The schema of charta.yaml is for editors (VS Code, JetBrains, Neovim: docs/editors.md) and other
tools; the schema of charta.json is the one every build writes beside the policy.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Which schema."""
    parser.add_argument(
        "--policy", action="store_true", help="the schema of charta.json instead of charta.yaml's"
    )


def run(args: argparse.Namespace) -> int:
    """Print the schema as JSON."""
    from ..policy import dump
    from ..schema import charta_schema, policy_schema

    schema = policy_schema() if args.policy else charta_schema()
    sys.stdout.write(dump(schema).decode())
    return 0
