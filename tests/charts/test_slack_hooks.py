"""The hooks the Slack app calls: PNG bytes plus alt text carrying the key figures in both languages."""

import pytest

from charts.ranking import ChartDataError
from charts.slack import MAX_ALT_TEXT, ranking_chart, rdcredit_chart
from tests.charts.conftest import png_size
from tools.rankings import RankingQuery, lookup_ranking
from tools.rd_credit import RdCreditInput, compute_rd_credit


def test_rdcredit_hook_returns_png_and_bilingual_alt_text():
    result = compute_rd_credit(
        RdCreditInput(rd=1_050_000_000, prior_rd=[10**9] * 3, sales=[2 * 10**10] * 4, tax=10**9)
    )
    png, alt = rdcredit_chart(result)
    assert png_size(png) == (1200, 840)
    assert "控除率 9.7%" in alt and "the credit rate is 9.7%" in alt
    assert "101,850,000円" in alt and "¥101,850,000" in alt
    assert len(alt) <= MAX_ALT_TEXT


def test_ranking_hook_draws_the_whole_table_around_the_asked_row(tables):
    result = lookup_ranking(tables, RankingQuery(table="startup_genome_2024", entity="東京"))
    png, alt = ranking_chart(result, tables=tables)
    width, height = png_size(png)
    assert width == 1200 and height >= 640
    assert "東京 2023 15位→2024 10位" in alt and "Tokyo #15 in 2023 → #10 in 2024" in alt
    assert len(alt) <= MAX_ALT_TEXT


def test_ranking_hook_on_a_text_table_raises_the_friendly_error(tables):
    result = lookup_ranking(tables, RankingQuery(table="korea_rd_tax_rates"))
    with pytest.raises(ChartDataError):
        ranking_chart(result, tables=tables)


def test_ranking_hook_follows_the_querys_language(tables):
    english = lookup_ranking(tables, RankingQuery(table="gii_clusters_2024", entity="Nagoya"))
    _png, alt = ranking_chart(english, tables=tables)
    assert alt.startswith("Chart: WIPO Global Innovation Index 2024")
    japanese = lookup_ranking(tables, RankingQuery(table="gii_clusters_2024", entity="名古屋"))
    _png, alt = ranking_chart(japanese, tables=tables)
    assert alt.startswith("2024年世界トップ15のGII科学技術クラスター")
