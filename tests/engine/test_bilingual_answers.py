"""English answers come from the deck's reviewed English rendering; names are matched across scripts."""

import pytest

from retrieval.extract import best_units
from retrieval.intent import analyze


def test_an_english_answer_shows_the_english_rendering_then_the_japanese(offline_engine):
    answer = offline_engine.answer("where did TSMC set up its R&D base in Japan, and when?")
    assert answer.status == "answered"
    assert "Tsukuba" in answer.answer and "2022" in answer.answer
    assert "原文" in answer.answer  # the Japanese original follows the English
    assert answer.grounded


def test_a_name_the_deck_writes_in_japanese_is_found_from_english(offline_engine):
    # 英国 in the deck; the question says UK. No glossary entry is involved: the unit alignment says it.
    answer = offline_engine.answer("which future technologies does the UK science and tech framework list?")
    assert answer.status == "answered"
    assert "UK Science and Technology Framework" in answer.answer
    assert "quantum" in answer.answer.lower()  # the list under the heading, in English


def test_english_names_are_matched_as_whole_words(knowledge):
    [slide] = [
        n
        for n, text in knowledge.english_text.items()
        if "comparison" in text and "paris" not in text.replace("comparison", "")
    ][:1]
    assert not knowledge.says_in_english(slide, "Paris")  # "comparison" contains "paris"
    assert knowledge.says_in_english(slide, "comparison")


def test_a_city_the_deck_does_not_cover_is_refused_in_english(offline_engine):
    answer = offline_engine.answer("What is the median market cap at IPO for startups in Paris?")
    assert answer.status == "not_in_deck"


def test_a_statement_is_quoted_with_the_note_its_mark_points_to(knowledge):
    slide = knowledge.by_number[30]
    units = [
        u.text
        for u in best_units(
            slide.text, analyze("オープンイノベーション促進税制の対象スタートアップは設立何年未満？")
        )
    ]
    marked = [u for u in units if "10年未満" in u and "※" in u]
    assert marked, units
    assert any(u.startswith("※") and "15年未満" in u for u in units)


@pytest.mark.parametrize(
    ("message", "is_summary"),
    [
        ("オープンイノベーション税制のとこ、かいつまんで", True),
        ("can you give me a short rundown of the talent slides", True),
        ("ASPIの表で日本が一番強い技術は？", False),
        ("how many unicorns does Japan have?", False),
        # asking where / how many is asking a fact, however casual; saying summary still wins
        ("ボッシュって日本のどこに拠点持ってるんだっけ", False),
        ("where did TSMC set up shop in japan, roughly?", False),
        ("大学のお金の流れの図、ざっくり言うと？", True),
        # a definition or "what kind of" is a fact
        ("研究開発サービス収支の「研究開発サービス」って、どう定義されてる？", False),
        ("その推移のグラフはどのような企業を集計対象としていますか。", False),
        ('how does the tracker define "top AI talent"?', False),
        # a quoted title's 概要 is the page's wording; a request to list things asks a fact
        ("「研究開発税制の概要」のスライドで、特別研究機関に該当するものを挙げてください。", False),
        ("「研究開発税制の概要」のスライドを要約して", True),
    ],
)
def test_summary_requests_are_recognised_by_meaning(knowledge, message, is_summary):
    assert knowledge.is_summary_request(message) is is_summary


def test_an_english_summary_titles_a_series_slide_in_english_and_renders_its_lead(offline_engine):
    # slide 36 runs its title into its first sentence; a sibling slide of the series prints the title alone
    answer = offline_engine.answer("tl;dr of the ASPI critical tech tracker findings?")
    head, first = answer.answer.split("\n")[:2]
    assert head.startswith('Key points of "Japan') and "アジア" not in head
    assert "Australian Strategic Policy Institute (ASPI)" in first


def test_a_table_cell_finds_the_rendering_of_its_bulleted_unit(knowledge):
    # the table holds the cell without the slide's list mark; the unit and its rendering keep it
    english = knowledge.english_of(19, "東大病院医師団とオリンパスが1960年に製品化")
    assert english is not None and "Olympus" in english and not english.startswith("•")


def test_definition_questions_are_facts_and_capital_markets_read_in_english(knowledge, offline_engine):
    assert knowledge.is_summary_request("what counts as a unicorn in the deck?") is False
    answer = offline_engine.answer("how many investors were surveyed about dialogue with capital markets?")
    assert answer.citations[0].slide == 31 and "40" in answer.answer


def test_an_english_question_in_its_own_words_finds_the_table_and_its_row(offline_engine) -> None:
    # "central R&D lab": the lexicon does not translate every word; the table's English names it
    answer = offline_engine.answer("toyota's central R&D lab is where?")
    assert answer.status == "answered"
    assert "Nagakute" in answer.answer or "長久手" in answer.answer


def test_an_english_question_is_answered_from_the_slide_whose_english_says_its_words(offline_engine) -> None:
    answer = offline_engine.answer(
        "which uni did Chugai Pharmaceutical team up with on immunology, and when was it signed?"
    )
    assert answer.status == "answered"
    assert "Osaka" in answer.answer and "2016" in answer.answer
    # the table of other companies' university deals lists none of this: none of its rows is dumped
    assert "Fujitsu" not in answer.answer


def test_a_demonym_is_evidenced_by_its_country_in_the_english_rendering(offline_engine) -> None:
    # the deck says シンガポール出身 ("from Singapore"); "Singaporean" is no word it uses
    answer = offline_engine.answer(
        "any example of a Singaporean who started a company here on the startup visa?"
    )
    assert answer.status == "answered"
    assert "Shibuya" in answer.answer


def test_an_english_question_is_focused_by_its_own_words_not_only_by_the_few_the_lexicon_translated(
    offline_engine,
) -> None:
    # "investment" and "compared" alone point at a tax slide that prints 投資 and 比較試験研究費
    answer = offline_engine.answer(
        "how many VC investment deals did japan have in 2023 compared with the US?"
    )
    assert answer.status == "answered"
    assert "1,285" in answer.answer and "13,586" in answer.answer


def test_a_follow_up_naming_another_thing_is_not_refused_for_the_first_things_name(offline_engine) -> None:
    first = "where is samsung building its new R&D site in japan?"
    answer = offline_engine.answer(first)
    follow_up = offline_engine.answer("and nvidia?", history=[first, answer.answer])
    assert follow_up.status == "answered"
    assert "2023" in follow_up.answer


def test_an_operations_rows_give_their_japanese_cells_in_english(offline_engine) -> None:
    # the slide prints 京都大学 only inside the table; the QS table's row and the lexicon read it in English
    answer = offline_engine.answer(
        "ASPI tracker: which techs is japan ranked 3rd in now, and which institution leads each?"
    )
    assert "Kyoto University (京都大学)" in answer.answer


def test_a_row_named_by_the_question_does_not_bring_its_table_when_the_rest_of_the_question_is_elsewhere(
    offline_engine,
) -> None:
    # "deep tech" names a fund in the R&D-funds table, but the question is about a VC chart's definition
    answer = offline_engine.answer("in the chart of global VC money, which fields does 'deep tech' cover?")
    assert "Deep-tech startup fund" not in answer.answer
    assert "AI" in answer.answer and "space" in answer.answer


def test_japanese_unit_amounts_in_an_english_answer_are_restated_in_english_units():
    from retrieval.engines.quoting import with_english_amounts
    from retrieval.grounding import check_grounding

    cell = "2023年／470万USドル（約7.1億円）; 5,400万シンガポールドル; 301億円; 27,564億円"
    english = with_english_amounts(cell)
    assert "470万USドル (US$4.7 million)" in english
    assert "7.1億円 (¥710 million)" in english
    assert "5,400万シンガポールドル (S$54 million)" in english
    assert "301億円 (¥30.1 billion)" in english
    assert "27,564億円 (¥2.7564 trillion)" in english  # exact, not rounded to 2.756
    assert (
        with_english_amounts("10億ユーロ、300万豪ドル")
        == "10億ユーロ (€1 billion)、300万豪ドル (A$3 million)"
    )
    assert check_grounding(english, [cell]) == (True, [])  # the same values, restated


def test_an_english_table_answer_gives_the_amount_in_english_units(offline_engine):
    answer = offline_engine.answer("how much is samsung putting into texas universities?")
    assert "US$4.7 million" in answer.answer and answer.grounded


def test_every_japanese_text_cell_of_every_table_has_english(knowledge):
    # a unit's rendering, a row's English alias, a short unit rendered on another slide, or cells_en.csv
    from tools.text import has_japanese

    missing = []
    for table in knowledge.tables.tables.values():
        slide = next(s.number for s in knowledge.slides if s.title == table.slide_title)
        for row in table.rows:
            for column in table.columns:
                value = row.display.get(column.name, "")
                if not value or not has_japanese(value):
                    continue
                if column.name == table.entity_column and row.latin_alias:
                    continue
                if not knowledge.english_of_anywhere(slide, value):
                    missing.append((table.id, value))
    assert missing == []


def test_a_table_cells_english_comes_from_cells_en_when_no_unit_renders_it(offline_engine):
    answer = offline_engine.answer(
        "in the ASPI table, which technology did japan fall furthest in, and who leads it?"
    )
    assert "University of Aizu (会津大学)" in answer.answer, answer.answer


def test_an_operations_cells_are_rendered_longest_first_so_a_cell_holding_another_stays_whole():
    from types import SimpleNamespace

    from retrieval.engines.table_answers import _cells_in_english

    english = {"中国/香港": "China / Hong Kong", "中国": "China", "香港": "Hong Kong"}
    rows = [
        SimpleNamespace(row=SimpleNamespace(display={"economy": v})) for v in ("中国", "香港", "中国/香港")
    ]
    result = SimpleNamespace(matches=rows, slide_title="s")
    lines = ["A — Economy: 中国/香港", "B — Economy: 中国"]
    assert _cells_in_english(lines, result, lambda _slide, text: english.get(text)) == [
        "A — Economy: China / Hong Kong (中国/香港)",
        "B — Economy: China (中国)",
    ]
