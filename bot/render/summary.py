"""Render a section summary: the short parent message and the bulleted thread reply."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.text import MAX_BLOCKS, MAX_HEADER_TEXT, SlackMessage, escape_mrkdwn, split_text, truncate
from retrieval.engines.base import SectionSummary


def slide_range(slides: list[int]) -> str:
    """Format slide numbers compactly: [3, 4, 5, 9] -> 'p.3–5, 9'."""
    if not slides:
        return ""
    ordered = sorted(set(slides))
    runs: list[str] = []
    start = prev = ordered[0]
    for n in ordered[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return "p." + ", ".join(runs)


def render_summary_parent(summary: SectionSummary, *, requested_by: str | None) -> SlackMessage:
    """Render the short channel message under which the summary is threaded."""
    title = escape_mrkdwn(summary.section.title)
    who = f" (<@{requested_by}>)" if requested_by else ""
    where = slide_range(summary.section.slides)
    text = f":bookmark_tabs: *{title}* の要約 / Summary{who} — {where} :thread: スレッドをご覧ください"
    return SlackMessage(
        text=truncate(f"{summary.section.title} の要約 / Summary", 300),
        blocks=[SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000)))],
    )


def render_summary(summary: SectionSummary) -> SlackMessage:
    """Render the summary itself: a header, one bullet per key point with its slide, within limits."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=truncate(summary.section.title, MAX_HEADER_TEXT)))
    ]
    meta = [summary.section.chapter or "", slide_range(summary.section.slides)]
    if any(meta):
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=escape_mrkdwn(" · ".join(m for m in meta if m)))])
        )
    lines = []
    for bullet in summary.bullets:
        where = f" _(p.{bullet.slide})_" if bullet.slide is not None else ""
        lines.append(f"• {escape_mrkdwn(' '.join(bullet.text.split()))}{where}")
    if not lines:
        lines = ["_要点が見つかりませんでした / No key points found._"]
    for piece in split_text("\n".join(lines)):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=piece)))
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [
            SectionBlock(text=MarkdownTextObject(text="_… (省略 / truncated)_"))
        ]
    first = summary.bullets[0].text if summary.bullets else ""
    return SlackMessage(text=truncate(f"{summary.section.title}: {first}", 2900), blocks=blocks)
