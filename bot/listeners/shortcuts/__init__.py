"""Shortcuts: the message shortcut "Summarize the deck section about this"."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.conversation import summarize_message
from bot.listeners.posting import post_messages
from bot.observability import logged_listener
from bot.services import Services

SUMMARIZE_SHORTCUT = "summarize_message"


def register(app: AsyncApp, services: Services) -> None:
    """Register the message shortcut; it replies in the message's thread."""

    async def handle_summarize_shortcut(
        ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        message = shortcut.get("message") or {}
        reply = await summarize_message(services, message.get("text") or "")
        await post_messages(
            client,
            shortcut["channel"]["id"],
            [reply],
            thread_ts=message.get("thread_ts") or message.get("ts"),
        )

    app.shortcut(SUMMARIZE_SHORTCUT)(logged_listener(handle_summarize_shortcut))
