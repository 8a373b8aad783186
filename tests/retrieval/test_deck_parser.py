"""Parser rules checked on real slides of the deck (expected values read by hand from the text)."""

import pytest

from corpus.bundle import default_bundle
from corpus.deck import TitleRules, parse_deck
from retrieval.corpus import list_sections, load_slides


@pytest.fixture(scope="module")
def slides():
    return load_slides(default_bundle())


def by_title(slides, title):
    matches = [s for s in slides if s.title == title]
    assert len(matches) == 1, title
    return matches[0]


def test_deck_has_64_slides_numbered_in_order(slides):
    assert len(slides) == 64
    assert [s.number for s in slides] == list(range(1, 65))
    starts = [s.line_start for s in slides]
    assert starts == sorted(starts)


def test_printed_page_numbers_match_slide_order(slides):
    # "...出資 13" (line 817), "18" (1143), "25" (1689), "28" (1951), "46" (2777), "55" (3351), "64" (3666)
    pages = {s.number: s.page for s in slides}
    for number in (6, 9, 13, 18, 25, 28, 46, 55, 64):
        assert pages[number] == number


def test_chapter_headings_are_slides_and_set_the_chapter(slides):
    first = by_title(slides, "１．イノベーションを巡る世界の動向")
    second = by_title(slides, "２．イノベーションを巡る我が国の現状と課題")
    assert (first.number, first.line_start) == (4, 233)
    assert (second.number, second.line_start) == (18, 1131)
    assert by_title(slides, "“科学とビジネスの近接化”の時代").chapter == first.title
    assert by_title(slides, "我が国の研究開発インセンティブの現状と課題④").chapter == second.title
    assert slides[1].chapter is None  # はじめに slides precede chapter 1


def test_title_after_body_takes_the_body_before_it(slides):
    # Post-war innovation examples (1144-1205) are printed before the title ① at line 1206.
    first = by_title(slides, "我が国のイノベーション拠点の強みと課題①")
    assert (first.line_start, first.line_end) == (1144, 1206)
    assert "日亜化学工業が1993年に高輝度青色発光" in first.text
    second = by_title(slides, "我が国のイノベーション拠点の強みと課題②")
    assert (second.line_start, second.line_end) == (1207, 1294)
    assert "Top 100 Global Innovatorsに選出された38社の日本企業" in second.text


def test_title_before_body_takes_the_body_after_it(slides):
    fourth = by_title(slides, "我が国の研究開発インセンティブの現状と課題④")
    assert fourth.line_start == 1703
    assert fourth.heading == "研究開発税制の概要"
    assert "控除率カーブに基づいた税額控除を行う" in fourth.text
    assert fourth.page is None
    second = by_title(slides, "我が国の研究開発インセンティブの現状と課題②")
    assert second.heading == "経済産業省における主な研究開発関連基金（R7.3月時点）"
    assert "ムーンショット型研究開発基金" in second.text
    assert second.page == 25


def test_title_in_the_middle_of_its_page_keeps_both_halves(slides):
    # Slide 6 prints the startup-ecosystem ranking, then its title, then the GII cluster ranking.
    sixth = by_title(slides, "“イノベーション拠点競争” と戦略分野への重点投資①")
    assert sixth.number == 6
    assert "10（15） 東京 日本" in sixth.text and "15 名古屋 日本" in sixth.text
    assert "イノベーションモデルの変遷" not in sixth.text


def test_missing_title_is_inferred_from_the_series(slides):
    inferred = [s for s in slides if s.inferred_title]
    assert [s.title for s in inferred] == ["スタートアップのグローバル接続不足と更なる資金供給の必要性⑱"]
    eighteen = inferred[0]
    assert "PoCまでは進むが、本格調達・事業化の段階で円滑に進まないケースが見られる" in eighteen.text
    assert "国等の官公需総実績額" not in eighteen.text


def test_untitled_page_between_leading_titles_splits_at_blank_run(slides):
    # Slide 26 (③) starts at the blank-line page break before line 1693, not inside the fund table.
    third = by_title(slides, "我が国の研究開発インセンティブの現状と課題③")
    assert third.line_start == 1693
    assert "予算措置による重点支援" in third.text


def test_every_line_of_text_belongs_to_exactly_one_slide(slides):
    lines = default_bundle().text.split("\n")
    owned = [n for s in slides for n in s.source_lines]
    assert len(owned) == len(set(owned))
    nonblank = {i + 1 for i, line in enumerate(lines) if line.strip()}
    assert set(owned) <= nonblank
    assert len(nonblank - set(owned)) == 0


def test_sections_and_hash():
    sections = list_sections(default_bundle())
    assert "スタートアップのグローバル接続不足と更なる資金供給の必要性⑯" in sections
    assert len(default_bundle().sha256) == 64


def test_titles_without_a_number_come_from_the_bundle():
    # The generic parser knows numbered series only; the deck's three unnumbered titles are bundle data.
    text = default_bundle().text
    generic = {s.title for s in parse_deck(text)}
    assert "“科学とビジネスの近接化”の時代" not in generic
    assert "我が国の研究開発インセンティブの現状と課題④" in generic
    rules = default_bundle().slide_titles
    assert rules.unnumbered and "“科学とビジネスの近接化”の時代" in {s.title for s in parse_deck(text, rules)}


def test_a_tiny_deck_with_its_own_unnumbered_title():
    text = "表紙\n1\n\n\n\nはじめに\n本文A\n\n\n\nテスト資料シリーズの課題①\n本文B"
    slides = parse_deck(text, TitleRules(unnumbered=["はじめに"]))
    assert [s.title for s in slides] == ["表紙 1", "はじめに", "テスト資料シリーズの課題①"]
    assert "本文A" in slides[1].text and "本文B" in slides[2].text


def test_parse_deck_on_a_tiny_deck():
    text = "\n".join(
        [
            "表紙",
            "1",
            "",
            "本文A",
            "",
            "テスト資料シリーズの課題①",
            "小見出し",
            "本文B",
            "",
            "",
            "",
            "本文C",
            "テスト資料シリーズの課題②",
        ]
    )
    slides = parse_deck(text)
    assert [s.title for s in slides[1:]] == ["テスト資料シリーズの課題①", "テスト資料シリーズの課題②"]
    assert "本文B" in slides[1].text and slides[1].heading == "小見出し"
    assert "本文C" in slides[2].text


def test_parse_deck_without_titles_or_text():
    assert parse_deck("") == []
    only = parse_deck("ただの本文\n二行目")
    assert len(only) == 1 and only[0].text == "ただの本文\n二行目"


def test_a_title_inside_its_page_takes_the_page_top_printed_before_it(slides):
    # 「第６期中長期目標…」 (a page start, line 2611) opens the page whose title ⑩ the PDF printed at line 2631
    ninth = by_title(slides, "アジアにおいても相対的に低迷する日本の科学力と成長する大学の必要性⑨")
    tenth = by_title(slides, "アジアにおいても相対的に低迷する日本の科学力と成長する大学の必要性⑩")
    assert "目標期間を５年から７年に変更" in tenth.text and "第５期中長期目標" in tenth.text
    assert "目標期間" not in ninth.text and "約900件に急増" in ninth.text
    # the same layout gives slide 24 its subtitle line, printed at the foot of slide 23's page
    assert "公共部門と民間部門の研究開発の施策の状況" in by_title(slides, "我が国の研究開発インセンティブの現状と課題①").text
