"""bot/endpoint_sessions.py: Rasa's endpoint requests on kept connections, against a real HTTP server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot import endpoint_sessions
from bot.endpoint_sessions import close_kept_sessions, kept_session


class Server:
    """An aiohttp server on a free loopback port that tells its TCP connections apart.

    By the server's protocol object, one per connection, all kept so that no id is reused (a client port can be:
    the kernel may hand out the port of a connection that just closed)."""

    def __init__(self) -> None:
        self.protocols: list[object] = []
        self.requests = 0
        self.port = 0

    @property
    def connections(self) -> int:
        return len({id(protocol) for protocol in self.protocols})


@asynccontextmanager
async def serving(keepalive_timeout: float = 75.0) -> AsyncIterator[Server]:
    server = Server()

    async def webhook(request: web.Request) -> web.Response:
        server.requests += 1
        server.protocols.append(request.protocol)
        body = await request.json()
        return web.json_response({"events": [], "responses": [{"text": body["next_action"]}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app, keepalive_timeout=keepalive_timeout)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.port = runner.addresses[0][1]
    try:
        yield server
    finally:
        await runner.cleanup()


async def _calls(endpoint: EndpointConfig, count: int, pause: float = 0.0) -> list[object]:
    answers = []
    for number in range(count):
        answers.append(await endpoint.request(json={"next_action": f"action_{number}"}, method="post"))
        await asyncio.sleep(pause)
    return answers


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EndpointConfig, "session", kept_session)


def test_rasas_own_requests_open_a_connection_each() -> None:
    async def run() -> int:
        async with serving() as server:
            await _calls(EndpointConfig(f"http://127.0.0.1:{server.port}/webhook"), 5)
            return server.connections

    assert asyncio.run(run()) == 5


def test_kept_sessions_answer_the_same_on_one_connection(kept: None) -> None:
    async def run() -> tuple[list[object], int, int]:
        async with serving() as server:
            answers = await _calls(EndpointConfig(f"http://127.0.0.1:{server.port}/webhook"), 5)
            assert await close_kept_sessions() == 1
            return answers, server.connections, server.requests

    answers, connections, requests = asyncio.run(run())
    assert answers == [{"events": [], "responses": [{"text": f"action_{n}"}]} for n in range(5)]
    assert (connections, requests) == (1, 5)


def test_parallel_calls_and_a_copied_endpoint_share_the_session(kept: None) -> None:
    async def run() -> tuple[int, int]:
        async with serving() as server:
            endpoint = EndpointConfig(f"http://127.0.0.1:{server.port}/webhook")
            await asyncio.gather(*(_calls(e, 3) for e in [endpoint, endpoint.copy(), endpoint]))
            await _calls(endpoint.copy(), 3)  # after the burst: reuses one of its idle connections
            assert await close_kept_sessions() == 1
            return server.connections, server.requests

    connections, requests = asyncio.run(run())
    assert requests == 12 and connections <= 3


def test_a_connection_the_server_closed_is_not_reused(kept: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The server drops an idle connection after 0.2 s, checked each second (aiohttp), so by 1.2 s; the client
    # would keep it for 30 s. The next call after 1.6 s must open a new connection, not fail on the closed one.
    monkeypatch.setattr(endpoint_sessions, "IDLE_SECONDS", 30.0)

    async def run() -> tuple[int, int]:
        async with serving(keepalive_timeout=0.2) as server:
            await _calls(EndpointConfig(f"http://127.0.0.1:{server.port}/webhook"), 3, pause=1.6)
            await close_kept_sessions()
            return server.connections, server.requests

    assert asyncio.run(run()) == (3, 3)


def test_each_event_loop_gets_its_own_session(kept: None) -> None:
    # A session belongs to the loop it was made on; a second loop (asyncio.run again) must not reuse it.
    async def run() -> int:
        async with serving() as server:
            await _calls(EndpointConfig(f"http://127.0.0.1:{server.port}/webhook"), 2)
            closed = await close_kept_sessions()
            assert await close_kept_sessions() == 0  # nothing left for this loop
            return closed

    assert asyncio.run(run()) == 1
    assert asyncio.run(run()) == 1
