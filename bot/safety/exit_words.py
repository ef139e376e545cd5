"""Deterministic one-word exit: a message that is only 'stopp', 'avslutt', 'ikke nå' … always leaves the flow."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

EXIT_WORDS_FILE = Path(__file__).resolve().parents[2] / "content" / "safety" / "exit_words.yml"
_NOT_WORD = re.compile(r"[^\wæøåäöüé ]+", re.UNICODE)


def _normalise(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


@lru_cache(maxsize=4)
def load_exit_words(path: Path = EXIT_WORDS_FILE) -> frozenset[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return frozenset(_normalise(word) for word in data["exit_words"])


def is_exit_request(text: str, words: frozenset[str] | None = None) -> bool:
    """True when the whole message is an exit word or phrase (not when it merely contains one)."""
    return _normalise(text) in (words if words is not None else load_exit_words())
