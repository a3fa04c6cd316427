"""Each delivery of a platform handled once: WeChat's and Slack's retries are never new turns.

Platforms deliver a message again when they got no quick answer (WeChat up to three
times with the same MsgId, Slack with an `X-Slack-Retry-Num` header and the same
`event_id`). The first delivery of a key claims it; later ones see it claimed and can
read the reply recorded for it. With several Rasa instances (or Sanic workers) the
ledger must be shared: it lives in Redis when the deployment has one (the scale-out
profile's REDIS_* variables, the same server as the lock store), in this process's
memory otherwise.
"""

import logging
import time
from collections import OrderedDict
from typing import Any, Dict, Mapping, Optional, Protocol, Tuple

logger = logging.getLogger(__name__)

# Longer than any platform's retries (WeChat's three within 15 s, Slack's within an hour
# are answered at once) and than the replay window of a signed request (5 minutes).
REMEMBER_SECONDS = 3600
_CLAIMED = ""  # the value of a key claimed whose reply is not recorded yet


class DeliveryLedger(Protocol):
    """Which deliveries were seen, and the reply recorded for each."""

    async def claim(self, key: str) -> bool:
        """True for the first delivery of `key`; False if it was seen before."""

    async def record(self, key: str, reply: str) -> None:
        """Remember the reply given to `key`'s first delivery, for its retries."""

    async def recorded(self, key: str) -> Optional[str]:
        """The reply recorded for `key`, or None while there is none."""


class MemoryLedger:
    """The ledger of one process: enough for one Rasa instance with one Sanic worker."""

    def __init__(self, remember_seconds: float = REMEMBER_SECONDS) -> None:
        self.remember_seconds = remember_seconds
        self._entries: OrderedDict[str, Tuple[float, str]] = OrderedDict()

    def _forget_expired(self) -> None:
        now = time.monotonic()
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires > now:
                break
            del self._entries[key]

    async def claim(self, key: str) -> bool:
        self._forget_expired()
        if key in self._entries:
            return False
        self._entries[key] = (time.monotonic() + self.remember_seconds, _CLAIMED)
        return True

    async def record(self, key: str, reply: str) -> None:
        expires, _ = self._entries.get(key, (time.monotonic() + self.remember_seconds, ""))
        self._entries[key] = (expires, reply)

    async def recorded(self, key: str) -> Optional[str]:
        entry = self._entries.get(key)
        return entry[1] if entry and entry[1] != _CLAIMED else None


class RedisLedger:
    """The ledger shared by every instance and worker that uses the same Redis."""

    def __init__(
        self,
        namespace: str,
        host: str,
        port: int = 6379,
        db: int = 0,
        password: Optional[str] = None,
        remember_seconds: int = REMEMBER_SECONDS,
    ) -> None:
        self.prefix = f"sscard:deliveries:{namespace}:"
        self.remember_seconds = remember_seconds
        self._settings: Dict[str, Any] = {
            "host": host,
            "port": port,
            "db": db,
            "password": password or None,
        }
        self._redis: Any = None

    def _client(self) -> Any:
        # Created on first use, in the event loop of the worker that serves the request.
        if self._redis is None:
            import redis.asyncio

            self._redis = redis.asyncio.Redis(**self._settings, socket_timeout=2)
        return self._redis

    async def claim(self, key: str) -> bool:
        claimed = await self._client().set(
            self.prefix + key, _CLAIMED, nx=True, ex=self.remember_seconds
        )
        return bool(claimed)

    async def record(self, key: str, reply: str) -> None:
        await self._client().set(self.prefix + key, reply, ex=self.remember_seconds)

    async def recorded(self, key: str) -> Optional[str]:
        value = await self._client().get(self.prefix + key)
        if value is None:
            return None
        text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
        return text if text != _CLAIMED else None


def ledger_for(namespace: str, credentials: Mapping[str, Any]) -> DeliveryLedger:
    """Redis's ledger when the credentials name a Redis host (`redis_host` ...), memory's otherwise."""
    host = credentials.get("redis_host")
    if not host:
        return MemoryLedger()
    logger.info("%s deliveries are remembered in Redis at %s", namespace, host)
    return RedisLedger(
        namespace,
        str(host),
        port=int(credentials.get("redis_port") or 6379),
        db=int(credentials.get("redis_db") or 0),
        password=credentials.get("redis_password"),
    )
