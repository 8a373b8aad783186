"""The offline engine on table operations end to end: the direct answer first, only the rows asked for, the
question's language, citations from table metadata, follow-ups with history. Expected values were read from
corpus/tables/*.csv by hand."""

import pytest

FUNDING_SLIDE = 48  # スタートアップのグローバル接続不足と更なる資金供給の必要性③ (both funding rankings)


def ops_called(answer):
    return [call.args.get("op") for call in answer.tool_calls if call.name == "lookup_ranking"]


def test_a_place_question_gets_that_row_only(offline_engine):
    answer = offline_engine.answer("資金調達ランキング2024で3位はどこ？")
    assert answer.status == "answered"
    assert answer.answer.startswith("3位は五常・アンド・カンパニーです。")
    assert "175億円" in answer.answer
    assert "Sakana AI" not in answer.answer and "newmo" not in answer.answer  # not the whole table
    assert "rank_position" in ops_called(answer)
    assert [c.slide for c in answer.citations] == [FUNDING_SLIDE]
    assert answer.grounded


def test_english_neighbor_question_uses_english_names(offline_engine):
    answer = offline_engine.answer(
        "Which company is listed right after Paidy in the 2018 startup funding ranking?"
    )
    assert answer.lang == "en" and answer.status == "answered"
    assert answer.answer.startswith("Right after Paidy (rank 6) comes WHILL (rank 7).")
    assert "58" in answer.answer and "Amount raised" in answer.answer
    assert "JapanTaxi" not in answer.answer


def test_change_question_on_the_aspi_table(offline_engine):
    answer = offline_engine.answer("Which technology fell furthest in Japan's ASPI ranks?")
    assert answer.status == "answered"
    assert "Distributed ledgers (分散型台帳)" in answer.answer and "rank 26" in answer.answer
    assert ops_called(answer) == ["change"]
    assert any(c.slide == 37 for c in answer.citations)  # the ASPI slide, even if search ranked another first


def test_count_question_replaces_the_old_listing_line(offline_engine):
    answer = offline_engine.answer("国内のユニコーン企業は一覧に何社載ってる？")
    assert answer.answer.startswith("国内のユニコーン企業に掲載されているのは8社です。")
    assert "一覧の掲載数" not in answer.answer
    english = offline_engine.answer("How many Japanese universities are in the QS extract?")
    assert "5 universities matching 'Japan'" in english.answer
    assert (
        "QSランキング2025年世界トップ100から各国上位2大学を掲載" in english.answer
    )  # the deck's excerpt note


def test_a_year_the_table_family_lacks_is_refused(offline_engine):
    answer = offline_engine.answer("2025年の資金調達ランキングの1位は？")
    assert answer.status == "not_in_deck" and answer.citations


def test_follow_up_with_another_year_reruns_the_operation(offline_engine):
    first = offline_engine.answer("資金調達ランキング2024で3位はどこ？")
    answer = offline_engine.answer(
        "2018年は？", history=["資金調達ランキング2024で3位はどこ？", first.answer]
    )
    assert answer.status == "answered"
    assert answer.answer.startswith("3位はfreeeです。") and "65億円" in answer.answer
    assert "五常" not in answer.answer
    assert ops_called(answer) == ["rank_position"]


def test_follow_up_with_another_row_and_a_relative_year(offline_engine):
    question = "Where is Kyoto University in the QS ranking extract?"
    first = offline_engine.answer(question)
    osaka = offline_engine.answer("And Osaka?", history=[question, first.answer])
    assert "Osaka University (大阪大学) (rank 86)" in osaka.answer
    assert "Kyoto" not in osaka.answer  # only the row asked for
    question = "What rank is Tokyo in the Startup Genome ranking?"
    first = offline_engine.answer(question)
    before = offline_engine.answer("and the year before?", history=[question, first.answer])
    assert before.answer.startswith("Tokyo (東京) — Rank 2023: 15")


def test_follow_up_changing_the_column_of_a_comparison(offline_engine):
    question = "研究開発税制の国際比較で、英国の繰越制度はどうなってる？"
    first = offline_engine.answer(question)
    assert first.answer.startswith("繰越制度 — 英国: 無期限※2")
    answer = offline_engine.answer("フランスは？", history=[question, first.answer])
    assert answer.answer.startswith("繰越制度 — フランス: ３年※3")


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("一番予算が多い基金は？", "グリーンイノベーション基金"),
        (
            "経産省の研究開発系の基金で一番デカいのどれ？",
            "グリーンイノベーション基金",
        ),  # METI is the table's subject
        ("一番予算が少ない基金は？", "ムーンショット型研究開発基金"),
    ],
)
def test_a_superlative_without_a_column_is_about_the_table_s_one_figure(offline_engine, question, first):
    head = offline_engine.answer(question).answer.split("\n")[0]
    assert head.startswith("1番目（予算の") and f"は{first}" in head


def test_a_list_a_note_announces_is_quoted_whole_beside_the_table_row(offline_engine) -> None:
    # the table row answers the rate; the note's list (items without figures or names) says what qualifies
    answer = offline_engine.answer("オープンイノベーション型の控除率30%の「特別研究機関」って何が該当する？")
    assert "30%" in answer.answer
    assert "国立研究開発法人" in answer.answer and "福島国際研究教育機構" in answer.answer


def test_a_chart_figure_on_its_own_line_is_quoted_with_its_label_beside_the_table_row(offline_engine) -> None:
    # the table row gives the year and the income covered; the chart prints 「30%」 then 「所得控除」
    answer = offline_engine.answer(
        "イノベーション拠点税制はいつ施行で、対象所得のどれだけを所得控除できるの？"
    )
    assert "2025" in answer.answer
    assert "30%" in answer.answer and "所得控除" in answer.answer


def test_a_row_named_with_a_value_of_a_column_shows_its_other_cells(offline_engine):
    answer = offline_engine.answer("富士通とシンガポール国立大学の連携って、いつからでいくら？")
    assert "2014年から5年" in answer.answer and "5,400万シンガポールドル" in answer.answer


def test_a_place_the_figures_decide_is_answered_not_refused(offline_engine):
    # the list prints each city's mean and median, no rank: Tokyo's place by median is counted from them
    answer = offline_engine.answer("IPO時の時価総額の中央値が一番高い都市は？東京は何位？")
    assert answer.status == "answered"
    assert "東京は中央値の高い順で7都市中5番目です。" in answer.answer and "ベルリン" in answer.answer
    assert answer.grounded


def test_names_a_table_operation_does_not_cover_bring_the_slides_lines_about_them(offline_engine):
    # the indicators table has Japan's funding only; the chart beside it gives each country's fall
    answer = offline_engine.answer(
        "2021年比でスタートアップの資金調達額が一番落ちたのは米国、英国、中国、日本のどこ？"
    )
    assert "8,827億円" in answer.answer  # the table's row
    assert "米国 英国 中国 日本" in answer.answer and "-59％" in answer.answer
    # a table answer that covers every name asked stays on its own
    alone = offline_engine.answer("IPO時の時価総額の中央値が一番高い都市は？東京は何位？")
    assert "東京は" in alone.answer and "資料の記載" not in alone.answer, alone.answer


def test_a_table_off_the_focus_slide_whose_rows_the_question_names_is_consulted(offline_engine):
    # the comparison slide answers "Korea's credit rate"; the rows named are a Korea-only table's, elsewhere
    answer = offline_engine.answer(
        "for large firms in korea, what are the R&D credit rates on general technology and on new growth and "
        "source technology?"
    )
    assert "ratio of R&D expenses to sales × 0.5 (cap of 2%)" in answer.answer
    assert "大企業の場合、20～30％" in answer.answer
