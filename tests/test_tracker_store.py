"""The tracker store keeps only redacted events, in a real SQLite database, and deletes on request."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import PrivateSQLTrackerStore

# Made-up identifiers (test data, never shown to users).
SECRET = "Jeg heter Kari Nordmann, fnr 01019012345, e-post kari@example.no, ring meg på 22 33 44 55"
DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  reflection_answers:
    type: list
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


def store_at(path: Path) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))


def rows(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT data FROM events ORDER BY id")]


def conversation(sender: str) -> DialogueStateTracker:
    parse = {
        "text": SECRET,
        "intent": {"name": "greet", "confidence": 0.9},
        "entities": [{"entity": "PER", "value": "Kari Nordmann", "start": 10, "end": 23}],
    }
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered(SECRET, parse_data=parse),
            SlotSet("reflection_answers", [SECRET]),
            BotUttered("Ring Mental Helse Hjelpetelefonen på 116 123, eller 113 hvis det haster."),
        ],
        DOMAIN.slots,
    )


def test_nothing_identifying_reaches_the_database(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    asyncio.run(store_at(db).save(conversation("a")))
    stored = "\n".join(json.dumps(json.loads(r), ensure_ascii=False) for r in rows(db))
    for secret in ("Kari", "Nordmann", "01019012345", "kari@example.no", "22 33 44 55"):
        assert secret not in stored, secret
    assert "[navn]" in stored and "[fødselsnummer]" in stored and "[e-post]" in stored and "[telefon]" in stored
    assert "116 123" in stored and "113" in stored  # the assistant's own helplines are kept
    user = next(json.loads(r) for r in rows(db) if json.loads(r)["event"] == "user")
    assert user["parse_data"]["intent"]["name"] == "greet"  # the dialogue's own names are untouched


def test_a_stored_conversation_reads_back_redacted(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = store_at(db)
    asyncio.run(store.save(conversation("b")))
    tracker = asyncio.run(store.retrieve("b"))
    assert tracker is not None
    assert "01019012345" not in tracker.latest_message.text
    assert tracker.get_slot("reflection_answers")[0].startswith("Jeg heter [navn]")


def test_slett_samtalen_deletes_every_event_of_that_conversation_only(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = store_at(db)
    asyncio.run(store.save(conversation("keep")))
    tracker = conversation("gone")
    asyncio.run(store.save(tracker))
    tracker.update(ActionExecuted("action_delete_conversation"))
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("gone")) is None
    assert asyncio.run(store.retrieve("keep")) is not None


# --- waiting out a database restart ----------------------------------------------------------------


def _lost_connection() -> Exception:
    import sqlalchemy.exc

    return sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


def test_a_lost_connection_is_retried_until_the_database_answers(tmp_path: Path) -> None:
    store = store_at(tmp_path / "t.db")
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _lost_connection()
        return "stored"

    assert asyncio.run(store._patiently(work)) == "stored"
    assert len(calls) == 3


def test_a_bad_statement_is_not_retried(tmp_path: Path) -> None:
    import pytest
    import sqlalchemy.exc

    store = store_at(tmp_path / "t.db")
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        raise sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("duplicate key"))

    with pytest.raises(sqlalchemy.exc.IntegrityError):
        asyncio.run(store._patiently(work))
    assert len(calls) == 1


def test_waiting_ends_after_retry_seconds(tmp_path: Path) -> None:
    import time

    import pytest
    import sqlalchemy.exc

    store = PrivateSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), retry_seconds=0.5)

    def work() -> None:
        raise _lost_connection()

    started = time.monotonic()
    with pytest.raises(sqlalchemy.exc.OperationalError):
        asyncio.run(store._patiently(work))
    assert 0.5 <= time.monotonic() - started < 2


def test_the_embedded_sqlite_store_uses_the_write_ahead_log(tmp_path: Path) -> None:
    store = store_at(tmp_path / "t.db")
    asyncio.run(store.save(conversation("wal")))
    with sqlite3.connect(tmp_path / "t.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        # SQLite then overwrites what a deletion frees, so "slett samtalen" leaves no text in free pages.
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


# --- the SQLite file keeps its connection ----------------------------------------------------------------------


def test_the_sqlite_connection_is_kept_between_turns_and_closed_by_dispose(tmp_path: Path) -> None:
    import sqlalchemy as sa

    db = tmp_path / "t.db"
    store = store_at(db)
    connects: list[int] = []
    sa.event.listen(store.engine, "connect", lambda *_: connects.append(1))
    tracker = conversation("kept")
    for turn in range(3):
        tracker.update(UserUttered(f"melding {turn}"))
        asyncio.run(store.save(tracker))
        assert asyncio.run(store.retrieve("kept")) is not None
    assert len(connects) == 1  # one connection, and the pragmas ran once
    store.engine.dispose()
    assert store.engine.pool.checkedin() == 0
    assert not (tmp_path / "t.db-wal").exists()  # the last connection closed: SQLite checkpointed and tidied up
    assert len(rows(db)) == len(tracker.events)


def test_the_store_can_be_used_from_another_thread(tmp_path: Path) -> None:
    import threading

    store = store_at(tmp_path / "t.db")
    asyncio.run(store.save(conversation("main")))
    found: list[object] = []
    worker = threading.Thread(target=lambda: found.append(asyncio.run(store.retrieve("main"))))
    worker.start()
    worker.join()
    assert found[0] is not None
    assert asyncio.run(store.delete("main")) == 4


def test_a_closed_connection_is_replaced_by_the_retry(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = store_at(tmp_path / "t.db")
    asyncio.run(store.save(conversation("a")))
    pooled = store.engine.raw_connection()
    sqlite_connection = pooled.dbapi_connection
    pooled.close()  # back to the pool, then closed behind SQLAlchemy's back, like a lost server connection
    sqlite_connection.close()
    asyncio.run(store.save(conversation("b")))  # invalidated and retried on a new connection
    assert "retrying" in caplog.text
    assert asyncio.run(store.retrieve("b")) is not None


def test_retention_purges_while_the_store_holds_its_connection(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from bot.privacy.retention import purge_older_than

    db = tmp_path / "t.db"
    store = store_at(db)
    old = DialogueStateTracker.from_events("old", [UserUttered("hei", timestamp=1000.0)], DOMAIN.slots)
    asyncio.run(store.save(old))
    asyncio.run(store.save(conversation("new")))
    assert purge_older_than(sa.create_engine(f"sqlite:///{db}", future=True), days=21) == 1
    assert asyncio.run(store.retrieve("old")) is None
    assert asyncio.run(store.retrieve("new")) is not None
    asyncio.run(store.save(old))  # and it starts again from nothing
    assert len(asyncio.run(store.retrieve("old")).events) == 1


# --- the prebuilt statements read what Rasa's queries read ---------------------------------------------------


def test_the_statements_select_what_rasas_event_query_selects(tmp_path: Path) -> None:
    from rasa.shared.core.events import SessionStarted

    store = store_at(tmp_path / "t.db")
    senders = {
        "no session": [UserUttered("a", timestamp=1.0), UserUttered("b", timestamp=2.0)],
        "sessions": [
            SessionStarted(timestamp=1.0),
            UserUttered("a", timestamp=2.0),
            SessionStarted(timestamp=3.0),
            UserUttered("same time", timestamp=3.0),  # at the session start: counts as in the new session
            UserUttered("b", timestamp=4.0),
        ],
        "before start": [UserUttered("late clock", timestamp=9.0), SessionStarted(timestamp=5.0)],
    }
    for sender, events in senders.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots)))
    for sender in [*senders, "unknown"]:
        with store.session_scope() as session:
            count = session.execute(store._statements["count"], {"sender_id": sender}).scalar_one()
            assert count == store._event_query(session, sender, fetch_events_from_all_sessions=False).count()
            for every, key in ((False, "latest session"), (True, "every session")):
                ours = session.execute(store._statements[key], {"sender_id": sender}).scalars().all()
                rasa = [e.data for e in store._event_query(session, sender, fetch_events_from_all_sessions=every)]
                assert ours == rasa, (sender, key)


def test_a_save_without_new_events_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = store_at(db)
    tracker = conversation("same")
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))
    assert len(rows(db)) == len(tracker.events)
