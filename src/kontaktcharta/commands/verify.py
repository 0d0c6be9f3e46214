"""`charta verify [DIR|URL]`: does a built, deployed or published page say what its policy says?"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The folder or address to check."""
    parser.add_argument(
        "folder",
        nargs="?",
        default="output",
        metavar="DIR|URL",
        help="a built site with index.html and charta.json (default: output), or the address "
        "of a published charta's page (http:// or https://), read over HTTP",
    )
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also open each page in Chromium (Playwright) at 360 and 1280 px, light and dark, "
        "and printed: every criterion in view, not covered, legible; no script, nothing from "
        "another host",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="for an address: the most seconds one request may take (default: 10)",
    )


def run(args: argparse.Namespace) -> int:
    """Compare each page with the policy (and look at it in Chromium with --browser); 0 when
    they agree, 1 with every difference, 2 where --browser cannot run or a site does not
    answer."""
    if args.folder.lower().startswith(("http://", "https://")):
        return _run_url(args)
    if args.timeout is not None:
        print("charta verify: --timeout is for an address (http:// or https://)", file=sys.stderr)
        return 2
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
    return _report(args.folder, policy, differences)


def _run_url(args: argparse.Namespace) -> int:
    """`charta verify URL`: the published charta over HTTP(S)."""
    from .. import version
    from ..build import today
    from ..published import check_url
    from ..remote import TIMEOUT, Fetcher, Unanswered

    if args.timeout is not None and not args.timeout > 0:
        print("charta verify: --timeout must be more than 0 seconds", file=sys.stderr)
        return 2
    fetcher = Fetcher(f"kontaktcharta/{version()} (+verify)", args.timeout or TIMEOUT)
    try:
        report = check_url(args.folder, today(), fetcher)
    except Unanswered as error:
        print(f"charta verify: {error}", file=sys.stderr)
        return 2
    for note in report.notes:
        print(note)
    problems = report.problems
    if args.browser and report.policy is not None:
        from ..in_browser import NoBrowser, look_published

        try:
            problems += look_published(report.pages)
        except NoBrowser as error:
            print(f"charta verify: {error}", file=sys.stderr)
            return 2
    return _report(report.site, report.policy, problems, report.warnings)


def _report(
    site: str,
    policy: Mapping[str, Any] | None,
    differences: Sequence[str],
    warnings: Sequence[str] = (),
) -> int:
    """Print every difference and warning, then the verdict; the exit code."""
    for difference in differences:
        print(f"{site}: {difference}", file=sys.stderr)
    for warning in warnings:
        print(f"warning: {site}: {warning}", file=sys.stderr)
    if policy is None or differences:
        count = len(differences)
        problems = "1 problem" if count == 1 else f"{count} problems"
        print(f"{site}: the site does not verify ({problems})", file=sys.stderr)
        return 1
    count = len(policy["accept"]["criteria"]) + len(policy["decline"]["criteria"])
    languages = 1 + len(policy["translations"])
    print(
        f"{site}: page and policy agree ({count} criteria in {languages} "
        f"{'language' if languages == 1 else 'languages'}, {policy['revision'][:19]}…)"
    )
    return 0
