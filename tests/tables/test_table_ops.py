"""Table operations on the real deck tables. Expected values were read by hand from corpus/tables/*.csv."""

import pytest
from pydantic import ValidationError

from corpus.bundle import default_bundle
from retrieval.tables import load_tables
from tools.rankings import RankingResult, TableError
from tools.table_ops import (
    RankingToolInput,
    TableOperation,
    TableOperationResult,
    run_ranking_tool,
    run_table_operation,
)
from tools.table_ops_text import answer_lines, format_operation_text, plural

TS = load_tables(default_bundle())


def run(table, op, **kwargs):
    return run_table_operation(TS, TableOperation(table=table, op=op, **kwargs))


def names(result):
    table = TS.get(result.table_id)
    return [table.name_of(m.row) for m in result.matches]


# --- rank_position ---------------------------------------------------------------------------------


def test_rank_position_reads_the_printed_rank():
    result = run("startup_funding_2024", "rank_position", position=1)
    assert names(result) == ["Sakana AI"]
    assert result.matches[0].row.display["amount"] == "301"
    assert names(run("startup_funding_2018", "rank_position", position=2)) == ["FOLIO"]


def test_rank_position_keeps_ties_as_printed():
    # Startup Genome prints ２（２） twice: New York and London share 2nd place.
    assert names(run("startup_genome_2024", "rank_position", position=2)) == ["ニューヨーク", "ロンドン"]


def test_rank_position_without_that_printed_rank_returns_the_nth_listed_with_a_note():
    result = run("qs_2025_asia_oceania", "rank_position", position=1)  # the QS extract starts at rank 8
    assert names(result) == ["シンガポール国立大学"]
    assert result.matches[0].rank == 8
    assert result.message_en and "No row is ranked 1" in result.message_en


def test_rank_position_from_the_end_and_as_listed():
    assert names(run("qs_2025_asia_oceania", "rank_position", position=1, from_end=True)) == ["東北大学"]
    assert names(run("gii_clusters_2024", "rank_position", position=1, from_end=True)) == ["名古屋"]
    assert names(run("unicorns_japan_2024", "rank_position", position=1, listed=True)) == [
        "Preferred Networks"
    ]


def test_rank_position_by_a_named_column():
    highest_median = run("ipo_market_cap_by_city", "rank_position", position=1, column="median")
    assert (
        names(highest_median) == ["ベルリン"] and highest_median.matches[0].row.display["median"] == "4,589"
    )
    lowest_median = run(
        "ipo_market_cap_by_city", "rank_position", position=1, column="中央値", descending=False
    )
    assert names(lowest_median) == ["ロンドン"]  # 73億円
    second_budget = run("meti_rd_funds", "rank_position", position=2, column="Budget")
    assert names(second_budget) == ["ポスト５Ｇ情報通信システム基盤強化研究開発基金"]  # 26,840 after 27,564


def test_rank_position_within_a_filter():
    # Japanese universities in the QS extract: 東京大学 32, 京都大学 50, 東京工業大学 84, 大阪大学 86,
    # 東北大学 107.
    result = run("qs_2025_asia_oceania", "rank_position", position=2, filter_value="Japan")
    assert names(result) == ["京都大学"]


def test_rank_by_tables_order_by_their_figure():
    # Clarivate country counts have no printed rank: 日本 38, 米国 17, 韓国 8 ...
    assert names(run("clarivate_top100_countries_2024", "rank_position", position=2)) == ["米国"]


# --- neighbor ----------------------------------------------------------------------------------------


def test_neighbor_next_and_previous():
    after_paidy = run("startup_funding_2018", "neighbor", entity="Paidy")
    assert names(after_paidy) == ["WHILL"] and after_paidy.matches[0].row.display["amount"] == "58"
    assert after_paidy.anchor is not None and after_paidy.anchor.row.cells["rank"] == 6
    assert names(run("qs_2025_asia_oceania", "neighbor", entity="東大")) == ["香港中文大学（CUHK)"]
    before = run("qs_2025_asia_oceania", "neighbor", entity="University of Tokyo", direction="previous")
    assert names(before) == ["ソウル大学"]


def test_neighbor_of_the_last_row_is_empty_with_a_note():
    result = run("startup_genome_2024", "neighbor", entity="Berlin")
    assert result.matches == [] and result.message_en == "ベルリン is the last row."


def test_neighbor_of_an_unknown_entity_offers_candidates():
    result = run("gii_clusters_2024", "neighbor", entity="ミュンヘン")
    assert result.matches == [] and result.anchor is None and result.candidates


# --- standing ------------------------------------------------------------------------------------------


def test_standing_is_the_place_a_rows_figure_gives_it():
    # medians as printed: ベルリン 4,589 > シリコンバレー 2,515 > ボストン 751 > テルアビブ 600 > 東京 131
    # > シンガポール 115 > ロンドン 73
    tokyo = run("ipo_market_cap_by_city", "standing", entity="Tokyo", column="median")
    assert names(tokyo) == ["東京"] and tokyo.places == [5] and tokyo.count == 7
    assert answer_lines(tokyo, "en")[0] == "Tokyo (東京) is No. 5 of 7 cities (Median, highest first)."
    assert answer_lines(tokyo, "ja")[0] == "東京は中央値の高い順で7都市中5番目です。"
    by_mean = run("ipo_market_cap_by_city", "standing", entity="東京", column="mean")
    assert by_mean.places == [7]  # 237, the smallest mean
    missing = run("ipo_market_cap_by_city", "standing", entity="Paris", column="median")
    assert missing.matches == [] and answer_lines(missing, "en") == ["No row matches 'Paris'."]


# --- sort ----------------------------------------------------------------------------------------------


def test_sort_by_column_both_ways():
    high = run("ipo_market_cap_by_city", "sort", column="median", top_n=3)
    assert names(high) == ["ベルリン", "シリコンバレー", "ボストン"]  # 4,589 / 2,515 / 751
    assert high.places == [1, 2, 3]
    low = run("ipo_market_cap_by_city", "sort", column="median", descending=False, top_n=2)
    assert names(low) == ["ロンドン", "シンガポール"]  # 73 / 115


def test_sort_top_n_keeps_ties_at_the_cut():
    # Startup Genome ranks 1, 2, 2, 4, 4 ...: the top 2 keeps both rows tied at 2nd, and nothing at 4th.
    assert names(run("startup_genome_2024", "sort", top_n=2)) == [
        "シリコンバレー",
        "ニューヨーク",
        "ロンドン",
    ]


# --- change --------------------------------------------------------------------------------------------


def test_change_on_ranks_reads_a_larger_rank_number_as_a_fall():
    fell = run("aspi_japan_tech_ranks", "change", direction="fell", top_n=1)
    assert names(fell) == ["分散型台帳"]  # 1 -> 26
    change = fell.changes[0]
    assert (change.before, change.after, change.delta, change.gain) == (1, 26, 25, -25)
    assert change.movement == "fell" and change.is_rank
    rose = run("aspi_japan_tech_ranks", "change", direction="rose")
    assert names(rose) == ["原子力エネルギー"]  # 4 -> 3, the only technology that moved up
    # the row that moved most comes with its other cells: the lead institution is what a reader asks next
    lines = answer_lines(fell, "ja")
    assert lines[0].startswith("最も順位が下がったのは分散型台帳") and "会津大学" in lines[1]


def test_change_ties_and_rises_in_startup_genome():
    assert names(run("startup_genome_2024", "change", direction="fell", top_n=1)) == [
        "上海",
        "ベルリン",
    ]  # 9->11, 13->15
    rose = run("startup_genome_2024", "change", direction="rose", top_n=1)
    assert names(rose) == ["東京"] and rose.changes[0].gain == 5  # 15 -> 10


def test_change_for_one_named_row_on_text_cells():
    result = run("startup_ecosystem_indicators", "change", entity="スタートアップ数")
    change = result.changes[0]
    assert (change.before, change.after, change.delta) == (16100, 22000, 5900)
    assert change.before_text == "2021年：16,100社" and change.movement == "rose"


def test_change_from_year_to_year_in_a_time_series():
    result = run("overseas_investment_by_year", "change", column="overseas", direction="fell", top_n=1)
    assert names(result) == ["2022"]
    change = result.changes[0]
    assert (change.label_from, change.before, change.after) == ("2021", 4541, 1318)


def test_change_needs_two_comparable_columns():
    with pytest.raises(TableError):
        run("gii_clusters_2024", "change", direction="fell")


# --- count and filter ----------------------------------------------------------------------------------


def test_count_is_the_number_of_rows_the_deck_lists():
    assert run("unicorns_japan_2024", "count").count == 8
    assert run("clarivate_top100_japan_2024", "count").count == 38
    gii = run("gii_clusters_2024", "count")
    assert gii.count == 15 and gii.excerpt_note is None


def test_count_with_a_filter_carries_the_excerpt_note():
    result = run("qs_2025_asia_oceania", "count", filter_value="Japan")
    assert result.count == 5
    assert result.excerpt_note and result.excerpt_note.startswith("QSランキング2025年世界トップ100から")


def test_filter_by_a_country_value_and_by_a_word_in_descriptions():
    japan = run("gii_clusters_2024", "filter", filter_value="日本")
    assert names(japan) == ["東京‐横浜", "大阪‐神戸‐京都", "名古屋"]
    assert japan.operation.filter_column == "economy"
    satellites = run("startup_funding_2024", "filter", filter_value="衛星")
    assert names(satellites) == ["アークエッジ・スペース", "Synspective"]  # 超小型人工衛星, 衛星データ解析


def test_filter_without_a_match_says_so():
    result = run("gii_clusters_2024", "filter", filter_value="ブラジル", filter_column="economy")
    assert result.matches == [] and result.message_en and result.candidates


# --- lookup, provenance, validation, the tool's arguments ----------------------------------------------


def test_lookup_with_a_column_by_english_label():
    result = run("startup_genome_2024", "lookup", entity="Tokyo", column="Rank 2023")
    assert result.operation.column == "prior_rank"
    assert result.matches[0].row.cells["prior_rank"] == 15
    assert answer_lines(result, "en")[0] == "Tokyo (東京) — Rank 2023: 15"


def test_rows_used_carry_their_provenance():
    result = run("startup_funding_2018", "neighbor", entity="Paidy")
    row = result.matches[0].row
    assert (row.table_id, row.slide_title, row.lines) == (
        "startup_funding_2018",
        "スタートアップのグローバル接続不足と更なる資金供給の必要性③",
        "3030",
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"op": "rank_position"},
        {"op": "neighbor"},
        {"op": "standing"},
        {"op": "filter"},
        {"op": "neighbor", "entity": "Paidy", "direction": "fell"},
        {"op": "change", "column_from": "rank_2003_2007"},
    ],
)
def test_inconsistent_arguments_are_rejected(arguments):
    with pytest.raises(ValidationError):
        TableOperation(table="aspi", **arguments)


def test_unknown_column_is_a_bilingual_error():
    with pytest.raises(TableError) as caught:
        run("gii_clusters_2024", "sort", column="GDP")
    assert "GDP" in caught.value.message_ja and "Columns:" in caught.value.message_en


def test_tool_arguments_stay_backward_compatible():
    legacy = run_ranking_tool(TS, RankingToolInput(table="gii", rank=7))
    assert isinstance(legacy, RankingResult) and not isinstance(legacy, TableOperationResult)
    assert [m.row.cells["cluster"] for m in legacy.matches] == ["大阪‐神戸‐京都"]
    operated = run_ranking_tool(TS, RankingToolInput(table="gii", op="rank_position", position=7))
    assert isinstance(operated, TableOperationResult) and names(operated) == ["大阪‐神戸‐京都"]


def test_rendering_puts_the_answer_first_in_both_languages():
    result = run("aspi_japan_tech_ranks", "change", direction="fell", top_n=1)
    assert answer_lines(result, "ja")[0].startswith("最も順位が下がったのは分散型台帳")
    english = answer_lines(result, "en")[0]
    assert (
        english.startswith("Fell most in rank: Distributed ledgers (分散型台帳)")
        and "down 25 places" in english
    )
    text = format_operation_text(result, "en")
    assert "operation: change" in text and "Rows used" in text
    count = run("unicorns_japan_2024", "count")
    assert answer_lines(count, "ja")[0] == "国内のユニコーン企業に掲載されているのは8社です。"
    assert "8 companies" in answer_lines(count, "en")[0]


def test_a_cell_that_prints_its_unit_gets_it_once():
    from tools.table_ops_text import with_unit

    assert with_unit("3％以上", "%", "ja") == "3％以上"  # full-width % is the unit
    assert with_unit("92", "社", "ja") == "92社" and with_unit("92", "社", "en") == "92 社"
    assert with_unit("1.39", "%", "en") == "1.39%" and with_unit("", "%", "ja") == ""


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("company", "companies"),
        ("technology class", "technology classes"),
        ("city", "cities"),
        ("day", "days"),
        ("fund", "funds"),
        ("tax", "taxes"),
        ("branch", "branches"),
    ],
)
def test_a_counted_rows_english_label_takes_its_regular_plural(noun, expected):
    assert plural(noun) == expected
