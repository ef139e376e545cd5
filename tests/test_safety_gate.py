"""The safety gate overrides whatever the classifiers said: crisis first, then input problems, then exit words."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components.safety_gate import SafetyGate


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
