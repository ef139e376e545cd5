"""Text normalisation and whole-word cue matching for the rehearsal classifier.

Cues are written as plain lower-case phrases in content/staff/domains.yml. A word ending in "*" matches any
ending ("bekymr*" -> bekymret, bekymringer), which stands in for lemmatisation: staff text is short and the
vocabulary of a forhåndssamtale is small, so prefix cues are enough and keep the classifier transparent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Hyphens and dashes join words that users also write apart ("hjerte-lunge-redning").
_DASHES = re.compile(r"[\-\u2010-\u2015_/]+")
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
# A sentence ends at . ! ? or … followed by space, or at a line break.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\u2026])\s+|[\r\n]+")
_CLAUSE_SPLIT = re.compile(r"[,;:]")
_TRAILING_CLOSERS = " \t»«\"'’”)]"


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; punctuation and dashes become spaces."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _DASHES.sub(" ", text)
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Sentence:
    """One sentence of a staff turn: normalised text, its clauses, and whether it ended with '?'."""

    text: str
    clauses: tuple[str, ...]
    asks: bool


def split_sentences(text: str) -> list[Sentence]:
    """Split a turn into sentences; empty pieces are dropped."""
    sentences = []
    for raw in _SENTENCE_SPLIT.split(text):
        raw = raw.strip()
        if not raw:
            continue
        asks = raw.rstrip(_TRAILING_CLOSERS).endswith("?")
        clauses = tuple(c for c in (normalize(part) for part in _CLAUSE_SPLIT.split(raw)) if c)
        norm = normalize(raw)
        if norm:
            sentences.append(Sentence(text=norm, clauses=clauses, asks=asks))
    return sentences


@dataclass(frozen=True)
class Cue:
    """A phrase from the data, compiled to a whole-word regular expression."""

    phrase: str
    pattern: re.Pattern[str]

    def search(self, text: str) -> int | None:
        """Start position of the first match in normalised text, or None."""
        match = self.pattern.search(text)
        return match.start() if match else None

    def span(self, text: str) -> tuple[int, int] | None:
        match = self.pattern.search(text)
        return (match.start(), match.end()) if match else None


def compile_cue(phrase: str) -> Cue:
    """Compile one cue phrase; raises ValueError for an empty phrase."""
    parts = []
    for word in str(phrase).split():
        wildcard = word.endswith("*")
        pieces = normalize(word.rstrip("*")).split()
        if not pieces:
            continue
        escaped = [re.escape(p) for p in pieces]
        if wildcard:
            escaped[-1] += r"\w*"
        parts.extend(escaped)
    if not parts:
        raise ValueError(f"tom cue: {phrase!r}")
    return Cue(phrase=str(phrase), pattern=re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"))


def compile_cues(phrases: Iterable[str] | None) -> tuple[Cue, ...]:
    return tuple(compile_cue(p) for p in (phrases or ()))


def first_match(cues: Iterable[Cue], text: str) -> int | None:
    """Earliest start of any cue in text, or None when none matches."""
    positions = [p for p in (cue.search(text) for cue in cues) if p is not None]
    return min(positions) if positions else None


def starts_with(cues: Iterable[Cue], text: str) -> bool:
    """True when one of the cues matches at the very start of text."""
    return any(cue.search(text) == 0 for cue in cues)
