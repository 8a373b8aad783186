"""The conversation store in one SQLite file in the data directory: one process, surviving restarts.

Every call runs on one dedicated thread that owns the connection: a write waiting on another process's lock
(up to the busy timeout) must not stall the event loop, which acks Slack's requests. WAL mode lets readers
and one writer work at once; each write is one statement or one `BEGIN IMMEDIATE` transaction, so several
processes on the same file (a restart overlapping the old process) stay consistent.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.store.base import BaseConversationStore, RateDecision, StoreLimits, Turn, ts_key

T = TypeVar("T")

BUSY_TIMEOUT_MS = 2_000  # below Slack's 3 s ack deadline: a claim waits this long at most, then fails open
PURGE_EVERY_S = 600.0  # expired rows are deleted at most this often (reads ignore them anyway)
SCHEMA_VERSION = 2  # 2: channel_documents (a channel's document scope)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS threads (
    channel TEXT NOT NULL, thread_ts TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (channel, thread_ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS turns (
    channel TEXT NOT NULL, thread_ts TEXT NOT NULL, ts_key INTEGER NOT NULL, turn TEXT NOT NULL,
    PRIMARY KEY (channel, thread_ts, ts_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rate_hits (user TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS rate_hits_user_at ON rate_hits (user, at);
CREATE TABLE IF NOT EXISTS channel_documents (
    channel TEXT PRIMARY KEY, documents TEXT NOT NULL, updated_at REAL NOT NULL
) WITHOUT ROWID;
"""


class SQLiteConversationStore(BaseConversationStore):
    """Threads, turns, claims, rate windows and channel scopes in `path` (":memory:": throwaway)."""

    backend = "sqlite"
    outage_errors = (sqlite3.OperationalError,)  # locked past the busy timeout, disk full, I/O error

    def __init__(
        self,
        path: Path | str,
        *,
        limits: StoreLimits | None = None,
        clock: Callable[[], float] = time.time,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        super().__init__(limits)
        self.path = str(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._clock = clock  # wall clock: windows and TTLs must survive a restart
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deckbot-store")
        self._next_purge = 0.0
        self._closed = False
        self._db = self._executor.submit(self._open).result()

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            self.path, timeout=self._busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across process crashes
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    # --- primitives --------------------------------------------------------------------------------------
    async def _claim(self, key: str, ttl_s: int) -> bool:
        return await self._run(self._claim_sync, key, ttl_s)

    def _claim_sync(self, key: str, ttl_s: int) -> bool:
        now = self._clock()
        # one statement: insert, or take over an expired claim; an unexpired one changes no row
        cursor = self._db.execute(
            "INSERT INTO claims (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
            " SET expires_at = excluded.expires_at WHERE claims.expires_at <= ?",
            (key, now + ttl_s, now),
        )
        self._maybe_purge(now)
        return cursor.rowcount == 1

    async def _join(self, channel: str, thread_ts: str) -> None:
        await self._run(self._join_sync, channel, thread_ts)

    def _join_sync(self, channel: str, thread_ts: str) -> None:
        self._db.execute(
            "INSERT INTO threads (channel, thread_ts, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, thread_ts) DO UPDATE SET expires_at = excluded.expires_at",
            (channel, thread_ts, self._clock() + self.limits.thread_ttl_s),
        )

    async def _in_thread(self, channel: str, thread_ts: str) -> bool:
        return await self._run(self._in_thread_sync, channel, thread_ts)

    def _in_thread_sync(self, channel: str, thread_ts: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM threads WHERE channel = ? AND thread_ts = ? AND expires_at > ?",
            (channel, thread_ts, self._clock()),
        ).fetchone()
        return row is not None

    async def _add_turn(self, channel: str, thread_ts: str, turn: Turn) -> None:
        await self._run(self._add_turn_sync, channel, thread_ts, turn)

    def _add_turn_sync(self, channel: str, thread_ts: str, turn: Turn) -> None:
        with self._transaction() as db:
            self._join_sync(channel, thread_ts)
            db.execute(
                "INSERT OR REPLACE INTO turns (channel, thread_ts, ts_key, turn) VALUES (?, ?, ?, ?)",
                (channel, thread_ts, ts_key(turn.ts), turn.model_dump_json()),
            )
            db.execute(  # keep the newest max_turns by message ts, whatever order they arrived in
                "DELETE FROM turns WHERE channel = ? AND thread_ts = ? AND ts_key NOT IN (SELECT ts_key"
                " FROM turns WHERE channel = ? AND thread_ts = ? ORDER BY ts_key DESC LIMIT ?)",
                (channel, thread_ts, channel, thread_ts, self.limits.max_turns),
            )

    async def _turns(self, channel: str, thread_ts: str) -> list[Turn]:
        return await self._run(self._turns_sync, channel, thread_ts)

    def _turns_sync(self, channel: str, thread_ts: str) -> list[Turn]:
        if not self._in_thread_sync(channel, thread_ts):
            return []  # expired (rows not purged yet)
        rows = self._db.execute(
            "SELECT turn FROM turns WHERE channel = ? AND thread_ts = ? ORDER BY ts_key",
            (channel, thread_ts),
        ).fetchall()
        return [Turn.model_validate_json(turn) for (turn,) in rows]

    async def _allow(self, user: str) -> RateDecision:
        return await self._run(self._allow_sync, user)

    def _allow_sync(self, user: str) -> RateDecision:
        limit, window = self.limits.rate_limit, self.limits.rate_window_s
        now = self._clock()
        with self._transaction() as db:  # BEGIN IMMEDIATE: count and insert under one write lock
            db.execute("DELETE FROM rate_hits WHERE user = ? AND at <= ?", (user, now - window))
            count, oldest = db.execute(
                "SELECT count(*), min(at) FROM rate_hits WHERE user = ?", (user,)
            ).fetchone()
            if count < limit:
                db.execute("INSERT INTO rate_hits (user, at) VALUES (?, ?)", (user, now))
                return RateDecision(allowed=True, limit=limit)
        return RateDecision(allowed=False, retry_after_s=max(1, int(oldest + window - now) + 1), limit=limit)

    async def _set_channel_documents(self, channel: str, document_ids: list[str] | None) -> None:
        await self._run(self._set_channel_documents_sync, channel, document_ids)

    def _set_channel_documents_sync(self, channel: str, document_ids: list[str] | None) -> None:
        if document_ids is None:
            self._db.execute("DELETE FROM channel_documents WHERE channel = ?", (channel,))
            return
        self._db.execute(
            "INSERT INTO channel_documents (channel, documents, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel) DO UPDATE"
            " SET documents = excluded.documents, updated_at = excluded.updated_at",
            (channel, json.dumps(document_ids, ensure_ascii=False), self._clock()),
        )

    async def _channel_documents(self, channel: str) -> list[str] | None:
        return await self._run(self._channel_documents_sync, channel)

    def _channel_documents_sync(self, channel: str) -> list[str] | None:
        row = self._db.execute(
            "SELECT documents FROM channel_documents WHERE channel = ?", (channel,)
        ).fetchone()
        return None if row is None else list(json.loads(row[0]))

    async def _ping(self) -> dict[str, Any]:
        return await self._run(self._ping_sync)

    def _ping_sync(self) -> dict[str, Any]:
        (mode,) = self._db.execute("PRAGMA journal_mode").fetchone()
        self._db.execute("SELECT 1 FROM threads LIMIT 1").fetchall()  # reads the file; no table scan
        return {"path": self.path, "journal_mode": mode}

    async def close(self) -> None:
        """Close the connection and stop the store's thread (a second call does nothing)."""
        if self._closed:
            return
        self._closed = True
        await self._run(self._db.close)
        self._executor.shutdown(wait=True)

    # --- helpers -----------------------------------------------------------------------------------------
    def _transaction(self) -> _Immediate:
        return _Immediate(self._db)

    def _maybe_purge(self, now: float) -> None:
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_EVERY_S
        with self._transaction() as db:
            db.execute("DELETE FROM claims WHERE expires_at <= ?", (now,))
            db.execute(
                "DELETE FROM turns WHERE (channel, thread_ts) IN"
                " (SELECT channel, thread_ts FROM threads WHERE expires_at <= ?)",
                (now,),
            )
            db.execute("DELETE FROM threads WHERE expires_at <= ?", (now,))
            db.execute("DELETE FROM rate_hits WHERE at <= ?", (now - self.limits.rate_window_s,))


class _Immediate:
    """`BEGIN IMMEDIATE … COMMIT` (ROLLBACK on error): takes the write lock up front, so two processes never
    both read a rate window and then both insert."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.Error:
                self.db.execute("ROLLBACK")  # never leave the connection inside a transaction
                raise
        self.db.execute("ROLLBACK")
