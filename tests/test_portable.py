"""Patterns of `matches` mean the same in Python and in JavaScript, or the build says so.

portable.py and js/src/regex.js read a pattern alike; every pattern they call portable matches
every text in JavaScript exactly as RE2 (Python's CEL) matches it; the JavaScript package
refuses every other; and the build warns at the line of a rule with a pattern outside the
subset, and still builds.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from cel_expr_python import cel

from kontaktcharta.cli import main
from kontaktcharta.portable import portable, warning
from test_js_measure import run_node

ROOT = Path(__file__).resolve().parents[1]
REGEX = ROOT / "tests" / "node" / "regex.mjs"

PORTABLE = [
    "",
    "a",
    "abc",
    "b",
    "^a",
    "a$",
    "^$",
    "^abc$",
    "$^",
    "a.c",
    ".",
    "^.$",
    ".*",
    "[abc]",
    "[a-z]+",
    "[^a-z]",
    "[^a]",
    "[\\n]",
    "[^\\n]",
    "[]a]",
    "[^]a]",
    "[a-]",
    "[-a]",
    "[a\\-z]",
    "[--/]",
    "[a-b-c]",
    "[\\]\\[\\\\]",
    "[[]",
    "[\\x41-\\x{5A}]",
    "[\\t-\\r]",
    "[\\n-\\r]",
    "[\\a-\\f]",
    "[^\\t-\\r]+",
    "[\\x00-\\t]",
    "[\\d\\s]",
    "[\\W]",
    "[^\\W]",
    "[\\D]",
    "[\\S]",
    "[\\w-]",
    "\\d+",
    "\\w+",
    "\\s",
    "\\D",
    "\\W",
    "\\S",
    "^\\S+$",
    "\\bfoo\\b",
    "\\Bo",
    "o\\B",
    "\\b",
    "\\B",
    "(a|b)+c",
    "(?:ab)*",
    "a{2}",
    "a{2,}",
    "a{1,3}",
    "a{1,3}?",
    "a*?b",
    "a+?",
    "a??",
    "(a*)*",
    "(a|)*b",
    "(|a)",
    "a||b",
    "()",
    "(?:)",
    "x*",
    "((a{2}){2}){2}",
    "a{0}",
    "a{0,0}b",
    "a{,2}",
    "a{x}",
    "a{01}",
    "a{1,2,3}",
    "{",
    "}",
    "]",
    "a{",
    "\\{\\}\\(\\)\\[\\]\\.\\*\\+\\?\\^\\$\\|\\\\",
    "\\ ",
    "\\_",
    "\\-",
    "\\!",
    "\\#",
    "\\t",
    "\\n",
    "\\a",
    "\\v",
    "\\f",
    "\\r",
    "\\x41",
    "\\x{1F600}",
    "\\x{0}",
    "😀",
    "ä",
    "straße",
    "(?i)k",
    "(?i)K",
    "(?i)s",
    "(?i)S",
    "(?i)ß",
    "(?i)ẞ",
    "(?i)abc",
    "(?i)[a-z]+",
    "(?i)[k-s]",
    "(?i)\\w",
    "(?i)\\W",
    "(?i)[\\W]",
    "(?i)[^\\W]",
    "(?i)[\\w]",
    "(?i)[^a-z]",
    "(?i)\\bk\\b",
    "(?i)\\Bs",
    "(?i)σ",
    "(?i)ς",
    "(?i)ǅ",
    "(?i)İ",
    "(?i)ı",
    "(?i)i",
    "(?i)µ",
    "(?i)ω",
    "(?i)å",
    "(?i)ι",
    "(?i)[ᾳ]",
    "(?i)\\x{212A}",
    "(?i).",
    "(?i)\\d\\s",
    "(?i)[\\S]",
    "(?i)[^k]",
    "(?i)",
    "^\\d{3}-\\d{4}$",
    "^[A-Z][a-z]+(?: [A-Z][a-z]+)*$",
    "(?i)^(hallo|hello|hi)\\b",
    "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}",
    "Kontakte schaden nur dem",
]
NOT_PORTABLE = [
    ("(?s)a", "the flags (?s), other than a leading (?i)"),
    ("(?m)^a", "the flags (?m), other than a leading (?i)"),
    ("(?U)a+", "the flags (?U), other than a leading (?i)"),
    ("(?is)a", "the flags (?is), other than a leading (?i)"),
    ("a(?i)b", "the flags (?i), other than a leading (?i)"),
    ("(?i:a)", "the flags (?i:, other than a leading (?i)"),
    ("(?i)(?i)a", "the flags (?i), other than a leading (?i)"),
    ("(?P<n>a)", "a named group"),
    ("(?<n>a)", "a named group"),
    ("(?=a)", "a lookaround (?= (?! (?<= (?<!"),
    ("(?<!a)b", "a lookaround (?= (?! (?<= (?<!"),
    ("(?#x)", "a group of another kind, (?"),
    ("[[:alpha:]]", "a POSIX class [:…:]"),
    ("[[:^digit:]x]", "a POSIX class [:…:]"),
    ("\\pL", "a Unicode class \\p or \\P"),
    ("\\p{Greek}", "a Unicode class \\p or \\P"),
    ("\\PL", "a Unicode class \\p or \\P"),
    ("\\Q.*\\E", "a quotation \\Q…\\E"),
    ("\\Aa", "a text anchor \\A or \\z"),
    ("a\\z", "a text anchor \\A or \\z"),
    ("\\C", "\\C"),
    ("\\0", "an octal escape or back reference \\0–\\9"),
    ("\\101", "an octal escape or back reference \\0–\\9"),
    ("(a)\\1", "an octal escape or back reference \\0–\\9"),
    ("\\q", "an escape RE2 does not know, \\q"),
    ("\\é", "an escape RE2 does not know, \\é"),
    ("\\e", "an escape RE2 does not know, \\e"),
    ("[\\b]", "\\b in a class"),
    ("*a", "a repetition of nothing"),
    ("a|*b", "a repetition of nothing"),
    ("(+a)", "a repetition of nothing"),
    ("{2}", "a repetition of nothing"),
    ("a**", "a repetition of a repetition"),
    ("a{2}{3}", "a repetition of a repetition"),
    ("a+*", "a repetition of a repetition"),
    ("^*", "a repetition of ^, $, \\b or \\B"),
    ("\\b+", "a repetition of ^, $, \\b or \\B"),
    ("(a", "a ( without its )"),
    ("a)", "a ) without its ("),
    ("[a", "a [ without its ]"),
    ("[]", "a [ without its ]"),
    ("[z-a]", "a range with its ends reversed"),
    ("[\\r-\\n]", "a range with its ends reversed"),
    ("[\\t-\\d]", "a range with \\d, \\w or \\s at an end"),
    ("[\\d-z]", "a range with \\d, \\w or \\s at an end"),
    ("x{2,1}", "a repetition with its counts reversed ({2,1})"),
    ("x{1001}", "a repetition over 1000 times ({1001})"),
    ("(((a{10}){10}){10}){10}", "repetitions inside one another over 1000 times"),
    ("\\x4", "a \\x escape RE2 does not read"),
    ("\\x{110000}", "a \\x escape RE2 does not read"),
    ("\\", "a \\ at the end"),
]
TEXTS = [
    "",
    "a",
    "b",
    "abc",
    "ABC",
    "xabcx",
    "aaaa",
    "aab",
    "a\nb",
    "a\n",
    "\n",
    "\r\n",
    "a b\tc\r\nd\f",
    "\v",
    "\u00a0",
    "\u2028",
    "\ufeff",
    "k",
    "K",
    "\u212a",
    "s",
    "S",
    "\u017f",
    "é",
    "É",
    "ß",
    "ẞ",
    "ss",
    "straße",
    "STRASSE",
    "ǅ",
    "ǆ",
    "Ǆ",
    "µ",
    "μ",
    "Μ",
    "ς",
    "σ",
    "Σ",
    "İ",
    "ı",
    "i",
    "I",
    "ω",
    "Ω",
    "\u2126",
    "å",
    "Å",
    "\u212b",
    "ι",
    "Ι",
    "\u0345",
    "\u1fbe",
    "ᾳ",
    "ᾼ",
    "0123",
    "555-1234",
    "١٢٣",
    "😀",
    "😀x",
    "x😀",
    "[]{}()|.*+?^$\\",
    "{2}",
    "a{,2}",
    "a{x}",
    "a{01}",
    "foo bar",
    "foo_bar",
    "foo-bar",
    "x-y",
    "a1b2",
    "\x07",
    "erika@example.org",
    "Hallo Erika",
    "hello, world",
    "Max Muster",
    "Kontakte schaden nur dem, der keine hat",
    "_-_",
    "#!",
]


class _Patterns:
    """Random patterns of the portable grammar, a few with something outside it."""

    ATOMS = ("a", "b", "k", "s", "ß", "é", ".", "\\d", "\\w", "\\s", "\\W", "\\S", "\\.", "\\n")
    CLASSES = ("[ab]", "[^ab]", "[a-k]", "[^\\s]", "[\\w.]", "[]a-]", "[k-z\\d]", "[^\\n]")
    REPEATS = ("*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,2}?")
    ODD = ("(?s)", "\\pL", "[[:alpha:]]", "\\1", "(?=a)", "\\z", "**", "(?P<x>a)")

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pattern(self) -> str:
        made = self.alternation(0)
        if self.rng.random() < 0.2:
            made = "(?i)" + made
        if self.rng.random() < 0.15:
            made = "^" + made
        if self.rng.random() < 0.15:
            made += "$"
        if self.rng.random() < 0.05:
            at = self.rng.randrange(len(made) + 1)
            made = made[:at] + self.rng.choice(self.ODD) + made[at:]
        return made

    def alternation(self, depth: int) -> str:
        count = 1 if self.rng.random() < 0.7 else self.rng.randrange(2, 4)
        return "|".join(self.concatenation(depth) for _ in range(count))

    def concatenation(self, depth: int) -> str:
        return "".join(self.repeated(depth) for _ in range(self.rng.randrange(1, 4)))

    def repeated(self, depth: int) -> str:
        pick = self.rng.random()
        if pick < 0.15 and depth < 2:
            atom = self.rng.choice(["(", "(?:"]) + self.alternation(depth + 1) + ")"
        elif pick < 0.3:
            atom = self.rng.choice(self.CLASSES)
        elif pick < 0.35:
            atom = self.rng.choice(["\\b", "\\B"])
            return atom
        else:
            atom = self.rng.choice(self.ATOMS)
        if self.rng.random() < 0.35:
            atom += self.rng.choice(self.REPEATS)
        return atom


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    letters = "abkKsSß\u017f\u212aé \n.-_0129😀"
    return ["".join(rng.choices(letters, k=rng.randrange(0, 9))) for _ in range(count)]


def _re2(patterns: list[str], texts: list[str]) -> list[list[bool | str]]:
    """What RE2 (Python's CEL `matches`) says for each pattern and text."""
    env = cel.NewEnv(variables={"t": cel.Type.STRING, "p": cel.Type.STRING})
    program = env.compile("t.matches(p)")
    found: list[list[bool | str]] = []
    for pattern in patterns:
        row: list[bool | str] = []
        for text in texts:
            value: Any = program.eval(data={"t": text, "p": pattern}).value()
            row.append(value if isinstance(value, bool) else f"error: {value}")
        found.append(row)
    return found


def _corpus() -> tuple[list[str], list[str]]:
    generator = _Patterns(5)
    patterns = [*PORTABLE, *(p for p, _ in NOT_PORTABLE)]
    patterns += [generator.pattern() for _ in range(800)]
    return list(dict.fromkeys(patterns)), [*TEXTS, *_random_texts(6, 40)]


@pytest.mark.parametrize(("pattern", "construct"), NOT_PORTABLE)
def test_a_pattern_outside_the_subset_names_what_it_uses(pattern: str, construct: str) -> None:
    assert portable(pattern) == construct


@pytest.mark.parametrize("pattern", PORTABLE)
def test_a_pattern_within_the_subset_is_portable(pattern: str) -> None:
    assert portable(pattern) is None


def test_javascript_reads_every_pattern_as_python_does() -> None:
    patterns, _ = _corpus()
    found = run_node(REGEX, {"patterns": patterns, "texts": []})["portable"]
    python = [portable(pattern) for pattern in patterns]
    wrong = [(p, py, js) for p, py, js in zip(patterns, python, found, strict=True) if py != js]
    assert not wrong
    assert sum(construct is not None for construct in python) > 50


def test_javascript_matches_every_portable_pattern_as_re2_does() -> None:
    patterns, texts = _corpus()
    found = run_node(REGEX, {"patterns": patterns, "texts": texts})["matches"]
    re2 = _re2(patterns, texts)
    wrong = []
    for pattern, javascript, python in zip(patterns, found, re2, strict=True):
        if portable(pattern) is not None:
            assert isinstance(javascript, str), f"{pattern!r} is not portable, yet ran"
            continue
        for text, js, py in zip(texts, javascript, python, strict=True):
            if js != py:
                wrong.append(f"{pattern!r} on {text!r}: RE2 {py}, JavaScript {js}")
    assert not wrong, "\n".join(wrong[:20]) + f"\n{len(wrong)} differ"


def test_the_build_warns_of_a_pattern_outside_the_subset_at_its_line_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "charta.yaml").read_text("utf-8")
    old = '      when: invitation_text.contains("Kontakte schaden nur dem, der keine hat")\n'
    new = '      when: invitation_text.matches("(?s)Kontakte.*schaden")\n'
    assert old in text
    (tmp_path / "charta.yaml").write_text(text.replace(old, new), "utf-8")
    line = text[: text.index(old)].count("\n") + 1
    code = main(["build", "--config", str(tmp_path / "charta.yaml"), "--out", str(tmp_path / "o")])
    assert code == 0
    assert capsys.readouterr().err == (
        f"warning: {tmp_path / 'charta.yaml'}:{line}:13: decline.criteria[4].when: the pattern "
        "of matches uses the flags (?s), other than a leading (?i), which JavaScript readers "
        "cannot run: deciding a request by this rule fails there; keep to the portable patterns "
        "of docs/format.md#patterns-matches\n"
    )
    assert warning("x").endswith("docs/format.md#patterns-matches")


def _folded_pairs() -> list[tuple[str, str]]:
    """Patterns of one letter with (?i), each with the letters of the same case, found by
    joining every character with its lower and upper case (more than a fold orbit, at times)."""
    group: dict[str, str] = {}

    def root(ch: str) -> str:
        while group.get(ch, ch) != ch:
            ch = group[ch]
        return ch

    for code in [*range(0x20, 0xD800), *range(0xE000, 0x10000), *range(0x10400, 0x10500)]:
        ch = chr(code)
        for other in (ch.lower(), ch.upper()):
            if len(other) == 1 and other != ch:
                group[root(other)] = root(ch)
    members: dict[str, list[str]] = {}
    for ch in group:
        members.setdefault(root(ch), []).append(ch)
    for ch in list(members):
        members[ch].append(ch)
    pairs = []
    for letters in members.values():
        for a in letters:
            pattern = f"(?i)\\x{{{ord(a):X}}}"
            pairs += [(pattern, b) for b in letters]
            pairs.append((f"(?i)[\\x{{{ord(a):X}}}]", chr(ord(a) + 1)))
    return pairs


def test_javascript_folds_case_as_re2_does() -> None:
    pairs = _folded_pairs()
    assert len(pairs) > 4000
    found = run_node(REGEX, {"pairs": pairs})["pairs"]
    env = cel.NewEnv(variables={"t": cel.Type.STRING, "p": cel.Type.STRING})
    program = env.compile("t.matches(p)")
    wrong = []
    for (pattern, text), javascript in zip(pairs, found, strict=True):
        re2 = program.eval(data={"t": text, "p": pattern}).value()
        if re2 is not javascript:
            wrong.append(f"{pattern} on {text!r} (U+{ord(text):04X}): RE2 {re2}")
    assert not wrong, "\n".join(wrong[:20]) + f"\n{len(wrong)} of {len(pairs)} differ"


def test_javascript_matches_in_time_linear_in_the_text() -> None:
    """Patterns on which a backtracking matcher takes years take milliseconds."""
    patterns = ["(a*)*b", "(a|a)*b", "(a|aa)*c", "(.*)*x", "((a{10}){10}){10}b", "^(\\w+\\s?)*$"]
    found = run_node(REGEX, {"patterns": [*patterns, "a!$"], "texts": ["a" * 2000 + "!"]})
    assert found["matches"] == [[False]] * 6 + [[True]]
    assert found["ms"] < 5000
