"""Rehearsal of a forhåndssamtale: the rehearsal_form loop around bot.rehearsal.RehearsalSession.

The form asks for a persona (buttons from content/staff/personas/), then takes every staff message as a turn
(rehearsal_turn, emptied again after each turn) and sends the persona's reply. «Gi meg tilbakemelding» ends the
loop and action_rehearsal_feedback sends the feedback. The session lives in the slot rehearsal_session as
RehearsalSession.to_dict(): ids and counters only, never the words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.shared import send
from bot.flows.messages import Reply
from bot.rehearsal.cues import Cue, compile_cues, normalize
from bot.rehearsal.feedback import build_feedback
from bot.rehearsal.persona import Persona, default_personas
from bot.rehearsal.render import render_feedback, render_intro, render_reply
from bot.rehearsal.session import RehearsalSession, SessionFull
from bot.rehearsal.vocabulary import STAFF_DIR, load_vocabulary, read_yaml

CHAT_FILE = STAFF_DIR / "rehearsal_chat.yml"
PERSONA_SLOT = "rehearsal_persona"
TURN_SLOT = "rehearsal_turn"
SESSION_SLOT = "rehearsal_session"
PREVIOUS_SLOT = "rehearsal_previous"
REHEARSAL_SLOTS = (PERSONA_SLOT, TURN_SLOT, SESSION_SLOT)
PERSONA_ENTITY = "persona"
DONE = "ferdig"
# Messages that are not a turn: the rules answer them (crisis first). Keep in step with not_intent of
# rehearsal_turn in bot/domain/staff.yml.
NOT_A_TURN = frozenset({"crisis", "stopp", "delete_conversation", "empty_input", "too_long", "other_language"})
FEEDBACK_BUTTON = {"title": "Gi meg tilbakemelding", "payload": "/rehearsal_feedback"}
STOP_BUTTON = {"title": "Stopp", "payload": "/stopp"}
NEW_REHEARSAL_BUTTON = {"title": "Ny øving med en annen pasient", "payload": "/start_rehearsal"}
QUESTIONS_BUTTON = {"title": "Spørsmål til samtalen", "payload": "/ask_question_set"}


def rehearsal_reset_events() -> list[dict]:
    return [SlotSet(slot, None) for slot in REHEARSAL_SLOTS]


@lru_cache(maxsize=2)
def chat_words(path: Path = CHAT_FILE) -> dict[str, tuple[Cue, ...]]:
    """The words that mark a message as talk about the rehearsal (feedback, restart), read once."""
    data = read_yaml(path)
    return {key: compile_cues(data[key]) for key in ("feedback_words", "restart_words")}


def is_about_rehearsal(text: str, kind: str) -> bool:
    """True for a button payload or a message with one of the words of kind (feedback_words, restart_words)."""
    if text.lstrip().startswith("/"):
        return True
    norm = normalize(text)
    return any(cue.search(norm) is not None for cue in chat_words()[kind])


def _short_illness(persona: Persona) -> str:
    # The first clause of the data's illness line is enough for a button ("Kols i sen fase").
    return persona.illness.split(".")[0].split(",")[0].strip()


def persona_payload(persona_id: str) -> str:
    return "/start_rehearsal" + json.dumps({PERSONA_ENTITY: persona_id}, separators=(",", ":"))


def persona_buttons(personas: Mapping[str, Persona], previous: str | None = None) -> list[dict[str, str]]:
    """One button per persona; the one just practised with comes last, as «… en gang til»."""
    buttons = [
        {"title": f"{p.name}, {p.age} år – {_short_illness(p)}", "payload": persona_payload(pid)}
        for pid, p in personas.items()
        if pid != previous
    ]
    if previous in personas:
        buttons.append({"title": f"{personas[previous].name} en gang til", "payload": persona_payload(previous)})
    return buttons


def find_persona(text: str, personas: Mapping[str, Persona]) -> str | None:
    """A persona id from an id (button entity) or a persona's name written in the text."""
    if text in personas:
        return text
    words = set(normalize(text).split())
    return next((pid for pid, p in personas.items() if normalize(p.name) in words), None)


def offer_personas(dispatcher: CollectingDispatcher, previous: str | None = None) -> None:
    dispatcher.utter_message(
        response="utter_ask_rehearsal_persona", buttons=persona_buttons(default_personas(), previous)
    )


def load_session(tracker: Tracker) -> RehearsalSession | None:
    """The session from its slot, or None when there is none or it cannot be read (e.g. a persona removed)."""
    raw = tracker.get_slot(SESSION_SLOT)
    if not isinstance(raw, dict):
        return None
    try:
        session = RehearsalSession.from_dict(raw)
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.persona_id in default_personas() else None


def _intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


class ActionAskRehearsalPersona(Action):
    def name(self) -> str:
        return "action_ask_rehearsal_persona"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        offer_personas(dispatcher, tracker.get_slot(PREVIOUS_SLOT))
        return []


class ActionAskRehearsalTurn(Action):
    """At the start of a session: the situation and how to go on. After a turn the persona has already spoken,
    so there is nothing more to say."""

    def name(self) -> str:
        return "action_ask_rehearsal_turn"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        session = load_session(tracker)
        if session is not None and not session.turns:
            persona = default_personas()[session.persona_id]
            dispatcher.utter_message(response="utter_rehearsal_start", intro=render_intro(persona), name=persona.name)
        return []


class ValidateRehearsalForm(FormValidationAction):
    def name(self) -> str:
        return "validate_rehearsal_form"

    def extract_rehearsal_persona(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _intent(tracker) in NOT_A_TURN:
            return {}
        button = next(tracker.get_latest_entity_values(PERSONA_ENTITY), None)
        if tracker.active_loop_name is None:
            # Starting (Rasa already marks the persona as requested): "jeg vil øve med Tor" or a persona button
            # chooses at once; otherwise the form asks.
            found = find_persona(button or _text(tracker), default_personas())
            return {PERSONA_SLOT: found} if found else {}
        if tracker.get_slot("requested_slot") == PERSONA_SLOT:
            return {PERSONA_SLOT: button or _text(tracker)}
        return {}

    def validate_rehearsal_persona(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        persona_id = find_persona(str(slot_value or ""), default_personas())
        if persona_id is None:
            dispatcher.utter_message(response="utter_rehearsal_persona_unknown")
            return {PERSONA_SLOT: None}
        return {PERSONA_SLOT: persona_id, SESSION_SLOT: RehearsalSession.start(persona_id).to_dict()}

    def validate_rehearsal_turn(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        session = load_session(tracker)
        if session is None:
            # The state is gone (should not happen): choose a persona again rather than guess.
            return {PERSONA_SLOT: None, SESSION_SLOT: None, TURN_SLOT: None}
        intent, text = _intent(tracker), _text(tracker)
        if intent == "rehearsal_feedback" and is_about_rehearsal(text, "feedback_words"):
            return {TURN_SLOT: DONE}
        if intent == "start_rehearsal":
            chosen = find_persona(
                next(tracker.get_latest_entity_values(PERSONA_ENTITY), None) or "", default_personas()
            )
            if chosen:
                new = RehearsalSession.start(chosen).to_dict()
                return {PERSONA_SLOT: chosen, SESSION_SLOT: new, TURN_SLOT: None, PREVIOUS_SLOT: session.persona_id}
            if is_about_rehearsal(text, "restart_words"):
                return {PERSONA_SLOT: None, SESSION_SLOT: None, TURN_SLOT: None, PREVIOUS_SLOT: session.persona_id}
        try:
            reply = session.take_turn(str(slot_value or ""))
        except SessionFull:
            return {TURN_SLOT: DONE}
        send(
            dispatcher,
            Reply(
                text=render_reply(reply),
                buttons=[FEEDBACK_BUTTON, STOP_BUTTON],
                custom={"kind": "rehearsal", "persona": session.persona_id},
            ),
        )
        return {SESSION_SLOT: session.to_dict(), TURN_SLOT: None}


class ActionRehearsalFeedback(Action):
    """Feedback on the session (covered and missed topics, question style, key moves); then forgets it."""

    def name(self) -> str:
        return "action_rehearsal_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        session = load_session(tracker)
        if session is None or not session.turns:
            dispatcher.utter_message(response="utter_rehearsal_nothing_to_review")
            return rehearsal_reset_events()
        persona, vocab = default_personas()[session.persona_id], load_vocabulary()
        text = render_feedback(build_feedback(session, persona, vocab), persona, vocab)
        send(dispatcher, Reply(text=text, buttons=[NEW_REHEARSAL_BUTTON, QUESTIONS_BUTTON], custom={"kind": "staff"}))
        return [*rehearsal_reset_events(), SlotSet(PREVIOUS_SLOT, session.persona_id)]
