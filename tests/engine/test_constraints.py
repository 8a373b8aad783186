"""The question's constraints checked against what would be quoted: a row the table does not list, a measure
(valuation, revenue …), a rank or a count that nothing quoted prints. Each refusal has a control question of
the same shape that the deck does answer."""

import pytest

from retrieval.extract import before_source
from retrieval.figures import asked_figure, asked_metric, asks_whole, figure_form, gives_whole, names_asked_of
from retrieval.intent import analyze


@pytest.mark.parametrize(
    ("question", "nearest"),
    [
        ("ASPIで日本は量子通信の分野で何位？", "量子センサ"),
        ("Where does Japan stand in quantum networking on the ASPI tracker?", "Quantum sensors"),
    ],
)
def test_a_row_the_table_does_not_list_is_refused_naming_the_nearest_rows(offline_engine, question, nearest):
    answer = offline_engine.answer(question)
    assert answer.status == "not_in_deck", answer.answer
    assert nearest in answer.answer


def test_a_row_the_table_lists_is_answered(offline_engine):
    answer = offline_engine.answer("ASPIで日本の量子コンピューティングの順位は？")
    assert answer.status == "answered", answer.answer
    assert "量子コンピューティング" in answer.answer


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("How many employees does Spiber have?", "gives no employees"),
        ("Spiberの売上高はいくら？", "売上が書かれていません"),
        ("What position does Toyota hold in the Clarivate Top 100?", "gives no rank"),
        # a total budget is no per-company figure
        ("how much does the deep-tech startup support fund give per company?", "per-unit figure"),
        ("ディープテック・スタートアップ支援基金は1社あたりいくら？", "1社・1件当たりの額"),
        # a table that counts a country's companies (韓国 8社) does not say which they are
        ("which korean companies made the clarivate top 100 innovators list?", "only how many"),
        # a table of no year (tax rules by class) leaves the year to the slide, which gives 2023 and 2024 only
        ("韓国の国家戦略技術の税制支援、2019年の大企業の控除率は？", "2019"),
        # a chart of a per-capita figure whose values the PDF did not keep: 「100万人あたり」 is no count
        ("日本の博士号取得者って人口100万人あたり何人？", "質問の対象の数"),
        # the question gives Japan's count: a count naming no one is Japan's, not the US's
        ("deck says japan has 8 unicorns — how many does the US have?", "gives no count"),
        ("日本のユニコーンは8社だけど、米国は何社？", "質問の対象の数"),
        # the question names the funding ranking, which has 2018 and 2024
        ("2025年の国内スタートアップ資金調達ランキング1位は？", "2025"),
        # a general rate question (no name asked): the slide says ROE rose, and prints no rate for it
        ("伊藤レポートの後、日本企業のROEは何ポイント上がった？", "率（%）"),
        # a total asked, and the only row is one ministry's part of the fund
        ("ムーンショット型研究開発基金、文科省の分も含めると全体でいくら？", "一部の額だけ"),
    ],
)
def test_a_constraint_nothing_quoted_meets_is_refused(offline_engine, question, reason):
    answer = offline_engine.answer(question)
    assert answer.status == "not_in_deck", answer.answer
    assert reason in answer.answer


@pytest.mark.parametrize(
    ("question", "printed"),
    [
        # the IPO table's title says its rows are market capitalisations
        ("what market cap do Tokyo startups have at IPO, on average?", "237"),
        # a per-case limit printed with a slash (「200億円/件」)
        ("オープンイノベーション促進税制のM&A型、1件あたりの株式取得上限は？", "200億円"),
        # the table of Japan's companies names them
        ("which japanese companies made the clarivate top 100?", "Fanuc"),
        # the plan's heading carries its date; the amounts under it name no other country
        ("韓国の国家戦略技術育成基本計画（2024年8月）で政府はいくら投資する？", "3300億円"),
        # a top-5 question runs on the table of Japan's ranks, which names no other country; the tracker's
        # summary slide gives Korea's figure
        ("ASPIのトラッカーで韓国は上位5か国に何技術入ってる？", "24技術"),
        ("how many unicorns does japan have now?", "8"),
        # a general rate question whose row prints its rate
        ("大学との共同研究にオープンイノベーション型を使うと控除率は何%？", "30%"),
        # a total asked of a row marked as no one's part, and the part itself asked
        ("グリーンイノベーション基金の予算総額は？", "27,564億円"),
        ("ムーンショット型研究開発基金の経済産業省分の予算は？", "504億円"),
        # "funds" is a keyword of the METI funds table (no FY2023 there); the VC slide prints 「（2023年度）」 on
        # a line of its own, which the answer quotes
        (
            "how many VC investment deals were there in Japan (FY2023) and the US, and how many VC funds were "
            "set up?",
            "1,285",
        ),
    ],
)
def test_a_constraint_the_evidence_meets_is_answered(offline_engine, question, printed):
    answer = offline_engine.answer(question)
    assert answer.status == "answered", answer.answer
    assert printed in answer.answer


def test_a_count_is_quoted_from_the_lines_that_print_it(offline_engine):
    # the counts are chart lines of their own under the university's heading (「⇒2023年 約900件に急増」)
    answer = offline_engine.answer("九州大学の安全保障管理業務の件数は？")
    assert answer.status == "answered", answer.answer
    assert "900件" in answer.answer


def test_what_a_question_asks_to_be_printed():
    assert [
        asked_figure(q)
        for q in ("東京は何位？", "大学発スタートアップは何社？", "how many cities were chosen?")
    ] == [
        "rank",
        "count",
        "count",
    ]
    companies = figure_form("J-Startupに選ばれたのは何社？")
    assert companies.search("計50社") and not companies.search("約850件")
    patents = figure_form("how many patent applications?")
    assert patents.search("約850件") and not patents.search("38社")
    assert figure_form("how many were there?").search("38社")  # nothing counted named: any counter
    assert asked_metric("what's it valued at?") == "valuation"
    assert asked_metric("時価総額は？") == "market_cap"
    assert asked_metric("東京は何位？") is None


def test_single_quotes_quote_but_apostrophes_do_not():
    intent = analyze("what does Microsoft's 'AI for Science' team do across countries' sites?")
    assert intent.quoted == ["AI for Science"]
    assert analyze("what's Japan's rank, and the US's?").quoted == []


def test_a_quoted_phrase_no_table_prints_keeps_the_answer_on_its_slide(offline_engine):
    # Microsoft is a row of the R&D-centre table (slide 22), but 'AI for Science' is on slide 16 only
    answer = offline_engine.answer(
        "Which countries' sites work together in Microsoft's 'AI for Science' team?"
    )
    assert answer.status == "answered"
    assert [c.slide for c in answer.citations] == [16]
    assert "Netherlands" in answer.answer


def test_a_country_written_inside_a_compound_is_named(offline_engine):
    from retrieval.extract import entity_in
    from retrieval.intent import fold

    assert entity_in("米国", fold("日米大学等の産学官技術移転"))
    assert not entity_in("米国", fold("日本の大学"))


def test_a_summary_picks_the_slide_about_the_topic_not_one_naming_it(offline_engine):
    # two slides name Korea's national strategic technologies; one is about them
    answer = offline_engine.answer("韓国の国家戦略技術について要点を教えて")
    assert answer.status == "answered"
    assert {c.slide for c in answer.citations} == {9}


def test_number_of_reads_as_a_count_of_what_follows():
    deals = figure_form("Japan vs US, number of deals?")
    assert deals.search("投資件数は1,285件") and not deals.search("22,000社")


def test_a_tables_note_about_the_row_asked_comes_with_it(offline_engine):
    answer = offline_engine.answer("2021年の海外からのスタートアップ投資の比率は？")
    assert "36%" in answer.answer
    assert "16.6%" in answer.answer  # the note on 2021: without the Paidy acquisition the share is 16.6%


def test_a_count_reads_the_noun_counted_and_a_country_is_no_count():
    from retrieval.figures import LABEL_FORMS

    papers = figure_form("how many joint papers with Japan?")
    assert papers.search("1,400以上の共同論文") and papers.search("over 1,400 co-authored papers")
    assert not LABEL_FORMS["count"].search("Country")


def test_a_figure_on_the_line_after_the_names_heading_counts(offline_engine):
    # the chart prints 米国's line, then its share on the next line: the follow-up is answered, not refused
    first = "日本でできたVCファンドのうち、100億円以上の大型ってどのくらいの割合？"
    answer = offline_engine.answer("米国は？", history=[first, offline_engine.answer(first).answer])
    assert answer.status == "answered", answer.answer
    assert "23%" in answer.answer


def test_a_year_the_slide_gives_for_something_else_is_not_the_named_companys_year(offline_engine):
    # the slide lists the company and, in another line, the whole market's 2023 funding
    answer = offline_engine.answer("how much did Preferred Networks raise in 2023?")
    assert answer.status == "not_in_deck", answer.answer
    assert "2023 figures, but not for Preferred Networks" in answer.answer


def test_the_years_figure_is_answered_when_the_question_names_nothing_else(offline_engine):
    answer = offline_engine.answer("what was domestic startup funding in 2023?")
    assert answer.status == "answered", answer.answer
    assert "8,139" in answer.answer


def test_a_row_worded_differently_in_english_and_a_country_column_answer_the_lookup(offline_engine):
    # "carried forward" is the row "carry forward"; the country is the table's column, not one of its rows
    answer = offline_engine.answer(
        "how long can unused US R&D credits be carried forward per the comparison table?"
    )
    assert answer.status == "answered", answer.answer
    assert "US: 20年" in answer.answer


def test_an_era_year_the_deck_does_not_reach_is_refused_in_the_questions_own_spelling(offline_engine):
    # the deck gives the measure's deadline as 令和７年度末 (2025): 令和8年度 is past what it says
    answer = offline_engine.answer("オープンイノベーション促進税制って令和8年度以降も延長されるの？")
    assert answer.status == "not_in_deck", answer.answer
    assert "令和8年" in answer.answer and answer.grounded
    control = offline_engine.answer("令和5年度の官公需総実績額は？")
    assert control.status == "answered", control.answer


def test_an_english_question_the_lexicon_has_no_japanese_for_is_judged_on_its_own_words(offline_engine):
    # no Japanese term comes from "mid-to-long-term goals … longer": the slide's English rendering has them
    answer = offline_engine.answer("aist's 6th mid-to-long-term goals – why'd they make the period longer?")
    assert answer.status == "answered", answer.answer
    assert "5 years to 7 years" in answer.answer


def test_when_asked_of_a_thing_the_deck_names_without_any_date_is_refused(offline_engine):
    # the slide lists Korea among the associated countries; its only date is the source's
    answer = offline_engine.answer("when did korea become an associated country of horizon europe?")
    assert answer.status == "not_in_deck", answer.answer
    assert "no date" in answer.answer and answer.grounded
    # a date printed apart from the names it dates (a ※ note under the partners) answers "when"
    dated = offline_engine.answer("大阪大学と中外製薬の包括連携契約はいつ締結された？")
    assert dated.status == "answered" and "2016" in dated.answer, dated.answer
    # 「何年？」 of a carry-forward asks how many years, not when
    years = offline_engine.answer("研究開発税制の国際比較で、米国の繰越って何年？")
    assert years.status == "answered" and "20年" in years.answer, years.answer


def test_which_names_reads_the_noun_asked_for():
    assert names_asked_of("which korean companies made the list?") == ("社",)
    assert names_asked_of("どの企業が選ばれた？") == ("社",)
    assert names_asked_of("which countries have more than 5 companies?")[0] == "か国"
    assert names_asked_of("what rate applies to companies?") == ()


@pytest.mark.parametrize(
    ("question", "printed"),
    [("how many BILs has AIST set up?", "3 regions"), ("産総研のBILって何か所？", "3地域")],
)
def test_a_count_of_sites_printed_by_region_is_answered_as_a_count(offline_engine, question, printed):
    answer = offline_engine.answer(question)
    assert answer.status == "answered", answer.answer
    assert printed in answer.answer
    assert "要点" not in answer.answer  # 何か所 asks one figure: no summary


def test_a_figure_per_people_is_no_count_of_people():
    people = figure_form("博士号取得者は何人？")
    assert people.search("約1,200人が取得") and not people.search("人口100万人あたりの取得者")
    assert not figure_form("how many PhD holders?").search("holders per 1 million people")


def test_a_number_in_a_source_note_is_the_sources():
    assert before_source("取得者の推移（出典）科学技術指標2024 人材") == "取得者の推移"
    assert before_source("Trends (Source: Indicators 2024) People") == "Trends "
    assert before_source("約850件に急増") == "約850件に急増"


def test_a_total_is_given_unless_every_figure_is_one_bodys_part():
    assert asks_whole("B省の分も入れると総額いくら？") and asks_whole("how much in total?")
    assert not asks_whole("A省分の予算は？")
    assert not gives_whole(["X基金（A省分） — 予算: 500億円"])
    assert gives_whole(["X基金（A省分） — 予算: 500億円", "Y基金 — 予算: 300億円"])
    assert gives_whole(["A省分とB省分の合算で800億円"])  # printed as a total
    assert gives_whole(["新しい拠点を設立"])  # no figure: the figure checks' concern
