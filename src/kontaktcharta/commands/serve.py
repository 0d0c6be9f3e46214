"""`charta serve`: build, serve on 127.0.0.1 and reload the browser on every change."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import add_site_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's options; `--config`, `--out` and `--theme` are the build's."""
    add_site_arguments(parser)
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port",
        default=8000,
        type=_port,
        help="the port; when in use, the next free one (default: 8000; 0: any)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; a failed build shows in the browser and does not stop the server."""
    import asyncio

    from ..build import sources, theme_of

    # Here, so that the build and the other commands start without tornado, livereload and
    # watchfiles.
    from ..serve import Live, ServeError, exposure_warning, serve
    from ..write import check_output

    # Each build checks its folder as it writes; a folder it may not replace is said at once.
    config = Path(args.config)
    check_output(Path(args.out), sources(config, theme_of(config, args.theme)))
    warning = exposure_warning(args.host)
    if warning:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    live = Live(Path(args.config), Path(args.out), args.theme, args.config)
    try:
        asyncio.run(serve(live, args.host, args.port))
    except ServeError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nStopped serving {args.out}/", flush=True)
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r} (0 to 65535)")
    return int(text)
