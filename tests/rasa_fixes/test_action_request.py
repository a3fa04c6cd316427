"""rasa_fixes/action_request.py: the action server gets the latest turn when asked, all else as before."""

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import rasa_fixes
from rasa_fixes.action_request import latest_turn

rasa_fixes.install()

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [ask_materials, inform_region]
slots:
  region:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
actions: [action_answer]
""")


def conversation(turns: int) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]
    for turn in range(turns):
        events += [
            UserUttered(f"question {turn}", {"name": "ask_materials", "confidence": 0.9}),
            ActionExecuted("action_answer"),
            BotUttered(f"answer {turn}"),
            SlotSet("region", "wuhan"),
            ActionExecuted("action_listen"),
        ]
    events.append(UserUttered("and in Beijing?", {"name": "inform_region", "confidence": 0.8}))
    return DialogueStateTracker.from_events("alice", events, DOMAIN.slots)


def request(tracker, **settings):
    action = RemoteAction(
        "action_answer", EndpointConfig(url="http://127.0.0.1:1/webhook", **settings)
    )
    return action._action_call_format(tracker, DOMAIN)


def test_by_default_the_action_server_gets_every_event_as_in_rasa():
    tracker = conversation(30)
    assert len(request(tracker)["tracker"]["events"]) == len(tracker.events)
    assert len(request(tracker, tracker_events="all")["tracker"]["events"]) == len(tracker.events)


def test_latest_turn_sends_the_listen_and_the_new_message_whatever_the_length():
    for turns in (1, 30):
        sent = request(conversation(turns), tracker_events="latest_turn")["tracker"]
        assert [
            (event["event"], event.get("name") or event.get("text")) for event in sent["events"]
        ] == [("action", "action_listen"), ("user", "and in Beijing?")]
        # What the action reads comes apart from the events, and is whole.
        assert sent["latest_message"]["text"] == "and in Beijing?"
        assert sent["latest_message"]["intent"]["name"] == "inform_region"
        assert sent["slots"]["region"] == "wuhan"


def test_a_misspelt_setting_is_a_clear_error():
    with pytest.raises(ValueError, match="tracker_events is 'latest'.*all, latest_turn"):
        request(conversation(1), tracker_events="latest")


def test_latest_turn_of_a_conversation_without_a_user_message_is_all_of_it():
    events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]
    assert latest_turn(events) == events
    assert latest_turn([]) == []
    first_message = [{"event": "user", "text": "hi"}]
    assert latest_turn(first_message) == first_message
