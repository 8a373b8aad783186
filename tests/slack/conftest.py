"""Slack test fixtures: fake Web API, a scriptable answerer, the real app over HTTP, signed requests."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from bot.app import start_http_server
from bot.cli.bench_support import scratch_data_dir
from bot.fake_web_api import FakeSlack
from bot.feedback import FeedbackStore
from bot.services import Services
from bot.settings import Settings
from bot.store import SQLiteConversationStore, StoreLimits
from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.models import Answer, Citation

SIGNING_SECRET = "test-signing-secret"
TAX_SECTION = SectionInfo(
    key="s27", title="我が国の研究開発インセンティブの現状と課題④", chapter="2. 研究開発投資", slides=[27, 28]
)


class FakeAnswerer:
    """Answerer test double: echoes the question, cites p.27, and remembers every call."""

    engine_name = "fake"

    def __init__(self, answer_text: str | None = None) -> None:
        self.answer_text = answer_text
        self.questions: list[tuple[str, list[str]]] = []
        self.summary_queries: list[str] = []

    def answer(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        self.questions.append((question, list(history)))
        text = self.answer_text or f"回答: {question} <script> & more"
        return Answer(
            answer=text,
            status="answered",
            engine="fake",
            citations=[Citation(slide=27, section="研究開発税制の概要", text="一般型の控除率は1～14％")],
        )

    def sections(self) -> list[SectionInfo]:
        return [
            TAX_SECTION,
            SectionInfo(key="s3", title="“科学とビジネスの近接化”の時代", chapter="1.", slides=[3]),
        ]

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        self.summary_queries.append(section_query)
        if "研究開発税制" not in section_query and section_query.strip() != "2":
            return None
        return SectionSummary(
            section=TAX_SECTION,
            lang=lang,
            bullets=[
                Citation(slide=27, section=TAX_SECTION.title, text="総額型の控除率は1～14％"),
                Citation(slide=28, section=TAX_SECTION.title, text="控除上限は原則25％"),
            ],
        )


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Web API on a free loopback port."""
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def answerer() -> FakeAnswerer:
    return FakeAnswerer()


@pytest.fixture
def settings(fake_slack: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.url.rstrip("/"),
    )


@pytest.fixture(scope="session")
def tables():
    from corpus.bundle import default_bundle
    from retrieval.tables import load_tables

    return load_tables(default_bundle())


@pytest.fixture
def services(answerer: FakeAnswerer, tmp_path: Path, tables) -> Services:
    """Services over a real SQLite conversation store in the test's own data dir (5 questions a minute)."""
    return Services(
        answerer=answerer,
        feedback=FeedbackStore(tmp_path / "feedback.sqlite3"),
        store=SQLiteConversationStore(tmp_path / "conversations.sqlite3", limits=StoreLimits(rate_limit=5)),
        tables=tables,
        chunk_count=42,
    )


class SlackClient:
    """Plays Slack: signs and POSTs payloads to the app's /slack/events over real HTTP."""

    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self.base_url = base_url
        self.http = http
        self._event_ids = iter(range(1, 10_000))

    def sign(
        self, body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
    ) -> dict[str, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    async def post(
        self, body: str, content_type: str, *, headers: dict[str, str] | None = None, **sign: Any
    ) -> httpx.Response:
        all_headers = {"Content-Type": content_type, **self.sign(body, **sign), **(headers or {})}
        return await self.http.post(f"{self.base_url}/slack/events", content=body, headers=all_headers)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
        **sign: Any,
    ) -> httpx.Response:
        body = {
            "token": "legacy",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._event_ids):05d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
        return await self.post(json.dumps(body), "application/json", headers=headers, **sign)

    async def command(self, command: str, text: str, *, response_url: str, **extra: str) -> httpx.Response:
        form = {
            "command": command,
            "text": text,
            "team_id": "T0001",
            "channel_id": "C0001",
            "user_id": "U0001",
            "user_name": "alice",
            "trigger_id": "1337.42.abcd",
            "response_url": response_url,
            "api_app_id": "A0001",
            **extra,
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        payload = {"team": {"id": "T0001"}, "api_app_id": "A0001", "token": "legacy", **payload}
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )


@pytest.fixture
async def slack(settings: Settings, services: Services) -> AsyncIterator[SlackClient]:
    """The real Bolt app behind the aiohttp server on a free port, and a client that plays Slack."""
    runner, port = await start_http_server(settings, services, host="127.0.0.1", port=0)
    async with httpx.AsyncClient(timeout=10) as http:
        yield SlackClient(f"http://127.0.0.1:{port}", http)
    await runner.cleanup()


def mention(
    text: str,
    *,
    ts: str = "1700000000.000100",
    channel: str = "C0001",
    user: str = "U0001",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """An app_mention event as Slack sends it."""
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


@pytest.fixture
def deck_data_dir(deck_index) -> Iterator[Path]:
    """A data dir of the test's own linking the session's deck index (tests/conftest.py): the deck is embedded
    once, and conversation state (claims, rate windows) never carries over from another test."""
    with scratch_data_dir(deck_index.data_dir) as data_dir:
        yield data_dir
