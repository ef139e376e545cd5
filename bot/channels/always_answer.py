"""Every user message gets an answer: when a turn sends nothing, the channel sends «prøv igjen» with the helplines.

Rasa 3.6 logs a custom action that fails (action server down, a timeout, an exception) and carries on without its
events (MessageProcessor._run_action), so the user would meet silence — worst of all after a crisis message,
whose answer is a custom action. Our channels wrap Rasa's message handler with `always_answer`.

The reply comes from the content files, read once at start, not from the database: the database may be what is
down. Its numbers come from content/helplines.yml like every other number.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.content.catalogue import read_catalogue
from bot.content.render import render_item
from bot.flows.dialogue_map import load_dialogue_map
from bot.flows.messages import listed_numbers

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def unavailable_message() -> dict[str, Any]:
    """The «prøv igjen» message as Rasa sends a bot message: text, and the numbers for the widget's links."""
    catalogue, _problems = read_catalogue()  # `make validate` reports problems; here only the item matters
    item = catalogue.items[load_dialogue_map().unavailable_content]
    text = render_item(item, catalogue.helplines, catalogue.sources.get, with_sources=False)
    return {"text": text, "custom": {"kind": "unavailable", "numbers": listed_numbers(item.body, catalogue.helplines)}}


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the real output channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # the real channel's name, for channel-specific responses
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def always_answer(on_new_message: Handler, message_when_silent: dict[str, Any] | None = None) -> Handler:
    """Rasa's handler, plus the «prøv igjen» message for a turn that failed or sent nothing."""
    fallback = message_when_silent or unavailable_message()

    async def handle(message: UserMessage) -> None:
        counted = CountingOutputChannel(message.output_channel)
        message.output_channel = counted
        try:
            await on_new_message(message)
        except Exception as error:  # any failure must still end in an answer
            # The type only: an exception's text may quote the user's message.
            logger.error("A turn failed (%s); sending the «prøv igjen» answer.", type(error).__name__)
        if counted.sent == 0:
            logger.warning("A turn sent no reply; sending the «prøv igjen» answer.")
            # A copy: Rasa's send_response pops the text and custom payload out of the dict it is given.
            await counted.inner.send_response(message.sender_id, copy.deepcopy(fallback))

    return handle
