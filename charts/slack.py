"""Chart hooks the Slack app looks up by name (rdcredit_chart, ranking_chart): result in, (PNG, alt text) out.

No Slack imports here: the bot does the uploading; this module only renders and writes the alt text.
"""

from __future__ import annotations

from charts.ranking import build_ranking_plot, ranking_alt_text, render_ranking
from charts.rate_curve import rate_curve_alt_text, render_rate_curve
from charts.style import Lang
from tools.rankings import RankingResult, TableSet
from tools.rd_credit import RdCreditResult

# Slack's alt_txt for files.completeUploadExternal is short; keep well inside it.
MAX_ALT_TEXT = 1000


def _bilingual(primary: str, secondary: str) -> str:
    """Both languages when they fit (replies are read by JA and EN users alike), else the primary only."""
    both = f"{primary}\n{secondary}"
    if len(both) <= MAX_ALT_TEXT:
        return both
    return primary if len(primary) <= MAX_ALT_TEXT else primary[: MAX_ALT_TEXT - 1] + "…"


def rdcredit_chart(result: RdCreditResult, *, lang: Lang = "ja") -> tuple[bytes, str]:
    """The rate-curve PNG for an /rdcredit result and its alt text (key figures, both languages if they fit).

    Args:
        result: what ``compute_rd_credit`` returned.
        lang: the chart's label language.

    Returns:
        (png bytes, alt text).
    """
    chart = render_rate_curve(result, lang=lang)
    other = rate_curve_alt_text(chart.plot, "en" if lang == "ja" else "ja")
    return chart.png, _bilingual(chart.alt_text, other)


def ranking_chart(result: RankingResult, *, tables: TableSet, lang: Lang | None = None) -> tuple[bytes, str]:
    """The ranking PNG for a /deckrank result (whole table, asked-about and Japanese rows highlighted).

    Args:
        result: what ``lookup_ranking`` returned.
        tables: the loaded tables (the chart shows the result in the context of its table).
        lang: the chart's label language; None follows the query, as the text reply does (an ASCII entity
            such as "Tokyo" gets English labels, anything else Japanese).

    Returns:
        (png bytes, alt text).

    Raises:
        ChartDataError: when the table has no ranks or numbers to draw (the caller logs and skips the image).
    """
    if lang is None:
        entity = result.query.entity or ""
        lang = "en" if entity and entity.isascii() else "ja"
    table = tables.get(result.table_id)
    chart = render_ranking(table, result, lang=lang)
    other_lang: Lang = "en" if lang == "ja" else "ja"
    other = ranking_alt_text(build_ranking_plot(table, result, lang=other_lang), other_lang)
    return chart.png, _bilingual(chart.alt_text, other)
