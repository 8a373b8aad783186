"""The token check behind /healthz against the fake Web API: cached verdicts, re-checks, Slack unreachable."""

from __future__ import annotations

from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

from bot.fake_web_api import FakeSlack
from bot.feedback import FeedbackStore
from bot.health import TOKEN_OK_TTL_S, TOKEN_RETRY_S, TokenCheck, health_report
from bot.services import Services
from tests.ops.servers import free_port
from tests.slack.conftest import FakeAnswerer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def client_for(fake: FakeSlack, token: str | None = "xoxb-test-token") -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=fake.url)


async def test_a_good_token_is_rechecked_after_five_minutes(fake_slack: FakeSlack) -> None:
    clock = Clock()
    check = TokenCheck(client_for(fake_slack), clock=clock)
    first = await check.status()
    assert (first["ok"], first["team"], first["bot_user_id"], first["bot_id"]) == (
        True,
        "Test",
        "UBOT",
        "BBOT",
    )
    clock.now += TOKEN_OK_TTL_S - 1
    await check.status()
    assert len(fake_slack.calls_of("auth.test")) == 1
    fake_slack.rejected_tokens["xoxb-test-token"] = "token_revoked"  # revoked meanwhile
    clock.now += 2
    revoked = await check.status()
    assert (revoked["ok"], revoked["error"]) == (False, "token_revoked")
    del fake_slack.rejected_tokens["xoxb-test-token"]  # a new token was installed: noticed within 30 s
    clock.now += TOKEN_RETRY_S
    assert (await check.status())["ok"] is True
    assert len(fake_slack.calls_of("auth.test")) == 3


async def test_slack_unreachable_keeps_the_last_verdict_and_says_it_is_stale(fake_slack: FakeSlack) -> None:
    clock = Clock()
    check = TokenCheck(client_for(fake_slack), clock=clock)
    assert (await check.status())["ok"] is True
    fake_slack.fail("auth.test", "internal_error")  # Slack's trouble, not the token's
    clock.now += TOKEN_OK_TTL_S
    stale = await check.status()
    assert (stale["ok"], stale["stale"], stale["check_error"]) == (True, True, "internal_error")
    nowhere = TokenCheck(AsyncWebClient(token="xoxb-x", base_url=f"http://127.0.0.1:{free_port()}/api/"))
    unknown = await nowhere.status()
    assert unknown["ok"] is None and unknown["stale"] is True


async def test_health_report_codes(fake_slack: FakeSlack, tmp_path: Path) -> None:
    services = Services(
        answerer=FakeAnswerer(), feedback=FeedbackStore(tmp_path / "f.sqlite3"), chunk_count=7
    )
    try:
        code, body = await health_report(services, TokenCheck(client_for(fake_slack, token=None)))
        assert (code, body["status"], body["token"]) == (200, "ok", {"ok": None, "configured": False})
        fake_slack.fail("auth.test", "ratelimited")
        code, body = await health_report(services, TokenCheck(client_for(fake_slack)))
        assert (code, body["status"]) == (200, "degraded")  # no verdict yet: not a reason to drain
        fake_slack.fail("auth.test", "account_inactive")
        code, body = await health_report(services, TokenCheck(client_for(fake_slack)))
        assert (code, body["status"], body["index"]) == (503, "unavailable", {"chunks": 7})
    finally:
        await services.aclose()
