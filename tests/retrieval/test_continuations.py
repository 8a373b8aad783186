"""A line that starts with ⇒ continues the statement before it: the two are quoted together."""

from dataclasses import replace

from corpus.units import split_units
from retrieval.extract import best_units, notes_marked
from retrieval.intent import analyze

SLIDE = """\
⚫ 研究開発投資の動向
海外企業の国内研究拠点は2019年に12拠点
⇒さらに増加
国内大学の共同研究は2020年に約300件
⇒2023年に倍増
⚫ 人材の確保が課題。
"""


def quoted(question: str) -> list[str]:
    return [unit.text for unit in best_units(SLIDE, analyze(question))]


def test_the_arrow_line_after_a_quoted_statement_is_quoted_with_it():
    assert quoted("海外企業の国内研究拠点の数は？")[:2] == [
        "海外企業の国内研究拠点は2019年に12拠点",
        "⇒さらに増加",
    ]


def test_a_quoted_arrow_line_brings_the_statement_it_continues():
    assert quoted("2023年に倍増したのは？")[:2] == ["国内大学の共同研究は2020年に約300件", "⇒2023年に倍増"]


ASIDES = """\
⚫ 海外には水素技術に特化した研究機関が存在。
（独A研究所、仏B研究所など）
⚫ 支援対象は、以下の①～③が該当
①大学
②国立研究開発法人
③地方独立行政法人
⚫ 予算は毎年度見直す。
"""


def test_a_bracketed_aside_after_a_quoted_statement_is_quoted_with_it():
    units = [u.text for u in best_units(ASIDES, analyze("水素技術に特化した研究機関は？"))]
    assert "（独A研究所、仏B研究所など）" in units


def test_a_statement_announcing_its_list_brings_the_list():
    units = [u.text for u in best_units(ASIDES, analyze("支援対象には何が該当する？"))]
    assert {"①大学", "②国立研究開発法人", "③地方独立行政法人"} <= set(units)


def test_a_numbered_note_printed_straight_after_another_is_a_unit_of_its_own():
    notes = "注１ 対象は資本金1億円以下の法人に限る\n注２ 対象となる機関とは、以下の①～②が該当\n①大学\n②公設試験研究機関\n"
    assert [unit.text for unit in split_units(notes)] == [
        "注１ 対象は資本金1億円以下の法人に限る",
        "注２ 対象となる機関とは、以下の①～②が該当",
        "①大学",
        "②公設試験研究機関",
    ]


DATED = """\
⚫ 大学と製薬企業の包括連携契約
⚫ 基礎研究から臨床応用までを対象
⚫ 研究費は10年間で100億円
⚫ 成果は定期的に開示
※2016年に開始
"""


def test_a_question_asking_when_gets_the_unit_that_prints_a_year():
    units = [u.text for u in best_units(DATED, analyze("包括連携契約はいつ？"))]
    assert "※2016年に開始" in units


NOTED = """\
⚫ 対象は次の法人
スタートアップ
（設立10年未満の非上場企業※）
⚫ 所得控除は取得価額の25%。
※赤字企業の場合は設立15年未満の企業も対象
※５ 税率は課税標準100億ウォン以下分10%
"""


def test_a_note_mark_in_a_bracketed_aside_brings_its_note():
    # the aside is quoted as a continuation; its ※ still points to the note at the foot of the slide
    units = [u.text for u in best_units(NOTED, analyze("スタートアップの対象は？"))]
    assert "（設立10年未満の非上場企業※）" in units
    assert "※赤字企業の場合は設立15年未満の企業も対象" in units


def test_a_note_the_question_names_is_quoted_even_in_full_width():
    units = [u.text for u in best_units(NOTED, analyze("※5の税率ってどうなってる？"))]
    assert "※５ 税率は課税標準100億ウォン以下分10%" in units
    assert notes_marked(NOTED, {"※5"})[0].text.startswith("※５")
    assert notes_marked(NOTED, {"※4"}) == []


CHART = """\
売上高、経常利益、設備・無形資産投資、従業員給与の推移（兆円）
経常利益
売上高
※全業種（金融・保険業除く）、資本金10億円以上の企業の集計。
（出典）財務省「法人企業統計調査」
"""


def test_a_note_that_alone_covers_a_word_of_the_question_is_quoted_beside_the_quoted_title():
    question = (
        "「売上高、経常利益、設備・無形資産投資、従業員給与の推移」のグラフって、どういう企業を集計してるの？"
    )
    units = [u.text for u in best_units(CHART, analyze(question))]
    assert "※全業種（金融・保険業除く）、資本金10億円以上の企業の集計。" in units


LABELLED = """\
九州大学
• 法務統括室で、国際契約のチェックなどの対応を強化。
●法務業務が
2019年（コロナ前）約500件
⇒2023年 約850件に急増
●安全保障管理業務が
2019年 約400件
⇒2023年 約900件に急増
"""


def test_every_listed_labels_figures_are_quoted():
    units = [
        u.text for u in best_units(LABELLED, analyze("九州大学の業務ってコロナ前からどれくらい増えたの？"))
    ]
    assert "⇒2023年 約850件に急増" in units and "⇒2023年 約900件に急増" in units


def test_a_four_kanji_compound_counts_half_where_one_of_its_words_occurs():
    from retrieval.extract import term_match
    from retrieval.intent import fold

    assert term_match("集計対象", fold("資本金10億円以上の企業の集計。")) == 0.5
    assert term_match("集計対象", fold("売上高の推移")) == 0.0
    assert term_match("集計対象", fold("集計対象の企業")) == 1.0


STUDY = """\
⚫ 指数の策定後、選定を目指す企業では研究開発費の比率が低下し、利益率が向上した。
⚫ 研究開発費の比率は、研究開発費を売上高で割った値である。
⚫ 利益率の向上は、研究開発費の削減による面がある。
⚫ 指数の選定基準は、研究開発費の比率を含まない。
（出典）山田教授「指数と企業行動」
"""
STUDY_EN = {
    "⚫ 指数の策定後、選定を目指す企業では研究開発費の比率が低下し、利益率が向上した。": (
        "After the index was created, the R&D ratio fell at companies seeking selection, and margins rose."
    ),
    "⚫ 研究開発費の比率は、研究開発費を売上高で割った値である。": "The R&D ratio is R&D expenses divided by sales.",
    "⚫ 利益率の向上は、研究開発費の削減による面がある。": "Higher margins partly reflect R&D cuts.",
    "⚫ 指数の選定基準は、研究開発費の比率を含まない。": "The index's selection criteria do not include the R&D ratio.",
    "（出典）山田教授「指数と企業行動」": "(Source: Professor Yamada, 'Indexes and corporate behaviour')",
}


def test_a_name_the_question_asks_about_is_quoted_where_the_slide_prints_it():
    # "Yamada" is a name the document's vocabulary does not know (no search term); the slide names the author
    # only in the low-scored source line, and the answer must show it
    intent = replace(
        analyze("What did Yamada find about the R&D ratio after the index?"), unknown_names=["Yamada"]
    )
    chosen = [unit.text for unit in best_units(STUDY, intent, english=STUDY_EN)]
    assert "（出典）山田教授「指数と企業行動」" in chosen
    assert chosen[0].startswith("⚫ 指数の策定後")
