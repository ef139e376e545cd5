"""The safety gate overrides whatever the classifiers said: crisis first, then input problems, then exit words."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components import safety_gate
from bot.components.safety_gate import SafetyGate
from bot.safety.assessment import CrisisAssessment, assess, without_second_person


def classified(text: str, intent: str = "faq", confidence: float = 0.9) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}])
    message.set("entities", [])
    return message


def gate(text: str, intent: str = "faq") -> Message:
    [message] = SafetyGate().process([classified(text, intent)])
    return message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jeg orker ikke mer", "suicidal"),
        ("eg vil ikkje leve lenger", "suicidal"),
        ("pappa puster ikke", "medical_emergency"),
        ("stopp, mamma er bevisstløs", "medical_emergency"),
    ],
)
def test_crisis_wins_over_any_classifier(text: str, kind: str) -> None:
    message = gate(text, intent="stopp")
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "crisis"
    assert {"entity": "crisis_kind", "value": kind} in [
        {"entity": e["entity"], "value": e["value"]} for e in message.get("entities")
    ]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("", "empty_input"), ("What is a living will?", "other_language"), ("hei " * 500, "too_long")],
)
def test_input_problems_get_their_own_intent(text: str, intent: str) -> None:
    assert gate(text).get("intent")["name"] == intent


@pytest.mark.parametrize("text", ["stopp", "Avslutt!", "ikke nå", "ikkje no"])
def test_a_bare_exit_word_always_stops(text: str) -> None:
    assert gate(text, intent="faq").get("intent")["name"] == "stopp"


@pytest.mark.parametrize("text", ["jeg vil dø hjemme", "hva er et livstestament", "kan jeg stoppe behandlingen?"])
def test_ordinary_messages_keep_the_classifiers_answer(text: str) -> None:
    message = gate(text, intent="faq")
    assert message.get("intent") == {"name": "faq", "confidence": 0.9}
    assert message.get("entities") == []


def test_every_message_carries_the_assessment_without_its_text() -> None:
    message = gate("hva er et livstestament")
    assessment = message.get("crisis")
    assert set(assessment) == {"kind", "by", "score", "check", "own", "followup", "followup_confidence"}
    assert assessment["kind"] is None
    assert "livstestament" not in repr(assessment)


def test_a_signal_addressed_to_du_gets_its_own_intent(monkeypatch: pytest.MonkeyPatch) -> None:
    # A clinician's screening question in a rehearsal; bot/flows/crisis_state.py decides what it means where.
    addressed = CrisisAssessment("suicidal", "model", 0.9, False, False, "unclear", 0.2)
    monkeypatch.setattr(safety_gate, "assess", lambda text: addressed)
    message = gate("Tenker du på å ta livet ditt?", intent="faq")
    assert message.get("intent")["name"] == "crisis_addressed"
    assert message.get("crisis")["own"] is False


def test_only_clauses_to_du_are_left_out_when_judging_whose_crisis_it_is() -> None:
    assert without_second_person("Hvordan har du det? Jeg vil ikke leve lenger.") == "Jeg vil ikke leve lenger"
    assert without_second_person("Har du tenkt på å ta livet ditt?") == ""
    for own in ("Hvordan har du det i dag? Jeg vil ikke leve lenger.", "Jeg vil ta livet mitt, kan du hjelpe meg?",
                "dere kan ikke hjelpe meg, jeg vil dø"):
        assert assess(own).own, own


def test_a_signal_in_one_sentence_does_not_drown_in_a_longer_message() -> None:
    alone = assess("jeg vil ikke mer")
    assert alone.kind is not None or alone.check
    with_question = assess("jeg vil ikke mer. Hva er et livstestament?")
    assert with_question.kind is not None or with_question.check


def test_a_bare_exit_word_is_never_a_crisis_by_the_model_alone() -> None:
    # The learned model reads very short messages poorly; an exit word alone is a request to stop.
    for text in ("ikke nå", "stopp", "avslutt", "nok nå"):
        assert gate(text, intent="faq").get("intent")["name"] == "stopp"


@pytest.mark.parametrize("text", ["kutter meg igjen, klarer ikke slutte", "jeg stopper ikke før jeg er borte"])
def test_stopp_never_takes_a_crisis_message(text: str) -> None:
    assert gate(text, intent="stopp").get("intent")["name"] == "crisis"


@pytest.mark.parametrize("text", ["legen sier vi skal slutte med cellegiften", "når slutter pleiepengene?"])
def test_stopp_is_kept_only_for_a_request_to_stop(text: str) -> None:
    message = gate(text, intent="stopp")
    assert message.get("intent")["name"] == "nlu_fallback"
    assert all(r["name"] != "stopp" for r in message.get("intent_ranking"))


@pytest.mark.parametrize("text", ["kan vi slutte her", "jeg vil ikke ha flere spørsmål", "vi tar det en annen gang"])
def test_a_request_to_stop_keeps_stopp(text: str) -> None:
    assert gate(text, intent="stopp").get("intent")["name"] == "stopp"
