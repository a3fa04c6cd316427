"""The asynchronous webhook: replies are POSTed to the caller's receiver."""

import time

import pytest
import requests

from tests.channels.standin import wait_for

# How long the receiver is watched for a post that must not come. A reply is posted
# while the request is handled (well under a second); this is several times that.
QUIET_SECONDS = 5.0


def received_for(standin, sender):
    return [
        r["body"]
        for r in standin.received("/callback-receiver")
        if r["body"].get("recipient_id") == sender
    ]


def posted_while_watching(standin, send):
    """Everything the receiver got from the moment `send()` is called until QUIET_SECONDS
    later (or later still, if `send` itself takes longer)."""
    before = len(standin.received("/callback-receiver"))
    answer = send()
    time.sleep(QUIET_SECONDS)
    return answer, standin.received("/callback-receiver")[before:]


def callback_post(assistant, **kwargs):
    return requests.post(
        assistant.base + "/webhooks/callback/webhook",
        headers={"Content-Type": "application/json"},
        timeout=60,
        **kwargs,
    )


def test_replies_are_posted_to_the_callers_url_with_machine_readable_data(
    platform_assistant, standin
):
    answer = requests.post(
        platform_assistant.base + "/webhooks/callback/webhook",
        json={"sender": "bot-42", "message": "我的社保卡丢了"},
        timeout=60,
    )
    assert answer.status_code == 200 and answer.text == "success"
    replies = wait_for(lambda: received_for(standin, "bot-42"))
    assert len(replies) == 1
    assert "挂失" in replies[0]["text"]
    assert replies[0]["custom"]["topic"] == "lost_card"
    assert replies[0]["custom"]["language"] == "zh"
    assert replies[0]["buttons"]


@pytest.mark.parametrize(
    "data, error",
    [
        ("not json", "invalid_json"),
        ('["bot-43", "hello"]', "invalid_json"),
        ('{"sender": "bot 43!", "message": "hello"}', "invalid_sender"),
        ('{"sender": "bot-43", "message": 42}', "invalid_message"),
    ],
    ids=["not-json", "not-an-object", "bad-sender", "message-not-a-string"],
)
def test_invalid_callback_requests_get_a_clear_error_and_nothing_is_posted(
    platform_assistant, standin, data, error
):
    answer, posted = posted_while_watching(
        standin, lambda: callback_post(platform_assistant, data=data)
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == error
    assert posted == []


def test_the_same_watch_sees_the_reply_to_a_valid_request(platform_assistant, standin):
    # The control for the test above: watched the same way, a valid request's reply shows.
    answer, posted = posted_while_watching(
        standin,
        lambda: callback_post(platform_assistant, data='{"sender": "bot-44", "message": "hello"}'),
    )
    assert answer.status_code == 200 and answer.text == "success"
    assert [r["body"]["recipient_id"] for r in posted] == ["bot-44"]
