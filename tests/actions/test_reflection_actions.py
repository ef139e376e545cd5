"""The reflection form's actions: questions one at a time, skip, no answers kept without consent, summary."""

from __future__ import annotations

from actions.reflection import (
    ActionAskReflectionAnswer,
    ActionReflectionSummary,
    ValidateReflectionForm,
)


def answer_message(text: str, intent: str = "inform") -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}


def validate(tracker, dispatcher, value, slots, intent="inform") -> dict:
    t = tracker("default", slots=slots, latest_message=answer_message(value, intent))
    return ValidateReflectionForm().validate_reflection_answer(value, dispatcher, t, {})


def test_questions_are_asked_one_at_a_time_with_skip_and_stop(tracker, dispatcher, store) -> None:
    ActionAskReflectionAnswer().run(dispatcher, tracker("default", slots={"reflection_step": 1}), {})
    [message] = dispatcher.messages
    questions = store.reflection_questions("refleksjon_hva_er_viktig")
    assert message["text"] == f"Spørsmål 2 av {len(questions)}: {questions[1].text}"
    assert [b["payload"] for b in message["buttons"]] == ["/hopp_over", "/stopp"]


def test_without_consent_the_answer_is_not_kept(tracker, dispatcher) -> None:
    result = validate(tracker, dispatcher, "Jeg vil være hjemme", {"reflection_consent": False, "reflection_step": 0})
    assert result == {"reflection_step": 1, "reflection_answers": [], "reflection_answer": None}


def test_with_consent_the_answer_is_kept_and_a_skip_is_empty(tracker, dispatcher) -> None:
    slots = {"reflection_consent": True, "reflection_step": 0, "reflection_answers": []}
    kept = validate(tracker, dispatcher, "Jeg vil være hjemme", slots)
    assert kept["reflection_answers"] == ["Jeg vil være hjemme"]
    skipped = validate(tracker, dispatcher, "/hopp_over", {**slots, **kept}, intent="hopp_over")
    assert skipped["reflection_answers"] == ["Jeg vil være hjemme", None]


def test_the_last_answer_completes_the_form(tracker, dispatcher, store) -> None:
    total = len(store.reflection_questions("refleksjon_hva_er_viktig"))
    result = validate(tracker, dispatcher, "Ja", {"reflection_consent": False, "reflection_step": total - 1})
    assert result["reflection_answer"] == "ferdig"


def test_summary_with_consent_lists_the_answers_for_printing(tracker, dispatcher, store) -> None:
    slots = {"reflection_consent": True, "reflection_answers": ["Familien", None, "Hjemme"], "reflection_step": 3}
    events = ActionReflectionSummary().run(dispatcher, tracker("default", slots=slots), {})
    [message] = dispatcher.messages
    questions = store.reflection_questions("refleksjon_hva_er_viktig")
    assert f"- {questions[0].summary_label}: Familien" in message["text"]
    assert f"- {questions[2].summary_label}: Hjemme" in message["text"]
    assert message["custom"]["kind"] == "summary"
    assert len(message["custom"]["entries"]) == 2
    assert {"event": "slot", "timestamp": None, "name": "reflection_answers", "value": None} in events


def test_summary_without_consent_shows_nothing_typed(tracker, dispatcher) -> None:
    slots = {"reflection_consent": False, "reflection_answers": ["Familien"], "reflection_step": 3}
    ActionReflectionSummary().run(dispatcher, tracker("default", slots=slots), {})
    [message] = dispatcher.messages
    assert "Familien" not in message["text"]
    assert not message.get("custom")


def test_a_question_during_the_reflection_is_answered_and_the_step_stays(tracker, dispatcher, store) -> None:
    slots = {"reflection_consent": True, "reflection_step": 2, "reflection_answers": ["a", "b"]}
    result = validate(tracker, dispatcher, "Lagrer dere det jeg skriver?", slots, intent="privacy_question")
    assert result == {"reflection_answer": None}
    assert dispatcher.messages[0]["text"].startswith(store.item("personvern").body[:40])


def test_a_statement_is_an_answer_even_if_it_sounds_like_a_topic(tracker, dispatcher) -> None:
    slots = {"reflection_consent": True, "reflection_step": 0, "reflection_answers": []}
    result = validate(tracker, dispatcher, "Jeg vil dø hjemme", slots, intent="faq")
    assert result["reflection_answers"] == ["Jeg vil dø hjemme"] and not dispatcher.messages
