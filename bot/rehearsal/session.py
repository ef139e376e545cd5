"""A rehearsal session: one staff member practising a forhåndssamtale with one persona.

The session stores ids, counters and the classification of each turn, never the staff member's or the
persona's words, so to_dict() is small and safe to keep in a Rasa slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.rehearsal.classify import ClassifiedTurn, classify_turn
from bot.rehearsal.persona import NOT_COVERING, Persona, PersonaReply, PersonaState, default_personas, reply
from bot.rehearsal.vocabulary import Vocabulary, load_vocabulary

# A practice conversation is short; the cap keeps a forgotten session from growing the slot without bound.
MAX_TURNS = 60
SCHEMA_VERSION = 1


class SessionFull(RuntimeError):
    """Raised when a session already has MAX_TURNS turns."""


@dataclass(frozen=True)
class TurnRecord:
    """One staff turn: its classification and what kind of reply it got."""

    turn: ClassifiedTurn
    reply_kind: str
    reply_domain: str | None = None

    @property
    def covered(self) -> tuple[str, ...]:
        """Domains this turn covered: raised without leading, and the patient did not refuse or get advice."""
        return () if self.reply_kind in NOT_COVERING else self.turn.domains

    def to_dict(self) -> dict[str, Any]:
        return {**self.turn.to_dict(), "reply": self.reply_kind, "reply_domain": self.reply_domain}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TurnRecord:
        return cls(ClassifiedTurn.from_dict(data), str(data.get("reply", "")), data.get("reply_domain"))


@dataclass
class RehearsalSession:
    persona_id: str
    turns: list[TurnRecord] = field(default_factory=list)
    state: PersonaState = field(default_factory=PersonaState)

    @classmethod
    def start(cls, persona_id: str, personas: Mapping[str, Persona] | None = None) -> RehearsalSession:
        """A new session; raises KeyError for an unknown persona id."""
        personas = default_personas() if personas is None else personas
        if persona_id not in personas:
            raise KeyError(persona_id)
        return cls(persona_id=persona_id)

    def take_turn(self, text: str, persona: Persona | None = None, vocab: Vocabulary | None = None) -> PersonaReply:
        """Classify the staff turn, let the persona reply, and record the turn (without its text)."""
        if len(self.turns) >= MAX_TURNS:
            raise SessionFull(self.persona_id)
        vocab = vocab or load_vocabulary()
        persona = persona or default_personas()[self.persona_id]
        if persona.id != self.persona_id:
            raise ValueError(f"persona {persona.id} hører ikke til denne økten ({self.persona_id})")
        turn = classify_turn(text, vocab, persona.extra_cues)
        answer = reply(persona, self.state, turn, vocab)
        self.turns.append(TurnRecord(turn, answer.kind, answer.domain))
        return answer

    @property
    def covered_domains(self) -> set[str]:
        covered: set[str] = set()
        for record in self.turns:
            covered.update(record.covered)
        return covered

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "persona_id": self.persona_id,
            "turns": [t.to_dict() for t in self.turns],
            "state": self.state.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RehearsalSession:
        if data.get("version") != SCHEMA_VERSION:
            raise ValueError(f"ukjent versjon av øvingsøkt: {data.get('version')!r}")
        return cls(
            persona_id=str(data["persona_id"]),
            turns=[TurnRecord.from_dict(t) for t in data.get("turns", ())],
            state=PersonaState.from_dict(data.get("state", {})),
        )
