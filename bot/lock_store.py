"""Rasa's Redis lock store, made safe for several Rasa processes.

Rasa 3.6's RedisLockStore changes a conversation's ticket lock by read-modify-write (get, change, set). Two
processes that take a message for the same conversation in the same instant can both read "no tickets", both
get ticket 0 and process at once; one turn is then lost from the tracker store (seen with 2 processes and
4 simultaneous messages). Here every read-modify-write of a conversation's lock runs under a short Redis mutex
(redis-py's Lock: SET NX PX, released by token), so tickets are issued and removed one at a time.
Configured in bot/endpoints.yml by LOCK_STORE_TYPE=bot.lock_store.SerialRedisLockStore.
"""

from __future__ import annotations

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.lock import Lock

MUTEX_TIMEOUT = 10.0  # seconds; a read-modify-write takes milliseconds, this only frees a crashed holder's mutex


class SerialRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket changes are serialised per conversation across processes."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a custom lock store from its endpoint config; the settings are RedisLockStore's.
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _mutex(self, conversation_id: str) -> Lock:
        return self.red.lock(
            f"mutex:{self.key_prefix}{conversation_id}", timeout=MUTEX_TIMEOUT, blocking_timeout=MUTEX_TIMEOUT
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving, the "anyone waiting?" check and the delete must not interleave with a new ticket.
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
