"""Feedback after a rehearsal: covered and missed domains, question style, and the key moves of the guides.

Deterministic: the same session always gives the same feedback, in the domain order of domains.yml.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.rehearsal.persona import Persona
from bot.rehearsal.session import RehearsalSession
from bot.rehearsal.vocabulary import Vocabulary


@dataclass(frozen=True)
class MissedDomain:
    id: str
    label: str
    suggested: str


@dataclass(frozen=True)
class Feedback:
    persona_id: str
    turns: int
    expected: tuple[str, ...]
    covered: tuple[str, ...]
    missed: tuple[MissedDomain, ...]
    open_questions: int
    closed_questions: int
    leading_questions: int
    medical_advice: int
    permission_asked: bool
    what_matters_asked: bool
    summarised: bool
    follow_up_agreed: bool
    refusals: int
    pushed_after_refusal: int
    respected_refusal: bool
    # None when the persona has no relative answering or interpreting for them.
    own_voice_invited: bool | None

    @property
    def missed_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.missed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_feedback(session: RehearsalSession, persona: Persona, vocab: Vocabulary) -> Feedback:
    """Summarise a session against the domains expected for its persona."""
    records = session.turns
    expected = vocab.ordered((*vocab.rehearsal_core, *persona.extra_domains))
    covered = vocab.ordered(session.covered_domains)
    missed = tuple(
        MissedDomain(d, vocab.domains[d].label, vocab.domains[d].suggested) for d in expected if d not in covered
    )

    def used(signal: str) -> bool:
        return any(r.turn.has(signal) for r in records)

    state = session.state
    return Feedback(
        persona_id=persona.id,
        turns=len(records),
        expected=expected,
        covered=covered,
        missed=missed,
        open_questions=sum(r.turn.open_questions for r in records),
        closed_questions=sum(r.turn.closed_questions for r in records),
        leading_questions=sum(r.turn.leading_questions for r in records),
        medical_advice=sum(1 for r in records if r.turn.has("medical_advice")),
        permission_asked=used("permission"),
        what_matters_asked=used("what_matters"),
        summarised=used("summary"),
        follow_up_agreed=used("follow_up"),
        refusals=state.refusals,
        pushed_after_refusal=state.pushes,
        respected_refusal=state.respected,
        own_voice_invited=state.released if persona.proxy else None,
    )
