"""The crisis state's decisions (bot/flows/crisis_state.py), without Rasa: who answers, and with what."""

from __future__ import annotations

import pytest

from bot.flows.crisis_state import ACTIVE, EARLIER, MOVING_ON, ends_turn, next_step, routes_to_support, wants_check
from bot.flows.dialogue_map import load_dialogue_map

DIALOGUE = load_dialogue_map()
NONE = {"kind": None, "score": 0.0, "check": False, "own": False, "followup": "unclear"}


def said(followup: str = "unclear", kind: str | None = None, check: bool = False, own: bool = True) -> dict:
    sure = 0.2 if followup == "unclear" else 0.9
    return {"kind": kind, "score": 0.0, "check": check, "own": own, "followup": followup, "followup_confidence": sure}


@pytest.mark.parametrize("intent", ["nlu_fallback", "stopp", "help", "deny", "affirm", "thank", "goodbye", "greet"])
def test_in_the_active_state_everything_but_a_clear_topic_goes_to_the_support(intent: str) -> None:
    assert routes_to_support(ACTIVE, intent, 0.95, NONE, None)


def test_a_clear_change_of_topic_moves_on() -> None:
    assert not routes_to_support(ACTIVE, "faq", 0.9, said("change_topic"), None)
    # The same intent read as a reply to the crisis answer («er det gratis?» can look like a FAQ) stays.
    assert routes_to_support(ACTIVE, "faq", 0.9, said("cost_anonymous"), None)
    assert routes_to_support(ACTIVE, "faq", 0.4, said("change_topic"), None)


def test_an_earlier_crisis_makes_ambiguous_messages_and_weak_signals_count() -> None:
    assert routes_to_support(EARLIER, "nlu_fallback", 0.3, NONE, None)
    assert routes_to_support(EARLIER, "stopp", 1.0, NONE, None)
    assert routes_to_support(EARLIER, "faq", 0.9, said(check=True), None)
    assert not routes_to_support(EARLIER, "faq", 0.9, said("change_topic"), None)
    assert not routes_to_support(None, "nlu_fallback", 0.3, NONE, None)


def test_a_question_to_du_is_a_crisis_except_in_a_rehearsal() -> None:
    assert routes_to_support(None, "crisis_addressed", 1.0, said(kind="suicidal"), None)
    assert routes_to_support(None, "crisis_addressed", 1.0, said(kind="suicidal"), "reflection_form")
    assert not routes_to_support(None, "crisis_addressed", 1.0, said(kind="suicidal"), "rehearsal_form")
    assert routes_to_support(None, "crisis", 1.0, said(kind="suicidal"), "rehearsal_form")


@pytest.mark.parametrize(
    ("state", "intent", "assessment", "item", "new_state"),
    [
        (None, "crisis", said(kind="suicidal"), "krise_selvmordstanker", ACTIVE),
        (None, "crisis", said(kind="self_harm"), "krise_selvskading", ACTIVE),
        (EARLIER, "crisis", said(kind="dying_alone"), "krise_doende_alene", ACTIVE),
        (ACTIVE, "crisis", said("means_or_time", kind="suicidal"), "krise_midler_tid", ACTIVE),
        (None, "crisis", said("means_or_time", kind="suicidal"), "krise_midler_tid", ACTIVE),
        (None, "crisis", {**said("means_or_time", kind="self_harm"), "followup_confidence": 0.4}, "krise_selvskading",
         ACTIVE),
        (ACTIVE, "crisis", said(kind="suicidal"), "krise_fortsatt_vondt", ACTIVE),
        (ACTIVE, "crisis", said(kind="medical_emergency"), "krise_akutt", ACTIVE),
        (ACTIVE, "deny", said(), "krise_ingen_i_naerheten", ACTIVE),
        (ACTIVE, "affirm", said(), "krise_noen_i_naerheten", ACTIVE),
        (ACTIVE, "stopp", said(), "krise_farvel", EARLIER),
        (ACTIVE, "thank", said("thanks_leaving"), "krise_farvel", EARLIER),
        (ACTIVE, "nlu_fallback", said("change_topic"), "krise_tema_bytte", EARLIER),
        (ACTIVE, "nlu_fallback", said("what_to_say"), "krise_hva_sier_jeg", ACTIVE),
        (ACTIVE, "nlu_fallback", said("calmer"), "krise_roligere", ACTIVE),
        (ACTIVE, "nlu_fallback", said(), "krise_uklart", ACTIVE),
        (EARLIER, "nlu_fallback", said(), "krise_uklart", EARLIER),
        (EARLIER, "nlu_fallback", said(check=True), "krise_fortsatt_vondt", ACTIVE),
    ],
)
def test_the_answer_fits_what_was_said(state, intent, assessment, item, new_state) -> None:
    step = next_step(state, intent, assessment, DIALOGUE)
    assert (step.item_id, step.state) == (item, new_state)


def test_the_kind_of_an_earlier_crisis_carries_over() -> None:
    assert next_step(ACTIVE, "nlu_fallback", said("nobody_nearby"), DIALOGUE, "dying_alone").kind == "dying_alone"


def test_no_crisis_answer_leads_to_the_menu() -> None:
    assert not set(DIALOGUE.crisis_followups.values()) & DIALOGUE.menu_after
    assert DIALOGUE.crisis_aftercare not in DIALOGUE.menu_after


def test_a_weak_signal_gets_the_helplines_under_the_answer_only_before_any_crisis() -> None:
    assert wants_check(None, said(check=True), None)
    assert not wants_check(None, said(), None)
    assert not wants_check(ACTIVE, said(check=True), None)  # the crisis support answers there
    assert not wants_check(None, said(check=True, own=False), "rehearsal_form")  # a question to the patient
    assert wants_check(None, said(check=True, own=True), "rehearsal_form")


def test_the_helplines_go_only_under_a_turns_last_answer() -> None:
    assert ends_turn("action_answer_faq", None) and ends_turn("utter_goodbye", None)
    assert ends_turn("reflection_form", "reflection_form")  # the next question
    assert not ends_turn("reflection_form", None)  # the summary follows
    assert not ends_turn("rehearsal_form", "rehearsal_form")  # the patient's answer
    assert not ends_turn("action_ask_staff_confirmation", None) and not ends_turn("action_deactivate_loop", None)


def test_inside_a_flow_after_a_crisis_only_a_signal_brings_the_support_back() -> None:
    for state in (ACTIVE, MOVING_ON, EARLIER):
        assert not routes_to_support(state, "nlu_fallback", 0.2, NONE, "reflection_form")
        assert not routes_to_support(state, "deny", 0.9, NONE, "rehearsal_form")
        assert routes_to_support(state, "faq", 0.9, said(check=True), "reflection_form")


def test_a_plain_no_after_moving_on_is_no_crisis() -> None:
    assert not routes_to_support(EARLIER, "deny", 0.9, NONE, None)
    assert routes_to_support(EARLIER, "greet", 0.9, NONE, None)  # no menu after a crisis


@pytest.mark.parametrize(
    ("last_kind", "assessment", "item"),
    [
        ("dying_alone", said("means_or_time", kind="medical_emergency"), "krise_akutt"),
        ("suicidal", said(kind="dying_alone"), "krise_doende_alene"),
        ("suicidal", said(kind="self_harm"), "krise_selvskading"),
    ],
)
def test_a_new_kind_of_crisis_gets_its_own_answer(last_kind: str, assessment: dict, item: str) -> None:
    assert next_step(ACTIVE, "crisis", assessment, DIALOGUE, last_kind).item_id == item


def test_no_advice_about_means_beside_a_deathbed() -> None:
    step = next_step(ACTIVE, "nlu_fallback", said("means_or_time"), DIALOGUE, "dying_alone")
    assert step.item_id == "krise_doende_alene"


def test_unsure_readings_do_not_say_calmer_or_goodbye() -> None:
    unsure = {**said("calmer"), "followup_confidence": 0.45}
    assert next_step(ACTIVE, "affirm", unsure, DIALOGUE).item_id != "krise_roligere"
    leaving = {**said("thanks_leaving"), "followup_confidence": 0.45}
    assert next_step(ACTIVE, "nlu_fallback", leaving, DIALOGUE).state == ACTIVE


@pytest.mark.parametrize("kind", ["medical_emergency", "dying_alone"])
@pytest.mark.parametrize("followup", ["nobody_nearby", "what_to_say", "wont_call", "unclear"])
def test_beside_an_emergency_or_a_deathbed_follow_ups_repeat_that_situations_answer(kind: str, followup: str) -> None:
    step = next_step(ACTIVE, "nlu_fallback", said(followup), DIALOGUE, kind)
    assert step.item_id == DIALOGUE.crisis_content[kind]
    assert next_step(ACTIVE, "goodbye", said(), DIALOGUE, kind).item_id == "krise_farvel"
