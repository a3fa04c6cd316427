"""The atomic lock store against a real Redis server, with several processes at once."""

import asyncio
import multiprocessing

import pytest

from lock_store.atomic_redis import AtomicRedisLockStore
from scripts.infrastructure import RedisServer


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as redis:
        yield redis.port


def in_processes(target, args, processes: int = 4) -> list:
    """Run `target(*args, shared_list)` in several processes at once; return what they appended."""
    with multiprocessing.Manager() as manager:
        shared = manager.list()
        workers = [
            multiprocessing.Process(target=target, args=(*args, shared)) for _ in range(processes)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return list(shared)


def issue_many(port: int, conversation: str, count: int, results) -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=port)
    results.extend([store.issue_ticket(conversation, 60) for _ in range(count)])


def test_tickets_issued_by_concurrent_instances_are_all_distinct(redis_port):
    tickets = in_processes(issue_many, (redis_port, "busy", 300))
    assert len(tickets) == 1200
    assert len(set(tickets)) == 1200
    assert AtomicRedisLockStore(host="127.0.0.1", port=redis_port).get_lock("busy") is not None


def hold_lock(port: int, conversation: str, rounds: int, log) -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=port)

    async def run() -> None:
        for _ in range(rounds):
            async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.001):
                log.append("enter")
                await asyncio.sleep(0.002)
                log.append("exit")

    asyncio.run(run())


def test_only_one_instance_at_a_time_holds_a_conversation(redis_port):
    events = in_processes(hold_lock, (redis_port, "shared", 25))
    assert len(events) == 200
    # Strict alternation: nobody entered while another was inside.
    assert events == ["enter", "exit"] * 100
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_port)
    assert not store.is_someone_waiting("shared")  # every ticket released, keys removed


def test_an_expired_ticket_frees_the_conversation(redis_port):
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_port)
    store.issue_ticket("stuck", lock_lifetime=0.05)  # a holder that died without releasing

    async def next_turn():
        await asyncio.sleep(0.1)
        async with store.lock("stuck", lock_lifetime=10, wait_time_in_seconds=0.01) as lock:
            return lock

    assert asyncio.run(next_turn()) is not None


def test_different_conversations_do_not_wait_for_each_other(redis_port):
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_port)

    async def both():
        async with store.lock("alice", wait_time_in_seconds=0.01):
            async with store.lock("bob", wait_time_in_seconds=0.01):
                return True

    assert asyncio.run(asyncio.wait_for(both(), timeout=5))


def test_several_waiters_are_served_in_ticket_order(redis_port):
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_port)
    order = []

    async def turn(name, delay):
        await asyncio.sleep(delay)
        async with store.lock("queue", lock_lifetime=30, wait_time_in_seconds=0.01):
            order.append(name)
            await asyncio.sleep(0.05)

    async def all_turns():
        await asyncio.gather(*(turn(name, i * 0.005) for i, name in enumerate("abcde")))

    asyncio.run(asyncio.wait_for(all_turns(), timeout=10))
    assert order == list("abcde")


def test_a_dead_holder_blocks_waiters_only_for_one_lifetime(redis_port):
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_port)
    store.issue_ticket("crashed", lock_lifetime=0.3)  # taken by an instance that then died

    async def waiters():
        async def one():
            async with store.lock("crashed", lock_lifetime=30, wait_time_in_seconds=0.02):
                await asyncio.sleep(0.01)

        await asyncio.gather(one(), one(), one())

    asyncio.run(asyncio.wait_for(waiters(), timeout=10))
