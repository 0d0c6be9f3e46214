"""`charta verify [DIR]`: does a built or deployed page say what its policy says?"""

from __future__ import annotations

import argparse
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
    """Compare each page with the policy; 0 when they agree, 1 with every difference."""
    from ..build import today
    from ..site import check_folder

    folder = Path(args.folder)
    policy, differences = check_folder(folder, today())
    for difference in differences:
        print(f"{args.folder}: {difference}", file=sys.stderr)
    if policy is None or differences:
        print(
            f"{args.folder}: the site does not verify ({len(differences)} problems)",
            file=sys.stderr,
        )
        return 1
    count = len(policy["accept"]["criteria"]) + len(policy["decline"]["criteria"])
    languages = 1 + len(policy["translations"])
    print(
        f"{args.folder}: page and policy agree ({count} criteria in {languages} "
        f"{'language' if languages == 1 else 'languages'}, {policy['revision'][:19]}…)"
    )
    return 0
