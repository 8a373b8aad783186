"""Summarize buttons in App Home: send the section's summary to the user's DM."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.conversation import summarize_message
from bot.listeners.posting import post_messages
from bot.observability import logged_listener
from bot.render.home import HOME_SUMMARIZE_ACTION
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the Home tab's Summarize button."""

    async def handle_home_summarize_action(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        message = await summarize_message(services, action["value"])
        await post_messages(client, body["user"]["id"], [message])

    app.action(HOME_SUMMARIZE_ACTION)(logged_listener(handle_home_summarize_action))
