"""How Rasa's own RedisLockStore and the project's atomic one fare when several processes
issue tickets for one conversation at once.

    python bench/lock_race.py      (starts its own redis-server on a free port)
"""

import multiprocessing
from pathlib import Path

from rasa.core.lock_store import RedisLockStore

from lock_store.atomic_redis import AtomicRedisLockStore
from scripts.infrastructure import RedisServer

PROCESSES, TICKETS = 4, 300


def issue(store_class, port, conversation, results):
    store = store_class(host="127.0.0.1", port=port)
    results.extend([store.issue_ticket(conversation, 60) for _ in range(TICKETS)])


def race(store_class, port):
    with multiprocessing.Manager() as manager:
        results = manager.list()
        workers = [
            multiprocessing.Process(
                target=issue, args=(store_class, port, store_class.__name__, results)
            )
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        tickets = list(results)
    return len(tickets), len(set(tickets))


if __name__ == "__main__":
    import tempfile

    with RedisServer(Path(tempfile.mkdtemp())) as redis:
        for store_class in (RedisLockStore, AtomicRedisLockStore):
            issued, distinct = race(store_class, redis.port)
            print(f"{store_class.__name__}: {issued} tickets issued, {distinct} distinct")
