"""Render a ranking lookup as a compact aligned table with its slide and source."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.text import (
    MAX_BLOCKS,
    MAX_HEADER_TEXT,
    SlackMessage,
    code_tables,
    escape_mrkdwn,
    truncate,
)
from tools.rankings import RankingResult, TableInfo

MAX_ROWS = 200


def _header_label(column) -> str:
    return f"{column.label_ja}({column.unit})" if column.unit else column.label_ja


def render_ranking(result: RankingResult, *, lang: str = "ja") -> SlackMessage:
    """Render the matched rows as a code-block table, or the closest names when nothing matched."""
    title = result.title_ja if lang == "ja" else result.title_en
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=truncate(title, MAX_HEADER_TEXT))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=truncate(
                        f":page_facing_up: スライド / Slide: *{escape_mrkdwn(result.slide_title)}*  ·  "
                        f"`{result.table_id}`",
                        2000,
                    )
                )
            ]
        ),
    ]
    if result.matches:
        columns = result.columns
        rows = [[m.row.display.get(c.name, "") for c in columns] for m in result.matches[:MAX_ROWS]]
        numeric = [c.type in ("int", "float") for c in columns]
        for table_text in code_tables([_header_label(c) for c in columns], rows, numeric=numeric):
            blocks.append(SectionBlock(text=MarkdownTextObject(text=table_text)))
        changes = [m for m in result.matches if m.change][:10]
        if changes and result.query.entity:
            lines = [
                f"• {escape_mrkdwn(m.row.display.get(_entity(result), ''))}: {m.change.label_before} "
                f"{m.change.before}位 → {m.change.label_after} {m.change.after}位"
                for m in changes
            ]
            blocks.append(SectionBlock(text=MarkdownTextObject(text=truncate("\n".join(lines), 3000))))
        if len(result.matches) > MAX_ROWS:
            blocks.append(
                ContextBlock(
                    elements=[
                        MarkdownTextObject(
                            text=f"先頭 {MAX_ROWS} 行のみ表示 / "
                            f"first {MAX_ROWS} of {len(result.matches)} rows"
                        )
                    ]
                )
            )
    else:
        entity = escape_mrkdwn(result.query.entity or "")
        text = f'「{entity}」に一致する行はありません。 / No row matches "{entity}".'
        if result.candidates:
            text += "\n近い候補 / Closest: " + ", ".join(escape_mrkdwn(c.name) for c in result.candidates)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000))))
    footer = [escape_mrkdwn(n) for n in result.notes] + [escape_mrkdwn(result.source)]
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text=truncate(f, 2000)) for f in footer if f][:10])
    )
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 2] + blocks[-1:]
    return SlackMessage(text=truncate(f"{title} ({result.slide_title})", 2900), blocks=blocks)


def _entity(result: RankingResult) -> str:
    for column in result.columns:
        if column.type == "text":
            return column.name
    return result.columns[0].name


def render_table_list(tables: list[TableInfo]) -> SlackMessage:
    """Render the available tables, for `/deckrank` without arguments or with an unknown table."""
    rows = [[t.id, truncate(t.title_ja, 40), str(t.row_count)] for t in tables]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="*使い方 / Usage:* `/deckrank TABLE [entity | rank | 1-5 | top 5]`"
                "  例: `/deckrank gii 東京`"
            )
        )
    ]
    for table_text in code_tables(["table", "title", "rows"], rows, numeric=[False, False, True]):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=table_text)))
    return SlackMessage(text="利用できる表 / Available tables", blocks=blocks[:MAX_BLOCKS])
