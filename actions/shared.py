"""What every action module shares: one content store per action-server process, and sending a Reply."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from bot.content.store import ContentStore
from bot.flows.dialogue_map import DialogueMap, load_dialogue_map
from bot.flows.messages import Reply

_store: ContentStore | None = None


def content_store() -> ContentStore:
    """The process's content store, created on first use (so importing the actions touches no database)."""
    global _store
    if _store is None:
        _store = ContentStore()
    return _store


def use_content_store(store: ContentStore | None) -> None:
    """Replace the process's store (tests use a throw-away database)."""
    global _store
    _store = store


def dialogue_map() -> DialogueMap:
    return load_dialogue_map()


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(**reply.as_kwargs())
