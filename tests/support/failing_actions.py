"""An action package for tests/test_action_server.py: one action that fails, its error quoting the user's text."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionThatFails(Action):
    def name(self) -> str:
        return "action_that_fails"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[Any]:
        # As a database error quotes its statement's parameters.
        raise RuntimeError(f"could not store {tracker.latest_message.get('text')!r}")
