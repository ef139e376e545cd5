"""Fixtures for the local services: directory folders to break, a loaded directory, trackers and stores."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.services
import actions.shared
from bot.content.database import make_engine
from bot.content.store import ContentStore
from bot.services.loader import load_directory
from bot.services.schema import DIRECTORY_DIR
from bot.services.store import ServiceStore
from bot.services.validation import read_directory

TRACKERS = Path(__file__).resolve().parents[1] / "actions" / "trackers"
EXAMPLE_FILE = DIRECTORY_DIR / "9999-eksempelvik.yml"

# Test data only: real kommunenummer (Bodø, Beiarn) with made-up services and no contact details.
BODO = """\
kommune:
  number: "1804"
  name: Bodø
services:
  - id: test_legevakt
    kind: legevakt
    name: Testlegevakten
    helps_with: Når du trenger lege raskt.
    phone: null
    web: null
    address: null
    opening_hours: null
    how_to_contact: null
    covers: ["1804", "1839"]
    source: Testdata
    verified: 2026-11-01
"""


@pytest.fixture()
def directory_dir(tmp_path: Path) -> Path:
    """A directory folder holding a copy of the shipped example kommune."""
    folder = tmp_path / "tjenester"
    folder.mkdir()
    shutil.copy(EXAMPLE_FILE, folder / EXAMPLE_FILE.name)
    return folder


@pytest.fixture(scope="session")
def service_store(tmp_path_factory: pytest.TempPathFactory) -> ServiceStore:
    """The shipped directory, validated and loaded into a throw-away SQLite database."""
    directory, problems = read_directory()
    assert not problems, "\n".join(map(str, problems))
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('services') / 'services.db'}")
    load_directory(directory, engine)
    return ServiceStore(engine)


@pytest.fixture(autouse=True)
def use_test_stores(store: ContentStore, service_store: ServiceStore) -> Iterator[None]:
    actions.shared.content_store.use(store)
    actions.services.service_store.use(service_store)
    yield
    actions.shared.content_store.use(None)
    actions.services.service_store.use(None)


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture()
def tracker() -> Callable[..., Tracker]:
    """`tracker(text="…", slots={…}, metadata={…}, entities=[…])` from trackers/local_services.json."""

    def build(text: str | None = None, slots: dict[str, Any] | None = None, **latest: Any) -> Tracker:
        data = json.loads((TRACKERS / "local_services.json").read_text(encoding="utf-8"))
        if text is not None:
            data["latest_message"]["text"] = text
        data["latest_message"].update(latest)
        data["slots"].update(slots or {})
        return Tracker.from_dict(data)

    return build
