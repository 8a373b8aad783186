"""The Share-in-channel button under a private /rdcredit result: recompute it and post it for all."""

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.commands.rdcredit import compute_from_text
from bot.listeners.posting import post_messages
from bot.observability import logged_listener
from bot.render.rdcredit import SHARE_ACTION
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the Share button."""

    async def handle_rdcredit_share_action(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        await ack()
        shared = json.loads(action["value"])
        channel = shared.get("c") or (body.get("channel") or {}).get("id")
        message, _ = compute_from_text(shared["t"], share_channel=None, bundle=services.bundle)
        message.text = f"<@{body['user']['id']}> が共有 / shared: {message.text}"
        await post_messages(client, channel, [message])
        if body.get("response_url"):
            await respond(
                text="チャンネルに共有しました / Shared in the channel.",
                replace_original=False,
                response_type="ephemeral",
            )

    app.action(SHARE_ACTION)(logged_listener(handle_rdcredit_share_action))
