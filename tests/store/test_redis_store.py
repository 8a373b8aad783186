"""The Redis backend on a real redis-server: key layout, TTLs, prefixes, expiry, and Redis outages (claims
fail open, health says degraded, and nothing stored before or during the outage is lost on its return)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.settings import Settings
from bot.store import StoreLimits, Turn, build_conversation_store
from bot.store.redis import RedisConversationStore
from tests.ops.servers import free_port, redis_binary, redis_server

_prefixes = itertools.count(1)


@pytest.fixture
def prefix() -> str:
    return f"redis-test{next(_prefixes)}:"


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    sync = redis.Redis.from_url(redis_url)
    yield sync
    sync.close()


async def test_build_conversation_store_picks_redis_with_a_url(redis_url: str, tmp_path: Path) -> None:
    store = build_conversation_store(Settings(_env_file=None, REDIS_URL=redis_url, data_dir=tmp_path))
    try:
        assert isinstance(store, RedisConversationStore)
        assert (await store.health()).backend == "redis"
    finally:
        await store.close()
    assert not (tmp_path / "conversations.sqlite3").exists()  # nothing local with Redis


async def test_keys_carry_their_ttls(redis_url: str, client: redis.Redis, prefix: str) -> None:
    store = RedisConversationStore(redis_url, prefix=prefix, limits=StoreLimits(thread_ttl_s=30 * 86_400))
    try:
        await store.claim_event("Ev1")
        await store.claim_message("C1", "1.000001")
        await store.add_turn("C1", "1.000001", Turn(ts="1.000001", question="q", answer="a"))
        await store.allow("U1")
    finally:
        await store.close()
    keys = sorted(k.decode() for k in client.keys(f"{prefix}*"))
    assert keys == [
        f"{prefix}claim:event:Ev1",
        f"{prefix}claim:message:C1:1.000001",
        f"{prefix}rate:U1",
        f"{prefix}thread:{{C1:1.000001}}",
        f"{prefix}turns:{{C1:1.000001}}",
    ]
    assert 3500 < client.ttl(f"{prefix}claim:event:Ev1") <= 3600
    month = 30 * 86_400
    for key in ("claim:message:C1:1.000001", "thread:{C1:1.000001}", "turns:{C1:1.000001}"):
        assert month - 100 < client.ttl(prefix + key) <= month
    assert 59_000 < client.pttl(f"{prefix}rate:U1") <= 60_000


async def test_short_ttls_expire(redis_url: str, prefix: str) -> None:
    limits = StoreLimits(thread_ttl_s=1, event_claim_ttl_s=1, rate_limit=1, rate_window_s=1.0)
    store = RedisConversationStore(redis_url, prefix=prefix, limits=limits)
    try:
        await store.add_turn("C1", "T1", Turn(ts="1.000001", question="q", answer="a"))
        assert await store.claim_event("Ev1") is True and await store.claim_event("Ev1") is False
        assert (await store.allow("U1")).allowed is True and (await store.allow("U1")).allowed is False
        await asyncio.sleep(1.3)
        assert await store.in_thread("C1", "T1") is False and await store.turns("C1", "T1") == []
        assert await store.claim_event("Ev1") is True
        assert (await store.allow("U1")).allowed is True
    finally:
        await store.close()


async def test_prefixes_keep_deployments_apart(redis_url: str, prefix: str) -> None:
    staging = RedisConversationStore(redis_url, prefix=f"{prefix}staging:")
    production = RedisConversationStore(redis_url, prefix=f"{prefix}prod:")
    try:
        assert await staging.claim_event("Ev1") is True
        assert await production.claim_event("Ev1") is True
        assert await production.claim_event("Ev1") is False
        await staging.join_thread("C1", "T1")
        assert await production.in_thread("C1", "T1") is False
    finally:
        await staging.close()
        await production.close()


async def test_unreachable_redis_fails_open_and_reports_degraded(caplog: pytest.LogCaptureFixture) -> None:
    """Slack retries only late or failed acks, so answering twice in an outage beats answering never."""
    store = RedisConversationStore(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="deckbot.store"):
            assert await store.claim_event("EvOutage") is True
            assert await store.claim_event("EvOutage") is True  # answered twice: the documented cost
            assert (await store.allow("U1")).allowed is True
        assert any("unavailable" in r.getMessage() and "redis" in r.getMessage() for r in caplog.records)
        health = await store.health()
        assert (health.backend, health.ok, health.state) == ("redis", False, "degraded")
        assert "ConnectionError" in health.error and health.degraded_since is not None
    finally:
        await store.close()


async def test_an_outage_loses_nothing_stored_before_or_during_it(tmp_path: Path) -> None:
    port, workdir = free_port(), tmp_path / "redis-data"
    workdir.mkdir()
    store = RedisConversationStore(f"redis://127.0.0.1:{port}/0", prefix="outage:")
    try:
        with redis_server(redis_binary(), workdir, port=port, persist=True):
            await store.add_turn("C1", "T1", Turn(ts="1.000001", question="before", answer="a1"))
            assert await store.claim_message("C1", "1.000001") is True
        # Redis is down: the bot keeps answering; the new turn and thread wait in memory
        assert await store.claim_message("C1", "2.000001") is True
        await store.add_turn("C1", "T1", Turn(ts="2.000001", question="during", answer="a2"))
        await store.join_thread("C2", "T9")
        assert await store.in_thread("C2", "T9") is True
        down = await store.health()
        assert (down.ok, down.state, down.pending_writes) == (False, "degraded", 2)
        with redis_server(redis_binary(), workdir, port=port, persist=True):
            up = await store.health()  # the health check replays the queue
            assert (up.ok, up.state, up.pending_writes) == (True, "ok", 0)
            replica = RedisConversationStore(f"redis://127.0.0.1:{port}/0", prefix="outage:")
            try:
                assert [t.question for t in await replica.turns("C1", "T1")] == ["before", "during"]
                assert await replica.in_thread("C2", "T9") is True
                assert await replica.claim_message("C1", "1.000001") is False  # kept by Redis's AOF
            finally:
                await replica.close()
    finally:
        await store.close()
