"""The real `deckbot serve --http` program under hostile input: forged requests, a huge ratio, SIGTERM."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from bot.fake_web_api import FakeSlack, wait_calls
from tests.slack.conftest import SlackClient
from tests.slack.serve_process import deckbot_serve

HUGE_RATIO = "rd=10億 prior=100万,100万,100万 sales=100億,100億,100億,100億 tax=5億"


async def test_forged_timestamp_is_401_and_a_huge_ratio_still_gets_its_chart(
    fake_slack: FakeSlack, deck_data_dir: Path, tmp_path: Path
) -> None:
    async with (
        deckbot_serve(fake_slack, deck_data_dir, tmp_path) as served,
        httpx.AsyncClient(timeout=30) as http,
    ):
        forged = await http.post(
            f"{served.base_url}/slack/events",
            content='{"type":"event_callback","event":{"type":"app_mention","channel":"CVICTIM","ts":"1.1"}}',
            headers={
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": "abc",
                "X-Slack-Signature": "v0=00",
            },
        )
        assert forged.status_code == 401
        slack = SlackClient(served.base_url, http)
        for command_text in (
            HUGE_RATIO,
            HUGE_RATIO.replace("rd=10億 prior=100万,100万,100万", "rd=1兆 prior=1,1,1"),
        ):
            response = await slack.command("/rdcredit", command_text, response_url=fake_slack.response_url)
            assert response.status_code == 200
        await wait_calls(fake_slack, "files.completeUploadExternal", 2, timeout=60)
        assert served.process.poll() is None
    assert not [c for c in fake_slack.calls if "CVICTIM" in str(c.params)]


async def test_sigterm_while_busy_stops_the_server(
    fake_slack: FakeSlack, deck_data_dir: Path, tmp_path: Path
) -> None:
    async with (
        deckbot_serve(fake_slack, deck_data_dir, tmp_path) as served,
        httpx.AsyncClient(timeout=30) as http,
    ):
        slack = SlackClient(served.base_url, http)
        await slack.command("/rdcredit", HUGE_RATIO, response_url=fake_slack.response_url)
        served.process.send_signal(signal.SIGTERM)
        try:
            code = served.process.wait(timeout=10)  # a deploy waits about this long before SIGKILL
        except subprocess.TimeoutExpired:
            pytest.fail("deckbot serve was still running 10 s after SIGTERM")
        assert code == 0
