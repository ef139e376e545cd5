"""bot/rasa_fixes.py: custom action responses are judged exactly as Rasa judges them, with a validator built once."""

from __future__ import annotations

import jsonschema
import pytest
import rasa
from rasa.core.actions.action import RemoteAction

from bot import rasa_fixes

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


def test_apply_fixes_replaces_rasas_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    assert rasa_fixes.apply_fixes() is True
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": []}) is True
    assert RemoteAction._validate_action_result is rasa_fixes.validate_action_result


def test_another_rasa_version_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert rasa_fixes.apply_fixes() is False
    assert RemoteAction._validate_action_result is original
