"""What both backends promise, each run on SQLite (a restart: a new store on the same file) and on Redis
(a second replica: another store on the same server)."""

from __future__ import annotations

import asyncio
import random

from bot.store import StoreLimits, Turn, history_of
from tests.store.conftest import StoreFactory


def turn(ts: str, n: int | str, **state) -> Turn:
    return Turn(ts=ts, question=f"質問{n}", answer=f"回答{n}", lang="ja", user="U1", state=state)


async def test_a_new_store_sees_threads_turns_claims_and_rate_windows(open_store: StoreFactory) -> None:
    limits = StoreLimits(rate_limit=3)
    first = open_store(limits)
    await first.join_thread("C1", "100.000001")
    await first.add_turn("C1", "100.000001", turn("100.000001", 1, focus_slide=27, entities=["東京"]))
    assert await first.claim_message("C1", "100.000001") is True
    assert [(await first.allow("U1")).allowed for _ in range(2)] == [True, True]
    await first.close()

    again = open_store(limits)  # after a restart, or on the other replica
    assert await again.in_thread("C1", "100.000001") is True
    assert await again.in_thread("C1", "999.000001") is False
    [kept] = await again.turns("C1", "100.000001")
    assert kept.state == {"focus_slide": 27, "entities": ["東京"]}
    assert await again.history("C1", "100.000001") == ["質問1", "回答1"]
    assert await again.claim_message("C1", "100.000001") is False  # an edit or a retry: not answered again
    assert await again.claim_message("C1", "100.000002") is True
    assert (await again.allow("U1")).allowed is True  # the third of three
    refused = await again.allow("U1")
    assert (refused.allowed, refused.limit) == (False, 3)
    assert 55 <= refused.retry_after_s <= 61


async def test_two_stores_racing_for_the_same_keys_win_each_once(open_store: StoreFactory) -> None:
    replicas = [open_store(), open_store()]
    keys = [f"Ev{n:03d}" for n in range(40)]
    # every event delivered three times to each replica, all at once
    claims = [(key, replicas[i % 2].claim_event(key)) for key in keys for i in range(6)]
    results = await asyncio.gather(*(claim for _, claim in claims))
    wins: dict[str, int] = {}
    for (key, _), won in zip(claims, results, strict=True):
        wins[key] = wins.get(key, 0) + int(won)
    assert wins == {key: 1 for key in keys}


async def test_rate_limit_is_counted_across_stores(open_store: StoreFactory) -> None:
    """12 questions from one user alternating between two replicas (or across a restart): 10 answered."""
    replicas = [open_store(StoreLimits(rate_limit=10)), open_store(StoreLimits(rate_limit=10))]
    decisions = [await replicas[n % 2].allow("U7") for n in range(12)]
    assert [d.allowed for d in decisions] == [True] * 10 + [False] * 2
    assert (await replicas[0].allow("U8")).allowed is True  # other users have their own window


async def test_concurrent_rate_checks_never_admit_more_than_the_limit(open_store: StoreFactory) -> None:
    replicas = [open_store(StoreLimits(rate_limit=10)), open_store(StoreLimits(rate_limit=10))]
    decisions = await asyncio.gather(*(replicas[n % 2].allow("U9") for n in range(30)))
    assert sum(d.allowed for d in decisions) == 10


async def test_turns_are_kept_in_message_order_whatever_order_they_arrive_in(
    open_store: StoreFactory,
) -> None:
    replicas = [open_store(), open_store()]
    stamps = ["1700000001.000100", "1700000002.000100", "1700000002.000200", "1700000010.000001"]
    arrival = stamps[:]
    random.Random(4).shuffle(arrival)
    assert arrival != stamps
    await asyncio.gather(
        *(replicas[i % 2].add_turn("C1", "1700000001.000100", turn(ts, ts)) for i, ts in enumerate(arrival))
    )
    kept = await replicas[0].turns("C1", "1700000001.000100")
    assert [t.ts for t in kept] == stamps
    assert history_of(kept)[:2] == ["質問1700000001.000100", "回答1700000001.000100"]


async def test_only_the_newest_turns_are_kept_and_a_repeated_ts_replaces(open_store: StoreFactory) -> None:
    store = open_store(StoreLimits(max_turns=3))
    for n in (5, 1, 4, 2, 3):  # out of order on purpose
        await store.add_turn("C1", "T1", turn(f"1700000000.00000{n}", n))
    assert [t.question for t in await store.turns("C1", "T1")] == ["質問3", "質問4", "質問5"]
    await store.add_turn("C1", "T1", turn("1700000000.000004", "4b"))
    assert [t.question for t in await store.turns("C1", "T1")] == ["質問3", "質問4b", "質問5"]
    assert await store.turns("C1", "T2") == []


async def test_long_texts_are_cut_to_the_documented_bound(open_store: StoreFactory) -> None:
    store = open_store()
    await store.add_turn("C1", "T1", Turn(ts="1.000001", question="q" * 5000, answer="a" * 9000))
    [kept] = await store.turns("C1", "T1")
    assert (len(kept.question), len(kept.answer)) == (4000, 4000)


async def test_health_names_the_backend_and_is_ok(open_store: StoreFactory) -> None:
    store = open_store()
    health = await store.health()
    assert health.ok is True and health.state == "ok" and health.pending_writes == 0
    assert health.backend in ("sqlite", "redis")
