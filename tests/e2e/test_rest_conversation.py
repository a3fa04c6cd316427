"""Whole conversations with the real Rasa and action servers through the REST webhook."""

import uuid

import pytest


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def only_reply(messages):
    assert len(messages) == 1, messages
    return messages[0]


def test_a_multi_turn_conversation_with_a_region_follow_up(assistant, knowledge):
    sender = new_sender()
    hello = only_reply(assistant.say(sender, "hi there"))
    assert hello["text"] == knowledge.messages.greet.en
    assert [b["title"] for b in hello["buttons"]] == [
        knowledge.topics[t].label.en for t in knowledge.menu
    ]

    materials = only_reply(assistant.say(sender, "what documents do I have to bring for the card?"))
    assert materials["custom"]["topic"] == "materials"
    assert "hukou" in materials["text"].lower()

    where = only_reply(assistant.say(sender, "and where do I submit them?"))
    assert where["custom"]["topic"] == "department"
    assert where["text"].startswith(knowledge.topics["department"].follow_up["materials"].en)

    refined = only_reply(assistant.say(sender, "I live in Wuhan"))
    assert refined["custom"] == {**refined["custom"], "topic": "department", "region": "420100"}
    assert "Wuhan Municipal Human Resources and Social Security Bureau" in refined["text"]

    later = only_reply(assistant.say(sender, "how long does printing the card take?"))
    assert later["custom"]["topic"] == "printing_time"
    assert later["custom"]["region"] == "420100"
    assert "Wuhan" in later["text"]


def test_lost_card_then_a_number_to_call(assistant):
    sender = new_sender()
    lost = only_reply(assistant.say(sender, "help, I lost my social security card"))
    assert lost["custom"]["topic"] == "lost_card"
    call = only_reply(assistant.say(sender, "is there a number I can call?"))
    assert call["custom"]["topic"] == "hotline"
    assert "12333" in call["text"]


def test_a_misspelled_city_is_understood(assistant):
    reply = only_reply(assistant.say(new_sender(), "which office issues the card in Guangzou?"))
    assert reply["custom"]["region"] == "440100"
    assert "Guangzhou Municipal Human Resources and Social Security Bureau" in reply["text"]


def test_a_quick_reply_payload_is_answered(assistant):
    reply = only_reply(assistant.say(new_sender(), '/ask_electronic_card{"language": "en"}'))
    assert reply["custom"]["topic"] == "electronic_card"


def test_out_of_scope_says_what_the_assistant_covers(assistant, knowledge):
    reply = only_reply(assistant.say(new_sender(), "what's the best pizza topping?"))
    assert reply["text"] == knowledge.messages.fallback.en
    assert reply["buttons"]
    assert reply["custom"]["topic"] is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty_message"),
        ("   ", "empty_message"),
        ("\u0000\u0007\u001b", "empty_message"),
        ("🌀🚗💤", "no_words"),
        ("x" * 10_000, "too_long"),
    ],
)
def test_bad_input_gets_a_polite_reply_and_the_conversation_goes_on(
    assistant, knowledge, text, reason
):
    sender = new_sender()
    reply = only_reply(assistant.say(sender, text))
    assert reply["custom"]["message"] == reason
    assert reply["text"]
    after = only_reply(assistant.say(sender, "what materials do I need?"))
    assert after["custom"]["topic"] == "materials"


def test_thanks_in_emoji_after_an_answer_get_the_thanks_reply(assistant, knowledge):
    sender = new_sender()
    assistant.say(sender, "what materials do I need?")
    reply = only_reply(assistant.say(sender, "🙏👍"))
    assert reply["custom"]["message"] == "thank"
    assert reply["text"] == knowledge.messages.thank.en


def test_markup_is_answered_as_text_and_never_echoed(assistant):
    reply = only_reply(assistant.say(new_sender(), "<img src=x onerror=alert(1)><b>card</b>"))
    assert "<img" not in reply["text"] and "onerror" not in reply["text"]


@pytest.mark.parametrize(
    "body, status, error",
    [
        ({"sender": "a"}, 400, "invalid_message"),
        ({"message": "hi"}, 400, "invalid_sender"),
        ({"sender": "a" * 500, "message": "hi"}, 400, "invalid_sender"),
        ({"sender": "../other", "message": "hi"}, 400, "invalid_sender"),
        ({"sender": "a", "message": 42}, 400, "invalid_message"),
        ({"sender": "a", "message": "x" * 20_001}, 413, "message_too_long"),
    ],
)
def test_malformed_requests_get_a_clear_error(assistant, body, status, error):
    answer = assistant.post(body)
    assert answer.status_code == status
    assert answer.json()["error"] == error
