"""👍/👎 buttons under answers: store the rating and thank the user privately."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.observability import logged_listener
from bot.render.answer import FEEDBACK_DOWN_ACTION, FEEDBACK_UP_ACTION
from bot.render.errors import render_error
from bot.render.text import SlackMessage
from bot.services import Services

THANKS = SlackMessage(text="フィードバックありがとうございます / Thanks for the feedback!")


def register(app: AsyncApp, services: Services) -> None:
    """Register both feedback buttons."""

    async def handle_feedback_action(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        rating = 1 if action["action_id"] == FEEDBACK_UP_ACTION else -1
        user = body["user"]["id"]
        stored = await services.run_blocking(
            services.feedback.record_feedback, answer_id=action.get("value", ""), user_id=user, rating=rating
        )
        message = (
            THANKS
            if stored
            else render_error("この回答の記録が見つかりませんでした。", "That answer is no longer on record.")
        )
        channel = (body.get("channel") or {}).get("id")
        thread_ts = (body.get("message") or {}).get("thread_ts")
        if channel:
            await client.chat_postEphemeral(
                channel=channel,
                user=user,
                text=message.text,
                thread_ts=thread_ts,
                blocks=message.block_dicts() or None,
            )

    app.action(FEEDBACK_UP_ACTION)(logged_listener(handle_feedback_action))
    app.action(FEEDBACK_DOWN_ACTION)(logged_listener(handle_feedback_action))
