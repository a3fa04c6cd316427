"""The WeChat connector's helpers: signatures, parsing requests, building and rendering replies."""

import asyncio
import hashlib
import xml.etree.ElementTree as ET

import pytest

from channels.wechat import (
    WeChatInput,
    WeChatRequestError,
    cdata,
    expected_signature,
    finished_within,
    knowledge_text,
    parse_message,
    render_messages,
    reply_as_message,
    text_reply,
    valid_signature,
)
from knowledge import load_knowledge

TOKEN = "wechat-test-token"


def signed(timestamp="1409304348", nonce="1442121467", token=TOKEN):
    return {
        "signature": expected_signature(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
    }


def message_xml(msg_type="text", content="this is a test", sender="oUser123", extra=""):
    return (
        "<xml><ToUserName><![CDATA[gh_xxx]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
        "<CreateTime>1348831860</CreateTime>"
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content>{extra}"
        "<MsgId>1234567890123456</MsgId></xml>"
    ).encode()


def test_the_signature_is_the_sha1_of_the_sorted_token_timestamp_and_nonce():
    parts = sorted([TOKEN, "1409304348", "1442121467"])
    assert (
        expected_signature(TOKEN, "1409304348", "1442121467")
        == hashlib.sha1("".join(parts).encode()).hexdigest()
    )
    assert valid_signature(TOKEN, signed())


@pytest.mark.parametrize(
    "query",
    [
        {},
        {**signed(), "signature": ""},
        {**signed(), "signature": "0" * 40},
        {**signed(), "nonce": "other"},
        {**signed(), "timestamp": "1409304349"},
        {**signed(), "signature": "签名"},
        signed(token="another-token"),
        {k: v for k, v in signed().items() if k != "timestamp"},
    ],
)
def test_missing_or_wrong_signatures_are_refused(query):
    assert not valid_signature(TOKEN, query)


def test_no_token_verifies_nothing():
    assert not valid_signature("", signed(token=""))


def test_a_text_message_is_parsed():
    fields = parse_message(message_xml(content="社保卡丢了怎么办"))
    assert fields["ToUserName"] == "gh_xxx"
    assert fields["FromUserName"] == "oUser123"
    assert fields["MsgType"] == "text"
    assert fields["Content"] == "社保卡丢了怎么办"
    assert fields["MsgId"] == "1234567890123456"


def test_an_event_is_parsed():
    body = (
        b"<xml><ToUserName><![CDATA[gh_xxx]]></ToUserName><FromUserName><![CDATA[oUser123]]></FromUserName>"
        b"<CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        b"<Event><![CDATA[subscribe]]></Event></xml>"
    )
    assert parse_message(body)["Event"] == "subscribe"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b"<xml><ToUserName>unclosed</xml>",
        b'{"json": true}',
        b"<other><MsgType>text</MsgType><FromUserName>o1</FromUserName></other>",
        b"<xml><FromUserName>oUser123</FromUserName></xml>",
        b"<xml><MsgType>text</MsgType></xml>",
        b"<xml><MsgType>text</MsgType><FromUserName>../other user</FromUserName></xml>",
    ],
)
def test_malformed_messages_are_refused(body):
    with pytest.raises(WeChatRequestError):
        parse_message(body)


@pytest.mark.parametrize(
    "body",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<xml><MsgType>text</MsgType><FromUserName>o1</FromUserName><Content>&lol2;</Content></xml>",
        # external entity
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<xml><MsgType>text</MsgType><FromUserName>o1</FromUserName><Content>&xxe;</Content></xml>",
    ],
)
def test_entities_and_doctypes_are_refused(body):
    with pytest.raises(WeChatRequestError):
        parse_message(body)


def test_cdata_splits_its_terminator_and_drops_illegal_characters():
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
    assert cdata("bell\x07") == "<![CDATA[bell]]>"


@pytest.mark.parametrize(
    "content",
    [
        "plain",
        "a]]>b",
        "]]>",
        "]]]]>",
        "<xml>&amp;</xml>",
        "x]]><script>alert(1)</script>",
        "bad\x00\x0bchars",
        "多行\n\n文本",
    ],
)
def test_a_reply_is_well_formed_xml_whatever_its_content(content):
    xml = text_reply("oUser]]>123", "gh_xxx", content, now=1700000000)
    root = ET.fromstring(xml)
    assert root.tag == "xml"
    assert root.findtext("ToUserName") == "oUser]]>123"
    assert root.findtext("FromUserName") == "gh_xxx"
    assert root.findtext("CreateTime") == "1700000000"
    assert root.findtext("MsgType") == "text"
    expected = content.replace("\x00", "").replace("\x0b", "")
    assert root.findtext("Content") == expected
    assert [child.tag for child in root] == [
        "ToUserName",
        "FromUserName",
        "CreateTime",
        "MsgType",
        "Content",
    ]


def test_the_reply_time_defaults_to_now():
    import time

    created = int(ET.fromstring(text_reply("o", "gh", "x")).findtext("CreateTime"))
    assert abs(created - time.time()) < 5


def test_several_messages_become_one_text_with_related_questions():
    knowledge = load_knowledge()
    messages = [
        {"text": "第一段"},
        {
            "text": "第二段",
            "buttons": [
                {"title": "所需材料", "payload": "/ask_materials"},
                {"title": "办理流程", "payload": "/ask_process"},
            ],
            "custom": {"language": "zh"},
        },
    ]
    heading = knowledge.messages.related_heading.zh
    assert render_messages(messages) == f"第一段\n\n第二段\n\n{heading}\n· 所需材料\n· 办理流程"


def test_related_questions_are_headed_in_the_answers_language():
    knowledge = load_knowledge()
    reply = knowledge.answer("materials", "en")
    text = render_messages([reply_as_message(reply)])
    assert text.startswith(reply.text)
    assert f"\n\n{knowledge.messages.related_heading.en}\n" in text
    for button in reply.buttons:
        assert f"· {button.title}" in text
    assert "/ask_" not in text  # payloads are not shown


def test_messages_without_a_language_are_rendered_in_chinese():
    heading = load_knowledge().messages.related_heading.zh
    assert (
        render_messages([{"text": "x", "buttons": [{"title": "t", "payload": "/p"}]}])
        == f"x\n\n{heading}\n· t"
    )
    unknown = {
        "text": "x",
        "buttons": [{"title": "t", "payload": "/p"}],
        "custom": {"language": "fr"},
    }
    assert render_messages([unknown]) == f"x\n\n{heading}\n· t"


def test_nothing_to_render_is_empty():
    assert render_messages([]) == ""
    assert render_messages([{"image": "http://example.invalid/x.png"}]) == ""


def test_greeting_comes_with_the_menu_and_other_messages_without():
    knowledge = load_knowledge()
    greet = knowledge_text("greet", with_menu=True)
    assert greet.startswith(knowledge.messages.greet.zh)
    assert all(f"· {knowledge.topics[t].label.zh}" in greet for t in knowledge.menu)
    assert knowledge_text("unsupported_message") == knowledge.messages.unsupported_message.zh


def test_slow_work_is_not_cancelled_when_the_wait_ends():
    async def scenario():
        done = []

        async def slow():
            await asyncio.sleep(0.2)
            done.append(True)

        in_time = await finished_within(slow(), 0.05)
        assert not in_time and not done
        await asyncio.sleep(0.3)
        return done

    assert asyncio.run(scenario()) == [True]


def test_quick_work_finishes_within_the_wait():
    async def quick():
        return 1

    assert asyncio.run(finished_within(quick(), 1.0)) is True


def test_credentials_need_a_token():
    channel = WeChatInput.from_credentials({"token": "t", "app_id": "gh_1"})
    assert (channel.token, channel.app_id, channel.name()) == ("t", "gh_1", "wechat")
    assert WeChatInput.from_credentials({"token": "t"}).app_id == ""
    with pytest.raises(Exception, match="credentials"):
        WeChatInput.from_credentials({"app_id": "gh_1"})
    with pytest.raises(Exception, match="credentials"):
        WeChatInput.from_credentials(None)


def answer_with(handler, fields):
    """The reply text WeChatInput gives for `fields`, with Rasa replaced by `handler`."""
    channel = WeChatInput("t", "gh_1")
    return asyncio.run(channel.answer(fields, handler))


TEXT = {
    "FromUserName": "oUser123",
    "ToUserName": "gh_xxx",
    "MsgType": "text",
    "Content": "社保卡丢了怎么办",
}


def test_a_text_message_goes_to_rasa_and_its_messages_are_rendered():
    received = []

    async def rasa(message):
        received.append(message)
        await message.output_channel.send_text_with_buttons(
            message.sender_id,
            "答案",
            [{"title": "12333热线", "payload": "/ask_hotline"}],
            answer={"language": "zh"},
        )

    heading = load_knowledge().messages.related_heading.zh
    assert answer_with(rasa, TEXT) == f"答案\n\n{heading}\n· 12333热线"
    (message,) = received
    assert (message.text, message.sender_id, message.input_channel) == (
        "社保卡丢了怎么办",
        "wechat:oUser123",
        "wechat",
    )


def test_a_slow_answer_gets_the_service_unavailable_text_and_still_completes(monkeypatch):
    monkeypatch.setattr("channels.wechat.REPLY_TIMEOUT", 0.05)
    finished = []

    async def slow_rasa(message):
        await asyncio.sleep(0.2)
        finished.append(message.text)

    async def scenario():
        text = await WeChatInput("t").answer(TEXT, slow_rasa)
        await asyncio.sleep(0.3)
        return text

    assert asyncio.run(scenario()) == load_knowledge().messages.service_unavailable.zh
    assert finished == ["社保卡丢了怎么办"]


def test_a_failing_assistant_gets_the_service_unavailable_text():
    async def broken_rasa(message):
        raise RuntimeError("action server down")

    assert answer_with(broken_rasa, TEXT) == load_knowledge().messages.service_unavailable.zh


async def rasa_must_not_be_called(message):
    raise AssertionError("Rasa was called")


@pytest.mark.parametrize(
    "msg_type", ["image", "voice", "video", "shortvideo", "location", "link", "file"]
)
def test_media_messages_do_not_reach_rasa(msg_type):
    fields = {**TEXT, "MsgType": msg_type}
    assert (
        answer_with(rasa_must_not_be_called, fields)
        == load_knowledge().messages.unsupported_message.zh
    )


def test_events_do_not_reach_rasa():
    subscribe = {**TEXT, "MsgType": "event", "Event": "subscribe"}
    assert answer_with(rasa_must_not_be_called, subscribe).startswith(
        load_knowledge().messages.greet.zh
    )
    for event in ("unsubscribe", "CLICK", "VIEW", "SCAN"):
        assert (
            answer_with(rasa_must_not_be_called, {**TEXT, "MsgType": "event", "Event": event})
            is None
        )
