"""`charta build`: charta.yaml → output/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The build's options."""
    add_site_arguments(parser)
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print errors only, no warnings and no summary"
    )


def add_site_arguments(parser: argparse.ArgumentParser) -> None:
    """What to build from and to: shared by `build` and `serve`."""
    parser.add_argument(
        "--config",
        default="charta.yaml",
        metavar="FILE",
        help="the charta to build (default: charta.yaml)",
    )
    parser.add_argument(
        "--out", default="output", metavar="DIR", help="where the site goes (default: output)"
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="a theme's name (of themes/, built in or installed) or folder (./mine); "
        "overrides the charta's theme: (default: that, else default)",
    )


def run(args: argparse.Namespace) -> int:
    """Build once; print warnings and a one-line summary."""
    from ..build import build  # here, so that other commands start without the build's imports

    site, seconds = build(Path(args.config), Path(args.out), args.theme, label=args.config)
    if not args.quiet:
        for warning in site.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        size = sum(len(data) for data in site.files.values())
        print(
            f"Built {args.out}/ from {args.config}: {len(site.files)} files, "
            f"{size / 1024:.1f} KiB in {seconds:.2f} s"
        )
    return 0
