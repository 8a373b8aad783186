"""The one answering flow behind mentions, DMs, thread follow-ups and the assistant pane."""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.posting import post_messages
from bot.observability import request_log
from bot.render.answer import render_answer
from bot.render.errors import render_error, render_rate_limited
from bot.render.summary import render_summary
from bot.render.text import SlackMessage, contains_japanese
from bot.services import Services

MAX_THREAD_MESSAGES = 12
logger = logging.getLogger("deckbot.conversation")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SUMMARIZE = re.compile(
    r"^(?:summari[sz]e|summary|要約(?:して)?)[\s:：、,]*(?P<target>.+)$", re.IGNORECASE | re.S
)
_SUMMARIZE_JA = re.compile(r"^(?P<target>.+?)を要約(?:して(?:ください)?)?[。.!！]?$", re.S)


def strip_mentions(text: str) -> str:
    """Remove `<@U123>` mentions and surrounding whitespace from a message's text."""
    return _MENTION.sub(" ", text or "").strip()


def summarize_target(question: str) -> str | None:
    """Return the section asked for in 'summarize X' / 'X を要約して', or None for ordinary questions."""
    match = _SUMMARIZE.match(question) or _SUMMARIZE_JA.match(question)
    return match.group("target").strip() if match else None


def help_message() -> SlackMessage:
    """Build the reply to an empty mention."""
    return render_error(
        "質問を書いてください。例: 「研究開発税制の控除率は？」「東京のスタートアップ順位は？」",
        'Please add a question, e.g. "What is the R&D tax credit rate?" or "Summarise chapter 2".',
    )


async def reply_to_message(
    services: Services,
    client: AsyncWebClient,
    *,
    channel: str,
    user: str,
    ts: str,
    text: str,
    thread_ts: str | None,
    surface: str = "message",
    event_id: str | None = None,
) -> bool:
    """Answer one user message once: claim it, check the rate limit, answer or summarise, post, remember.

    Args:
        services: The engine and stores.
        client: Web API client.
        channel: Channel of the message.
        user: Author of the message.
        ts: The message's own ts (the de-duplication key with `channel`).
        text: The raw message text (mentions are stripped here).
        thread_ts: Thread to reply in; None replies at the top level (plain DMs).
        surface: Where the message came from (mention, dm, thread, assistant), for the request log.
        event_id: Slack's event id, for the request log.

    Returns:
        True when this call answered; False when another delivery of the same message already did.
    """
    with request_log(surface, event_id=event_id, user=user, channel=channel) as record:
        if not await services.dedupe.claim(f"message:{channel}:{ts}"):
            record.outcome = "duplicate"
            return False
        if not services.rate_limiter.allow(user):
            record.outcome = "rate_limited"
            wait_s = services.rate_limiter.retry_after(user)
            limited = render_rate_limited(wait_s, services.rate_limiter.limit)
            await post_messages(client, channel, [limited], thread_ts=thread_ts)
            return True
        question = strip_mentions(text)
        target = summarize_target(question)
        if not question or target is not None:
            record.outcome = "summary" if question else "help"
            reply = await summarize_message(services, target) if target is not None else help_message()
            await post_messages(client, channel, [reply], thread_ts=thread_ts)
            return True
        history_key = thread_ts or "dm"
        history = await thread_history(services, client, channel=channel, thread_ts=thread_ts, ts=ts)
        answer = await services.run_blocking(services.answerer.answer, question, history=history)
        record.record_answer(answer)
        answer_id = await services.run_blocking(
            services.feedback.record_answer,
            question=question,
            answer=answer.answer,
            user_id=user,
            channel=channel,
            engine=answer.engine,
        )
        # remembered before posting, so a quick follow-up in the thread cannot race the answer
        services.threads.remember(channel, history_key, question, answer.answer)
        await post_messages(client, channel, render_answer(answer, answer_id=answer_id), thread_ts=thread_ts)
        return True


async def thread_history(
    services: Services, client: AsyncWebClient, *, channel: str, thread_ts: str | None, ts: str
) -> list[str]:
    """Earlier turns of the thread: from memory, or read once from Slack when the bot has not been in it."""
    key = thread_ts or "dm"
    if services.threads.knows(channel, key) or not thread_ts or thread_ts == ts:
        return services.threads.history(channel, key)
    try:  # e.g. people discussed first and then asked @deckbot, or the bot restarted
        replies = await client.conversations_replies(channel=channel, ts=thread_ts, limit=MAX_THREAD_MESSAGES)
    except SlackApiError:
        logger.info("conversations.replies unavailable for %s/%s", channel, thread_ts)
        return []
    texts = [strip_mentions(m.get("text", "")) for m in replies.get("messages") or [] if m.get("ts") != ts]
    return [t for t in texts if t][-MAX_THREAD_MESSAGES:]


async def summarize_message(services: Services, target: str) -> SlackMessage:
    """Summarise the section matching `target`, or explain that nothing matched."""
    target = strip_mentions(target)
    if not target:
        return render_error(
            "要約する節を指定してください（例: 2、研究開発税制）。",
            "Name a section to summarise (e.g. 2, R&D tax).",
        )
    lang = "ja" if contains_japanese(target) else "en"
    summary = await services.run_blocking(services.answerer.summarize, target, lang=lang)
    if summary is None:
        return render_error(
            f"「{target}」に当たる節が見つかりませんでした。章番号（例: 2）や題名の一部で指定してください。",
            f'No deck section matches "{target}". Try a chapter number (e.g. 2) or words from a title.',
            hint="App Home の目次から選ぶこともできます / Pick one from the table of contents in App Home.",
        )
    return render_summary(summary)
