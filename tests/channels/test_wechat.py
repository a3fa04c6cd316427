"""The WeChat Official Account connector against the real assistant, in WeChat's own payload format."""

import hashlib
import time
import uuid
import xml.etree.ElementTree as ET
from typing import Optional

import pytest
import requests

from tests.channels.conftest import PLATFORM_ENV

TOKEN = PLATFORM_ENV["WECHAT_TOKEN"]
ACCOUNT = PLATFORM_ENV["WECHAT_APP_ID"]


def signed_query(token: str = TOKEN, **extra: str) -> dict:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce, **extra}


def new_openid() -> str:
    return "oTest" + uuid.uuid4().hex[:23]


def message_xml(
    openid: str, msg_type: str = "text", body: str = "", to_user: str = "gh_test_account"
) -> str:
    to = f"<ToUserName><![CDATA[{to_user}]]></ToUserName>" if to_user else ""
    return (
        f"<xml>{to}<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"{body}</xml>"
    )


def text_xml(openid: str, text: str) -> str:
    body = f"<Content><![CDATA[{text}]]></Content><MsgId>{uuid.uuid4().int % 10**16}</MsgId>"
    return message_xml(openid, "text", body)


class WeChat:
    """Posts to the connector as WeChat's servers do."""

    def __init__(self, assistant) -> None:
        self.url = f"{assistant.base}/webhooks/wechat/webhook"

    def get(self, params: dict) -> requests.Response:
        return requests.get(self.url, params=params, timeout=30)

    def post(self, xml: str, params: Optional[dict] = None) -> requests.Response:
        params = signed_query(openid="o") if params is None else params
        return requests.post(
            self.url,
            params=params,
            data=xml.encode("utf-8"),
            headers={"Content-Type": "text/xml"},
            timeout=30,
        )

    def reply(self, xml: str) -> ET.Element:
        """The passive reply to a signed message, parsed."""
        answer = self.post(xml)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/xml")
        return ET.fromstring(answer.content)

    def say(self, openid: str, text: str) -> str:
        reply = self.reply(text_xml(openid, text))
        assert reply.findtext("MsgType") == "text"
        return reply.findtext("Content")


@pytest.fixture(scope="module")
def wechat(platform_assistant):
    # The first turn after start-up loads models; WeChat's 5-second budget is for warm servers.
    platform_assistant.say("wechat-warm-up", "你好")
    return WeChat(platform_assistant)


def test_the_server_verification_echoes_echostr_when_signed(wechat):
    answer = wechat.get(signed_query(echostr="4803716712345"))
    assert answer.status_code == 200
    assert answer.text == "4803716712345"
    assert answer.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"echostr": "123"},
        {**signed_query(echostr="123"), "signature": "0" * 40},
        signed_query(token="not-the-token", echostr="123"),
        {key: value for key, value in signed_query(echostr="123").items() if key != "nonce"},
    ],
)
def test_the_server_verification_is_refused_when_not_signed(wechat, params):
    answer = wechat.get(params)
    assert answer.status_code == 403
    assert "123" not in answer.text


def test_a_chinese_question_gets_a_passive_text_reply(wechat):
    openid = new_openid()
    before = int(time.time())
    reply = wechat.reply(text_xml(openid, "社保卡丢了怎么办"))
    assert reply.findtext("ToUserName") == openid
    assert reply.findtext("FromUserName") == ACCOUNT
    assert reply.findtext("MsgType") == "text"
    assert before - 1 <= int(reply.findtext("CreateTime")) <= time.time() + 1
    assert "挂失" in reply.findtext("Content")


def test_an_english_question_gets_an_english_answer_with_related_questions(wechat, knowledge):
    content = wechat.say(new_openid(), "what documents do I need")
    assert "hukou" in content.lower()
    assert f"\n\n{knowledge.messages.related_heading.en}\n· " in content


def test_a_related_question_typed_back_is_understood(wechat, knowledge):
    openid = new_openid()
    greeting = wechat.say(openid, "你好")
    label = knowledge.topics["materials"].label.zh
    assert f"· {label}" in greeting
    assert knowledge.topics["materials"].answer.zh in wechat.say(openid, label)


def test_a_follow_up_uses_the_remembered_region(wechat):
    openid = new_openid()
    wechat.say(openid, "我在成都")
    assert "成都市人力资源和社会保障局" in wechat.say(openid, "在哪里办")


@pytest.mark.parametrize(
    "params",
    [
        {"openid": "o"},
        {**signed_query(openid="o"), "signature": "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        signed_query(token="not-the-token", openid="o"),
        {key: value for key, value in signed_query(openid="o").items() if key != "timestamp"},
    ],
)
def test_an_unsigned_message_is_refused_and_not_answered(wechat, params):
    openid = new_openid()
    forged = wechat.post(text_xml(openid, "我在成都"), params=params)
    assert forged.status_code == 403
    assert "<xml" not in forged.text
    # Had the forged message reached the assistant, it would remember Chengdu.
    assert "成都" not in wechat.say(openid, "在哪里办")


@pytest.mark.parametrize(
    "body",
    [
        "<xml><FromUserName>unclosed</xml>",
        "not xml",
        '{"json": true}',
        "",
        '<!DOCTYPE x [<!ENTITY e "boom">]><xml><MsgType>text</MsgType><FromUserName>o1</FromUserName>'
        "<Content>&e;</Content></xml>",
    ],
)
def test_malformed_xml_is_refused(wechat, body):
    assert wechat.post(body).status_code == 400


def test_an_oversized_body_is_refused(wechat):
    answer = wechat.post(text_xml(new_openid(), "卡" * 40_000))
    assert answer.status_code == 413


@pytest.mark.parametrize(
    "msg_type", ["image", "voice", "video", "shortvideo", "location", "link", "file"]
)
def test_media_messages_get_the_unsupported_message_text(wechat, knowledge, msg_type):
    body = "<PicUrl><![CDATA[http://example.invalid/x.jpg]]></PicUrl><MediaId><![CDATA[media]]></MediaId>"
    openid = new_openid()
    reply = wechat.reply(message_xml(openid, msg_type, body))
    assert reply.findtext("Content") == knowledge.messages.unsupported_message.zh
    assert reply.findtext("ToUserName") == openid


def test_without_a_to_user_the_reply_comes_from_the_configured_account(wechat):
    reply = wechat.reply(message_xml(new_openid(), "image", to_user=""))
    assert reply.findtext("FromUserName") == ACCOUNT


def test_a_new_follower_is_greeted_with_the_menu(wechat, knowledge):
    body = "<Event><![CDATA[subscribe]]></Event>"
    content = wechat.reply(message_xml(new_openid(), "event", body)).findtext("Content")
    assert content.startswith(knowledge.messages.greet.zh)
    assert knowledge.messages.related_heading.zh in content
    for topic in knowledge.menu:
        assert f"· {knowledge.topics[topic].label.zh}" in content


@pytest.mark.parametrize(
    "body",
    [
        "<Event><![CDATA[unsubscribe]]></Event>",
        "<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[V1001_TODAY_MUSIC]]></EventKey>",
        "<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[http://example.invalid/]]></EventKey>",
    ],
)
def test_other_events_get_no_reply(wechat, body):
    answer = wechat.post(message_xml(new_openid(), "event", body))
    assert answer.status_code == 200
    assert answer.text == "success"
