"""«Mente du …?»: the first stage of the two-stage fallback, with buttons from a table of intent descriptions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shared import send
from bot.flows.dialogue_map import topic_payload
from bot.flows.messages import Reply

DESCRIPTIONS_FILE = Path(__file__).resolve().parents[1] / "content" / "intent_descriptions.yml"
NOT_SUGGESTED = frozenset({"nlu_fallback", "out_of_scope", "crisis", "affirm", "deny", "faq"})
MAX_SUGGESTIONS = 3


@lru_cache(maxsize=1)
def intent_descriptions(path: Path = DESCRIPTIONS_FILE) -> dict[str, str]:
    return {str(k): str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


def suggestion_candidates(latest_message: dict[str, Any]) -> list[str]:
    """Intent names in ranking order, with `faq` expanded into the FAQ selector's `faq/<id>` ranking."""
    names: list[str] = []
    for ranked in latest_message.get("intent_ranking") or []:
        name = ranked.get("name")
        if name == "faq":
            selector = (latest_message.get("response_selector") or {}).get("faq") or {}
            names += [r.get("intent_response_key") for r in selector.get("ranking") or []][:2]
        elif name:
            names.append(name)
    return [n for n in names if n and n not in NOT_SUGGESTED]


def payload_for(intent: str) -> str:
    return topic_payload(intent.split("/", 1)[1]) if intent.startswith("faq/") else f"/{intent}"


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        descriptions = intent_descriptions()
        buttons = [
            {"title": descriptions[name], "payload": payload_for(name)}
            for name in suggestion_candidates(tracker.latest_message)
            if name in descriptions
        ][:MAX_SUGGESTIONS]
        buttons.append({"title": "Noe annet", "payload": "/deny"})
        send(dispatcher, Reply(text="Jeg er ikke sikker på om jeg forstod deg. Mente du …", buttons=buttons))
        return []
