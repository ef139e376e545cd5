"""What every action module shares: one content store per action-server process, and sending a Reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from rasa_sdk.executor import CollectingDispatcher

from bot.content.store import ContentStore
from bot.flows.dialogue_map import DialogueMap, load_dialogue_map
from bot.flows.messages import Reply

T = TypeVar("T")


class PerProcess(Generic[T]):
    """One instance per action-server process, made on first use (importing the actions touches no database).

    Call it to get the instance; `use(x)` replaces it (tests use a throw-away database), `use(None)` resets.
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._instance: T | None = None

    def __call__(self) -> T:
        if self._instance is None:
            self._instance = self._factory()
        return self._instance

    def use(self, instance: T | None) -> None:
        self._instance = instance


content_store: PerProcess[ContentStore] = PerProcess(ContentStore)


def dialogue_map() -> DialogueMap:
    return load_dialogue_map()


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(**reply.as_kwargs())
