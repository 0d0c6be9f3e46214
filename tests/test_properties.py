"""Properties: a valid charta builds a site that agrees with itself; a broken one is named."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kontaktcharta.build import Site, render_site
from kontaktcharta.errors import ChartaError
from kontaktcharta.site import OUTPUTS, Memory

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "charta.yaml").read_text("utf-8")
CEL_RESERVED = {"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for"}
CEL_RESERVED |= {"function", "if", "import", "let", "loop", "package", "namespace", "return"}
CEL_RESERVED |= {"var", "void", "while", "platform"}
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Texts


WORD = st.text(
    st.characters(
        categories=["L", "N", "Zs", "P", "S", "Mn"],
        exclude_characters="[]<>`\\!\u2028\u2029\x85",  # links, HTML and code come from PIECES
    ),
    min_size=1,
    max_size=12,
)
PIECES = st.sampled_from(
    [
        "*betont*",
        "**stark**",
        "`code <b>`",
        "[Link](https://example.org/a?b=1&c=2)",
        "[Mail](mailto:a@example.org)",
        "[Anker](#decline)",
        "<script>alert(1)</script>",
        "a < b > c",
        "&amp; &lt; &#60; &unknown;",
        "{name} {{ x }} {0}",
        "Zitat \"so\" und 'so'",
        "Umlaute äöü ß – „typografisch“ …",
        "\u202etext\u202c zero\u200bwidth",
        "\\*kein Stern\\*",
        "Ende.",
        "# keine Überschrift",
        "- kein Punkt",
        "1. keine Zahl",
    ]
)
SEPARATOR = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u2003"])


@st.composite
def texts(draw: st.DrawFn, max_parts: int = 6) -> str:
    """A text someone might write: words, Markdown, HTML-like and special characters."""
    parts = draw(st.lists(st.one_of(WORD, PIECES), min_size=1, max_size=max_parts))
    separators = draw(st.lists(SEPARATOR, min_size=len(parts), max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, separators, strict=True)).strip()
    return text if text.strip() else "x"


def plain(text: str) -> str:
    """A one-paragraph text: no blank line (Markdown blocks stay one paragraph)."""
    return " ".join(text.split("\n"))


# Chartas

SLUG = st.builds(
    lambda head, tail: head + (f"-{tail}" if tail else ""),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6),
    st.text("abcxyz019", max_size=3),
)
NAME = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda n: n not in CEL_RESERVED
)
URL = st.sampled_from(
    ["https://example.org/", "https://example.org/charta/", "http://example.org/a/b?c=d&e=f"]
)
DATE = st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))


@st.composite
def facts(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Declared facts with types, questions and sometimes allowed values."""
    names = draw(st.lists(NAME, max_size=4, unique=True))
    declared = {}
    for name in names:
        kind = draw(st.sampled_from(["bool", "int", "double", "string"]))
        fact: dict[str, Any] = {"type": kind, "question": draw(texts(4))}
        if kind == "string" and draw(st.booleans()):
            fact["values"] = draw(st.lists(WORD, min_size=1, max_size=3, unique=True))
        declared[name] = fact
    return declared


@st.composite
def rules(draw: st.DrawFn, declared: dict[str, dict[str, Any]]) -> str:
    """A simple `when` expression over the declared facts (and `platform`)."""

    def atom(name: str) -> str:
        kind = declared[name]["type"] if name != "platform" else "string"
        if kind == "bool":
            return draw(st.sampled_from([name, f"!{name}"]))
        if kind == "int":
            op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
            return f"{name} {op} {draw(st.integers(-5, 100))}"
        if kind == "double":
            return f"{name} {draw(st.sampled_from(['<', '>=']))} {draw(st.floats(0, 1)):.2f}"
        if name == "platform":
            return f"platform == {json.dumps(draw(SLUG))}"
        values = declared[name].get("values") or [draw(WORD)]
        value = json.dumps(draw(st.sampled_from(values)), ensure_ascii=False)
        listed = json.dumps(values, ensure_ascii=False)
        return draw(
            st.sampled_from(
                [f"{name} == {value}", f"{name}.contains({value})", f"{name} in {listed}"]
            )
        )

    names = [*declared, "platform"]
    atoms = [atom(draw(st.sampled_from(names))) for _ in range(draw(st.integers(1, 3)))]
    joined = atoms[0]
    for more in atoms[1:]:
        joined = f"({joined}) {draw(st.sampled_from(['&&', '||']))} {more}"
    return joined


@st.composite
def chartas(draw: st.DrawFn) -> dict[str, Any]:
    """A valid charta as the mapping `charta.yaml` holds."""
    declared = draw(facts())
    platforms = draw(st.lists(SLUG, max_size=3, unique=True))
    ids = draw(st.lists(SLUG, min_size=2, max_size=7, unique=True))
    split = draw(st.integers(1, len(ids) - 1))

    def criterion(id: str) -> dict[str, Any]:
        made: dict[str, Any] = {"id": id, "text": plain(draw(texts()))}
        if draw(st.booleans()):
            made["when"] = draw(rules(declared))
        if platforms and draw(st.booleans()):
            made["platforms"] = draw(st.lists(st.sampled_from(platforms), min_size=1, unique=True))
        if draw(st.booleans()):
            made["reason"] = plain(draw(texts(4)))
        return made

    accept = [criterion(i) for i in ids[:split]]
    decline = [criterion(i) for i in ids[split:]]
    if draw(st.booleans()):
        decline[-1] = {k: v for k, v in decline[-1].items() if k != "when"} | {"otherwise": True}
    charta: dict[str, Any] = {
        "charta": 1,
        "lang": draw(st.sampled_from(["de", "en", "en-GB", "fr"])),
        "title": plain(draw(texts(4))),
        "owner": {"name": plain(draw(texts(3)))},
        "updated": draw(DATE).isoformat(),
        "accept": {"title": plain(draw(texts(3))), "criteria": accept},
        "decline": {"title": plain(draw(texts(3))), "criteria": decline},
        "declined": {"title": plain(draw(texts(3))), "text": draw(texts(10))},
    }
    if draw(st.booleans()):
        charta["accept"]["match"] = draw(st.sampled_from(["any", "all"]))
    optional: dict[str, Callable[[], Any]] = {
        "url": lambda: draw(URL),
        "review_by": lambda: draw(DATE).isoformat(),
        "intro": lambda: draw(texts(10)),
        "goal": lambda: draw(texts(10)),
        "based_on": lambda: (
            {"text": plain(draw(texts(4)))}
            | draw(st.sampled_from([{}, {"url": "https://example.org/x"}]))
        ),
    }
    for key, make in optional.items():
        if draw(st.booleans()):
            charta[key] = make()
    if draw(st.booleans()):
        charta["owner"]["url"] = draw(URL)
    if platforms:
        charta["platforms"] = [
            {
                "id": p,
                "name": plain(draw(texts(2))),
                "use": draw(st.sampled_from(["business", "private", "mixed"])),
            }
            | draw(
                st.sampled_from(
                    [{}, {"profile": "https://example.org/p"}, {"message_limit": 100_000}]
                )
            )
            for p in platforms
        ]
    if declared:
        charta["facts"] = declared
    alternatives = draw(st.lists(texts(4).map(plain), max_size=3))
    if alternatives:
        charta["declined"]["alternatives"] = [
            {"text": a}
            | draw(
                st.sampled_from(
                    [{}, {"url": "https://example.org/n"}, {"url": "mailto:a@example.org"}]
                )
            )
            for a in alternatives
        ]
    if draw(st.booleans()):
        charta["messages"] = {
            "decline": plain(draw(texts(4))) + " {name} {reasons} {url} {alternatives}"
        }
    if draw(st.booleans()):
        charta["translations"] = {
            ("it" if charta["lang"] == "en" else "en"): draw(translation(charta))
        }
    return charta


@st.composite
def translation(draw: st.DrawFn, charta: dict[str, Any]) -> dict[str, Any]:
    """Every text of `charta` in another language."""

    def section(name: str) -> dict[str, Any]:
        criteria = {}
        for c in charta[name]["criteria"]:
            criteria[c["id"]] = {"text": plain(draw(texts(4)))}
            if "reason" in c:
                criteria[c["id"]]["reason"] = plain(draw(texts(3)))
        return {"title": plain(draw(texts(3))), "criteria": criteria}

    made: dict[str, Any] = {
        "title": plain(draw(texts(3))),
        "accept": section("accept"),
        "decline": section("decline"),
        "declined": {"title": plain(draw(texts(2))), "text": draw(texts(6))},
    }
    for key in ("intro", "goal"):
        if key in charta:
            made[key] = draw(texts(6))
    if "based_on" in charta:
        made["based_on"] = {"text": plain(draw(texts(3)))}
    if "facts" in charta:
        made["facts"] = {name: {"question": plain(draw(texts(3)))} for name in charta["facts"]}
    if "alternatives" in charta["declined"]:
        made["declined"]["alternatives"] = [
            {"text": plain(draw(texts(3)))} for _ in charta["declined"]["alternatives"]
        ]
    if "messages" in charta:
        made["messages"] = {"decline": "{name}: {reasons} – {url} {alternatives}"}
    return made


# Checks


def build(text: str) -> Site:
    """Render a charta written as `text` from a file of its own; raise what the build raises."""
    with tempfile.TemporaryDirectory() as folder_:
        config = Path(folder_) / "charta.yaml"
        config.write_text(text, "utf-8")
        return render_site(config, label="charta.yaml")


def disagreements(site: Site) -> list[str]:
    """Every way a built site's pages and its policy differ, in every language."""
    policy = json.loads(site.files["charta.json"])
    files = Memory(site.files)
    return [f"{d.file}: {d.message}" for output in OUTPUTS for d in output.check(files, policy)]


@SETTINGS
@given(chartas())
def test_every_valid_charta_builds_a_site_that_agrees_validates_and_repeats(
    charta: dict[str, Any],
) -> None:
    text = yaml.safe_dump(charta, allow_unicode=True, sort_keys=False)
    site = build(text)
    assert disagreements(site) == []
    schema = json.loads(site.files["charta.schema.json"])
    jsonschema.Draft202012Validator(schema).validate(json.loads(site.files["charta.json"]))
    assert build(text).files == site.files


# Mutations of the example

WHOLE_FILE = {"the file is empty (expected a charta; `charta init` writes a starter)"}
"""Problems of the whole file, which have no line."""


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The example charta.yaml with a few mistakes a person might make."""
    lines = EXAMPLE.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "indent", "insert", "retype", "truncate"]
            )
        )
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            change = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
            lines[at] = " " * change + lines[at] if change > 0 else lines[at][-change:]
        elif kind == "insert":
            where = draw(st.integers(0, len(lines[at])))
            noise = draw(
                st.text(
                    st.sampled_from("\t:&*!|>{}[],#%@`'\"-? \\ä\u00a0\u2028"),
                    min_size=1,
                    max_size=3,
                )
            )
            lines[at] = lines[at][:where] + noise + lines[at][where:]
        elif kind == "retype" and ": " in lines[at]:
            key = lines[at].split(": ", 1)[0]
            other = draw(
                st.sampled_from(
                    [
                        "[1, 2]",
                        "{a: b}",
                        "123",
                        "-1",
                        "1.5",
                        "true",
                        "no",
                        "null",
                        "~",
                        '""',
                        "2026-13-45",
                        "|",
                        ">-",
                        "&anchor x",
                        "*alias",
                        "!!binary aGk=",
                    ]
                )
            )
            lines[at] = f"{key}: {other}"
        elif kind == "truncate":
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].splitlines()
    return "\n".join(lines) + "\n"


@settings(SETTINGS, max_examples=500)
@given(mutated())
def test_a_mutated_charta_builds_or_names_each_mistake_with_its_place(text: str) -> None:
    try:
        site = build(text)
    except ChartaError as error:
        assert error.format().strip()
        for problem in error.problems:
            assert problem.file == "charta.yaml", problem.format()
            assert problem.message.strip(), problem.format()
            assert problem.line >= 1 or problem.message in WHOLE_FILE, problem.format()
            assert problem.line <= max(len(text.splitlines()), 1), problem.format()
        return
    assert disagreements(site) == []


def test_two_processes_build_the_same_bytes(tmp_path: Path) -> None:
    """Whatever Python's hash seed (set and dict order of strings), the output is the same."""
    cases = [*sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml")), ROOT / "charta.yaml"]
    for case in cases:
        built = []
        for seed in ("1", "2"):
            out = tmp_path / f"{case.stem}-{seed}"
            argv = [sys.executable, "-m", "kontaktcharta", "build", "-q", "--config", str(case)]
            env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1795000000"}
            subprocess.run([*argv, "--out", str(out)], env=env, check=True, timeout=60)
            built.append(
                {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
            )
        assert built[0] == built[1], case.name
