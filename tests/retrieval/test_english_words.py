"""An English question's own words matched against a page's English rendering by stem."""

from retrieval.english_words import EnglishPages, content_stems, shared_stems, stem_share


def test_content_stems_drop_function_words_and_possessives():
    assert content_stems("Where's Honda's research lab?") == ["honda", "research", "lab"]


def test_an_ordinal_is_a_word_and_a_hyphenated_compound_shares_its_parts():
    assert shared_stems("the 6th plan", "the 5th plan") == 1  # "plan" only: 6th is not 5th
    assert shared_stems("the 6th plan", "the 6th plan") == 2
    assert shared_stems("mid-to-long-term goals", "Long-Term Goals") == 3  # long, term, goal


def test_a_short_stem_finds_the_long_word_and_a_demonym_finds_its_country():
    assert shared_stems("the lab", "Central research laboratory") == 1
    assert shared_stems("a Singaporean founder", "founder from Singapore") == 2
    assert shared_stems("the US", "user") == 0  # two letters match only themselves


def test_coverage_weighs_rare_words_and_ignores_words_no_page_uses():
    pages = EnglishPages(
        {1: "budget of the research funds", 2: "research hubs in Osaka", 3: "research budget"}
    )
    stems = content_stems("osaka research budget pls")
    # "pls" is on no page and "research" on every page: "osaka" decides between pages 1 and 2
    assert pages.coverage(2, stems) > pages.coverage(1, stems)
    assert pages.coverage(3, content_stems("zzz")) == 0.0


def test_stem_share_is_the_share_of_the_question_words_a_text_uses():
    assert stem_share("toyota central lab", "Toyota Central R&D Labs") == 1.0
    assert stem_share("toyota central lab", "Honda R&D") == 0.0
