"""Answer-once bookkeeping: a store that lets exactly one caller claim a key (event id, message ts)."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

logger = logging.getLogger("deckbot.dedupe")

DEFAULT_TTL_S = 3600  # Slack retries within minutes; an hour covers every retry and both event shapes.


class DedupeStore(Protocol):
    """Claim a key once; every later claim of the same key within its TTL is refused."""

    async def claim(self, key: str, ttl_s: int = DEFAULT_TTL_S) -> bool:
        """Return True for the first caller of `key`, False for every later one."""
        ...

    async def close(self) -> None:
        """Release connections, if any."""
        ...


class MemoryDedupeStore:
    """In-process store; right for a single replica. Oldest keys are evicted past `max_keys`."""

    def __init__(self, *, max_keys: int = 50_000, clock=time.monotonic) -> None:
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._max_keys = max_keys
        self._clock = clock

    async def claim(self, key: str, ttl_s: int = DEFAULT_TTL_S) -> bool:
        """Return True for the first caller of `key`, False for every later one."""
        now = self._clock()
        expires_at = self._expiry.get(key)
        if expires_at is not None and expires_at > now:
            return False
        self._expiry[key] = now + ttl_s
        self._expiry.move_to_end(key)
        while len(self._expiry) > self._max_keys:
            self._expiry.popitem(last=False)
        return True

    async def close(self) -> None:
        """Nothing to release."""


class RedisDedupeStore:
    """Store shared by every replica: one atomic `SET key 1 NX EX ttl` per claim."""

    def __init__(self, url: str, *, prefix: str = "deckbot:dedupe:", max_connections: int = 32,
                 timeout_s: float = 0.5) -> None:
        import redis.asyncio as redis_asyncio  # imported here so the memory store needs no redis

        # A blocking pool: a burst of claims waits for a free connection instead of raising
        # MaxConnectionsError, which redis-py's default pool does past 100 concurrent commands.
        # Short timeouts: the event claim runs before the ack, which Slack wants within 3 s.
        pool = redis_asyncio.BlockingConnectionPool.from_url(
            url, max_connections=max_connections, timeout=timeout_s, socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
        )
        self._redis = redis_asyncio.Redis.from_pool(pool)
        self._prefix = prefix

    async def claim(self, key: str, ttl_s: int = DEFAULT_TTL_S) -> bool:
        """Return True for the first caller of `key` across all replicas, False afterwards."""
        from redis.exceptions import RedisError

        try:
            created = await self._redis.set(self._prefix + key, b"1", nx=True, ex=ttl_s)
        except RedisError as error:
            # Fail open: Slack only retries late or failed acks, so a rare double answer during a Redis
            # outage is better than no answers at all.
            logger.warning("dedupe store unavailable (%s); answering %s anyway", type(error).__name__, key)
            return True
        return bool(created)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def build_dedupe_store(redis_url: str | None) -> DedupeStore:
    """Return a Redis-backed store when `redis_url` is given, else an in-memory one."""
    if redis_url:
        return RedisDedupeStore(redis_url)
    return MemoryDedupeStore()
