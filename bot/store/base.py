"""The conversation store's records and limits, and the outage behaviour both backends share.

A backend implements the `_`-prefixed primitives; `BaseConversationStore` wraps each one so that an outage of
the backend (Redis down, an SQLite file locked for too long) never stops an answer: claims and the rate limit
fail open, reads fall back to what this process still holds, and writes wait in a bounded queue that is
replayed, in order, as soon as the backend answers again.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field

logger = logging.getLogger("deckbot.store")
T = TypeVar("T")

DAY_S = 86_400
MAX_TEXT_CHARS = 4_000  # per stored question or answer; the engine reads history, never whole essays
MAX_PENDING_WRITES = 1_000  # writes kept in memory during an outage, replayed when the backend is back
FLUSH_RETRY_S = 5.0  # after a failed replay, wait this long before replaying again
MAX_SCOPE_DOCUMENTS = 30  # document ids a channel's scope may name
MAX_DOCUMENT_ID_CHARS = 64


class Turn(BaseModel):
    """One answered question of a thread, with the structured state follow-ups can reuse."""

    ts: str = Field(description="Slack ts of the question message; turns are ordered by it, not by arrival.")
    question: str
    answer: str
    lang: str = "ja"
    user: str | None = None
    state: dict[str, Any] = Field(
        default_factory=dict,
        description="JSON-serialisable: tool_calls [{name, args}], slides, focus_slide, entities, status.",
    )

    def bounded(self) -> Turn:
        """This turn with question and answer cut to `MAX_TEXT_CHARS`."""
        return self.model_copy(
            update={"question": self.question[:MAX_TEXT_CHARS], "answer": self.answer[:MAX_TEXT_CHARS]}
        )


class RateDecision(BaseModel):
    """The per-user rate limit's verdict for one question."""

    allowed: bool
    retry_after_s: int = 0
    limit: int


class StoreHealth(BaseModel):
    """What /healthz reports about the store."""

    backend: Literal["sqlite", "redis"]
    ok: bool
    state: Literal["ok", "degraded"]
    error: str | None = None
    degraded_since: float | None = Field(None, description="Unix time the backend stopped answering.")
    pending_writes: int = 0
    detail: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class StoreLimits:
    """The bounds every backend enforces (defaults as documented in docs/conversation-store.md)."""

    thread_ttl_s: int = 30 * DAY_S  # a thread is forgotten this long after its last turn
    max_turns: int = 6  # turns kept per thread, newest win
    event_claim_ttl_s: int = 3_600  # Slack retries an event within minutes
    rate_limit: int = 10  # questions per user per window
    rate_window_s: float = 60.0

    @property
    def message_claim_ttl_s(self) -> int:
        """A message stays claimed as long as its thread is remembered, so a late edit is not re-answered."""
        return self.thread_ttl_s


def ts_key(ts: str) -> int:
    """Slack ts ('1700000000.000100') as integer microseconds: exact in a float64 and in SQLite's INTEGER."""
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int((fraction or "0")[:6].ljust(6, "0"))


def validate_scope(document_ids: list[str]) -> list[str]:
    """The ids of a channel scope, de-duplicated in order, within the bounds (else ValueError)."""
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        raise ValueError("a channel scope names at least one document (None means all documents)")
    if len(ids) > MAX_SCOPE_DOCUMENTS:
        raise ValueError(f"a channel scope names at most {MAX_SCOPE_DOCUMENTS} documents, not {len(ids)}")
    if any(not isinstance(i, str) or not i or len(i) > MAX_DOCUMENT_ID_CHARS for i in ids):
        raise ValueError(f"document ids are 1 to {MAX_DOCUMENT_ID_CHARS} characters")
    return ids


def history_of(turns: list[Turn]) -> list[str]:
    """The engine's history: question and answer alternating, oldest turn first."""
    return [text for turn in turns for text in (turn.question, turn.answer)]


class BaseConversationStore:
    """The public API (claim_event, in_thread, add_turn, allow, channel scope, health…) over a backend's
    primitives."""

    backend: Literal["sqlite", "redis"]
    outage_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, limits: StoreLimits | None = None) -> None:
        self.limits = limits or StoreLimits()
        self._down_since: float | None = None
        self._last_error: str | None = None
        self._pending: deque[tuple[str, str, Turn | None]] = deque(maxlen=MAX_PENDING_WRITES)
        self._flushing = False
        self._retry_flush_at = 0.0

    # --- primitives each backend implements --------------------------------------------------------------
    async def _claim(self, key: str, ttl_s: int) -> bool:
        raise NotImplementedError

    async def _join(self, channel: str, thread_ts: str) -> None:
        raise NotImplementedError

    async def _in_thread(self, channel: str, thread_ts: str) -> bool:
        raise NotImplementedError

    async def _add_turn(self, channel: str, thread_ts: str, turn: Turn) -> None:
        raise NotImplementedError

    async def _turns(self, channel: str, thread_ts: str) -> list[Turn]:
        raise NotImplementedError

    async def _allow(self, user: str) -> RateDecision:
        raise NotImplementedError

    async def _set_channel_documents(self, channel: str, document_ids: list[str] | None) -> None:
        raise NotImplementedError

    async def _channel_documents(self, channel: str) -> list[str] | None:
        raise NotImplementedError

    async def _ping(self) -> dict[str, Any]:
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections and threads."""

    # --- the API listeners call --------------------------------------------------------------------------
    async def claim(self, key: str, ttl_s: int) -> bool:
        """True for the first caller of `key` within `ttl_s` (across replicas and restarts)."""

        def fail_open() -> bool:
            # Slack retries only late or failed acks, so a rare double answer beats no answer.
            logger.warning("conversation store unavailable; answering %s anyway", key)
            return True

        return await self._guard(lambda: self._claim(key, ttl_s), fail_open)

    async def claim_event(self, event_id: str) -> bool:
        """Claim one Events API delivery (Slack's retries carry the same event id)."""
        return await self.claim(f"event:{event_id}", self.limits.event_claim_ttl_s)

    async def claim_message(self, channel: str, ts: str) -> bool:
        """Claim one message: its app_mention and message deliveries, retries and later edits share it."""
        return await self.claim(f"message:{channel}:{ts}", self.limits.message_claim_ttl_s)

    async def join_thread(self, channel: str, thread_ts: str) -> None:
        """Mark a thread as one the bot takes part in, so plain follow-ups there are answered."""
        await self._guard(
            lambda: self._join(channel, thread_ts), lambda: self._queue(channel, thread_ts, None)
        )

    async def in_thread(self, channel: str, thread_ts: str) -> bool:
        """Whether the bot takes part in this thread (joined, or answered in it, within the TTL)."""
        if any((c, t) == (channel, thread_ts) for c, t, _ in self._pending):
            return True  # joined during an outage, not written yet
        return await self._guard(lambda: self._in_thread(channel, thread_ts), lambda: False)

    async def add_turn(self, channel: str, thread_ts: str, turn: Turn) -> None:
        """Store one turn (joining the thread); only the newest `max_turns` by message ts are kept."""
        bounded = turn.bounded()
        await self._guard(
            lambda: self._add_turn(channel, thread_ts, bounded),
            lambda: self._queue(channel, thread_ts, bounded),
        )

    async def turns(self, channel: str, thread_ts: str) -> list[Turn]:
        """The thread's kept turns, oldest first (by message ts), with any still queued by an outage."""
        stored = await self._guard(lambda: self._turns(channel, thread_ts), list)
        queued = [t for c, th, t in self._pending if (c, th) == (channel, thread_ts) and t is not None]
        if not queued:
            return stored
        by_ts = {ts_key(t.ts): t for t in [*stored, *queued]}  # a queued turn replaces a stored one
        return [by_ts[key] for key in sorted(by_ts)][-self.limits.max_turns :]

    async def history(self, channel: str, thread_ts: str) -> list[str]:
        """The thread's turns as the engine's history (question, answer, question, …)."""
        return history_of(await self.turns(channel, thread_ts))

    async def allow(self, user: str) -> RateDecision:
        """Count one question by `user` in the shared sliding window and say whether it may be answered."""
        limit = self.limits.rate_limit
        return await self._guard(lambda: self._allow(user), lambda: RateDecision(allowed=True, limit=limit))

    async def set_channel_documents(self, channel: str, document_ids: list[str] | None) -> bool:
        """Limit the channel's answers to these document ids (None: all documents, the setting is deleted).

        Kept until changed (a setting, not a cache). Returns False when the backend is unavailable and nothing
        was stored: unlike a turn, a scope change is not queued, so the admin can be told to try again.

        Raises:
            ValueError: an empty list, more than `MAX_SCOPE_DOCUMENTS` ids or an id over
                `MAX_DOCUMENT_ID_CHARS` characters.
        """
        ids = None if document_ids is None else validate_scope(document_ids)
        return await self._guard(
            lambda: self._stored(self._set_channel_documents(channel, ids)), lambda: False
        )

    async def channel_documents(self, channel: str) -> list[str] | None:
        """The document ids the channel's answers are limited to; None for all documents (also in an outage:
        the scope fails open, like the other reads)."""
        return await self._guard(lambda: self._channel_documents(channel), lambda: None)

    @staticmethod
    async def _stored(write: Awaitable[None]) -> bool:
        await write
        return True

    async def health(self) -> StoreHealth:
        """Ping the backend (replaying queued writes when it is back) and report its state."""
        detail = await self._guard(self._ping, lambda: None)
        ok = detail is not None
        healthy = ok and self._down_since is None and not self._pending
        return StoreHealth(
            backend=self.backend,
            ok=ok,
            state="ok" if healthy else "degraded",
            error=None if healthy else self._last_error,
            degraded_since=self._down_since,
            pending_writes=len(self._pending),
            detail=detail or {},
        )

    # --- outage handling ---------------------------------------------------------------------------------
    async def _guard(self, call: Callable[[], Awaitable[T]], fallback: Callable[[], T]) -> T:
        try:
            result = await call()
        except self.outage_errors as error:
            self._went_down(error)
            return fallback()
        await self._came_up()
        return result

    def _went_down(self, error: BaseException) -> None:
        self._last_error = f"{type(error).__name__}: {error}"[:200]
        if self._down_since is None:
            self._down_since = time.time()
            logger.warning(
                "conversation store %s unavailable (%s): claims and rate limit fail open, writes are queued",
                self.backend,
                self._last_error,
            )

    async def _came_up(self) -> None:
        if self._down_since is not None:
            logger.warning(
                "conversation store %s is back after %.0f s; replaying %d queued writes",
                self.backend,
                time.time() - self._down_since,
                len(self._pending),
            )
            self._down_since = None
        if self._pending and not self._flushing and time.monotonic() >= self._retry_flush_at:
            await self._flush()

    def _queue(self, channel: str, thread_ts: str, turn: Turn | None) -> None:
        if len(self._pending) == self._pending.maxlen:
            logger.warning("conversation store outage queue full; dropping the oldest queued write")
        self._pending.append((channel, thread_ts, turn))

    async def _flush(self) -> None:
        """Replay queued writes in order; stop (keeping the rest) at the first failure."""
        self._flushing = True
        try:
            while self._pending:
                channel, thread_ts, turn = self._pending[0]
                try:
                    if turn is None:
                        await self._join(channel, thread_ts)
                    else:
                        await self._add_turn(channel, thread_ts, turn)
                except self.outage_errors as error:
                    self._went_down(error)
                    # reads may still work while writes fail (a locked SQLite file): do not retry on each read
                    self._retry_flush_at = time.monotonic() + FLUSH_RETRY_S
                    return
                self._pending.popleft()
        finally:
            self._flushing = False
