"""Local services: which services in the user's kommune can help with what they ask about.

The kommune comes from a button, the user's words, the slot kommune_nummer, or the page's metadata
(bot.services.recognition). A shared name ("Våler") gets a choice of buttons; no kommune at all gets a question;
a kommune without a directory gets an honest answer, who to ask and the national numbers.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.shared import PerProcess, content_store, dialogue_map, send
from bot.flows.dialogue_map import topic_payload
from bot.flows.messages import content_reply
from bot.services.dialogue import local_services_content
from bot.services.recognition import KommuneRef, Resolution, resolve_kommune
from bot.services.render import kind_labels, kommune_buttons, missing_kinds, render_services, topic_buttons
from bot.services.schema import ServiceTopics
from bot.services.store import ServiceStore
from bot.services.topics import kinds_for_question, kinds_for_topics, load_topics

KOMMUNE_SLOT = "kommune_nummer"
PENDING_SLOT = "local_services_pending"  # the kinds asked for while we ask which kommune; never the words
TOPIC_ENTITY = "service_topic"

service_store: PerProcess[ServiceStore] = PerProcess(ServiceStore)


def resolve(tracker: Tracker) -> Resolution:
    return resolve_kommune(
        tracker.latest_message or {},
        slot_value=tracker.get_slot(KOMMUNE_SLOT),
        session_metadata=tracker.get_slot("session_started_metadata"),
        fictional=service_store().fictional_kommuner(),
    )


def requested_kinds(tracker: Tracker, topics: ServiceTopics) -> tuple[list[str], list[str]]:
    """(kinds, topic ids) of this message: a topic button, the words, or what was asked before we asked where."""
    button = next(tracker.get_latest_entity_values(TOPIC_ENTITY), None)
    if button in topics.topics:
        return kinds_for_topics([button], topics), [button]
    text = (tracker.latest_message or {}).get("text") or ""
    kinds, topic_ids = ([], []) if text.lstrip().startswith("/") else kinds_for_question(text, topics)
    if not kinds:
        pending = tracker.get_slot(PENDING_SLOT)
        kinds = [k for k in pending if k in topics.kinds] if isinstance(pending, list) else []
    if not kinds and (previous := previous_answer_topic(tracker, topics)):
        return kinds_for_topics([previous], topics), [previous]
    return kinds, topic_ids


def previous_answer_topic(tracker: Tracker, topics: ServiceTopics) -> str | None:
    """The topic of the assistant's last answer, so «hvem kan hjelpe oss med det» after an answer about dying at
    home asks for the services that help with that (content replies carry their topic for the widget)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom") or {}
            topic = custom.get("topic") if custom.get("kind") == "content" else None
            return topic if topic in topics.topics else None
    return None


def _who_to_ask() -> str:
    """The content item with who to ask and the national numbers (content/dialogue.yml local_services)."""
    return local_services_content()["no_directory"]


class ActionLocalServices(Action):
    def name(self) -> str:
        return "action_local_services"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        topics = load_topics()
        kinds, topic_ids = requested_kinds(tracker, topics)
        resolution = resolve(tracker)
        if resolution.needs_choice:
            dispatcher.utter_message(
                response="utter_ask_which_kommune",
                name=resolution.ambiguous[0].name,
                buttons=kommune_buttons(resolution.ambiguous),
            )
            return [SlotSet(PENDING_SLOT, kinds or None)]
        if resolution.kommune is None:
            info = _who_to_ask()
            dispatcher.utter_message(
                response="utter_ask_kommune",
                buttons=[{"title": content_store().item(info).title, "payload": topic_payload(info)}],
            )
            return [SlotSet(PENDING_SLOT, kinds or None)]
        self._answer(dispatcher, resolution.kommune, kinds, topic_ids, topics)
        events = [SlotSet(PENDING_SLOT, None)]
        if tracker.get_slot(KOMMUNE_SLOT) != resolution.kommune.number:
            events.append(SlotSet(KOMMUNE_SLOT, resolution.kommune.number))
        return events

    def _answer(
        self,
        dispatcher: CollectingDispatcher,
        kommune: KommuneRef,
        kinds: list[str],
        topic_ids: list[str],
        topics: ServiceTopics,
    ) -> None:
        store, content = service_store(), content_store()
        custom = {"kind": "local_services", "kommune": kommune.number, "fictional": kommune.fictional}
        if not store.has_directory(kommune.number):
            dispatcher.utter_message(response="utter_local_services_no_directory", kommune=kommune.label)
            send(dispatcher, content_reply(content, dialogue_map(), _who_to_ask()))
            return
        asked = kinds or list(topics.general_kinds)
        services = store.services_for(kommune.number, asked)
        if not services and not kinds:
            services = store.services_for(kommune.number)  # a general question: show whatever there is
        if not services:
            dispatcher.utter_message(
                response="utter_local_services_none_of_kind", kommune=kommune.label, kinds=kind_labels(asked, topics)
            )
            send(dispatcher, content_reply(content, dialogue_map(), _who_to_ask()))
            return
        text = render_services(services, topics, content.helplines())
        if topic_ids and len(topic_ids) == 1:
            dispatcher.utter_message(
                response="utter_local_services_topic",
                kommune=kommune.label,
                topic=topics.topics[topic_ids[0]].label,
                services=text,
                json_message=custom,
            )
        else:
            dispatcher.utter_message(
                response="utter_local_services",
                kommune=kommune.label,
                services=text,
                buttons=[] if kinds else topic_buttons(topics),
                json_message=custom,
            )
        missing = missing_kinds(kinds, services)
        if missing:
            dispatcher.utter_message(
                response="utter_local_services_missing", kommune=kommune.label, kinds=kind_labels(missing, topics)
            )
        if kommune.fictional:
            dispatcher.utter_message(response="utter_local_services_fictional", name=kommune.name)
