"""The product as shipped: real offline engine and index, in process and as `deckbot serve --http`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import start_http_server
from bot.fake_web_api import FakeSlack, wait_calls
from bot.services import Services, build_services
from bot.settings import Settings
from tests.slack.conftest import SIGNING_SECRET, SlackClient, mention
from tests.slack.serve_process import deckbot_serve

pytestmark = pytest.mark.integration

# sample eval q014 (slide 我が国のイノベーション拠点の強みと課題②):
# 東京‐横浜 1位, 大阪‐神戸‐京都 7位, 名古屋 15位
GII_QUESTION = "GII 2024の世界トップ15の科学技術クラスターに入っている日本のクラスターと、その順位をすべて挙げてください。"  # noqa: E501


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


async def test_deckbot_serve_http_round_trip(
    fake_slack: FakeSlack, deck_data_dir: Path, tmp_path: Path
) -> None:
    async with (
        deckbot_serve(fake_slack, deck_data_dir, tmp_path) as served,
        httpx.AsyncClient(timeout=10) as http,
    ):
        health = served.health
        assert (health["status"], health["engine"]) == ("ok", "offline")
        assert health["index"]["chunks"] > 50
        assert health["token"]["ok"] is True and health["store"]["backend"] == "sqlite"
        assert (deck_data_dir / "conversations.sqlite3").exists()
        slack = SlackClient(served.base_url, http)
        forged = await slack.event(mention("控除率は？"), secret="wrong")
        assert forged.status_code == 401
        response = await slack.event(mention("研究開発税制の控除率は？", ts="1700000600.000100"))
        assert response.status_code == 200
        [post] = await wait_calls(fake_slack, "chat.postMessage", timeout=30)
        assert post.params["thread_ts"] == "1700000600.000100"
        assert post.blocks()[0]["type"] == "section"
        assert json.dumps(post.blocks(), ensure_ascii=False).count("feedback_up") == 1
