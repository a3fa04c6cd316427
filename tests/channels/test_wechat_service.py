"""A WeChat account with the customer-service API, served by two Rasa instances that share
Redis (deliveries, the access token, the lock store) and the tracker store, with WeChat's
API played on 127.0.0.1: slow answers arrive through the API, a message delivered to both
instances is one turn, an expired token is renewed, WeChat's refusals are logged."""

import threading
import time
from types import SimpleNamespace

import pytest
import yaml

from scripts.infrastructure import RedisServer
from tests.channels.conftest import SLOW, SLOW_SECONDS
from tests.channels.standin import StandIn, wait_for
from tests.channels.wechat_platform import WeChatAPI, WeChatServer, new_openid, text_xml
from tests.servers import (
    Assistant,
    SlowActions,
    ensure_ready,
    free_port,
    start_action_server,
    start_rasa,
    write_endpoints,
)

TOKEN = "wechat-service-token"
APP_ID = "wxfedcba9876543210"
APP_SECRET = "wechat-service-app-secret"
AES_KEY = "P9Ryxdfxi6xNJPYLUL8kNm7U+fj0inX7KGhMSCmkSWs"
DELIVERED = SLOW_SECONDS + 15  # how long an answer through the API may take to arrive


@pytest.fixture(scope="module")
def account(tmp_path_factory):
    run = tmp_path_factory.mktemp("wechat-service")
    standin = StandIn()
    api = WeChatAPI(standin, APP_ID, APP_SECRET)
    redis = RedisServer(run / "redis").start()
    env = {
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_ENCODING_AES_KEY": AES_KEY,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_API_URL": standin.url + api.base,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis.port),
        "REDIS_DB": "1",
    }
    action_port = free_port()
    slow = SlowActions(action_port, SLOW, SLOW_SECONDS)
    tracker_db = run / "conversations.db"
    endpoints = write_endpoints(run, slow.port, tracker_db)
    config = yaml.safe_load(endpoints.read_text(encoding="utf-8"))
    config["lock_store"] = {
        "type": "lock_store.atomic_redis.AtomicRedisLockStore",
        "url": "127.0.0.1",
        "port": redis.port,
        "db": 1,
        "key_prefix": "sscard",
    }
    endpoints.write_text(yaml.safe_dump(config), encoding="utf-8")
    actions = start_action_server(action_port, run, env)
    ports = [free_port(), free_port()]
    instances = [
        start_rasa(port, endpoints, run, env=env, name=f"rasa-{n}") for n, port in enumerate(ports)
    ]
    try:
        ensure_ready(
            [f"http://127.0.0.1:{action_port}/health"]
            + [f"http://127.0.0.1:{port}/webhooks/rest/" for port in ports],
            [actions, *instances],
        )
        assistants = [Assistant(port, tracker_db) for port in ports]
        for number, assistant in enumerate(assistants):
            assistant.say(f"warm-up-{number}", "你好")
        yield SimpleNamespace(
            api=api,
            wechat=[WeChatServer(a.base, TOKEN, APP_ID, AES_KEY) for a in assistants],
            store=assistants[0],
            logs=[process.log for process in instances],
        )
    finally:
        for process in [*instances, actions]:
            process.stop()
        slow.close()
        redis.stop()
        standin.close()


def stored(account, openid):
    return account.store.user_texts("wechat:" + openid)


def deliver_in_time(wechat, xml, mode="plain"):
    """Post as WeChat does; the answer must come within WeChat's five seconds."""
    started = time.monotonic()
    answer = wechat.post(xml, mode)
    assert time.monotonic() - started < 5, "WeChat gives up after five seconds"
    assert answer.status_code == 200, answer.text
    return answer


def test_a_slow_answer_arrives_through_the_customer_service_api(account, knowledge):
    openid = new_openid(SLOW)
    answer = deliver_in_time(account.wechat[0], text_xml(openid, "社保卡丢了怎么办"), "safe")
    assert answer.text == "success"  # so that WeChat does not deliver it again
    (content,) = wait_for(lambda: account.api.sent_to(openid), timeout=DELIVERED)
    assert knowledge.topics["lost_card"].answer_text("zh") in content
    assert knowledge.messages.service_unavailable.zh not in content
    # the turn is stored once the answer is done, which may be just after it was sent
    assert wait_for(lambda: stored(account, openid), timeout=DELIVERED) == ["社保卡丢了怎么办"]


def test_a_quick_answer_is_still_the_passive_reply(account, knowledge):
    openid = new_openid()
    content = account.wechat[1].say(openid, "what documents do I need?", "safe")
    assert knowledge.topics["materials"].answer_text("en") in content
    assert account.api.sent_to(openid) == []


def test_one_message_delivered_to_both_instances_is_one_turn_with_one_reply(account):
    openid = new_openid()
    xml = text_xml(openid, "社保卡丢了怎么办")
    replies = [account.wechat[n].reply(xml, "compat").findtext("Content") for n in (0, 1, 0)]
    assert "挂失" in replies[0] and replies.count(replies[0]) == 3
    assert stored(account, openid) == ["社保卡丢了怎么办"]


def test_retries_of_a_slow_answer_on_both_instances_are_one_turn_and_one_answer(account):
    openid = new_openid(SLOW)
    xml = text_xml(openid, "我的社保卡丢了")
    answers = {}

    def deliver(number, instance):
        answers[number] = deliver_in_time(account.wechat[instance], xml).text

    threads = [threading.Thread(target=deliver, args=(n, n % 2)) for n in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(1)  # WeChat's retries overlap the first delivery's wait
    for thread in threads:
        thread.join(30)
    assert list(answers.values()) == ["success"] * 3
    assert len(wait_for(lambda: account.api.sent_to(openid), timeout=DELIVERED)) == 1
    # A retry taken for a new turn would wait for the conversation's lock and be
    # answered one slow answer later.
    time.sleep(2 * SLOW_SECONDS + 2)
    assert len(account.api.sent_to(openid)) == 1
    assert stored(account, openid) == ["我的社保卡丢了"]


def test_an_expired_token_is_renewed_once_for_both_instances(account, knowledge):
    wait_for(lambda: account.api.issued, timeout=DELIVERED)  # an earlier answer bought one
    account.api.expire_tokens()
    issued, rejected = len(account.api.issued), len(account.api.rejected)
    first, second = new_openid(SLOW), new_openid(SLOW)
    deliver_in_time(account.wechat[0], text_xml(first, "社保卡丢了怎么办"))
    assert wait_for(lambda: account.api.sent_to(first), timeout=DELIVERED)
    assert len(account.api.issued) == issued + 1
    assert len(account.api.rejected) == rejected + 1  # the one call with the expired token
    deliver_in_time(account.wechat[1], text_xml(second, "社保卡丢了怎么办"))
    assert wait_for(lambda: account.api.sent_to(second), timeout=DELIVERED)
    assert len(account.api.issued) == issued + 1  # the other instance used the renewed token
    assert len(account.api.rejected) == rejected + 1


def test_a_closed_48_hour_window_is_logged_with_its_reason(account):
    openid = new_openid(SLOW)
    account.api.refusals[openid] = 45015
    assert deliver_in_time(account.wechat[0], text_xml(openid, "电子社保卡")).text == "success"
    wait_for(lambda: account.api.attempts_for(openid), timeout=DELIVERED)
    log = wait_for(lambda: "45015" in account.logs[0].read_text(errors="replace"), timeout=10)
    assert log
    lines = [line for line in account.logs[0].read_text().splitlines() if "45015" in line]
    assert openid in lines[0] and "48 hours" in lines[0]
    time.sleep(1)
    assert account.api.attempts_for(openid) == 1  # no retry against a closed window
