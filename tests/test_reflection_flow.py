"""The reflection's plain-Python rules: without consent nothing typed is kept; skips leave no trace."""

from __future__ import annotations

from bot.content.schema import ReflectionQuestion
from bot.flows.reflection import ReflectionState, is_finished, record_answer, summary_entries, summary_text

QUESTIONS = (
    ReflectionQuestion("viktig_na", "Hva er viktig for deg nå?", "Det som er viktig for meg nå"),
    ReflectionQuestion("hvem", "Hvem vil du ha rundt deg?", "Dette vil jeg ha rundt meg"),
    ReflectionQuestion("hvor", "Hvor ønsker du å være?", "Her ønsker jeg å være"),
)


def test_without_consent_no_answer_is_kept_but_the_steps_advance() -> None:
    state = ReflectionState.from_slots(None, None)
    for answer in ("Å være hjemme med katten", "Datteren min", "Hjemme"):
        state = record_answer(state, answer, consent=False)
    assert state == ReflectionState(3, ())
    assert is_finished(state, QUESTIONS)
    assert summary_entries(QUESTIONS, state.answers) == []


def test_with_consent_answers_are_kept_in_order_and_skips_are_left_out() -> None:
    state = ReflectionState.from_slots(0, [])
    state = record_answer(state, "  Å være   hjemme ", consent=True)
    state = record_answer(state, None, consent=True)  # hopp over
    assert not is_finished(state, QUESTIONS)
    state = record_answer(state, "Hjemme", consent=True)
    assert summary_entries(QUESTIONS, state.answers) == [
        ("Det som er viktig for meg nå", "Å være hjemme"),
        ("Her ønsker jeg å være", "Hjemme"),
    ]


def test_a_huge_answer_is_shortened_not_lost() -> None:
    state = record_answer(ReflectionState(0, ()), "ord " * 1000, consent=True, max_chars=50)
    assert state.answers[0] is not None and len(state.answers[0]) == 50


def test_summary_text_lists_each_wish_under_the_intro() -> None:
    text = summary_text("Mine ønsker", [("Her ønsker jeg å være", "Hjemme")])
    assert text == "Mine ønsker\n\n- Her ønsker jeg å være: Hjemme"
