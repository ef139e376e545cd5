"""The crisis state: after a crisis signal the conversation stays with the person until they clearly move on.

Plain Python, read by the crisis-state policy (which action comes next) and by the crisis support (what it says).
The states: none, ACTIVE (right after a crisis answer: every message is answered by the crisis support, except
a clear change of topic) and EARLIER (the person moved on: ordinary answers again, but an ambiguous message or a
weaker signal brings the crisis support back). Nobody who has shown a crisis signal is sent to the menu, a
«Mente du …?» list or «Vi stopper her».
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.flows.dialogue_map import DialogueMap

ACTIVE = "active"
MOVING_ON = "moving_on"  # the person changed topic; the numbers go under the answer, then EARLIER
EARLIER = "earlier"

# Names the NLU gate, the policy and the actions share (they run in two processes).
CRISIS_INTENT = "crisis"
CRISIS_ADDRESSED_INTENT = "crisis_addressed"
KIND_SLOT = "crisis_kind"  # also the gate's entity
STATE_SLOT = "crisis_state"
ASSESSMENT_KEY = "crisis"  # where the gate puts its assessment in the parse data

REFLECTION_LOOP = "reflection_form"
REHEARSAL_LOOP = "rehearsal_form"
# Flows a person can move into from the crisis state; inside them only a signal brings the crisis support back.
FLOW_LOOPS = frozenset({REFLECTION_LOOP, REHEARSAL_LOOP})
# A confident one of these, read as a change of topic, moves on from the crisis support.
MOVING_ON_INTENTS = frozenset({
    "faq", "show_topic", "ask_local_services", "inform_kommune", "start_reflection", "share_wish", "privacy_question",
    "bot_info", "delete_conversation", "medical_question", "enter_staff_mode", "ask_question_set", "start_rehearsal",
    "rehearsal_feedback",
})
MOVING_ON_CONFIDENCE = 0.6
MOVING_ON_FOLLOWUPS = frozenset({"change_topic", "unclear"})
# After a crisis earlier in the conversation these would lead to «Mente du …?», the menu or «Vi stopper her».
AMBIGUOUS_AFTER_CRISIS = frozenset({"nlu_fallback", "stopp", "help", "greet", "out_of_scope", "hopp_over"})
LEAVING_INTENTS = frozenset({"stopp", "goodbye"})
# Actions that end a turn with an answer: only after one of these may the helplines go under it (after any other,
# a rule or a form is still under way). Every `utter_` response ends a turn too.
ANSWER_ACTIONS = frozenset({
    "action_answer_faq", "action_show_content", "action_local_services", "action_show_question_set",
    "action_reflection_summary", "action_rehearsal_feedback", "action_leave_flow",
})
VAGUE_FOLLOWUPS = frozenset({"unclear", "still_distressed"})
BESIDE_SOMEONE = frozenset({"medical_emergency", "dying_alone"})
# A follow-up read this surely goes before what the intent classifier made of the words («takk, det er bedre nå»).
SURE_FOLLOWUP = 0.6


def ends_turn(action: str | None, active_loop: str | None) -> bool:
    """Whether the action ended the turn with an answer. The reflection asking its next question does too (a weak
    signal in an answer gets the line under the question); its last run does not (the summary follows)."""
    if action == REFLECTION_LOOP:
        return active_loop == REFLECTION_LOOP
    return bool(action) and (action in ANSWER_ACTIONS or action.startswith("utter_"))


def _score_counts(assessment: dict[str, Any]) -> bool:
    """A crisis signal, or the weaker one at which a person is asked (bot/safety/crisis_model.py: `check`)."""
    return assessment.get("kind") is not None or bool(assessment.get("check"))


def wants_check(state: str | None, assessment: dict[str, Any], active_loop: str | None) -> bool:
    """A weak signal with no crisis before it: the ordinary answer, then the numbers and an open door."""
    if state is not None or not assessment.get("check"):
        return False
    return bool(assessment.get("own")) or active_loop != REHEARSAL_LOOP


def moves_on(intent: str, confidence: float, assessment: dict[str, Any]) -> bool:
    """A clear change of topic: a confident topic intent, not read as a reply to the crisis answer."""
    return (
        intent in MOVING_ON_INTENTS
        and confidence >= MOVING_ON_CONFIDENCE
        and assessment.get("followup", "unclear") in MOVING_ON_FOLLOWUPS
        and not _score_counts(assessment)
    )


def routes_to_support(
    state: str | None, intent: str, confidence: float, assessment: dict[str, Any], active_loop: str | None
) -> bool:
    """Whether the crisis support answers the latest message (instead of the ordinary rules)."""
    if intent == CRISIS_INTENT:
        return True
    if intent == CRISIS_ADDRESSED_INTENT:
        # In a rehearsal a question to the simulated patient is a clinical question, not the user's crisis.
        return active_loop != REHEARSAL_LOOP
    if state is None:
        return False
    if active_loop in FLOW_LOOPS:  # moved on into a flow: its answers are answers, only a signal counts
        return _score_counts(assessment)
    if state == ACTIVE:
        return not moves_on(intent, confidence, assessment)
    return intent in AMBIGUOUS_AFTER_CRISIS or _score_counts(assessment)


@dataclass(frozen=True)
class CrisisStep:
    item_id: str
    kind: str  # the crisis kind the answer is about (for the widget's alert)
    state: str  # the state after this answer


def next_step(state: str | None, intent: str, assessment: dict[str, Any], dialogue: DialogueMap,
              last_kind: str | None = None) -> CrisisStep:
    """What the crisis support says to the latest message, and the state it leaves."""
    kind = assessment.get("kind")
    followup = assessment.get("followup", "unclear")
    about = kind or last_kind or "suicidal"
    replies = dialogue.crisis_followups

    def step(category: str, new_state: str = ACTIVE) -> CrisisStep:
        return CrisisStep(replies[category], about, new_state)

    sure = float(assessment.get("followup_confidence") or 0.0) >= SURE_FOLLOWUP
    signal = kind is not None or bool(assessment.get("check"))

    def first_answer(crisis_kind: str) -> CrisisStep:
        return CrisisStep(dialogue.crisis_content.get(crisis_kind, dialogue.crisis_content["suicidal"]), crisis_kind,
                          ACTIVE)

    # An acute emergency is answered as one, whatever came before (113 first, and no advice about means).
    if kind == "medical_emergency":
        return first_answer(kind)
    # Beside a deathbed «now» is about the dying person: that answer again (who to call), never advice about means.
    if followup == "means_or_time" and about == "dying_alone" and state == ACTIVE:
        return first_answer("dying_alone")
    # Means at hand or a time: 113 first. A first message needs the reading to be sure (its own answer says 113).
    if followup == "means_or_time" and (state == ACTIVE or sure):
        return step("means_or_time")
    # A first signal, or a new kind of crisis (someone dying now after a suicidal message): that kind's answer.
    if kind is not None and (state != ACTIVE or (last_kind is not None and kind != last_kind)):
        return first_answer(kind)
    # The follow-up answers speak to someone in suicidal crisis (the helplines). Beside an emergency or a deathbed
    # the useful answer is that situation's own again: who to call, what to do.
    beside_someone = about in BESIDE_SOMEONE and followup not in ("calmer", "change_topic", "thanks_leaving")
    if sure and followup not in VAGUE_FOLLOWUPS | {"thanks_leaving", "change_topic"}:
        return first_answer(about) if beside_someone else step(followup)
    if intent in LEAVING_INTENTS or (sure and followup == "thanks_leaving"):
        return step("thanks_leaving", EARLIER)
    if beside_someone:
        return first_answer(about)
    if state == EARLIER and not signal:
        # After moving on, an unclear message is asked about gently; it does not reopen the crisis support.
        return step("unclear", EARLIER)
    if followup == "change_topic":
        return step("change_topic", EARLIER)
    # A plain «nei» or «ja» answers the crisis answer's question: is there someone nearby?
    if followup in VAGUE_FOLLOWUPS and intent == "deny":
        return step("nobody_nearby")
    if followup in VAGUE_FOLLOWUPS and intent == "affirm":
        return step("someone_nearby")
    if followup in ("calmer", "thanks_leaving"):
        # Unsure: neither «glad it is calmer» to an «ok», nor «still in pain» to someone who may feel better.
        return step("unclear")
    if followup != "unclear":
        return step(followup)
    return step("still_distressed" if signal else "unclear")
