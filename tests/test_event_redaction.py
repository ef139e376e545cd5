"""Redaction of a whole Rasa event (bot/privacy/event_redaction.py): every string, except what Rasa itself wrote."""

from __future__ import annotations

from rasa.shared.core.events import UserUttered

from bot.privacy.event_redaction import redact_event
from bot.tracker_store import helpline_numbers

# uuid4().hex values with digit runs a number pass would take: a phone number, a fødselsnummer-length run.
# Every number in this file is made up (test data, never shown to users).
ID_WITH_PHONE = "a22334455b" + "c" * 22
ID_WITH_ELEVEN_DIGITS = "f01019012345" + "e" * 20


def _user_event(text: str, **metadata: str) -> dict:
    event = UserUttered(text, parse_data={"intent": {"name": "greet", "confidence": 1.0}, "text": text},
                        metadata=metadata, message_id=ID_WITH_ELEVEN_DIGITS)  # fmt: skip
    return event.as_dict()


def test_rasas_own_ids_are_stored_as_they_are() -> None:
    data = redact_event(_user_event("hei", model_id=ID_WITH_PHONE, assistant_id="samtalestotte"), [], [])
    assert data["metadata"] == {"model_id": ID_WITH_PHONE, "assistant_id": "samtalestotte"}
    assert data["message_id"] == ID_WITH_ELEVEN_DIGITS


def test_user_text_beside_the_ids_is_still_redacted() -> None:
    text = "Kari har nummer 22334455 og fødselsnummer 01019012345"
    data = redact_event(_user_event(text, model_id=ID_WITH_PHONE), ["Kari"], helpline_numbers())
    redacted = "[navn] har nummer [telefon] og fødselsnummer [fødselsnummer]"
    assert (data["text"], data["parse_data"]["text"]) == (redacted, redacted)


def test_anything_else_under_an_id_key_is_redacted() -> None:
    # A channel could put its own value there; only Rasa's form (32 lower-case hex digits) is exempt.
    for value in ("ring 22334455", ID_WITH_PHONE.upper(), ID_WITH_PHONE + "0"):
        data = redact_event(_user_event("hei", model_id=value), [], [])
        assert "22334455" not in data["metadata"]["model_id"], value
    nested = redact_event({"event": "slot", "name": "x", "value": {"message_id": "Kari 22334455"}}, ["Kari"], [])
    assert nested["value"] == {"message_id": "[navn] [telefon]"}


def test_the_crisis_assessment_is_never_stored() -> None:
    # How suicidal a message read is health data the dialogue needs during the turn only.
    event = {"event": "user", "text": "hei", "parse_data": {"intent": {"name": "greet"}, "crisis": {"score": 0.9}}}
    stored = redact_event(event, [], [])
    assert "crisis" not in stored["parse_data"] and stored["parse_data"]["intent"] == {"name": "greet"}
    assert "crisis" in event["parse_data"], "the turn's own event is left as it is"
