"""Messages NLU should not guess at get their own intent; ordinary Norwegian passes through."""

from __future__ import annotations

import pytest

from bot.safety.input_checks import EMPTY, OTHER_LANGUAGE, TOO_LONG, classify_input


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x01\x02", "???", "12345 678", "😢😢", None])
def test_empty_or_unreadable(text) -> None:
    assert classify_input(text) == EMPTY


def test_very_long_message() -> None:
    assert classify_input("jeg lurer på " * 200) == TOO_LONG


@pytest.mark.parametrize(
    "text",
    ["What is a living will?", "hi, can you help me with my mother", "Where can I find a doctor who speaks english"],
)
def test_english(text: str) -> None:
    assert classify_input(text) == OTHER_LANGUAGE


@pytest.mark.parametrize(
    "text",
    [
        "hva er et livstestament",
        "I går døde mamma, hva gjør vi nå?",
        "kan du hjelpe meg å forberede en forhåndssamtale",
        "eg er redd for å døy",
        "<script>alert(1)</script> hva er sorg",
        "Det er to ting jeg lurer på om hjemmedød",
        "ok",
        "ja",
    ],
)
def test_norwegian_passes(text: str) -> None:
    assert classify_input(text) is None
