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


@lru_cache(maxsize=4)
def _stop_expressions(path: Path = EXIT_WORDS_FILE) -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return re.compile(data["stop_words"]), re.compile(data["conversation"])


def is_stop_request(text: str) -> bool:
    """True when a message asks to stop the conversation: an exit word, or a stop word that speaks of the talk.

    The `stopp` intent is only kept for such messages (bot/components/safety_gate.py): a sentence that merely
    contains «slutte» or «stopper» is not a request to end the conversation.
    """
    if is_exit_request(text):
        return True
    stop_words, conversation = _stop_expressions()
    lowered = " ".join(text.lower().split())
    return bool(stop_words.search(lowered) and conversation.search(lowered))


def is_exit_request(text: str, words: frozenset[str] | None = None) -> bool:
    """True when the whole message is an exit word or phrase (not when it merely contains one)."""
    return _normalise(text) in (words if words is not None else load_exit_words())
