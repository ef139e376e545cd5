"""Remember a tracker's past states while its events do not change.

To choose one action, Rasa 3.6 turns the whole conversation into states (`DialogueStateTracker.past_states`,
replaying every event) once per policy and per variant: five times per message when we had the Memoization and
Rule policies, with the same answer each time (the variants differ only after the states are made); RulePolicy
alone still asks twice per prediction. The profile showed this as a quarter of the prediction time, growing with
the conversation. bot/rasa_fixes.py installs
`remembering(DialogueStateTracker.past_states)`, which computes the states once per set of events and arguments.

The answer depends only on the events, the domain and the arguments. Events are only ever appended to a tracker
(a bounded deque drops its oldest, so the newest event is part of the key), so "the same events" is checked by
the deque object, its length and the identity of its last event. Callers change the states they get (Rasa's
`_choose_last_user_input` removes keys from the last user sub-state), so each caller gets its own copy of the
two levels that are dicts; the values inside are strings and tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

MEMO_ATTRIBUTE = "_samtale_past_states"

PastStates = Callable[..., list[State]]


def copy_states(states: list[State]) -> list[State]:
    """A copy a caller may change: new state dicts and sub-state dicts, sharing the immutable values."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def _arguments_key(omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: Any) -> tuple[Any, ...]:
    rule_only = (
        None if rule_only_data is None else tuple(sorted((k, tuple(v)) for k, v in rule_only_data.items()))
    )
    return omit_unset_slots, ignore_rule_only_turns, rule_only


def remembering(original: PastStates) -> PastStates:
    """`original` (DialogueStateTracker.past_states) remembering its answers per tracker and events."""

    def past_states(
        tracker: DialogueStateTracker,
        domain: Domain,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        events = tracker.events
        last = events[-1] if events else None
        memo = tracker.__dict__.get(MEMO_ATTRIBUTE)
        if memo is None or memo[0] is not events or memo[1] != len(events) or memo[2] is not last:
            # Holding the last event and the domain keeps their ids from being reused while remembered.
            memo = (events, len(events), last, {})
            tracker.__dict__[MEMO_ATTRIBUTE] = memo
        key = (id(domain), *_arguments_key(omit_unset_slots, ignore_rule_only_turns, rule_only_data))
        remembered = memo[3].get(key)
        if remembered is None:
            states = original(
                tracker,
                domain,
                omit_unset_slots=omit_unset_slots,
                ignore_rule_only_turns=ignore_rule_only_turns,
                rule_only_data=rule_only_data,
            )
            remembered = memo[3][key] = (domain, states)
        return copy_states(remembered[1])

    past_states.__doc__ = original.__doc__
    return past_states
