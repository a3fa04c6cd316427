"""Telegram updates in the Bot API's format, posted to the running assistant: the secret
token, quick replies as an inline keyboard, pressed buttons (RasaHQ/rasa#4041)."""

import json

import requests

from tests.channels.conftest import PLATFORM_ENV, TELEGRAM_BOT
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


def keyboards(replies):
    return [
        json.loads(r["reply_markup"])["inline_keyboard"] for r in replies if "reply_markup" in r
    ]


def test_quick_replies_are_an_inline_keyboard_one_button_a_row_within_telegrams_limits(
    platform_assistant, standin, knowledge
):
    assert post(platform_assistant, update(7003, "what documents do I need?")).status_code == 200
    (keyboard,) = wait_for(lambda: keyboards(sent_to(standin, 7003)))
    related = knowledge.answer("materials", "en").buttons
    titles = [row[0]["text"] for row in keyboard]
    # The related topics, then the answer's rating buttons (actions/feedback.py).
    assert titles == [button.title for button in related] + ["👍", "👎"]
    assert all(len(row) == 1 for row in keyboard)
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in keyboard)


def callback_query(chat_id: int, query_id: str, data: str) -> dict:
    return {
        "update_id": chat_id + 1,
        "callback_query": {
            "id": query_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Li"},
            "chat_instance": "-1",
            "data": data,
            "message": {
                "message_id": 2,
                "date": 1700000000,
                "text": "…",
                "chat": {"id": chat_id, "type": "private", "first_name": "Li"},
                "from": TELEGRAM_BOT,
            },
        },
    }


def test_a_pressed_button_is_acknowledged_and_answered_as_its_topic(
    platform_assistant, standin, knowledge
):
    assert post(platform_assistant, update(7004, "社保卡丢了怎么办")).status_code == 200
    (keyboard,) = wait_for(lambda: keyboards(sent_to(standin, 7004)))
    hotline = [row[0] for row in keyboard if row[0]["text"] == knowledge.topics["hotline"].label.zh]
    assert hotline, keyboard
    pressed = callback_query(7004, "cbq-7004", hotline[0]["callback_data"])
    assert post(platform_assistant, pressed).status_code == 200
    acknowledged = [
        r["body"]
        for r in standin.received("/answerCallbackQuery")
        if r["body"].get("callback_query_id") == "cbq-7004"
    ]
    assert len(acknowledged) == 1
    answer = knowledge.topics["hotline"].answer_text("zh").split("\n\n")[0]
    assert wait_for(lambda: any(answer in r["text"] for r in sent_to(standin, 7004)))
    assert platform_assistant.user_intents("7004")[-1] == knowledge.topics["hotline"].intent


def test_a_forged_button_press_is_refused_and_not_acknowledged(platform_assistant, standin):
    pressed = callback_query(7005, "cbq-7005", "/ask_hotline")
    assert post(platform_assistant, pressed, secret="guessed-secret").status_code == 403
    assert not [
        r
        for r in standin.received("/answerCallbackQuery")
        if r["body"].get("callback_query_id") == "cbq-7005"
    ]
    assert platform_assistant.user_texts("7005") == []
