"""Staff mode actions: entering via metadata or a confirmed «ja», question sets, and a rehearsal through the form."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionLeaveFlow
from actions.crisis import ActionCrisisSupport
from actions.question_sets import PAGE_SIZE, ActionShowQuestionSet
from actions.rehearsal import (
    DONE,
    NOT_A_TURN,
    ActionAskRehearsalPersona,
    ActionAskRehearsalTurn,
    ActionRehearsalFeedback,
    ValidateRehearsalForm,
    persona_payload,
)
from actions.staff import ActionAskStaffConfirmation, ActionEnterStaffMode
from bot.rehearsal.feedback import build_feedback
from bot.rehearsal.persona import default_personas
from bot.rehearsal.question_sets import default_question_sets
from bot.rehearsal.render import render_feedback
from bot.rehearsal.session import RehearsalSession
from bot.rehearsal.vocabulary import load_vocabulary

STAFF_DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "bot" / "domain" / "staff.yml").read_text("utf-8"))
TOR = "tor_lungekreft"


def message(text: str, intent: str, entities: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
        **extra,
    }


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def run_form(tracker, dispatcher, slots: dict[str, Any], latest: dict[str, Any], candidates: dict[str, Any], loop=True):
    """Run validate_rehearsal_form as Rasa's FormAction calls it: slot candidates after the form's own event."""
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": latest["text"], "parse_data": latest},
        {"event": "action", "name": "rehearsal_form"},
        *({"event": "slot", "name": k, "value": v} for k, v in candidates.items()),
    ]
    t = tracker(
        "rehearsal",
        slots={**slots, **candidates},
        latest_message=latest,
        events=events,
        # None, not {}: the fixture builder merges dicts, and a starting form has no active loop yet.
        active_loop={"name": "rehearsal_form"} if loop else None,
    )
    return slot_events(asyncio.run(ValidateRehearsalForm().run(dispatcher, t, STAFF_DOMAIN)))


# --- Entering staff mode ----------------------------------------------------------------------------------------


def test_saying_so_asks_first_and_keeps_the_request(tracker, dispatcher) -> None:
    latest = message("spørsmål for sykehjem", "ask_question_set")
    events = ActionAskStaffConfirmation().run(dispatcher, tracker("staff_metadata", latest_message=latest), {})
    [asked] = dispatcher.messages
    assert asked["response"] == "utter_ask_staff_confirmation"
    assert slot_events(events) == {
        "staff_pending": {"intent": "ask_question_set", "text": "spørsmål for sykehjem", "entities": {}}
    }
    response = STAFF_DOMAIN["responses"]["utter_ask_staff_confirmation"][0]
    assert response["text"] == (
        "Denne delen er for helsepersonell som vil forberede eller øve på forhåndssamtaler. "
        "Jobber du i helse- og omsorgstjenesten?"
    )
    assert [(b["title"], b["payload"]) for b in response["buttons"]] == [("Ja", "/affirm"), ("Nei", "/deny")]


def test_yes_turns_staff_mode_on_and_answers_the_pending_question_set(tracker, dispatcher) -> None:
    pending = {"intent": "ask_question_set", "text": "spørsmål for sykehjem", "entities": {}}
    t = tracker("staff_metadata", slots={"staff_pending": pending}, latest_message=message("ja", "affirm"))
    events = ActionEnterStaffMode().run(dispatcher, t, {})
    assert slot_events(events) == {"staff_mode": True, "staff_pending": None}
    [sent] = dispatcher.messages
    assert sent["response"] == "utter_question_set"
    assert sent["questions"].startswith("Sykehjem:")


def test_yes_after_asking_to_rehearse_offers_the_personas(tracker, dispatcher) -> None:
    pending = {"intent": "start_rehearsal", "text": "jeg vil øve", "entities": {}}
    t = tracker("staff_metadata", slots={"staff_pending": pending}, latest_message=message("ja", "affirm"))
    ActionEnterStaffMode().run(dispatcher, t, {})
    [sent] = dispatcher.messages
    assert sent["response"] == "utter_ask_rehearsal_persona"
    assert [b["payload"] for b in sent["buttons"]] == [persona_payload(pid) for pid in default_personas()]


def test_yes_after_saying_the_job_shows_the_staff_menu(tracker, dispatcher) -> None:
    pending = {"intent": "enter_staff_mode", "text": "jeg er sykepleier", "entities": {}}
    t = tracker("staff_metadata", slots={"staff_pending": pending}, latest_message=message("ja", "affirm"))
    ActionEnterStaffMode().run(dispatcher, t, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_staff_welcome"]


# --- Question sets ----------------------------------------------------------------------------------------------


def show_questions(tracker, text: str, entities: dict[str, str] | None = None) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    t = tracker(
        "staff_metadata", slots={"staff_mode": True}, latest_message=message(text, "ask_question_set", entities)
    )
    ActionShowQuestionSet().run(dispatcher, t, {})
    [sent] = dispatcher.messages
    return sent


def test_a_topic_request_gets_its_questions_each_with_why(tracker) -> None:
    sent = show_questions(tracker, "spørsmål om behandlingsønsker")
    assert sent["response"] == "utter_question_set"
    expected = [q for q in default_question_sets()["generell"].questions if q.domain == "behandlingsonsker"]
    assert expected
    for question in expected:
        assert f"- «{question.text}» {question.why}" in sent["questions"]
    assert sent["buttons"][-1]["payload"] == "/start_rehearsal"


def test_how_to_open_gives_the_opening_questions(tracker) -> None:
    sent = show_questions(tracker, "hvordan åpner jeg samtalen")
    lines = [line for line in sent["questions"].splitlines() if line.startswith("- ")]
    opening = [q for q in default_question_sets()["generell"].questions if q.domain == "apning"]
    assert lines == [f"- «{q.text}» {q.why}" for q in opening]


def test_an_unspecific_request_offers_phases_and_settings(tracker) -> None:
    sent = show_questions(tracker, "/ask_question_set")
    assert sent["response"] == "utter_question_set_choose"
    titles = [b["title"] for b in sent["buttons"]]
    assert titles[:3] == [p.label for p in load_vocabulary().phases.values()]
    assert "Sykehjem" in titles and "Hjemmetjeneste" in titles


def test_a_setting_is_paged_and_the_next_page_follows_from_the_button(tracker) -> None:
    first = show_questions(tracker, "spørsmål for sykehjem")
    more = next(b for b in first["buttons"] if b["title"] == "Flere spørsmål")
    entities = json.loads(more["payload"].removeprefix("/ask_question_set"))
    assert entities == {"question_setting": "sykehjem", "question_offset": str(PAGE_SIZE)}
    second = show_questions(tracker, more["payload"], entities)
    first_lines = {line for line in first["questions"].splitlines() if line.startswith("- ")}
    second_lines = {line for line in second["questions"].splitlines() if line.startswith("- ")}
    assert len(first_lines) == PAGE_SIZE and second_lines and not first_lines & second_lines


def test_a_phase_button_keeps_the_setting(tracker) -> None:
    sent = show_questions(tracker, "/ask_question_set", {"question_phase": "after", "question_setting": "sykehjem"})
    assert sent["questions"].splitlines()[:2] == ["Sykehjem:", load_vocabulary().phases["after"].label]


# --- Rehearsal --------------------------------------------------------------------------------------------------

TOR_SCRIPT = [
    (
        "Hei Tor. Jeg vil gjerne snakke litt med deg om hvordan du har det, og om tiden framover. Er det greit?",
        "affirm",
    ),
    ("Hva er viktig for deg nå?", "start_reflection"),
    ("Hvor ønsker du å være når du blir sykere?", "faq"),
    ("Det er helt greit. Vi trenger ikke snakke om det nå. Hva gir deg styrke i hverdagen?", "share_wish"),
    # NLU may read this line to the patient as a request for feedback; without a feedback word it is a turn.
    ("Skal vi avslutte samtalen her?", "rehearsal_feedback"),
]


def test_a_scripted_rehearsal_through_the_actions_gives_the_expected_feedback(tracker) -> None:
    personas, vocab = default_personas(), load_vocabulary()
    tor = personas[TOR]
    # Start: a persona button; Rasa has already marked the persona as the slot to fill.
    dispatcher = CollectingDispatcher()
    latest = message(persona_payload(TOR), "start_rehearsal", {"persona": TOR})
    slots = run_form(tracker, dispatcher, {"requested_slot": "rehearsal_persona"}, latest, {}, loop=False)
    assert slots["rehearsal_persona"] == TOR
    session = slots["rehearsal_session"]

    ActionAskRehearsalTurn().run(dispatcher, tracker("rehearsal", slots={"rehearsal_session": session}), {})
    [intro] = dispatcher.messages
    assert intro["response"] == "utter_rehearsal_start"
    assert (intro["intro"], intro["name"]) == (tor.intro, "Tor")

    replies = []
    for text, intent in TOR_SCRIPT:
        dispatcher = CollectingDispatcher()
        slots = run_form(
            tracker, dispatcher, {"rehearsal_session": session}, message(text, intent), {"rehearsal_turn": text}
        )
        assert slots["rehearsal_turn"] is None
        session = slots["rehearsal_session"]
        [reply] = dispatcher.messages
        assert reply["custom"] == {"kind": "rehearsal", "persona": TOR}
        assert [b["payload"] for b in reply["buttons"]] == ["/rehearsal_feedback", "/stopp"]
        replies.append(reply["text"])
        # The slot keeps ids and counters, never the words.
        assert text not in json.dumps(session, ensure_ascii=False)
    assert replies[2] == f"Tor: {tor.fill(tor.lines['refusal'][0])}"
    assert all(r.startswith("Tor: ") for r in replies)

    # The same after each turn: nothing more is said once the persona has answered.
    quiet = CollectingDispatcher()
    ActionAskRehearsalTurn().run(quiet, tracker("rehearsal", slots={"rehearsal_session": session}), {})
    assert not quiet.messages

    dispatcher = CollectingDispatcher()
    ask = message("gi meg tilbakemelding", "rehearsal_feedback")
    slots = run_form(tracker, dispatcher, {"rehearsal_session": session}, ask, {"rehearsal_turn": ask["text"]})
    assert slots["rehearsal_turn"] == DONE and not dispatcher.messages

    dispatcher = CollectingDispatcher()
    events = ActionRehearsalFeedback().run(dispatcher, tracker("rehearsal", slots={"rehearsal_session": session}), {})
    [feedback] = dispatcher.messages
    text = feedback["text"]
    labels = [vocab.domains[d].label.lower() for d in ("apning", "viktig_na", "styrke_mening")]
    assert vocab.feedback_text["covered"].format(labels=f"{labels[0]}, {labels[1]} og {labels[2]}") in text
    for missed in ("sykdomsforstaelse", "behandlingsonsker", "sted_for_omsorg", "stedfortreder", "barn_parorende"):
        assert f"- {vocab.domains[missed].label}: «{vocab.domains[missed].suggested}»" in text
    for key in ("respected", "permission_yes", "what_matters_yes", "summary_no", "follow_up_no"):
        assert vocab.feedback_text[key] in text
    assert vocab.feedback_text["question_counts"].format(open=3, closed=2, leading=0) in text

    # The same script straight through the service layer gives the same feedback.
    reference = RehearsalSession.start(TOR)
    for line, _ in TOR_SCRIPT:
        reference.take_turn(line)
    assert text == render_feedback(build_feedback(reference, tor, vocab), tor, vocab)
    assert slot_events(events) == {
        "rehearsal_persona": None,
        "rehearsal_turn": None,
        "rehearsal_session": None,
        "rehearsal_previous": TOR,
    }


def test_a_name_in_the_request_chooses_the_persona_at_once(tracker, dispatcher) -> None:
    latest = message("jeg vil øve med Ingrid", "start_rehearsal")
    slots = run_form(tracker, dispatcher, {"requested_slot": "rehearsal_persona"}, latest, {}, loop=False)
    assert slots["rehearsal_persona"] == "ingrid_hjertesvikt"
    assert RehearsalSession.from_dict(slots["rehearsal_session"]).persona_id == "ingrid_hjertesvikt"


def test_without_a_persona_the_form_asks_and_an_unknown_name_is_asked_again(tracker, dispatcher) -> None:
    slots = run_form(
        tracker,
        dispatcher,
        {"requested_slot": "rehearsal_persona"},
        message("jeg vil øve", "start_rehearsal"),
        {},
        False,
    )
    assert "rehearsal_persona" not in slots
    slots = run_form(tracker, dispatcher, {"requested_slot": "rehearsal_persona"}, message("Kari", "out_of_scope"), {})
    assert slots["rehearsal_persona"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_rehearsal_persona_unknown"]


@pytest.mark.parametrize("intent", ["stopp", "crisis", "delete_conversation"])
def test_stop_crisis_and_delete_are_never_taken_as_a_persona_choice(tracker, dispatcher, intent) -> None:
    slots = run_form(tracker, dispatcher, {"requested_slot": "rehearsal_persona"}, message("stopp", intent), {})
    assert slots == {} and not dispatcher.messages


def test_a_new_rehearsal_with_another_patient_offers_the_others_first(tracker, dispatcher) -> None:
    session = RehearsalSession.start(TOR)
    session.take_turn("Hva er viktig for deg nå?")
    latest = message("ny øving med en annen pasient", "start_rehearsal")
    slots = run_form(
        tracker, dispatcher, {"rehearsal_session": session.to_dict()}, latest, {"rehearsal_turn": latest["text"]}
    )
    assert slots == {
        "rehearsal_persona": None,
        "rehearsal_session": None,
        "rehearsal_turn": None,
        "rehearsal_previous": TOR,
    }
    ActionAskRehearsalPersona().run(dispatcher, tracker("rehearsal", slots=slots), {})
    [offer] = dispatcher.messages
    others = [pid for pid in default_personas() if pid != TOR]
    assert [b["payload"] for b in offer["buttons"]] == [*map(persona_payload, others), persona_payload(TOR)]
    assert offer["buttons"][-1]["title"] == "Tor en gang til"


def test_a_persona_button_in_the_middle_switches_to_that_patient(tracker, dispatcher) -> None:
    session = RehearsalSession.start(TOR)
    session.take_turn("Hva er viktig for deg nå?")
    latest = message(persona_payload("sara_als"), "start_rehearsal", {"persona": "sara_als"})
    slots = run_form(
        tracker, dispatcher, {"rehearsal_session": session.to_dict()}, latest, {"rehearsal_turn": latest["text"]}
    )
    assert slots["rehearsal_persona"] == "sara_als" and slots["rehearsal_previous"] == TOR
    assert RehearsalSession.from_dict(slots["rehearsal_session"]).turns == []


def test_feedback_without_a_rehearsal_says_there_is_nothing_to_review(tracker, dispatcher) -> None:
    ActionRehearsalFeedback().run(dispatcher, tracker("staff_metadata", latest_message=message("x", "x")), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_rehearsal_nothing_to_review"]


def test_the_messages_that_are_not_a_turn_match_the_domain() -> None:
    [mapping] = STAFF_DOMAIN["slots"]["rehearsal_turn"]["mappings"]
    assert set(mapping["not_intent"]) == NOT_A_TURN


def test_a_crisis_and_stop_forget_the_rehearsal(tracker) -> None:
    session = RehearsalSession.start(TOR).to_dict()
    slots = {"rehearsal_session": session, "rehearsal_persona": TOR}
    crisis = message("…", "crisis", {"crisis_kind": "suicidal"})
    crisis_events = ActionCrisisSupport().run(
        CollectingDispatcher(), tracker("rehearsal", slots=slots, latest_message=crisis), {}
    )
    leave_events = ActionLeaveFlow().run(CollectingDispatcher(), tracker("rehearsal", slots=slots), {})
    for events in (crisis_events, leave_events):
        assert {k: v for k, v in slot_events(events).items() if k.startswith("rehearsal_")} == {
            "rehearsal_persona": None,
            "rehearsal_turn": None,
            "rehearsal_session": None,
        }
    assert any(e["event"] == "active_loop" and e["name"] is None for e in crisis_events)
