"""The one answering flow behind mentions, DMs, thread follow-ups and the assistant pane."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.fairness import cap_question, question_cut_notice
from bot.listeners.posting import post_messages
from bot.observability import RequestRecord, request_log
from bot.render.answer import render_answer
from bot.render.errors import render_error, render_rate_limited, render_timeout, with_notice
from bot.render.summary import render_summary
from bot.render.text import SlackMessage, contains_japanese
from bot.services import Services
from bot.store import Turn, history_of, turn_state

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
        # claims, rate windows and threads live in the store: shared by replicas, kept across restarts
        if not await services.store.claim_message(channel, ts):
            record.outcome = "duplicate"
            return False
        decision = await services.store.allow(user)
        if not decision.allowed:
            record.outcome = "rate_limited"
            limited = render_rate_limited(decision.retry_after_s, decision.limit)
            await post_messages(client, channel, [limited], thread_ts=thread_ts)
            return True
        if thread_ts:  # joined now, so a follow-up sent while this answer is computed is answered too
            await services.store.join_thread(channel, thread_ts)
        question, was_cut = cap_question(strip_mentions(text))
        async with services.user_gate.turn(user):  # one answer in flight per user
            try:
                reply = await asyncio.wait_for(
                    _compose_reply(services, client, record, channel, user, ts, question, thread_ts),
                    services.answer_budget_s,
                )
            except TimeoutError:
                record.outcome = "timeout"
                reply = [render_timeout()]
        if was_cut:
            reply = with_notice(reply, question_cut_notice())
        await post_messages(client, channel, reply, thread_ts=thread_ts)
        return True


async def _compose_reply(
    services: Services,
    client: AsyncWebClient,
    record: RequestRecord,
    channel: str,
    user: str,
    ts: str,
    question: str,
    thread_ts: str | None,
) -> list[SlackMessage]:
    """Answer or summarise `question` and return the messages to post (the caller posts them)."""
    target = summarize_target(question)
    if not question or target is not None:
        record.outcome = "summary" if question else "help"
        return [await summarize_message(services, target) if target is not None else help_message()]
    history_key = thread_ts or "dm"
    history = await thread_history(services, client, channel=channel, thread_ts=thread_ts, ts=ts)
    scope = await services.store.channel_documents(channel)  # None: every document (also in an outage)
    # only a multi-document engine (retrieval.library.Library) takes a scope; others serve one document
    scoped = {"documents": scope} if scope is not None and hasattr(services.answerer, "documents") else {}
    answer = await services.run_blocking(services.answerer.answer, question, history=history, **scoped)
    record.record_answer(answer)
    answer_id = await services.run_blocking(
        services.feedback.record_answer,
        question=question,
        answer=answer.answer,
        user_id=user,
        channel=channel,
        engine=answer.engine,
    )
    # stored before posting, so a quick follow-up in the thread cannot race the answer
    turn = Turn(
        ts=ts, question=question, answer=answer.answer, lang=answer.lang, user=user, state=turn_state(answer)
    )
    await services.store.add_turn(channel, history_key, turn)
    return render_answer(answer, answer_id=answer_id)


async def reply_to_event(
    services: Services,
    client: AsyncWebClient,
    event: dict[str, Any],
    body: dict[str, Any],
    *,
    thread_ts: str | None,
    surface: str,
) -> bool:
    """`reply_to_message` for a Slack message event (mention, DM, thread follow-up, assistant message)."""
    return await reply_to_message(
        services,
        client,
        channel=event["channel"],
        user=event.get("user", ""),
        ts=event["ts"],
        text=event.get("text", ""),
        thread_ts=thread_ts,
        surface=surface,
        event_id=body.get("event_id"),
    )


async def thread_history(
    services: Services, client: AsyncWebClient, *, channel: str, thread_ts: str | None, ts: str
) -> list[str]:
    """Earlier turns of the thread: from the store, or read once from Slack when the store has none."""
    turns = await services.store.turns(channel, thread_ts or "dm")
    if turns or not thread_ts or thread_ts == ts:
        return history_of(turns)
    try:  # e.g. people discussed first and then asked @deckbot, or the store lost the thread
        replies = await client.conversations_replies(channel=channel, ts=thread_ts, limit=MAX_THREAD_MESSAGES)
    except SlackApiError:
        logger.info("conversations.replies unavailable for %s/%s", channel, thread_ts)
        return []
    return replies_history(replies.get("messages") or [], ts)


def replies_history(messages: list[dict], ts: str) -> list[str]:
    """A thread read from Slack as the engine's history (question, answer, …), without the message `ts`.

    Where the bot has answered, each of its replies is paired with the user message just before it, and user
    messages it never answered are left out, so the history keeps alternating question and answer. A thread
    the bot never answered in is passed on as it is.
    """
    earlier = [(m, strip_mentions(m.get("text", ""))) for m in messages if m.get("ts") != ts]
    earlier = [(m, text) for m, text in earlier if text]
    if not any(m.get("bot_id") for m, _ in earlier):
        return [text for _, text in earlier][-MAX_THREAD_MESSAGES:]
    history: list[str] = []
    question: str | None = None
    for message, text in earlier:
        if not message.get("bot_id"):
            question = text
        elif question is not None:
            history += [question, text]
            question = None
        elif history:  # the next part of an answer posted as several messages
            history[-1] += "\n" + text
    return history[-MAX_THREAD_MESSAGES:]


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
