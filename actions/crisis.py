"""The crisis answer: runs first whenever the safety gate found a crisis signal."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import reflection_reset_events
from actions.rehearsal import rehearsal_reset_events
from actions.shared import content_store, dialogue_map, send
from bot.flows.messages import crisis_reply


class ActionCrisisSupport(Action):
    def name(self) -> str:
        return "action_crisis_support"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        kind = next(tracker.get_latest_entity_values("crisis_kind"), None) or "suicidal"
        send(dispatcher, crisis_reply(content_store(), dialogue_map(), kind))
        # Nobody in crisis should be led back into a questionnaire or a rehearsal: any open flow ends here.
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *reflection_reset_events(),
            *rehearsal_reset_events(),
        ]
