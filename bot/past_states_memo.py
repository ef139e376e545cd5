"""A tracker's past states, remembered while its events do not change and extended when events are only added.

To choose one action, Rasa 3.6 turns the whole conversation into states (`DialogueStateTracker.past_states`,
replaying every event from the start) for each policy and variant: five times per message when we had the
Memoization and Rule policies, with the same answer each time; RulePolicy alone still asks twice per prediction,
and again after each action of the turn, when only an event or two was added. The profile showed this as a
quarter of the prediction time, growing with the conversation.

`past_states` here gives what Rasa's gives (`Domain.states_for_tracker_history`: a state before every action,
and one for now), computed as a fold that can go on: the replayed tracker and the fold's variables are kept with
the tracker, so added events are replayed on their own. Only a plain append can go on. Rasa's `applied_events`
can rewrite earlier history when a restart, a session start, a reverted action or utterance, or a loop (form)
event comes (and a new loop name changes how earlier events of that loop count), so with any of those among the
new events, or events that were replaced, dropped (a bounded history) or are another deque, the states are made
again from the start, as Rasa does. tests/test_past_states_memo.py compares with Rasa's at every step.

Callers change the states they get (Rasa's `_choose_last_user_input` removes keys from the last user sub-state),
so each caller gets its own copy of the two levels that are dicts; the values inside are strings and tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

MEMO_ATTRIBUTE = "_samtale_past_states"
# Events after which Rasa's applied_events may differ from the events before them plus the new ones.
HISTORY_CHANGING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)


def copy_states(states: list[State]) -> list[State]:
    """A copy a caller may change: new state dicts and sub-state dicts, sharing the immutable values."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def _arguments_key(omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: Any) -> tuple[Any, ...]:
    rule_only = (
        None if rule_only_data is None else tuple(sorted((k, tuple(v)) for k, v in rule_only_data.items()))
    )
    return omit_unset_slots, ignore_rule_only_turns, rule_only


@dataclass
class StatesFold:
    """Domain.states_for_tracker_history's loop, kept between calls: `replay` is the tracker rebuilt from the
    events fed so far; `states` has one state per action among them."""

    domain: Domain
    omit_unset_slots: bool
    ignore_rule_only_turns: bool
    rule_only_data: dict[str, Any] | None
    replay: DialogueStateTracker
    states: list[State] = field(default_factory=list)
    last_ml_action: SubState | None = None
    turn_was_hidden: bool = False
    fed: int = 0  # how many of the tracker's events are in
    last_event: Event | None = None  # the last of them (held, so its identity stays meaningful)
    now: list[State] = field(default_factory=list)  # the answer for the events fed so far

    def _turn(self, hide_rule_turn: bool) -> None:
        """The loop body of states_for_tracker_history for the replayed tracker (Rasa 3.6.21)."""
        tracker, domain = self.replay, self.domain
        if self.ignore_rule_only_turns:
            if not self.turn_was_hidden:
                self.last_ml_action = domain._get_prev_action_sub_state(tracker)
            if not tracker.followup_action and not tracker.latest_action_name == tracker.active_loop_name:
                self.turn_was_hidden = hide_rule_turn
            if self.turn_was_hidden:
                return
        state = domain.get_active_state(tracker, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if self.last_ml_action:
                state[PREVIOUS_ACTION] = self.last_ml_action
        self.states.append(domain._clean_state(state))

    def feed(self, applied: Sequence[Event], fed: int, last_event: Event | None) -> None:
        """Replay `applied` (events that follow the ones fed so far) and make the states for now."""
        for event in applied:
            if isinstance(event, ActionExecuted):
                self._turn(event.hide_rule_turn)
            self.replay.update(event)
        self.fed, self.last_event = fed, last_event
        # The state for now (Rasa's last `yield tracker, False`) must not stay in the fold: undo it afterwards.
        count, last_ml_action, turn_was_hidden = len(self.states), self.last_ml_action, self.turn_was_hidden
        self._turn(False)
        self.now = list(self.states)
        del self.states[count:]
        self.last_ml_action, self.turn_was_hidden = last_ml_action, turn_was_hidden


def _can_go_on(fold: StatesFold, tracker: DialogueStateTracker) -> bool:
    """True if the tracker's events are the fold's plus new ones that cannot change the earlier history."""
    events = tracker.events
    if fold.fed == 0 or len(events) < fold.fed or events[fold.fed - 1] is not fold.last_event:
        return False
    loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
    for index in range(fold.fed, len(events)):
        event = events[index]
        if isinstance(event, HISTORY_CHANGING) or (
            isinstance(event, ActionExecuted) and event.action_name in loop_names
        ):
            return False
    return True


def past_states(
    tracker: DialogueStateTracker,
    domain: Domain,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Drop-in for DialogueStateTracker.past_states: the same states, made once and extended when possible."""
    events = tracker.events
    last = events[-1] if events else None
    memo = tracker.__dict__.get(MEMO_ATTRIBUTE)
    if memo is None or memo[0] is not events:
        memo = (events, {})  # another deque (Rasa replaced the events): start again
        tracker.__dict__[MEMO_ATTRIBUTE] = memo
    key = (id(domain), *_arguments_key(omit_unset_slots, ignore_rule_only_turns, rule_only_data))
    fold = memo[1].get(key)
    if fold is not None and fold.domain is domain and fold.fed == len(events) and fold.last_event is last:
        pass  # nothing new
    elif fold is not None and fold.domain is domain and _can_go_on(fold, tracker):
        fold.feed([events[i] for i in range(fold.fed, len(events))], len(events), last)
    else:
        fold = memo[1][key] = StatesFold(
            domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data, tracker.init_copy()
        )
        fold.feed(tracker.applied_events(), len(events), last)
    return copy_states(fold.now)
