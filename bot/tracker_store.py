"""Rasa's SQL tracker store, made private: redacted before it is stored, and deleted on request.

- Every event is stored with identifiers masked (fødselsnummer, phone numbers, e-mail, person names) in all its
  strings: the text, the parse data and entity values, slot values, the bot's replies.
- When a turn ran `action_delete_conversation`, every stored event of that conversation is deleted instead of
  saved, so the next message starts from nothing.
Configured in bot/endpoints.yml.
"""

from __future__ import annotations

import json
import logging
from functools import cached_property
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.catalogue import load_helplines
from bot.privacy.event_redaction import NameFinder, redact_event, spacy_name_finder

logger = logging.getLogger(__name__)

DELETE_ACTION = "action_delete_conversation"


def helpline_numbers() -> tuple[str, ...]:
    return tuple(h.number for h in load_helplines().values())


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store that stores only redacted events and honours "slett samtalen"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_numbers = helpline_numbers()

    @cached_property
    def find_names(self) -> NameFinder:
        return spacy_name_finder()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like SQLTrackerStore.save, but each new event is written as its redacted dict."""
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if any(isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION for e in new_events):
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
                logger.info("Deleted a conversation on request.")
                return
            names = {n for e in new_events if isinstance(e, UserUttered) and e.text for n in self.find_names(e.text)}
            for event in new_events:
                data = redact_event(event.as_dict(), names, self.keep_numbers)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    async def delete(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many rows went."""
        with self.session_scope() as session:
            count = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        logger.info("Deleted a conversation on request (%d events).", count)
        return count
