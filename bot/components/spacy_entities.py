"""Rasa NLU component: spaCy's named entities of a message as written, for the components that need them.

Lowercased Norwegian gives no entities ("kari nordmann", "bodø"). Our config has SpacyNLP parse the text as
written (`case_sensitive: true`), and then its entities are used as they are. Should SpacyNLP lowercase, this
runs spaCy's tok2vec and NER again on the original text, with the pipeline SpacyNLP already loaded (no second
copy in memory). Never logged.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.stateless import StatelessComponent
from bot.nlp import MAX_CHARS

SPACY_ENTITIES = "spacy_entities"  # message data, not output: (text, label) pairs
NER_PIPES = ("tok2vec", "ner")  # NER listens to the shared tok2vec in nb_core_news_sm


def spacy_entities(message: Message) -> list[tuple[str, str]]:
    """(text, label) of each entity SpacyEntities found in the message; empty when it did not run."""
    return list(message.get(SPACY_ENTITIES) or [])


def named_entities(nlp: Any, text: str) -> list[tuple[str, str]]:
    """NorNE entities (PER, GPE_LOC, LOC, ORG, …) of `text` as written, from tok2vec and NER only."""
    doc = nlp.make_doc(text[:MAX_CHARS])
    for name, pipe in nlp.pipeline:
        if name in NER_PIPES:
            doc = pipe(doc)
    return [(ent.text, ent.label_) for ent in doc.ents]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False, model_from="SpacyNLP")
class SpacyEntities(StatelessComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.lstrip().startswith("/"):  # a button payload has no names or places
                continue
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is not None and doc.text == text:  # SpacyNLP parsed the text as written: no second pass
                message.set(SPACY_ENTITIES, [(ent.text, ent.label_) for ent in doc.ents])
            else:
                message.set(SPACY_ENTITIES, named_entities(model.model, text))
        return messages

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        return training_data  # the classifiers do not use entities
