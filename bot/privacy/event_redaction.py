"""Redact a Rasa event (as its dict) before it is stored: every string in it, with the turn's person names.

Names come from the spaCy pipeline's NER (label PER) run on the user's own text; the assistant's helpline
numbers are never masked. A backstop, not a guarantee: people are also asked not to write identifiers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.privacy.redact import redact

# Keys whose values are identifiers of the dialogue itself, never user text.
_STRUCTURAL_KEYS = frozenset({"event", "name", "policy", "action_text", "intent_response_key", "utter_action"})


def redact_value(value: Any, names: tuple[str, ...], keep_numbers: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, person_names=names, keep_numbers=keep_numbers)
    if isinstance(value, list):
        return [redact_value(v, names, keep_numbers) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _STRUCTURAL_KEYS else redact_value(v, names, keep_numbers) for k, v in value.items()}
    return value


def redact_event(event: dict[str, Any], names: Iterable[str], keep_numbers: Iterable[str]) -> dict[str, Any]:
    """A copy of the event dict with identifiers masked in every string."""
    return redact_value(event, tuple(names), tuple(keep_numbers))


NameFinder = Callable[[str], list[str]]


def spacy_name_finder() -> NameFinder:
    """Person names from the same Norwegian spaCy pipeline the NLU uses (bot.nlp, loaded once per process)."""
    from bot.nlp import person_names

    return person_names
