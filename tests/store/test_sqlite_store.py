"""The SQLite backend on real files: WAL and busy timeout, TTLs and windows on a settable clock, purging,
and a file locked by another connection (fails open, recovers, loses nothing)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store import SQLiteConversationStore, StoreLimits, Turn, build_conversation_store
from bot.store import base as store_base
from bot.store.sqlite import BUSY_TIMEOUT_MS, PURGE_EVERY_S
from tests.store.conftest import Clock

DAY = 86_400


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "conversations.sqlite3"


@pytest.fixture
async def store(db_path: Path, clock: Clock) -> AsyncIterator[SQLiteConversationStore]:
    opened = SQLiteConversationStore(
        db_path, limits=StoreLimits(thread_ttl_s=30 * DAY, rate_limit=2), clock=clock
    )
    yield opened
    await opened.close()


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


async def test_the_file_is_in_wal_mode_with_a_busy_timeout(
    store: SQLiteConversationStore, db_path: Path
) -> None:
    health = await store.health()
    assert health.detail["journal_mode"] == "wal"
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    busy = await store._run(lambda: store._db.execute("PRAGMA busy_timeout").fetchone()[0])
    assert busy == BUSY_TIMEOUT_MS < 3000  # below Slack's ack deadline


async def test_build_conversation_store_uses_the_data_dir_without_redis(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, thread_ttl_days=7, thread_max_turns=4, user_rate_limit=3
    )
    store = build_conversation_store(settings)
    try:
        assert isinstance(store, SQLiteConversationStore)
        assert Path(store.path) == tmp_path / "conversations.sqlite3" and Path(store.path).exists()
        assert store.limits == StoreLimits(thread_ttl_s=7 * DAY, max_turns=4, rate_limit=3)
    finally:
        await store.close()


async def test_threads_and_turns_expire_after_the_ttl_from_the_last_turn(
    store: SQLiteConversationStore, clock: Clock
) -> None:
    await store.add_turn("C1", "T1", Turn(ts="1.000001", question="q", answer="a"))
    clock.now += 29 * DAY
    await store.add_turn("C1", "T1", Turn(ts="2.000001", question="q2", answer="a2"))  # refreshes the TTL
    clock.now += 29 * DAY
    assert await store.in_thread("C1", "T1") is True
    assert len(await store.turns("C1", "T1")) == 2
    clock.now += 1 * DAY + 1
    assert await store.in_thread("C1", "T1") is False
    assert await store.turns("C1", "T1") == []


async def test_event_claims_last_an_hour_and_message_claims_as_long_as_threads(
    store: SQLiteConversationStore, clock: Clock
) -> None:
    assert await store.claim_event("Ev1") and await store.claim_message("C1", "5.000001")
    clock.now += 3601
    assert await store.claim_event("Ev1") is True  # Slack stopped retrying long ago
    assert await store.claim_message("C1", "5.000001") is False  # an edit a day later: still answered once
    clock.now += 30 * DAY
    assert await store.claim_message("C1", "5.000001") is True


async def test_rate_window_slides_and_survives_a_restart(
    store: SQLiteConversationStore, db_path: Path, clock: Clock
) -> None:
    assert (await store.allow("U1")).allowed and (await store.allow("U1")).allowed
    clock.now += 30
    restarted = SQLiteConversationStore(db_path, limits=store.limits, clock=clock)
    try:
        refused = await restarted.allow("U1")
        assert (refused.allowed, refused.retry_after_s) == (False, 31)
        clock.now += 30.5
        assert (await restarted.allow("U1")).allowed is True
    finally:
        await restarted.close()


async def test_expired_rows_are_purged(store: SQLiteConversationStore, db_path: Path, clock: Clock) -> None:
    await store.claim_event("Ev1")  # the first write also runs the first purge
    await store.add_turn("C1", "T1", Turn(ts="1.000001", question="q", answer="a"))
    await store.allow("U1")
    assert [rows(db_path, t) for t in ("claims", "threads", "turns", "rate_hits")] == [1, 1, 1, 1]
    clock.now += 31 * DAY + PURGE_EVERY_S
    await store.claim_event("Ev2")
    assert [rows(db_path, t) for t in ("claims", "threads", "turns", "rate_hits")] == [1, 0, 0, 0]


async def test_a_locked_file_fails_open_then_replays_queued_writes(
    store: SQLiteConversationStore, db_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    monkeypatch.setattr(store_base, "FLUSH_RETRY_S", 0.0)
    await store.close()
    store = SQLiteConversationStore(db_path, limits=store.limits, clock=clock, busy_timeout_ms=200)
    await store.add_turn("C1", "T1", Turn(ts="1.000001", question="q1", answer="a1"))
    assert await store.claim_message("C1", "1.000001") is True
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock past the busy timeout
    try:
        with caplog.at_level(logging.WARNING, logger="deckbot.store"):
            assert await store.claim_message("C1", "2.000001") is True  # fails open
            assert (await store.allow("U1")).allowed is True
            await store.add_turn("C1", "T1", Turn(ts="2.000001", question="q2", answer="a2"))
        assert any("unavailable" in r.getMessage() for r in caplog.records)
        assert [t.question for t in await store.turns("C1", "T1")] == ["q1", "q2"]  # stored + queued
        health = await store.health()
        assert (health.state, health.pending_writes) == ("degraded", 1)
        assert "locked" in (health.error or "")
    finally:
        other.execute("ROLLBACK")
        other.close()
    health = await store.health()  # the lock is gone: the queued turn is written
    assert (health.ok, health.state, health.pending_writes) == (True, "ok", 0)
    again = SQLiteConversationStore(db_path, limits=store.limits, clock=clock)
    try:
        assert [t.question for t in await again.turns("C1", "T1")] == ["q1", "q2"]
    finally:
        await again.close()
        await store.close()
