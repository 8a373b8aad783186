"""Render the served documents: the `/deckbot` replies (list, channel scope) and App Home's Documents section.

The documents arrive as `DocumentRow`s, read once from the engine's `documents()` by the listener, so these
functions stay pure and never touch the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.errors import render_error
from bot.render.text import MAX_BLOCKS, SlackMessage, escape_mrkdwn, split_text, truncate

HOME_SUMMARIZE_DOCUMENT_ACTION = "home_summarize_document"
MAX_HOME_DOCUMENTS = 20  # App Home rows (one block each); the rest as a "+N more" line
MAX_LISTED_DOCUMENTS = 100  # rows in a `/deckbot documents` reply
KIND_LABELS = {"deck": "資料 deck", "pdf": "PDF", "text": "テキスト text", "markdown": "Markdown"}
USAGE = (
    "`/deckbot documents` 文書の一覧とこのチャンネルの範囲 / the documents and this channel's scope\n"
    "`/deckbot scope ID [ID…]` このチャンネルの回答をその文書に限定（管理者のみ） /"
    " limit this channel's answers to those documents (admins only)\n"
    "`/deckbot scope all` 範囲を解除してすべての文書から回答 / answer from every document again"
)


@dataclass(frozen=True)
class DocumentRow:
    """What the Slack surfaces show of one served document."""

    id: str
    title: str
    kind: str
    pages: int | None = None


def document_row(document: Any) -> DocumentRow:
    """A row for one `retrieval.library.ServedDocument` (pages: its catalog entry's or the deck's slides)."""
    entry = getattr(document, "entry", None)
    pages = getattr(entry, "pages", None)
    if pages is None:
        try:
            pages = len(document.bundle.slides)
        except Exception:  # a page count is a courtesy; never fail a listing for it
            pages = None
    return DocumentRow(id=document.id, title=document.title, kind=document.kind, pages=pages)


def _kind(row: DocumentRow) -> str:
    return KIND_LABELS.get(row.kind, row.kind)


def _pages(row: DocumentRow) -> str:
    return f"{row.pages} ページ / pages" if row.pages is not None else ""


def _row_line(row: DocumentRow) -> str:
    meta = " · ".join(x for x in (_kind(row), _pages(row)) if x)
    title = escape_mrkdwn(truncate(row.title, 200))
    return f"• `{escape_mrkdwn(row.id)}` *{title}* — {escape_mrkdwn(meta)}"


def scope_line(scope: Sequence[str] | None, rows: Sequence[DocumentRow]) -> str:
    """The channel's current scope in both languages (ids no longer served are marked)."""
    if scope is None:
        return "このチャンネルの範囲: すべての文書 / This channel's scope: all documents"
    known = {row.id for row in rows}
    ids = ", ".join(f"`{escape_mrkdwn(i)}`" + ("" if i in known else " (削除済み / removed)") for i in scope)
    return f"このチャンネルの範囲 / This channel's scope: {ids}"


def render_documents(rows: Sequence[DocumentRow], scope: Sequence[str] | None) -> SlackMessage:
    """The `/deckbot documents` reply: every served document (id, title, kind, pages), the scope, usage."""
    shown = list(rows[:MAX_LISTED_DOCUMENTS])
    lines = [_row_line(row) for row in shown] or ["_文書がありません / No documents._"]
    if len(rows) > len(shown):
        lines.append(f"…ほか {len(rows) - len(shown)} 件 / {len(rows) - len(shown)} more")
    body = f"*文書 / Documents* ({len(rows)})\n" + "\n".join(lines)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=p)) for p in split_text(body)]
    blocks = blocks[: MAX_BLOCKS - 2]
    blocks.append(SectionBlock(text=MarkdownTextObject(text=scope_line(scope, rows))))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=USAGE)]))
    return SlackMessage(text=f"文書 {len(rows)} 件 / {len(rows)} documents", blocks=blocks)


def render_scope_set(rows: Sequence[DocumentRow]) -> SlackMessage:
    """The reply when an admin limited the channel to `rows`."""
    lines = "\n".join(_row_line(row) for row in rows)
    body = (
        ":white_check_mark: このチャンネルの回答を次の文書に限定しました。\n"
        "This channel's answers now come from these documents only:\n" + lines
    )
    return SlackMessage(
        text="このチャンネルの範囲を変更しました / Channel scope updated",
        blocks=[SectionBlock(text=MarkdownTextObject(text=truncate(body, 3000)))],
    )


def render_scope_cleared() -> SlackMessage:
    """The reply when an admin cleared the channel's scope."""
    body = (
        ":white_check_mark: 範囲を解除しました。このチャンネルではすべての文書から回答します。\n"
        "Scope cleared: this channel's answers come from every document again."
    )
    return SlackMessage(
        text="このチャンネルの範囲を解除しました / Channel scope cleared",
        blocks=[SectionBlock(text=MarkdownTextObject(text=body))],
    )


def render_not_admin() -> SlackMessage:
    """The refusal for a member who is neither a workspace admin nor an owner."""
    return render_error(
        "チャンネルの範囲を変更できるのはワークスペースの管理者またはオーナーだけです。",
        "Only workspace admins or owners can change a channel's scope.",
        hint="`/deckbot documents` で一覧と現在の範囲は誰でも見られます / anyone can list the documents.",
    )


def render_unknown_documents(unknown: Sequence[str], rows: Sequence[DocumentRow]) -> SlackMessage:
    """The error for ids that name no served document; lists the known ids. Nothing was stored."""
    names = ", ".join(f"`{truncate(i, 64)}`" for i in unknown[:10])
    known = ", ".join(f"`{escape_mrkdwn(row.id)}`" for row in rows[:MAX_LISTED_DOCUMENTS])
    return render_error(
        f"この文書IDはありません: {names}。範囲は変更していません。",
        f"No document has the id {names}; the scope was not changed.",
        hint=f"使える ID / Known ids: {known or '–'}",
    )


def render_too_many_documents(limit: int) -> SlackMessage:
    """The error for a scope naming more documents than the store keeps."""
    return render_error(
        f"範囲に指定できる文書は {limit} 件までです。範囲は変更していません。",
        f"A channel scope names at most {limit} documents; the scope was not changed.",
    )


def render_scope_unsaved() -> SlackMessage:
    """The error when the conversation store could not save the scope (an outage)."""
    return render_error(
        "設定を保存できませんでした。少し待ってもう一度お試しください。範囲は変更していません。",
        "The setting could not be saved right now; please try again in a moment. The scope was not changed.",
    )


def render_scope_usage() -> SlackMessage:
    """The reply to `/deckbot scope` without ids, or an unknown subcommand."""
    return render_error(
        "文書IDを指定してください（例: `/deckbot scope ID`、解除は `/deckbot scope all`）。",
        "Name document ids (e.g. `/deckbot scope ID`), or `/deckbot scope all` to clear the scope.",
        hint=USAGE,
    )


def render_unknown_document(document_id: str) -> SlackMessage:
    """The reply to a Summarize button whose document is no longer served."""
    return render_error(
        f"文書 `{truncate(document_id, 64)}` は現在ありません。App Home を開き直してください。",
        f"The document `{truncate(document_id, 64)}` is no longer served; please reopen App Home.",
    )


def render_no_overview(title: str) -> SlackMessage:
    """The reply when the engine has no summary for a document."""
    return render_error(
        f"「{title}」の要約を作れませんでした。",
        f'No summary could be made for "{title}".',
        hint="`@deckbot 質問` で内容を尋ねることはできます / You can still ask about it with a mention.",
    )


def home_document_blocks(rows: Sequence[DocumentRow], *, limit: int = MAX_HOME_DOCUMENTS) -> list[Block]:
    """App Home's Documents section: one row per document with a Summarize button (at most `limit` rows,
    then a "+N more" line), so the section takes at most `limit` + 3 blocks."""
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=PlainTextObject(text="文書 / Documents"))]
    for row in rows[:limit]:
        meta = " · ".join(x for x in (_kind(row), _pages(row)) if x)
        text = (
            f"*{escape_mrkdwn(truncate(row.title, 200))}*\n`{escape_mrkdwn(row.id)}` · {escape_mrkdwn(meta)}"
        )
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=text),
                accessory=ButtonElement(
                    text=PlainTextObject(text="要約 Summarize"),
                    action_id=HOME_SUMMARIZE_DOCUMENT_ACTION,
                    value=row.id,
                ),
            )
        )
    if len(rows) > limit:
        more = len(rows) - limit
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"…ほか {more} 件 / +{more} more: `/deckbot documents` で一覧 / lists them all"
                    )
                ]
            )
        )
    return blocks
