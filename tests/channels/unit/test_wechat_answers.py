"""What the WeChat connector answers, with Rasa replaced by a function: what each kind of
message becomes, the passive deadline, late answers, and retries answered once."""

import asyncio

import pytest

import channels.wechat as wechat
from channels.deliveries import MemoryLedger
from channels.resilience import apologize_when_silent
from channels.wechat import (
    Delivery,
    Notice,
    Turn,
    WeChatAccount,
    WeChatInput,
    read_message,
    what_was_sent,
)
from channels.wechat_menu import click_key
from knowledge.base import button_payload


def xml(msg_type, body="", sender="oUser123", msg_id="1234567890123456"):
    return (
        "<xml><ToUserName>gh_xxx</ToUserName>"
        f"<FromUserName>{sender}</FromUserName><CreateTime>1348831860</CreateTime>"
        f"<MsgType>{msg_type}</MsgType>{body}"
        + (f"<MsgId>{msg_id}</MsgId>" if msg_id else "")
        + "</xml>"
    )


def sent(msg_type, body="", **kwargs):
    return what_was_sent(read_message(xml(msg_type, body, **kwargs)))


def test_text_is_a_turn():
    assert sent("text", "<Content>社保卡丢了</Content>") == Turn("社保卡丢了")


def test_voice_is_a_turn_of_its_recognition_or_a_notice_that_text_works():
    assert sent("voice", "<Recognition>社保卡丢了。</Recognition>") == Turn("社保卡丢了。")
    assert sent("voice", "<Recognition> </Recognition>") == Notice("voice_unrecognised")
    assert sent("voice", "<MediaId>m</MediaId>") == Notice("voice_unrecognised")


@pytest.mark.parametrize(
    "msg_type, notice",
    [
        ("image", "image_message"),
        ("location", "location_message"),
        ("video", "unsupported_message"),
        ("link", "unsupported_message"),
        ("file", "unsupported_message"),
        ("a_future_type", "unsupported_message"),
    ],
)
def test_other_messages_are_notices(msg_type, notice):
    assert sent(msg_type) == Notice(notice)


def test_a_menu_click_is_the_topics_quick_reply_in_the_buttons_language(knowledge):
    body = f"<Event>CLICK</Event><EventKey>{click_key('fees', 'en')}</EventKey>"
    assert sent("event", body, msg_id=None) == Turn(
        button_payload(knowledge.topics["fees"].intent, "en"), "en"
    )


@pytest.mark.parametrize(
    "key", ["V1001_TODAY_MUSIC", "topic:no_such_topic:zh", "topic:fees:fr", ""]
)
def test_an_unknown_menu_key_gets_the_help_with_the_menu(key):
    body = f"<Event>CLICK</Event><EventKey>{key}</EventKey>"
    assert sent("event", body, msg_id=None) == Notice("help", with_menu=True)


@pytest.mark.parametrize("key", ["", "<EventKey>qrscene_42</EventKey>"])
def test_a_new_follower_gets_the_greeting_with_the_menu(key):
    assert sent("event", f"<Event>subscribe</Event>{key}", msg_id=None) == Notice(
        "greet", with_menu=True
    )


@pytest.mark.parametrize("event", ["unsubscribe", "VIEW", "LOCATION", "SCAN", "NEW_THING"])
def test_other_events_get_nothing(event):
    assert sent("event", f"<Event>{event}</Event>", msg_id=None) is None


def delivery(text="社保卡丢了怎么办", msg_id="42"):
    message = read_message(xml("text", f"<Content>{text}</Content>", msg_id=msg_id))
    return Delivery(message, False, "nonce")


class FakeService:
    def __init__(self):
        self.sent = []

    async def send(self, openid, text):
        self.sent.append((openid, text))
        return True


def rasa_answering(text, delay=0.0, calls=None):
    async def rasa(message):
        if calls is not None:
            calls.append(message.text)
        await asyncio.sleep(delay)
        await message.output_channel.send_response(
            message.sender_id, {"text": text, "answer": {"language": "zh"}}
        )

    return rasa


def answer(channel, handler, item, within=1.0, settle=0.0):
    """The passive reply to `item`; then `settle` seconds for late work to finish."""

    async def scenario():
        loop = asyncio.get_running_loop()
        result = await channel.reply_once(
            item, apologize_when_silent(handler), loop.time() + within
        )
        await asyncio.sleep(settle)
        return result

    return asyncio.run(scenario())


def test_a_quick_answer_is_the_passive_reply_and_reaches_rasa_as_the_users_turn():
    calls = []
    channel = WeChatInput(WeChatAccount("t"))
    assert answer(channel, rasa_answering("答案", calls=calls), delivery()) == "答案"
    assert calls == ["社保卡丢了怎么办"]


def test_a_slow_answer_without_the_api_is_the_apology_and_the_turn_still_finishes(knowledge):
    calls = []
    channel = WeChatInput(WeChatAccount("t"))
    reply = answer(
        channel, rasa_answering("答案", delay=0.3, calls=calls), delivery(), within=0.1, settle=0.4
    )
    assert reply == knowledge.messages.service_unavailable.zh
    assert calls == ["社保卡丢了怎么办"]


def test_a_slow_answer_with_the_api_is_success_then_sent_when_ready():
    service = FakeService()
    channel = WeChatInput(WeChatAccount("t"), service)
    reply = answer(channel, rasa_answering("答案", delay=0.3), delivery(), within=0.1, settle=0.4)
    assert reply is None  # "success"
    assert service.sent == [("oUser123", "答案")]


def test_a_failing_assistant_gets_the_apology(knowledge):
    async def broken(message):
        raise RuntimeError("action server down")

    reply = answer(WeChatInput(WeChatAccount("t")), broken, delivery("what do I need?"))
    assert reply == knowledge.messages.service_unavailable.en


def test_a_retry_gets_the_first_replies_without_a_new_turn():
    calls = []
    channel = WeChatInput(WeChatAccount("t"), ledger=MemoryLedger())
    handler = rasa_answering("答案", calls=calls)
    assert [answer(channel, handler, delivery()) for _ in range(3)] == ["答案"] * 3
    assert calls == ["社保卡丢了怎么办"]


def test_a_retry_during_a_slow_answer_waits_for_the_first_reply(monkeypatch, knowledge):
    monkeypatch.setattr(wechat, "RETRY_POLL_SECONDS", 0.01)
    calls = []
    channel = WeChatInput(WeChatAccount("t"), ledger=MemoryLedger())
    handler = apologize_when_silent(rasa_answering("答案", delay=0.2, calls=calls))

    async def scenario():
        loop = asyncio.get_running_loop()
        first = asyncio.ensure_future(channel.reply_once(delivery(), handler, loop.time() + 1))
        await asyncio.sleep(0.05)
        retry = await channel.reply_once(delivery(), handler, loop.time() + 1)
        return await first, retry

    first, retry = asyncio.run(scenario())
    assert first == retry == "答案"
    assert calls == ["社保卡丢了怎么办"]


def test_a_retry_of_a_message_still_unanswered_at_its_deadline(monkeypatch, knowledge):
    monkeypatch.setattr(wechat, "RETRY_POLL_SECONDS", 0.01)
    ledger = MemoryLedger()

    async def scenario(service):
        channel = WeChatInput(WeChatAccount("t"), service, ledger)
        await ledger.claim(delivery().key)  # another instance is answering it
        loop = asyncio.get_running_loop()
        return await channel.reply_once(delivery(), rasa_answering("x"), loop.time() + 0.1)

    assert asyncio.run(scenario(None)) == knowledge.messages.service_unavailable.zh
    ledger = MemoryLedger()
    assert asyncio.run(scenario(FakeService())) is None


def test_an_unreachable_ledger_does_not_silence_the_assistant():
    class Broken:
        async def claim(self, key):
            raise ConnectionError("redis down")

        async def record(self, key, reply):
            raise ConnectionError("redis down")

        async def recorded(self, key):
            raise ConnectionError("redis down")

    channel = WeChatInput(WeChatAccount("t"), ledger=Broken())
    assert answer(channel, rasa_answering("答案"), delivery()) == "答案"


def test_an_answer_too_long_for_one_reply_goes_whole_through_the_api():
    service = FakeService()
    channel = WeChatInput(WeChatAccount("t"), service)
    long_answer = "\n\n".join(["段落" * 200] * 3)  # 3 x 1,200 bytes
    assert answer(channel, rasa_answering(long_answer), delivery(), settle=0.1) is None
    assert service.sent == [("oUser123", long_answer)]


def test_an_answer_too_long_without_the_api_is_cut_at_a_paragraph():
    long_answer = "\n\n".join(["段落" * 200] * 3)
    reply = answer(WeChatInput(WeChatAccount("t")), rasa_answering(long_answer), delivery())
    assert reply == "段落" * 200
