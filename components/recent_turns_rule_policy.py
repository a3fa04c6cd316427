"""Rasa's RulePolicy, matching its rules against the recent turns instead of the whole session.

Before every prediction RulePolicy turns the whole conversation session into dialogue
states (replaying every event into a fresh tracker), then compares its rules with the
last few of them. A rule is never compared further back than its own length, so for a
60-turn conversation almost all of that work is thrown away, and it grows with every
turn: 8.5 of 32 ms per message at turns 1-60 against 3.3 at turns 1-10
(`python -m bench.profile_message --conversation-length 60`).

Here the states come from a tracker of the recent events only: from the listen before
the user's K-th last message, where K is one more than the longest rule (in dialogue
states). Every state from that listen on is the one the whole session gives, because a
state holds only the latest message, the previous action, the featurized slots and the
active loop — and the window is used only when the domain has no slot that influences
the conversation and no form, so the last two are always empty. The first state of the
window (which looks like a conversation start) lies further back than any rule reaches.
The window is read from the end of the tracker, so it costs the same at any length;
when a restart, a new session or a rewind falls inside it, the whole tracker is used.
The prediction is therefore the same as RulePolicy's; tests/components compares the two
on long conversations, and anything else (a domain with featurized slots or forms, a
short session) goes through RulePolicy unchanged.
"""

import itertools
import json
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from components.fingerprint import source_fingerprint

# Events after which the session's applied events are not simply its last events.
_UNDOING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RecentTurnsRulePolicy(RulePolicy):
    """RulePolicy whose rule matching reads a window of recent turns (same predictions)."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Its code: Rasa's training cache reuses a trained policy only if it is unchanged."""
        return source_fingerprint("components.recent_turns_rule_policy")

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: Optional[Dict[Text, Any]] = None,
    ) -> List[State]:
        recent = recent_turns(tracker, domain, self._user_turns_needed())
        return super()._prediction_states(
            recent, domain, use_text_for_last_user_input, rule_only_data
        )

    def _user_turns_needed(self) -> int:
        """One more user turn than the longest rule has dialogue states."""
        needed = getattr(self, "_turns_needed", None)
        if needed is None:
            keys = [*self.lookup.get(RULES, {}), *self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
            longest = max((len(json.loads(key)) for key in keys), default=0)
            needed = self._turns_needed = longest + 1
        return needed


def recent_turns(
    tracker: DialogueStateTracker, domain: Domain, user_turns: int
) -> DialogueStateTracker:
    """A tracker of the events from the listen before the `user_turns`-th last user
    message on; the tracker itself when the window would not give the same states.

    The events are read from the end. An event that undoes others (a restart, a new
    session, a rewind) met on the way means the window may not be what Rasa would
    replay, so the whole tracker is used; without one, the window's events are exactly
    the end of the session's applied events.
    """
    if domain.form_names or any(slot.influence_conversation for slot in domain.slots):
        return tracker
    events = tracker.events
    seen = 0
    for index in range(len(events) - 1, 0, -1):
        event = events[index]
        if isinstance(event, _UNDOING):
            return tracker
        if isinstance(event, UserUttered):
            seen += 1
            if seen == user_turns:
                before = events[index - 1]
                if isinstance(before, ActionExecuted) and before.action_name == ACTION_LISTEN_NAME:
                    window = list(itertools.islice(events, index - 1, None))
                    return DialogueStateTracker.from_events(tracker.sender_id, window, domain.slots)
                return tracker
    return tracker
