"""/deckbot documents | scope ID… | scope all: the served documents and the channel's document scope.

Anyone may list the documents; only workspace admins or owners (`users.info`) may change a channel's scope,
which is kept in the conversation store (`set_channel_documents`) and read by every answer in the channel.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.documents import document_rows
from bot.listeners.posting import post_private
from bot.observability import logged_listener
from bot.parsing import HELP_WORDS
from bot.render.documents import (
    render_documents,
    render_not_admin,
    render_scope_cleared,
    render_scope_set,
    render_scope_unsaved,
    render_scope_usage,
    render_too_many_documents,
    render_unknown_documents,
)
from bot.render.text import SlackMessage
from bot.services import Services
from bot.store.base import MAX_SCOPE_DOCUMENTS

logger = logging.getLogger("deckbot.commands.deckbot")
LIST_WORDS = {"", "documents", "document", "docs", "list", "文書", "一覧"} | HELP_WORDS
SCOPE_WORDS = {"scope", "範囲"}
ALL_WORDS = {"all", "*", "すべて", "全部"}
_WORDS = re.compile(r"[\s,、]+")


async def is_workspace_admin(client: AsyncWebClient, user: str) -> bool:
    """Whether `user` is a workspace admin or owner (users.info); False when Slack does not say."""
    try:
        response = await client.users_info(user=user)
    except SlackApiError as error:
        logger.warning(
            "users.info refused for %s (%s); treating as a member", user, error.response.get("error")
        )
        return False
    profile = response.get("user") or {}
    return bool(profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"))


async def change_scope(
    services: Services, client: AsyncWebClient, *, channel: str, user: str, args: list[str]
) -> SlackMessage:
    """`/deckbot scope …`: check the user, then the ids, then store; the reply says what happened."""
    if not args:
        return render_scope_usage()
    if not await is_workspace_admin(client, user):
        return render_not_admin()
    clear = len(args) == 1 and args[0].casefold() in ALL_WORDS
    ids = list(dict.fromkeys(args))
    rows = [] if clear else await services.run_blocking(document_rows, services)
    if not clear:
        unknown = [i for i in ids if i not in {row.id for row in rows}]
        if unknown:
            return render_unknown_documents(unknown, rows)
        if len(ids) > MAX_SCOPE_DOCUMENTS:
            return render_too_many_documents(MAX_SCOPE_DOCUMENTS)
    if not await services.store.set_channel_documents(channel, None if clear else ids):
        return render_scope_unsaved()
    logger.info("channel %s scope set by %s: %s", channel, user, "all" if clear else ",".join(ids))
    if clear:
        return render_scope_cleared()
    return render_scope_set([row for row in rows if row.id in ids])


async def deckbot_reply(
    services: Services, client: AsyncWebClient, *, channel: str, user: str, text: str
) -> SlackMessage:
    """The private reply to one `/deckbot` text."""
    words = [w for w in _WORDS.split(unicodedata.normalize("NFKC", text or "")) if w]  # ids: spaces or commas
    action = words[0].casefold() if words else ""
    if action in SCOPE_WORDS:
        return await change_scope(services, client, channel=channel, user=user, args=words[1:])
    if action in LIST_WORDS and len(words) <= 1:
        rows = await services.run_blocking(document_rows, services)
        return render_documents(rows, await services.store.channel_documents(channel))
    return render_scope_usage()


def register(app: AsyncApp, services: Services) -> None:
    """Register /deckbot."""

    async def handle_deckbot_command(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        channel, user = command["channel_id"], command["user_id"]
        message = await deckbot_reply(
            services, client, channel=channel, user=user, text=command.get("text", "")
        )
        await post_private(client, channel=channel, user=user, message=message, respond=respond)

    app.command("/deckbot")(logged_listener(handle_deckbot_command))
