"""/rdcredit: the R&D tax credit, privately, from arguments or from a modal."""

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.posting import post_private, upload_chart
from bot.observability import logged_listener
from bot.parsing import (
    CommandInputErrors,
    field_errors,
    format_rdcredit_text,
    is_help,
    parse_rdcredit_text,
    to_rdcredit_input,
)
from bot.render.errors import render_input_errors
from bot.render.modals import render_rdcredit_modal
from bot.render.rdcredit import render_rdcredit_result, render_rdcredit_usage
from bot.render.text import SlackMessage
from bot.services import Services
from corpus.bundle import DocumentBundle
from retrieval.rule_slides import cite_rule_slides
from tools.errors import ToolInputError
from tools.rd_credit import RdCreditResult, compute_rd_credit

USAGE_HINT = "`/rdcredit help` で書き方を表示 / shows usage"


def compute_from_text(
    text: str, *, share_channel: str | None, bundle: DocumentBundle | None = None
) -> tuple[SlackMessage, RdCreditResult | None]:
    """Parse, compute and render one /rdcredit text; bad input becomes a friendly message, not an error.

    With a bundle, the working cites its slide titles instead of the calculator's rule keys.
    """
    try:
        args = parse_rdcredit_text(text)
        result = compute_rd_credit(to_rdcredit_input(args))
        result = cite_rule_slides(result, bundle) if bundle is not None else result
    except (CommandInputErrors, ToolInputError) as error:
        return render_input_errors(field_errors(error), usage_hint=USAGE_HINT), None
    share = json.dumps({"c": share_channel, "t": format_rdcredit_text(args)}, ensure_ascii=False)
    return render_rdcredit_result(result, share_value=share if share_channel else None), result


def register(app: AsyncApp, services: Services) -> None:
    """Register /rdcredit."""

    async def handle_rdcredit_command(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        text, channel, user = command.get("text", "").strip(), command["channel_id"], command["user_id"]
        await ack()
        if not text:
            metadata = json.dumps({"channel": channel})
            await client.views_open(
                trigger_id=command["trigger_id"], view=render_rdcredit_modal(private_metadata=metadata)
            )
            return
        if is_help(text):
            await post_private(
                client, channel=channel, user=user, message=render_rdcredit_usage(), respond=respond
            )
            return
        message, result = compute_from_text(text, share_channel=channel, bundle=services.bundle)
        await post_private(client, channel=channel, user=user, message=message, respond=respond)
        if result is not None:
            await upload_chart(
                client,
                services.rdcredit_chart,
                result,
                user=user,
                filename="rdcredit.png",
                title="研究開発税制 控除率カーブ / R&D credit curve",
            )

    app.command("/rdcredit")(logged_listener(handle_rdcredit_command))
