"""A channel's document scope in the conversation store: kept across restarts (SQLite file) and replicas or a
redis-server restart (Redis), bounded, and failing open to "all documents" in an outage."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
import redis

from bot.store import SQLiteConversationStore
from bot.store.base import MAX_DOCUMENT_ID_CHARS, MAX_SCOPE_DOCUMENTS
from bot.store.redis import RedisConversationStore
from tests.ops.servers import free_port, redis_binary, redis_server
from tests.store.conftest import StoreFactory


async def test_a_scope_is_kept_by_a_new_store_and_cleared_with_none(open_store: StoreFactory) -> None:
    first = open_store()
    assert await first.channel_documents("C1") is None  # nothing set: every document
    assert await first.set_channel_documents("C1", ["meti-deck", "memo", "meti-deck"]) is True
    assert await first.set_channel_documents("C2", ["memo"]) is True
    await first.close()

    again = open_store()  # after a restart, or on the other replica
    assert await again.channel_documents("C1") == ["meti-deck", "memo"]  # de-duplicated, in order
    assert await again.channel_documents("C2") == ["memo"]
    assert await again.channel_documents("C3") is None
    assert await again.set_channel_documents("C1", None) is True
    assert await again.set_channel_documents("C2", ["other"]) is True  # replaced, not appended
    await again.close()

    third = open_store()
    assert await third.channel_documents("C1") is None
    assert await third.channel_documents("C2") == ["other"]


@pytest.mark.parametrize(
    "ids",
    [
        [],
        [f"doc-{n}" for n in range(MAX_SCOPE_DOCUMENTS + 1)],
        ["x" * (MAX_DOCUMENT_ID_CHARS + 1)],
        [""],
    ],
    ids=["empty", "too-many", "too-long", "blank"],
)
async def test_scopes_past_the_bounds_are_refused_and_nothing_is_stored(
    open_store: StoreFactory, ids: list[str]
) -> None:
    store = open_store()
    await store.set_channel_documents("C1", ["kept"])
    with pytest.raises(ValueError):
        await store.set_channel_documents("C1", ids)
    assert await store.channel_documents("C1") == ["kept"]


async def test_the_largest_scope_fits(open_store: StoreFactory) -> None:
    ids = [f"{n:02d}-" + "x" * (MAX_DOCUMENT_ID_CHARS - 3) for n in range(MAX_SCOPE_DOCUMENTS)]
    store = open_store()
    assert await store.set_channel_documents("C1", ids) is True
    assert await open_store().channel_documents("C1") == ids


async def test_an_old_sqlite_file_gains_the_scope_table(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    old = sqlite3.connect(path)  # a file written before channel scopes existed (schema version 1)
    old.executescript(
        "CREATE TABLE claims (key TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID;"
        "INSERT INTO claims VALUES ('message:C1:1.000001', 9999999999);"
        "PRAGMA user_version = 1;"
    )
    old.close()
    store = SQLiteConversationStore(path)
    try:
        assert await store.claim_message("C1", "1.000001") is False  # old rows are still there
        assert await store.set_channel_documents("C1", ["memo"]) is True
        assert await store.channel_documents("C1") == ["memo"]
    finally:
        await store.close()


async def test_the_redis_scope_key_has_the_prefix_a_hash_tag_and_no_ttl(redis_url: str) -> None:
    store = RedisConversationStore(redis_url, prefix="scope-test:")
    client = redis.Redis.from_url(redis_url)
    try:
        await store.set_channel_documents("C9", ["memo"])
        assert client.ttl("scope-test:scope:{C9}") == -1  # a setting: kept until an admin changes it
        assert client.get("scope-test:scope:{C9}") == b'["memo"]'
        await store.set_channel_documents("C9", None)
        assert client.exists("scope-test:scope:{C9}") == 0
    finally:
        client.close()
        await store.close()


async def test_a_redis_scope_survives_a_redis_restart(tmp_path: Path) -> None:
    port, workdir = free_port(), tmp_path / "redis-data"
    workdir.mkdir()
    url = f"redis://127.0.0.1:{port}/0"
    with redis_server(redis_binary(), workdir, port=port, persist=True):
        store = RedisConversationStore(url, prefix="restart:")
        assert await store.set_channel_documents("C1", ["meti-deck"]) is True
        await store.close()
    with redis_server(redis_binary(), workdir, port=port, persist=True):
        store = RedisConversationStore(url, prefix="restart:")
        try:
            assert await store.channel_documents("C1") == ["meti-deck"]
        finally:
            await store.close()


async def test_an_outage_reads_all_documents_and_refuses_to_store(caplog: pytest.LogCaptureFixture) -> None:
    store = RedisConversationStore(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="deckbot.store"):
            assert await store.channel_documents("C1") is None  # fails open: every document
            assert await store.set_channel_documents("C1", ["memo"]) is False  # not queued: say so
        health = await store.health()
        assert (health.ok, health.state, health.pending_writes) == (False, "degraded", 0)
        assert any("unavailable" in r.getMessage() for r in caplog.records)
    finally:
        await store.close()
