"""The JavaScript package (js/) decides as Python does: the package as `npm pack` makes it,
installed from its tarball where nothing else is, passes the conformance suite in Node and in
Chromium under a Content-Security-Policy without 'unsafe-eval'; its source (js/src) decides
chartas and random policies with random requests as Python does, as whole decisions."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import hashlib
import http.server
import itertools
import json
import random
import re
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from kontaktcharta.build import render_site
from kontaktcharta.decide import Policy, RequestError, decide
from kontaktcharta.messages import MessageTooLong
from kontaktcharta.rules import RuleError
from policies import whole_policy
from test_reference import policies, requests

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "js"
SUITE = ROOT / "conformance"
RUNTIME = JS / "node_modules" / "@marcbachmann" / "cel-js"
DRIVER = ROOT / "tests" / "node" / "decide.mjs"
CHARTAS = [
    ROOT / "charta.yaml",
    *sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml")),
    *sorted((ROOT / "examples").glob("*/charta.yaml")),
    *sorted((SUITE / "chartas").glob("*.yaml")),
]
NAMES = [
    None,
    "Max Muster",
    "  Anna\n  Berg  ",
    "Eve\u202egnilrac",
    "Zoe\u200b\u2060 Zero",
    "Ada\x1b[31m Lovelace",
    "Björn Ünal-Øster",
    "\u3164\u200d",
    " ".join(["Maximiliane"] * 9),
    "Ωmega " * 20,
    "{url} %s",
    "",
]
"""Requesters' names: none, plain, with line breaks, a bidi override, zero-width characters, a
terminal escape, letters beyond ASCII, only invisible characters, too long, placeholders, empty."""
EVAL = re.compile(
    r"(?<![\w$])eval\b|(?<![\w$.])Function\s*\(|\bnew\s+Function\b|\.constructor\s*\(\s*['\"`]"
    r"|\b(?:setTimeout|setInterval)\s*\(\s*['\"`]"
)
"""What runs a string as code: eval (called or passed on, as `(0, eval)(…)`), Function, a
constructor given source, timers given source. A word `eval` in a comment counts too: strict."""


@functools.cache
def node() -> str:
    """Node.js and the package's installed dependency; fail (never skip) where either is missing."""
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node.js is needed for this test (.ci/run installs it with the npm tools)")
    if not (RUNTIME / "package.json").is_file():
        pytest.fail(
            f"{RUNTIME.relative_to(ROOT)} is missing: run `npm ci` in js/ (as .ci/run does)"
        )
    return found


def suite_files(part: str) -> list[Path]:
    """The conformance suite's files of one part; fail where the suite is missing."""
    files = sorted((SUITE / part).glob("*.json"))
    if not files:
        pytest.fail(f"no conformance suite in {SUITE / part} (python conformance/generate.py)")
    return files


def suite_cases(part: str) -> int:
    """How many cases a part of the suite holds: each request of decide/, each group of refuse/."""
    groups = [g for path in suite_files(part) for g in json.loads(path.read_text("utf-8"))]
    return sum(len(g["cases"]) for g in groups) if part == "decide" else len(groups)


# -- As npm packs it: the tarball installed into an empty folder, once for all these tests: the
# suite in Node here and in Chromium below, what it holds and what it decides at the end -------


@dataclasses.dataclass(frozen=True)
class Installed:
    """The package as `npm pack` made it, installed from that tarball into an empty folder."""

    tarball: Path
    """The tarball `npm pack` wrote."""
    home: Path
    """The folder npm installed it into, with its dependency from npm (the local cache first)."""

    @property
    def package(self) -> Path:
        """The installed package's folder."""
        return self.home / "node_modules" / "kontaktcharta"

    @property
    def runtime(self) -> Path:
        """The CEL runtime npm installed with it."""
        return self.home / "node_modules" / "@marcbachmann" / "cel-js"


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The package packed and installed once, for every test of it as it ships."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed for this test (it comes with Node.js)")
    out = tmp_path_factory.mktemp("pack")
    done = subprocess.run(
        [npm, "pack", "--json", "--pack-destination", str(out)],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    tarball = out / json.loads(done.stdout)[0]["filename"]
    home = tmp_path_factory.mktemp("installed")
    (home / "package.json").write_text('{"name": "uses-kontaktcharta", "private": true}', "utf-8")
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefer-offline", str(tarball)],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Installed(tarball, home.resolve())


@pytest.mark.parametrize("part", ["decide", "refuse"])
def test_the_installed_package_passes_the_conformance_suite_in_node(
    part: str, packed: Installed
) -> None:
    """The suite's runner (js/test/conformance.mjs) run from a module beside the installation,
    which imports the package by its name, as its users do."""
    expected = suite_cases(part)
    runner = packed.home / "conformance.mjs"
    runner.write_text(
        "import * as kc from 'kontaktcharta'\n"
        f"import {{conformance}} from '{(JS / 'test' / 'conformance.mjs').as_uri()}'\n"
        "console.log(import.meta.resolve('kontaktcharta'))\n"
        "process.exitCode = conformance(kc, process.argv.slice(2))\n",
        "utf-8",
    )
    done = subprocess.run(
        [node(), str(runner), str(SUITE), "--only", part, "--json"],
        cwd=packed.home,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (packed.package / "src" / "index.js").as_uri()  # not js/src
    counts = json.loads(lines[-1])
    assert counts == {"cases": expected, "groups": counts["groups"], "differences": 0}


def test_the_package_api_in_node() -> None:
    """What only JavaScript has (its numbers, undefined, object keys, the compiled policy kept
    for its object, the errors' fields): js/test/api.test.mjs, with Node's test runner."""
    done = subprocess.run(
        [node(), "--test", "js/test/api.test.mjs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr
    assert re.search(r"^# fail 0$", done.stdout, re.M), done.stdout[-2000:]


def python_outcome(policy: Policy, request: Any, name: str | None) -> dict[str, Any]:
    """What the Python package gives, in the form the Node driver writes it."""
    try:
        return {"result": decide(policy, request, name).to_json()}
    except RequestError as error:
        text = str(error)
        path = "" if text.startswith("a request ") else text.split(": ", 1)[0]
        return {"error": {"kind": "request", "path": path}}
    except RuleError as error:
        found = re.search(r"criterion '([^']+)'", str(error))
        assert found is not None, error
        return {"error": {"kind": "rule", "criterion": found[1]}}
    except MessageTooLong:
        return {"error": {"kind": "message"}}


def compare(groups: list[tuple[dict[str, Any], list[tuple[Any, str | None]]]]) -> list[Any]:
    """Decide each group's requests with each name in Python and in Node; assert they give the
    same, whole decisions as JSON; return Python's outcomes."""
    python = []
    for data, cases in groups:
        policy = Policy.from_json(data)
        python.append([python_outcome(policy, request, name) for request, name in cases])
    given = [
        {"policy": data, "cases": [{"request": r, "name": n} for r, n in cases]}
        for data, cases in groups
    ]
    done = subprocess.run(
        [node(), str(DRIVER)],
        input=json.dumps(given, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    javascript = json.loads(done.stdout)
    for (_, cases), ours, theirs in zip(groups, python, javascript, strict=True):
        for (request, name), expected, found in zip(cases, ours, theirs, strict=True):
            assert found == expected, (request, name)
    return python


def varied_requests(policy: dict[str, Any], count: int, seed: int) -> list[dict[str, Any]]:
    """The policy's examples and varied requests: any platform or none, each fact given one of
    several values or left out, judgements given or not; one in twenty does not fit."""
    rng = random.Random(seed)
    samples = {
        "bool": [True, False],
        "int": [0, 1, 3, 7, 12, -4],
        "double": [0.0, 0.5, 0.75, 2.0, 4.0],
        "string": ["Hallo", "Kontakte schaden nur dem, der keine hat", "Hi 👋", "<script>", ""],
    }
    platforms = [None, *(p["id"] for p in policy["platforms"])]
    judgeable = [
        c["id"]
        for side in ("accept", "decline")
        for c in policy[side]["criteria"]
        if "when" not in c and not c.get("otherwise")
    ]
    made = [e["request"] for e in policy["examples"]]
    for _ in range(count):
        request: dict[str, Any] = {"facts": {}}
        platform = rng.choice(platforms)
        if platform is not None:
            request["platform"] = platform
        for fact in policy["facts"]:
            if rng.random() < 0.7:
                request["facts"][fact["name"]] = rng.choice(
                    fact.get("values") or samples[fact["type"]]
                )
        request["judgements"] = {
            i: rng.choice([True, False]) for i in judgeable if rng.random() < 0.6
        }
        if rng.random() < 0.05:
            request[rng.choice(["colour", "platform"])] = "myspace"
        made.append(request)
    return made


@pytest.mark.parametrize("charta", CHARTAS, ids=[f"{c.parent.name}/{c.stem}" for c in CHARTAS])
def test_the_package_decides_each_charta_as_python_does(charta: Path) -> None:
    policy = json.loads(render_site(charta, label=charta.name).files["charta.json"])
    cases = [
        (request, NAMES[i % len(NAMES)])
        for i, request in enumerate(varied_requests(policy, 1500, seed=7))
    ]
    python = compare([(policy, cases)])
    kinds = {o["result"]["decision"] for o in python[0] if "result" in o}
    assert len(kinds) >= 2, kinds  # the requests reach more than one outcome
    assert any("error" in o for o in python[0])  # and some are refused


RULES = [
    "a && b",
    "!a || b",
    "a ? count > 10 : ratio > 0.5",
    "[1, 2, 3].exists(n, n == count)",
    "count / divisor > 1",
    "count % divisor == 1",
    "-count < 0",
    "b && 100 / count > 20",
    "100 / count > 20 && b",
    "b || 100 / count > 20",
    "100 / count > 20 || b",
    "text.contains(string(100 / count))",
    "[text, string(100 / count)].size() > 1",
    "[0, 1].filter(x, x == 0 ? 1 / x > 0 : b).size() > 0",
    "[0, 1].exists_one(x, x == 1 ? 1 / (x - 1) > 0 : b)",
    "[0, 1].all(x, x == 1 ? 1 / (x - 1) > 0 : b)",
    "int(ratio * 1e19) > 0",
    "int(text) > 3",
    "text < '\\uffff'",
    "text.startsWith('Hi') && text.size() < 6",
    "size(text) > 4 || ratio < 0.1",
    "text in ['Hi', 'NO'] || count in [4, 6]",
    "ratio * 2.0 >= 1.5 && !(count > 5)",
]
"""Rules where CEL's logic over missing facts, its failures, numbers and strings matter."""


def test_the_package_evaluates_rules_as_python_does() -> None:
    facts = [
        {"name": "a", "type": "bool", "question": "a?"},
        {"name": "b", "type": "bool", "question": "b?"},
        {"name": "count", "type": "int", "question": "count?"},
        {"name": "divisor", "type": "int", "question": "divisor?"},
        {"name": "ratio", "type": "double", "question": "ratio?"},
        {"name": "text", "type": "string", "question": "text?"},
    ]
    values: dict[str, list[Any]] = {
        "a": [True, False],
        "b": [True, False],
        "count": [0, 4, 6, 12, -(2**63), 2**63 - 1],
        "divisor": [0, 2, -1],
        "ratio": [0.05, 0.75, 2.0],
        "text": ["Hi", "Hi 👋", "NO", " 7 ", "\U0001f44b", ""],
    }
    rng = random.Random(11)
    groups = []
    url = "https://erika.example/k/"

    def criterion(side: str, id_: str, when: str) -> dict[str, Any]:
        return {"id": id_, "text": when, "html": when, "link": f"{url}#{side}-{id_}", "when": when}

    for index, rule in enumerate(RULES):
        data = whole_policy(
            url=url,
            lang="en",
            facts=facts,
            accept={
                "title": "Yes",
                "match": "any",
                "criteria": [criterion("accept", f"r{index}", rule)],
            },
            decline={"title": "No", "criteria": [criterion("decline", "d", "a && !b")]},
        )
        cases = []
        for _ in range(120):
            given = {k: rng.choice(v) for k, v in values.items() if rng.random() < 0.7}
            cases.append(({"facts": given}, None))
        groups.append((data, cases))
    outcomes = [o for group in compare(groups) for o in group]
    assert any(o.get("error", {}).get("kind") == "rule" for o in outcomes)  # failures are met
    assert any(o.get("result", {}).get("decision") == "review" for o in outcomes)  # open ones too


def test_the_package_decides_facts_named_like_what_objects_carry_as_python_does() -> None:
    names = ["constructor", "toString", "hasOwnProperty", "valueOf"]
    url = "https://erika.example/k/"

    def criterion(side: str, id_: str, when: str) -> dict[str, Any]:
        return {"id": id_, "text": when, "html": when, "link": f"{url}#{side}-{id_}", "when": when}

    data = whole_policy(
        url=url,
        lang="en",
        facts=[{"name": name, "type": "bool", "question": f"{name}?"} for name in names],
        accept={
            "title": "Yes",
            "match": "any",
            "criteria": [criterion("accept", "both", "constructor && toString")],
        },
        decline={
            "title": "No",
            "criteria": [criterion("decline", "either", "hasOwnProperty || !valueOf")],
        },
    )
    cases: list[tuple[Any, str | None]] = []
    for values in itertools.product([None, True, False], repeat=len(names)):
        facts = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        cases.append(({"facts": facts}, "Max Muster"))
    outcomes = compare([(data, cases)])[0]
    decisions = {o["result"]["decision"] for o in outcomes}
    assert decisions == {"accept", "decline", "review"}


def test_the_package_decides_random_policies_as_python_does() -> None:
    drawn: list[tuple[dict[str, Any], list[tuple[Any, str | None]]]] = []

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        policy = data.draw(policies())
        names = st.sampled_from(NAMES)
        drawn.append((policy, [(data.draw(requests(policy)), data.draw(names)) for _ in range(12)]))

    draw()  # hypothesis only makes the policies here; one Node process decides them all
    compare(drawn)


# -- In Chromium, under a Content-Security-Policy without 'unsafe-eval' --------------------

PAGE = JS / "test" / "browser.html"
"""The page that runs the suite with the package's modules (and js/test/browser.mjs)."""
# The page imports the package's modules from /kontaktcharta/ and the runtime from /cel-js/;
# the server serves them from where npm installed the packed tarball (`packed`), not js/src.


def page_policy() -> str:
    """The Content-Security-Policy the page is served with: scripts from the page's own origin,
    and the inline import map by its hash; no 'unsafe-eval', no 'unsafe-inline'."""
    found = re.search(r'<script type="importmap">(.*?)</script>', PAGE.read_text("utf-8"), re.S)
    assert found is not None, "the page has an import map"
    digest = base64.b64encode(hashlib.sha256(found[1].encode()).digest()).decode()
    return f"script-src 'self' 'sha256-{digest}'; object-src 'none'; base-uri 'none'"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the page, the package's modules, the CEL runtime, the tests' modules and the
    suite, each from the folder `ROUTES` names and with the page's Content-Security-Policy."""

    extensions_map: ClassVar[dict[str, str]] = {
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".html": "text/html",
    }
    ROUTES: ClassVar[dict[str, Path]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/":
            return self._send(PAGE.read_bytes(), "text/html; charset=utf-8")
        if path == "/conformance/files.json":
            names = [f"{p}/{f.name}" for p in ("decide", "refuse") for f in suite_files(p)]
            return self._send(json.dumps(names).encode(), "application/json")
        for prefix, folder in self.ROUTES.items():
            if path.startswith(prefix):
                file = (folder / path[len(prefix) :]).resolve()
                if file.is_file() and file.is_relative_to(folder.resolve()):
                    kind = self.extensions_map.get(file.suffix, "application/octet-stream")
                    return self._send(file.read_bytes(), kind)
        self.send_error(404)
        return None

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", page_policy())
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(installed: Installed) -> Iterator[str]:
    """The page on 127.0.0.1 at a free port until the block ends, with the package and its
    runtime as npm installed them from the tarball."""

    class Handler(_Handler):
        ROUTES: ClassVar[dict[str, Path]] = {
            "/kontaktcharta/": installed.package / "src",
            "/cel-js/": installed.runtime,
            "/test/": JS / "test",
            "/conformance/": SUITE,
        }

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="serve js", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.browser
def test_the_installed_package_passes_the_conformance_suite_in_chromium_without_eval(
    page: Page, packed: Installed
) -> None:
    expected = suite_cases("decide") + suite_cases("refuse")
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    with served(packed) as url:
        page.goto(url)
        page.wait_for_selector("#result", state="attached", timeout=300_000)
        found = json.loads(page.text_content("#result") or "{}")
    # The page's policy is in force: its own attempt to turn a string into code was refused
    # and reported as a violation.
    assert found["probe"] == "EvalError"
    assert len(found["probeViolations"]) == 1 and "eval" in found["probeViolations"][0]
    # The package ran the whole suite under it, without a violation or an error.
    assert "error" not in found, found.get("error")
    assert console == []
    assert found["violations"] == []
    assert found["differences"] == []
    assert found["cases"] == expected


# -- What npm packs ---------------------------------------------------------------------------


def test_npm_pack_holds_the_package_and_its_one_dependency(packed: Installed) -> None:
    tarball, home = packed.tarball, packed.home
    with tarfile.open(tarball) as archive:
        shipped = {name.removeprefix("package/") for name in archive.getnames()}
    modules = {f"src/{p.name}" for p in (JS / "src").glob("*.js")}
    assert shipped == {"LICENSE", "README.md", "index.d.ts", "package.json", *modules}
    installed = sorted(p.name for p in (home / "node_modules").iterdir() if p.name[0] != ".")
    assert installed == ["@marcbachmann", "kontaktcharta"]  # the CEL runtime, and nothing more
    assert [p.name for p in (home / "node_modules" / "@marcbachmann").iterdir()] == ["cel-js"]


def test_the_installed_package_decides_as_python_does(packed: Installed) -> None:
    home = packed.home
    policy = json.loads(render_site(ROOT / "charta.yaml").files["charta.json"])
    (home / "charta.json").write_text(json.dumps(policy), "utf-8")
    script = home / "decide.mjs"
    script.write_text(
        "import {readFileSync} from 'node:fs'\n"
        "import {decide} from 'kontaktcharta'\n"
        "const policy = JSON.parse(readFileSync('charta.json', 'utf8'))\n"
        "const cases = JSON.parse(readFileSync(0, 'utf8'))\n"
        "console.log(JSON.stringify(cases.map(([r, name]) => decide(policy, r, {name}))))\n",
        "utf-8",
    )
    cases = [(r, NAMES[i % 3]) for i, r in enumerate(varied_requests(policy, 40, seed=3))]
    cases = [(r, n) for r, n in cases if "colour" not in r and r.get("platform") != "myspace"]
    done = subprocess.run(
        [node(), str(script)],
        input=json.dumps(cases),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    compiled = Policy.from_json(policy)
    expected = [decide(compiled, r, n).to_json() for r, n in cases]
    assert json.loads(done.stdout) == expected


README = JS / "README.md"


def readme_example(first_line: str) -> str:
    """The ```js example of js/README.md that starts with this line."""
    examples: list[str] = re.findall(r"^```js\n(.*?)^```$", README.read_text("utf-8"), re.S | re.M)
    found = [example for example in examples if example.startswith(first_line)]
    assert len(found) == 1, f"js/README.md has one example starting {first_line!r}"
    return found[0]


def run_in(home: Path, script: Path, stdin: str = "") -> str:
    """What a Node script run in `home` prints; it must exit 0."""
    done = subprocess.run(
        [node(), str(script)],
        input=stdin,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_readme_example_in_node_runs_as_written(packed: Installed) -> None:
    home = packed.home
    (home / "output").mkdir(exist_ok=True)
    policy = render_site(ROOT / "charta.yaml").files["charta.json"]
    (home / "output" / "charta.json").write_bytes(policy)
    script = home / "readme-node.mjs"
    script.write_text(readme_example("import {readFile} from 'node:fs/promises'"), "utf-8")
    assert (
        run_in(home, script) == 'facts.met facts.met: expected a bool (true or false), got "ja"\n'
    )


def test_the_readme_structure_names_every_module() -> None:
    text = README.read_text("utf-8")
    table = text.split("\n## Structure\n", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"^\| `(src/[^`]+)` \|", table, re.M)
    assert sorted(named) == sorted(f"src/{p.name}" for p in (JS / "src").glob("*.js"))


class _Policies(http.server.BaseHTTPRequestHandler):
    """Serves `BODIES` by path: (body, whether a Content-Length says its size)."""

    BODIES: ClassVar[dict[str, tuple[bytes, bool]]] = {}

    def do_GET(self) -> None:
        body, sized = self.BODIES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if sized:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the reader may stop early
            for at in range(0, len(body), 65536):
                self.wfile.write(body[at : at + 65536])

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_readme_extension_example_decides_and_bounds_what_it_reads(packed: Installed) -> None:
    """background.js of js/README.md, given a stand-in for `chrome`: it decides by the policy at
    each URL, even where two publish the same revision, and refuses more than 4 MiB, whether
    the answer says its size or not. content.js is a classic script."""
    home = packed.home
    first = json.loads(render_site(ROOT / "charta.yaml").files["charta.json"])
    second = json.loads(json.dumps(first))  # another policy, published with the same revision
    second["accept"]["criteria"] = [c for c in first["accept"]["criteria"] if c["id"] != "met"]
    second["translations"] = {}
    largest = 4 * 1024 * 1024
    padded = b" " * (largest - 1) + b"{}"  # JSON, one byte too large

    class Handler(_Policies):
        BODIES: ClassVar[dict[str, tuple[bytes, bool]]] = {
            "/a/charta.json": (json.dumps(first).encode(), True),
            "/b/charta.json": (json.dumps(second).encode(), False),
            "/sized.json": (padded, True),
            "/unsized.json": (padded, False),
        }

    request = {"platform": "xing", "facts": {"met": True, "pitch": False, "group_only": False}}
    expected = [
        decide(Policy.from_json(data), request, "Max Muster").to_json() for data in (first, second)
    ]
    assert expected[0] != expected[1]
    (home / "background.mjs").write_text(readme_example("// background.js"), "utf-8")
    harness = home / "extension.mjs"
    harness.write_text(
        "import {readFileSync} from 'node:fs'\n"
        "const listeners = []\n"
        "globalThis.chrome = {runtime: {onMessage: {addListener: (f) => listeners.push(f)}}}\n"
        "await import('./background.mjs')\n"
        "const ask = (message) => new Promise((reply) => listeners[0](message, {}, reply))\n"
        "for (const message of JSON.parse(readFileSync(0, 'utf8')))\n"
        "  console.log(JSON.stringify(await ask(message)))\n",
        "utf-8",
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="serve policies", daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        paths = [
            "/a/charta.json",
            "/b/charta.json",
            "/a/charta.json",
            "/sized.json",
            "/unsized.json",
        ]
        asked = [
            {"type": "decide", "policy": base + path, "request": request, "name": "Max Muster"}
            for path in paths
        ]
        replies = [
            json.loads(line) for line in run_in(home, harness, json.dumps(asked)).splitlines()
        ]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert [reply.get("decision") for reply in replies[:3]] == [*expected, expected[0]]
    for path, reply in zip(paths[3:], replies[3:], strict=True):
        assert reply == {"error": "Error", "message": f"{base}{path}: larger than {largest} bytes"}
    content = home / "content.cjs"
    content.write_text(
        "new (require('node:vm').Script)(require('node:fs').readFileSync(0, 'utf8'))\n", "utf-8"
    )
    run_in(home, content, readme_example("// content.js"))  # parses as a classic script


def test_nothing_shipped_turns_a_string_into_code(packed: Installed) -> None:
    modules = packed.home / "node_modules"
    scripts = [p for p in modules.rglob("*") if p.suffix in (".js", ".mjs", ".cjs") and p.is_file()]
    assert any("kontaktcharta" in p.parts for p in scripts)
    assert any("cel-js" in p.parts for p in scripts)
    found = [
        f"{p.relative_to(modules)}:{n}: {line.strip()}"
        for p in scripts
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if EVAL.search(line)
    ]
    assert found == []
