"""Classify one staff turn of a practice forhåndssamtale: which domains it touches and what it does.

Data-driven: every cue comes from content/staff/domains.yml (see vocabulary.py). The result holds no staff
text, only ids and counts, so it can be stored in a session slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.rehearsal.cues import Cue, Sentence, first_match, split_sentences, starts_with
from bot.rehearsal.vocabulary import Vocabulary

OPEN, CLOSED, LEADING, STATEMENT = "open", "closed", "leading", "statement"
# Imperatives that invite an open answer even without a question mark.
_INVITING_STARTS = ("fortell", "beskriv", "si litt", "si noe")


@dataclass(frozen=True)
class ClassifiedTurn:
    """What a staff turn did. Domain tuples keep the order in which the domains appeared."""

    domains: tuple[str, ...] = ()
    question_domains: tuple[str, ...] = ()
    closed_domains: tuple[str, ...] = ()
    leading_domains: tuple[str, ...] = ()
    open_questions: int = 0
    closed_questions: int = 0
    leading_questions: int = 0
    signals: frozenset[str] = frozenset()

    def has(self, signal: str) -> bool:
        return signal in self.signals

    def to_dict(self) -> dict[str, Any]:
        return {
            "domains": list(self.domains),
            "question_domains": list(self.question_domains),
            "closed_domains": list(self.closed_domains),
            "leading_domains": list(self.leading_domains),
            "open": self.open_questions,
            "closed": self.closed_questions,
            "leading": self.leading_questions,
            "signals": sorted(self.signals),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClassifiedTurn:
        return cls(
            domains=tuple(data.get("domains", ())),
            question_domains=tuple(data.get("question_domains", ())),
            closed_domains=tuple(data.get("closed_domains", ())),
            leading_domains=tuple(data.get("leading_domains", ())),
            open_questions=int(data.get("open", 0)),
            closed_questions=int(data.get("closed", 0)),
            leading_questions=int(data.get("leading", 0)),
            signals=frozenset(data.get("signals", ())),
        )


def _strip_skip_words(clause: str, skip: frozenset[str]) -> str:
    words = clause.split()
    while words and words[0] in skip:
        words.pop(0)
    return " ".join(words)


def _question_kind(sentence: Sentence, is_last_of_unmarked_turn: bool, vocab: Vocabulary) -> str:
    """open/closed for a question sentence, statement otherwise (leading is decided by the caller)."""
    clauses = [_strip_skip_words(c, vocab.skip_words) for c in sentence.clauses]
    opens = any(starts_with(vocab.open_starts, c) for c in clauses)
    if sentence.asks:
        # Any yes/no or declarative question ("Du bor alene?") is closed unless a clause opens it.
        return OPEN if opens else CLOSED
    first = clauses[0] if clauses else ""
    if first.startswith(_INVITING_STARTS):
        return OPEN
    # A turn typed without any "?": its last sentence is a question when it starts like one.
    if is_last_of_unmarked_turn:
        if opens:
            return OPEN
        if starts_with(vocab.closed_starts, first):
            return CLOSED
    return STATEMENT


def _signals_in(sentence: Sentence, is_question: bool, vocab: Vocabulary) -> dict[str, int]:
    """Signal id -> word index of its first match in the sentence."""
    folded = _fold_pronouns(sentence.text, vocab.pronoun_folding)
    found: dict[str, int] = {}
    for signal in vocab.signals.values():
        if signal.scope == "questions" and not is_question:
            continue
        if signal.scope == "statements" and is_question:
            continue
        cues: tuple[Cue, ...] = signal.cues
        if signal.statement_cues and not is_question:
            cues = cues + signal.statement_cues
        text = folded if signal.fold_pronouns else sentence.text
        position = first_match(cues, text)
        if position is not None:
            found[signal.id] = text.count(" ", 0, position)
    return found


def _fold_pronouns(text: str, folding: Mapping[str, str]) -> str:
    """Third person to second person, word by word ("hvor vil han være" -> "hvor vil du være")."""
    if not folding:
        return text
    return " ".join(folding.get(word, word) for word in text.split(" "))


def _domains_in(
    sentence: Sentence, signals: dict[str, int], vocab: Vocabulary, extra: Mapping[str, tuple[Cue, ...]]
) -> list[str]:
    """Domain ids in the sentence, ordered by where they first appear."""
    # Positions are compared as word indexes: folding keeps the words but not their lengths.
    text = _fold_pronouns(sentence.text, vocab.pronoun_folding)
    positions: dict[str, int] = {}
    for domain in vocab.domains.values():
        position = first_match(domain.cues + extra.get(domain.id, ()), text)
        if position is not None:
            positions[domain.id] = text.count(" ", 0, position)
    for sid, word in signals.items():
        target = vocab.signals[sid].counts_as
        if target:
            positions[target] = min(word, positions.get(target, word))
    return sorted(positions, key=lambda d: (positions[d], list(vocab.domains).index(d)))


def _append_unique(target: list[str], items: list[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def classify_turn(
    text: str, vocab: Vocabulary, extra_cues: Mapping[str, tuple[Cue, ...]] | None = None
) -> ClassifiedTurn:
    """Classify a staff turn. extra_cues adds persona-specific cues per domain (e.g. the children's names)."""
    extra = extra_cues or {}
    sentences = split_sentences(text)
    unmarked = not any(s.asks for s in sentences)
    domains: list[str] = []
    question_domains: list[str] = []
    closed_domains: list[str] = []
    open_domains: list[str] = []
    leading_domains: list[str] = []
    counts = {OPEN: 0, CLOSED: 0, LEADING: 0}
    signals: set[str] = set()
    for index, sentence in enumerate(sentences):
        kind = _question_kind(sentence, unmarked and index == len(sentences) - 1, vocab)
        is_question = kind != STATEMENT
        found = _signals_in(sentence, is_question, vocab)
        if is_question and "leading" in found:
            kind = LEADING
        signals.update(found)
        sentence_domains = _domains_in(sentence, found, vocab, extra)
        if kind == LEADING:
            # A leading question raises a domain without letting the patient answer freely: not covered.
            counts[LEADING] += 1
            _append_unique(leading_domains, sentence_domains)
            continue
        _append_unique(domains, sentence_domains)
        if is_question:
            counts[kind] += 1
            _append_unique(question_domains, sentence_domains)
            _append_unique(closed_domains if kind == CLOSED else open_domains, sentence_domains)
    # A domain asked both openly and closed in one turn counts as asked openly.
    return ClassifiedTurn(
        domains=tuple(domains),
        question_domains=tuple(question_domains),
        closed_domains=tuple(d for d in closed_domains if d not in open_domains),
        leading_domains=tuple(d for d in leading_domains if d not in domains),
        open_questions=counts[OPEN],
        closed_questions=counts[CLOSED],
        leading_questions=counts[LEADING],
        signals=frozenset(signals),
    )
