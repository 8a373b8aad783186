"""Chapter lookups for /decksummary and the assistant prompt "Summarise chapter 2"."""

import pytest

from corpus.bundle import default_bundle
from retrieval.corpus import load_slides
from retrieval.sections import DeckSections

# The chapter-2 contents slide (deck lines 1131-1141) lists these five themes.
CHAPTER_2_THEMES = [
    "我が国のイノベーション拠点の強みと課題",
    "我が国の研究開発インセンティブの現状と課題",
    "アジアにおいても相対的に低迷する日本の科学力と成長する大学の必要性",
    "人材高度化とグローバル・タレントの獲得",
    "スタートアップのグローバル接続不足と更なる資金供給の必要性",
]


@pytest.fixture(scope="module")
def sections() -> DeckSections:
    return DeckSections(load_slides(default_bundle()))


@pytest.mark.parametrize("query", ["Summarise chapter 2", "chapter 2", "ch2", "第2章", "第２章を要約して", "2", "２．"])
def test_chapter_two_is_found_however_it_is_written(sections: DeckSections, query: str) -> None:
    summary = sections.summarize(query)
    assert summary is not None
    assert summary.section.key == "ch2"
    assert summary.section.title == "２．イノベーションを巡る我が国の現状と課題"


def test_chapter_summary_has_one_bullet_per_theme_each_citing_a_slide_of_the_chapter(sections: DeckSections) -> None:
    summary = sections.summarize("chapter 2")
    assert [bullet.text.split("：")[0] for bullet in summary.bullets] == CHAPTER_2_THEMES
    chapter_slides = set(summary.section.slides)
    assert all(bullet.slide in chapter_slides for bullet in summary.bullets)


def test_chapter_one_starts_with_the_science_business_slide(sections: DeckSections) -> None:
    summary = sections.summarize("chapter 1")
    assert summary.section.title == "１．イノベーションを巡る世界の動向"
    assert summary.bullets[0].section == "“科学とビジネスの近接化”の時代"


def test_slide_numbers_need_the_word_slide(sections: DeckSections) -> None:
    summary = sections.summarize("slide 2")
    assert summary.section.title == "はじめに：日本企業の資産等の推移"


def test_an_unknown_chapter_finds_nothing(sections: DeckSections) -> None:
    assert sections.summarize("chapter 7") is None
