"""The Norwegian spaCy pipeline outside Rasa's NLU (action server, tracker store), loaded once per process.

Its named entities serve two backstops: person names for redaction, places for recognising kommuner.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL = "nb_core_news_sm"
MAX_CHARS = 5000  # NER on a longer message adds time and nothing useful


@lru_cache(maxsize=1)
def pipeline() -> Any:
    import spacy

    # Only NER is needed; the parser and lemmatiser are not.
    return spacy.load(MODEL, disable=["parser", "lemmatizer", "attribute_ruler", "tagger"])


def entities(text: str) -> list[tuple[str, str]]:
    """(text, label) of every named entity, with NorNE labels (PER, GPE_LOC, LOC, ORG, …)."""
    return [(ent.text, ent.label_) for ent in pipeline()(text[:MAX_CHARS]).ents]


def person_names(text: str) -> list[str]:
    return [name for name, label in entities(text) if label == "PER"]
