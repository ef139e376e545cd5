"""The action server killed in the middle of a conversation on the widget's channel (socket.io), `make run` style:
the user gets a kind «prøv igjen» with the helplines, bot.serve starts the action server again, and the same
conversation goes on. Runs last in this folder (file order), so the others meet a whole stack.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from pathlib import Path

from bot.serve import is_healthy
from tests.integration.conftest import Stack
from tests.integration.test_channels import SocketSession, _text_of

RESTART_TIMEOUT = 180.0


def action_server_pid(stack: Stack) -> int:
    """The action server process (bot.action_server) on the stack's action port (bot.serve keeps no pid file)."""
    port = stack.actions_url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"bot.action_server" in argv and port.encode() in argv:
            return int(proc.name)
    raise AssertionError(f"no action server on port {port}")


async def turn(session: SocketSession, message: str) -> list[dict]:
    """Say `message`; every reply until the assistant has been quiet for two seconds."""
    await session.say(message)
    replies = [await session.next_reply()]
    while True:
        try:
            replies.append(await asyncio.wait_for(session.replies.get(), 2.0))
        except asyncio.TimeoutError:
            return replies


def test_the_user_hears_try_again_while_the_action_server_is_down_and_then_goes_on(stack: Stack) -> None:
    async def scenario() -> None:
        async with SocketSession(stack.rasa_url, uuid.uuid4().hex) as session:
            assert _text_of((await turn(session, "hei"))[0])

            os.kill(action_server_pid(stack), signal.SIGKILL)
            replies = await turn(session, "hva er et livstestament?")
            assert len(replies) == 1, "only the «prøv igjen» answer, once"
            assert "Prøv igjen" in _text_of(replies[0])
            custom = replies[0].get("custom") or {}
            assert custom.get("kind") == "unavailable"
            assert {"113", "116 117", "116 123", "22 40 00 40"} <= {n["number"] for n in custom["numbers"]}

            deadline = time.monotonic() + RESTART_TIMEOUT
            while not is_healthy(f"{stack.actions_url}/health"):
                assert time.monotonic() < deadline, "bot.serve did not start the action server again"
                await asyncio.sleep(0.5)
            text = "\n".join(_text_of(r) for r in await turn(session, "hva er et livstestament?"))
            assert "Prøv igjen" not in text and "livstestament" in text.lower()

    asyncio.run(scenario())
