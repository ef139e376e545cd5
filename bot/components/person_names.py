"""Rasa NLU component: the person names in a message, for the tracker store to redact.

SpacyEntities (bot/components/spacy_entities.py) has found the entities; reading them here spares the tracker
store its own spaCy run and a second copy of the pipeline in memory. The names go to `person_names` in the parse
data, which the tracker store reads and removes before anything is stored (bot/tracker_store.py). Never logged.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.components.spacy_entities import SpacyEntities, spacy_entities
from bot.components.stateless import StatelessComponent

PERSON_NAMES = "person_names"  # parse-data key; bot/tracker_store.py reads and drops it
PERSON_LABEL = "PER"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class PersonNames(StatelessComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyEntities]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            names = sorted({text for text, label in spacy_entities(message) if label == PERSON_LABEL})
            message.set(PERSON_NAMES, names, add_to_output=True)
        return messages
