"""Ranking lookups against figures read by hand from the deck."""

import pytest
from pydantic import ValidationError

from corpus.bundle import default_bundle
from retrieval.tables import load_tables
from tools.rankings import (
    RankingQuery,
    UnknownTableError,
    find_entities,
    find_tables_for,
    format_result_text,
    list_tables,
    lookup_ranking,
    resolve_table_id,
)

TS = load_tables(default_bundle())


def lookup(table, **kwargs):
    return lookup_ranking(TS, RankingQuery(table=table, **kwargs))


def only(result):
    assert len(result.matches) == 1, [m.row.display for m in result.matches]
    return result.matches[0]


def test_tokyo_in_startup_genome_is_10_up_from_15():
    match = only(lookup("startup_genome_2024", entity="Tokyo"))
    assert match.row.cells["city"] == "東京"
    assert (match.row.cells["rank"], match.row.cells["prior_rank"]) == (10, 15)
    assert match.how == "alias"
    assert match.change.before == 15 and match.change.after == 10
    assert match.change.places_gained == 5 and match.change.direction == "up"
    assert match.row.slide_title == "“イノベーション拠点競争” と戦略分野への重点投資①"


def test_startup_genome_ties_are_kept():
    result = lookup("startup_genome_2024", rank=2)
    assert [m.row.cells["city"] for m in result.matches] == ["ニューヨーク", "ロンドン"]
    assert all(m.row.cells["prior_rank"] == 2 for m in result.matches)
    assert [m.row.cells["city"] for m in lookup("startup_genome_2024", rank=4).matches] == [
        "テルアビブ",
        "ロサンゼルス",
    ]


def test_tohoku_in_qs_is_107_printed_in_brackets():
    match = only(lookup("qs_2025_asia_oceania", entity="東北大学"))
    assert match.row.cells["rank"] == 107
    assert match.row.display["rank_as_printed"] == "(107)"
    assert match.how == "exact"


def test_university_of_tokyo_and_kyoto_depend_on_the_table():
    assert only(lookup("qs_2025_asia_oceania", entity="University of Tokyo")).row.cells["rank"] == 32
    assert only(lookup("qs_2025_asia_oceania", entity="Kyoto")).row.cells["university"] == "京都大学"
    assert only(lookup("gii_clusters_2024", entity="Kyoto")).row.cells["cluster"] == "大阪‐神戸‐京都"
    assert only(lookup("gii_clusters_2024", entity="Tokyo")).row.cells["cluster"] == "東京‐横浜"


def test_spiber_in_both_funding_rankings():
    m2024 = only(lookup("startup_funding_2024", entity="Spiber"))
    m2018 = only(lookup("startup_funding_2018", entity="スパイバー"))
    assert (m2024.row.cells["rank"], m2024.row.cells["amount"]) == (5, 79)
    assert (m2018.row.cells["rank"], m2018.row.cells["amount"]) == (4, 62)
    assert m2024.row.cells["business"] == "構造タンパク質素材"


def test_gii_japanese_clusters_are_1_7_15():
    result = lookup("gii_clusters_2024", entity="Japan")
    assert [(m.row.cells["rank"], m.row.cells["cluster"]) for m in result.matches] == [
        (1, "東京‐横浜"),
        (7, "大阪‐神戸‐京都"),
        (15, "名古屋"),
    ]
    assert {m.how for m in result.matches} == {"column"}
    question = "GII 2024の世界トップ15の科学技術クラスターに入っている日本のクラスターと、その順位は？"
    assert find_tables_for(TS, question)[0] == "gii_clusters_2024"
    assert [m.rank for m in find_entities(TS, "gii_clusters_2024", question)] == [1, 7, 15]


def test_clarivate_counts_and_the_38_companies():
    counts = {
        m.row.cells["country"]: m.row.cells["companies"]
        for m in lookup("clarivate_top100_countries_2024").matches
    }
    assert counts == {"日本": 38, "米国": 17, "韓国": 8, "ドイツ": 7, "フランス": 6, "中国": 5}
    companies = [m.row.cells["company"] for m in lookup("clarivate_top100_japan_2024").matches]
    assert len(companies) == 38 and companies[0] == "Brother Industries" and companies[-1] == "Yazaki"
    assert "Nichia" in companies and "Mitsubishi Heavy Industries" in companies
    assert only(lookup("clarivate_top100_japan_2024", entity="トヨタ")).row.cells["company"] == "Toyota"


def test_aspi_optical_communications_fell_from_2_to_7():
    match = only(lookup("aspi_japan_tech_ranks", entity="先進光通信"))
    assert (match.change.before, match.change.after, match.change.direction) == (2, 7, "down")
    assert match.row.cells["main_institution_japan"] == "NTT"
    nuclear = only(lookup("aspi", entity="Nuclear energy"))
    assert (nuclear.row.cells["rank_2003_2007"], nuclear.row.cells["rank_2019_2023"]) == (4, 3)
    top5_now = lookup("aspi_japan_tech_ranks", rank_range=(1, 5))
    assert len(top5_now.matches) == 8  # the deck: 直近では８分野のみ (in the top 5)


def test_unicorns_ipos_funds_and_city_market_caps():
    unicorns = lookup("unicorns_japan_2024")
    assert len(unicorns.matches) == 8 and unicorns.matches[0].row.cells["company"] == "Preferred Networks"
    assert only(lookup("startup_ipos_2021_2024", entity="Astroscale")).row.cells["initial_market_cap"] == 1448
    assert only(lookup("meti_rd_funds", entity="Green Innovation Fund")).row.cells["budget"] == 27564
    assert only(lookup("meti_rd_funds", entity="ムーンショット")).row.cells["budget"] == 504
    tokyo = only(lookup("ipo_market_cap_by_city", entity="Tokyo"))
    assert (tokyo.row.cells["mean"], tokyo.row.cells["median"]) == (237, 131)
    sv = only(lookup("ipo_market_cap_by_city", entity="Silicon Valley"))
    assert (sv.row.cells["mean"], sv.row.cells["median"]) == (8663, 2515)
    y2021 = only(lookup("overseas_investment_by_year", entity="2021"))
    assert (y2021.row.cells["overseas"], y2021.row.cells["domestic"], y2021.row.cells["overseas_share"]) == (
        4541,
        7931,
        "36%",
    )


def test_top_n_orders_by_rank_or_by_amount():
    top3 = lookup("startup_funding_2024", top=3)
    assert [m.row.cells["company"] for m in top3.matches] == [
        "Sakana AI",
        "newmo",
        "五常・アンド・カンパニー",
    ]
    biggest = lookup("meti_rd_funds", top=1)
    assert only(biggest).row.cells["fund"] == "グリーンイノベーション基金"


def test_unknown_entity_returns_candidates_not_an_error():
    partial = only(lookup("qs_2025_asia_oceania", entity="Tohoku Univ"))
    assert partial.row.cells["university"] == "東北大学" and partial.how == "partial"
    result = lookup("qs_2025_asia_oceania", entity="ハーバード大学")
    assert not result.found
    assert len(result.candidates) == 5
    assert "ハーバード大学" in format_result_text(result, "ja")


def test_fuzzy_match_reports_its_score():
    match = lookup("startup_funding_2024", entity="Sakana A1").matches[0]
    assert match.row.cells["company"] == "Sakana AI"
    assert match.how in ("fuzzy", "partial") and 0 < match.score < 1


def test_unknown_table_lists_the_ids():
    with pytest.raises(UnknownTableError) as caught:
        lookup("no_such_table", entity="Tokyo")
    assert "startup_genome_2024" in caught.value.message_en
    assert "見つかりません" in caught.value.message_ja


def test_forgiving_table_names():
    assert resolve_table_id(TS, "GII") == "gii_clusters_2024"
    assert resolve_table_id(TS, "QS") == "qs_2025_asia_oceania"
    assert resolve_table_id(TS, "Startup Genome") == "startup_genome_2024"
    with pytest.raises(UnknownTableError) as caught:
        resolve_table_id(TS, "funding")
    assert caught.value.ambiguous == ["startup_funding_2024", "startup_funding_2018"]


def test_bad_queries_fail_validation():
    with pytest.raises(ValidationError):
        RankingQuery(table="gii", rank=1, rank_range=(1, 3))
    with pytest.raises(ValidationError):
        RankingQuery(table="gii", rank_range=(5, 2))
    with pytest.raises(ValidationError):
        RankingQuery(table="gii", top=0)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2025年QS大学ランキングの抜粋で、東北大学は何位として掲載されていますか。", "qs_2025_asia_oceania"),
        (
            "資料の「国内のユニコーン企業」一覧で1番目に掲載されている企業はどこですか。",
            "unicorns_japan_2024",
        ),
        (
            "Spiber appears in both the 2024 and the 2018 Japanese startup funding rankings.",
            "startup_funding_2024",
        ),
        (
            "What are the average and median market capitalisations at IPO for Tokyo startups?",
            "ipo_market_cap_by_city",
        ),
        ("Where does Tokyo rank in the Startup Genome ecosystem ranking?", "startup_genome_2024"),
        ("ASPIの重要技術トラッカーで日本の先進光通信の順位は？", "aspi_japan_tech_ranks"),
        ("グリーンイノベーション基金の予算はいくら？", "meti_rd_funds"),
        ("How many US companies are in the Clarivate Top 100?", "clarivate_top100_countries_2024"),
    ],
)
def test_find_tables_for_sample_questions(question, expected):
    assert find_tables_for(TS, question)[0] == expected


def test_find_tables_for_spiber_question_names_both_funding_tables():
    ids = find_tables_for(
        TS, "Spiber appears in both the 2024 and the 2018 Japanese startup funding rankings."
    )
    assert set(ids[:2]) == {"startup_funding_2024", "startup_funding_2018"}


def test_find_entities_in_free_text():
    assert [m.row.cells["city"] for m in find_entities(TS, "startup_genome_2024", "How did Tokyo do?")] == [
        "東京"
    ]
    assert [m.row.cells["university"] for m in find_entities(TS, "qs", "東北大学は何位？")] == ["東北大学"]
    # 東京 only occurs inside 東京工業大学, so 東京大学/東京 rows are not reported
    assert [m.row.cells["university"] for m in find_entities(TS, "qs", "東京工業大学の順位")] == [
        "東京工業大学"
    ]
    assert [
        m.row.cells["company"]
        for m in find_entities(TS, "startup_funding_2024", "Spiber（構造タンパク質素材）")
    ] == ["Spiber"]
    assert find_entities(TS, "unicorns_japan_2024", "how did it go?") == []


def test_list_tables_and_text_rendering():
    infos = {info.id: info for info in list_tables(TS)}
    assert infos["startup_genome_2024"].row_count == 15
    assert infos["qs_2025_asia_oceania"].row_count == 32
    assert infos["aspi_japan_tech_ranks"].row_count == 32
    text = format_result_text(lookup("startup_genome_2024", entity="Tokyo"), "ja")
    assert "15 → 10" in text and "東京" in text and "重点投資①" in text
    text_en = format_result_text(lookup("startup_funding_2018", entity="Spiber"), "en")
    assert "62 億円" in text_en and "Japan Startup Finance 2018" in text_en


def test_lookup_question_narrows_to_named_rows():
    from tools.rankings import lookup_question

    (result,) = lookup_question(
        TS, "2025年QS大学ランキングの抜粋で、東北大学は何位として掲載されていますか。"
    )
    assert [m.row.cells["rank"] for m in result.matches] == [107]
    results = lookup_question(
        TS, "Spiber appears in both the 2024 and the 2018 Japanese startup funding rankings."
    )
    amounts = {r.table_id: [m.row.cells["amount"] for m in r.matches] for r in results}
    assert amounts == {"startup_funding_2024": [79], "startup_funding_2018": [62]}
    assert lookup_question(TS, "BCGのTop Talent Tracker（Q4 2024）に基づくAI人材流入の国別シェア") == []


def test_a_keyword_phrase_with_a_word_between_its_words_still_names_its_table():
    # the keyword is "central lab"; the asker writes "central R&D lab"
    assert find_tables_for(TS, "where's honda's central R&D lab?")[0] == "japan_corporate_central_labs"


def test_a_keyword_phrase_spread_across_a_long_question_does_not_name_its_table():
    words = "central planning is hard, and a lab of any kind needs money"
    assert "japan_corporate_central_labs" not in find_tables_for(TS, words)
