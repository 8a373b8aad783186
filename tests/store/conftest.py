"""Store fixtures: real SQLite files in a temp dir and a real redis-server (tests/conftest.py `redis_url`)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.store import BaseConversationStore, SQLiteConversationStore, StoreLimits
from bot.store.redis import RedisConversationStore

_prefixes = itertools.count(1)


class Clock:
    """A settable wall clock for the SQLite store's TTLs and windows."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


StoreFactory = Callable[..., BaseConversationStore]


@pytest.fixture(params=["sqlite", "redis"])
async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreFactory]:
    """`open_store(limits=…)` opens another store over the same data: a restarted process on the SQLite file,
    or another replica on the same Redis database and prefix. All are closed after the test."""
    opened: list[BaseConversationStore] = []
    if request.param == "sqlite":
        path = tmp_path / "data" / "conversations.sqlite3"

        def factory(limits: StoreLimits | None = None) -> BaseConversationStore:
            opened.append(SQLiteConversationStore(path, limits=limits))
            return opened[-1]
    else:
        url = request.getfixturevalue("redis_url")
        prefix = f"test{next(_prefixes)}:"  # each test its own keys on the session's server

        def factory(limits: StoreLimits | None = None) -> BaseConversationStore:
            opened.append(RedisConversationStore(url, limits=limits, prefix=prefix))
            return opened[-1]

    yield factory
    for store in opened:
        await store.close()
