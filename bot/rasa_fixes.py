"""Fixes for Rasa 3.6.21 that configuration cannot make, applied before Rasa runs (`python -m bot.rasa_cli`).

Custom action responses: Rasa checks every response from the action server with `jsonschema.validate`, which first
checks Rasa's large response schema against the JSON Schema metaschema — on every call. Profiling a turn showed
this as most of the time in Rasa (about 50 ms per custom action on our 2-core machine; 0.9 ms with a validator
built once). We build the validator once, and it checks each event only against its own event type
(bot/action_response_check.py); a response passes or fails exactly as before, with Rasa's message.

Event types: `Event.resolve_by_type` walks all Event subclasses on every call, and loading a tracker calls it for
every stored event (about 4 ms per message). We remember each type name's class once found; a name not found yet
(a class defined later, "topic", an unknown name) goes the original way, so its answer and errors are Rasa's.

Graph runs: Rasa serves the model through `DaskGraphRunner`, whose scheduler costs a few ms per graph run. Serving
uses bot/graph_runner.py's SequentialGraphRunner instead (same nodes, same results); training keeps dask.

Past states: each policy turns the whole conversation into states again, several times per message with the same
result or one event more; bot/past_states_memo.py makes them once per set of events, and replays only the added
events when that gives the same states.

Rule lookups: RulePolicy checks every rule against every turn back to the conversation's start;
bot/rule_keys.py stops when nothing more can change, with the same answer.

Action calls: a new HTTP session and TCP connection per call; bot/endpoint_sessions.py keeps one session per
endpoint open, closed when the server stops.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import rasa
import rasa.core.processor
import rasa.core.run
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic

from bot.action_response_check import ActionResponseCheck
from bot.endpoint_sessions import close_kept_sessions, kept_session
from bot.graph_runner import SequentialGraphRunner
from bot.past_states_memo import past_states
from bot.rule_keys import get_possible_keys

logger = logging.getLogger(__name__)

FIXED_FOR = "3.6.21"  # a different Rasa may have other code here: check before changing the pin


@lru_cache(maxsize=1)
def action_response_validator() -> ActionResponseCheck:
    """Rasa's own response schema, checked once, as a reusable validator (bot/action_response_check.py)."""
    return ActionResponseCheck(RemoteAction.action_response_format_spec())


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


ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type  # the plain function, before any fix
_event_classes: dict[str, type[Event]] = {}


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type remembering its hits: the first Event subclass with that type name, as Rasa finds it."""
    event_class = _event_classes.get(type_name)
    if event_class is not None:
        return event_class
    for candidate in all_subclasses(Event):  # Rasa's walk, in Rasa's order
        if candidate.type_name == type_name:
            _event_classes[type_name] = candidate
            return candidate
    return ORIGINAL_RESOLVE_BY_TYPE(type_name, default)  # "topic", default or ValueError, as before


ORIGINAL_CLOSE_RESOURCES = rasa.core.run.close_resources
ORIGINAL_PAST_STATES = DialogueStateTracker.past_states
ORIGINAL_GET_POSSIBLE_KEYS = RulePolicy._get_possible_keys


async def close_resources(app: Sanic, loop: Any) -> None:
    """Rasa's clean-up at server stop, then our kept endpoint sessions."""
    await ORIGINAL_CLOSE_RESOURCES(app, loop)
    await close_kept_sessions()


def apply_fixes() -> bool:
    """Apply the fixes to this Rasa; False (and a warning) on a version they were not written for."""
    if rasa.__version__ != FIXED_FOR:
        logger.warning("bot.rasa_fixes is written for Rasa %s, not %s; not applied.", FIXED_FOR, rasa.__version__)
        return False
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]
    # The processor names DaskGraphRunner when it loads a model; model_training.py keeps its own name (dask).
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
    DialogueStateTracker.past_states = past_states  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[method-assign]
    EndpointConfig.session = kept_session  # type: ignore[assignment,method-assign]
    # serve_application registers close_resources by this module-level name when the server starts.
    rasa.core.run.close_resources = close_resources
    return True
