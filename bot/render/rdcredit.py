"""Render an R&D tax-credit result with its working, and the /rdcredit usage text."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.text import MAX_BLOCKS, SlackMessage, escape_mrkdwn, split_text, truncate
from tools.rd_credit import Figure, RdCreditResult
from tools.rd_credit_rules import format_yen

SHARE_ACTION = "rdcredit_share"
_KIND_JA = {"general": "一般型 / general type", "sme": "中小企業技術基盤強化税制 / SME type"}

USAGE = (
    "*`/rdcredit` — 研究開発税制の税額控除額 / R&D tax credit*\n"
    "```/rdcredit rd=105億 prior=100億,100億,100億 sales=1000億,1000億,1000億,1000億 tax=50億```\n"
    "• `rd=` (試験研究費=) 当期の試験研究費 / this year's R&D\n"
    "• `prior=` (前3年=) 前3事業年度の試験研究費、カンマ区切り / prior 3 years' R&D, comma-separated\n"
    "• `sales=` (売上=) 売上金額: 当期＋前3年 / sales: this year then the prior 3\n"
    "• `tax=` (法人税額=) 調整前法人税額 / corporate tax before credits\n"
    "• 任意 / optional: `sme` 中小企業者等, `venture` ベンチャー特例, `founding` 設立事業年度, "
    "`suspended` 適用停止, "
    "`oi_university=` `oi_startup=` `oi_other=` OI型の特別試験研究費\n"
    "金額は `105億`・`3,000万円`・`10,500,000,000` のどれでも可。引数なしで入力フォームが開きます。"
    " Amounts as 105億, 3,000万円 or plain yen. Run `/rdcredit` alone for a form."
    " 結果はあなたにだけ表示されます。"
)


def render_rdcredit_usage() -> SlackMessage:
    """Render `/rdcredit help`."""
    return SlackMessage(
        text="/rdcredit の使い方 / usage", blocks=[SectionBlock(text=MarkdownTextObject(text=USAGE))]
    )


def _figure_line(number: int, figure: Figure) -> str:
    line = f"{number}. {escape_mrkdwn(figure.label_ja)} = *{escape_mrkdwn(figure.value)}*"
    if figure.working:
        line += f"\n      `{escape_mrkdwn(truncate(figure.working, 400))}`"
    return line


def render_rdcredit_result(result: RdCreditResult, *, share_value: str | None = None) -> SlackMessage:
    """Render the credit, the working step by step, notes and warnings, and an optional Share button.

    Args:
        result: The calculator's result.
        share_value: Value for the "Share in channel" button; no button when None.
    """
    applied = result.applied
    summary = (
        f"*税額控除額 / Credit: {format_yen(result.total_credit)}*\n"
        f"{_KIND_JA[applied.kind]} · 控除率 / rate {applied.rate.percent}"
        + (f" · 控除上限 / cap {applied.cap_pct.percent}" if applied.cap_pct is not None else "")
        + (" · :warning: 上限に達しています / cap binds" if applied.cap_binds else "")
    )
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="研究開発税制 / R&D tax credit")),
        SectionBlock(text=MarkdownTextObject(text=summary)),
    ]
    steps = list(applied.steps)
    if result.oi is not None:
        steps += result.oi.steps
    if result.ninety_percent_rule is not None and result.ninety_percent_rule.binds:
        steps += result.ninety_percent_rule.steps
    working = "*計算 / Working*\n" + "\n".join(_figure_line(i, s) for i, s in enumerate(steps, 1))
    blocks += [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in split_text(working)]
    if result.warnings:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=truncate(
                            f":warning: {escape_mrkdwn(w.text_ja)} / {escape_mrkdwn(w.text_en)}", 1500
                        )
                    )
                    for w in result.warnings[:10]
                ]
            )
        )
    sources = sorted({f"{s.slide} {s.heading or ''}".strip() for s in steps})
    notes = [f"前提 / assumption: {n.text_ja} / {n.text_en}" for n in result.notes]
    footer = [f":page_facing_up: {escape_mrkdwn(s)}" for s in sources[:3]] + [escape_mrkdwn(n) for n in notes]
    if footer:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=truncate(f, 1500)) for f in footer[:10]])
        )
    if share_value:
        blocks.append(
            ActionsBlock(
                block_id="rdcredit_share",
                elements=[
                    ButtonElement(
                        text=PlainTextObject(text="チャンネルに共有 / Share in channel"),
                        action_id=SHARE_ACTION,
                        value=truncate(share_value, 2000, ellipsis=""),
                    )
                ],
            )
        )
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + blocks[-1:]
    text = f"研究開発税制の税額控除額 / R&D tax credit: {format_yen(result.total_credit)}"
    return SlackMessage(text=text, blocks=blocks)
