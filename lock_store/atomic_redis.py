"""A Redis lock store whose every ticket operation is one atomic Lua script.

Rasa serialises the messages of one conversation with ticket locks. Its
RedisLockStore reads a lock, changes it in Python and writes it back, so two
instances (or workers) handling the same conversation can overwrite each
other's tickets: both then process at once, or a ticket is lost and a message
waits for a lock that never frees (rasa issue #9213; fixed only in the commercial
edition). Here a conversation's tickets live in Redis as a counter, a queue in
ticket order and each ticket's expiry in Redis' own clock, and issuing, checking
and releasing a ticket each run as one script inside Redis.

endpoints.yml:
    lock_store:
      type: lock_store.atomic_redis.AtomicRedisLockStore
      url: localhost        # Redis host
      port: 6379
      password: ...         # optional
      db: 1
      key_prefix: sscard    # optional
"""

import asyncio
import logging
from collections import deque
from typing import Optional, Text

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

# KEYS: 1 = ticket counter, 2 = queue (sorted set: ticket -> ticket, so first in line is
# the lowest number), 3 = expiry (hash: ticket -> expiry in ms of Redis' clock).
_PURGE_EXPIRED = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local expiries = redis.call('HGETALL', KEYS[3])
for i = 1, #expiries, 2 do
  if tonumber(expiries[i + 1]) <= now then
    redis.call('ZREM', KEYS[2], expiries[i])
    redis.call('HDEL', KEYS[3], expiries[i])
  end
end
"""

# ARGV[1] = lifetime ms. Returns the new ticket.
_ISSUE = (
    _PURGE_EXPIRED
    + """
local ticket = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now + ARGV[1])
local keep = tonumber(ARGV[1]) * 2 + 60000
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end
return ticket
"""
)

# ARGV[1] = ticket, ARGV[2] = lifetime ms.
# 1: the ticket is first in line; 0: others are before it; -1: it has expired.
# A waiting ticket is renewed at every try, so only the ticket of a holder that
# died runs out, one lifetime after it took the lock.
_TRY_ACQUIRE = (
    _PURGE_EXPIRED
    + """
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -1 end
redis.call('HSET', KEYS[3], ARGV[1], now + ARGV[2])
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if tonumber(first[1]) == tonumber(ARGV[1]) then return 1 end
return 0
"""
)

# ARGV[1] = ticket.
_RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
end
return 1
"""


class AtomicRedisLockStore(LockStore):
    """Ticket locks in Redis, safe across Rasa instances and Sanic workers."""

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        host: Text = "localhost",
        port: int = 6379,
        db: int = 1,
        password: Optional[Text] = None,
        key_prefix: Text = "sscard",
        socket_timeout: float = 10,
    ) -> None:
        settings: dict = {}
        if endpoint_config is not None:
            settings = dict(endpoint_config.kwargs)
            host = endpoint_config.url or host
        self.red = redis.StrictRedis(
            host=host,
            port=int(settings.get("port", port)),
            db=int(settings.get("db", db)),
            password=settings.get("password", password),
            socket_timeout=float(settings.get("socket_timeout", socket_timeout)),
        )
        self.key_prefix = f"{settings.get('key_prefix', key_prefix)}:lock:"
        self._issue = self.red.register_script(_ISSUE)
        self._try_acquire = self.red.register_script(_TRY_ACQUIRE)
        self._release = self.red.register_script(_RELEASE)
        super().__init__()

    def _keys(self, conversation_id: Text) -> list:
        base = self.key_prefix + conversation_id
        return [base + ":counter", base + ":queue", base + ":expiry"]

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(
                self._issue(keys=self._keys(conversation_id), args=[int(lock_lifetime * 1000)])
            )
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    async def _acquire_lock(
        self, conversation_id: Text, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        while True:
            state = int(
                self._try_acquire(
                    keys=self._keys(conversation_id), args=[ticket, int(LOCK_LIFETIME * 1000)]
                )
            )
            if state == 1:
                return self.get_lock(conversation_id) or self.create_lock(conversation_id)
            if state == -1:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(wait_time_in_seconds)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        try:
            self._release(keys=self._keys(conversation_id), args=[ticket_number])
        except redis.RedisError:
            # The ticket expires by itself; the next turn is delayed, not blocked.
            logger.exception("Could not release the lock of %s", conversation_id)

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """A read-only view of the conversation's queue (for Rasa code that inspects locks)."""
        _, queue, expiry = self._keys(conversation_id)
        expiries = {int(ticket): int(ms) / 1000 for ticket, ms in self.red.hgetall(expiry).items()}
        tickets = [int(ticket) for ticket in self.red.zrange(queue, 0, -1)]
        if not tickets:
            return None
        return TicketLock(
            conversation_id, deque(Ticket(ticket, expiries.get(ticket, 0)) for ticket in tickets)
        )

    def delete_lock(self, conversation_id: Text) -> None:
        self.red.delete(*self._keys(conversation_id))

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("tickets change only through the atomic scripts")

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        return self.red.zcard(self._keys(conversation_id)[1]) > 0
