"""Posting helpers shared by listeners: messages in order, private replies with a fallback, chart uploads."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.text import SlackMessage
from tools.errors import ToolInputError

logger = logging.getLogger("deckbot.posting")

# errors meaning "the bot cannot post here", where the response_url still works
_NOT_IN_CHANNEL = {"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived"}


async def post_messages(
    client: AsyncWebClient, channel: str, messages: Sequence[SlackMessage], *, thread_ts: str | None = None
) -> list[str]:
    """Post messages in order (into `thread_ts` when given); return their ts.

    A post whose response timed out may well have been posted, so it is neither retried nor followed by an
    error message (which would leave both in the thread); the rest of the reply is dropped and logged.
    """
    posted = []
    for message in messages:
        try:
            response = await client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message.text,
                blocks=message.block_dicts(),
                unfurl_links=False,
            )
        except TimeoutError:
            logger.warning(
                "chat.postMessage timed out in %s (it may have been posted); %d message(s) not sent",
                channel,
                len(messages) - len(posted),
            )
            break
        posted.append(response["ts"])
    return posted


async def post_private(
    client: AsyncWebClient,
    *,
    channel: str,
    user: str,
    message: SlackMessage,
    respond: AsyncRespond | None = None,
    thread_ts: str | None = None,
) -> None:
    """Show `message` to `user` only; fall back to the response_url when chat.postEphemeral is refused."""
    try:
        await client.chat_postEphemeral(
            channel=channel, user=user, text=message.text, blocks=message.block_dicts(), thread_ts=thread_ts
        )
    except SlackApiError as error:
        if respond is None:
            raise
        reason = error.response.get("error")
        level = logging.INFO if reason in _NOT_IN_CHANNEL else logging.WARNING
        logger.log(level, "chat.postEphemeral refused (%s); replying through response_url", reason)
        await respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )


async def upload_chart(
    client: AsyncWebClient,
    chart: Callable[[Any], tuple[bytes, str]] | None,
    result: Any,
    *,
    channel: str | None = None,
    user: str | None = None,
    thread_ts: str | None = None,
    filename: str,
    title: str,
) -> bool:
    """Upload a chart of `result` next to a text answer already posted; failures are logged, never raised.

    Args:
        client: Web API client.
        chart: Function returning (PNG bytes, alt text) for `result`; nothing happens when None.
        result: The calculator or lookup result the chart shows.
        channel: Conversation to upload into; when None, the DM with `user` is opened.
        user: User whose DM receives the chart when no channel is given.
        thread_ts: Thread to upload into.
        filename: File name shown in Slack.
        title: File title shown in Slack.

    Returns:
        True when the chart was uploaded.
    """
    if chart is None:
        return False
    try:
        png, alt_text = await asyncio.to_thread(chart, result)  # matplotlib is CPU-bound
    except ToolInputError as reason:  # e.g. a table with nothing numeric to plot: expected, not a fault
        logger.info("no chart for %s: %s", filename, reason.message_en)
        return False
    except Exception:  # the text answer is already posted; the picture is a bonus
        logger.warning("chart rendering failed for %s", filename, exc_info=True)
        return False
    try:
        if channel is None:
            channel = (await client.conversations_open(users=user))["channel"]["id"]
        await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=png, filename=filename, title=title, alt_txt=alt_text
        )
    except Exception:  # the text answer is already posted; the picture is a bonus
        logger.warning("chart upload failed for %s", filename, exc_info=True)
        return False
    return True
