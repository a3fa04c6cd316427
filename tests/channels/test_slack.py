"""Slack's known failure modes against the running assistant: retries (X-Slack-Retry-Num,
RasaHQ/rasa#3882) answered once, and the url_verification handshake."""

import hashlib
import hmac
import json
import time
import uuid

import requests

from tests.channels.conftest import PLATFORM_ENV
from tests.channels.standin import wait_for

SECRET = PLATFORM_ENV["SLACK_SIGNING_SECRET"]


def signed_post(assistant, body, secret=SECRET, headers=None):
    raw = json.dumps(body)
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{raw}".encode(), hashlib.sha256)
    return requests.post(
        assistant.base + "/webhooks/slack/webhook",
        data=raw,
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": "v0=" + digest.hexdigest(),
            **(headers or {}),
        },
        timeout=60,
    )


def direct_message(text):
    """An event_callback for a direct message, with an event id and user of its own."""
    user = "U" + uuid.uuid4().hex[:10].upper()
    return user, {
        "token": "verification-token",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": "Ev" + uuid.uuid4().hex[:12].upper(),
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        },
    }


def posted_to(standin, channel):
    return [
        r["body"].get("text") or ""
        for r in standin.received("chat.postMessage")
        if r["body"].get("channel") == channel
    ]


def retry(number, reason):
    return {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": reason}


def test_retries_of_an_event_are_answered_once(platform_assistant, standin, knowledge):
    user, event = direct_message("what documents do I need?")
    assert signed_post(platform_assistant, event).status_code == 200
    retries = [
        signed_post(platform_assistant, event, headers=retry(1, "http_timeout")),
        signed_post(platform_assistant, event, headers=retry(2, "http_error")),
        signed_post(platform_assistant, event, headers=retry(3, "connection_failed")),
    ]
    for answer in retries:
        assert answer.status_code == 200
        assert answer.headers.get("X-Slack-No-Retry") == "1"
    answer = knowledge.topics["materials"].answer_text("en")

    def answers_posted():
        return [text for text in posted_to(standin, f"D{user}") if answer in text]

    assert wait_for(answers_posted)
    time.sleep(2)  # a second answer would have been posted by now
    assert len(answers_posted()) == 1
    assert platform_assistant.user_texts(user) == ["what documents do I need?"]


def test_a_retry_whose_first_delivery_never_arrived_is_answered(platform_assistant, standin):
    # Rasa drops every retry whose reason is http_timeout, even when it is the only one.
    user, event = direct_message("I lost my card")
    answer = signed_post(platform_assistant, event, headers=retry(1, "http_timeout"))
    assert answer.status_code == 200
    assert wait_for(lambda: platform_assistant.user_texts(user)) == ["I lost my card"]
    assert wait_for(lambda: posted_to(standin, f"D{user}"))


def test_the_url_verification_is_answered_with_the_challenge(platform_assistant):
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    answer = signed_post(
        platform_assistant,
        {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": challenge, "type": "url_verification"},
    )
    assert answer.status_code == 200
    assert answer.text == challenge
    assert answer.headers["content-type"].startswith("text/plain")


def test_an_unsigned_url_verification_is_refused(platform_assistant):
    challenge = "forged-challenge-value"
    body = {"token": "x", "challenge": challenge, "type": "url_verification"}
    answer = signed_post(platform_assistant, body, secret="not-the-secret")
    assert answer.status_code == 400
    assert challenge not in answer.text
