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
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also open each page in Chromium (Playwright) at 360 and 1280 px, light and dark, "
        "and printed: every criterion in view, not covered, legible; no script, nothing from "
        "another host",
    )


def run(args: argparse.Namespace) -> int:
    """Compare each page with the policy (and look at it in Chromium with --browser); 0 when
    they agree, 1 with every difference, 2 where --browser cannot run."""
    from ..build import today
    from ..site import check_folder

    folder = Path(args.folder)
    policy, differences = check_folder(folder, today())
    if args.browser and policy is not None:
        from ..in_browser import NoBrowser, look

        try:
            differences += look(folder, policy)
        except NoBrowser as error:
            print(f"charta verify: {error}", file=sys.stderr)
            return 2
    for difference in differences:
        print(f"{args.folder}: {difference}", file=sys.stderr)
    if policy is None or differences:
        count = len(differences)
        problems = "1 problem" if count == 1 else f"{count} problems"
        print(f"{args.folder}: the site does not verify ({problems})", file=sys.stderr)
        return 1
    count = len(policy["accept"]["criteria"]) + len(policy["decline"]["criteria"])
    languages = 1 + len(policy["translations"])
    print(
        f"{args.folder}: page and policy agree ({count} criteria in {languages} "
        f"{'language' if languages == 1 else 'languages'}, {policy['revision'][:19]}…)"
    )
    return 0
