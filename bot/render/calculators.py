"""Per-calculator renderers the bot side registers by tool name, so tools/ stays pure.

A tool without an entry still works: Slack shows its ToolSpec's plain text, and no chart is offered.
Slack and matplotlib are imported only when a renderer runs, so `deckbot rdcredit` loads neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tools.registry import get_tool

if TYPE_CHECKING:
    from bot.render.text import SlackMessage


def _rdcredit_blocks(result: Any) -> SlackMessage:
    from bot.render.rdcredit import render_rdcredit_result

    return render_rdcredit_result(result)


def _rate_curve(result: Any, lang: str) -> Any:
    from charts.rate_curve import render_rate_curve  # lazy: matplotlib only when a chart is asked for

    return render_rate_curve(result, lang=lang)  # type: ignore[arg-type]


# Block Kit for a result, by tool name.
BLOCK_RENDERERS: dict[str, Callable[[Any], SlackMessage]] = {"rd_credit": _rdcredit_blocks}
# A chart for a result, by tool name: (result, lang) -> an object with png, width, height and alt_text.
CHARTS: dict[str, Callable[[Any, str], Any]] = {"rd_credit": _rate_curve}


def render_calculator_result(tool: str, result: Any, *, lang: str = "ja") -> SlackMessage:
    """A calculator result as a Slack message: its registered renderer, else its plain text."""
    from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

    from bot.render.text import SlackMessage, escape_mrkdwn, split_text

    renderer = BLOCK_RENDERERS.get(tool)
    if renderer is not None:
        return renderer(result)
    text = get_tool(tool).render_text(result, "en" if lang == "en" else "ja")
    # Split below Slack's 3000 characters so escaping (& -> &amp;) still fits.
    parts = split_text(text, 2500)
    blocks = [SectionBlock(text=MarkdownTextObject(text=escape_mrkdwn(part))) for part in parts]
    return SlackMessage(text=text.splitlines()[0] if text else tool, blocks=blocks)
