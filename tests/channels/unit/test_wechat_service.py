"""The customer-service API client against WeChat's API played on 127.0.0.1: the access
token fetched, cached, renewed before it expires and when WeChat expires it, shared through
Redis; long texts split; refusals logged with their reason."""

import asyncio
import logging
import time

import pytest

from channels.wechat_service import (
    AccountClient,
    CustomerService,
    ExpiringMemoryStorage,
    renewal_ttl,
    token_storage,
)
from channels.wechat_text import MAX_TEXT_BYTES
from scripts.infrastructure import RedisServer
from tests.channels.standin import StandIn
from tests.channels.wechat_platform import WeChatAPI, new_openid

APP_ID, APP_SECRET = "wx0123456789abcdef", "test-app-secret"


@pytest.fixture
def wechat_api():
    standin = StandIn()
    try:
        yield WeChatAPI(standin, APP_ID, APP_SECRET), standin.url + "/cgi-bin/"
    finally:
        standin.close()


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as redis:
        yield redis.port


def service(api_url, storage=None):
    return CustomerService(AccountClient(APP_ID, APP_SECRET, api_url, storage))


def send(customer_service, openid, text):
    return asyncio.run(customer_service.send(openid, text))


def test_a_token_is_renewed_a_little_before_wechat_expires_it():
    assert renewal_ttl(7200) == 6900
    assert renewal_ttl(10) == 8
    assert renewal_ttl(1) == 1
    assert renewal_ttl(None) is None


def test_the_memory_store_forgets_a_token_when_its_time_is_up():
    store = ExpiringMemoryStorage()
    store.set("t", "token", 1)
    store.set("forever", "value")
    assert store.get("t") == "token"
    time.sleep(1.1)
    assert store.get("t") is None and store.get("forever") == "value"


def test_messages_reach_the_user_and_one_token_serves_them_all(wechat_api):
    api, url = wechat_api
    customer_service, openid = service(url), new_openid()
    assert all(send(customer_service, openid, f"答案 {n}") for n in range(3))
    assert api.sent_to(openid) == ["答案 0", "答案 1", "答案 2"]
    assert len(api.issued) == 1


def test_a_token_that_wechat_expired_is_renewed_and_the_message_still_arrives(wechat_api):
    api, url = wechat_api
    customer_service, openid = service(url), new_openid()
    assert send(customer_service, openid, "first")
    api.expire_tokens()
    assert send(customer_service, openid, "second")
    assert api.sent_to(openid) == ["first", "second"]
    assert len(api.issued) == 2
    assert [code for _, _, code in api.rejected] == [42001]  # refused once, then renewed


def test_a_token_is_renewed_before_it_expires(wechat_api):
    api, url = wechat_api
    api.lifetime = 5  # kept for 4 s
    customer_service, openid = service(url), new_openid()
    assert send(customer_service, openid, "first")
    time.sleep(4.3)  # the token still works for WeChat, but is due for renewal
    assert send(customer_service, openid, "second")
    assert len(api.issued) == 2
    assert api.rejected == []  # no call ever went out with an expired token
    assert api.sent_to(openid) == ["first", "second"]


def test_instances_sharing_redis_share_one_token(wechat_api, redis_port):
    api, url = wechat_api
    credentials = {"redis_host": "127.0.0.1", "redis_port": redis_port, "redis_db": 4}
    first, second = (service(url, token_storage(credentials)) for _ in range(2))
    openid = new_openid()
    assert send(first, openid, "from one") and send(second, openid, "from the other")
    assert len(api.issued) == 1
    # One instance renews what WeChat expired; the other then uses the renewed token.
    api.expire_tokens()
    assert send(first, openid, "after expiry") and send(second, openid, "and again")
    assert len(api.issued) == 2
    assert api.sent_to(openid) == ["from one", "from the other", "after expiry", "and again"]


def test_a_long_answer_arrives_in_order_in_messages_within_wechats_size(wechat_api):
    api, url = wechat_api
    openid = new_openid()
    text = "\n\n".join(f"第{n}段" + "内容" * 300 for n in range(4))  # 4 x ~1,800 bytes
    assert send(service(url), openid, text)
    parts = api.sent_to(openid)
    assert len(parts) == 4
    assert all(len(part.encode("utf-8")) <= MAX_TEXT_BYTES for part in parts)
    assert "\n\n".join(parts) == text


@pytest.mark.parametrize(
    "errcode, reason",
    [(45015, "48 hours"), (45047, "limit of customer-service messages"), (45009, "quota")],
)
def test_a_refusal_is_logged_with_its_reason_and_the_rest_is_not_sent(
    wechat_api, caplog, errcode, reason
):
    api, url = wechat_api
    openid = new_openid()
    api.refusals[openid] = errcode
    text = "\n\n".join(["段" * 600] * 3)  # three messages' worth
    with caplog.at_level(logging.WARNING, logger="channels.wechat_service"):
        assert send(service(url), openid, text) is False
    assert api.attempts_for(openid) == 1
    assert str(errcode) in caplog.text and reason in caplog.text


def test_an_unreachable_api_is_logged_not_raised(caplog):
    with caplog.at_level(logging.WARNING, logger="channels.wechat_service"):
        assert send(service("http://127.0.0.1:9/cgi-bin/"), new_openid(), "x") is False
    assert "could not be reached" in caplog.text


def test_an_unreachable_token_store_is_logged_not_raised(wechat_api, caplog):
    class RedisDown(ExpiringMemoryStorage):
        def get(self, key, default=None):
            raise ConnectionError("Redis is down")

    api, url = wechat_api
    with caplog.at_level(logging.WARNING, logger="channels.wechat_service"):
        assert send(service(url, RedisDown()), new_openid(), "x") is False
    assert "could not be sent" in caplog.text


def test_without_an_app_secret_there_is_no_customer_service():
    assert CustomerService.from_credentials({"token": "t", "app_id": APP_ID}) is None
    assert CustomerService.from_credentials({"app_id": APP_ID, "app_secret": "s"}) is not None
