"""Bounds on what one user's message can cost: its length, its time, and its share of the worker pool."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# Slack allows 40,000 characters; the engine's time grows with length (about 1 s per 1,000 characters,
# measured), and real questions are a sentence or two. Longer text is cut and the reply says so.
MAX_QUESTION_CHARS = 1000
# Past this the user gets a "took too long" reply instead of waiting on.
ANSWER_BUDGET_S = 20.0
# Worker threads for engine and chart work. Each user holds at most one at a time (see UserGate), so one
# user can never fill the pool and keep everyone else waiting.
ENGINE_WORKERS = 4


def cap_question(question: str, limit: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """Cut `question` to `limit` characters; return it and whether anything was cut."""
    if len(question) <= limit:
        return question, False
    return question[:limit], True


def question_cut_notice(limit: int = MAX_QUESTION_CHARS) -> str:
    """The note shown under an answer to a message that was cut."""
    return (
        f"メッセージが長いため、先頭の{limit:,}字だけを読んで答えました。"
        f" / Your message was long, so only its first {limit:,} characters were read."
    )


class UserGate:
    """One answer in flight per user: a user's next message waits for their previous one to finish."""

    def __init__(self) -> None:
        # weak values: a user's lock disappears once nobody holds or waits for it, so memory stays bounded
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def turn(self, user_id: str) -> AsyncIterator[None]:
        """Hold the user's slot for the duration of the block."""
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        async with lock:
            yield

    def busy_users(self) -> int:
        """How many users have an answer in flight or waiting (for tests and health)."""
        return sum(1 for lock in self._locks.values() if lock.locked())
