"""`charta init [DIR] [--lang de|en]`: a commented starter charta and an Impressum."""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import ChartaError
from ..policy import dump
from ..schema import CHARTA_FILE, charta_schema

LANGUAGES = ("de", "en")
"""The languages a starter exists in (`kontaktcharta/starter/<lang>/`)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The folder and the starter's language."""
    parser.add_argument(
        "folder",
        nargs="?",
        default=".",
        metavar="DIR",
        help="where the site goes; made if missing (default: the current folder)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="de", help="the starter's language (default: de)"
    )


def run(args: argparse.Namespace) -> int:
    """Write the starter unless any of its files exists; print what was made and what next."""
    from ..build import today

    folder = Path(args.folder)
    files = starter(args.lang, today())
    existing = [folder / name for name in files if (folder / name).exists()]
    if existing:
        for path in existing:
            print(f"{path}: exists already", file=sys.stderr)
        print("nothing was written (charta init never replaces a file)", file=sys.stderr)
        return 1
    for name, text in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
        except OSError as error:
            raise ChartaError.single(str(path), f"cannot write: {error.strerror}") from None
        print(f"Created {path}")
    config = folder / "charta.yaml"
    step = "charta build" if folder == Path() else f"cd {shlex.quote(str(folder))} && charta build"
    print(f"Next: fill in {config} (every key is explained in it), then run: {step}")
    return 0


def starter(lang: str, on: datetime.date) -> dict[str, str]:
    """The starter's files by relative path, dated `on` with a review a year later."""
    texts = dict(_walk(resources.files("kontaktcharta").joinpath("starter", lang), ""))
    texts["charta.yaml"] = (
        texts["charta.yaml"]
        .replace("__UPDATED__", on.isoformat())
        .replace("__REVIEW_BY__", _a_year_after(on).isoformat())
    )
    texts[CHARTA_FILE] = dump(charta_schema()).decode()  # for the editor: see its first line
    return dict(sorted(texts.items()))


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found += _walk(entry, f"{prefix}{entry.name}/")
        elif entry.is_file():
            found.append((prefix + entry.name, entry.read_text("utf-8")))
    return found


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
