"""bot/rasa_fixes.py: Rasa behaves as before, only faster (action responses, event types, graph runs)."""

from __future__ import annotations

import asyncio
from typing import Any

import jsonschema
import pytest
import rasa
import rasa.core.processor
import rasa.core.run
import rasa.model_training
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_fixes
from bot.graph_runner import SequentialGraphRunner
from bot.rule_keys import get_possible_keys

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "kommune", "value": "9999"}], "responses": [{"text": "Hei."}]},
    {"events": [{"event": "active_loop", "name": None}], "responses": [{"text": "x", "buttons": []}]},
    {},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event needs its name
    {"responses": {"text": "not a list"}},
    {"events": [{"event": "no_such_event"}]},
]


@pytest.mark.parametrize("response", VALID)
def test_valid_responses_pass_as_with_rasa(response: dict) -> None:
    jsonschema.validate(response, RemoteAction.action_response_format_spec())  # Rasa's way
    assert rasa_fixes.validate_action_result(RemoteAction("action_x", None), response) is True


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_fail_as_with_rasa_and_with_its_message(response: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        rasa_fixes.validate_action_result(RemoteAction("action_x", None), response)


def test_the_validator_is_built_once() -> None:
    assert rasa_fixes.action_response_validator() is rasa_fixes.action_response_validator()


@pytest.fixture
def restore_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    """What apply_fixes replaces is put back after the test (the staticmethod itself, not the bare function)."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", rasa.core.processor.DaskGraphRunner)
    monkeypatch.setattr(DialogueStateTracker, "past_states", DialogueStateTracker.past_states)
    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    monkeypatch.setattr(rasa.core.run, "close_resources", rasa.core.run.close_resources)
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", RulePolicy._get_possible_keys)


@pytest.fixture
def fixed(restore_rasa: None) -> None:
    assert rasa_fixes.apply_fixes() is True


def test_apply_fixes_replaces_rasas_check(restore_rasa: None) -> None:
    assert rasa_fixes.apply_fixes() is True
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": []}) is True
    assert RemoteAction._validate_action_result is rasa_fixes.validate_action_result


def test_rule_lookups_use_the_shorter_walk(fixed: None) -> None:
    assert RulePolicy._get_possible_keys is get_possible_keys


def test_another_rasa_version_is_left_alone(monkeypatch: pytest.MonkeyPatch, restore_rasa: None) -> None:
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert rasa_fixes.apply_fixes() is False
    assert RemoteAction._validate_action_result is original
    assert Event.resolve_by_type is rasa_fixes.ORIGINAL_RESOLVE_BY_TYPE
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner
    assert DialogueStateTracker.past_states is rasa_fixes.ORIGINAL_PAST_STATES
    assert rasa.core.run.close_resources is rasa_fixes.ORIGINAL_CLOSE_RESOURCES
    assert RulePolicy._get_possible_keys is rasa_fixes.ORIGINAL_GET_POSSIBLE_KEYS


# --- event types ---------------------------------------------------------------------------------------------------


def test_every_event_type_resolves_to_rasas_class(fixed: None) -> None:
    type_names = {event_class.type_name for event_class in all_subclasses(Event)}
    assert "user" in type_names and "slot" in type_names
    for type_name in sorted(type_names):
        expected = rasa_fixes.ORIGINAL_RESOLVE_BY_TYPE(type_name)
        assert Event.resolve_by_type(type_name) is expected
        assert Event.resolve_by_type(type_name) is expected  # again, from the cache
        assert Event.resolve_by_type(type_name, UserUttered) is expected
    assert type_names <= set(rasa_fixes._event_classes)  # each found once, then remembered


def test_misses_answer_as_rasa_does(fixed: None) -> None:
    assert Event.resolve_by_type("topic") is None  # old TopicSet events
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    with pytest.raises(ValueError, match="Unknown event name 'event'"):  # Event itself is no answer, cached or not
        Event.resolve_by_type("event")


def test_it_stays_a_staticmethod_and_events_still_load(fixed: None) -> None:
    assert isinstance(Event.__dict__["resolve_by_type"], staticmethod)
    assert UserUttered("hei").resolve_by_type("user") is UserUttered  # through an instance, too
    event = UserUttered("hei", {"name": "greet", "confidence": 1.0})
    assert Event.from_parameters(event.as_dict()) == event


def test_an_event_class_defined_after_the_fix_resolves(fixed: None) -> None:
    assert Event.resolve_by_type("late_test_event", UserUttered) is UserUttered  # a miss is not remembered

    class LateEvent(Event):
        type_name = "late_test_event"

        def __eq__(self, other: Any) -> bool:
            return isinstance(other, LateEvent)

        def as_story_string(self) -> None:
            return None

    assert Event.resolve_by_type("late_test_event") is LateEvent
    assert Event.resolve_by_type("late_test_event", UserUttered) is LateEvent


# --- graph runs ----------------------------------------------------------------------------------------------------


def test_serving_runs_graphs_without_dask_and_training_keeps_dask(fixed: None) -> None:
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner  # MessageProcessor._load_model uses this name
    assert rasa.model_training.DaskGraphRunner is DaskGraphRunner


# --- kept endpoint sessions ----------------------------------------------------------------------------------------


def test_server_stop_closes_the_kept_sessions(fixed: None) -> None:
    from types import SimpleNamespace

    from bot.endpoint_sessions import close_kept_sessions

    async def run() -> tuple[bool, int]:
        borrowed = EndpointConfig("http://127.0.0.1:9/webhook").session()  # kept_session, after apply_fixes
        app = SimpleNamespace(ctx=SimpleNamespace(agent=None))  # Rasa's clean-up has nothing of its own to close
        await rasa.core.run.close_resources(app, None)  # the name serve_application registers at start
        return borrowed.session.closed, await close_kept_sessions()

    assert asyncio.run(run()) == (True, 0)
