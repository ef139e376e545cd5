"""Actions that answer from curated content: FAQ answers, and items chosen by intent or button."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shared import content_store, dialogue_map, send
from bot.flows.messages import content_reply

FAQ_SELECTOR = "faq"


def faq_content_id(tracker: Tracker) -> str | None:
    """The content id the FAQ selector (bot/components/faq_selector.py) chose, from `faq/<id>`."""
    selector = (tracker.latest_message.get("response_selector") or {}).get(FAQ_SELECTOR) or {}
    key = (selector.get("response") or {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if key.startswith(f"{FAQ_SELECTOR}/") else None


def answer_faq(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Send the FAQ answer for the latest message; False when there is none to send."""
    store = content_store()
    item_id = faq_content_id(tracker)
    if item_id is None or not store.has_item(item_id):
        return False
    send(dispatcher, content_reply(store, dialogue_map(), item_id))
    return True


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if not answer_faq(dispatcher, tracker):
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []


class ActionShowContent(Action):
    """Shows the item a button asked for (entity content_id), else the item mapped to the latest intent."""

    def name(self) -> str:
        return "action_show_content"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        store, dialogue = content_store(), dialogue_map()
        requested = next(tracker.get_latest_entity_values("content_id"), None)
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        item_id = requested if requested and store.has_item(requested) else dialogue.intent_content.get(intent)
        send(dispatcher, content_reply(store, dialogue, item_id or dialogue.intent_content["out_of_scope"]))
        return []
