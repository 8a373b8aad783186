"""A burst of mentions is answered exactly once each; manifest.yaml matches the registered listeners."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import yaml

from bot.fake_web_api import FakeSlack, wait_calls
from bot.listeners.shortcuts import SUMMARIZE_SHORTCUT
from corpus.bundle import default_bundle
from tests.slack.conftest import FakeAnswerer, SlackClient, mention

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"


async def test_burst_of_20_mentions_from_20_users_each_answered_once(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    slow_answer = answerer.answer

    def busy_answer(question: str, *, history=()):
        time.sleep(0.05)  # engine work happens in the worker pool, not on the event loop
        return slow_answer(question, history=history)

    answerer.answer = busy_answer  # type: ignore[method-assign]
    events = [mention(f"質問{n}", ts=f"1700001{n:03d}.000100", user=f"U{n:04d}") for n in range(20)]
    responses = await asyncio.gather(*(slack.event(e) for e in events))
    assert [r.status_code for r in responses] == [200] * 20
    posts = await wait_calls(fake_slack, "chat.postMessage", 20, timeout=30)
    await asyncio.sleep(0.3)
    assert len(fake_slack.calls_of("chat.postMessage")) == 20
    assert sorted(p.params["thread_ts"] for p in posts) == sorted(e["ts"] for e in events)


def test_manifest_declares_what_the_app_registers() -> None:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/rdcredit", "/deckrank", "/decksummary", "/deckbot"}
    assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == [SUMMARIZE_SHORTCUT]
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {
        "app_mention",
        "app_home_opened",
        "message.im",
        "message.channels",
        "assistant_thread_started",
    } <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "assistant:write",
        "files:write",
        "users:read",
    } <= scopes
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert len(default_bundle().assistant.prompts) == 3
