"""Inline Markdown: the shortcut for plain text gives exactly what markdown-it gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kontaktcharta import markdown
from kontaktcharta.model import Text

# Hypothesis imports libcst to report a failure; libcst 1.0 warns about mypy_extensions.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)
# Letters and the punctuation of real texts, with every character an inline rule acts on.
ALPHABET = "aZß09 \u00a0\u2028,.;:?'\"()/-–„“#+=$%@^{}|~\t\n\r\x00*_`[]!<>&\\"


def _full(source: str) -> Text | str:
    """markdown-it's rendering (the path without the shortcut), or the error it raises."""
    try:
        return markdown._renderer.render(source, inline=True)
    except markdown.UnsafeLink as error:
        return str(error)


def _rendered(source: str) -> Text | str:
    try:
        return markdown.render_inline(source)
    except markdown.UnsafeLink as error:
        return str(error)


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_render_inline_is_markdown_it(source: str) -> None:
    assert _rendered(source) == _full(source)


@pytest.mark.parametrize(
    "source",
    [
        'von Menschen, denen ich "persönlich" begegnet bin (und: 100 % #1)',
        "  Leerzeichen außen  ",
        "a - b + c = {d} | e ~ f @ g ^ h $ i",
    ],
)
def test_plain_text_takes_the_shortcut(source: str) -> None:
    assert markdown._PLAIN_INLINE.fullmatch(source)
    assert markdown.render_inline(source) == _full(source)


@pytest.mark.parametrize("source", ["*a*", "a_b_", "`a`", "[a](b)", "a\\*", "a&amp;", "a\nb", "!"])
def test_markdown_does_not(source: str) -> None:
    assert not markdown._PLAIN_INLINE.fullmatch(source)
