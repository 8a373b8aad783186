"""The real Bolt app over HTTP with the real conversation store: restarts (a new Services over the same data
dir), replicas (two apps on one redis-server), edits, the shared rate limit, and /healthz."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bot.app import start_http_server
from bot.fake_web_api import FakeSlack, wait_calls
from bot.feedback import FeedbackStore
from bot.listeners.conversation import replies_history
from bot.services import Services
from bot.settings import Settings
from bot.store import BaseConversationStore, StoreLimits, build_conversation_store
from bot.store.redis import RedisConversationStore
from tests.ops.servers import free_port
from tests.slack.conftest import FakeAnswerer, SlackClient, mention

pytestmark = pytest.mark.integration
_prefixes = itertools.count(1)
THREAD = "1700001000.000100"


def follow_up(text: str, ts: str, *, thread_ts: str = THREAD, user: str = "U0001") -> dict:
    """A plain message in a thread (no mention), as Slack sends it with channels:history."""
    return {
        "type": "message",
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel": "C0001",
    }


def services_with(store: BaseConversationStore, answerer: FakeAnswerer, data_dir: Path) -> Services:
    return Services(
        answerer=answerer, feedback=FeedbackStore(data_dir / "feedback.sqlite3"), store=store, chunk_count=42
    )


@asynccontextmanager
async def serving(settings: Settings, services: Services) -> AsyncIterator[SlackClient]:
    """One replica: the real app on a free port; stopping it closes its services, like a process exit."""
    runner, port = await start_http_server(settings, services, host="127.0.0.1", port=0)
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            yield SlackClient(f"http://127.0.0.1:{port}", http)
    finally:
        await runner.cleanup()


async def settle() -> None:
    await asyncio.sleep(0.5)


async def test_a_plain_follow_up_after_a_restart_is_answered_with_the_thread_context(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    data = settings.model_copy(update={"data_dir": tmp_path / "data"})
    before = FakeAnswerer()
    async with serving(data, services_with(build_conversation_store(data), before, tmp_path)) as slack:
        await slack.event(mention("研究開発税制の控除率は？", ts=THREAD), event_id="EvA1")
        await wait_calls(fake_slack, "chat.postMessage")
    after = FakeAnswerer()  # the restarted process: nothing in memory, only the data dir
    async with serving(data, services_with(build_conversation_store(data), after, tmp_path)) as slack:
        await slack.event(follow_up("上限は？", "1700001001.000100"), event_id="EvA2")
        posts = await wait_calls(fake_slack, "chat.postMessage", 2)
    assert posts[1].params["thread_ts"] == THREAD
    [(question, history)] = after.questions
    assert question == "上限は？"
    assert history == ["研究開発税制の控除率は？", "回答: 研究開発税制の控除率は？ <script> & more"]
    assert fake_slack.calls_of("conversations.replies") == []  # the store had it; no API call


async def test_an_edited_mention_is_not_answered_again_after_a_restart(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    data = settings.model_copy(update={"data_dir": tmp_path / "data"})
    first = mention("控除率は？", ts="1700001100.000100")
    async with serving(
        data, services_with(build_conversation_store(data), FakeAnswerer(), tmp_path)
    ) as slack:
        await slack.event(first, event_id="EvE1")
        await wait_calls(fake_slack, "chat.postMessage")
    restarted = FakeAnswerer()
    async with serving(data, services_with(build_conversation_store(data), restarted, tmp_path)) as slack:
        edited = {
            **first,
            "text": "<@UBOT> 控除率は？（修正）",
            "edited": {"user": "U0001", "ts": "1700001160.0"},
        }
        await slack.event(edited, event_id="EvE2")  # Slack sends the edited mention as a new event
        await slack.event(mention("別の質問", ts="1700001200.000100"), event_id="EvE3")
        await wait_calls(fake_slack, "chat.postMessage", 2)
        await settle()
    assert len(fake_slack.calls_of("chat.postMessage")) == 2
    assert [q for q, _ in restarted.questions] == ["別の質問"]


async def test_a_follow_up_on_another_replica_sharing_redis_is_answered_with_context(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path, redis_url: str
) -> None:
    prefix = f"slack{next(_prefixes)}:"
    first, second = FakeAnswerer(), FakeAnswerer()
    replica_a = services_with(RedisConversationStore(redis_url, prefix=prefix), first, tmp_path)
    replica_b = services_with(RedisConversationStore(redis_url, prefix=prefix), second, tmp_path)
    async with serving(settings, replica_a) as a, serving(settings, replica_b) as b:
        await a.event(mention("東京のスタートアップ順位は？", ts=THREAD), event_id="EvR1")
        await wait_calls(fake_slack, "chat.postMessage")
        await b.event(follow_up("大阪は？", "1700001001.000100"), event_id="EvR2")
        await a.event(follow_up("大阪は？", "1700001001.000100"), event_id="EvR2")  # a retry to A: dropped
        posts = await wait_calls(fake_slack, "chat.postMessage", 2)
        await settle()
    assert len(fake_slack.calls_of("chat.postMessage")) == 2
    assert posts[1].params["thread_ts"] == THREAD
    assert second.questions == [
        ("大阪は？", ["東京のスタートアップ順位は？", "回答: 東京のスタートアップ順位は？ <script> & more"])
    ]
    reader = RedisConversationStore(redis_url, prefix=prefix)
    try:
        first_turn, follow_up_turn = await reader.turns("C0001", THREAD)
    finally:
        await reader.close()
    assert (first_turn.ts, follow_up_turn.ts) == (THREAD, "1700001001.000100")
    assert first_turn.state["focus_slide"] == 27 and first_turn.state["slides"] == [27]


async def test_twelve_questions_across_two_replicas_get_ten_answers(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path, redis_url: str
) -> None:
    prefix, limits = f"slack{next(_prefixes)}:", StoreLimits(rate_limit=10)
    answerers = [FakeAnswerer(), FakeAnswerer()]
    replicas = [
        services_with(RedisConversationStore(redis_url, prefix=prefix, limits=limits), answerer, tmp_path)
        for answerer in answerers
    ]
    async with serving(settings, replicas[0]) as a, serving(settings, replicas[1]) as b:
        for n in range(12):
            await (a, b)[n % 2].event(mention(f"質問{n}", ts=f"17000012{n:02d}.000100"), event_id=f"EvL{n}")
            await wait_calls(fake_slack, "chat.postMessage", n + 1)
    posts = fake_slack.calls_of("chat.postMessage")
    assert sum(len(answerer.questions) for answerer in answerers) == 10
    limited = [p for p in posts if "1分あたり10件まで" in p.params["text"]]
    assert len(posts) == 12 and len(limited) == 2


async def test_healthz_is_503_when_slack_rejects_the_token(
    settings: Settings, services: Services, fake_slack: FakeSlack
) -> None:
    fake_slack.rejected_tokens["xoxb-test-token"] = "invalid_auth"
    async with serving(settings, services) as slack:
        first = await slack.http.get(f"{slack.base_url}/healthz")
        again = await slack.http.get(f"{slack.base_url}/healthz")
    assert first.status_code == again.status_code == 503
    body = first.json()
    assert body["status"] == "unavailable"
    assert (body["token"]["ok"], body["token"]["error"]) == (False, "invalid_auth")
    assert body["store"]["ok"] is True  # only the token is wrong
    assert len(fake_slack.calls_of("auth.test")) == 1  # cached: probes do not hammer auth.test


async def test_healthz_is_503_when_the_store_is_unreachable_yet_questions_are_answered(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    down = RedisConversationStore(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    answerer = FakeAnswerer()
    async with serving(settings, services_with(down, answerer, tmp_path)) as slack:
        await slack.event(mention("控除率は？", ts="1700001300.000100"), event_id="EvD1")
        await wait_calls(fake_slack, "chat.postMessage")  # claims fail open: still answered
        response = await slack.http.get(f"{slack.base_url}/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["token"]["ok"] is True
    assert (body["store"]["backend"], body["store"]["ok"], body["store"]["state"]) == (
        "redis",
        False,
        "degraded",
    )
    assert body["store"]["pending_writes"] >= 1  # the answered turn waits for Redis
    assert answerer.questions == [("控除率は？", [])]


def test_a_thread_read_from_slack_keeps_question_and_answer_alternating() -> None:
    """A follow-up the bot never answered must not shift the history (its text is not an answer)."""
    messages = [
        {"ts": "1.0", "user": "U1", "text": "<@UBOT> 東京の順位は？"},
        {"ts": "1.1", "bot_id": "BBOT", "text": "東京（10位）"},
        {"ts": "1.2", "bot_id": "BBOT", "text": "(続き)"},
        {"ts": "1.3", "user": "U1", "text": "大阪は？"},  # ignored by the bot (e.g. during a restart)
        {"ts": "1.4", "user": "U1", "text": "<@UBOT> 大阪は？"},
    ]
    assert replies_history(messages, "1.4") == ["東京の順位は？", "東京（10位）\n(続き)"]
    people_only = [
        {"ts": "2.0", "user": "U2", "text": "OI型は？"},
        {"ts": "2.1", "user": "U3", "text": "高い"},
    ]
    assert replies_history(people_only, "2.9") == ["OI型は？", "高い"]
