"""Find kommune mentions in a user's message: "jeg bor på Stord", "Bodøs legevakt", "Kárášjohka", "Tromso".

Names that are also ordinary words ("time", "sola", "Lund") only count with evidence; see name_policy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.kommuner.fylker import FylkeMention, find_fylke_mentions
from bot.kommuner.name_policy import (
    COMPOUND_TAILS,
    FOLDED_COMMON_WORDS,
    KOMMUNE_WORDS,
    PLACE_PREPOSITIONS,
    Policy,
    policy_for,
)
from bot.kommuner.registry import Kommune, kommune_by_number, load_kommuner
from bot.kommuner.textnorm import NORWEGIAN_LETTERS, Token, fold, lower, strip_apostrophe_genitive, tokenize

# spaCy nb_core_news_sm labels that mean "a place"; GPE_ORG is a place acting ("Bodø kommune sier ...").
PLACE_LABELS = frozenset({"LOC", "GPE_LOC", "GPE_ORG"})
PERSON_LABEL = "PER"

_JOINING_GAP = re.compile(r"\s*[-‐‑–]?\s*")  # "Nord-Aurdal", "Øvre Eiker", "Nord - Aurdal"
_SENTENCE_END = '.!?:;«"“”(-–—•*>'


@dataclass(frozen=True)
class KommuneMatch:
    text: str  # as written in the (NFC-normalised) message, e.g. "Bodøs"
    start: int  # character offsets in unicodedata.normalize("NFC", message)
    end: int
    name: str  # the official or Sami/Kven name it was read as, e.g. "Bodø", "Kárášjohka"
    candidates: tuple[Kommune, ...]  # one kommune, or several when the name is shared (Herøy, Våler)

    @property
    def is_ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def kommune(self) -> Kommune | None:
        """The kommune, or None when the assistant has to ask which one."""
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class _Entry:
    name: str
    numbers: tuple[str, ...]
    policy: Policy


def _name_key(name: str, normalise) -> tuple[str, ...]:
    return tuple(normalise(part) for part in name.replace("-", " ").split())


@cache
def _indexes() -> tuple[dict[tuple[str, ...], _Entry], dict[tuple[str, ...], _Entry], int]:
    """Exact (lower-case) and folded (diacritic-free) name indexes, built once per process."""
    numbers_by_name: dict[str, list[str]] = {}
    for kommune in load_kommuner():
        for name in kommune.names:
            numbers_by_name.setdefault(name, []).append(kommune.number)
    exact: dict[tuple[str, ...], _Entry] = {}
    folded: dict[tuple[str, ...], _Entry] = {}
    for name, numbers in numbers_by_name.items():
        entry = _Entry(name, tuple(numbers), policy_for(name))
        for index, normalise in ((exact, lower), (folded, fold)):
            key = _name_key(name, normalise)
            if key in index and index[key].name != name:
                raise ValueError(f"kommune names {index[key].name!r} and {name!r} share the key {key}")
            index[key] = entry
    longest = max(len(key) for key in exact)
    return exact, folded, longest


@cache
def _first_words_of_long_names() -> frozenset[str]:
    """Lets the scan skip two- and three-word lookups for words that start no such name."""
    exact, folded, _ = _indexes()
    return frozenset(key[0] for index in (exact, folded) for key in index if len(key) > 1)


@dataclass
class _Message:
    """A message split into tokens, with what the rules need to know about each."""

    text: str
    tokens: list[Token]
    lowered: list[str]  # lower-case, apostrophe genitive removed
    folded: list[str]
    had_apostrophe: list[bool]
    joinable: list[bool]  # token i and i+1 may form one name

    @classmethod
    def parse(cls, text: str) -> _Message:
        tokens = tokenize(text)
        bases = [strip_apostrophe_genitive(token.text) for token in tokens]
        words = [base if base is not None else token.text for base, token in zip(bases, tokens, strict=True)]
        joinable = [
            bases[k] is None and bool(_JOINING_GAP.fullmatch(text[tokens[k].end : tokens[k + 1].start]))
            for k in range(len(tokens) - 1)
        ]
        return cls(
            text=text,
            tokens=tokens,
            lowered=[lower(word) for word in words],
            folded=[fold(word) for word in words],
            had_apostrophe=[base is not None for base in bases],
            joinable=joinable,
        )

    def gap(self, left: int, right: int) -> str:
        return self.text[self.tokens[left].end : self.tokens[right].start]

    def starts_sentence(self, i: int) -> bool:
        before = self.text[: self.tokens[i].start]
        stripped = before.rstrip()
        return not stripped or "\n" in before[len(stripped) :] or stripped[-1] in _SENTENCE_END


@dataclass(frozen=True)
class _Candidate:
    entry: _Entry
    first: int
    last: int
    exact: bool
    compound: bool


def _entities(nlp_entities: Sequence[tuple[str, str]] | None, labels: frozenset[str]) -> list[tuple[str, ...]]:
    return [tuple(fold(t.text) for t in tokenize(text)) for text, label in nlp_entities or () if label in labels]


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return any(outer[k : k + len(inner)] == inner for k in range(len(outer) - len(inner) + 1))


def _last_token_variants(word: str, had_apostrophe: bool) -> list[tuple[str, bool, bool]]:
    """(word, is_genitive, is_compound) readings of a name's last word: Bodø, Bodøs, Osloområdet."""
    variants = [(word, had_apostrophe, False)]
    if not had_apostrophe and word.endswith("s"):
        variants.append((word[:-1], True, False))
    for tail in COMPOUND_TAILS:
        if word.endswith(tail) and len(word) > len(tail):
            stem = word[: -len(tail)]
            variants.append((stem, False, True))
            if stem.endswith("s"):
                variants.append((stem[:-1], False, True))
    return variants


def _lookups(msg: _Message, first: int, last: int) -> list[_Candidate]:
    exact_index, folded_index, _ = _indexes()
    raw = msg.text[msg.tokens[first].start : msg.tokens[last].end]
    ascii_spelling = not NORWEGIAN_LETTERS.intersection(raw)  # "søla" is not a way to spell Sola
    found = []
    for word, genitive, compound in _last_token_variants(msg.lowered[last], msg.had_apostrophe[last]):
        key = (*msg.lowered[first:last], word)
        entry, exact = exact_index.get(key), True
        if entry is None and ascii_spelling:
            entry, exact = folded_index.get(tuple(fold(part) for part in key)), False
        if entry is None:
            continue
        # A bare -s genitive of a 1–2 letter name is another word: "oss" is not Os's.
        if genitive and not msg.had_apostrophe[last] and len(fold(entry.name)) < 3:
            continue
        found.append(_Candidate(entry, first, last, exact, compound))
    return found


def _policy(candidate: _Candidate) -> Policy:
    policy = candidate.entry.policy
    folded_name = fold(candidate.entry.name)
    if not candidate.exact and (folded_name in FOLDED_COMMON_WORDS or len(folded_name) < 3):
        return Policy.CONTEXT  # "ha" for Hå, "bo" for Bø, "trena" for Træna
    return policy


def _fylke_attached(msg: _Message, after: int, mentions: list[FylkeMention]) -> FylkeMention | None:
    """A fylke right after the name: "Våler i Østfold", "Herøy kommune, Nordland", "Herøy (Nordland)"."""
    k = after
    for _ in range(3):
        if k >= len(msg.tokens) or re.search(r"[.!?\n]", msg.gap(k - 1, k)):
            return None
        for mention in mentions:
            if mention.first_token == k:
                return mention
        if msg.folded[k] not in {"i", "pa", *KOMMUNE_WORDS}:
            return None
        k += 1
    return None


def _inside_person_name(msg: _Message, first: int, last: int, persons: list[tuple[str, ...]]) -> bool:
    """True for "Anne Grimstad" tagged PER, false for "på Hospice Malvik" (which the model also calls PER)."""
    width = last - first + 1
    for entity in persons:
        for offset in range(len(entity) - width + 1):
            start = first - offset
            if len(entity) == width or start < 0 or tuple(msg.folded[start : start + len(entity)]) != entity:
                continue
            if not (start > 0 and msg.lowered[start - 1] in PLACE_PREPOSITIONS):
                return True
    return False


def _accepted(
    msg: _Message,
    candidate: _Candidate,
    mentions: list[FylkeMention],
    places: list[tuple[str, ...]],
    persons: list[tuple[str, ...]],
) -> bool:
    first, last = candidate.first, candidate.last
    policy = _policy(candidate)
    if candidate.compound and policy is not Policy.SAFE:
        return False
    span = tuple(msg.folded[first : last + 1])
    after = last + 1
    kommune_after = after < len(msg.tokens) and msg.lowered[after] in KOMMUNE_WORDS and not msg.gap(last, after).strip()
    preposition_before = (
        first > 0 and msg.lowered[first - 1] in PLACE_PREPOSITIONS and not msg.gap(first - 1, first).strip()
    )
    tagged_place = any(_contains(entity, span) for entity in places)
    tagged_person = any(_contains(entity, span) for entity in persons)
    inside_longer_person = _inside_person_name(msg, first, last, persons)
    fylke_after = _fylke_attached(msg, after, mentions) is not None
    capitalized = msg.tokens[first].is_capitalized

    if kommune_after or tagged_place:
        return True
    if policy is Policy.SAFE:
        # "Anne Grimstad" is a person even though Grimstad is a kommune.
        return preposition_before or not inside_longer_person
    if policy is Policy.CAPITAL:
        if preposition_before or fylke_after:
            return True
        return capitalized and not msg.starts_sentence(first) and not tagged_person
    return capitalized and (preposition_before or fylke_after)


def _resolve(msg: _Message, candidate: _Candidate, mentions: list[FylkeMention]) -> tuple[Kommune, ...]:
    kommuner = tuple(k for k in (kommune_by_number(nr) for nr in candidate.entry.numbers) if k is not None)
    if len(kommuner) < 2:
        return kommuner
    attached = _fylke_attached(msg, candidate.last + 1, mentions)
    # A fylke right after the name decides; otherwise one anywhere in the message, if only one fits.
    for numbers in (attached.fylke_numbers if attached else frozenset(), _all_numbers(mentions)):
        narrowed = tuple(k for k in kommuner if k.fylke_number in numbers)
        if len(narrowed) == 1:
            return narrowed
    return kommuner


def _all_numbers(mentions: list[FylkeMention]) -> frozenset[str]:
    return frozenset().union(*(m.fylke_numbers for m in mentions)) if mentions else frozenset()


def recognize_kommuner(text: str, nlp_entities: list[tuple[str, str]] | None = None) -> list[KommuneMatch]:
    """Every kommune mention in `text`, in order (a kommune named twice gives two matches).

    `nlp_entities` is optional [(text, label)] from spaCy nb_core_news_sm; a LOC/GPE_LOC/GPE_ORG tag lets
    a name that is also a common word count, and a longer PER entity ("Anne Grimstad") vetoes a match.
    """
    msg = _Message.parse(unicodedata.normalize("NFC", text))
    _, _, longest = _indexes()
    first_words = _first_words_of_long_names()
    mentions = find_fylke_mentions(msg.tokens, msg.folded, msg.joinable)
    places = _entities(nlp_entities, PLACE_LABELS)
    persons = _entities(nlp_entities, frozenset({PERSON_LABEL}))

    accepted: list[_Candidate] = []
    i = 0
    while i < len(msg.tokens):
        chosen = None
        for length in range(min(longest, len(msg.tokens) - i), 0, -1):
            last = i + length - 1
            if length > 1 and (not all(msg.joinable[i:last]) or not {msg.lowered[i], msg.folded[i]} & first_words):
                continue
            chosen = next((c for c in _lookups(msg, i, last) if _accepted(msg, c, mentions, places, persons)), None)
            if chosen:
                break
        if chosen:
            accepted.append(chosen)
            i = chosen.last + 1
        else:
            i += 1

    # A fylke inside a kommune name ("Indre Østfold") says nothing about another name.
    taken = {k for c in accepted for k in range(c.first, c.last + 1)}
    mentions = [m for m in mentions if not taken.intersection(range(m.first_token, m.last_token + 1))]
    return [
        KommuneMatch(
            text=msg.text[msg.tokens[c.first].start : msg.tokens[c.last].end],
            start=msg.tokens[c.first].start,
            end=msg.tokens[c.last].end,
            name=c.entry.name,
            candidates=_resolve(msg, c, mentions),
        )
        for c in accepted
    ]
