"""Rasa's SQL tracker store, plus deletion on request.

When a turn ran `action_delete_conversation`, every stored event of that conversation is deleted instead of
saved, so the next message starts from nothing. Configured in bot/endpoints.yml.
"""

from __future__ import annotations

import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

DELETE_ACTION = "action_delete_conversation"


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store that honours "slett samtalen"."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self._deletion_requested(tracker):
            await self.delete(tracker.sender_id)
            return
        await super().save(tracker)

    def _deletion_requested(self, tracker: DialogueStateTracker) -> bool:
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        return any(isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION for e in new_events)

    async def delete(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many rows went."""
        with self.session_scope() as session:
            count = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        logger.info("Deleted a conversation on request (%d events).", count)
        return count
