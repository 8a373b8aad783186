"""/deckrank TABLE [entity]: the rows of a ranking table, posted in the channel with the slide."""

from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.posting import post_messages, post_private, upload_chart
from bot.observability import logged_listener
from bot.parsing import parse_rank_text
from bot.render.errors import render_error
from bot.render.ranking import render_ranking, render_table_list
from bot.render.text import SlackMessage, contains_japanese
from bot.services import Services
from tools.rankings import RankingQuery, RankingResult, TableError, list_tables, lookup_ranking


def lookup_from_text(services: Services, text: str) -> tuple[SlackMessage, RankingResult | None]:
    """Parse and look up one /deckrank text; the table list or a friendly error when it cannot."""
    args = parse_rank_text(text)
    if args is None:
        return render_table_list(list_tables(services.tables)), None
    try:
        result = lookup_ranking(services.tables, RankingQuery(**args.model_dump()))
    except ValidationError:
        message = render_error(
            "順位は1以上で指定してください（例: 3、1-10、top 5）。",
            "Ranks start at 1 (e.g. 3, 1-10, top 5).",
        )
        return message, None
    except TableError as error:
        message = render_error(
            error.message_ja,
            error.message_en,
            hint="`/deckrank` だけで表の一覧 / `/deckrank` alone lists the tables.",
        )
        return message, None
    lang = "en" if not contains_japanese(text) and args.entity else "ja"
    return render_ranking(result, lang=lang), result


def register(app: AsyncApp, services: Services) -> None:
    """Register /deckrank."""

    async def handle_deckrank_command(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        channel, user = command["channel_id"], command["user_id"]
        message, result = lookup_from_text(services, command.get("text", ""))
        if result is None:
            await post_private(client, channel=channel, user=user, message=message, respond=respond)
            return
        try:
            [ts] = await post_messages(client, channel, [message])
        except SlackApiError:  # not a member of the channel: the response_url can still show it
            await respond(text=message.text, blocks=message.block_dicts(), response_type="in_channel")
            return
        await upload_chart(
            client,
            services.ranking_chart,
            result,
            channel=channel,
            thread_ts=ts,
            filename=f"{result.table_id}.png",
            title=result.title_ja,
        )

    app.command("/deckrank")(logged_listener(handle_deckrank_command))
