"""What the ranking charts draw, built from the deck's tables (``charts.ranking`` draws it).

Japanese entries (a country/economy cell of 日本) and the rows a query named are highlighted.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from charts.style import Lang
from tools.errors import ToolInputError
from tools.rankings import ColumnSpec, RankingResult, Table, TableRow

WIDTH_PX = 1200
MAX_ROWS = 40
JAPAN = "日本"
# Presentation choices per table: a shaded "top N" band where the deck's own message is about the top N
# (ASPI: "上位5カ国入り" in 32 technologies in 2003-07, only 8 in 2019-23).
TOP_BANDS: dict[str, int] = {"aspi_japan_tech_ranks": 5}

ChartKind = Literal["bar", "dot", "slope"]


class ChartDataError(ToolInputError):
    """The table (or the rows asked for) has nothing a chart can show; bilingual, user-facing."""


class RankingEntry(BaseModel):
    """One row as drawn."""

    label: str = Field(description="Entity name in the chart's language.")
    value: float | None = Field(None, description="Bar length (bar chart) or rank (dot chart).")
    value_text: str = Field("", description="The value as labelled, e.g. '301億円' or '10位'.")
    before: int | None = Field(None, description="Rank in the earlier period (slope chart).")
    after: int | None = Field(None, description="Rank in the later period (slope chart).")
    highlighted: bool = False
    highlight_reason: Literal["japan", "query"] | None = None


class RankingPlot(BaseModel):
    """Exactly what the ranking chart draws; tests check this instead of pixels."""

    kind: ChartKind
    table_id: str
    title: str
    source: str
    ranked: bool = Field(description="Entries are in rank order (else the deck's order, e.g. years).")
    value_label: str = Field(description="Axis label: the value column, or 順位 / Rank.")
    period_labels: tuple[str, str] | None = Field(None, description="(earlier, later) for slope charts.")
    top_band: int | None = Field(None, description="Shade ranks 1..N (slope charts).")
    entries: list[RankingEntry] = Field(description="Rows in drawing order, top first.")


_TEXT = {
    "ja": {
        "rank": "順位",
        "rank_value": "{v}位",
        "japan": "日本",
        "query": "照会した項目",
        "source": "出典: {s}",
        "no_chart": "表「{t}」には図にできる数値の列がありません。",
        "no_rows": "表「{t}」に図にできる行がありません。",
        "up": "{n}ランク上昇",
        "down": "{n}ランク下降",
        "same": "変化なし",
        "band": "上位{n}",
        "band_kept": "{p}も上位{n}",
        "band_lost": "上位{n}から後退",
        "legend_up": "順位上昇",
        "legend_down": "順位下降",
        "rows": "項目",
        "top": "上位",
        "and_more": "ほか{n}件",
    },
    "en": {
        "rank": "Rank",
        "rank_value": "#{v}",
        "japan": "Japan",
        "query": "asked about",
        "source": "Source: {s}",
        "no_chart": "Table '{t}' has no numeric column to chart.",
        "no_rows": "Table '{t}' has no rows to chart.",
        "up": "up {n}",
        "down": "down {n}",
        "same": "unchanged",
        "band": "top {n}",
        "band_kept": "still top {n} in {p}",
        "band_lost": "fell out of the top {n}",
        "legend_up": "moved up",
        "legend_down": "moved down",
        "rows": "Rows",
        "top": "Top",
        "and_more": "{n} more",
    },
}


_EN_UNITS = {"億円": "¥100 million", "社": "companies", "%": "%"}


def _value_text(printed: str, value: float, unit: str, lang: Lang) -> str:
    """A cell with its unit: '301億円' (ja); '¥30.1bn' (en, 億円 converted) or '38 companies'."""
    if lang == "ja" or not unit:
        return f"{printed}{unit}"
    if unit == "億円":
        billions = value / 10
        return f"¥{billions:,.1f}bn" if billions < 100 else f"¥{billions:,.0f}bn"
    if unit == "%":
        return f"{printed}%"
    return f"{printed} {_EN_UNITS.get(unit, unit)}"


def _clean_source(source: str) -> str:
    """Drop the deck's own '（出典）' prefix; the footer adds its own label."""
    return re.sub(r"^\s*[（(]?出典[）)]\s*", "", source).strip()


def _label(table: Table, row: TableRow, lang: Lang) -> str:
    """The entity name: as printed for Japanese; the first ASCII alias (e.g. 'Tokyo') for English."""
    printed = table.name_of(row)
    if lang == "en" and not printed.isascii():
        if row.latin_alias:
            return row.latin_alias
    return printed


def _is_japanese(table: Table, row: TableRow) -> bool:
    columns = [*table.search_columns, table.entity_column]
    return any(row.display.get(column, "").strip() == JAPAN for column in columns)


def _value_column(table: Table) -> str | None:
    """The numeric column a bar chart shows: the table's ordering column, else its first numeric column."""
    if table.rank_by:
        return table.rank_by
    skip = {table.rank_column, *(table.change or ())}
    for column in table.columns:
        if column.type in ("int", "float") and column.name not in skip and column.name != table.entity_column:
            return column.name
    return None


def _chart_kind(table: Table) -> ChartKind | None:
    if table.change:
        return "slope"
    if _value_column(table):
        return "bar"
    if table.rank_column:
        return "dot"
    return None


def _rows_to_chart(table: Table, result: RankingResult | None) -> tuple[list[TableRow], set[int]]:
    """Rows to draw and the indices the query named.

    An entity query is drawn in the context of the whole table; a top-N or rank-range query draws its rows.
    """
    if result is None:
        return list(table.rows), set()
    named = {match.row.index for match in result.matches} if result.query.entity else set()
    if result.query.entity or not result.matches:
        return list(table.rows), named
    return [match.row for match in result.matches], named


def _no_chart_error(table: Table, key: str) -> ChartDataError:
    return ChartDataError(
        "table",
        _TEXT["ja"][key].format(t=table.title_ja),
        _TEXT["en"][key].format(t=table.title_en),
    )


def _japanese_rows(table: Table) -> set[int]:
    """Indices of the Japanese rows; none in an all-Japanese table (highlighting all would say nothing)."""
    japanese = {row.index for row in table.rows if _is_japanese(table, row)}
    return set() if len(japanese) == len(table.rows) else japanese


def _bar_value_label(column: ColumnSpec, lang: Lang) -> str:
    """The bar chart's axis label: the column's name, with its unit unless the name already states it."""
    unit = column.unit or ""
    shown_unit = unit if lang == "ja" else _EN_UNITS.get(unit, unit)
    name = column.label_ja if lang == "ja" else column.label_en
    unit_shown = shown_unit and shown_unit.casefold() not in name.casefold()
    return name + (f" ({shown_unit})" if unit_shown else "")


def _fill_entry(entry: RankingEntry, table: Table, row: TableRow, kind: ChartKind, lang: Lang) -> bool:
    """Set the entry's drawn values for the chart kind; False when the row has nothing to draw."""
    if kind == "slope":
        before_col, after_col = table.change  # type: ignore[misc]
        before, after = row.cells.get(before_col), row.cells.get(after_col)
        if not isinstance(before, int) or not isinstance(after, int):
            return False
        entry.before, entry.after = before, after
    elif kind == "bar":
        column = table.column(_value_column(table))  # type: ignore[arg-type]
        value = row.cells.get(column.name)
        if not isinstance(value, int | float):
            return False
        entry.value = float(value)
        printed = row.display.get(column.name, str(value))
        entry.value_text = _value_text(printed, float(value), column.unit or "", lang)
    else:
        rank = table.rank_of(row)
        if rank is None:
            return False
        entry.value = float(rank)
        entry.value_text = _TEXT[lang]["rank_value"].format(v=row.display.get(table.rank_column or "", rank))
    return True


def _entries(
    table: Table, rows: list[TableRow], named: set[int], kind: ChartKind, lang: Lang
) -> list[RankingEntry]:
    """The rows as drawn (rows with nothing to draw are skipped), highlighted by query or as Japanese."""
    japanese = _japanese_rows(table)
    entries: list[RankingEntry] = []
    for row in rows:
        reason: Literal["japan", "query"] | None = (
            "query" if row.index in named else "japan" if row.index in japanese else None
        )
        entry = RankingEntry(
            label=_label(table, row, lang), highlighted=reason is not None, highlight_reason=reason
        )
        if _fill_entry(entry, table, row, kind, lang):
            entries.append(entry)
    return entries


def build_ranking_plot(
    table: Table, result: RankingResult | None = None, *, lang: Lang = "ja"
) -> RankingPlot:
    """Assemble what to draw for a table (optionally focused by a lookup result).

    Args:
        table: the deck table (``TableSet.get(result.table_id)``).
        result: a ``lookup_ranking`` result: its named rows are highlighted; a top-N / rank-range result
            limits the rows drawn.
        lang: label language.

    Returns:
        The RankingPlot.

    Raises:
        ChartDataError: when the table has no ranks or numbers to draw.
    """
    title = table.title_ja if lang == "ja" else table.title_en
    kind = _chart_kind(table)
    if kind is None:
        raise _no_chart_error(table, "no_chart")
    rows, named = _rows_to_chart(table, result)
    time_series = table.column(table.entity_column).type != "text"  # e.g. years: keep time order
    if table.rank_column or (table.rank_by and not time_series):
        rows.sort(key=lambda row: (table.rank_of(row) or 10**9, row.index))
    entries = _entries(table, rows, named, kind, lang)
    if not entries:
        raise _no_chart_error(table, "no_rows")
    value_label = _TEXT[lang]["rank"]
    if kind == "bar":
        value_label = _bar_value_label(table.column(_value_column(table)), lang)  # type: ignore[arg-type]
    return RankingPlot(
        kind=kind,
        table_id=table.id,
        title=title,
        source=_clean_source(table.source),
        ranked=bool(table.rank_column or (table.rank_by and not time_series)),
        value_label=value_label,
        period_labels=table.change_labels if kind == "slope" else None,
        top_band=TOP_BANDS.get(table.id) if kind == "slope" else None,
        entries=entries[:MAX_ROWS],
    )
