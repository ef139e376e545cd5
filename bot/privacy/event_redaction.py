"""Redact a Rasa event (as its dict) before it is stored: every string in it, with the turn's person names.

Names come from the spaCy pipeline's NER (label PER) run on the user's own text; the assistant's helpline
numbers are never masked. A backstop, not a guarantee: people are also asked not to write identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from bot.privacy.redact import redact

# Keys whose values are identifiers of the dialogue itself, never user text.
_STRUCTURAL_KEYS = frozenset({"event", "name", "policy", "action_text", "intent_response_key", "utter_action"})
# Ids Rasa makes (uuid4().hex): one is in every event's metadata. Their digit runs can look like a phone number or
# a fødselsnummer, so the number passes ran on each of them (most of the store's redaction time) and could mask
# part of an id. Kept as they are only in exactly that form; any other value under these keys is redacted.
_ID_KEYS = frozenset({"model_id", "message_id"})
_RASA_ID_RE = re.compile(r"[0-9a-f]{32}")


def _is_rasa_id(key: str, value: Any) -> bool:
    return key in _ID_KEYS and isinstance(value, str) and _RASA_ID_RE.fullmatch(value) is not None


def redact_value(value: Any, names: tuple[str, ...], keep_numbers: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, person_names=names, keep_numbers=keep_numbers)
    if isinstance(value, list):
        return [redact_value(v, names, keep_numbers) for v in value]
    if isinstance(value, dict):
        return {
            k: v if k in _STRUCTURAL_KEYS or _is_rasa_id(k, v) else redact_value(v, names, keep_numbers)
            for k, v in value.items()
        }
    return value


# Parse results the dialogue reads during the turn but nobody needs later: the safety gate's crisis assessment
# (a score of how suicidal a message read) is health data about the person, so it is never stored.
_NOT_STORED_PARSE_KEYS = frozenset({"crisis"})


def redact_event(event: dict[str, Any], names: Iterable[str], keep_numbers: Iterable[str]) -> dict[str, Any]:
    """A copy of the event dict with identifiers masked in every string, without the turn-only parse results."""
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict) and _NOT_STORED_PARSE_KEYS & parse_data.keys():
        event = {**event, "parse_data": {k: v for k, v in parse_data.items() if k not in _NOT_STORED_PARSE_KEYS}}
    return redact_value(event, tuple(names), tuple(keep_numbers))


NameFinder = Callable[[str], list[str]]


def spacy_name_finder() -> NameFinder:
    """Person names from the same Norwegian spaCy pipeline the NLU uses (bot.nlp, loaded once per process)."""
    from bot.nlp import person_names

    return person_names
