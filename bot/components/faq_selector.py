"""Rasa NLU component: which FAQ answer (`faq/<id>`) a message asks for, from a linear model over its sentence
features (in place of ResponseSelector; why: bot/components/linear_model.py). Writes `response_selector` in
ResponseSelector's format, which actions/content.py, actions/fallback.py and `rasa test nlu` read."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_component import LinearComponent


def utter_action(intent_response_key: str) -> str:
    return f"utter_{intent_response_key}"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqSelector(LinearComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LinearComponent.get_default_config(), "retrieval_intent": "faq"}

    def labelled(self, training_data: TrainingData) -> tuple[list[Message], list[str]]:
        retrieval_intent = self.config["retrieval_intent"]
        examples = [
            e
            for e in training_data.intent_examples
            if e.get(INTENT) == retrieval_intent and e.get(INTENT_RESPONSE_KEY) and e.get(TEXT)
        ]
        return examples, [str(e.get(INTENT_RESPONSE_KEY)) for e in examples]

    def process(self, messages: list[Message]) -> list[Message]:
        retrieval_intent = self.config["retrieval_intent"]
        for message, ranking in zip(messages, self.ranked(messages), strict=True):
            if not ranking:
                continue
            best, confidence = ranking[0]
            properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [retrieval_intent]
            properties[retrieval_intent] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    # The answers are our content items (actions/content.py), not the domain's titles.
                    RESPONSE_SELECTOR_RESPONSES_KEY: [],
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    INTENT_RESPONSE_KEY: best,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action(best),
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {PREDICTED_CONFIDENCE_KEY: p, INTENT_RESPONSE_KEY: key} for key, p in ranking
                ],
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages
