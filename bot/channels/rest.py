"""Rasa's REST channel (`/webhooks/rest/webhook`), where every message gets an answer (see always_answer)."""

from __future__ import annotations

from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.channels.always_answer import Handler, always_answer


class SamtaleRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(always_answer(on_new_message))
