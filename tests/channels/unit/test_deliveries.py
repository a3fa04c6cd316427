"""Each delivery handled once: the ledger in memory, and in a real Redis shared by instances."""

import asyncio

import pytest

from channels.deliveries import MemoryLedger, RedisLedger, ledger_for
from scripts.infrastructure import RedisServer


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as redis:
        yield redis.port


def run(coroutine):
    return asyncio.run(coroutine)


async def first_then_again(ledger, key):
    return [await ledger.claim(key), await ledger.claim(key), await ledger.claim(key)]


def test_only_the_first_delivery_claims_a_key():
    assert run(first_then_again(MemoryLedger(), "gh:msg:1")) == [True, False, False]


def test_the_reply_of_the_first_delivery_is_there_for_its_retries():
    async def scenario():
        ledger = MemoryLedger()
        await ledger.claim("k")
        before = await ledger.recorded("k")
        await ledger.record("k", "the reply")
        return before, await ledger.recorded("k"), await ledger.recorded("other")

    assert run(scenario()) == (None, "the reply", None)


def test_a_key_is_forgotten_after_its_time():
    async def scenario():
        ledger = MemoryLedger(remember_seconds=0.05)
        await ledger.claim("k")
        await asyncio.sleep(0.1)
        return await ledger.claim("k")

    assert run(scenario()) is True


def test_two_instances_on_one_redis_see_each_others_deliveries(redis_port):
    async def scenario():
        first, second = (RedisLedger("test", "127.0.0.1", redis_port, db=3) for _ in range(2))
        claims = [await first.claim("gh:msg:7"), await second.claim("gh:msg:7")]
        pending = await second.recorded("gh:msg:7")
        await first.record("gh:msg:7", "reply")
        return claims, pending, await second.recorded("gh:msg:7")

    assert run(scenario()) == ([True, False], None, "reply")


def test_concurrent_claims_in_redis_have_one_winner(redis_port):
    async def scenario():
        ledgers = [RedisLedger("race", "127.0.0.1", redis_port) for _ in range(10)]
        return await asyncio.gather(*(ledger.claim("same") for ledger in ledgers))

    assert sorted(run(scenario())) == [False] * 9 + [True]


def test_the_ledger_is_in_redis_when_the_deployment_has_it(redis_port):
    assert isinstance(ledger_for("wechat", {}), MemoryLedger)
    shared = ledger_for("wechat", {"redis_host": "127.0.0.1", "redis_port": str(redis_port)})
    assert isinstance(shared, RedisLedger)
    assert run(first_then_again(shared, "from-credentials")) == [True, False, False]
