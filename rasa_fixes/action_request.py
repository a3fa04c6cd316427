"""Send the action server the latest turn of the conversation, not all of it.

Rasa sends the whole tracker — every event of the conversation — with every call to the
action server, and both sides encode and decode it as JSON. At turn 60 of a conversation
that is 216 KB and about 7 ms of the 8 ms the call takes (`python -m
bench.profile_message --conversation-length 60`), growing with every turn. This
assistant's action reads the latest message and the slots, which Rasa sends apart from
the events, so endpoints.yml can ask for the events of the latest turn only:

    action_endpoint:
      url: ...
      tracker_events: latest_turn   # or: all (Rasa's behaviour, the default)

`latest_turn` keeps the events from the listen before the latest user message on. An
action that reads older events (a FormValidationAction reads the current turn's only)
should leave the setting at `all`.

Upstream: Rasa 3.6 has no such setting (`RemoteAction._action_call_format` always sends
`tracker.current_state(EventVerbosity.ALL)`).
"""

from typing import Any, Dict, List, Text

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME

SUMMARY = "endpoints.yml's action_endpoint.tracker_events: latest_turn"
SETTING = "tracker_events"
CHOICES = ("all", "latest_turn")

_rasa_action_call_format = RemoteAction._action_call_format


def latest_turn(events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The serialised events from the listen before the latest user message on
    (all of them when there is no user message)."""
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            before = events[index - 1] if index > 0 else {}
            listened = before.get("event") == "action" and before.get("name") == ACTION_LISTEN_NAME
            return events[index - 1 if listened else index :]
    return events


def _action_call_format(self: RemoteAction, tracker, domain) -> Dict[Text, Any]:
    payload = _rasa_action_call_format(self, tracker, domain)
    setting = (
        self.action_endpoint.kwargs.get(SETTING, "all")
        if self.action_endpoint is not None
        else "all"
    )
    if setting not in CHOICES:
        raise ValueError(
            f"endpoints.yml: action_endpoint.{SETTING} is {setting!r}; "
            f"it must be one of {', '.join(CHOICES)}"
        )
    if setting == "latest_turn":
        state = payload["tracker"]
        payload["tracker"] = {**state, "events": latest_turn(state["events"])}
    return payload


def install() -> None:
    """Replace Rasa's request builder (idempotent)."""
    RemoteAction._action_call_format = _action_call_format
