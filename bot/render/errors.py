"""Friendly error and notice messages, in Japanese and English."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.render.text import MAX_BLOCKS, SlackMessage, escape_mrkdwn, truncate


def render_error(
    message_ja: str, message_en: str, *, hint: str | None = None, reference: str | None = None
) -> SlackMessage:
    """Render a user-facing error: what went wrong in both languages, an optional hint and reference."""
    body = f":warning: {escape_mrkdwn(message_ja)}\n{escape_mrkdwn(message_en)}"
    blocks = [SectionBlock(text=MarkdownTextObject(text=truncate(body, 3000)))]
    extras = []
    if hint:
        extras.append(MarkdownTextObject(text=truncate(hint, 2000)))
    if reference:
        extras.append(MarkdownTextObject(text=f"ref: `{escape_mrkdwn(reference)}`"))
    if extras:
        blocks.append(ContextBlock(elements=extras))
    return SlackMessage(text=truncate(f"{message_ja} / {message_en}", 3000), blocks=blocks)


def render_internal_error(reference: str) -> SlackMessage:
    """Render the message shown when something unexpected failed; internals stay in the log."""
    return render_error(
        "申し訳ありません、処理中にエラーが発生しました。少し待ってもう一度お試しください。",
        "Sorry, something went wrong while handling that. Please try again in a moment.",
        reference=reference,
    )


def render_timeout() -> SlackMessage:
    """Render the reply for a question that ran past its time budget."""
    return render_error(
        "時間内に答えをまとめられませんでした。質問を短くするか、少し待ってもう一度お試しください。",
        "That took too long to answer. Please shorten the question or try again in a moment.",
    )


def with_notice(messages: list[SlackMessage], notice: str) -> list[SlackMessage]:
    """Add a small context line (e.g. that the message was cut) under the first message of a reply."""
    line = ContextBlock(
        elements=[MarkdownTextObject(text=f":scissors: {escape_mrkdwn(truncate(notice, 2000))}")]
    )
    first = messages[0]
    if len(first.blocks) < MAX_BLOCKS:
        first.blocks.append(line)
        return messages
    return [first, SlackMessage(text=notice, blocks=[line]), *messages[1:]]


def render_rate_limited(retry_after_s: int, limit_per_minute: int) -> SlackMessage:
    """Render the polite reply for a user who asked too often."""
    return render_error(
        f"少し質問が続いています（1分あたり{limit_per_minute}件まで）。{retry_after_s}秒ほど待ってからお試しください。",
        f"You're asking faster than I can keep up (limit {limit_per_minute} per minute). "
        f"Please try again in about {retry_after_s} s.",
    )


def render_input_errors(errors: list, *, usage_hint: str) -> SlackMessage:
    """Render field errors (objects with field, message_ja, message_en) as one bulleted message."""
    lines_ja = "\n".join(f"• `{escape_mrkdwn(e.field)}`: {escape_mrkdwn(e.message_ja)}" for e in errors[:20])
    lines_en = "\n".join(f"• `{escape_mrkdwn(e.field)}`: {escape_mrkdwn(e.message_en)}" for e in errors[:20])
    body = f":warning: 入力を確認してください / Please check the input\n{lines_ja}\n{lines_en}"
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=truncate(body, 3000))),
        ContextBlock(elements=[MarkdownTextObject(text=truncate(usage_hint, 2000))]),
    ]
    first = errors[0] if errors else None
    text = (
        f"入力エラー / Input error: {first.message_ja} / {first.message_en}"
        if first
        else "入力エラー / Input error"
    )
    return SlackMessage(text=truncate(text, 3000), blocks=blocks)
