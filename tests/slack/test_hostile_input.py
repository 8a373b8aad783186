"""Hostile and oversized input against the real app over HTTP: nothing forged posts, every cost is bounded."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Sequence

import pytest

from bot.fairness import MAX_QUESTION_CHARS
from bot.fake_web_api import BOT_USER_ID, FakeSlack, wait_calls
from bot.services import Services
from retrieval.models import Answer
from tests.slack.conftest import FakeAnswerer, SlackClient, mention

FORGED_TARGET = {
    "type": "event_callback",
    "event_id": "EvForged",
    "event": {
        "type": "app_mention",
        "user": "UVICTIM",
        "text": "<@UBOT> hi",
        "ts": "1.2",
        "channel": "CVICTIM",
    },
    "channel_id": "CVICTIM",
    "user_id": "UVICTIM",
}


async def settle() -> None:
    """Give any (wrong) Web API call time to arrive before asserting there was none."""
    await asyncio.sleep(0.5)


def _headers(slack: SlackClient, body: str, **overrides: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", **slack.sign(body)}
    for name, value in overrides.items():
        header = {"timestamp": "X-Slack-Request-Timestamp", "signature": "X-Slack-Signature"}[name]
        if value is None:
            headers.pop(header)
        else:
            headers[header] = value
    return headers


@pytest.mark.parametrize(
    "variant",
    [
        "no headers",
        "no timestamp",
        "no signature",
        "non-numeric timestamp",
        "float timestamp",
        "huge timestamp",
        "old",
        "future",
        "tampered body",
    ],
)
async def test_forged_request_gets_401_and_causes_no_web_api_call(
    slack: SlackClient, fake_slack: FakeSlack, variant: str
) -> None:
    body = json.dumps(FORGED_TARGET)
    now = int(time.time())
    signed = slack.sign(body)
    headers = {
        "no headers": {"Content-Type": "application/json"},
        "no timestamp": _headers(slack, body, timestamp=None),
        "no signature": _headers(slack, body, signature=None),
        "non-numeric timestamp": _headers(slack, body, timestamp="abc"),
        "float timestamp": _headers(slack, body, timestamp=f"{now}.5"),
        "huge timestamp": _headers(slack, body, timestamp="9" * 400),
        "old": {"Content-Type": "application/json", **slack.sign(body, timestamp=now - 6 * 60)},
        "future": {"Content-Type": "application/json", **slack.sign(body, timestamp=now + 6 * 60)},
        "tampered body": {"Content-Type": "application/json", **signed},
    }[variant]
    sent = body.replace("CVICTIM", "CTAMPER") if variant == "tampered body" else body
    for _ in range(3):  # repeated forgeries change nothing either
        response = await slack.http.post(f"{slack.base_url}/slack/events", content=sent, headers=headers)
        assert response.status_code == 401
    await settle()
    assert fake_slack.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": "event_callback", "event": {"type": "app_m', "application/json"),
        ("\xff\xfe\x00binary", "application/json"),
        ("payload=%7B%22type%22%3A%22block_act", "application/x-www-form-urlencoded"),
    ],
    ids=["truncated json", "binary", "truncated interactive payload"],
)
async def test_signed_but_unreadable_body_gets_400(
    slack: SlackClient, fake_slack: FakeSlack, body: str, content_type: str
) -> None:
    response = await slack.post(body, content_type)
    assert response.status_code == 400
    await settle()
    assert fake_slack.calls == []


@pytest.mark.parametrize("broadcast", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S0123|@admins>"])
async def test_broadcast_mentions_never_reach_a_posted_field(
    slack: SlackClient, fake_slack: FakeSlack, broadcast: str
) -> None:
    await slack.event(mention(f"summarize {broadcast}"))  # matches no section: the reply echoes the target
    await slack.event(mention(f"{broadcast} 研究開発税制の控除率は？", ts="1700000000.000200"))
    await slack.command("/deckrank", f"{broadcast} Tokyo", response_url=fake_slack.response_url)
    await slack.command("/rdcredit", f"rd={broadcast}", response_url=fake_slack.response_url)
    await wait_calls(fake_slack, "chat.postMessage", 2)
    await wait_calls(fake_slack, "chat.postEphemeral", 2)
    await settle()
    posted = [
        c for c in fake_slack.calls if c.method in ("chat.postMessage", "chat.postEphemeral", "response_url")
    ]
    assert len(posted) >= 4
    for call in posted:
        assert "<!" not in json.dumps(call.params, ensure_ascii=False), call.method
    echoed = [c for c in posted if "&lt;!" in c.params.get("text", "")]
    assert echoed, "the user's text is still shown, escaped"


async def test_long_mention_is_cut_and_the_reply_says_so(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    await slack.event(mention("研究開発税制の控除率は？" + "あ" * 40_000))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    [(question, _)] = answerer.questions
    assert len(question) == MAX_QUESTION_CHARS
    assert question.startswith("研究開発税制の控除率は？")
    assert "1,000" in json.dumps(post.blocks(), ensure_ascii=False)


class SlowAnswerer(FakeAnswerer):
    """Takes `delay_s` per answer and records how many answers of each user ran at once."""

    def __init__(self, delay_s: float) -> None:
        super().__init__()
        self.delay_s = delay_s
        self.running: dict[str, int] = {}
        self.most_at_once: dict[str, int] = {}
        self.finished: list[str] = []
        self._lock = threading.Lock()

    def answer(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        user = question.split()[0]
        with self._lock:
            self.running[user] = self.running.get(user, 0) + 1
            self.most_at_once[user] = max(self.most_at_once.get(user, 0), self.running[user])
        time.sleep(self.delay_s if user == "heavy" else 0)
        with self._lock:
            self.running[user] -= 1
            self.finished.append(question)
        return super().answer(question, history=history)


@pytest.fixture
def slow_answerer() -> SlowAnswerer:
    return SlowAnswerer(delay_s=1.0)


@pytest.fixture
def answerer(request: pytest.FixtureRequest) -> FakeAnswerer:
    if "slow_answerer" in request.fixturenames:
        return request.getfixturevalue("slow_answerer")
    return FakeAnswerer()


async def test_one_user_cannot_fill_the_workers(
    slack: SlackClient, fake_slack: FakeSlack, slow_answerer: SlowAnswerer
) -> None:
    for i in range(4):  # more slow questions than there are workers
        await slack.event(mention(f"heavy question {i}", user="UHEAVY", ts=f"1700000100.00{i}"))
    await asyncio.sleep(0.2)
    await slack.event(mention("light question", user="ULIGHT", ts="1700000200.0001"))
    await wait_calls(fake_slack, "chat.postMessage", 5, timeout=15)
    assert slow_answerer.most_at_once["heavy"] == 1
    # the light question did not queue behind the heavy user's backlog
    assert slow_answerer.finished.index("light question") <= 1


async def test_answer_past_its_time_budget_gets_a_friendly_reply(
    slack: SlackClient, fake_slack: FakeSlack, services: Services, slow_answerer: SlowAnswerer
) -> None:
    services.answer_budget_s = 0.3
    await slack.event(mention("heavy question"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert "took too long" in post.params["text"]
    await asyncio.sleep(1.2)  # the abandoned answer finishes; nothing more is posted
    assert len(fake_slack.calls_of("chat.postMessage")) == 1


async def test_assistant_context_change_after_the_greeting_updates_it(
    slack: SlackClient, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    thread = {"user_id": "U0001", "channel_id": "D0001", "thread_ts": "1700000011.000001", "context": {}}
    await slack.event(
        {"type": "assistant_thread_started", "event_ts": "1700000011.1", "assistant_thread": thread}
    )
    [greeting] = await wait_calls(fake_slack, "chat.postMessage")
    posted = {"ts": "1700000011.000002", "user": BOT_USER_ID, "text": greeting.params["text"]}
    if greeting.params.get("blocks"):
        posted["blocks"] = greeting.blocks()
    fake_slack.replies["1700000011.000001"] = [posted]  # what conversations.replies now returns
    changed = {**thread, "context": {"channel_id": "C0001", "team_id": "T0001"}}
    await slack.event(
        {"type": "assistant_thread_context_changed", "event_ts": "1700000013.1", "assistant_thread": changed}
    )
    [update] = await wait_calls(fake_slack, "chat.update")
    assert update.json_param("metadata")["event_payload"] == changed["context"]
    assert not [r for r in caplog.records if r.exc_info]


@pytest.fixture
def settings(fake_slack: FakeSlack):
    from bot.settings import Settings
    from tests.slack.conftest import SIGNING_SECRET

    return Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.url.rstrip("/"),
        slack_timeout_s=0.5,
    )


async def test_timed_out_post_is_neither_retried_nor_followed_by_an_error(
    slack: SlackClient, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.delays["chat.postMessage"] = 1.5  # Slack got it, but the answer comes too late
    await slack.event(mention("研究開発税制の控除率は？"))
    await wait_calls(fake_slack, "chat.postMessage")
    await asyncio.sleep(3)
    [post] = fake_slack.calls_of("chat.postMessage")
    assert "研究開発税制の控除率" in post.params["text"]
    assert fake_slack.calls_of("chat.postEphemeral") == []
    assert any("timed out" in r.getMessage() for r in caplog.records)  # it really did time out
