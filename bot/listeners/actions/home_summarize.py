"""Summarize buttons in App Home: send a section's, or a whole document's, summary to the user's DM."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.conversation import summarize_message
from bot.listeners.documents import document_rows
from bot.listeners.posting import post_messages
from bot.observability import logged_listener
from bot.render.documents import HOME_SUMMARIZE_DOCUMENT_ACTION, render_no_overview, render_unknown_document
from bot.render.home import HOME_SUMMARIZE_ACTION
from bot.render.summary import render_summary
from bot.render.text import SlackMessage, contains_japanese
from bot.services import Services


async def overview_message(services: Services, document_id: str) -> SlackMessage:
    """The whole-document summary (`Library.overview`, one bullet per key page), or why there is none."""
    rows = await services.run_blocking(document_rows, services, fallback=False)
    row = next((r for r in rows if r.id == document_id), None)
    overview = getattr(services.answerer, "overview", None)
    if row is None or overview is None:
        return render_unknown_document(document_id)
    lang = "ja" if contains_japanese(row.title) else "en"
    summary = await services.run_blocking(overview, document_id, lang=lang)
    return render_summary(summary) if summary is not None else render_no_overview(row.title)


def register(app: AsyncApp, services: Services) -> None:
    """Register the Home tab's Summarize buttons (sections of the deck, whole documents)."""

    async def handle_home_summarize_action(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        message = await summarize_message(services, action["value"])
        await post_messages(client, body["user"]["id"], [message])

    async def handle_home_summarize_document_action(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        message = await overview_message(services, action["value"])
        await post_messages(client, body["user"]["id"], [message])

    app.action(HOME_SUMMARIZE_ACTION)(logged_listener(handle_home_summarize_action))
    app.action(HOME_SUMMARIZE_DOCUMENT_ACTION)(logged_listener(handle_home_summarize_document_action))
