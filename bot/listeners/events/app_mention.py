"""`@deckbot question` in a channel: answer in that message's thread."""

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.conversation import reply_to_event
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the app_mention listener."""

    async def handle_app_mention_event(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await reply_to_event(
            services, client, event, body, thread_ts=event.get("thread_ts") or event["ts"], surface="mention"
        )

    app.event("app_mention")(handle_app_mention_event)
