"""Fixes for Rasa 3.6.21 that configuration cannot make, applied before Rasa runs (`python -m bot.rasa_cli`).

Custom action responses: Rasa checks every response from the action server with `jsonschema.validate`, which first
checks Rasa's large response schema against the JSON Schema metaschema — on every call. Profiling a turn showed
this as most of the time in Rasa (about 50 ms per custom action on our 2-core machine; 0.9 ms with a validator
built once). We build the validator once; a response passes or fails exactly as before, with Rasa's message.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import rasa
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

logger = logging.getLogger(__name__)

FIXED_FOR = "3.6.21"  # a different Rasa may have other code here: check before changing the pin


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """Rasa's own response schema, checked once, as a reusable validator."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with a validator built once."""
    try:
        action_response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise


def apply_fixes() -> bool:
    """Apply the fixes to this Rasa; False (and a warning) on a version they were not written for."""
    if rasa.__version__ != FIXED_FOR:
        logger.warning("bot.rasa_fixes is written for Rasa %s, not %s; not applied.", FIXED_FOR, rasa.__version__)
        return False
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    return True
