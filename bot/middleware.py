"""Cross-cutting middleware: drop Slack's retries and bot-authored messages, log one line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.services import Services

logger = logging.getLogger("deckbot.requests")

# message subtypes that are edits, deletions, joins…: never questions
_QUESTION_SUBTYPES = {None, "file_share", "thread_broadcast"}


def is_bot_or_system_message(event: dict[str, Any]) -> bool:
    """Tell whether a message comes from any bot (this one included) or is an edit, join or other subtype."""
    if event.get("type") not in ("message", "app_mention"):
        return False
    return (
        bool(event.get("bot_id") or event.get("bot_profile"))
        or event.get("subtype") not in _QUESTION_SUBTYPES
    )


def register_middleware(app: AsyncApp, services: Services) -> None:
    """Install the global middleware, in order: log, drop bot messages, drop retried events."""

    async def log_request(req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        started = time.perf_counter()
        response = await next()
        body = req.body
        logger.debug(  # the per-request outcome line comes from bot.observability.request_log
            "slack request type=%s event=%s event_id=%s user=%s retry=%s ms=%.1f",
            body.get("type"),
            (body.get("event") or {}).get("type") or body.get("command"),
            body.get("event_id"),
            req.context.user_id,
            _retry_num(req),
            (time.perf_counter() - started) * 1000,
        )
        return response

    async def ignore_bot_messages(
        req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        if is_bot_or_system_message(req.body.get("event") or {}):
            return await req.context.ack()
        return await next()

    async def drop_duplicate_events(
        req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        event_id = req.body.get("event_id")
        if event_id and not await services.store.claim_event(event_id):
            logger.info("dropped repeated delivery event_id=%s retry=%s", event_id, _retry_num(req))
            return await req.context.ack()
        return await next()

    app.use(log_request)
    app.use(ignore_bot_messages)
    app.use(drop_duplicate_events)


def _retry_num(req: AsyncBoltRequest) -> str | None:
    values = req.headers.get("x-slack-retry-num")
    return values[0] if values else None
