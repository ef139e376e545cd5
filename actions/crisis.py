"""The crisis support: the first crisis answer, and every answer while the conversation is in the crisis state."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import reflection_reset_events
from actions.rehearsal import rehearsal_reset_events
from actions.shared import content_store, dialogue_map, send
from bot.flows.crisis_state import ASSESSMENT_KEY, EARLIER, KIND_SLOT, STATE_SLOT, next_step
from bot.flows.messages import aftercare_reply, crisis_item_reply


class ActionCrisisSupport(Action):
    def name(self) -> str:
        return "action_crisis_support"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        message = tracker.latest_message
        assessment = dict(message.get(ASSESSMENT_KEY) or {})
        # A payload or a test story may carry the kind as an entity without the gate's assessment.
        assessment.setdefault("kind", next(tracker.get_latest_entity_values(KIND_SLOT), None))
        intent = (message.get("intent") or {}).get("name") or ""
        step = next_step(
            tracker.get_slot(STATE_SLOT), intent, assessment, dialogue_map(), tracker.get_slot(KIND_SLOT)
        )
        send(dispatcher, crisis_item_reply(content_store(), step.item_id, step.kind))
        # Nobody in crisis should be led back into a questionnaire or a rehearsal: any open flow ends here.
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *reflection_reset_events(),
            *rehearsal_reset_events(),
            SlotSet(STATE_SLOT, step.state),
            SlotSet(KIND_SLOT, step.kind),
        ]


class ActionCrisisAftercare(Action):
    """After the first ordinary answer that follows a crisis: the numbers one tap away, and the state moves on."""

    def name(self) -> str:
        return "action_crisis_aftercare"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        send(dispatcher, aftercare_reply(content_store(), dialogue_map().crisis_aftercare))
        return [SlotSet(STATE_SLOT, EARLIER)]


class ActionCrisisCheck(Action):
    """Under an ordinary answer to a message with a weak crisis signal: the numbers and an open door."""

    def name(self) -> str:
        return "action_crisis_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        send(dispatcher, aftercare_reply(content_store(), dialogue_map().crisis_check))
        return []
