"""The one global error handler: log the exception with a reference, tell the user something useful."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.errors import render_internal_error

logger = logging.getLogger("deckbot.errors")


async def handle_error(error: Exception, body: dict[str, Any], client: AsyncWebClient) -> None:
    """Log `error` under a short reference and send the user a friendly message carrying it."""
    reference = uuid.uuid4().hex[:8]
    logger.exception("unhandled error ref=%s type=%s", reference, body.get("type"), exc_info=error)
    message = render_internal_error(reference)
    try:
        await _notify(client, body, message.text, message.block_dicts())
    except Exception:  # the user could not be told; the log above already holds the detail
        logger.warning("could not report error ref=%s to the user", reference, exc_info=True)


async def _notify(client: AsyncWebClient, body: dict[str, Any], text: str, blocks: list[dict]) -> None:
    event = body.get("event") or {}
    if event.get("channel"):
        thread_ts = event.get("thread_ts") or event.get("ts")
        await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=text, blocks=blocks)
        return
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if user and channel:
        await client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
    elif user:
        await client.chat_postMessage(channel=user, text=text, blocks=blocks)


def register_error_handler(app: AsyncApp) -> None:
    """Install `handle_error` as the app's only error handler."""
    app.error(handle_error)
