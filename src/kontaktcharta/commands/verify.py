"""`charta verify [DIR]`: does a built or deployed page say what its policy says?"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The folder to check."""
    parser.add_argument(
        "folder",
        nargs="?",
        default="output",
        metavar="DIR",
        help="a built site with index.html and charta.json (default: output)",
    )


def run(args: argparse.Namespace) -> int:
    """Compare the page with the policy; 0 when they agree, 1 with every difference."""
    from ..verify import check_revision, compare

    folder = Path(args.folder)
    try:
        page = (folder / "index.html").read_text("utf-8")
        policy = json.loads((folder / "charta.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        print(f"charta verify: {folder}: cannot read the site: {error}", file=sys.stderr)
        return 1
    differences = check_revision(policy) + compare(page, policy)
    if differences:
        for difference in differences:
            print(f"{folder}: {difference}", file=sys.stderr)
        print(f"{folder}: page and policy differ ({len(differences)} problems)", file=sys.stderr)
        return 1
    count = len(policy["accept"]["criteria"]) + len(policy["decline"]["criteria"])
    print(f"{folder}: page and policy agree ({count} criteria, {policy['revision'][:19]}…)")
    return 0
