"""The product as shipped: real offline engine and index, in process and as `deckbot serve --http`."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.app import start_http_server
from bot.cli.bench import scratch_data_dir
from bot.services import Services, build_services
from bot.settings import Settings
from tests.slack.conftest import SIGNING_SECRET, SlackClient, mention
from bot.fake_web_api import FakeSlack, wait_calls

pytestmark = pytest.mark.integration

# sample eval q014 (slide 我が国のイノベーション拠点の強みと課題②):
# 東京‐横浜 1位, 大阪‐神戸‐京都 7位, 名古屋 15位
GII_QUESTION = "GII 2024の世界トップ15の科学技術クラスターに入っている日本のクラスターと、その順位をすべて挙げてください。"  # noqa: E501


@pytest.fixture
def deck_data_dir(deck_index) -> Iterator[Path]:
    """A data dir of the test's own linking the session's deck index (tests/conftest.py): the deck is embedded
    once, and conversation state (claims, rate windows) never carries over from another test."""
    with scratch_data_dir(deck_index.data_dir) as data_dir:
        yield data_dir


@pytest.fixture
def real_settings(fake_slack: FakeSlack, deck_data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.url,
        data_dir=deck_data_dir,
    )


@pytest.fixture
async def real_slack(real_settings: Settings) -> AsyncIterator[tuple[SlackClient, Services]]:
    services = build_services(real_settings)
    runner, port = await start_http_server(real_settings, services, port=0)
    async with httpx.AsyncClient(timeout=10) as http:
        yield SlackClient(f"http://127.0.0.1:{port}", http), services
    await runner.cleanup()


async def test_offline_engine_answers_a_ranking_question_in_the_thread(
    real_slack: tuple[SlackClient, Services], fake_slack: FakeSlack
) -> None:
    slack, services = real_slack
    assert services.engine_name == "offline"
    await slack.event(mention(GII_QUESTION, ts="1700000500.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage", timeout=30)
    assert post.params["thread_ts"] == "1700000500.000100"
    body = " ".join(b["text"]["text"] for b in post.blocks() if b["type"] == "section")
    for expected in ("東京‐横浜", "大阪‐神戸‐京都", "名古屋", "15位"):
        assert expected in body
    contexts = [e["text"] for b in post.blocks() if b["type"] == "context" for e in b["elements"]]
    assert any("我が国のイノベーション拠点の強みと課題②" in text for text in contexts)


async def test_offline_engine_decksummary_threads_the_tax_section(
    real_slack: tuple[SlackClient, Services], fake_slack: FakeSlack
) -> None:
    slack, _ = real_slack
    await slack.command("/decksummary", "研究開発税制", response_url=fake_slack.response_url)
    parent, reply = await wait_calls(fake_slack, "chat.postMessage", 2, timeout=30)
    assert reply.params["thread_ts"] == parent.response["ts"]
    assert reply.blocks()[0]["text"]["text"] == "我が国の研究開発インセンティブの現状と課題④"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_deckbot_serve_http_round_trip(
    fake_slack: FakeSlack, deck_data_dir: Path, tmp_path: Path
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DECKBOT_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.url,
        DECKBOT_DATA_DIR=str(deck_data_dir),
        DECKBOT_LOG_LEVEL="WARNING",
    )
    deckbot = Path(sys.executable).with_name("deckbot")
    process = subprocess.Popen(
        [str(deckbot), "serve", "--http", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            health = None
            deadline = time.monotonic() + 180  # opening the index is quick; a busy CI box is not
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    health = (await http.get(f"{base}/healthz")).json()
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            if health is None:
                process.terminate()
                pytest.fail(
                    "deckbot serve did not come up:\n" + process.communicate(timeout=10)[0].decode()[-3000:]
                )
            assert (health["status"], health["engine"]) == ("ok", "offline")
            assert health["index"]["chunks"] > 50
            assert health["token"]["ok"] is True and health["store"]["backend"] == "sqlite"
            assert (deck_data_dir / "conversations.sqlite3").exists()
            slack = SlackClient(base, http)
            forged = await slack.event(mention("控除率は？"), secret="wrong")
            assert forged.status_code == 401
            response = await slack.event(mention("研究開発税制の控除率は？", ts="1700000600.000100"))
            assert response.status_code == 200
            [post] = await wait_calls(fake_slack, "chat.postMessage", timeout=30)
            assert post.params["thread_ts"] == "1700000600.000100"
            assert post.blocks()[0]["type"] == "section"
            assert json.dumps(post.blocks(), ensure_ascii=False).count("feedback_up") == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
