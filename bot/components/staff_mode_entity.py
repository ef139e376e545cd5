"""Rasa NLU component: a page that says `mode: ansatt` in the channel metadata gives the entity `staff_mode`
(value true), which the slot staff_mode takes — without an action-server call on every message.

The metadata is the embedding page's (the widget's `data-mode="ansatt"`); a person never types it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, METADATA
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import StatelessComponent

STAFF_MODE_ENTITY = "staff_mode"
METADATA_MODE_KEY = "mode"
STAFF_MODE_VALUE = "ansatt"


def metadata_says_staff(metadata: Any) -> bool:
    """True for metadata {"mode": "ansatt"} (any case, any spaces around it)."""
    return isinstance(metadata, Mapping) and str(metadata.get(METADATA_MODE_KEY, "")).strip().casefold() == (
        STAFF_MODE_VALUE
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class StaffModeEntity(StatelessComponent):

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if metadata_says_staff(message.get(METADATA)):
                entity = {"entity": STAFF_MODE_ENTITY, "value": True, "extractor": type(self).__name__}
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
