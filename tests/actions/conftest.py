"""Action fixtures: trackers built from JSON files, a CollectingDispatcher, and the content store under test."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.shared
from bot.content.store import ContentStore

TRACKERS = Path(__file__).parent / "trackers"


@pytest.fixture(autouse=True)
def use_test_store(store: ContentStore) -> Iterator[None]:
    actions.shared.content_store.use(store)
    yield
    actions.shared.content_store.use(None)


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture()
def tracker() -> Callable[..., Tracker]:
    """`tracker("name", slots=..., latest_message=...)` loads trackers/name.json and applies overrides."""

    def build(name: str, **overrides: Any) -> Tracker:
        data = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Tracker.from_dict(data)

    return build
