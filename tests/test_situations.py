"""The three situations of the texts this project serves, end to end as a user goes through them:
written in charta.yaml (examples/), built, shown on the page, decided by `charta decide --json`
and `charta ask`, answered by `charta reply`, proved by `charta verify`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dialogue import answering
from kontaktcharta.cli import main
from kontaktcharta.verify import parse, text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.usefixtures("cel_runtime")  # on each CEL runtime


@pytest.fixture
def built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[str], Path]:
    """Build an example as `charta build` does; it must build without a word on stderr."""
    monkeypatch.chdir(tmp_path)

    def build(name: str) -> Path:
        config = EXAMPLES / name / "charta.yaml"
        assert main(["build", "--config", str(config), "--out", name]) == 0
        assert capsys.readouterr().err == ""
        assert main(["verify", name]) == 0
        assert "page and policy agree" in capsys.readouterr().out
        return tmp_path / name

    return build


def decided(policy: Path, request: dict[str, object], *more: str) -> dict[str, object]:
    """`charta decide --json` on a request, its output read back."""
    path = policy.parent / "request.json"
    path.write_text(json.dumps(request), "utf-8")
    return run_json(["decide", str(path), "--policy", str(policy), "--json", *more])


def run_json(argv: list[str]) -> dict[str, object]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    decision: dict[str, object] = json.loads(out.getvalue())
    return decision


def test_a_facebook_charta_where_all_four_conditions_must_hold(
    built: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = built("facebook-all-four")
    page = parse((site / "index.html").read_text("utf-8"))
    assert text(page.css_first(".all-of")) == "Alle Punkte müssen zutreffen."
    assert text(page.css_first(".platforms")) == "Gilt auf: Facebook (beruflich und privat)"
    for criterion in page.css("[data-criterion]"):
        anchor = criterion.attributes["id"]
        assert criterion.css_first(f'a[href="#{anchor}"]') is not None

    policy = site / "charta.json"
    request = {"facts": {"knows_connection": True, "mutual_contacts": 2, "shared_topic": False}}
    decision = decided(policy, {**request, "judgements": {"likeable": True}}, "--name", "Frieda")
    assert {k: decision[k] for k in ("decision", "reasons", "unmet", "reply")} == {
        "decision": "decline",
        "reasons": ["not-all"],
        "unmet": ["mutual", "topic"],
        "reply": True,
    }
    message = str(decision["message"])
    assert "- Wir haben noch weniger als fünf gemeinsame Kontakte.\n" in message
    assert "- Ich sehe noch kein Thema, das uns verbindet.\n" in message
    assert "Meine Regeln: https://susanne.example/facebook/#accept-mutual\n" in message

    asked = answering(monkeypatch, ["ja", "9223372036854775808", "12", "ja", "nein"])
    assert main(["ask", "--policy", str(policy), "--name", "Frieda"]) == 0
    assert asked == [  # the only platform is not asked for; the judgement by its own question
        "Weiß ich, wer die Person ist oder was uns verbinden könnte? [ja/nein] ",
        "Wie viele gemeinsame Kontakte haben wir? (ganze Zahl) ",
        "Wie viele gemeinsame Kontakte haben wir? (ganze Zahl) ",  # 2^63 does not fit
        "Verbindet uns ein gemeinsames Thema? [ja/nein] ",
        "Ist mir die Person einigermaßen sympathisch? [ja/nein] ",
    ]
    out = capsys.readouterr().out
    assert "Plattform: Facebook (die einzige der Charta)\n" in out
    assert "\nEntscheidung: ablehnen (not-all)\nNicht erfüllt: likeable\n" in out
    assert "Ich verbinde mich nur mit Menschen, bei denen es sich für mich richtig" in out

    assert main(["reply", "mutual", "--policy", str(policy), "--name", "Frieda"]) == 0
    reply = capsys.readouterr().out
    facts = {**request["facts"], "shared_topic": True}
    only_mutual = {"facts": facts, "judgements": {"likeable": True}}
    assert reply == decided(policy, only_mutual, "--name", "Frieda")["message"] + "\n"
    assert reply.startswith("Hallo Frieda,\n")
    assert "Wir haben noch weniger als fünf gemeinsame Kontakte." in reply
    assert "#accept-mutual" in reply


def test_an_open_judgement_is_listed_by_its_own_question(
    built: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    policy = built("facebook-all-four") / "charta.json"
    answering(monkeypatch, ["ja", "12", "ja"])
    assert main(["ask", "--policy", str(policy)]) == 0
    assert capsys.readouterr().out.endswith(
        "Entscheidung: offen, noch zu klären:\n  - Ist mir die Person einigermaßen sympathisch?\n"
    )


def test_a_reply_for_unmet_conditions_follows_the_fallback_that_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (EXAMPLES / "facebook-all-four" / "charta.yaml").read_text("utf-8")
    fallback = "      otherwise: true\n"
    source = source.replace(fallback, fallback + "      reply: false\n")
    source = source[: source.index("\nexamples:")] + "\n"
    (tmp_path / "charta.yaml").write_text(source, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    capsys.readouterr()
    assert main(["reply", "mutual", "topic", "--policy", "output/charta.json"]) == 0
    assert capsys.readouterr().out == (
        "Keine Nachricht: Anfragen, die aus diesem Grund abgelehnt werden (not-all), "
        "bleiben ohne Antwort (reply: false).\n"
    )


def test_strangers_who_write_no_word_are_ignored(
    built: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = built("silent-strangers")
    policy = site / "charta.json"
    silent = {"facts": {"knows_me": False, "has_message": False}}
    assert decided(policy, silent, "--name", "X") == {
        "decision": "decline",
        "reasons": ["silent-stranger"],
        "unmet": [],
        "questions": [],
        "reply": False,
        "message": None,
    }
    assert decided(policy, {"facts": {"knows_me": False, "has_message": True}})["decision"] == (
        "accept"
    )

    answering(monkeypatch, ["nein", "nein"])
    assert main(["ask", "--policy", str(policy)]) == 0
    assert capsys.readouterr().out.endswith(
        "\nEntscheidung: ablehnen (silent-stranger)\n"
        "Keine Antwort senden: Solche Anfragen bleiben unbeantwortet (reply: false).\n"
    )

    assert main(["reply", "silent-stranger", "--policy", str(policy)]) == 0
    assert capsys.readouterr().out == (
        "Keine Nachricht: Anfragen, die aus diesem Grund abgelehnt werden (silent-stranger), "
        "bleiben ohne Antwort (reply: false).\n"
    )
    page = parse((site / "index.html").read_text("utf-8"))
    assert "ohne ein einziges Wort" in text(page.css_first("#decline-silent-stranger"))


def test_business_requests_on_facebook_get_a_short_note_and_xing_stays_open(
    built: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = built("facebook-private")
    page = parse((site / "index.html").read_text("utf-8"))
    assert text(page.css_first(".platforms")) == "Gilt auf: XING (beruflich) · Facebook (privat)"

    policy = site / "charta.json"
    customer = {"facts": {"relationship": "customer"}}
    decision = decided(policy, {**customer, "platform": "facebook"}, "--name", "Frau Kundin")
    assert decision["decision"] == "decline" and decision["reply"] is True
    assert decision["message"] == (
        "Hallo Frau Kundin, danke für Ihre Anfrage! Facebook nutze ich nur privat, deshalb nehme "
        "ich berufliche Kontakte dort nicht an. Auf XING verbinde ich mich gern mit Ihnen: "
        "https://www.xing.com/profile/Jana_Vorbild "
        "(https://jana.example/netzwerke/#decline-business-on-facebook)"
    )
    assert decided(policy, {**customer, "platform": "xing"})["reasons"] == ["business-on-xing"]

    answering(monkeypatch, ["face", "1"])  # the start of a platform's name chooses it
    assert main(["ask", "--policy", str(policy), "--name", "Frau Kundin"]) == 0
    out = capsys.readouterr().out
    assert "\nEntscheidung: ablehnen (business-on-facebook)\n" in out
    assert "Facebook nutze ich nur privat" in out

    args = ["--policy", str(policy), "--name", "Frau Kundin"]
    assert main(["reply", "business-on-facebook", *args, "--platform", "facebook"]) == 0
    assert capsys.readouterr().out.startswith("Hallo Frau Kundin, danke für Ihre Anfrage!")
    assert main(["reply", "business-on-facebook", *args, "--platform", "xing"]) == 0
    assert capsys.readouterr().out.startswith("Guten Tag Frau Kundin,\n")  # XING: the default
