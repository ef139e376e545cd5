"""Staff mode: care staff reach it by saying so and answering yes, or because the page set mode=ansatt.

Citizens never land in staff mode by accident: a request for staff material outside staff mode is answered with
a confirmation question first, and the request is kept until the answer, so a yes answers it at once.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.question_sets import QuestionRequest, send_question_set
from actions.rehearsal import PREVIOUS_SLOT, offer_personas

STAFF_MODE_SLOT = "staff_mode"
PENDING_SLOT = "staff_pending"
# Button entities a pending request may carry (a persona, a phase, a setting, a page of questions).
REQUEST_ENTITIES = ("persona", "question_phase", "question_setting", "question_offset")


def pending_request(tracker: Tracker) -> dict[str, Any]:
    """What the person asked for, to answer after the confirmation: intent, text and button entities."""
    message = tracker.latest_message or {}
    entities = {
        name: value for name in REQUEST_ENTITIES if (value := next(tracker.get_latest_entity_values(name), None))
    }
    return {
        "intent": (message.get("intent") or {}).get("name"),
        "text": message.get("text") or "",
        "entities": entities,
    }


class ActionAskStaffConfirmation(Action):
    """«Jobber du i helse- og omsorgstjenesten?», keeping the request that led here."""

    def name(self) -> str:
        return "action_ask_staff_confirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        dispatcher.utter_message(response="utter_ask_staff_confirmation")
        return [SlotSet(PENDING_SLOT, pending_request(tracker))]


class ActionEnterStaffMode(Action):
    """After a yes: staff mode on, then the pending request is answered (or the staff menu shown)."""

    def name(self) -> str:
        return "action_enter_staff_mode"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        pending = tracker.get_slot(PENDING_SLOT) or {}
        intent = pending.get("intent") if isinstance(pending, dict) else None
        if intent == "ask_question_set":
            send_question_set(dispatcher, QuestionRequest.from_message(pending["text"], pending.get("entities") or {}))
        elif intent == "start_rehearsal":
            offer_personas(dispatcher, tracker.get_slot(PREVIOUS_SLOT))
        else:
            dispatcher.utter_message(response="utter_staff_welcome")
        return [SlotSet(STAFF_MODE_SLOT, True), SlotSet(PENDING_SLOT, None)]
