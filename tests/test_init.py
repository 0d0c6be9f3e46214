"""`charta init`: a commented starter that builds at once, and never a file overwritten."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from kontaktcharta.cli import main
from kontaktcharta.commands.init import LANGUAGES, starter

FILES = {
    "de": ["charta.yaml", "charta.yaml.schema.json", "site_src/pages/impressum.md"],
    "en": ["charta.yaml", "charta.yaml.schema.json", "site_src/pages/imprint.md"],
}
"""What `charta init` writes, by language."""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder on 2026-11-21."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21
    return tmp_path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_init_then_build_works_at_once(
    here: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "my-charta", "--lang", lang]) == 0
    assert capsys.readouterr() == (
        "".join(f"Created my-charta/{name}\n" for name in FILES[lang])
        + "Next: fill in my-charta/charta.yaml (every key is explained in it), "
        "then run: cd my-charta && charta build\n",
        "",
    )
    assert (
        sorted(
            p.relative_to(here / "my-charta").as_posix()
            for p in (here / "my-charta").rglob("*")
            if p.is_file()
        )
        == FILES[lang]
    )
    assert main(["build", "--config", "my-charta/charta.yaml", "--out", "out", "--quiet"]) == 0
    assert main(["verify", "out"]) == 0
    built = yaml.safe_load((here / "my-charta" / "charta.yaml").read_text("utf-8"))
    assert built["lang"] == lang
    assert (built["updated"], built["review_by"]) == (
        datetime.date(2026, 11, 21),
        datetime.date(2027, 11, 21),
    )
    page = Path(FILES[lang][-1]).with_suffix(".html").name
    assert (here / "out" / page).is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_setting_the_url_as_the_starter_says_takes_one_edit_more_which_the_error_names(
    here: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "my-charta", "--lang", lang]) == 0
    path = here / "my-charta" / "charta.yaml"
    text = path.read_text("utf-8")
    commented = next(line for line in text.splitlines() if line.startswith("# url: "))
    url = commented.removeprefix("# url: ")
    path.write_text(text.replace(commented, f"url: {url}"), "utf-8")
    capsys.readouterr()
    assert main(["build", "--config", str(path), "--out", "out", "--quiet"]) == 1
    link = f"{url}#decline-business-on-facebook"
    assert f"(only the links differ: they follow `url:`; the rules link to {link})" in (
        capsys.readouterr().err
    )
    assert f"https://…/{url.rstrip('/').rsplit('/', 1)[-1]}/#decline-business-on-facebook" in text
    path.write_text(
        path.read_text("utf-8").replace("\n      #decline-business-on-facebook", f"\n      {link}"),
        "utf-8",
    )
    assert main(["build", "--config", str(path), "--out", "out", "--quiet"]) == 0


def test_init_into_the_current_folder_names_the_next_step(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Next: fill in charta.yaml (every key is explained in it), then run: charta build"
    )
    assert main(["build", "--quiet"]) == 0


def test_init_refuses_to_overwrite_and_writes_nothing(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "site" / "site_src" / "pages").mkdir(parents=True)
    (here / "site" / "site_src" / "pages" / "impressum.md").write_text("Meins\n", "utf-8")
    assert main(["init", "site"]) == 1
    assert capsys.readouterr() == (
        "",
        "site/site_src/pages/impressum.md: exists already\n"
        "nothing was written (charta init never replaces a file)\n",
    )
    assert not (here / "site" / "charta.yaml").exists()
    assert (here / "site" / "site_src" / "pages" / "impressum.md").read_text("utf-8") == "Meins\n"


def test_a_review_a_year_after_29_february_is_on_28_february() -> None:
    text = starter("de", datetime.date(2028, 2, 29))["charta.yaml"]
    assert "updated: 2028-02-29\n" in text
    assert "review_by: 2029-02-28\n" in text


def key_lines(node: yaml.Node, path: str) -> list[tuple[str, int]]:
    """(key path, line) of every key below a node; names chosen by the user read `<name>`."""
    found: list[tuple[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = "<name>" if path in ("facts", "translations") else key.value
            where = f"{path}.{name}" if path else name
            found.append((where, key.start_mark.line))
            if not where.endswith(("request.facts", "request.judgements")):
                found += key_lines(value, where)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += key_lines(item, f"{path}[]")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_of_the_starter_is_explained_where_it_first_appears(lang: str) -> None:
    text = starter(lang, datetime.date(2026, 11, 21))["charta.yaml"]
    lines = text.splitlines()
    seen: set[str] = set()
    for path, line in key_lines(yaml.compose(text), ""):
        path = path.replace("decline.criteria[]", "accept.criteria[]")  # the same keys
        if path in seen:
            continue
        seen.add(path)
        commented = "#" in lines[line] or lines[line - 1].strip().startswith("#")
        assert commented, f"{lang}: {path} (line {line + 1}) has no comment"


def test_the_starters_placeholders_are_warned_of_until_filled_in(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--lang", "en"]) == 0
    capsys.readouterr()
    assert main(["build"]) == 0
    page = here / "site_src" / "pages" / "imprint.md"
    line = page.read_text("utf-8").splitlines().index("[First name Last name]\\") + 1
    assert (
        f"warning: site_src/pages/imprint.md:{line}: still holds the starter's placeholder "
        "[First name Last name]; put in your own details (or delete the page if you need none)\n"
    ) in capsys.readouterr().err
    page.write_text("---\ntitle: Legal notice\n---\nSam Example, 1 Main Street\n", "utf-8")
    assert main(["build"]) == 0
    assert "placeholder" not in capsys.readouterr().err
