"""Asking for a person, as the action server runs it: the availability Rasa's side put in
the message metadata decides the words and whether the conversation pauses."""

import pytest
from rasa_sdk import Tracker

from actions.answer import ActionAnswer
from actions.feedback import with_rating_buttons
from actions.handover import ActionHandOver, describe_hours, offer_a_person
from knowledge import Reply
from tests.conftest import run_action

HOURS = {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "17:00"}


def tracker(text, intent, metadata=None, slots=None, channel=None):
    return Tracker(
        sender_id="test-user",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": [],
            "metadata": metadata or {},
        },
        events=[{"event": "user", "text": text, "input_channel": channel}] if channel else [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def hand_over(text, status, **availability):
    metadata = {"handover": {"status": status, **HOURS, **availability}}
    messages, events = run_action(ActionHandOver(), tracker(text, "request_human", metadata))
    assert len(messages) == 1
    return messages[0], events


def test_with_someone_on_duty_the_conversation_pauses_and_the_user_can_go_back(knowledge):
    message, events = hand_over("转人工", "open", waiting=2)
    assert message["text"] == knowledge.messages.handover_waiting.zh.format(position=3)
    assert [b["payload"] for b in message["buttons"]] == ["/cancel_handover"]
    assert {"event": "pause", "timestamp": None} in events


@pytest.mark.parametrize(
    "status, key, text",
    [
        ("closed", "handover_closed", "Monday to Friday, 09:00–17:00"),
        ("nobody", "handover_nobody", "12333"),
        ("unreachable", "handover_unreachable", "12333"),
        ("none", "handover_unreachable", "12333"),
    ],
)
def test_without_a_person_the_user_gets_12333_and_the_bot_goes_on(knowledge, status, key, text):
    message, events = hand_over("talk to a real person", status, leave_message=True)
    assert message["answer"]["message"] == key and text in message["text"]
    assert "12333" in message["text"]
    assert message["text"].endswith(knowledge.messages.leave_message_offer.en)
    assert message["answer"]["offer"] == "leave_message"
    assert not [e for e in events if e["event"] == "pause"]


def test_where_no_message_can_be_left_none_is_offered(knowledge):
    message, _ = hand_over("talk to a real person", "closed", leave_message=False)
    assert knowledge.messages.leave_message_offer.en not in message["text"]
    assert "offer" not in message["answer"]


@pytest.mark.parametrize(
    "days, language, expected",
    [
        (["mon", "tue", "wed", "thu", "fri"], "zh", "周一至周五 09:00–17:00（北京时间）"),
        (["sat", "mon"], "en", "Monday, Saturday, 09:00–17:00 (Beijing time)"),
    ],
)
def test_office_hours_in_words(knowledge, days, language, expected):
    assert describe_hours(knowledge, {**HOURS, "days": days}, language) == expected


def test_a_person_is_offered_from_the_second_fallback_in_a_row(knowledge):
    first, _ = run_action(ActionAnswer(), tracker("pizza?", "out_of_scope"))
    assert not any("request_human" in b["payload"] for b in first[0]["buttons"])
    second, events = run_action(
        ActionAnswer(), tracker("football?", "out_of_scope", slots={"fallbacks": 1.0})
    )
    assert second[0]["buttons"][0]["title"] == knowledge.messages.talk_to_person.en
    assert {"event": "slot", "timestamp": None, "name": "fallbacks", "value": 2.0} in events
    answered, events = run_action(
        ActionAnswer(), tracker("fees?", "ask_fees", slots={"fallbacks": 2.0})
    )
    assert {"event": "slot", "timestamp": None, "name": "fallbacks", "value": None} in events
    reply, slots = offer_a_person(knowledge, Reply("x", [], {"message": "greet"}), {}, None)
    assert slots == {}


def test_an_answer_to_a_message_with_personal_data_says_none_is_needed(knowledge):
    messages, _ = run_action(
        ActionAnswer(),
        tracker(
            "my id is 110105********002X, what to bring",
            "ask_materials",
            {"personal_data": ["citizen_id"]},
        ),
    )
    assert messages[0]["text"].startswith(knowledge.messages.personal_data_notice.en)
    assert "110105" not in messages[0]["text"]
    plain, _ = run_action(ActionAnswer(), tracker("what to bring", "ask_materials"))
    assert not plain[0]["text"].startswith(knowledge.messages.personal_data_notice.en)


def test_rating_buttons_only_on_platforms_with_buttons(knowledge):
    answer = knowledge.answer("materials", "en")
    assert [b.title for b in with_rating_buttons(answer, "telegram").buttons][-2:] == ["👍", "👎"]
    assert with_rating_buttons(answer, "socketio") == answer
    goodbye = knowledge.message("goodbye", "en")
    assert [b.payload for b in with_rating_buttons(goodbye, "slack").buttons][
        -1
    ] == '/feedback{"stars": 5}'
    messages, _ = run_action(
        ActionAnswer(), tracker("what to bring", "ask_materials", channel="telegram")
    )
    assert messages[0]["buttons"][-1]["payload"] == '/feedback{"rating": -1}'
