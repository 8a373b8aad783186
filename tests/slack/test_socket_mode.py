"""Socket Mode end to end: apps.connections.open on the fake Web API, then a WebSocket carrying an event."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import WSMsgType, web

from bot.app import build_socket_mode_handler
from bot.fake_web_api import FakeSlack, wait_calls
from bot.services import Services
from bot.settings import Settings
from tests.slack.conftest import mention


async def test_socket_mode_acks_the_envelope_and_answers_in_the_thread(
    fake_slack: FakeSlack, services: Services
) -> None:
    acks: list[dict[str, Any]] = []
    envelope = {
        "envelope_id": "env-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "payload": {
            "type": "event_callback",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event_id": "EvSOCKET1",
            "event_time": 1700000000,
            "event": mention("研究開発税制の控除率は？", ts="1700002000.000100"),
        },
    }

    async def socket(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        await ws.send_str(json.dumps(envelope))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                acks.append(json.loads(message.data))
        return ws

    server = web.Application()
    server.router.add_get("/link", socket)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake_slack.socket_url = f"ws://127.0.0.1:{runner.addresses[0][1]}/link"
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_APP_TOKEN="xapp-test-token",
        SLACK_API_BASE_URL=fake_slack.url,
    )
    handler = build_socket_mode_handler(settings, services)
    try:
        await handler.connect_async()
        [post] = await wait_calls(fake_slack, "chat.postMessage")
        [opened] = fake_slack.calls_of("apps.connections.open")
        assert opened.token == "xapp-test-token"
        assert post.params["thread_ts"] == "1700002000.000100"
        assert post.token == "xoxb-test-token"
        for _ in range(200):  # the ack travels back over the socket independently of the answer
            if acks:
                break
            await asyncio.sleep(0.01)
        assert acks[0]["envelope_id"] == "env-1"
    finally:
        await handler.close_async()
        await asyncio.sleep(0)
        await runner.cleanup()
