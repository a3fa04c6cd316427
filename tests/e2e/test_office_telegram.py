"""A platform whose output channel can send later: Telegram (against a local stand-in for
its Bot API). A person's replies reach the chat; the rating buttons are ratings."""

import json
import sqlite3
import time

import pytest
import requests

from tests.channels.conftest import PLATFORM_ENV, telegram_api
from tests.channels.standin import StandIn, wait_for
from tests.channels.test_telegram import WEBHOOK, update
from tests.office import AGENT, console_call, running_office

pytestmark = pytest.mark.timeout(600)
TELEGRAM = {key: value for key, value in PLATFORM_ENV.items() if key.startswith("TELEGRAM_")}


@pytest.fixture(scope="module")
def telegram(tmp_path_factory):
    bot_api = StandIn()
    bot_api.on("/bot" + TELEGRAM["TELEGRAM_TOKEN"] + "/", telegram_api)
    env = {**TELEGRAM, "TELEGRAM_API_URL": bot_api.url}
    with running_office(tmp_path_factory.mktemp("telegram"), env=env) as office:
        yield office, bot_api
    bot_api.close()


def post(office, body):
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM["TELEGRAM_SECRET_TOKEN"]}
    answer = requests.post(office.base + WEBHOOK, json=body, headers=headers, timeout=60)
    assert answer.status_code == 200


def sent(bot_api, chat_id):
    return [
        r["body"]
        for r in bot_api.received("/sendMessage")
        if str(r["body"].get("chat_id")) == str(chat_id)
    ]


def button_data(message):
    markup = message.get("reply_markup")
    markup = json.loads(markup) if isinstance(markup, str) else markup or {}
    return [
        button.get("callback_data") for row in markup.get("inline_keyboard", []) for button in row
    ]


def test_a_person_s_reply_reaches_the_telegram_chat(telegram, knowledge):
    office, bot_api = telegram
    session = office.agent_session()
    console_call(session, office, "api/duty", {"on_duty": True})
    time.sleep(2.5)
    post(office, update(8001, "转人工"))
    waiting = wait_for(lambda: sent(bot_api, 8001))
    assert waiting[0]["text"] == knowledge.messages.handover_waiting.zh.format(position=1)
    console_call(session, office, "api/conversations/8001/reply", {"text": "您好，我是工作人员。"})
    assert wait_for(lambda: [m for m in sent(bot_api, 8001) if m["text"] == "您好，我是工作人员。"])
    console_call(session, office, "api/conversations/8001/hand_back")
    left = knowledge.messages.agent_left.zh.format(agent=AGENT)
    assert wait_for(lambda: [m for m in sent(bot_api, 8001) if m["text"] == left])
    console_call(session, office, "api/duty", {"on_duty": False})


def test_rating_buttons_on_telegram_are_ratings(telegram, knowledge):
    office, bot_api = telegram
    post(office, update(8002, "社保卡丢了怎么办"))
    answer = wait_for(lambda: [m for m in sent(bot_api, 8002) if "挂失" in m["text"]])
    # Callback data is written compactly (Telegram allows 64 bytes): compare what it says.
    assert [" ".join(data.split()) for data in button_data(answer[-1])[-2:]] == [
        '/feedback{"rating":1}',
        '/feedback{"rating":-1}',
    ]
    press = {
        "update_id": 9002,
        "callback_query": {
            "id": "1",
            "from": {"id": 8002, "is_bot": False, "first_name": "Li"},
            "message": {
                "message_id": 2,
                "date": 1700000000,
                "chat": {"id": 8002, "type": "private"},
                "text": "x",
            },
            "chat_instance": "1",
            "data": '/feedback{"rating": 1}',
        },
    }
    post(office, press)
    assert wait_for(
        lambda: [
            m for m in sent(bot_api, 8002) if m["text"] == knowledge.messages.feedback_thanks.zh
        ]
    )
    with sqlite3.connect(str(office.tracker_db)) as db:
        rows = db.execute(
            "SELECT topic, rating, channel FROM feedback WHERE sender_id = '8002'"
        ).fetchall()
    assert rows == [("lost_card", 1, "telegram")]
