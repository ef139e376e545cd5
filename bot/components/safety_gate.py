"""Rasa NLU component that overrides the classifiers where guessing would be wrong or unsafe.

It runs last in the pipeline, so whatever the intent classifier or the fallback classifier decided, in this order:
1. a crisis signal always wins (bot/safety/assessment.py: patterns or the learned model). When it is the person's
   own, the intent is `crisis`; when it is only in sentences addressed to «du», the intent is `crisis_addressed`
   (in a rehearsal that is a clinician's question to the simulated patient; elsewhere the dialogue treats it as a
   crisis). The kind goes into the entity `crisis_kind`;
2. an empty or unreadable, a very long, or an English message gets its own intent, so the answer says so;
3. a bare exit word always means `stopp`, and `stopp` is kept only for a request to stop the conversation.
Every message also carries the assessment under `crisis` (score, kind, follow-up category; never text), which the
crisis-state policy and the crisis support read. It never logs message text.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
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
from bot.flows.crisis_state import ASSESSMENT_KEY, CRISIS_ADDRESSED_INTENT, CRISIS_INTENT, KIND_SLOT
from bot.safety.assessment import assess, warm_up
from bot.safety.exit_words import is_exit_request, is_stop_request
from bot.safety.input_checks import classify_input

logger = logging.getLogger(__name__)

EXIT_INTENT = "stopp"
FALLBACK_INTENT = "nlu_fallback"


def _override_intent(message: Message, name: str) -> None:
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def _demote_stop(message: Message) -> None:
    """A `stopp` that is no request to stop: the fallback, so the dialogue asks instead of ending the talk."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != EXIT_INTENT]
    confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY, 0.0)
    intent = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyGate(StatelessComponent, IntentClassifier):
    """Crisis detection, input checks and exit words, applied after the statistical classifiers."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyGate:
        # The learned models train once per process; here, at start, rather than on someone's first message.
        warm_up()
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            assessment = assess(text)
            exit_word = is_exit_request(text)
            if exit_word and assessment.by not in ("patterns", "both"):
                # The model reads a bare «ikke nå» poorly; the patterns (and «stopp, han puster ikke») still count.
                assessment = replace(assessment, kind=None, by=None, check=False)
            message.set(ASSESSMENT_KEY, assessment.as_dict(), add_to_output=True)
            if assessment.kind is not None:
                _override_intent(message, CRISIS_INTENT if assessment.own else CRISIS_ADDRESSED_INTENT)
                entity = {
                    "entity": KIND_SLOT,
                    "value": assessment.kind,
                    "start": 0,
                    "end": len(text),
                    "extractor": type(self).__name__,
                }
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
                logger.info("Crisis signal of kind %s (%s, own: %s).", assessment.kind, assessment.by, assessment.own)
            elif (input_problem := classify_input(text)) is not None:
                _override_intent(message, input_problem)
            elif exit_word:
                _override_intent(message, EXIT_INTENT)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == EXIT_INTENT and not is_stop_request(text):
                _demote_stop(message)
        return messages
