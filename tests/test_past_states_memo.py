"""bot/past_states_memo.py: the same states as Rasa's, computed once per set of events and arguments."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot.past_states_memo import remembering
from bot.serve import PROJECT_ROOT

ORIGINAL = DialogueStateTracker.past_states


def _test_conversations(domain: Domain) -> Iterator[tuple[str, list[Event]]]:
    reader = YAMLStoryReader(domain)
    for path in sorted((PROJECT_ROOT / "tests" / "stories").glob("*.yml")):
        for step in reader.read_from_file(str(path)):
            yield f"{path.name}: {step.block_name}", step.explicit_events(domain)


def _argument_sets(domain: Domain) -> list[dict[str, Any]]:
    rule_only = {"slots": sorted(domain.slots, key=lambda s: s.name)[:2], "active_loops": list(domain.form_names)[:1]}
    rule_only = {"slots": [slot.name for slot in rule_only["slots"]], "active_loops": rule_only["active_loops"]}
    return [
        {},
        {"omit_unset_slots": True},
        {"ignore_rule_only_turns": True, "rule_only_data": rule_only},
        {"rule_only_data": rule_only},
    ]


class Counted:
    """Rasa's past_states, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return ORIGINAL(*args, **kwargs)


def test_every_prefix_of_every_test_conversation_gives_rasas_states(domain: Domain) -> None:
    memo = remembering(ORIGINAL)
    arguments = _argument_sets(domain)
    conversations = list(_test_conversations(domain))
    assert len(conversations) >= 30
    compared = 0
    for name, events in conversations:
        tracker = DialogueStateTracker("memo-test", domain.slots)
        for event in events:
            tracker.update(event, domain)  # the same tracker grows, as in a conversation
            for kwargs in arguments:
                first = memo(tracker, domain, **kwargs)
                assert first == ORIGINAL(tracker, domain, **kwargs), name
                assert memo(tracker, domain, **kwargs) == first, name  # and again, remembered
                compared += 1
    assert compared > 1000


def test_a_caller_changing_its_states_changes_nothing_for_the_next(domain: Domain) -> None:
    memo = remembering(ORIGINAL)
    tracker = DialogueStateTracker.from_events(
        "memo-test",
        [ActionExecuted("action_listen"), UserUttered("hei", {"name": "greet", "confidence": 1.0})],
        domain.slots,
    )
    expected = ORIGINAL(tracker, domain)
    given = memo(tracker, domain)
    given[-1]["user"].pop("intent")  # as Rasa's _choose_last_user_input does
    given[-1].clear()
    given.append({})
    assert memo(tracker, domain) == expected


def test_states_are_made_once_per_events_and_arguments(domain: Domain) -> None:
    counted = Counted()
    memo = remembering(counted)
    tracker = DialogueStateTracker.from_events("memo-test", [ActionExecuted("action_listen")], domain.slots)
    for _ in range(5):
        memo(tracker, domain)
    assert counted.calls == 1
    memo(tracker, domain, omit_unset_slots=True)
    assert counted.calls == 2
    tracker.update(UserUttered("hei", {"name": "greet", "confidence": 1.0}), domain)
    assert memo(tracker, domain) == ORIGINAL(tracker, domain)
    assert counted.calls == 3
    other = DialogueStateTracker.from_events("memo-test-2", list(tracker.events), domain.slots)
    memo(other, domain)  # another tracker with equal events: its own memo
    assert counted.calls == 4


def test_a_bounded_history_and_replaced_events_are_noticed(domain: Domain) -> None:
    memo = remembering(ORIGINAL)
    tracker = DialogueStateTracker("memo-test", domain.slots, max_event_history=3)
    for event in [ActionExecuted("action_listen"), UserUttered("hei", {"name": "greet", "confidence": 1.0}),
                  ActionExecuted("utter_greet"), ActionExecuted("action_listen")]:  # fmt: skip
        tracker.update(event, domain)
        assert memo(tracker, domain) == ORIGINAL(tracker, domain)
    assert len(tracker.events) == 3  # the length stayed while the events changed
    tracker.events = deque([ActionExecuted("action_listen"), UserUttered("ja", {"name": "affirm", "confidence": 1.0})])
    tracker.replay_events()
    assert memo(tracker, domain) == ORIGINAL(tracker, domain)
