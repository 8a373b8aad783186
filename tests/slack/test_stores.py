"""De-duplication store, per-user rate limit and the feedback database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dedupe import MemoryDedupeStore, RedisDedupeStore, build_dedupe_store
from bot.feedback import FeedbackStore
from bot.ratelimit import UserRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_dedupe_claims_once_until_expiry() -> None:
    clock = Clock()
    store = MemoryDedupeStore(clock=clock)
    assert await store.claim("event:Ev1", ttl_s=60) is True
    assert await store.claim("event:Ev1", ttl_s=60) is False
    assert await store.claim("event:Ev2", ttl_s=60) is True
    clock.now += 61
    assert await store.claim("event:Ev1", ttl_s=60) is True


async def test_memory_dedupe_evicts_oldest_beyond_capacity() -> None:
    store = MemoryDedupeStore(max_keys=2)
    for key in ("a", "b", "c"):
        assert await store.claim(key)
    assert await store.claim("a") is True  # evicted, so claimable again
    assert await store.claim("c") is False


def test_build_dedupe_store_picks_redis_only_with_a_url() -> None:
    assert isinstance(build_dedupe_store(None), MemoryDedupeStore)
    assert isinstance(build_dedupe_store("redis://127.0.0.1:6399/0"), RedisDedupeStore)


def test_rate_limit_allows_n_per_window_per_user() -> None:
    clock = Clock()
    limiter = UserRateLimiter(3, window_s=60, clock=clock)
    assert [limiter.allow("U1") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("U2") is True
    assert limiter.retry_after("U1") == 61
    clock.now += 60.5
    assert limiter.allow("U1") is True


def test_feedback_store_keeps_question_answer_user_and_latest_rating(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    first = store.record_answer(
        question="控除率は？", answer="1～14%", user_id="U1", channel="C1", engine="offline"
    )
    second = store.record_answer(
        question="順位は？", answer="1位", user_id="U2", channel="C1", engine="offline"
    )
    assert store.record_feedback(answer_id=first, user_id="U9", rating=1)
    assert store.record_feedback(answer_id=first, user_id="U9", rating=-1)  # changed their mind
    assert store.record_feedback(answer_id=second, user_id="U9", rating=1)
    assert store.record_feedback(answer_id="unknown", user_id="U9", rating=1) is False
    with pytest.raises(ValueError):
        store.record_feedback(answer_id=first, user_id="U9", rating=5)
    summary = store.summary()
    assert (summary.answers, summary.thumbs_up, summary.thumbs_down) == (2, 1, 1)
    [down] = summary.recent_down
    assert (down.question, down.answer, down.user_id) == ("控除率は？", "1～14%", "U9")
    store.close()
    reopened = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    assert reopened.summary().answers == 2
    reopened.close()
