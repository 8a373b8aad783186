"""Ranking charts: what is plotted and highlighted for the deck's tables (expected values from the deck)."""

import pytest

from charts.ranking import ChartDataError, build_ranking_plot, draw_ranking, render_ranking, spread_labels
from charts.style import chart_style
from tests.charts.conftest import png_size
from tools.rankings import RankingQuery, lookup_ranking


def test_startup_genome_is_a_slope_chart_with_tokyo_highlighted(tables):
    plot = build_ranking_plot(tables.get("startup_genome_2024"), lang="ja")
    assert plot.kind == "slope"
    assert plot.period_labels == ("2023", "2024")
    assert len(plot.entries) == 15
    highlighted = [e for e in plot.entries if e.highlighted]
    assert [(e.label, e.before, e.after, e.highlight_reason) for e in highlighted] == [
        ("東京", 15, 10, "japan")
    ]
    first = plot.entries[0]
    assert (first.label, first.before, first.after) == ("シリコンバレー", 1, 1)
    paris = next(e for e in plot.entries if e.label == "パリ")
    assert (paris.before, paris.after) == (18, 14)


def test_slope_figure_draws_tokyos_line_from_15_to_10(tables):
    plot = build_ranking_plot(tables.get("startup_genome_2024"), lang="en")
    with chart_style():
        figure = draw_ranking(plot, "en")
    ax = figure.axes[0]
    highlighted = [line for line in ax.get_lines() if line.get_gid() == "slope-highlight"]
    assert len(highlighted) == 1
    assert list(highlighted[0].get_xdata()) == [0, 1]
    assert list(highlighted[0].get_ydata()) == [15, 10]
    assert ax.get_ylim()[0] > ax.get_ylim()[1], "rank axis must be inverted (1 at the top)"


def test_aspi_slope_chart_shows_the_top5_collapse(tables):
    chart = render_ranking(tables.get("aspi_japan_tech_ranks"), lang="ja")
    plot = chart.plot
    assert plot.kind == "slope" and plot.period_labels == ("2003-2007", "2019-2023")
    assert len(plot.entries) == 32
    assert plot.top_band == 5
    # Deck: 32 technologies in the top 5 in 2003-07, only 8 in 2019-23.
    assert sum(1 for e in plot.entries if e.before <= 5) == 32
    assert sum(1 for e in plot.entries if e.after <= 5) == 8
    ledger = next(e for e in plot.entries if e.label == "分散型台帳")
    assert (ledger.before, ledger.after) == (1, 26)
    assert "上位5入り: 2003-2007 32件 → 2019-2023 8件" in chart.alt_text
    assert png_size(chart.png) == (chart.width, chart.height)


def test_aspi_english_labels_use_the_english_names(tables):
    chart = render_ranking(tables.get("aspi_japan_tech_ranks"), lang="en")
    labels = {e.label for e in chart.plot.entries}
    assert "Distributed ledgers" in labels and "Nuclear energy" in labels
    assert "In the top 5: 32 in 2003-2007 → 8 in 2019-2023." in chart.alt_text


def test_qs_dot_chart_highlights_the_japanese_universities(tables):
    plot = build_ranking_plot(tables.get("qs_2025_asia_oceania"), lang="ja")
    assert plot.kind == "dot"
    japanese = [(e.label, e.value) for e in plot.entries if e.highlight_reason == "japan"]
    assert japanese == [
        ("東京大学", 32),
        ("京都大学", 50),
        ("東京工業大学", 84),
        ("大阪大学", 86),
        ("東北大学", 107),
    ]
    assert plot.entries[0].label == "シンガポール国立大学" and plot.entries[0].value == 8


def test_gii_dot_chart_in_english(tables):
    chart = render_ranking(tables.get("gii_clusters_2024"), lang="en")
    japanese = [(e.label, e.value_text) for e in chart.plot.entries if e.highlighted]
    assert japanese == [("Tokyo-Yokohama", "#1"), ("Osaka-Kobe-Kyoto", "#7"), ("Nagoya", "#15")]
    assert "Tokyo-Yokohama #1" in chart.alt_text and "Nagoya #15" in chart.alt_text


def test_bar_chart_values_and_a_queried_row(tables):
    table = tables.get("startup_funding_2024")
    result = lookup_ranking(tables, RankingQuery(table="startup_funding_2024", entity="Spiber"))
    plot = build_ranking_plot(table, result, lang="ja")
    assert plot.kind == "bar"
    assert len(plot.entries) == 20, "an entity query is drawn in the context of the whole table"
    assert [(e.label, e.value) for e in plot.entries[:2]] == [("Sakana AI", 301), ("newmo", 187)]
    highlighted = [(e.label, e.value_text, e.highlight_reason) for e in plot.entries if e.highlighted]
    assert highlighted == [("Spiber", "79億円", "query")]


def test_english_bar_values_convert_oku_yen(tables):
    plot = build_ranking_plot(tables.get("startup_funding_2024"), lang="en")
    assert plot.entries[0].value_text == "¥30.1bn"
    assert "¥100 million" in plot.value_label


def test_top_n_result_limits_the_rows(tables):
    result = lookup_ranking(tables, RankingQuery(table="gii_clusters_2024", top=5))
    plot = build_ranking_plot(tables.get("gii_clusters_2024"), result, lang="ja")
    assert [e.value for e in plot.entries] == [1, 2, 3, 4, 5]
    assert [e.label for e in plot.entries if e.highlighted] == ["東京‐横浜"]


def test_value_ordered_table_is_sorted_by_value(tables):
    plot = build_ranking_plot(tables.get("meti_rd_funds"), lang="ja")
    values = [e.value for e in plot.entries]
    assert values == sorted(values, reverse=True)
    assert values[0] == 27_564  # グリーンイノベーション基金


def test_a_table_without_numbers_gives_a_friendly_error(tables):
    with pytest.raises(ChartDataError) as raised:
        render_ranking(tables.get("postwar_innovations_japan"), lang="ja")
    assert "図にできる" in raised.value.message_ja
    assert "no numeric column" in raised.value.message_en


@pytest.mark.parametrize("table_id", ["startup_genome_2024", "qs_2025_asia_oceania", "startup_funding_2018"])
def test_pngs_are_valid_and_of_the_stated_size(tables, table_id):
    chart = render_ranking(tables.get(table_id), lang="en")
    assert png_size(chart.png) == (chart.width, chart.height)
    assert chart.width == 1200 and chart.height >= 640


def test_spread_labels_keeps_the_gap_and_the_bounds():
    placed = spread_labels([5, 5, 5, 5, 10, 26], gap=1.0, low=0.5, high=26.5)
    ordered = sorted(placed)
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))
    assert min(placed) >= 0.5 and max(placed) <= 26.5
    assert placed[5] == 26 and placed[4] == 10
