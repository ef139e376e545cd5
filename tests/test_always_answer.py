"""Every user message gets an answer: the channel's «prøv igjen» when a turn failed or sent nothing."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.always_answer import CountingOutputChannel, always_answer, unavailable_message
from bot.content.catalogue import load_helplines

SECRET = "canary-melding-7731"  # stands in for what a user wrote


def texts(collector: CollectingOutputChannel) -> str:
    # Rasa's collecting channel (REST) sends each paragraph as a message of its own.
    return "\n\n".join(m["text"] for m in collector.messages if "text" in m)


def run_turn(handler_body) -> tuple[CollectingOutputChannel, list]:
    """Run one message through always_answer around `handler_body(message)`; returns the channel and calls."""
    calls: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        calls.append(message)
        await handler_body(message)

    collector = CollectingOutputChannel()
    asyncio.run(always_answer(on_new_message)(UserMessage(SECRET, collector, "samtale-1")))
    return collector, calls


def test_the_message_says_try_again_and_gives_the_verified_numbers() -> None:
    message = unavailable_message()
    assert "Prøv igjen" in message["text"]
    helplines = load_helplines()
    for helpline_id in ("emergency_medical", "legevakt", "mental_helse", "kirkens_sos"):
        assert helplines[helpline_id].number in message["text"]
    listed = {n["number"]: n["tel"] for n in message["custom"]["numbers"]}
    assert listed["113"] == "tel:113" and listed["22 40 00 40"] == "tel:+4722400040"
    assert message["custom"]["kind"] == "unavailable"
    assert "{{" not in message["text"]


async def _silent(message: UserMessage) -> None:
    return None


async def _answers(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": "Et svar."})


async def _fails(message: UserMessage) -> None:
    raise RuntimeError(f"the action server is down while handling {message.text}")


async def _answers_then_fails(message: UserMessage) -> None:
    await _answers(message)
    raise RuntimeError("saving failed")


def test_a_silent_turn_gets_the_try_again_answer_once() -> None:
    collector, calls = run_turn(_silent)
    assert len(calls) == 1
    assert texts(collector) == unavailable_message()["text"]
    assert [m.get("custom") for m in collector.messages if "custom" in m] == [unavailable_message()["custom"]]
    assert all(m["recipient_id"] == "samtale-1" for m in collector.messages)


def test_every_silent_turn_gets_the_whole_answer_not_only_the_first() -> None:
    # Rasa's send_response takes the text out of the message dict; the second turn must still get all of it.
    handler = always_answer(_silent)
    channels = [CollectingOutputChannel(), CollectingOutputChannel()]
    for channel in channels:
        asyncio.run(handler(UserMessage(SECRET, channel, "samtale-1")))
    assert texts(channels[1]) == texts(channels[0]) == unavailable_message()["text"]


def test_a_turn_that_answers_gets_nothing_more() -> None:
    collector, _ = run_turn(_answers)
    assert texts(collector) == "Et svar." and len(collector.messages) == 1


def test_a_failing_turn_gets_the_answer_and_the_log_has_no_message_text(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        collector, _ = run_turn(_fails)
    assert texts(collector) == unavailable_message()["text"]
    assert "RuntimeError" in caplog.text and SECRET not in caplog.text


def test_a_turn_that_answered_before_failing_is_not_answered_twice() -> None:
    collector, _ = run_turn(_answers_then_fails)
    assert texts(collector) == "Et svar." and len(collector.messages) == 1


def test_the_counting_channel_keeps_the_real_channels_name() -> None:
    assert CountingOutputChannel(CollectingOutputChannel()).name() == "collector"
