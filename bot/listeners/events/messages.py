"""Plain messages: DMs to the bot, and follow-ups in channel threads the bot has answered in."""

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.conversation import reply_to_event
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the message listener."""

    async def handle_message_event(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        channel, thread_ts = event["channel"], event.get("thread_ts")
        is_dm = event.get("channel_type") == "im"
        # the store, not this process, knows the bot's threads: it answers after a restart and on any replica
        if not is_dm and not (thread_ts and await services.store.in_thread(channel, thread_ts)):
            return  # channel chatter; mentions arrive as app_mention
        await reply_to_event(
            services, client, event, body, thread_ts=thread_ts, surface="dm" if is_dm else "thread"
        )

    app.event("message")(handle_message_event)
