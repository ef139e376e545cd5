"""Which kommune a conversation is about: a button, the user's words, what we already know, or the page.

The order, most specific first:
1. a `kommune` entity: a button payload /inform_kommune{"kommune":"3114"}, or the NLU component
   bot.components.kommune_entities (one entity per candidate, so "Våler" gives two on the same span, with the
   role `candidate` so the slot mapping leaves them to the action that asks);
2. a kommune named in the message ("jeg bor i Bodø", "i Kárášjohka"), found by bot.kommuner.recognize_kommuner,
   plus the fictional example kommuner of the directory ("Eksempelvik");
3. the slot kommune_nummer (what the user said earlier, or the page said);
4. the channel metadata {"kommune": "1804"} of this message, then of the session start.
A shared name ("Herøy", "Våler") is not guessed: the caller asks which one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.kommuner import Kommune, KommuneMatch, kommune_by_number, load_kommuner, recognize_kommuner
from bot.kommuner.fylker import fylke_index
from bot.kommuner.name_policy import KOMMUNE_WORDS, PLACE_PREPOSITIONS
from bot.kommuner.textnorm import fold, tokenize
from bot.services.schema import DirectoryKommune

KOMMUNE_ENTITY = "kommune"
METADATA_KEY = "kommune"
# spaCy labels that tell the gazetteer a common word is a place (or a person, so not a place) here.
PLACE_LABELS = frozenset({"GPE_LOC", "LOC", "GPE_ORG", "PER"})


@dataclass(frozen=True)
class KommuneRef:
    number: str
    name: str
    fylke: str | None = None
    fictional: bool = False
    other_names: tuple[str, ...] = ()  # official Sami and Kven names

    @property
    def label(self) -> str:
        """What the user reads: "Bodø", "Herøy (Nordland)", "Karasjok – Kárášjohka", "Eksempelvik (Fiktiv …)"."""
        if self.fictional:
            return DirectoryKommune(self.number, self.name, fictional=True).label
        name = " – ".join((self.name, *self.other_names))
        return f"{name} ({self.fylke})" if _shared_names().get(self.name, 0) > 1 else name

    @classmethod
    def of(cls, kommune: Kommune) -> KommuneRef:
        return cls(kommune.number, kommune.name, kommune.fylke, other_names=kommune.other_names)


@dataclass(frozen=True)
class Resolution:
    kommune: KommuneRef | None = None
    ambiguous: tuple[KommuneRef, ...] = ()  # the candidates when the message named a shared name
    source: str = "none"  # entity, text, slot, metadata or none

    @property
    def needs_choice(self) -> bool:
        return self.kommune is None and len(self.ambiguous) > 1


@cache
def _shared_names() -> dict[str, int]:
    counts: dict[str, int] = {}
    for kommune in load_kommuner():
        counts[kommune.name] = counts.get(kommune.name, 0) + 1
    return counts


def kommune_ref(number: Any, fictional: Iterable[DirectoryKommune] = ()) -> KommuneRef | None:
    """A real kommune from kommuner.csv, or one of the directory's fictional kommuner, by number."""
    nr = str(number or "").strip()
    for kommune in fictional:
        if kommune.number == nr:
            return KommuneRef(kommune.number, kommune.name, fictional=True)
    real = kommune_by_number(nr)
    return KommuneRef.of(real) if real else None


def _fictional_mentions(text: str, fictional: Iterable[DirectoryKommune]) -> list[tuple[int, KommuneRef]]:
    folded = fold(text)
    found = []
    for kommune in fictional:
        # Genitive and compounds count too: "Eksempelviks", "Eksempelvik kommune".
        match = re.search(rf"\b{re.escape(fold(kommune.name))}", folded)
        if match:
            found.append((match.start(), KommuneRef(kommune.number, kommune.name, fictional=True)))
    return found


@cache
def _filler_words() -> frozenset[str]:
    """Words a bare answer may have besides the name: "i", "kommune", a fylke ("Våler, Østfold")."""
    fylke_words = {word for key in fylke_index() for word in key}
    return frozenset({*(fold(w) for w in PLACE_PREPOSITIONS | KOMMUNE_WORDS), *fylke_words})


def _bare_answer(text: str) -> list[KommuneMatch]:
    """A message that is nothing but a kommune name ("Moss", "Time", "Lund") is the name, even where running text
    would need a cue: it answers «which kommune?». Read as if it followed "i"."""
    matches = [m for m in recognize_kommuner("i " + text) if m.candidates]
    if len(matches) != 1:
        return []
    rest = text[: matches[0].start - 2] + " " + text[matches[0].end - 2 :]
    if any(fold(token.text) not in _filler_words() for token in tokenize(rest)):
        return []
    match = matches[0]
    return [KommuneMatch(match.text, match.start - 2, match.end - 2, match.name, match.candidates)]


def mentions_in_text(
    text: str, fictional: Iterable[DirectoryKommune] = (), nlp_entities: Sequence[tuple[str, str]] | None = None
) -> list[tuple[KommuneRef, ...]]:
    """Each kommune mention in order, as its candidates (one, or several for a shared name)."""
    text = unicodedata.normalize("NFC", text)
    matches = recognize_kommuner(text, list(nlp_entities) if nlp_entities else None) or _bare_answer(text)
    found: list[tuple[int, tuple[KommuneRef, ...]]] = [
        (m.start, tuple(KommuneRef.of(k) for k in m.candidates)) for m in matches if m.candidates
    ]
    found += [(start, (ref,)) for start, ref in _fictional_mentions(text, fictional)]
    return [candidates for _, candidates in sorted(found, key=lambda f: f[0])]


def _entity_candidates(
    entities: Sequence[Mapping[str, Any]], fictional: Sequence[DirectoryKommune]
) -> list[KommuneRef]:
    """The candidates of the first `kommune` entity span (a shared name gives several on one span)."""
    spans: dict[tuple[Any, Any], list[KommuneRef]] = {}
    for entity in entities:
        if entity.get("entity") != KOMMUNE_ENTITY:
            continue
        ref = kommune_ref(entity.get("value"), fictional)
        if ref is not None:
            refs = spans.setdefault((entity.get("start"), entity.get("end")), [])
            if ref not in refs:
                refs.append(ref)
    return next(iter(spans.values()), [])


def _choose(candidates: Sequence[KommuneRef], source: str, known: str | None = None) -> Resolution:
    if len(candidates) == 1:
        return Resolution(candidates[0], source=source)
    # "Våler" again, after the user already chose Våler i Østfold: keep that one.
    chosen = next((c for c in candidates if c.number == known), None)
    return Resolution(chosen, source="slot") if chosen else Resolution(ambiguous=tuple(candidates), source=source)


def _from_metadata(metadata: Any, fictional: Sequence[DirectoryKommune]) -> KommuneRef | None:
    """The page's kommune: a number ("1804", 1804, "301") or an unambiguous name ("Bodø")."""
    if not isinstance(metadata, Mapping) or metadata.get(METADATA_KEY) in (None, ""):
        return None
    value = str(metadata[METADATA_KEY]).strip()
    if value.isdigit():
        return kommune_ref(value.zfill(4) if len(value) == 3 else value, fictional)
    mentions = mentions_in_text(value, fictional)
    return mentions[0][0] if len(mentions) == 1 and len(mentions[0]) == 1 else None


def place_entities(text: str) -> list[tuple[str, str]]:
    """spaCy's place and person entities, which tell the gazetteer when a common word is a place name."""
    from bot.nlp import entities

    return [(t, label) for t, label in entities(text) if label in PLACE_LABELS]


def resolve_kommune(
    message: Mapping[str, Any],
    slot_value: str | None = None,
    session_metadata: Mapping[str, Any] | None = None,
    fictional: Sequence[DirectoryKommune] = (),
) -> Resolution:
    """The kommune for this turn; see the module docstring for the order."""
    candidates = _entity_candidates(message.get("entities") or [], fictional)
    if candidates:
        return _choose(candidates, "entity", slot_value)
    text = str(message.get("text") or "")
    if not text.lstrip().startswith("/"):  # a button payload is not words
        mentions = mentions_in_text(text, fictional, nlp_entities=place_entities(text))
        if mentions:
            return _choose(mentions[0], "text", slot_value)
    known = kommune_ref(slot_value, fictional) if slot_value else None
    if known:
        return Resolution(known, source="slot")
    for metadata in (message.get("metadata"), session_metadata):
        ref = _from_metadata(metadata, fictional)
        if ref:
            return Resolution(ref, source="metadata")
    return Resolution()
