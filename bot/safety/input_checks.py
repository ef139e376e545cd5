"""Recognise messages that NLU should not guess at: empty or unreadable, very long, or in English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

INPUT_CHECKS_FILE = Path(__file__).resolve().parents[2] / "content" / "safety" / "input_checks.yml"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

EMPTY = "empty_input"
TOO_LONG = "too_long"
OTHER_LANGUAGE = "other_language"


@dataclass(frozen=True)
class InputRules:
    max_chars: int
    foreign_words: frozenset[str]
    foreign_min_words: int
    foreign_min_share: float


@lru_cache(maxsize=2)
def load_input_rules(path: Path = INPUT_CHECKS_FILE) -> InputRules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    foreign = data["foreign"]
    return InputRules(
        max_chars=int(data["max_chars"]),
        foreign_words=frozenset(str(w).lower() for w in foreign["words"]),
        foreign_min_words=int(foreign["min_words"]),
        foreign_min_share=float(foreign["min_share"]),
    )


def classify_input(text: str | None, rules: InputRules | None = None) -> str | None:
    """`empty_input`, `too_long`, `other_language`, or None for a message NLU should read."""
    rules = rules or load_input_rules()
    words = _WORD.findall(text or "")
    if not words:
        return EMPTY  # nothing but spaces, digits, symbols or control characters
    if len(text or "") > rules.max_chars:
        return TOO_LONG
    lowered = [w.lower() for w in words]
    foreign = sum(w in rules.foreign_words for w in lowered)
    if foreign >= rules.foreign_min_words and foreign / len(lowered) >= rules.foreign_min_share:
        return OTHER_LANGUAGE
    return None
