"""The CLI as a user sees it: exact output, exit codes, and a failed build that changes nothing."""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path

import pytest

from kontaktcharta.cli import COMMANDS, main
from kontaktcharta.write import MARKER, MARKER_TEXT

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal.yaml"
SUMMARY = re.compile(r"Built output/ from charta\.yaml: (\d+) files, \d+\.\d KiB in \d+\.\d\d s\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example site (charta.yaml and site_src/) as the current folder."""
    shutil.copy(ROOT / "charta.yaml", tmp_path / "charta.yaml")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_prints_one_summary_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    match = SUMMARY.fullmatch(out)
    assert match, out
    files = snapshot(site / "output")
    assert files.pop(MARKER) == MARKER_TEXT, "the writer's marker, not a file of the site"
    assert int(match.group(1)) == len(files)
    assert err == ""
    assert {"index.html", "charta.json", "charta.schema.json", "impressum.html"} <= set(
        snapshot(site / "output")
    )


def test_quiet_build_prints_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_build_warns_once_without_url(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (site / "charta.yaml").read_text("utf-8")
    without = text.replace("url: https://erika.example/kontaktcharta/\n", "")
    # the message an example states then links to the bare anchor
    without = without.replace("https://erika.example/kontaktcharta/#decline-", "#decline-")
    (site / "charta.yaml").write_text(without, "utf-8")
    assert main(["build"]) == 0
    assert capsys.readouterr().err == (
        "warning: charta.yaml: url: not set, so charta.json carries relative links only "
        "(set url: to the page's public address)\n"
    )


def test_build_warns_before_the_review_date(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1826323200")  # 2027-11-16
    assert main(["build"]) == 0
    assert capsys.readouterr().err == (
        "warning: charta.yaml:12:12: review_by: the review is due in 5 days (2027-11-21)\n"
    )


def test_build_warns_of_raw_html_shown_as_text_at_its_place(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = site / "charta.yaml"
    text = config.read_text("utf-8").replace(
        "rege austausche", "<b>rege</b> austausche, `<i>` als Code", 1
    )
    config.write_text(text, "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "<b>rege</b>" in t)
    assert main(["build"]) == 0
    assert capsys.readouterr().err == (
        f"warning: charta.yaml:{line}:13: accept.criteria[1].text: <b> is shown as text, not as "
        "markup: texts take Markdown, not HTML (**bold**, *italic*, [link](https://…))\n"
    )
    page = (site / "output" / "index.html").read_text("utf-8")
    assert "&lt;b&gt;rege&lt;/b&gt;" in page, "shown as written"


def test_failed_build_reports_every_problem_and_keeps_output(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--quiet"]) == 0
    before = snapshot(site / "output")
    text = (site / "charta.yaml").read_text("utf-8")
    text = text.replace("title: Meine Kontaktcharta", "titel: Meine Kontaktcharta")
    text = text.replace("    - id: slogan", "    - id: Slogan")
    (site / "charta.yaml").write_text(text, "utf-8")
    line = text.splitlines().index("    - id: Slogan") + 1
    capsys.readouterr()
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "charta.yaml:6:1: titel: unknown key (did you mean 'title'?)\n"
        "    titel: Meine Kontaktcharta\n"
        "    ^\n"
        f"charta.yaml:{line}:11: decline.criteria[4].id: 'Slogan' is not a slug like 'no-reason' "
        "(lowercase letters, digits, single hyphens)\n"
        "        - id: Slogan\n"
        "              ^\n"
        "2 problems found.\n"
    )
    assert snapshot(site / "output") == before


def test_missing_charta_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    assert capsys.readouterr().err == (
        "charta.yaml: file not found (run `charta init` to start one)\n"
    )


def test_verify_agrees_on_a_fresh_build(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--quiet"]) == 0
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"output: page and policy agree \(13 criteria in 2 languages, sha256:[0-9a-f]{12}…\)\n", out
    ), out


def test_verify_names_a_criterion_changed_after_the_build(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--quiet"]) == 0
    index = site / "output" / "index.html"
    index.write_text(
        index.read_text("utf-8").replace("keiner der Gründe oben zutrifft", "mir danach ist"),
        "utf-8",
    )
    assert main(["verify", "output"]) == 1
    err = capsys.readouterr().err
    assert (
        "output: index.html: decline.criteria[0] (no-reason): the page shows 'mir danach ist', "
        "the policy says 'keiner der Gründe oben zutrifft'\n"
    ) in err
    assert err.endswith("output: the site does not verify (1 problem)\n")


def test_verify_checks_every_language(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--quiet"]) == 0
    english = site / "output" / "en" / "index.html"
    english.write_text(
        english.read_text("utf-8").replace("I decline requests when", "Nope"), "utf-8"
    )
    assert main(["verify"]) == 1
    assert capsys.readouterr().err == (
        "output: en/index.html: decline.title: the page says 'Nope', the policy "
        "'I decline requests when'\n"
        "output: the site does not verify (1 problem)\n"
    )


def test_verify_reports_a_stale_charta(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["build", "--quiet"]) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830000000")  # 2027-12-28
    assert main(["verify"]) == 1
    assert capsys.readouterr().err == (
        "output: the charta is stale: its review date 2027-11-21 has passed (updated "
        "2026-11-21); look it over, set a new review_by, rebuild\n"
        "output: the site does not verify (1 problem)\n"
    )


def test_verify_catches_a_hand_edited_policy(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--quiet"]) == 0
    policy = site / "output" / "charta.json"
    policy.write_text(
        policy.read_text("utf-8").replace('"match": "any"', '"match": "all"'), "utf-8"
    )
    assert main(["verify"]) == 1
    assert "(was it edited by hand?)" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["bild"])
    assert stop.value.code == 2
    assert "invalid choice: 'bild'" in capsys.readouterr().err


def test_build_py_runs_build_by_default(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy
    import sys

    sys.argv = ["build.py", "--quiet", "--out", "public"]
    try:
        with pytest.raises(SystemExit) as stop:
            runpy.run_path(str(ROOT / "build.py"), run_name="__main__")
    finally:  # build.py tunes the collector for a process of its own, not for pytest's
        gc.unfreeze()
        gc.enable()
    assert stop.value.code == 0
    assert (site / "public" / "index.html").is_file()


@pytest.mark.parametrize(("config", "code"), [("charta.yaml", 0), ("missing.yaml", 1)])
def test_the_process_exits_with_mains_code_and_runs_exit_hooks(
    site: Path, config: str, code: int
) -> None:
    import subprocess
    import sys

    # script() leaves the collector off and freezes what is left before the interpreter ends;
    # exit hooks (coverage's, a user's) must still run, and the exit code is main()'s.
    probe = (
        "import atexit, gc; from kontaktcharta.cli import script; "
        "atexit.register(lambda: print('exit hook', gc.isenabled(), gc.get_freeze_count() > 0)); "
        f"script(['build', '--quiet', '--config', {config!r}])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (code, "exit hook False True\n"), done.stderr


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in COMMANDS:
        assert f"`charta {command}" in readme, command


def test_build_imports_no_server_and_no_test_tools(site: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from kontaktcharta.cli import main; main(['build', '--quiet']); "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "kontaktcharta" in loaded and "jinja2" in loaded
    for heavy in (
        "livereload",
        "tornado",
        "watchfiles",
        "pytest",
        "jsonschema",
        "playwright",
        "hypothesis",
        "asyncio",
        "http",
    ):
        assert heavy not in loaded, heavy


def test_decide_says_its_request_is_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as stop:
        main(["decide", "--help"])
    assert stop.value.code == 0
    help_text = capsys.readouterr().out
    assert (
        "positional arguments:\n"
        "  REQUEST        a file holding the request as JSON, or - for stdin\n"
    ) in help_text


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("value", ["bogus", "Rust"])
def test_an_unknown_cel_runtime_is_one_line_for_every_command(
    command: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KONTAKTCHARTA_CEL", value)
    assert main([command]) == 1
    assert capsys.readouterr() == (
        "",
        f"charta: error: KONTAKTCHARTA_CEL={value}: expected cpp or rust\n",
    )


def _without(
    modules: list[str], argv: list[str], env: dict[str, str], tmp_path: Path
) -> tuple[int, str, str]:
    """The CLI run in a process of its own where these modules are not installed (or, for a
    module given as `name=broken`, installed but failing to import)."""
    import os
    import subprocess
    import sys

    broken = tmp_path / "broken"
    gone = []
    for module in modules:
        name, _, how = module.partition("=")
        if how == "broken":
            (broken / name).mkdir(parents=True)
            (broken / name / "__init__.py").write_text(
                "raise ImportError('libstdc++.so.6: version GLIBCXX_3.4.32 not found')\n"
            )
        else:
            gone.append(name)
    probe = (
        f"import sys; sys.path.insert(0, {str(broken)!r}); "
        f"sys.modules.update(dict.fromkeys({gone!r})); "
        f"from kontaktcharta.cli import script; script({argv!r})"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("modules", "env", "said"),
    [
        (
            ["cel_expr_python", "cel"],
            {},
            "no CEL runtime is installed: pip install cel-expr-python, or "
            "common-expression-language where cel-expr-python has no wheel",
        ),
        (
            ["cel"],
            {"KONTAKTCHARTA_CEL": "rust"},
            "KONTAKTCHARTA_CEL=rust, but common-expression-language is not installed: "
            "pip install common-expression-language",
        ),
        (
            ["cel_expr_python=broken"],
            {"KONTAKTCHARTA_CEL": "cpp"},
            "KONTAKTCHARTA_CEL=cpp, but cel-expr-python cannot be imported: "
            "libstdc++.so.6: version GLIBCXX_3.4.32 not found",
        ),
        (
            ["cel_expr_python=broken", "cel"],
            {},
            "no CEL runtime can be imported: cel-expr-python: "
            "libstdc++.so.6: version GLIBCXX_3.4.32 not found",
        ),
    ],
)
@pytest.mark.parametrize("command", ["build", "decide"])
def test_a_missing_cel_runtime_is_one_line(
    site: Path, modules: list[str], env: dict[str, str], said: str, command: str
) -> None:
    env = {"KONTAKTCHARTA_CEL": "", **env}
    argv = [command, "-"] if command == "decide" else [command, "--quiet"]
    assert _without(modules, argv, env, site) == (1, "", f"charta: error: {said}\n")


def test_a_cel_runtime_that_cannot_be_imported_gives_way_to_the_other(site: Path) -> None:
    env = {"KONTAKTCHARTA_CEL": ""}
    assert _without(["cel_expr_python=broken"], ["build", "--quiet"], env, site) == (0, "", "")
