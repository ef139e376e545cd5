"""The REST and socket.io channels of the running stack answer a greeting.

The socket.io tests use a real python-socketio client. With session_persistence, Rasa sends replies to
the room named by the session id; python-socketio >= 5.10 made enter_room a coroutine that stock Rasa 3.6
never awaits, so the socket never joins the room and replies are lost. These tests catch that, and any
other way a reply can miss the session's room.

The python-socketio client is held to the polling transport: its websocket transport needs aiohttp >= 3.10,
and Rasa 3.6 pins aiohttp < 3.10. Browsers upgrade to websocket, so one test speaks the socket.io protocol
over a plain websocket (the `websockets` package that Sanic already brings).
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from typing import Any

import socketio
import websockets

from tests.integration.conftest import Stack

REPLY_TIMEOUT = 60.0  # the first message warms up the model


def _post_rest(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=REPLY_TIMEOUT) as response:
        return json.loads(response.read())


class SocketSession:
    """One socket.io connection that joins a Rasa session and collects bot_uttered events."""

    def __init__(self, url: str, session_id: str) -> None:
        self.url = url
        self.session_id = session_id
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self.replies.put)

    async def _on_confirm(self, data: Any) -> None:
        if not self.confirmed.done():
            self.confirmed.set_result(data)

    async def __aenter__(self) -> SocketSession:
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=10)
        await self.client.emit("session_request", {"session_id": self.session_id})
        assert await asyncio.wait_for(self.confirmed, REPLY_TIMEOUT) == self.session_id
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.client.disconnect()

    async def say(self, message: str) -> None:
        await self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})

    async def next_reply(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT)


def _text_of(reply: dict[str, Any]) -> str:
    return str(reply.get("text", "")).strip()


def test_rest_answers_a_greeting(stack: Stack) -> None:
    replies = _post_rest(stack, f"test-{uuid.uuid4().hex}", "hei")
    assert replies, "Rasa gave no reply over REST"
    assert any(reply.get("text", "").strip() or reply.get("buttons") for reply in replies)


def test_socketio_replies_and_survives_reconnect(stack: Stack) -> None:
    async def scenario() -> None:
        session_id = uuid.uuid4().hex
        async with SocketSession(stack.rasa_url, session_id) as first:
            first_sid = first.client.get_sid()
            await first.say("hei")
            assert _text_of(await first.next_reply())

        # A new connection (as after a page reload) joins the same session and still gets replies.
        async with SocketSession(stack.rasa_url, session_id) as second:
            assert second.client.get_sid() != first_sid
            await second.say("hei")
            assert _text_of(await second.next_reply())

    asyncio.run(scenario())


def test_socketio_reply_reaches_every_connection_in_the_session(stack: Stack) -> None:
    # Replies go to the session's room, not to the socket that sent the message (two open tabs).
    async def scenario() -> None:
        session_id = uuid.uuid4().hex
        async with (
            SocketSession(stack.rasa_url, session_id) as sender,
            SocketSession(stack.rasa_url, session_id) as watcher,
        ):
            await sender.say("hei")
            assert _text_of(await sender.next_reply())
            assert _text_of(await watcher.next_reply())

    asyncio.run(scenario())


async def _next_event(ws: websockets.WebSocketClientProtocol, name: str) -> Any:
    """Payload of the next socket.io event ``name`` (packet type 42), skipping other packets."""
    while True:
        packet = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT)
        if isinstance(packet, str) and packet.startswith("42"):
            event, *args = json.loads(packet[2:])
            if event == name:
                return args[0] if args else None


def test_socketio_over_websocket_transport_replies(stack: Stack) -> None:
    async def scenario() -> None:
        url = stack.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        session_id = uuid.uuid4().hex
        async with websockets.connect(url) as ws:
            assert str(await ws.recv()).startswith("0")  # engine.io open
            await ws.send("40")  # socket.io connect to the default namespace
            assert str(await ws.recv()).startswith("40")
            await ws.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
            assert await _next_event(ws, "session_confirm") == session_id
            await ws.send("42" + json.dumps(["user_uttered", {"message": "hei", "session_id": session_id}]))
            assert _text_of(await _next_event(ws, "bot_uttered"))

    asyncio.run(scenario())
