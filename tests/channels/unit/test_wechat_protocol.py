"""The WeChat connector's side of the protocol: signatures, the replay window, the crypto
(on the platform documentation's published sample), parsing, and the passive reply."""

import hashlib
import time
import xml.etree.ElementTree as ET

import pytest
from wechatpy.crypto import WeChatCrypto

from channels.wechat import (
    Delivery,
    RefusedRequest,
    WeChatAccount,
    read_message,
)

# The sample of WeChat's message encryption guide (WXBizMsgCrypt's demo): a 兼容模式
# message, with its published msg_signature.
SAMPLE_TOKEN = "spamtest"
SAMPLE_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_APP_ID = "wx2c2769f8efd9abc2"
SAMPLE_TIMESTAMP = "1409735669"
SAMPLE_NONCE = "1320562132"
SAMPLE_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
SAMPLE_BODY = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA["
    "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType>"
    "<![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728"
    "</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+"
    "LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C4"
    "1IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6"
    "KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1"
    "DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
    "]]></Encrypt></xml>"
)

TOKEN = "wechat-test-token"


def sha1(*parts):
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed(token=TOKEN, timestamp=None, nonce="1442121467", **extra):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "signature": sha1(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        **extra,
    }


def sample_query(**extra):
    return {
        "signature": sha1(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE),
        "timestamp": SAMPLE_TIMESTAMP,
        "nonce": SAMPLE_NONCE,
        "encrypt_type": "aes",
        "msg_signature": SAMPLE_MSG_SIGNATURE,
        **extra,
    }


def sample_account():
    return WeChatAccount(SAMPLE_TOKEN, SAMPLE_APP_ID, SAMPLE_AES_KEY)


def test_the_published_sample_is_decrypted_when_it_is_fresh():
    delivery = sample_account().read(sample_query(), SAMPLE_BODY.encode(), int(SAMPLE_TIMESTAMP))
    assert delivery.encrypted
    assert delivery.message.content == "abcdteT"
    assert delivery.message.source == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert delivery.key == "gh_10f6c3c3ac5a:msg:6054768590064713728"


def test_the_published_sample_replayed_today_is_refused_as_stale():
    with pytest.raises(RefusedRequest) as refused:
        sample_account().read(sample_query(), SAMPLE_BODY.encode(), time.time())
    assert refused.value.status == 403 and "stale" in refused.value.reason


@pytest.mark.parametrize(
    "change, status",
    [
        ({"msg_signature": "0" * 40}, 403),
        ({"msg_signature": ""}, 403),
        ({"nonce": "1320562133"}, 403),  # the plain signature no longer matches
    ],
)
def test_a_tampered_sample_is_refused(change, status):
    with pytest.raises(RefusedRequest) as refused:
        sample_account().read(sample_query(**change), SAMPLE_BODY.encode(), int(SAMPLE_TIMESTAMP))
    assert refused.value.status == status


def test_the_sample_for_another_appid_is_refused():
    account = WeChatAccount(SAMPLE_TOKEN, "wx" + "0" * 16, SAMPLE_AES_KEY)
    with pytest.raises(RefusedRequest, match="another AppID"):
        account.read(sample_query(), SAMPLE_BODY.encode(), int(SAMPLE_TIMESTAMP))


def test_an_encrypted_message_to_an_account_without_a_key_is_refused_with_the_reason():
    with pytest.raises(RefusedRequest, match="WECHAT_ENCODING_AES_KEY") as refused:
        WeChatAccount(SAMPLE_TOKEN).read(
            sample_query(), SAMPLE_BODY.encode(), int(SAMPLE_TIMESTAMP)
        )
    assert refused.value.status == 400


@pytest.mark.parametrize(
    "query",
    [
        {},
        {**signed(), "signature": ""},
        {**signed(), "signature": "0" * 40},
        {**signed(), "nonce": "other"},
        {**signed(), "signature": "签名"},
        signed(token="another-token"),
        {k: v for k, v in signed().items() if k != "timestamp"},
        signed(timestamp="not-a-number"),
    ],
)
def test_missing_or_wrong_signatures_are_refused(query):
    with pytest.raises(RefusedRequest) as refused:
        WeChatAccount(TOKEN).verify(query, time.time())
    assert refused.value.status == 403


@pytest.mark.parametrize(
    "skew, accepted",
    [(0, True), (240, True), (-240, True), (360, False), (-360, False), (86400, False)],
)
def test_the_replay_window_is_a_few_minutes_either_way(skew, accepted):
    now = 1_700_000_000
    query = signed(timestamp=now + skew)
    if accepted:
        WeChatAccount(TOKEN).verify(query, now)
    else:
        with pytest.raises(RefusedRequest, match="stale"):
            WeChatAccount(TOKEN).verify(query, now)


@pytest.mark.parametrize("key", ["short", "a" * 44, "!" * 43])
def test_an_invalid_encoding_aes_key_stops_the_start_naming_the_variable(key):
    with pytest.raises(ValueError, match="WECHAT_ENCODING_AES_KEY"):
        WeChatAccount(TOKEN, "wx0123456789abcdef", key)


def test_an_encoding_aes_key_needs_the_app_id():
    with pytest.raises(ValueError, match="WECHAT_APP_ID"):
        WeChatAccount(TOKEN, None, SAMPLE_AES_KEY)


def message_xml(msg_type="text", content="this is a test", sender="oUser123", target="gh_xxx"):
    return (
        f"<xml><ToUserName><![CDATA[{target}]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
        "<CreateTime>1348831860</CreateTime>"
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content>"
        "<MsgId>1234567890123456</MsgId></xml>"
    )


def test_a_text_message_is_parsed():
    message = read_message(message_xml(content="社保卡丢了怎么办"))
    assert (message.target, message.source, message.type) == ("gh_xxx", "oUser123", "text")
    assert message.content == "社保卡丢了怎么办"
    assert message.id == 1234567890123456


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not xml at all",
        "<xml><ToUserName>unclosed</xml>",
        '{"json": true}',
        "<other><MsgType>text</MsgType><FromUserName>o1</FromUserName></other>",
        "<xml><FromUserName>oUser123</FromUserName><ToUserName>gh</ToUserName></xml>",
        "<xml>just text</xml>",
        message_xml(sender="../other user"),
        message_xml(sender=""),
        message_xml(target="gh x"),
        # billion laughs
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<xml><MsgType>text</MsgType><FromUserName>o1</FromUserName><Content>&lol2;</Content></xml>",
        # external entity
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<xml><MsgType>text</MsgType><FromUserName>o1</FromUserName><Content>&xxe;</Content></xml>",
    ],
)
def test_what_is_not_a_wechat_message_is_refused(body):
    with pytest.raises(RefusedRequest) as refused:
        read_message(body)
    assert refused.value.status == 400


def test_events_are_told_apart_by_sender_and_time():
    event = read_message(
        "<xml><ToUserName>gh_1</ToUserName><FromUserName>oUser1</FromUserName>"
        "<CreateTime>123456789</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>"
    )
    assert Delivery(event, False, "n").key == "gh_1:event:oUser1:123456789"


@pytest.mark.parametrize(
    "content",
    [
        "plain",
        "a]]>b",
        "]]>",
        "]]]]>",
        "<xml>&amp;</xml>",
        "x]]><script>1</script>",
        "bad\x00\x0bchars",
        "多行\n\n文本",
    ],
)
def test_a_passive_reply_is_well_formed_xml_whatever_its_content(content):
    delivery = Delivery(read_message(message_xml(sender="oUser123")), False, "n")
    root = ET.fromstring(WeChatAccount(TOKEN).passive_reply(delivery, content))
    assert root.findtext("ToUserName") == "oUser123"
    assert root.findtext("FromUserName") == "gh_xxx"
    assert root.findtext("MsgType") == "text"
    assert abs(int(root.findtext("CreateTime")) - time.time()) < 5
    assert root.findtext("Content") == content.replace("\x00", "").replace("\x0b", "")


def test_the_reply_to_an_encrypted_message_is_encrypted_and_signed_for_the_account():
    account = sample_account()
    delivery = account.read(sample_query(), SAMPLE_BODY.encode(), int(SAMPLE_TIMESTAMP))
    sealed = account.passive_reply(delivery, "答案 ]]> 12333")
    root = ET.fromstring(sealed)
    assert root.find("Content") is None and "答案" not in sealed
    assert root.findtext("Nonce") == SAMPLE_NONCE
    plain = WeChatCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, SAMPLE_APP_ID).decrypt_message(
        sealed, root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce")
    )
    reply = ET.fromstring(plain)
    assert reply.findtext("Content") == "答案 ]]> 12333"
    assert reply.findtext("ToUserName") == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
