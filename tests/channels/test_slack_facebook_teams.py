"""Slack, Messenger and Bot Framework requests in each platform's format: signed ones are
answered (the reply reaches the platform's API, here the stand-in), forged or unsigned ones
refused."""

import hashlib
import hmac
import json
import time

import requests

from tests.channels.conftest import (
    BOT_FRAMEWORK_ACCESS_TOKEN,
    BOT_FRAMEWORK_KEY,
    PLATFORM_ENV,
    SigningKey,
)
from tests.channels.standin import wait_for


def slack_event(user: str, text: str) -> dict:
    return {
        "token": "verification-token",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": f"Ev{user}",
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": "1700000000.000100",
        },
    }


def slack_post(assistant, body: dict, secret: str = PLATFORM_ENV["SLACK_SIGNING_SECRET"]):
    raw = json.dumps(body)
    timestamp = str(int(time.time()))
    signature = (
        "v0="
        + hmac.new(secret.encode(), f"v0:{timestamp}:{raw}".encode(), hashlib.sha256).hexdigest()
    )
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    return requests.post(
        assistant.base + "/webhooks/slack/webhook", data=raw, headers=headers, timeout=60
    )


def test_a_signed_slack_message_is_answered_in_its_channel(platform_assistant, standin):
    assert (
        slack_post(platform_assistant, slack_event("U100", "what documents do I need?")).status_code
        == 200
    )
    posted = wait_for(
        lambda: [
            r["body"]
            for r in standin.received("chat.postMessage")
            if r["body"].get("channel") == "DU100"
        ]
    )
    assert any("hukou" in (p.get("text") or "").lower() for p in posted)


def test_a_slack_message_with_a_forged_signature_is_refused(platform_assistant):
    answer = slack_post(platform_assistant, slack_event("U101", "hello"), secret="not-the-secret")
    assert answer.status_code == 400
    assert platform_assistant.user_texts("U101") == []


def messenger_event(sender: str, text: str) -> dict:
    return {
        "object": "page",
        "entry": [
            {
                "id": "PAGE1",
                "time": 1700000000,
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": "PAGE1"},
                        "timestamp": 1700000000,
                        "message": {"mid": f"m-{sender}", "text": text},
                    }
                ],
            }
        ],
    }


def test_messenger_verification_needs_the_verify_token(platform_assistant):
    url = platform_assistant.base + "/webhooks/facebook/webhook"
    good = requests.get(
        url,
        params={
            "hub.mode": "subscribe",
            "hub.challenge": "1158201444",
            "hub.verify_token": PLATFORM_ENV["FACEBOOK_VERIFY_TOKEN"],
        },
        timeout=30,
    )
    bad = requests.get(
        url,
        params={
            "hub.mode": "subscribe",
            "hub.challenge": "1158201444",
            "hub.verify_token": "guess",
        },
        timeout=30,
    )
    assert good.text == "1158201444"
    assert bad.text != "1158201444"


def test_an_unsigned_messenger_event_is_refused(platform_assistant):
    body = json.dumps(messenger_event("FB200", "hello"))
    forged = "sha1=" + hmac.new(b"wrong", body.encode(), hashlib.sha1).hexdigest()
    for headers in ({}, {"X-Hub-Signature": forged}):
        answer = requests.post(
            platform_assistant.base + "/webhooks/facebook/webhook",
            data=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=30,
        )
        assert answer.text == "not validated"
    assert platform_assistant.user_texts("FB200") == []


def sent_to(standin, path_part, recipient):
    """Bodies the assistant sent through the stand-in for `path_part` to `recipient`."""
    return [
        r["body"]
        for r in standin.received(path_part)
        if r["body"].get("recipient", {}).get("id") == recipient
    ]


# Messenger's client posts to graph.facebook.com and Bot Framework's fetches its token
# from login.microsoftonline.com, addresses they take from no setting: the assistant
# reaches them through the stand-in as its HTTPS proxy (conftest, `intercept_https`).
def test_a_signed_messenger_event_is_answered_through_the_send_api(platform_assistant, standin):
    body = json.dumps(messenger_event("FB201", "what documents do I need?"))
    signature = (
        "sha1="
        + hmac.new(
            PLATFORM_ENV["FACEBOOK_APP_SECRET"].encode(), body.encode(), hashlib.sha1
        ).hexdigest()
    )
    answer = requests.post(
        platform_assistant.base + "/webhooks/facebook/webhook",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature": signature},
        timeout=60,
    )
    assert answer.status_code == 200 and answer.text == "success", answer.text
    # The message reached Rasa: the conversation holds it.
    assert platform_assistant.user_texts("FB201") == ["what documents do I need?"]
    # And the answer went back to the user through the Send API, with the page's token.
    messages = wait_for(
        lambda: [b for b in sent_to(standin, "graph.facebook.com/", "FB201") if "message" in b]
    )
    assert any("hukou" in json.dumps(m["message"]).lower() for m in messages), messages
    sends = [r for r in standin.received("graph.facebook.com/") if "/me/messages" in r["path"]]
    assert all(
        "access_token=" + PLATFORM_ENV["FACEBOOK_PAGE_ACCESS_TOKEN"] in r["path"] for r in sends
    )


def bot_framework_activity(user: str, text: str, service_url: str) -> dict:
    return {
        "type": "message",
        "id": "act-1",
        "timestamp": "2026-11-27T08:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "text": text,
        "from": {"id": user, "name": "Li"},
        "conversation": {"id": f"conv-{user}"},
        "recipient": {"id": "bot", "name": "sscard"},
    }


def test_a_bot_framework_activity_without_a_valid_token_is_refused(platform_assistant, standin):
    url = platform_assistant.base + "/webhooks/botframework/webhook"
    activity = bot_framework_activity("BF300", "hello", standin.url)
    for headers in ({}, {"Authorization": "Bearer forged.jwt.token"}):
        answer = requests.post(url, json=activity, headers=headers, timeout=30)
        assert answer.status_code == 401
    assert platform_assistant.user_texts("BF300") == []


def test_a_bot_framework_activity_signed_with_the_published_key_is_answered(
    platform_assistant, standin
):
    token = BOT_FRAMEWORK_KEY.token(PLATFORM_ENV["BOTFRAMEWORK_APP_ID"])
    activity = bot_framework_activity("BF301", "I lost my card", standin.url)
    answer = requests.post(
        platform_assistant.base + "/webhooks/botframework/webhook",
        json=activity,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert answer.status_code == 200 and answer.text == "success", answer.text
    # The message reached Rasa: the conversation holds it.
    assert platform_assistant.user_texts("BF301") == ["I lost my card"]
    # The answer was posted to the conversation at the activity's serviceUrl, with the
    # token the bot obtained from Microsoft's token service for its app id and password.
    replies = wait_for(
        lambda: [
            r
            for r in standin.received("/v3/conversations/conv-BF301/activities")
            if r["method"] == "POST"
        ]
    )
    assert any("report" in json.dumps(r["body"]).lower() for r in replies), replies
    assert all(
        r["headers"].get("Authorization") == f"Bearer {BOT_FRAMEWORK_ACCESS_TOKEN}" for r in replies
    )
    assert all(r["body"]["recipient"] == {"id": "BF301"} for r in replies)
    token_requests = standin.received("login.microsoftonline.com/")
    assert token_requests and all(
        r["body"].get("client_id") == PLATFORM_ENV["BOTFRAMEWORK_APP_ID"]
        and r["body"].get("client_secret") == PLATFORM_ENV["BOTFRAMEWORK_APP_PASSWORD"]
        for r in token_requests
    )


def test_a_bot_framework_token_signed_by_another_key_is_refused(platform_assistant, standin):
    impostor = SigningKey(BOT_FRAMEWORK_KEY.kid)  # same key id, different key
    activity = bot_framework_activity("BF302", "hello", standin.url)
    answer = requests.post(
        platform_assistant.base + "/webhooks/botframework/webhook",
        json=activity,
        headers={"Authorization": f"Bearer {impostor.token(PLATFORM_ENV['BOTFRAMEWORK_APP_ID'])}"},
        timeout=60,
    )
    assert answer.status_code == 401
    assert platform_assistant.user_texts("BF302") == []
