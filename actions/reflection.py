"""The guided reflection form: consent first, one question at a time, skippable, summary only with consent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.content import answer_faq
from actions.shared import content_store, dialogue_map, send
from bot.content.render import fill_placeholders
from bot.content.schema import ReflectionQuestion
from bot.flows.messages import Reply, content_reply
from bot.flows.reflection import ReflectionState, is_finished, record_answer, summary_entries, summary_text

REFLECTION_SLOTS = ("reflection_consent", "reflection_answer", "reflection_step", "reflection_answers")
DONE = "ferdig"
INTERRUPTING_INTENTS = frozenset({"medical_question", "bot_info", "privacy_question"})
SKIP_BUTTON = {"title": "Hopp over", "payload": "/hopp_over"}
STOP_BUTTON = {"title": "Stopp", "payload": "/stopp"}


def answer_interruption(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None) -> bool:
    """Answer a question asked in the middle of the reflection; False when it is not one we answer."""
    if intent == "faq":
        return answer_faq(dispatcher, tracker)
    if intent in INTERRUPTING_INTENTS:
        dialogue = dialogue_map()
        send(dispatcher, content_reply(content_store(), dialogue, dialogue.intent_content[intent]))
        return True
    return False


def reflection_reset_events() -> list[dict]:
    return [SlotSet(slot, None) for slot in REFLECTION_SLOTS]


def _questions() -> tuple[ReflectionQuestion, ...]:
    return tuple(content_store().reflection_questions(dialogue_map().reflection["set"]))


def _message_text(item_id: str) -> str:
    store = content_store()
    return fill_placeholders(store.item(item_id).body, store.helplines())


def _state(tracker: Tracker) -> ReflectionState:
    return ReflectionState.from_slots(tracker.get_slot("reflection_step"), tracker.get_slot("reflection_answers"))


class ActionAskReflectionConsent(Action):
    def name(self) -> str:
        return "action_ask_reflection_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        reflection = dialogue_map().reflection
        text = _message_text(reflection["intro"]) + "\n\n" + _message_text(reflection["consent"])
        buttons = [
            {"title": "Ja, lag en oppsummering", "payload": "/affirm"},
            {"title": "Nei, ikke ta vare på svarene", "payload": "/deny"},
            STOP_BUTTON,
        ]
        send(dispatcher, Reply(text=text, buttons=buttons))
        return []


class ActionAskReflectionAnswer(Action):
    def name(self) -> str:
        return "action_ask_reflection_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        questions = _questions()
        step = min(_state(tracker).step, len(questions) - 1)
        text = f"Spørsmål {step + 1} av {len(questions)}: {questions[step].text}"
        send(dispatcher, Reply(text=text, buttons=[SKIP_BUTTON, STOP_BUTTON]))
        return []


class ValidateReflectionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_reflection_form"

    def validate_reflection_consent(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"reflection_consent": bool(slot_value), "reflection_step": 0, "reflection_answers": []}

    def validate_reflection_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        # A question in the middle of the reflection is answered, then the same question is asked again.
        if text.rstrip().endswith("?") and answer_interruption(dispatcher, tracker, intent):
            return {"reflection_answer": None}
        answer = None if intent == "hopp_over" else str(slot_value or "")
        state = record_answer(_state(tracker), answer, consent=bool(tracker.get_slot("reflection_consent")))
        return {
            "reflection_step": state.step,
            "reflection_answers": list(state.answers),
            "reflection_answer": DONE if is_finished(state, _questions()) else None,
        }


class ActionReflectionSummary(Action):
    """Shows «Mine ønsker» when the user consented and answered something; then forgets the answers."""

    def name(self) -> str:
        return "action_reflection_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        reflection = dialogue_map().reflection
        entries = summary_entries(_questions(), _state(tracker).answers)
        if tracker.get_slot("reflection_consent") and entries:
            custom = {
                "kind": "summary",
                "title": "Mine ønsker",
                "entries": [{"label": label, "answer": answer} for label, answer in entries],
            }
            send(
                dispatcher, Reply(text=summary_text(_message_text(reflection["summary_intro"]), entries), custom=custom)
            )
        else:
            send(dispatcher, Reply(text=_message_text(reflection["closing"])))
        return reflection_reset_events()
