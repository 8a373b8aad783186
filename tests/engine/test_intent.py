"""Reading questions without a model: language, kind, entities, years."""

import pytest

from corpus.bundle import default_bundle
from retrieval.intent import DocumentVocabulary, analyze, classify, detect_language

DECK = DocumentVocabulary.of_bundle(default_bundle())


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("TSMCが日本に研究開発拠点を設立したのはいつ？", "ja"),
        ("東北大学", "ja"),
        ("What is the median IPO market cap in Tokyo?", "en"),
        ("GII 2024 ranking", "en"),
        # what is quoted is the page's wording: the words around it are the asker's language
        ('On the slide "研究開発の国際比較⑥", how many were picked in the first round?', "en"),
        ("what does 「産学協創」 mean?", "en"),
        ("「Top 100 Global Innovators」って何？", "ja"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("資料の「“科学とビジネスの近接化”の時代」を要約してください。", "summary"),
        ("Summarise the main findings of the tracker.", "summary"),
        ("2025年QS大学ランキングで東北大学は何位ですか。", "ranking"),
        (
            "前3事業年度の試験研究費が10億円、10億円、10億円、当期の試験研究費が12億円の研究開発税制の税額控除額は？",
            "tax_calc",
        ),
        ("大学発スタートアップ数は何社ですか。", "lookup"),
        ("資料の目次を見せて", "sections"),
    ],
)
def test_classify(question: str, kind: str) -> None:
    assert classify(question) == kind


def test_english_question_gets_japanese_terms_and_entities() -> None:
    intent = analyze("What is the median market capitalisation at IPO for startups in Paris?")
    assert intent.lang == "en"
    assert "パリ" in intent.entities
    assert {"中央値", "時価総額"} <= set(intent.terms)


def test_japanese_question_entities_and_years() -> None:
    intent = analyze("2023年の文部科学省の予算はいくらですか。")
    assert intent.entities == ["文部科学省"]
    assert intent.years == ["2023"]


def test_unknown_capitalised_names_are_kept() -> None:
    intent = analyze("How much did Rakuten invest in Japanese R&D hubs?", DECK)
    assert intent.unknown_names == ["Rakuten"]


def test_names_the_lexicon_knows_become_japanese_entities() -> None:
    assert "インテル" in analyze("How much did Intel invest in Japanese R&D hubs?").entities


def test_katakana_word_absent_from_the_deck_is_an_unknown_name() -> None:
    assert analyze("ミュンヘンのスタートアップ数は？", DECK).unknown_names == ["ミュンヘン"]
    assert analyze("ユニコーン企業は何社ですか。", DECK).unknown_names == []


def test_without_a_document_no_name_is_unknown() -> None:
    assert analyze("How much did Rakuten invest in Japanese R&D hubs?").unknown_names == []
    assert analyze("ミュンヘンのスタートアップ数は？").unknown_names == []


def test_the_bundles_own_phrases_reach_english_questions() -> None:
    question = "What does the deck say about the convergence of science and business?"
    assert "科学とビジネスの近接化" in analyze(question, DECK).terms
    assert "科学とビジネスの近接化" not in analyze(question).terms  # not general vocabulary


def test_a_katakana_name_the_deck_writes_in_kanji_is_known_by_its_english_rendering() -> None:
    # the deck prints 本田 / 本田技術研究所, rendered "Honda"; ホンダ itself is nowhere in the deck
    intent = analyze("ホンダの中央研究所ってどこ？", DECK)
    assert "ホンダ" not in intent.unknown_names
    assert "honda" in intent.terms
    assert "ゾルゲンバッハ" in analyze("ゾルゲンバッハの中央研究所ってどこ？", DECK).unknown_names


def test_a_year_glued_to_a_name_is_the_edition_not_the_name() -> None:
    assert analyze("QS2025で東北大って何位？", DECK).unknown_names == []
    assert analyze("XYZ2025で東北大って何位？", DECK).unknown_names == ["XYZ"]


def test_a_short_form_is_read_as_the_full_name_the_deck_prints() -> None:
    from retrieval.intent import expand_short_forms

    # the deck prints 経済産業省 and 九州大学, never 経産省 or 九大
    assert expand_short_forms("経産省の基金は？", DECK) == "経済産業省の基金は？"
    assert (
        "九州大学"
        in analyze("九大の法務統括室は？", DECK).terms + analyze("九大の法務統括室は？", DECK).entities
    )
    # a short form the deck itself prints stays as it is (産総研)
    assert expand_short_forms("産総研の目標は？", DECK) == "産総研の目標は？"


def test_superlatives_are_no_topic_terms() -> None:
    terms = analyze("経済産業省の基金で一番デカいのどれ？", DECK).terms
    assert not any(term.startswith(("一番", "デカ")) for term in terms)


def test_a_compounds_verb_stem_is_not_part_of_the_term() -> None:
    # 持ってる / 向け take okurigana: the kanji before them is a verb stem, not the end of the noun
    assert "研究拠点" in analyze("ボッシュは研究拠点持ってるの？").terms
    assert "中小企業" in analyze("中小企業向けの税制は？").terms
    assert "設立" in analyze("会社を設立した年は？").terms  # a する-verb keeps its noun


def test_japanese_era_years_are_the_calendar_years_and_keep_their_spelling():
    from retrieval.intent import year_spellings, years_in

    assert years_in("令和５年度の官公需とR2年度創設の制度、平成元年と2018年") == [
        "2023",
        "2020",
        "1989",
        "2018",
    ]
    assert year_spellings("令和8年度以降も延長？") == {"2026": "令和8年"}
    assert years_in("R&D投資は2021年比") == ["2021"]


def test_a_decade_is_no_one_year():
    from retrieval.intent import years_in

    assert years_in("now vs the early 2000s, and in 2023?") == ["2023"]
    assert years_in("2010年代と1990's") == []
    assert years_in("2000 startups in 2020") == ["2000", "2020"]


def test_words_for_a_documents_own_parts_are_no_names_it_must_state():
    # 「グラフ」 is the question pointing at a chart, not a thing the deck has to mention
    vocabulary = DocumentVocabulary.of_bundle(default_bundle())
    intent = analyze("推移のグラフって、どういう企業を集計してるの？", vocabulary)
    assert "グラフ" not in intent.unknown_names and "グラフ" not in intent.terms
