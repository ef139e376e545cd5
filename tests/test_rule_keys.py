"""bot/rule_keys.py: the rules Rasa's RulePolicy finds applicable, found with a shorter walk.

A RulePolicy is trained here on our own rules and stories; then, at every step of every training and test
conversation, our answer is compared with Rasa's for both of the policy's lookups and both state variants.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import SHOULD_NOT_BE_SET
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from bot.rule_keys import possible_keys
from bot.serve import PROJECT_ROOT
from tests.story_events import story_events

ORIGINAL = RulePolicy._get_possible_keys


@pytest.fixture(scope="module")
def trained(domain: Domain, tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePolicy, list[list[Event]]]:
    """A RulePolicy trained on data/ (as in bot/config.yml, without the slow contradiction check), and the
    conversations to compare on: the training trackers and our test stories."""
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(PROJECT_ROOT / "bot" / "domain"), training_data_paths=[str(PROJECT_ROOT / "data")]
    )
    trackers = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0).generate()
    storage = LocalModelStorage(tmp_path_factory.mktemp("rule-policy"))
    config = {**RulePolicy.get_default_config(), "restrict_rules": True, "check_for_contradictions": False,
              "core_fallback_threshold": 0.3, "enable_fallback_prediction": True}  # fmt: skip
    policy = RulePolicy.create(config, storage, Resource("rules"), ExecutionContext(GraphSchema({}), "rule-keys"))
    policy.train(trackers, domain)
    stories = [events for _, events in story_events(domain, "tests/stories")]
    return policy, [list(t.events) for t in trackers] + stories


def _every_step(domain: Domain, conversations: list[list[Event]]) -> Iterator[DialogueStateTracker]:
    for events in conversations:
        tracker = DialogueStateTracker("rule-keys", domain.slots)
        for event in events:
            tracker.update(event, domain)
            yield tracker


def test_every_step_of_every_conversation_gives_rasas_rules(
    trained: tuple[RulePolicy, list[list[Event]]], domain: Domain
) -> None:
    policy, conversations = trained
    assert len(policy.lookup[RULES]) > 40 and policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]
    rule_only = policy._get_rule_only_data()
    compared = found = 0
    for tracker in _every_step(domain, conversations):
        for use_text in (True, False):
            states = policy._prediction_states(tracker, domain, use_text, rule_only_data=rule_only)
            for lookup in (policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
                expected = ORIGINAL(policy, lookup, states)
                assert possible_keys(lookup, states) == expected
                compared += 1
                found += bool(expected)
    assert compared > 2000 and found > 500  # many steps, and many where some rule applies


def test_edge_cases_give_rasas_rules(trained: tuple[RulePolicy, list[list[Event]]]) -> None:
    policy, _ = trained
    lookup = policy.lookup[RULES]
    start = {"slots": {"staff_mode": (0.0,)}}  # a conversation start: no previous action
    listen = {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}
    for states in ([], [{}], [start], [start, listen], [listen], [listen] * 40, [start, *[listen] * 40]):
        assert possible_keys(lookup, states) == ORIGINAL(policy, lookup, states), states
    assert possible_keys({}, [listen]) == set()


def test_unusual_rules_give_rasas_rules(trained: tuple[RulePolicy, list[list[Event]]]) -> None:
    # Rules the grouping by previous action must not lose: no states, a start, an action text, "should not be set".
    policy, _ = trained
    rules = [
        [],
        [{}],
        [{"slots": {"staff_mode": [0.0]}}],
        [{"prev_action": {"action_text": "hei"}}],
        [{"prev_action": {"action_name": SHOULD_NOT_BE_SET}}],
        [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}],
        [{"prev_action": {"action_name": "utter_greet"}}, {"prev_action": {"action_name": "action_listen"}}],
    ]
    lookup = {json.dumps(rule): "utter_x" for rule in rules}
    starts = [{}, {"slots": {"staff_mode": (0.0,)}}]
    moves = [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}},
             {"prev_action": {"action_name": "utter_greet"}}, {"prev_action": {"action_text": "hei"}},
             {"prev_action": {"action_name": "action_other"}}]  # fmt: skip
    for first in starts:
        for second in moves:
            for third in moves:
                for states in ([first], [first, second], [first, second, third], [second, third]):
                    assert possible_keys(lookup, states) == ORIGINAL(policy, lookup, states), states

