"""Retention: conversations whose newest event is older than the period are deleted whole; others stay."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine, text

from bot.privacy.retention import purge_older_than, retention_days, tracker_db_url
from tests.conftest import PROJECT_ROOT

DAY = 86400.0


def rasa_events_table(path: Path) -> str:
    """A tracker database with Rasa's own schema (SQLTrackerStore creates it)."""
    SQLTrackerStore(dialect="sqlite", db=str(path))
    return f"sqlite:///{path}"


def add_events(url: str, sender: str, timestamps: list[float]) -> None:
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        for ts in timestamps:
            connection.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, :d)"),
                {"s": sender, "t": ts, "d": json.dumps({"event": "user", "timestamp": ts})},
            )


def senders(url: str) -> dict[str, int]:
    with create_engine(url, future=True).connect() as connection:
        rows = connection.execute(text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
        return dict(rows.all())


def test_old_conversations_go_and_recent_ones_stay_whole(tmp_path: Path) -> None:
    url = rasa_events_table(tmp_path / "t.db")
    now = time.time()
    add_events(url, "old", [now - 40 * DAY, now - 30 * DAY])
    add_events(url, "recent", [now - 40 * DAY, now - 1 * DAY])  # started long ago, still going: kept whole
    add_events(url, "new", [now - 60])
    assert purge_older_than(create_engine(url, future=True), days=21, now=now) == 1
    assert senders(url) == {"recent": 2, "new": 1}


def test_an_empty_or_missing_store_is_fine(tmp_path: Path) -> None:
    assert purge_older_than(create_engine(f"sqlite:///{tmp_path / 'none.db'}", future=True), days=21) == 0


def test_retention_period_comes_from_the_environment() -> None:
    assert retention_days({}) == 21
    assert retention_days({"RETENTION_DAYS": "7"}) == 7
    with pytest.raises(ValueError):
        retention_days({"RETENTION_DAYS": "0"})


def test_the_url_is_the_one_rasa_builds_from_endpoints() -> None:
    assert tracker_db_url({"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": "var/x.db"}) == "sqlite:///var/x.db"
    url = tracker_db_url(
        {"TRACKER_DB_DIALECT": "postgresql", "TRACKER_DB_HOST": "db", "TRACKER_DB": "rasa", "TRACKER_DB_USER": "u"}
    )
    assert url.startswith("postgresql://u@db") and url.endswith("/rasa")


def test_the_cli_purges_once(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    url = rasa_events_table(db)
    add_events(url, "old", [time.time() - 30 * DAY])
    env = {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": str(db), "RETENTION_DAYS": "21", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.privacy.retention"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert senders(url) == {}


def test_what_the_assistant_says_about_retention_is_true(catalogue) -> None:
    from bot.privacy.retention import DEFAULT_RETENTION_DAYS

    assert f"{DEFAULT_RETENTION_DAYS} dager" in catalogue.items["personvern"].body
