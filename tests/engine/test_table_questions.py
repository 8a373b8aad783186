"""Which table operation a question asks for (structure, ja/en), and follow-ups that change one slot."""

import pytest

from corpus.bundle import default_bundle
from retrieval.engines.table_follow_ups import table_follow_up, year_mismatch
from retrieval.engines.table_questions import asked_order, counts_rows, table_operations_from_question
from retrieval.tables import load_tables
from tools.table_ops import run_table_operation

TS = load_tables(default_bundle())


def ops(question, table):
    return table_operations_from_question(question, TS.get(table), TS)


def first(question, table):
    found = ops(question, table)
    assert found, question
    return found[0]


def answer_names(operation):
    result = run_table_operation(TS, operation)
    table = TS.get(result.table_id)
    return [table.name_of(m.row) for m in result.matches]


@pytest.mark.parametrize(
    ("question", "table", "expected"),
    [
        ("QSの一覧で東京大学の次に載っている大学は？", "qs_2025_asia_oceania", ["香港中文大学（CUHK)"]),
        ("QS: which university is listed right after the University of Tokyo?", "qs_2025_asia_oceania",
         ["香港中文大学（CUHK)"]),
        ("2018年の資金調達ランキングでPaidyの一つ前は？", "startup_funding_2018",
         ["Finatextホールディングス"]),
        ("who is just ahead of Paidy in the 2018 funding ranking?", "startup_funding_2018",
         ["Finatextホールディングス"]),
    ],
)  # fmt: skip
def test_neighbor_questions(question, table, expected):
    operation = first(question, table)
    assert operation.op == "neighbor"
    assert answer_names(operation) == expected


@pytest.mark.parametrize(
    ("question", "table", "expected"),
    [
        ("Startup Genomeのランキングで2位の都市は？", "startup_genome_2024", ["ニューヨーク", "ロンドン"]),
        ("Which city is 6th in the Startup Genome ecosystem ranking?", "startup_genome_2024", ["ボストン"]),
        ("GIIクラスターの最下位は？", "gii_clusters_2024", ["名古屋"]),
        ("the last cluster in the GII top 15?", "gii_clusters_2024", ["名古屋"]),
        ("IPO時の時価総額、中央値が一番高い都市はどこ？", "ipo_market_cap_by_city", ["ベルリン"]),
        ("which city has the lowest median market cap at IPO?", "ipo_market_cap_by_city", ["ロンドン"]),
        ("What's the second-largest METI fund by budget?", "meti_rd_funds",
         ["ポスト５Ｇ情報通信システム基盤強化研究開発基金"]),
        ("ユニコーン企業の一覧で三番目に載っているのは？", "unicorns_japan_2024", ["Playco"]),
    ],
)  # fmt: skip
def test_place_questions(question, table, expected):
    operation = first(question, table)
    assert operation.op == "rank_position"
    assert answer_names(operation) == expected


@pytest.mark.parametrize(
    ("question", "table", "direction", "expected"),
    [
        ("ASPIで一番順位を落とした技術分野は？", "aspi_japan_tech_ranks", "fell", ["分散型台帳"]),
        ("Which technology slipped furthest in the ASPI tracker?", "aspi_japan_tech_ranks", "fell",
         ["分散型台帳"]),
        ("ASPIの表で順位が上がった分野はある？", "aspi_japan_tech_ranks", "rose", ["原子力エネルギー"]),
        ("which city climbed the most in the Startup Genome ranking?", "startup_genome_2024", "rose",
         ["東京"]),
        ("海外からの投資額が最も減った年は？", "overseas_investment_by_year", "fell", ["2022"]),
    ],
)  # fmt: skip
def test_change_questions(question, table, direction, expected):
    operation = first(question, table)
    assert (operation.op, operation.direction) == ("change", direction)
    assert answer_names(operation) == expected


def test_count_and_filter_questions():
    count = first("QSの抜粋に日本の大学は何校？", "qs_2025_asia_oceania")
    assert (count.op, count.filter_value) == ("count", "日本")
    assert run_table_operation(TS, count).count == 5
    english = first("how many Korean universities does the QS extract list?", "qs_2025_asia_oceania")
    assert (english.op, english.filter_value) == ("count", "韓国")
    japan = first("GIIのクラスターで日本のものは？", "gii_clusters_2024")
    assert japan.op == "filter" and answer_names(japan) == ["東京‐横浜", "大阪‐神戸‐京都", "名古屋"]
    satellites = first("2024年の資金調達ランキングに宇宙・衛星系の会社はある？", "startup_funding_2024")
    assert satellites.op == "filter" and answer_names(satellites) == ["アークエッジ・スペース", "Synspective"]


def test_sort_questions():
    by_median = first("IPO時の時価総額を中央値の高い順に並べて", "ipo_market_cap_by_city")
    assert (by_median.op, by_median.column) == ("sort", "median")
    top3 = first("top 3 cities by mean market cap at IPO", "ipo_market_cap_by_city")
    assert (top3.op, top3.top_n) == ("sort", 3)
    assert answer_names(top3) == ["シリコンバレー", "シンガポール", "ベルリン"]  # 8,663 / 3,723 / 3,175


def test_a_place_and_a_count_in_one_question():
    found = ops(
        "ユニコーン企業の一覧で最初に載っている会社と、全部で何社あるかを教えて", "unicorns_japan_2024"
    )
    assert [op.op for op in found] == ["rank_position", "count"]
    assert answer_names(found[0]) == ["Preferred Networks"]


def test_named_rows_are_lookups_and_years_pick_the_table():
    assert [(op.op, op.entity) for op in ops("Where is Nagoya in the GII ranking?", "gii_clusters_2024")] == [
        ("lookup", "名古屋")
    ]
    assert ops("2024年の資金調達ランキングでSpiberは何位？", "startup_funding_2018") == []
    assert first("2024年の資金調達ランキングでSpiberは何位？", "startup_funding_2024").entity == "Spiber"
    assert ops("2025年の資金調達ランキング1位は？", "startup_funding_2024") == []
    assert year_mismatch("2025年の資金調達ランキング1位は？", TS).id.startswith("startup_funding")
    assert year_mismatch("2024年の資金調達ランキング1位は？", TS) is None


# --- follow-ups --------------------------------------------------------------------------------------


def follow(history, question):
    turn = table_follow_up(question, history, TS)
    assert turn is not None, question
    return turn.operation


def test_follow_up_with_a_year_switches_to_the_same_list_of_that_year():
    history = ["資金調達ランキング2024で2位の会社は？", "2位はnewmoです。"]
    operation = follow(history, "2018年は？")
    assert (operation.table, operation.op, operation.position) == ("startup_funding_2018", "rank_position", 2)
    assert answer_names(operation) == ["FOLIO"]


def test_follow_up_with_a_relative_year_switches_the_column():
    history = ["What rank is Tokyo in the Startup Genome ecosystem ranking?", "Tokyo (rank 10)"]
    operation = follow(history, "and the year before?")
    assert (operation.entity, operation.column) == ("東京", "prior_rank")  # Rank 2023: 15


def test_follow_up_with_another_row_place_column_or_value():
    qs = ["QSの抜粋で京都大学は何位？", "京都大学（50位）"]
    assert answer_names(follow(qs, "大阪大学は？")) == ["大阪大学"]
    assert answer_names(follow(["Where's Kyoto University in QS?", "rank 50"], "what about Osaka?")) == [
        "大阪大学"
    ]
    places = ["GIIの1位のクラスターは？", "東京‐横浜"]
    assert answer_names(follow(places, "3位は？")) == ["北京"]
    tax = ["研究開発税制の国際比較で、英国の繰越制度は？", "無期限※2"]
    column = follow(tax, "フランスは？")
    assert (column.entity, column.column) == ("繰越制度", "france")  # ３年※3
    count = ["QSの抜粋に日本の大学は何校？", "5校"]
    assert follow(count, "中国は？").filter_value == "中国"


def test_follow_up_chain_and_what_is_not_a_follow_up():
    chain = ["資金調達ランキング2024の1位は？", "Sakana AI", "2018年は？", "JapanTaxi"]
    assert answer_names(follow(chain, "じゃあ2位は？")) == ["FOLIO"]
    history = ["GIIで名古屋は何位？", "名古屋（15位）"]
    assert table_follow_up("ユニコーン企業は何社ですか。", history, TS) is None  # another table
    assert table_follow_up("ミュンヘンは？", history, TS) is None  # no row, value, column, place or year
    assert table_follow_up("大阪は？", [], TS) is None  # no thread


def test_a_superlative_on_a_figure_the_table_lacks_is_not_its_first_row():
    # The unicorn list has no valuation column: "highest valuation" must not read as "the first row".
    assert first("ユニコーン企業で時価総額が一番高いのは？", "unicorns_japan_2024").op == "lookup"
    assert first("which city ranks highest in the Startup Genome ranking?", "startup_genome_2024").op == (
        "rank_position"
    )


def test_a_follow_up_that_is_a_whole_neighbour_question_runs_it():
    history = ["GIIのクラスターで東京‐横浜の次は？", "深セン‐香港‐広州（2位）"]
    operation = follow(history, "じゃあ名古屋のひとつ前は？")
    assert (operation.op, operation.entity, operation.direction) == ("neighbor", "名古屋", "previous")
    assert answer_names(operation) == ["杭州"]  # 14位, right above 名古屋 (15位)


def test_a_cell_value_named_in_english_filters_and_the_filter_narrows_a_change():
    question = "which ASPI technologies list Tohoku University as main institution, and how did they change?"
    operation = first(question, "aspi_japan_tech_ranks")
    assert (operation.op, operation.filter_column, operation.filter_value) == (
        "change",
        "main_institution_japan",
        "東北大学",
    )
    assert sorted(answer_names(operation)) == ["スマート材料", "先進磁石・超伝導体"]


def test_counting_rows_answers_only_what_the_rows_are():
    # a list of major IPOs does not count IPOs; rounds that each give a number of companies do not count them
    assert first("2023年のIPOは何社？", "startup_ipos_2021_2024").op != "count"
    assert first("主なIPOの表には何社載ってる？", "startup_ipos_2021_2024").op == "count"
    assert first("J-Startupには何社選ばれた？", "j_startup_selections").op != "count"
    assert first("拠点都市はいくつ？", "startup_ecosystem_hub_cities").op == "count"


def test_a_short_form_filters_by_the_full_name():
    operation = first("ASPIで主な機関が東大の分野で一番順位を落としたのは？", "aspi_japan_tech_ranks")
    assert (operation.op, operation.filter_value) == ("change", "東京大学")
    assert answer_names(operation) == ["新規抗生物質・抗ウイルス薬"]


def test_minimum_and_fullest_are_words_not_superlatives():
    assert asked_order("韓国の最低限税率ってどうなってる？") is None
    assert asked_order("最大限の控除額は？") is None
    assert asked_order("最低の順位はどこ？") is False
    assert asked_order("最大の調達額は？") is True


def test_a_superlative_then_a_later_ordinal_asks_the_top_n():
    both = first("経産省の研究開発関連基金で一番予算がデカいのってどれ？2番目も教えて", "meti_rd_funds")
    assert (both.op, both.top_n) == ("sort", 2)
    second = first("経産省の研究開発関連基金で2番目に予算が大きいのは？", "meti_rd_funds")
    assert (second.op, second.position) == ("rank_position", 2)


def test_counted_rows_of_a_ranked_table_are_named_with_their_ranks():
    from tools.table_ops_text import count_lines

    count = first("how many Japanese universities does the QS extract list?", "qs_2025_asia_oceania")
    names = count_lines(run_table_operation(TS, count), "en")[1]
    assert "Tokyo Institute of Technology (東京工業大学) (#84)" in names
    assert "東京大学（32位）" in count_lines(run_table_operation(TS, count), "ja")[1]


def test_a_cell_value_holding_a_column_label_names_no_column():
    # シンガポール国立大学 is a value of the 大学 column, not a request for it
    lookup = first(
        "富士通とシンガポール国立大学の連携って、いつからでいくら？", "university_global_company_funding"
    )
    assert lookup.op == "lookup" and lookup.column is None


def test_a_named_rows_place_by_a_figure_the_deck_prints_no_rank_for_is_its_standing():
    found = ops(
        "which city has the highest median IPO market cap, and where does Tokyo stand?",
        "ipo_market_cap_by_city",
    )
    assert [(o.op, o.entity, o.column) for o in found] == [
        ("rank_position", None, "median"),
        ("standing", "東京", "median"),  # the row as the table names it
    ]
    assert answer_names(found[0]) == ["ベルリン"]
    assert run_table_operation(TS, found[1]).places == [5]
    # a ranked table prints the place itself: a plain lookup reads it
    assert first("where does Tokyo stand in the GII clusters?", "gii_clusters_2024").op == "lookup"


def test_an_ordinal_inside_a_row_name_names_that_row_not_a_place():
    # "first round" is the row 第1次選定 (its English alias), not the row with the most companies
    found = first("how many were picked in the first round?", "j_startup_selections")
    assert (found.op, found.entity) == ("lookup", "第1次選定")
    assert first("which round picked the most companies?", "j_startup_selections").op == "rank_position"


def test_an_ordinal_before_another_noun_of_a_named_row_describes_that_noun():
    # "its first R&D centre" asks about Apple's row, not the row listed first
    found = first(
        "when did apple open its first R&D centre in japan, and where?", "global_rd_centres_in_japan"
    )
    assert (found.op, found.entity) == ("lookup", "Apple")
    placed = first("is apple first in the list?", "global_rd_centres_in_japan")
    assert placed.op == "rank_position"


def test_where_things_stand_now_beside_a_named_row_adds_the_latest_years_row():
    table = "new_sme_public_procurement"
    both = ops("新規中小企業者の契約比率、現状と5か年計画の目標を教えて", table)
    assert [o.entity for o in both] == ["5か年計画の目標", "令和5年度"]  # FY2023 is the latest year row
    # a sentence of its own that names no row and asks a figure asks the same
    split = ops("新規中小企業者との契約はどのくらい？5か年計画の目標は？", table)
    assert [o.entity for o in split] == ["5か年計画の目標", "令和5年度"]
    assert [o.entity for o in ops("新規中小企業者の契約比率の5か年計画の目標は？", table)] == [
        "5か年計画の目標"
    ]


def test_average_names_the_mean_column_and_a_superlative_beside_a_named_row_adds_the_top_row():
    top, tokyo = ops("which city has the biggest avg IPO market cap, and Tokyo's?", "ipo_market_cap_by_city")[
        :2
    ]
    assert (top.op, top.column, top.position, top.descending) == ("rank_position", "mean", 1, True)
    assert answer_names(top) == ["シリコンバレー"]
    assert (tokyo.op, tokyo.entity) == ("lookup", "東京")
    assert first("IPO時の時価総額の平均が一番小さい都市は？", "ipo_market_cap_by_city").column == "mean"


def test_an_ordinal_designating_a_plan_or_round_is_no_place_in_a_list():
    assert first("what's in the 6th mid- to long-term plan?", "qs_2025_asia_oceania").op == "lookup"
    assert first("what's 6th in the QS list?", "qs_2025_asia_oceania").position == 6


@pytest.mark.parametrize(
    ("question", "table", "counted"),
    [
        ("how many fields does Korean law count these as?", "korea_rd_tax_rates", False),  # rows: tax classes
        (
            "how many korean companies made the top 100?",
            "clarivate_top100_countries_2024",
            False,
        ),  # countries
        ("how many startups are on the unicorn list?", "unicorns_japan_2024", True),  # startups are companies
        ("how many technologies is japan top 5 in?", "aspi_japan_tech_ranks", True),
        ("how many are listed?", "qs_2025_asia_oceania", True),
    ],
)
def test_rows_are_counted_only_when_the_noun_counted_is_what_they_are(question, table, counted):
    assert counts_rows(question, TS.get(table)) is counted


def test_how_many_within_the_top_n_counts_by_the_printed_rank_in_each_period():
    now, earlier = ops("how many critical techs is japan top 5 in?", "aspi_japan_tech_ranks")[:2]
    assert (now.op, now.top_n, now.column) == ("count", 5, "rank_2019_2023")
    assert run_table_operation(TS, now).count == 8  # ranks 3, 3 and six 5s
    assert (earlier.column, run_table_operation(TS, earlier).count) == ("rank_2003_2007", 32)
    assert first("ASPIで日本が上位5か国に入っている技術はいくつ？", "aspi_japan_tech_ranks").top_n == 5
    # without a count word, the top 5 are listed
    assert first("ASPI: Japan's top 5 technologies?", "aspi_japan_tech_ranks").op == "sort"


def test_a_peak_is_the_highest_and_a_row_named_beside_another_by_its_tail_is_named_too():
    peak = first("海外からの日本SUへの投資額って何年がピーク？", "overseas_investment_by_year")
    assert (peak.op, peak.position, peak.descending) == ("rank_position", 1, True)
    assert answer_names(peak) == ["2021"]
    for question in [
        "新規出資型の株式取得上限額・下限額は？",
        "新規出資型の株式取得上限額と、大企業・中小企業それぞれの下限額は？",
    ]:
        named = [op.entity for op in ops(question, "open_innovation_promotion_tax")]
        assert named[:2] == ["株式取得上限額", "株式取得下限額"], question


def test_a_follow_up_after_a_one_row_answer_changes_the_row_named_by_a_word_of_its_name():
    # the one-row answer prints no table title, only 「<row> — <column>: <value>」
    thread = (
        "OI型で大学と共同研究したら控除率何％？",
        "特別研究機関（注６）、大学等との共同・委託試験研究 — 控除率: 30%",
    )
    turn = table_follow_up("スタートアップ相手だと？", thread, TS)
    assert turn is not None
    assert (turn.operation.entity, turn.operation.column) == (
        "スタートアップ等との共同・委託試験研究",
        "credit_rate",
    )


def test_a_column_of_years_puts_the_earliest_first_and_newest_oldest_order_it():
    table = "innovation_box_by_country"
    assert answer_names(
        first("which country introduced an innovation box first, by year introduced?", table)
    ) == ["フランス"]
    assert answer_names(first("イノベーションボックスを導入年の新しい順に並べて", table))[0] == "日本"
    assert answer_names(first("which has the oldest innovation box by year introduced?", table)) == [
        "フランス"
    ]


def test_the_top_row_asked_in_its_own_sentence_beside_a_filter_is_the_whole_tables_top():
    found = ops("QS大学ランキングで最上位の大学はどこ？また、日本の大学は何位？", "qs_2025_asia_oceania")
    assert answer_names(found[0]) == ["シンガポール国立大学"]
    assert (found[1].op, found[1].filter_value) == ("filter", "日本")
    # one sentence: the top Japanese university
    assert answer_names(first("QSで日本の大学の最上位は？", "qs_2025_asia_oceania")) == ["東京大学"]


def test_an_ordinal_of_a_slide_or_chapter_is_no_place_in_a_table():
    assert first("tl;dr of the first startup slide?", "unicorns_japan_2024").op == "lookup"
    assert first("最初のスライドの要点は？", "unicorns_japan_2024").op == "lookup"
    assert first("which unicorn is first?", "unicorns_japan_2024").op == "rank_position"
