"""The WeChat Official Account connector against the running assistant, in WeChat's wire
formats: plaintext, 兼容模式 and 安全模式 (encrypted), signed as WeChat signs.

This account has no AppSecret (no customer-service API): an answer that misses the
passive reply's five seconds is the apology naming 12333. tests/channels/test_wechat_service.py
covers the API, several instances and Redis.
"""

import threading
import time
import xml.etree.ElementTree as ET

import pytest
import requests
from wechatpy.crypto import WeChatCrypto

from channels.wechat_menu import load_menu, wechat_menu
from tests.channels.conftest import PLATFORM_ENV, SLOW, SLOW_SECONDS
from tests.channels.standin import wait_for
from tests.channels.wechat_platform import (
    ACCOUNT,
    WeChatServer,
    event_xml,
    message_xml,
    new_msg_id,
    new_openid,
    text_xml,
    voice_xml,
)

TOKEN = PLATFORM_ENV["WECHAT_TOKEN"]
APP_ID = PLATFORM_ENV["WECHAT_APP_ID"]
AES_KEY = PLATFORM_ENV["WECHAT_ENCODING_AES_KEY"]
MODES = ["plain", "compat", "safe"]


@pytest.fixture(scope="module")
def wechat(platform_assistant):
    # The first turn after start-up loads models; WeChat's 5-second budget is for warm servers.
    platform_assistant.say("wechat-warm-up", "你好")
    return WeChatServer(platform_assistant.base, TOKEN, APP_ID, AES_KEY)


def stored(assistant, openid):
    return assistant.user_texts("wechat:" + openid)


def wechat_get(wechat, params):
    return requests.get(wechat.url, params=params, timeout=30)


# --- verification, signatures and replays -------------------------------------------------


def test_the_server_verification_echoes_echostr_when_signed(wechat):
    answer = wechat_get(wechat, wechat.signed_query(echostr="4803716712345"))
    assert answer.status_code == 200
    assert answer.text == "4803716712345"
    assert answer.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        lambda w: {"echostr": "123"},
        lambda w: {**w.signed_query(echostr="123"), "signature": "0" * 40},
        lambda w: w.signed_query(token="not-the-token", echostr="123"),
        lambda w: {k: v for k, v in w.signed_query(echostr="123").items() if k != "nonce"},
        lambda w: w.signed_query(timestamp=int(time.time()) - 3600, echostr="123"),
    ],
    ids=["unsigned", "wrong-signature", "other-token", "no-nonce", "an-hour-old"],
)
def test_the_server_verification_is_refused_when_not_signed_now(wechat, params):
    answer = wechat_get(wechat, params(wechat))
    assert answer.status_code == 403
    assert "123" not in answer.text


@pytest.mark.parametrize("mode", MODES)
def test_a_chinese_question_gets_an_answer_in_the_mode_it_was_asked(wechat, mode):
    openid = new_openid()
    before = int(time.time())
    answer = wechat.post(text_xml(openid, "社保卡丢了怎么办"), mode)
    reply = wechat.read_reply(answer, encrypted=mode != "plain")
    assert reply.findtext("ToUserName") == openid
    assert reply.findtext("FromUserName") == ACCOUNT
    assert reply.findtext("MsgType") == "text"
    assert before - 1 <= int(reply.findtext("CreateTime")) <= time.time() + 1
    assert "挂失" in reply.findtext("Content")


def test_an_encrypted_reply_is_readable_only_with_the_accounts_key(wechat):
    answer = wechat.post(text_xml(new_openid(), "我的社保卡丢了"), "safe")
    assert "挂失" in wechat.read_reply(answer, encrypted=True).findtext("Content")
    assert "挂失" not in answer.text
    sealed = ET.fromstring(answer.content)
    try:
        other = WeChatCrypto(TOKEN, "a" * 43, APP_ID).decrypt_message(
            answer.text,
            sealed.findtext("MsgSignature"),
            sealed.findtext("TimeStamp"),
            sealed.findtext("Nonce"),
        )
    except Exception:  # another key reads nothing, or garbage
        other = ""
    assert "挂失" not in other


def forged(wechat, xml, name):
    """The body and query of a request that must be refused."""
    now = int(time.time())
    signed = wechat.signed_query(openid="o")
    fresh = wechat.signed_query(openid="o")
    if name == "unsigned":
        return xml, {"openid": "o"}
    if name == "wrong-signature":
        return xml, {**signed, "signature": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}
    if name == "other-token":
        return xml, wechat.signed_query(token="not-the-token", openid="o")
    if name == "no-timestamp":
        return xml, {k: v for k, v in signed.items() if k != "timestamp"}
    if name == "ten-minutes-old":
        return xml, wechat.signed_query(timestamp=now - 600, openid="o")
    if name == "ten-minutes-ahead":
        return xml, wechat.signed_query(timestamp=now + 600, openid="o")
    if name == "wrong-msg-signature":
        body, query = wechat.encrypted(xml, "safe", fresh)
        return body, {**query, "msg_signature": "0" * 40}
    if name == "another-key":
        return wechat.encrypted(xml, "safe", fresh, WeChatCrypto(TOKEN, "b" * 43, APP_ID))
    if name == "another-appid":
        return wechat.encrypted(xml, "safe", fresh, WeChatCrypto(TOKEN, AES_KEY, "wx" + "f" * 16))
    if name == "encrypted-and-stale":
        return wechat.encrypted(xml, "safe", wechat.signed_query(timestamp=now - 900))
    raise AssertionError(name)


@pytest.mark.parametrize(
    "name",
    [
        "unsigned",
        "wrong-signature",
        "other-token",
        "no-timestamp",
        "ten-minutes-old",
        "ten-minutes-ahead",
        "wrong-msg-signature",
        "another-key",
        "another-appid",
        "encrypted-and-stale",
    ],
)
def test_forged_and_stale_requests_are_refused_and_not_stored(wechat, platform_assistant, name):
    openid = new_openid()
    body, query = forged(wechat, text_xml(openid, "我在成都"), name)
    answer = requests.post(wechat.url, params=query, data=body.encode(), timeout=30)
    assert answer.status_code in (400, 403)
    assert "<xml" not in answer.text
    assert stored(platform_assistant, openid) == []


@pytest.mark.parametrize(
    "body",
    [
        "<xml><FromUserName>unclosed</xml>",
        "not xml",
        '{"json": true}',
        "",
        '<!DOCTYPE x [<!ENTITY e "boom">]><xml><MsgType>text</MsgType><FromUserName>o1</FromUserName>'
        "<Content>&e;</Content></xml>",
        "<xml><ToUserName>gh_1</ToUserName><MsgType>text</MsgType><Content>hi</Content></xml>",
        message_xml("../another user", "text", "<Content>hi</Content>"),
    ],
)
def test_malformed_messages_are_refused(wechat, body):
    assert wechat.post(body).status_code == 400


def test_an_oversized_body_is_refused(wechat):
    assert wechat.post(text_xml(new_openid(), "卡" * 40_000)).status_code == 413


# --- once per message ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_three_deliveries_of_one_message_are_one_turn_with_one_reply(
    wechat, platform_assistant, mode
):
    openid = new_openid()
    xml = text_xml(openid, "社保卡丢了怎么办", msg_id=new_msg_id())
    replies = [wechat.reply(xml, mode).findtext("Content") for _ in range(3)]
    assert "挂失" in replies[0]
    assert replies[1] == replies[0] and replies[2] == replies[0]
    assert stored(platform_assistant, openid) == ["社保卡丢了怎么办"]


def test_retries_while_a_slow_answer_is_pending_get_the_apology_and_make_no_new_turn(
    wechat, platform_assistant, knowledge
):
    openid = new_openid(SLOW)
    xml = text_xml(openid, "what documents do I need?")
    results = {}

    def deliver(number):
        started = time.monotonic()
        answer = wechat.post(xml)
        results[number] = (time.monotonic() - started, wechat.read_reply(answer, False))

    # WeChat delivers again when it has no answer: here sooner than its 5 s, to overlap.
    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(1)
    for thread in threads:
        thread.join(30)
    apology = knowledge.messages.service_unavailable.en
    assert len(results) == 3  # every delivery got its passive reply
    for elapsed, reply in results.values():
        assert elapsed < 5, "WeChat gives up after five seconds"
        assert reply.findtext("Content") == apology
    assert "12333" in apology
    # The turn itself finishes later and is stored, once: a retry taken for a new turn
    # would wait for the conversation's lock and be stored one slow answer later.
    assert wait_for(lambda: stored(platform_assistant, openid), timeout=SLOW_SECONDS + 10)
    time.sleep(2 * SLOW_SECONDS + 2)
    assert stored(platform_assistant, openid) == ["what documents do I need?"]


def test_a_slow_answer_without_the_api_is_the_apology_in_time(wechat, knowledge):
    started = time.monotonic()
    content = wechat.say(new_openid(SLOW), "社保卡丢了怎么办", "safe")
    assert time.monotonic() - started < 5
    assert content == knowledge.messages.service_unavailable.zh


def test_events_are_handled_once_by_sender_and_time(wechat, knowledge):
    xml = event_xml(new_openid(), "subscribe")
    first, again = (wechat.reply(xml).findtext("Content") for _ in range(2))
    assert first.startswith(knowledge.messages.greet.zh) and again == first


# --- what people send ---------------------------------------------------------------------


def test_an_english_question_gets_an_english_answer_with_related_questions(wechat, knowledge):
    content = wechat.say(new_openid(), "what documents do I need")
    assert "hukou" in content.lower()
    assert f"\n\n{knowledge.messages.related_heading.en}\n· " in content


def test_a_related_question_typed_back_is_understood(wechat, knowledge):
    openid = new_openid()
    greeting = wechat.say(openid, "你好")
    label = knowledge.topics["materials"].label.zh
    assert f"· {label}" in greeting
    assert knowledge.topics["materials"].answer_text("zh") in wechat.say(openid, label)


def test_a_follow_up_uses_the_remembered_region(wechat):
    openid = new_openid()
    wechat.say(openid, "我在成都", "compat")
    assert "成都市人力资源和社会保障局" in wechat.say(openid, "在哪里办", "safe")


@pytest.mark.parametrize(
    "recognition, language", [("社保卡丢了怎么办。", "zh"), ("I lost my card.", "en")]
)
def test_a_voice_message_is_answered_from_its_recognition(
    wechat, platform_assistant, knowledge, recognition, language
):
    openid = new_openid()
    reply = wechat.reply(voice_xml(openid, recognition), "safe")
    assert knowledge.topics["lost_card"].answer_text(language) in reply.findtext("Content")
    assert platform_assistant.user_intents("wechat:" + openid) == ["report_lost_card"]


@pytest.mark.parametrize("recognition", [None, "", "  "])
def test_a_voice_message_without_recognition_is_told_that_text_works(
    wechat, platform_assistant, knowledge, recognition
):
    openid = new_openid()
    reply = wechat.reply(voice_xml(openid, recognition))
    assert reply.findtext("Content") == knowledge.messages.voice_unrecognised.zh
    assert stored(platform_assistant, openid) == []


@pytest.mark.parametrize(
    "msg_type, body, message",
    [
        ("image", "<PicUrl><![CDATA[http://example.invalid/x.jpg]]></PicUrl>", "image_message"),
        (
            "location",
            "<Location_X>30.66</Location_X><Location_Y>104.06</Location_Y><Scale>15</Scale>"
            "<Label><![CDATA[四川省成都市]]></Label>",
            "location_message",
        ),
        ("video", "<MediaId><![CDATA[m]]></MediaId>", "unsupported_message"),
        ("shortvideo", "<MediaId><![CDATA[m]]></MediaId>", "unsupported_message"),
        ("link", "<Url><![CDATA[http://example.invalid/]]></Url>", "unsupported_message"),
        ("file", "<FileKey><![CDATA[k]]></FileKey>", "unsupported_message"),
    ],
)
def test_other_messages_get_a_clear_reply(wechat, knowledge, msg_type, body, message):
    openid = new_openid()
    reply = wechat.reply(message_xml(openid, msg_type, body + f"<MsgId>{new_msg_id()}</MsgId>"))
    assert reply.findtext("Content") == getattr(knowledge.messages, message).zh
    assert reply.findtext("ToUserName") == openid


@pytest.mark.parametrize("event, key", [("subscribe", None), ("subscribe", "qrscene_123")])
def test_a_new_follower_is_greeted_with_the_menu(wechat, knowledge, event, key):
    content = wechat.reply(event_xml(new_openid(), event, key), "safe").findtext("Content")
    assert content.startswith(knowledge.messages.greet.zh)
    assert knowledge.messages.related_heading.zh in content
    for topic in knowledge.menu:
        assert f"· {knowledge.topics[topic].label.zh}" in content


def menu_buttons():
    """(group language, button) of every button of the menu file, as pushed to WeChat."""
    menu = load_menu()
    pushed = wechat_menu(menu)
    return [
        (group.language, button)
        for group, pushed_group in zip(menu.groups, pushed["button"])
        for button in pushed_group["sub_button"]
    ]


@pytest.mark.parametrize(
    "language, button", menu_buttons(), ids=lambda v: v["key"] if isinstance(v, dict) else v
)
def test_a_menu_click_is_answered_as_its_topic_in_its_language(
    wechat, platform_assistant, knowledge, language, button
):
    openid = new_openid()
    content = wechat.reply(event_xml(openid, "CLICK", button["key"])).findtext("Content")
    (topic,) = [t for t, v in knowledge.topics.items() if v.label.get(language) == button["name"]]
    assert knowledge.topics[topic].answer_text(language) in content
    assert platform_assistant.user_intents("wechat:" + openid) == [knowledge.topics[topic].intent]


def test_a_click_on_an_unknown_menu_key_gets_the_help_with_the_menu(wechat, knowledge):
    content = wechat.reply(event_xml(new_openid(), "CLICK", "V1001_TODAY_MUSIC")).findtext(
        "Content"
    )
    assert content.startswith(knowledge.messages.help.zh)
    assert knowledge.messages.related_heading.zh in content


@pytest.mark.parametrize(
    "event, key",
    [
        ("unsubscribe", None),
        ("VIEW", "http://example.invalid/"),
        ("LOCATION", None),
        ("TEMPLATESENDJOBFINISH", None),
        ("SOME_FUTURE_EVENT", None),
    ],
)
def test_other_events_get_no_reply(wechat, platform_assistant, event, key):
    openid = new_openid()
    answer = wechat.post(event_xml(openid, event, key))
    assert answer.status_code == 200
    assert answer.text == "success"
    assert stored(platform_assistant, openid) == []
