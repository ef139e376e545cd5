"""Rasa NLU component that overrides the classifiers where guessing would be wrong or unsafe.

It runs last in the pipeline, so whatever the intent classifier or the fallback classifier decided, in this order:
1. a crisis signal always wins (intent `crisis`, confidence 1.0, the kind as entity `crisis_kind`);
2. an empty or unreadable, a very long, or an English message gets its own intent, so the answer says so;
3. a bare exit word always means `stopp`.
It never logs message text.
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import StatelessComponent
from bot.safety.crisis import detect_crisis
from bot.safety.exit_words import is_exit_request
from bot.safety.input_checks import classify_input

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_KIND_ENTITY = "crisis_kind"
EXIT_INTENT = "stopp"


def _override_intent(message: Message, name: str) -> None:
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyGate(StatelessComponent, IntentClassifier):
    """Deterministic crisis check and exit words, applied after the statistical classifiers."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            signal = detect_crisis(text)
            if signal is not None:
                _override_intent(message, CRISIS_INTENT)
                entity = {
                    "entity": CRISIS_KIND_ENTITY,
                    "value": signal.kind,
                    "start": 0,
                    "end": len(text),
                    "extractor": type(self).__name__,
                }
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
                logger.info("Crisis signal of kind %s (pattern %s).", signal.kind, signal.pattern_id)
            elif (input_problem := classify_input(text)) is not None:
                _override_intent(message, input_problem)
            elif is_exit_request(text):
                _override_intent(message, EXIT_INTENT)
        return messages
