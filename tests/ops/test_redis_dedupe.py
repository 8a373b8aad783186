"""Shared de-duplication against a real redis-server: one claim wins across replicas, keys expire."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.dedupe import MemoryDedupeStore, RedisDedupeStore, build_dedupe_store
from tests.ops.servers import free_port, redis_server, require_binary

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of our own on a free loopback port, stopped after this module."""
    binary = require_binary("redis-server", shutil.which("redis-server"))
    with redis_server(binary, tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


async def test_build_dedupe_store_picks_redis_only_with_a_url(redis_url: str) -> None:
    store = build_dedupe_store(redis_url)
    try:
        assert isinstance(store, RedisDedupeStore)
    finally:
        await store.close()
    assert isinstance(build_dedupe_store(None), MemoryDedupeStore)


async def test_first_claim_wins_and_repeats_are_refused(redis_url: str, redis_client: redis.Redis) -> None:
    store = RedisDedupeStore(redis_url)
    try:
        assert await store.claim("event:Ev001") is True
        assert await store.claim("event:Ev001") is False
        assert await store.claim("event:Ev002") is True
    finally:
        await store.close()
    assert sorted(redis_client.keys("*")) == [b"deckbot:dedupe:event:Ev001", b"deckbot:dedupe:event:Ev002"]


async def test_two_replicas_racing_for_the_same_events_answer_each_once(
    redis_url: str, redis_client: redis.Redis
) -> None:
    replicas = [RedisDedupeStore(redis_url), RedisDedupeStore(redis_url)]
    keys = [f"event:Ev{n:03d}" for n in range(40)]
    try:
        # every event delivered 3 times to each replica, all at once
        claims = [(key, replicas[i % 2].claim(key)) for key in keys for i in range(6)]
        results = await asyncio.gather(*(claim for _, claim in claims))
    finally:
        for store in replicas:
            await store.close()
    winners: dict[str, int] = {}
    for (key, _), won in zip(claims, results, strict=True):
        winners[key] = winners.get(key, 0) + int(won)
    assert winners == {key: 1 for key in keys}


async def test_claims_carry_the_ttl_and_expire(redis_url: str, redis_client: redis.Redis) -> None:
    store = RedisDedupeStore(redis_url)
    try:
        assert await store.claim("message:C1:1700000000.000100", ttl_s=3600) is True
        ttl = redis_client.ttl("deckbot:dedupe:message:C1:1700000000.000100")
        assert 3500 < ttl <= 3600
        assert await store.claim("event:short", ttl_s=1) is True
        await asyncio.sleep(1.2)
        assert await store.claim("event:short", ttl_s=1) is True  # expired, so a new delivery is new
    finally:
        await store.close()


async def test_custom_prefix_keeps_deployments_apart(redis_url: str, redis_client: redis.Redis) -> None:
    staging = RedisDedupeStore(redis_url, prefix="staging:")
    production = RedisDedupeStore(redis_url, prefix="prod:")
    try:
        assert await staging.claim("event:Ev1") is True
        assert await production.claim("event:Ev1") is True
        assert await production.claim("event:Ev1") is False
    finally:
        await staging.close()
        await production.close()


def test_redis_url_fixture_is_really_a_server(redis_url: str, tmp_path: Path) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping() is True
        assert client.info("server")["tcp_port"] == int(redis_url.rsplit(":", 1)[1].split("/")[0])
    finally:
        client.close()


async def test_an_unreachable_redis_fails_open_so_questions_still_get_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack retries only late or failed acks, so answering twice in a Redis outage beats answering never."""
    store = RedisDedupeStore(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with caplog.at_level("WARNING", logger="deckbot.dedupe"):
            assert await store.claim("event:EvOutage") is True
    finally:
        await store.close()
    assert any("dedupe" in record.getMessage().lower() for record in caplog.records)
