"""The /rdcredit modal's submission: field errors shown on the fields, else the result sent to the user."""

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.posting import upload_chart
from bot.observability import logged_listener
from bot.parsing import (
    CommandInputErrors,
    field_errors,
    format_rdcredit_text,
    parse_rdcredit_fields,
    to_rdcredit_input,
)
from bot.render.modals import RDCREDIT_MODAL_CALLBACK, read_modal_state
from bot.render.rdcredit import render_rdcredit_result
from bot.render.text import truncate
from bot.services import Services
from retrieval.rule_slides import cite_rule_slides
from tools.errors import ToolInputError
from tools.rd_credit import compute_rd_credit

_MODAL_BLOCKS = {
    "rd",
    "prior",
    "sales",
    "tax",
    "company",
    "options",
    "oi_university",
    "oi_startup",
    "oi_other",
}


def register(app: AsyncApp, services: Services) -> None:
    """Register the modal's view_submission handler."""

    async def handle_rdcredit_modal_submission(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        fields = read_modal_state(view["state"]["values"])
        flags = set(fields.get("options") or []) | ({"sme"} if fields.get("company") == "sme" else set())
        try:
            args = parse_rdcredit_fields({k: v for k, v in fields.items() if isinstance(v, str)}, flags)
            result = cite_rule_slides(compute_rd_credit(to_rdcredit_input(args)), services.bundle)
        except (CommandInputErrors, ToolInputError) as error:
            errors = {
                (e.field if e.field in _MODAL_BLOCKS else "rd"): truncate(
                    f"{e.message_ja} / {e.message_en}", 150
                )
                for e in field_errors(error)
            }
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        user = body["user"]["id"]
        channel = json.loads(view.get("private_metadata") or "{}").get("channel")
        share = (
            json.dumps({"c": channel, "t": format_rdcredit_text(args)}, ensure_ascii=False)
            if channel
            else None
        )
        message = render_rdcredit_result(result, share_value=share)
        posted = await client.chat_postMessage(channel=user, text=message.text, blocks=message.block_dicts())
        await upload_chart(
            client,
            services.rdcredit_chart,
            result,
            channel=posted["channel"],
            filename="rdcredit.png",
            title="研究開発税制 控除率カーブ / R&D credit curve",
        )

    app.view(RDCREDIT_MODAL_CALLBACK)(logged_listener(handle_rdcredit_modal_submission))
