"""Rasa's socket.io channel, with one event per bot message and a session join that works on any python-socketio.

Stock Rasa 3.6 splits text on blank lines into several events, sends buttons apart from custom payloads, and
passes a custom payload to `emit` as keyword arguments, which fails for any key but socket.io's own. The widget
needs one event per bot message with its text, buttons and custom payload (crisis alert, «Mine ønsker»).
Stock Rasa also calls `enter_room` without awaiting it, which silently drops replies on python-socketio >= 5.10;
we pin 5.9.0 and also await it here when it is a coroutine.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels.always_answer import always_answer

logger = logging.getLogger(__name__)


class WholeMessageSocketIOOutput(SocketIOOutput):
    """Emits `{"text", "quick_replies", "custom", …}` once per bot message, with only the keys that are set."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        payload: dict[str, Any] = {}
        if message.get("text"):
            payload["text"] = message["text"]
        buttons = message.get("quick_replies") or message.get("buttons")
        if buttons:
            payload["quick_replies"] = [
                {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
            ]
        for key in ("custom", "image", "attachment"):
            if message.get(key):
                payload[key] = message[key]
        if payload:
            await self._send_message(recipient_id, payload)


class SamtaleSocketIOInput(SocketIOInput):
    """Rasa's socket.io input with our output channel, an awaited room join, and an answer to every message."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> WholeMessageSocketIOOutput | None:
        if self.sio is None:
            return None
        return WholeMessageSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = always_answer(on_new_message)  # every message gets an answer, even when an action fails
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the parent's blueprint()

        # Registering a handler again for the same event replaces the parent's handler.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            if self.session_persistence:
                if not data.get("session_id"):
                    logger.warning("Ignored a socket.io message without session_id; send session_request first.")
                    return
                sender_id = str(data["session_id"])
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except json.JSONDecodeError:
                    metadata = {}
            text = data.get("message", "")
            message = UserMessage(
                text if isinstance(text, str) else "",
                self.get_output_channel(),
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return socketio_webhook
