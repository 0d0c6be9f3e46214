"""Answering `charta ask` in a test: the answers in turn, then the end of input."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

import pytest


def answering(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Give `answers` to `input()` in turn, then end the input (EOFError, as Ctrl+D does); the
    prompts asked are returned as they come."""
    given: Iterator[str] = iter(answers)
    asked: list[str] = []

    def answer(prompt: str = "") -> str:
        asked.append(prompt)
        try:
            return next(given)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(builtins, "input", answer)
    return asked
