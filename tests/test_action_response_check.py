"""bot/action_response_check.py: the same verdict as Rasa's full schema check, on valid and broken responses."""

from __future__ import annotations

import copy
import random
from datetime import datetime
from typing import Any

import pytest
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa_sdk import events as sdk

from bot.action_response_check import ActionResponseCheck

SCHEMA = RemoteAction.action_response_format_spec()

# Every event rasa_sdk can send (what our action server's actions return), with realistic fields.
EVENTS: list[dict[str, Any]] = [
    sdk.UserUttered("hei", {"intent": {"name": "greet", "confidence": 0.9}, "entities": []}, input_channel="rest"),
    sdk.BotUttered("Hei.", {"buttons": []}, {"utter_action": "utter_greet"}),
    sdk.SlotSet("kommune_nummer", "9999"),
    sdk.SlotSet("reflection_answers", ["a", "b"]),
    sdk.SlotSet("staff_mode", None),
    sdk.Restarted(),
    sdk.SessionStarted(),
    sdk.UserUtteranceReverted(),
    sdk.AllSlotsReset(),
    sdk.ReminderScheduled("EXTERNAL_reminder", datetime(2026, 11, 23, 12), name="r", kill_on_user_message=True),
    sdk.ReminderCancelled(name="r"),
    sdk.ActionReverted(),
    sdk.StoryExported(),
    sdk.FollowupAction("action_listen"),
    sdk.ConversationPaused(),
    sdk.ConversationResumed(),
    sdk.ActionExecuted("action_answer_faq", policy="RulePolicy", confidence=1.0),
    sdk.AgentUttered("x"),
    sdk.ActiveLoop("reflection_form"),
    sdk.ActiveLoop(None),
    sdk.LoopInterrupted(True),
    sdk.FormValidation(False),
    sdk.ActionExecutionRejected("reflection_form"),
]
NAMES = [*sorted({event["event"] for event in EVENTS}), "form", "entities", "no_such_event"]
ODD_VALUES: list[Any] = [None, 1, 2.5, True, "x", [], {}, ["y"], {"k": 1}]


def _mutate(response: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One random change that may or may not break the schema."""
    response = copy.deepcopy(response)
    events = response.get("events") if isinstance(response.get("events"), list) else []
    objects = [event for event in events if isinstance(event, dict) and event]  # an earlier change may have left others
    choice = rng.randrange(7)
    if choice == 0 and objects:
        rng.choice(objects)["event"] = rng.choice(NAMES)  # another type's name on this event's fields
    elif choice == 1 and objects:
        event = rng.choice(objects)
        event.pop(rng.choice(sorted(event)), None)
    elif choice == 2 and objects:
        event = rng.choice(objects)
        event[rng.choice(sorted(event))] = rng.choice(ODD_VALUES)
    elif choice == 3 and objects:
        rng.choice(objects)[rng.choice(["extra", "text", "name", "value", "timestamp", "metadata"])] = rng.choice(
            ODD_VALUES
        )
    elif choice == 4 and events:
        events[rng.randrange(len(events))] = rng.choice(ODD_VALUES)
    elif choice == 5:
        response[rng.choice(["events", "responses"])] = rng.choice(ODD_VALUES)
    else:
        response["responses"] = [rng.choice([{"text": "Hei."}, {"template": "utter_x"}, "tekst", 3, None])]
    return response


def _responses(count: int, seed: int = 11) -> list[Any]:
    rng = random.Random(seed)
    found: list[Any] = [{}, {"events": []}, None, [], "svar", {"events": [{}]}]
    for _ in range(count):
        response: dict[str, Any] = {"events": rng.sample(EVENTS, rng.randint(0, 4)), "responses": []}
        for _ in range(rng.randint(0, 3)):
            response = _mutate(response, rng)
        found.append(response)
    return found


def test_every_sdk_event_passes_alone() -> None:
    full = validators.validator_for(SCHEMA)(SCHEMA)
    check = ActionResponseCheck(SCHEMA)
    for event in EVENTS:
        assert full.is_valid({"events": [event]}), event  # the corpus itself is valid
        assert check.quick_is_valid({"events": [event]}), event


def test_the_verdict_is_the_full_schemas_on_random_responses() -> None:
    full = validators.validator_for(SCHEMA)(SCHEMA)
    check = ActionResponseCheck(SCHEMA)
    verdicts = {True: 0, False: 0}
    for response in _responses(3000):
        expected = full.is_valid(response)
        assert check.quick_is_valid(response) is expected, response
        verdicts[expected] += 1
    assert min(verdicts.values()) > 500, verdicts  # both kinds well represented


def test_a_broken_response_raises_rasas_error() -> None:
    check = ActionResponseCheck(SCHEMA)
    broken = {"events": [{"event": "slot", "value": "x"}]}  # a slot event without its name
    with pytest.raises(ValidationError) as ours:
        check.validate(broken)
    with pytest.raises(ValidationError) as rasas:
        validators.validator_for(SCHEMA)(SCHEMA).validate(broken)
    assert ours.value.message == rasas.value.message
    check.validate({"events": [sdk.SlotSet("kommune_nummer", "9999")], "responses": [{"text": "Hei."}]})
