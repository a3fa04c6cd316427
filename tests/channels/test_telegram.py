"""Telegram updates in the Bot API's format, posted to the running assistant."""

import requests

from tests.channels.conftest import PLATFORM_ENV
from tests.channels.standin import wait_for

WEBHOOK = "/webhooks/telegram/webhook"


def update(chat_id: int, text: str) -> dict:
    return {
        "update_id": chat_id,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "Li"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Li"},
        },
    }


def post(assistant, body, secret=PLATFORM_ENV["TELEGRAM_SECRET_TOKEN"]):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(assistant.base + WEBHOOK, json=body, headers=headers, timeout=60)


def sent_to(standin, chat_id):
    return [
        r["body"]
        for r in standin.received("/sendMessage")
        if str(r["body"].get("chat_id")) == str(chat_id)
    ]


def test_the_webhook_is_registered_with_the_secret_token(platform_assistant, standin):
    registered = standin.received("/setWebhook")
    assert registered
    assert registered[-1]["body"]["secret_token"] == PLATFORM_ENV["TELEGRAM_SECRET_TOKEN"]
    assert registered[-1]["body"]["url"] == PLATFORM_ENV["TELEGRAM_WEBHOOK_URL"]


def test_an_update_with_the_secret_is_answered_in_the_chat(platform_assistant, standin):
    assert post(platform_assistant, update(7001, "社保卡丢了怎么办")).status_code == 200
    replies = wait_for(lambda: sent_to(standin, 7001))
    assert any("挂失" in reply["text"] for reply in replies)
    assert any("reply_markup" in reply for reply in replies)  # quick replies as a keyboard


def test_a_forged_update_is_refused_and_not_answered(platform_assistant, standin):
    for secret in (None, "guessed-secret"):
        assert (
            post(platform_assistant, update(7002, "I lost my card"), secret=secret).status_code
            == 403
        )
    assert platform_assistant.user_texts("7002") == []
    assert sent_to(standin, 7002) == []
