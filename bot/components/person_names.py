"""Rasa NLU component: the person names in a message, for the tracker store to redact.

SpacyEntities (bot/components/spacy_entities.py) has found the entities; reading them here spares the tracker
store its own spaCy run and a second copy of the pipeline in memory. The names go to `person_names` in the parse
data, which the tracker store reads and removes before anything is stored (bot/tracker_store.py). Never logged.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.spacy_entities import SpacyEntities, spacy_entities

PERSON_NAMES = "person_names"  # parse-data key; bot/tracker_store.py reads and drops it
PERSON_LABEL = "PER"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class PersonNames(GraphComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyEntities]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PersonNames:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            names = sorted({text for text, label in spacy_entities(message) if label == PERSON_LABEL})
            message.set(PERSON_NAMES, names, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # nothing to learn; the classifiers need nothing from here
