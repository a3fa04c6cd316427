"""The asynchronous webhook: replies are POSTed to the caller's receiver."""

import requests

from tests.channels.standin import wait_for


def received_for(standin, sender):
    return [
        r["body"]
        for r in standin.received("/callback-receiver")
        if r["body"].get("recipient_id") == sender
    ]


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


def test_invalid_callback_requests_get_a_clear_error_and_nothing_is_posted(
    platform_assistant, standin
):
    answer = requests.post(
        platform_assistant.base + "/webhooks/callback/webhook",
        data="not json",
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_json"
