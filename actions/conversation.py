"""Leaving a flow with one word, and deleting the conversation on request."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection import reflection_reset_events
from actions.rehearsal import rehearsal_reset_events
from actions.shared import content_store, dialogue_map, send
from bot.flows.messages import content_reply


class ActionLeaveFlow(Action):
    """Says it is fine to stop, and forgets what the flow had gathered."""

    def name(self) -> str:
        return "action_leave_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        dialogue = dialogue_map()
        send(dispatcher, content_reply(content_store(), dialogue, dialogue.intent_content["stopp"]))
        return [*reflection_reset_events(), *rehearsal_reset_events(), SlotSet("requested_slot", None)]


class ActionDeleteConversation(Action):
    """Confirms deletion; the tracker store deletes every stored event of a turn that ran this action."""

    def name(self) -> str:
        return "action_delete_conversation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        dialogue = dialogue_map()
        send(dispatcher, content_reply(content_store(), dialogue, dialogue.deleted_content))
        return [AllSlotsReset()]
