"""The named entities SpacyNLP already found for a message, for the components that need them (no second parse)."""

from __future__ import annotations

from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message


def spacy_entities(message: Message) -> list[tuple[str, str]]:
    """(text, label) of each entity in the message's spaCy doc; empty when SpacyNLP did not run."""
    doc = message.get(SPACY_DOCS[TEXT])
    return [(ent.text, ent.label_) for ent in doc.ents] if doc is not None else []
