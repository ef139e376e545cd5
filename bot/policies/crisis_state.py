"""A dialogue policy that keeps the conversation with the person after a crisis signal.

Rules cannot say «whatever the intent, while the crisis slot is set», so this policy does, above RulePolicy
(higher priority at equal confidence): after a user message it picks the crisis support whenever
bot.flows.crisis_state says so; after the first ordinary answer that follows a crisis it adds the numbers
(action_crisis_aftercare); after either it listens. At a weak signal it adds the numbers under the ordinary
answer (action_crisis_check). Otherwise it abstains and the rules decide. It learns nothing.

Inside a form RulePolicy's loop predictions win over every policy that reads the user's message; so do ours when a
loop is active, which lets a crisis message end a form before the form can store it as an answer.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.flows.crisis_state import (
    ACTIVE,
    ASSESSMENT_KEY,
    MOVING_ON,
    STATE_SLOT,
    ends_turn,
    moves_on,
    routes_to_support,
    wants_check,
)

SUPPORT_ACTION = "action_crisis_support"
AFTERCARE_ACTION = "action_crisis_aftercare"
CHECK_ACTION = "action_crisis_check"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class CrisisStatePolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}  # RulePolicy has 6: at equal confidence this policy is chosen

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the crisis state is a rule over a slot and the gate's assessment

    def _next_action(self, tracker: DialogueStateTracker) -> tuple[str | None, list[Event]]:
        """The action this policy picks (None: the rules decide), and events to apply whichever policy wins."""
        latest = tracker.latest_action_name
        state = tracker.get_slot(STATE_SLOT)
        message = tracker.latest_message
        assessment = (message.parse_data.get(ASSESSMENT_KEY) if message else None) or {}  # type: ignore[union-attr]
        if latest in (SUPPORT_ACTION, AFTERCARE_ACTION, CHECK_ACTION):
            return ACTION_LISTEN_NAME, []
        if latest != ACTION_LISTEN_NAME:
            if not ends_turn(latest, tracker.active_loop_name):
                return None, []
            if state in (ACTIVE, MOVING_ON):
                return AFTERCARE_ACTION, []
            return (CHECK_ACTION if wants_check(state, assessment, tracker.active_loop_name) else None), []
        if message is None or message.intent.get("name") is None:
            return None, []
        name, confidence = message.intent["name"], float(message.intent.get("confidence") or 0.0)
        if routes_to_support(state, name, confidence, assessment, tracker.active_loop_name):
            return SUPPORT_ACTION, []
        if state == ACTIVE and moves_on(name, confidence, assessment):
            # Whatever answers it (a rule, a form, a question first), the person has moved on.
            return None, [SlotSet(STATE_SLOT, MOVING_ON)]
        return None, []

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action, events = self._next_action(tracker)
        if action is None:
            return self._prediction(probabilities, events=events)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=events,
                                is_no_user_prediction=tracker.active_loop_name is not None)

    def persist(self) -> None:
        """Nothing to keep."""

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CrisisStatePolicy:
        return cls(config, model_storage, resource, execution_context)
