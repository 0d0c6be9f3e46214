"""Screenshots of the example charta for the docs: `python bench/screenshots.py`.

Builds charta.yaml into bench/.work/site, then writes into docs/screenshots/ a full-page PNG at
360, 768 and 1280 px wide in the light and the dark colour scheme (`<width>-<scheme>.png`) and
the pages of Chromium's print PDF (`print-<n>.png`). Needs Debian's chromium and poppler-utils.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS  # noqa: E402  (one list of Chromium flags for tests and benches)

CHROMIUM = "/usr/bin/chromium"
WORK = ROOT / "bench" / ".work"
SHOTS = ROOT / "docs" / "screenshots"
WIDTHS = (360, 768, 1280)
SCHEMES = ("light", "dark")
PRINT_DPI = 60  # small enough for the repository, large enough to see the layout


def build_example(out: Path) -> None:
    """Build charta.yaml into `out`, as `python build.py` does."""
    from kontaktcharta.cli import main

    shutil.rmtree(out, ignore_errors=True)
    code = main(["build", "--config", str(ROOT / "charta.yaml"), "--out", str(out), "--quiet"])
    if code != 0:
        sys.exit(f"the build failed with exit code {code}")


def shoot(site: Path, shots: Path) -> list[Path]:
    """Take the screenshots of `site/index.html` into `shots`; return the files written."""
    url = (site / "index.html").as_uri()
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            for scheme in SCHEMES:
                context = browser.new_context(
                    viewport={"width": width, "height": 800},
                    color_scheme=scheme,  # type: ignore[arg-type]
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(url)
                path = shots / f"{width}-{scheme}.png"
                page.screenshot(path=path, full_page=True)
                written.append(path)
                context.close()
        page = browser.new_page()
        page.goto(url)
        pdf = WORK / "print.pdf"
        # Playwright prints edge to edge; a browser's print dialog leaves about 1 cm.
        page.pdf(
            path=pdf,
            format="A4",
            margin={"top": "1cm", "right": "1cm", "bottom": "1cm", "left": "1cm"},
        )
        browser.close()
    for old in shots.glob("print-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(PRINT_DPI), str(pdf), str(shots / "print")], check=True
    )
    return written + sorted(shots.glob("print-*.png"))


def main() -> int:
    """Build the example and write the screenshots; print each file with its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    site = WORK / "site"
    build_example(site)
    for path in shoot(site, SHOTS):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
