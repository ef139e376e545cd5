"""bot/past_states_memo.py: the same states as Rasa's at every step, made once per set of events and extended when
only events were added."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.past_states_memo import MEMO_ATTRIBUTE, past_states
from tests.story_events import story_events

ORIGINAL = DialogueStateTracker.past_states


def _argument_sets(domain: Domain) -> list[dict[str, Any]]:
    rule_only = {"slots": sorted(slot.name for slot in domain.slots)[:2], "active_loops": list(domain.form_names)[:1]}
    return [
        {},
        {"omit_unset_slots": True},
        {"ignore_rule_only_turns": True, "rule_only_data": rule_only},
        {"rule_only_data": rule_only},
    ]


def _folds(tracker: DialogueStateTracker) -> dict[Any, Any]:
    return tracker.__dict__[MEMO_ATTRIBUTE][1]


def test_every_step_of_every_conversation_gives_rasas_states(domain: Domain) -> None:
    arguments = _argument_sets(domain)
    conversations = list(story_events(domain, "tests/stories", "data/rules"))
    assert len(conversations) >= 60
    compared = extended = 0
    for name, events in conversations:
        tracker = DialogueStateTracker("memo-test", domain.slots)
        for event in events:
            tracker.update(event, domain)  # the same tracker grows, as in a conversation
            before = dict(_folds(tracker)) if MEMO_ATTRIBUTE in tracker.__dict__ else {}
            for kwargs in arguments:
                first = past_states(tracker, domain, **kwargs)
                assert first == ORIGINAL(tracker, domain, **kwargs), name
                assert past_states(tracker, domain, **kwargs) == first, name  # and again, remembered
                compared += 1
            extended += sum(fold is before.get(key) for key, fold in _folds(tracker).items())
    assert compared > 2000
    assert extended > compared / 2  # most steps went on from the step before instead of starting again


def _replay(domain: Domain, events: list[Event], **kwargs: Any) -> None:
    """Feed `events` one at a time, comparing with Rasa's after each."""
    tracker = DialogueStateTracker("memo-test", domain.slots)
    for event in events:
        tracker.update(event, domain)
        assert past_states(tracker, domain, **kwargs) == ORIGINAL(tracker, domain, **kwargs), event


GREET = UserUttered("hei", {"name": "greet", "confidence": 1.0})


@pytest.mark.parametrize(
    "changing",
    [
        Restarted(),
        SessionStarted(),
        ActionReverted(),
        UserUtteranceReverted(),
        ActiveLoop("reflection_form"),
        ActiveLoop(None),
    ],
    ids=lambda e: type(e).__name__,
)
def test_events_that_change_earlier_history_start_again(domain: Domain, changing: Event) -> None:
    affirm = UserUttered("ja", {"name": "affirm", "confidence": 1.0})
    events = [ActionExecuted("action_listen"), GREET, ActionExecuted("utter_greet"), ActionExecuted("action_listen"),
              affirm, changing, ActionExecuted("action_listen")]  # fmt: skip
    for kwargs in _argument_sets(domain):
        _replay(domain, events, **kwargs)


def test_a_loop_run_again_after_an_interruption(domain: Domain) -> None:
    # The second reflection_form execution undoes the interruption in Rasa's applied events.
    start = UserUttered("start", {"name": "start_reflection", "confidence": 1.0})
    other = UserUttered("hva", {"name": "help", "confidence": 1.0})
    events = [ActionExecuted("action_listen"), start, ActionExecuted("reflection_form"), ActiveLoop("reflection_form"),
              SlotSet("requested_slot", "reflection_consent"), ActionExecuted("action_listen"), other,
              ActionExecuted("utter_default"), ActionExecuted("reflection_form"), ActionExecuted("action_listen"),
              GREET, ActionExecuted("reflection_form"), ActiveLoop(None), ActionExecuted("action_listen")]  # fmt: skip
    for kwargs in _argument_sets(domain):
        _replay(domain, events, **kwargs)


def test_a_loop_named_only_after_it_ran_twice(domain: Domain) -> None:
    # Rasa finds loop names among all events: the ActiveLoop event turns earlier executions into loop executions.
    other = UserUttered("hva", {"name": "help", "confidence": 1.0})
    events = [ActionExecuted("action_listen"), GREET, ActionExecuted("reflection_form")]
    events += [ActionExecuted("action_listen"), other, ActionExecuted("utter_default")]
    events += [ActionExecuted("reflection_form"), ActiveLoop("reflection_form"), ActionExecuted("action_listen")]
    for kwargs in _argument_sets(domain):
        _replay(domain, events, **kwargs)


def test_a_caller_changing_its_states_changes_nothing_for_the_next(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("memo-test", [ActionExecuted("action_listen"), GREET], domain.slots)
    expected = ORIGINAL(tracker, domain)
    given = past_states(tracker, domain)
    given[-1]["user"].pop("intent")  # as Rasa's _choose_last_user_input does
    given[-1].clear()
    given.append({})
    assert past_states(tracker, domain) == expected
    tracker.update(ActionExecuted("utter_greet"), domain)  # and going on from there is unharmed too
    assert past_states(tracker, domain) == ORIGINAL(tracker, domain)


def test_states_are_kept_per_tracker_events_and_arguments(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("memo-test", [ActionExecuted("action_listen")], domain.slots)
    past_states(tracker, domain)
    fold = next(iter(_folds(tracker).values()))
    past_states(tracker, domain)
    assert list(_folds(tracker).values()) == [fold]
    past_states(tracker, domain, omit_unset_slots=True)
    assert len(_folds(tracker)) == 2
    tracker.update(GREET, domain)
    assert past_states(tracker, domain) == ORIGINAL(tracker, domain)
    assert _folds(tracker)[next(iter(_folds(tracker)))] is fold and fold.fed == 2  # went on, no new start
    other = DialogueStateTracker.from_events("memo-test-2", list(tracker.events), domain.slots)
    assert past_states(other, domain) == past_states(tracker, domain)
    assert MEMO_ATTRIBUTE in other.__dict__  # another tracker with equal events: its own


def test_a_bounded_history_and_replaced_events_are_noticed(domain: Domain) -> None:
    tracker = DialogueStateTracker("memo-test", domain.slots, max_event_history=3)
    for event in [ActionExecuted("action_listen"), GREET, ActionExecuted("utter_greet"),
                  ActionExecuted("action_listen")]:  # fmt: skip
        tracker.update(event, domain)
        assert past_states(tracker, domain) == ORIGINAL(tracker, domain)
    assert len(tracker.events) == 3  # the length stayed while the events changed
    tracker.events = deque([ActionExecuted("action_listen"), UserUttered("ja", {"name": "affirm", "confidence": 1.0})])
    tracker.replay_events()
    assert past_states(tracker, domain) == ORIGINAL(tracker, domain)
