"""/decksummary SECTION: a short parent message in the channel, the summary as a reply in its thread."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.posting import post_messages, post_private
from bot.observability import logged_listener
from bot.render.errors import render_error
from bot.render.summary import render_summary, render_summary_parent
from bot.render.text import contains_japanese
from bot.services import Services

USAGE = render_error(
    "要約する節を指定してください。例: `/decksummary 2`、`/decksummary 研究開発税制`",
    "Name a section to summarise, e.g. `/decksummary 2` or `/decksummary R&D tax`.",
    hint="App Home に目次があります / The table of contents is in App Home.",
)


def register(app: AsyncApp, services: Services) -> None:
    """Register /decksummary."""

    async def handle_decksummary_command(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        query, channel, user = command.get("text", "").strip(), command["channel_id"], command["user_id"]
        if not query:
            await post_private(client, channel=channel, user=user, message=USAGE, respond=respond)
            return
        lang = "ja" if contains_japanese(query) else "en"
        summary = await services.run_blocking(services.answerer.summarize, query, lang=lang)
        if summary is None:
            message = render_error(
                f"「{query}」に当たる節が見つかりませんでした。",
                f'No deck section matches "{query}".',
                hint="章番号（例: 2）や題名の一部で / Try a chapter number or words from a title.",
            )
            await post_private(client, channel=channel, user=user, message=message, respond=respond)
            return
        try:
            [parent_ts] = await post_messages(
                client, channel, [render_summary_parent(summary, requested_by=user)]
            )
        except SlackApiError:  # the bot is not in this channel: show the summary privately instead
            await post_private(
                client, channel=channel, user=user, message=render_summary(summary), respond=respond
            )
            return
        await post_messages(client, channel, [render_summary(summary)], thread_ts=parent_ts)

    app.command("/decksummary")(logged_listener(handle_decksummary_command))
