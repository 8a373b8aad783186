"""Render the App Home tab: the document's title, usage help and its table of contents with a Summarize button
each."""

from __future__ import annotations

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
from slack_sdk.models.views import View

from bot.render.documents import DocumentRow, home_document_blocks
from bot.render.text import MAX_HOME_BLOCKS, SlackMessage, escape_mrkdwn, truncate
from retrieval.engines.base import SectionInfo

HOME_SUMMARIZE_ACTION = "home_summarize"

HELP_TEXT = (
    "*使い方 / How to use*\n"
    "• チャンネルで `@deckbot 質問` → スレッドに回答します。スレッド内の追加質問も文脈を引き継ぎます。\n"
    "  Mention me with a question; I answer in the thread and keep the thread's context.\n"
    "• DM・アプリのメッセージタブでも質問できます / Ask in a DM or the app's Messages tab.\n"
    "• `/rdcredit rd=105億 prior=100億,100億,100億 sales=1000億,1000億,1000億,1000億 tax=50億` "
    "研究開発税制の控除額（本人のみ表示） / R&amp;D tax credit, shown only to you. 引数なしで入力フォーム。\n"
    "• `/deckrank TABLE [entity]` ランキング表 / a ranking table (`/deckrank` alone lists tables).\n"
    "• `/decksummary 2` や `/decksummary 研究開発税制` 章・節の要約をスレッドに /"
    " a section summary in a thread.\n"
    "• メッセージのショートカット「Summarize the deck section about this」も使えます。\n"
    "• `/deckbot documents` 文書の一覧とチャンネルの範囲 / the documents and this channel's scope."
)


def render_home(
    sections: list[SectionInfo], title: str | None = None, documents: list[DocumentRow] | None = None
) -> View:
    """Render the Home tab view within Slack's 100-block limit.

    Args:
        sections: The deck's table of contents.
        title: The deck's title (the bundle's `display_title`).
        documents: The served documents, each with a Summarize button (left out when None: one document).
    """
    about = (
        f"{escape_mrkdwn(title)} について日英で答えます。 "
        "I answer questions about it in Japanese and English."
        if title
        else "資料について日英で答えます。 I answer questions about the document in Japanese and English."
    )
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="deckbot")),
        SectionBlock(text=MarkdownTextObject(text=about)),
        SectionBlock(text=MarkdownTextObject(text=HELP_TEXT)),
    ]
    if documents:
        blocks.extend(home_document_blocks(documents))
    blocks += [DividerBlock(), HeaderBlock(text=PlainTextObject(text="目次 / Contents"))]
    room = MAX_HOME_BLOCKS - len(blocks) - 1
    for section in sections[:room]:
        where = f"p.{section.slides[0]}" if section.slides else ""
        line = f"*{escape_mrkdwn(truncate(section.title, 200))}*"
        if section.chapter or where:
            line += "\n" + escape_mrkdwn(
                " · ".join(x for x in (truncate(section.chapter or "", 100), where) if x)
            )
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=line),
                accessory=ButtonElement(
                    text=PlainTextObject(text="要約 Summarize"),
                    action_id=HOME_SUMMARIZE_ACTION,
                    value=truncate(section.title, 1900),
                ),
            )
        )
    if len(sections) > room:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"…ほか {len(sections) - room} 節 / {len(sections) - room} more: "
                        "`/decksummary` で指定してください"
                    )
                ]
            )
        )
    return View(type="home", blocks=blocks)


def render_greeting(greeting: str) -> SlackMessage:
    """The assistant pane's first message, as a section block."""
    return SlackMessage(
        text=greeting, blocks=[SectionBlock(text=MarkdownTextObject(text=escape_mrkdwn(greeting)))]
    )
