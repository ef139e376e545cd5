"""The guided reflection: one question at a time, skippable, and a «Mine ønsker» summary only with consent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.schema import ReflectionQuestion


@dataclass(frozen=True)
class ReflectionState:
    """What the reflection slots hold: the step reached, and the answers kept (only with consent)."""

    step: int
    answers: tuple[str | None, ...]  # None where the user skipped; empty without consent

    @classmethod
    def from_slots(cls, step: float | None, answers: Sequence[str | None] | None) -> ReflectionState:
        return cls(int(step or 0), tuple(answers or ()))


def record_answer(state: ReflectionState, answer: str | None, consent: bool, max_chars: int = 500) -> ReflectionState:
    """Move to the next question; keep the answer only when the user said yes to the summary."""
    if not consent:
        return ReflectionState(state.step + 1, ())
    kept = " ".join(answer.split())[:max_chars] if answer and answer.strip() else None
    return ReflectionState(state.step + 1, (*state.answers, kept))


def is_finished(state: ReflectionState, questions: Sequence[ReflectionQuestion]) -> bool:
    return state.step >= len(questions)


def summary_entries(questions: Sequence[ReflectionQuestion], answers: Sequence[str | None]) -> list[tuple[str, str]]:
    """(label, answer) pairs for the questions the user answered, in question order."""
    return [(q.summary_label, a) for q, a in zip(questions, answers, strict=False) if a]


def summary_text(intro: str, entries: Sequence[tuple[str, str]]) -> str:
    lines = [f"- {label}: {answer}" for label, answer in entries]
    return intro.strip() + "\n\n" + "\n".join(lines)
