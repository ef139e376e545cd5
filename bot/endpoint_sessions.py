"""Kept-open HTTP sessions for Rasa's endpoints (the action server): one per endpoint and event loop.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp ClientSession, and so a new TCP connection, for every
action call and closes it afterwards: about a millisecond of Rasa's time per call, an accept and a teardown in the
action server, and under load a burst of connection attempts. With a kept session the calls reuse idle
connections. bot/rasa_fixes.py installs `kept_session` as `EndpointConfig.session`; `request` still enters and
leaves it with `async with`, which here neither opens nor closes anything.
"""

from __future__ import annotations

import asyncio
import weakref

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

# An idle connection is dropped after this many seconds: below the servers' own keep-alive timeouts (Sanic 5 s,
# nginx 75 s), so the client always gives up an idle connection first and never sends a request on one the
# server is closing at that moment.
IDLE_SECONDS = 2.0

_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aiohttp.ClientSession]] = (
    weakref.WeakKeyDictionary()
)


class Borrowed:
    """`async with` on a kept session: yields it and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    # As Rasa configures it (EndpointConfig.session), plus a connector that keeps idle connections briefly.
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        # No cap on parallel connections (aiohttp's default is 100): Rasa's concurrency is bounded by its
        # conversations, and a cap would queue action calls inside Rasa instead of at the action server.
        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=IDLE_SECONDS),
    )


def kept_session(endpoint: EndpointConfig) -> Borrowed:
    """The endpoint's session on the running event loop (Rasa asks only in `request`, a coroutine), created on
    first use; `async with` leaves it open."""
    by_settings = _sessions.setdefault(asyncio.get_running_loop(), {})
    # By what the session is made of, not by object: a copy of an endpoint (EndpointConfig.copy) shares it.
    key = repr((sorted(endpoint.headers.items()), sorted(endpoint.basic_auth.items())))
    session = by_settings.get(key)
    if session is None or session.closed:
        session = by_settings[key] = _new_session(endpoint)
    return Borrowed(session)


async def close_kept_sessions() -> int:
    """Close the sessions of the running loop (at server stop); returns how many were open."""
    by_settings = _sessions.pop(asyncio.get_running_loop(), {})
    for session in by_settings.values():
        await session.close()
    return len(by_settings)
