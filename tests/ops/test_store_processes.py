"""Issue 15 as an operator sees it: real `deckbot serve --http` processes with the real offline engine against
the fake Slack Web API — restarted on one data dir, or two replicas on one redis-server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bot.cli.bench_support import deckbot_command, scratch_data_dir, stop_process
from bot.fake_web_api import FakeSlack, wait_calls
from tests.ops.servers import free_port
from tests.slack.conftest import SIGNING_SECRET, SlackClient, mention

pytestmark = pytest.mark.integration
TOKEN = "xoxb-store-processes"
THREAD = "1700002000.000100"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def data_dir(deck_index) -> Iterator[Path]:
    """A data dir of the test's own that links the session's index."""
    with scratch_data_dir(deck_index.data_dir) as path:
        yield path


@asynccontextmanager
async def serve(fake: FakeSlack, data_dir: Path, **env: str) -> AsyncIterator[SlackClient]:
    """`deckbot serve --http` on a free port, until /healthz answers (any status); terminated afterwards."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DECKBOT_", "REDIS_URL"))}
    environ |= {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.url,
        "DECKBOT_DATA_DIR": str(data_dir),
        "DECKBOT_LOG_LEVEL": "WARNING",
        **env,
    }
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        deckbot_command("serve", "--http", "--port", str(port)),
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            deadline = time.monotonic() + 180
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail("deckbot serve did not come up:\n" + log.read().decode()[-3000:])
                try:
                    await http.get(f"{base}/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            yield SlackClient(base, http)
    finally:
        stop_process(process)
        log.close()


def follow_up(text: str, ts: str) -> dict:
    return {
        "type": "message",
        "channel_type": "channel",
        "user": "U0001",
        "text": text,
        "ts": ts,
        "thread_ts": THREAD,
        "channel": "C0001",
    }


async def test_after_a_restart_a_follow_up_has_context_and_an_edit_is_not_answered_again(
    fake_slack: FakeSlack, data_dir: Path
) -> None:
    question = mention("東京のスタートアップ・エコシステムの順位は？", ts=THREAD)
    async with serve(fake_slack, data_dir) as slack:
        await slack.event(question, event_id="EvP1")
        await wait_calls(fake_slack, "chat.postMessage", timeout=60)
    async with serve(fake_slack, data_dir) as slack:  # the same data dir, a new process
        edited = {**question, "text": question["text"] + "（修正）", "edited": {"user": "U0001", "ts": "1"}}
        await slack.event(edited, event_id="EvP2")
        await slack.event(follow_up("大阪は？", "1700002001.000100"), event_id="EvP3")
        posts = await wait_calls(fake_slack, "chat.postMessage", 2, timeout=60)
        await asyncio.sleep(1.0)  # room for a wrong answer to the edit
    posts = fake_slack.calls_of("chat.postMessage")
    assert len(posts) == 2
    assert posts[1].params["thread_ts"] == THREAD
    assert "大阪" in posts[1].params["text"]  # answered as "Osaka's startup ranking", from the thread


async def test_two_replicas_on_redis_share_threads_and_the_rate_limit(
    fake_slack: FakeSlack, data_dir: Path, redis_url: str, tmp_path: Path
) -> None:
    other_dir = tmp_path / "replica-b"
    other_dir.mkdir()
    (other_dir / "chroma").symlink_to((data_dir / "chroma").resolve(), target_is_directory=True)
    redis_db = redis_url.rsplit("/", 1)[0] + "/3"  # a database of its own on the session's server
    async with (
        serve(fake_slack, data_dir, REDIS_URL=redis_db) as a,
        serve(fake_slack, other_dir, REDIS_URL=redis_db) as b,
    ):
        await a.event(mention("東京のスタートアップ・エコシステムの順位は？", ts=THREAD), event_id="EvQ0")
        await wait_calls(fake_slack, "chat.postMessage", timeout=60)
        await b.event(follow_up("大阪は？", "1700002001.000100"), event_id="EvQ1")
        [_, answer] = await wait_calls(fake_slack, "chat.postMessage", 2, timeout=60)
        assert answer.params["thread_ts"] == THREAD and "大阪" in answer.params["text"]
        for n in range(12):  # user U0002: twelve questions, alternating replicas
            event = mention("研究開発税制の控除率は？", ts=f"17000021{n:02d}.000100", user="U0002")
            await (a, b)[n % 2].event(event, event_id=f"EvQ{n + 2}")
        posts = await wait_calls(fake_slack, "chat.postMessage", 14, timeout=120)
    limited = [p for p in posts[2:] if "1分あたり10件まで" in p.params["text"]]
    assert len(posts[2:]) == 12 and len(limited) == 2


async def test_healthz_is_503_with_an_invalid_token(fake_slack: FakeSlack, data_dir: Path) -> None:
    fake_slack.rejected_tokens[TOKEN] = "invalid_auth"
    async with serve(fake_slack, data_dir) as slack:
        response = await slack.http.get(f"{slack.base_url}/healthz")
    assert response.status_code == 503
    assert response.json()["token"] == {
        "ok": False,
        "checked_at": response.json()["token"]["checked_at"],
        "error": "invalid_auth",
    }
