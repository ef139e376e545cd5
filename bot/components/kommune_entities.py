"""Rasa NLU component: the kommune a message names, as `kommune` entities, so the slot kommune_nummer fills
without an action-server call on every message.

"jeg bor i Bodø" gives one entity (value 1804), which the slot mapping takes. A shared name ("Våler") gives one
entity per candidate with the role `candidate`, which the slot mapping leaves alone: action_local_services asks
which one. The kommuner come from bot/kommuner and the directory's fictional kommuner; places spaCy found
(bot/components/spacy_entities.py) tell the gazetteer when a common word is a place name. Never logged.
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from sqlalchemy.exc import SQLAlchemyError

from bot.components.spacy_entities import SpacyEntities, spacy_entities
from bot.components.stateless import StatelessComponent
from bot.services.recognition import KOMMUNE_ENTITY, PLACE_LABELS, mentions_in_text
from bot.services.schema import DirectoryKommune
from bot.services.store import ServiceStore

logger = logging.getLogger(__name__)

CANDIDATE_ROLE = "candidate"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KommuneEntities(StatelessComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyEntities]

    def __init__(self) -> None:
        self._fictional: tuple[DirectoryKommune, ...] | None = None

    def fictional(self) -> tuple[DirectoryKommune, ...]:
        """The directory's fictional example kommuner ("Eksempelvik"), read once it can be read."""
        if self._fictional is None:
            try:
                self._fictional = ServiceStore().fictional_kommuner()
            except SQLAlchemyError as error:  # no database yet: real kommuner still work; try again next time
                logger.warning("Service directory unavailable (%s); fictional kommuner skipped.", type(error).__name__)
                return ()
        return self._fictional

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.lstrip().startswith("/"):  # a button payload brings its own entities
                continue
            places = [(t, label) for t, label in spacy_entities(message) if label in PLACE_LABELS]
            mentions = mentions_in_text(text, self.fictional(), nlp_entities=places)
            if not mentions:
                continue
            candidates = mentions[0]
            role = {} if len(candidates) == 1 else {"role": CANDIDATE_ROLE}
            found = [
                {"entity": KOMMUNE_ENTITY, "value": ref.number, "start": 0, "end": len(text),
                 "extractor": type(self).__name__, **role}
                for ref in candidates
            ]  # fmt: skip
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)
        return messages
