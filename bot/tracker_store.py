"""Rasa's SQL tracker store, made private and patient: redacted before it is stored, deleted on request, and
riding out a database restart.

- Every event is stored with identifiers masked (fødselsnummer, phone numbers, e-mail, person names) in all its
  strings: the text, the parse data and entity values, slot values, the bot's replies. Person names come from
  NLU (bot/components/person_names.py), or from spaCy here for a message NLU did not see.
- When a turn ran `action_delete_conversation`, every stored event of that conversation is deleted instead of
  saved, so the next message starts from nothing.
- A lost connection (PostgreSQL restarted) is retried for up to `retry_seconds` (30) before the turn fails, and
  pooled connections are checked before use, so a restart costs a wait, not a message. Rasa answers the user only
  after `save` returns; a message that was answered is stored.
- The embedded SQLite file keeps its connection between turns (WAL, synchronous=NORMAL), and the per-turn queries
  are built once; profiled, these were most of the store's time per message.
Configured in bot/endpoints.yml.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from functools import cached_property
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.components.person_names import PERSON_NAMES
from bot.content.catalogue import load_helplines
from bot.privacy.event_redaction import NameFinder, redact_event, spacy_name_finder

logger = logging.getLogger(__name__)

DELETE_ACTION = "action_delete_conversation"
DEFAULT_RETRY_SECONDS = 30.0
T = TypeVar("T")


def helpline_numbers() -> tuple[str, ...]:
    return tuple(h.number for h in load_helplines().values())


def is_connection_problem(error: DBAPIError) -> bool:
    """A lost or refused connection (worth waiting for), not a bad statement (never retried)."""
    return error.connection_invalidated or isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError))


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite (the embedded default) in WAL mode with synchronous=NORMAL: a commit no longer waits for the disk
    (profiled: ~15 ms of every turn). A saved turn survives a crash of the assistant; only a power cut or an
    operating-system crash can lose the last ones. Production uses PostgreSQL, which syncs every commit.
    secure_delete: a deleted conversation is overwritten on disk, not left in free pages or the WAL."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def sqlite_engine(url: str | sa.engine.URL) -> sa.engine.Engine:
    """An engine for a SQLite file that keeps its connections. SQLAlchemy 1.4 opens and closes one per session
    (NullPool); the close, with its WAL checkpoint, and the pragmas on each connect cost about 1 ms a session, two
    or more sessions a message. QueuePool hands a connection to one thread at a time, so it may move between
    threads (check_same_thread=False); this is SQLAlchemy 2.0's default for SQLite files. Deleted rows (by
    another process too: retention) are seen at the next transaction, as before; engine.dispose() closes all."""
    engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
    sa.event.listen(engine, "connect", _write_ahead_log)
    return engine


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store that stores only redacted events, honours "slett samtalen" and waits out restarts."""

    def __init__(self, *args: Any, retry_seconds: float = DEFAULT_RETRY_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_numbers = helpline_numbers()
        self.retry_seconds = float(retry_seconds)
        if self.engine.dialect.name == "sqlite":
            if isinstance(self.engine.pool, sa.pool.NullPool):  # a file; ":memory:" keeps Rasa's engine
                self.engine.dispose()
                self.engine = sqlite_engine(self.engine.url)
                self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            else:
                sa.event.listen(self.engine, "connect", _write_ahead_log)
        else:
            # Pooled connections die with a server restart; a ping on checkout replaces them quietly.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @cached_property
    def _statements(self) -> dict[str, sa.sql.Select]:
        """Rasa's `_event_query` (SQLTrackerStore, 3.6.21) as Core statements with the sender as a bound parameter,
        built once: building the ORM query and its cache key each time cost about 1 ms per query. Same SQL
        (tests/test_tracker_store.py compares the results): a conversation's events since its latest
        session_started (all of them when there is none), in id order."""
        event = self.SQLEvent
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(event.timestamp).label("session_start"))
            .where(event.sender_id == sender, event.type_name == SessionStarted.type_name)
            .subquery()
        )
        start = session_start.c.session_start
        latest_session = sa.or_(event.timestamp >= start, start.is_(None))
        every_session = sa.select(event.data).where(event.sender_id == sender).order_by(event.id)
        return {
            "count": sa.select(sa.func.count()).select_from(
                sa.select(event.id).where(event.sender_id == sender, latest_session).subquery()
            ),
            "latest session": every_session.where(latest_session),
            "every session": every_session,
        }

    @cached_property
    def find_names(self) -> NameFinder:
        return spacy_name_finder()

    def names_in(self, event: UserUttered) -> list[str]:
        """The person names NLU found (bot.components.person_names); spaCy here only for a message that did not
        go through our NLU pipeline (a button payload, an event written by an action)."""
        found = (event.parse_data or {}).get(PERSON_NAMES)
        return list(found) if isinstance(found, list) else self.find_names(event.text or "")

    async def _patiently(self, work: Callable[[], T | Awaitable[T]]) -> T:
        """Run `work` (awaited if async), retrying while the database cannot be reached, up to retry_seconds."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                result = work()
                return await result if inspect.isawaitable(result) else result
            except DBAPIError as error:
                left = deadline - time.monotonic()
                if not is_connection_problem(error) or left <= 0:
                    raise
                # The type only: the error's text can hold the statement's parameters.
                logger.warning("Tracker database unavailable (%s); retrying.", type(error).__name__)
                await asyncio.sleep(min(delay, left))
                delay = min(delay * 2, 2.0)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like SQLTrackerStore.save, but each new event is written as its redacted dict."""
        await self._patiently(lambda: self._save_redacted(tracker))

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The tracker's events not stored yet (SQLTrackerStore._additional_events, with the statement built once)."""
        stored = session.execute(self._statements["count"], {"sender_id": tracker.sender_id}).scalar_one()
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _save_redacted(self, tracker: DialogueStateTracker) -> None:
        # One transaction: after a failure nothing was written, so a retry computes the same new events.
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if any(isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION for e in new_events):
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
                logger.info("Deleted a conversation on request.")
                return
            names = {n for e in new_events if isinstance(e, UserUttered) and e.text for n in self.names_in(e)}
            rows = []
            for event in new_events:
                data = event.as_dict()
                (data.get("parse_data") or {}).pop(PERSON_NAMES, None)  # the names themselves are never stored
                data = redact_event(data, names, self.keep_numbers)
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:  # an empty list would insert one row of defaults
                # One executemany, in event order, instead of an ORM object per event (about 1 ms a turn).
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        return await self._patiently(lambda: self._load(sender_id, fetch_events_from_all_sessions))

    def _load(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """SQLTrackerStore._retrieve, reading only the data column: building an ORM object for every stored event
        was most of the query's time, and only `data` is used."""
        statement = self._statements["every session" if fetch_events_from_all_sessions else "latest session"]
        with self.session_scope() as session:
            events = [json.loads(data) for data in session.execute(statement, {"sender_id": sender_id}).scalars()]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def delete(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many rows went."""

        def delete_rows() -> int:
            with self.session_scope() as session:
                count = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
                session.commit()
            return count

        count = await self._patiently(delete_rows)
        logger.info("Deleted a conversation on request (%d events).", count)
        return count
