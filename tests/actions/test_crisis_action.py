"""The crisis answer names the verified numbers, offers them as links, and ends any running flow."""

from __future__ import annotations

import pytest

from actions.crisis import ActionCrisisSupport


def crisis_message(kind: str) -> dict:
    return {
        "text": "…",
        "intent": {"name": "crisis", "confidence": 1.0},
        "entities": [{"entity": "crisis_kind", "value": kind}],
    }


@pytest.mark.parametrize(
    ("kind", "must_name"),
    [
        ("suicidal", ["mental_helse", "kirkens_sos", "emergency_medical"]),
        ("medical_emergency", ["emergency_medical"]),
        ("dying_alone", ["emergency_medical"]),
    ],
)
def test_crisis_answer_has_the_right_numbers(tracker, dispatcher, store, kind, must_name) -> None:
    events = ActionCrisisSupport().run(dispatcher, tracker("default", latest_message=crisis_message(kind)), {})
    [message] = dispatcher.messages
    helplines = store.helplines()
    for helpline_id in must_name:
        assert helplines[helpline_id].number in message["text"]
    custom = message["custom"]
    assert custom["kind"] == "crisis" and custom["crisis_kind"] == kind
    assert {n["number"] for n in custom["numbers"]} >= {helplines[h].number for h in must_name}
    assert all(n["tel"].startswith("tel:") for n in custom["numbers"])
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


def test_medical_emergency_gives_113_first(tracker, dispatcher, store) -> None:
    ActionCrisisSupport().run(dispatcher, tracker("default", latest_message=crisis_message("medical_emergency")), {})
    text = dispatcher.messages[0]["text"]
    first_number = min(text.find(h.number) for h in store.helplines().values() if h.number in text)
    assert text.find("113") == first_number
