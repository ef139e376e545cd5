"""Rasa NLU component: the intent of a message, from a linear model over its sentence features (in place of DIET;
why: bot/components/linear_model.py). Writes `intent` and `intent_ranking` as Rasa's classifiers do."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_component import LinearComponent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LinearComponent, IntentClassifier):
    def labelled(self, training_data: TrainingData) -> tuple[list[Message], list[str]]:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        return examples, [str(e.get(INTENT)) for e in examples]

    def process(self, messages: list[Message]) -> list[Message]:
        for message, ranking in zip(messages, self.ranked(messages), strict=True):
            if not ranking:
                continue
            ranked = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p} for name, p in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages
