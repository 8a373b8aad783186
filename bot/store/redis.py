"""The conversation store in Redis, shared by every replica (`REDIS_URL`).

Each operation is one command or one Lua script, so it is atomic across replicas: a claim is `SET NX EX`;
appending a turn (replace the same ts, add, trim to the newest N, refresh both TTLs) and the sliding-window
rate limit (trim, count, add, using Redis's own clock) are scripts. Keys of one thread share a hash tag, so
the scripts also run on a Redis Cluster.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

from bot.store.base import BaseConversationStore, RateDecision, StoreLimits, Turn, ts_key

DEFAULT_PREFIX = "deckbot:"

# KEYS: turns (sorted set, score = message ts in µs), thread marker. ARGV: score, turn JSON, max turns, TTL s.
_ADD_TURN = """
local score = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], score, score)
redis.call('ZADD', KEYS[1], score, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[4])
return redis.call('ZCARD', KEYS[1])
"""

# KEYS: the user's window (sorted set of hit times in ms). ARGV: limit, window ms, unique member.
# Returns {1, 0} when allowed, {0, ms until the oldest hit leaves the window} when not.
_RATE_LIMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
"""


class RedisConversationStore(BaseConversationStore):
    """Threads, turns, claims, rate windows and channel scopes under `prefix` in one Redis database."""

    backend = "redis"
    outage_errors = (RedisError, OSError)

    def __init__(
        self,
        url: str,
        *,
        limits: StoreLimits | None = None,
        prefix: str = DEFAULT_PREFIX,
        max_connections: int = 32,
        timeout_s: float = 0.5,
    ) -> None:
        super().__init__(limits)
        # A blocking pool: a burst waits for a free connection instead of raising MaxConnectionsError, which
        # redis-py's default pool does past 100 concurrent commands. Short timeouts: the event claim runs
        # before the ack, which Slack wants within 3 s.
        pool = redis_asyncio.BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=timeout_s,
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
        )
        self._redis = redis_asyncio.Redis.from_pool(pool)
        self._prefix = prefix
        self._add_turn_script = self._redis.register_script(_ADD_TURN)
        self._rate_script = self._redis.register_script(_RATE_LIMIT)

    def _thread_keys(self, channel: str, thread_ts: str) -> tuple[str, str]:
        tag = f"{{{channel}:{thread_ts}}}"  # hash tag: both keys in one cluster slot
        return f"{self._prefix}turns:{tag}", f"{self._prefix}thread:{tag}"

    async def _claim(self, key: str, ttl_s: int) -> bool:
        return bool(await self._redis.set(f"{self._prefix}claim:{key}", b"1", nx=True, ex=ttl_s))

    async def _join(self, channel: str, thread_ts: str) -> None:
        _, thread = self._thread_keys(channel, thread_ts)
        await self._redis.set(thread, b"1", ex=self.limits.thread_ttl_s)

    async def _in_thread(self, channel: str, thread_ts: str) -> bool:
        _, thread = self._thread_keys(channel, thread_ts)
        return bool(await self._redis.exists(thread))

    async def _add_turn(self, channel: str, thread_ts: str, turn: Turn) -> None:
        turns, thread = self._thread_keys(channel, thread_ts)
        args = [ts_key(turn.ts), turn.model_dump_json(), self.limits.max_turns, self.limits.thread_ttl_s]
        await self._add_turn_script(keys=[turns, thread], args=args)

    async def _turns(self, channel: str, thread_ts: str) -> list[Turn]:
        turns, _ = self._thread_keys(channel, thread_ts)
        return [Turn.model_validate_json(raw) for raw in await self._redis.zrange(turns, 0, -1)]

    async def _allow(self, user: str) -> RateDecision:
        limit = self.limits.rate_limit
        window_ms = int(self.limits.rate_window_s * 1000)
        allowed, wait_ms = await self._rate_script(
            keys=[f"{self._prefix}rate:{user}"], args=[limit, window_ms, uuid.uuid4().hex]
        )
        if allowed:
            return RateDecision(allowed=True, limit=limit)
        return RateDecision(allowed=False, retry_after_s=max(1, int(wait_ms) // 1000 + 1), limit=limit)

    def _scope_key(self, channel: str) -> str:
        return f"{self._prefix}scope:{{{channel}}}"  # no TTL: a setting, kept until an admin changes it

    async def _set_channel_documents(self, channel: str, document_ids: list[str] | None) -> None:
        if document_ids is None:
            await self._redis.delete(self._scope_key(channel))
            return
        await self._redis.set(self._scope_key(channel), json.dumps(document_ids, ensure_ascii=False))

    async def _channel_documents(self, channel: str) -> list[str] | None:
        raw = await self._redis.get(self._scope_key(channel))
        return None if raw is None else list(json.loads(raw))

    async def _ping(self) -> dict[str, Any]:
        await self._redis.ping()
        return {"prefix": self._prefix}

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()
