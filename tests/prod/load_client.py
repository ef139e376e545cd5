"""A bounded load: N concurrent scripted conversations for D seconds against the assistant's front door (nginx).

Each of N slots runs conversations one after another, each with its own sender id and a script from
tests/prod/load_scripts.py, turn by turn: the next message only after the reply, then a seeded think time. When
the time is up no new message is sent; messages in flight finish. Most slots use REST; every k-th slot speaks
socket.io over a websocket, as the widget in a browser does.

Slots are spread over several loopback source networks (127.0.<k>.1): nginx's ip_hash picks the Rasa process
by the client's /24, so from 127.0.0.1 alone every request would reach one process, unlike real citizens.

An error is a non-200 answer, an exception, a client timeout, an empty reply, or the «prøv igjen» reply that
bot/channels/always_answer.py sends when a turn failed inside Rasa.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import socket
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import websockets

from tests.prod.load_report import Failure, LoadReport
from tests.prod.load_scripts import SCRIPTS, made_up_email, made_up_phone, marker, message_text


@dataclass(frozen=True)
class LoadSettings:
    conversations: int = 200  # concurrent conversation slots
    seconds: float = 120.0
    think_min: float = 0.5
    think_max: float = 2.0
    timeout: float = 90.0  # per message, generous: a reply this late is an error
    seed: int = 24
    source_networks: int = 8
    socketio_every: int = 10  # every k-th slot over socket.io; 0: REST only

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> LoadSettings:
        """LOAD_CONVERSATIONS, LOAD_SECONDS, LOAD_SEED, LOAD_SOCKETIO_EVERY override the defaults."""
        return cls(
            conversations=int(environ.get("LOAD_CONVERSATIONS", cls.conversations)),
            seconds=float(environ.get("LOAD_SECONDS", cls.seconds)),
            seed=int(environ.get("LOAD_SEED", cls.seed)),
            socketio_every=int(environ.get("LOAD_SOCKETIO_EVERY", cls.socketio_every)),
        )


def loopback_sources(count: int) -> list[str]:
    """127.0.<k>.1 for k = 1..count, or just 127.0.0.1 where the system refuses to bind to them."""
    addresses = [f"127.0.{k}.1" for k in range(1, count + 1)]
    try:
        for address in addresses:
            with socket.socket() as sock:
                sock.bind((address, 0))
    except OSError:
        return ["127.0.0.1"]
    return addresses


class TurnError(Exception):
    """A turn that counts as an error: `kind` groups it in the summary."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail


READABLE = ("text", "buttons", "quick_replies", "custom", "image", "attachment")  # REST and socket.io keys


def check_replies(replies: Any) -> None:
    """Raise TurnError unless the replies hold something a citizen can read (and not «prøv igjen»)."""
    if not isinstance(replies, list) or not replies:
        raise TurnError("empty reply", json.dumps(replies)[:200])
    if any(((r.get("custom") or {}).get("kind") == "unavailable") for r in replies if isinstance(r, dict)):
        raise TurnError("unavailable reply", "the channel's «prøv igjen» answer: a turn failed inside Rasa")
    if not any(isinstance(r, dict) and any(r.get(key) for key in READABLE) for r in replies):
        raise TurnError("empty reply", json.dumps(replies)[:200])


class RestConversation:
    """One sender id over Rasa's REST channel: each POST returns the turn's replies once they are stored."""

    channel = "rest"

    def __init__(self, session: aiohttp.ClientSession, url: str, sender: str) -> None:
        self.session = session
        self.url = f"{url}/webhooks/rest/webhook"
        self.sender = sender

    async def __aenter__(self) -> RestConversation:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None

    async def say(self, text: str) -> None:
        async with self.session.post(self.url, json={"sender": self.sender, "message": text}) as response:
            body = await response.text()
            if response.status != 200:
                raise TurnError(f"http {response.status}", body[:200])
        try:
            replies = json.loads(body)
        except ValueError:
            raise TurnError("bad json", body[:200]) from None
        check_replies(replies)


CLOSE_TIMEOUT = 10.0  # seconds for the websocket closing handshake with a busy server


class SocketIOConversation:
    """One socket.io session over a websocket (engine.io 4), as a browser's widget talks to Rasa.

    python-socketio's own client cannot use the websocket transport with Rasa 3.6's aiohttp (see
    tests/integration/test_channels.py), so this speaks the few packets it needs: open, ping/pong, connect,
    session_request/confirm, user_uttered and bot_uttered.

    Each message asks for a socket.io acknowledgement. The server sends it when Rasa's handler returns, after
    the turn is stored, and after the turn's bot_uttered events on the same connection: the end of the turn,
    as a REST response is. (Taking the first reply as the end does not work under load: a turn's later replies
    can come seconds after its first and would be taken for the answer to the next message.)
    """

    channel = "socketio"

    def __init__(self, url: str, sender: str, source: str, timeout: float) -> None:
        self.url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.sender = sender
        self.source = source
        self.timeout = timeout
        self.replies: list[dict[str, Any]] = []
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.next_ack = itertools.count(1)
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.confirmed: asyncio.Future[Any] | None = None

    async def __aenter__(self) -> SocketIOConversation:
        self.confirmed = asyncio.get_running_loop().create_future()
        self.ws = await websockets.connect(
            self.url, open_timeout=self.timeout, ping_interval=None, local_addr=(self.source, 0)
        )
        if not str(await asyncio.wait_for(self.ws.recv(), self.timeout)).startswith("0"):
            raise TurnError("socket.io handshake", "no engine.io open packet")
        self.reader = asyncio.create_task(self._read())
        await self.ws.send("40")  # connect to the default namespace; "40{sid}" arrives in _read
        await self.ws.send("42" + json.dumps(["session_request", {"session_id": self.sender}]))
        if await self._until(self.confirmed) != self.sender:
            raise TurnError("socket.io handshake", "session_confirm for another session")
        return self

    async def __aexit__(self, *_exc: object) -> None:
        # As socket.io's own client leaves: disconnect from the namespace, then close the websocket.
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.send("41")
                await asyncio.wait_for(self.ws.close(), CLOSE_TIMEOUT)
        if self.reader is not None:
            self.reader.cancel()

    async def _read(self) -> None:
        async for packet in self.ws:
            if not isinstance(packet, str):
                continue
            if packet == "2":
                await self.ws.send("3")  # engine.io heartbeat: without the pong the server drops us
            elif packet.startswith("42["):
                event, *args = json.loads(packet[2:])
                payload = args[0] if args else None
                if event == "session_confirm" and self.confirmed is not None and not self.confirmed.done():
                    self.confirmed.set_result(payload)
                elif event == "bot_uttered":
                    self.replies.append(payload)
            elif packet.startswith("43"):  # "43<id>[...]": the acknowledgement of our message <id>
                digits = packet[2:].split("[", 1)[0]
                ack = self.acks.pop(int(digits), None) if digits.isdigit() else None
                if ack is not None and not ack.done():
                    ack.set_result(None)

    async def _until(self, future: asyncio.Future[Any]) -> Any:
        """The future's result, or TurnError when the connection ends first."""
        assert self.reader is not None, "inside `async with` only"
        await asyncio.wait({future, self.reader}, return_when=asyncio.FIRST_COMPLETED)
        if not future.done():
            closed = None if self.reader.cancelled() else self.reader.exception()
            raise TurnError("socket.io closed", f"the connection ended ({closed!r})")
        return future.result()

    async def say(self, text: str) -> None:
        number = next(self.next_ack)
        ack = self.acks[number] = asyncio.get_running_loop().create_future()
        self.replies = []
        payload = ["user_uttered", {"message": text, "session_id": self.sender}]
        await self.ws.send(f"42{number}" + json.dumps(payload))
        await self._until(ack)
        check_replies(self.replies)


class LoadRun:
    """The slots, their shared counters and the report. `run()` once."""

    def __init__(self, url: str, settings: LoadSettings) -> None:
        self.url = url
        self.settings = settings
        self.sources = loopback_sources(settings.source_networks)
        run_id = uuid.uuid4().hex[:8]
        self.report = LoadReport(settings, run_id, self.sources)
        self.run_salt = random.Random(settings.seed).randrange(100)
        self.conversation_numbers = itertools.count(1)
        self.message_numbers = itertools.count(1)
        self.start = 0.0
        self.deadline = 0.0

    async def run(self) -> LoadReport:
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout)
        sessions = [
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source, 0), limit=0), timeout=timeout)
            for source in self.sources
        ]
        try:
            await self._warm_up(sessions)
            self.start = time.monotonic()
            self.deadline = self.start + self.settings.seconds
            slots = [self._slot(index, sessions) for index in range(self.settings.conversations)]
            await asyncio.gather(*slots)
            self.report.elapsed = time.monotonic() - self.start
        finally:
            for session in sessions:
                await session.close()
        return self.report

    async def _warm_up(self, sessions: list[aiohttp.ClientSession]) -> None:
        # The first message to a Rasa process loads parts of the model; that is start-up, not load.
        for session in sessions:
            await RestConversation(session, self.url, f"load-{self.report.run_id}-warmup-{uuid.uuid4().hex}").say("hei")

    def _open(self, index: int, sessions: list[aiohttp.ClientSession], sender: str) -> Any:
        source = index % len(sessions)
        every = self.settings.socketio_every
        if every and index % every == every - 1:
            return SocketIOConversation(self.url, sender, self.sources[source], self.settings.timeout)
        return RestConversation(sessions[source], self.url, sender)

    async def _slot(self, index: int, sessions: list[aiohttp.ClientSession]) -> None:
        rng = random.Random(f"{self.settings.seed}:{index}")
        await asyncio.sleep(rng.uniform(0, self.settings.think_max))  # citizens do not all arrive at once
        round_number = 0
        while time.monotonic() < self.deadline:
            script = SCRIPTS[(index + round_number) % len(SCRIPTS)]
            round_number += 1
            await self._conversation(index, sessions, script.turns, rng)

    async def _conversation(
        self, index: int, sessions: list[aiohttp.ClientSession], turns: tuple[str, ...], rng: random.Random
    ) -> None:
        number = next(self.conversation_numbers)
        sender = f"load-{self.report.run_id}-{number:05d}"
        phone, phone_digits = made_up_phone(self.run_salt, number)
        email = made_up_email(self.report.run_id, number)
        self.report.conversations += 1
        conversation = self._open(index, sessions, sender)
        channel = conversation.channel
        message = 0
        started = time.monotonic()
        try:
            async with conversation:
                for turn, template in enumerate(turns, start=1):
                    if time.monotonic() >= self.deadline:
                        return
                    text = message_text(template, number, turn, phone, email)
                    if phone in text:
                        self.report.phones.add(phone_digits)
                    if email in text:
                        self.report.emails.add(email)
                    message = next(self.message_numbers)
                    self.report.sent += 1
                    started = time.monotonic()
                    await asyncio.wait_for(conversation.say(text), self.settings.timeout)
                    self.report.latencies[channel].append(time.monotonic() - started)
                    self.report.acknowledged.setdefault(sender, []).append(marker(number, turn))
                    self.report.slots_with_a_reply.add(index)
                    await asyncio.sleep(rng.uniform(self.settings.think_min, self.settings.think_max))
        except TurnError as error:
            self._fail(error.kind, channel, sender, message, error.detail)
        except asyncio.TimeoutError:
            self._fail("timeout", channel, sender, message, f"no reply after {time.monotonic() - started:.1f} s")
        except Exception as error:  # anything else is an error of the run, counted, never raised past the slot
            self._fail(f"exception {type(error).__name__}", channel, sender, message, str(error))

    def _fail(self, kind: str, channel: str, sender: str, message: int, detail: str) -> None:
        # After an error the conversation is left; the slot starts a new one, as a citizen would reload.
        at = time.monotonic() - self.start
        self.report.failures.append(Failure(kind, channel, sender, message, at, detail))


async def run_load(url: str, settings: LoadSettings) -> LoadReport:
    """Run the bounded load against `url` (nginx) and return what happened."""
    return await LoadRun(url, settings).run()
