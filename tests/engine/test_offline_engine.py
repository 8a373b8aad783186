"""The offline engine on the sample questions and on hand-written cases (real index, tables, tools)."""

import pytest

from retrieval.answer_eval import evaluate_answers, normalize_for_match


@pytest.fixture(scope="module")
def sample_report(offline_engine, sample_rows):
    return evaluate_answers(offline_engine, sample_rows)


def test_sample_thresholds(sample_report) -> None:
    failed = [(r.id, r.missing, r.status) for r in sample_report.rows if not r.passed]
    assert sample_report.must_contain_accuracy >= 0.90, failed
    assert sample_report.by_kind["ranking"].accuracy == 1.0, failed
    assert sample_report.by_kind["tax_calc"].accuracy == 1.0, failed
    assert sample_report.refusal_accuracy == 1.0, failed
    assert sample_report.false_refusals == 0, failed


def test_sample_answers_have_no_ungrounded_numbers(sample_report) -> None:
    assert sample_report.ungrounded_numbers == 0, [(r.id, r.ungrounded_numbers) for r in sample_report.rows]


def test_tax_calc_truncates_rate_and_applies_cap(offline_engine) -> None:
    # spec 1.4 / slide 27: 11.5% − (12% − 3%) × 0.25 = 9.25% → truncated 9.2%; 25% × ¥1,000,000,000 cap binds.
    answer = offline_engine.answer(
        "A large company (not an SME) claims the general-type R&D tax credit. R&D in the three previous fiscal "
        "years was ¥3,000,000,000, ¥3,200,000,000 and ¥3,400,000,000; this year it is ¥3,296,000,000. Its "
        "corporate tax before credits is ¥1,000,000,000. Use the basic cap of 25% of corporate tax only. "
        "What credit rate applies and how much credit can it take?"
    )
    assert answer.status == "answered" and answer.lang == "en"
    assert "9.2%" in answer.answer and "250,000,000" in answer.answer
    assert [call.name for call in answer.tool_calls][0] == "rd_credit"
    assert any(c.slide == 27 for c in answer.citations)
    assert answer.grounded


def test_japanese_ranking_from_table(offline_engine) -> None:
    answer = offline_engine.answer("GII 2024の科学技術クラスターランキングで名古屋は何位ですか。")
    assert answer.status == "answered"
    assert "15位" in answer.answer
    assert "lookup_ranking" in [call.name for call in answer.tool_calls]
    assert any(c.slide == 20 for c in answer.citations)


def test_english_question_gets_japanese_quote_and_english_gloss(offline_engine) -> None:
    answer = offline_engine.answer("How many people did BCG's Top Talent Tracker survey for AI talent flows?")
    assert answer.status == "answered" and answer.lang == "en"
    assert "3.1万" in answer.answer  # the Japanese quote
    assert "31,000" in answer.answer  # the English restatement of 3.1万
    assert answer.grounded


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("日本の首相は誰ですか。", id="general-knowledge-ja"),
        pytest.param("What is the weather forecast for Osaka tomorrow?", id="general-knowledge-en"),
        pytest.param(
            "GII 2024の科学技術クラスターランキングでミュンヘンは何位ですか。", id="absent-city-in-table"
        ),
        pytest.param("How much did Intel invest in its Japanese R&D hub?", id="absent-company"),
        pytest.param("ミュンヘンのスタートアップの時価総額の中央値は？", id="absent-katakana-city"),
        pytest.param("2019年の大学発スタートアップ数は何社ですか。", id="year-not-in-deck"),
    ],
)
def test_refuses_what_the_deck_does_not_say(offline_engine, question: str) -> None:
    answer = offline_engine.answer(question)
    assert answer.status == "not_in_deck", answer.answer
    assert answer.citations, "a refusal names the nearest sections"
    assert answer.grounded


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # the deck lists France's innovation box (its income types) but prints no rate for it
        ("フランスのイノベーションボックスの税率は？", "率（%）が書かれていません"),
        ("What is Singapore's tax rate under its innovation box?", "gives no rate (%)"),
    ],
)
def test_a_name_without_the_figure_asked_is_no_answer(offline_engine, question: str, reason: str) -> None:
    answer = offline_engine.answer(question)
    assert answer.status == "not_in_deck", answer.answer
    assert reason in answer.answer


def test_a_numbered_designator_the_deck_does_not_give_is_no_answer(offline_engine) -> None:
    # the J-Startup table lists 第1次–第4次選定; the METI fund list has Moonshot goal 4 only
    for question, asked in (
        ("J-Startupの第5次選定って何社だった？", "第5次"),
        ("ムーンショット基金の目標1の予算は？", "目標1"),
    ):
        answer = offline_engine.answer(question)
        assert answer.status == "not_in_deck", answer.answer
        assert f"「{asked}」" in answer.answer
    assert "50社" in offline_engine.answer("J-Startupの第3次選定って何社？").answer


def test_designators_are_read_in_both_scripts() -> None:
    from retrieval.engines.refusals import missing_designator

    assert missing_designator("第５次選定は？", "第1次選定 第2次選定") == {
        "asked": "第5次",
        "given": ["第1次", "第2次"],
    }
    assert missing_designator("phase 2 budget?", "Phase 1 and Phase 2") is None
    assert missing_designator("第5次選定は？", "選定企業数") is None  # no designator of its kind: no verdict


@pytest.mark.parametrize(
    "question",
    [
        "What R&D tax credit rates does France apply?",  # France is a column of the comparison table
        "韓国の研究開発税制の控除率は？",
        "How much did Amazon and NVIDIA each provide under X-PAI?",
    ],
)
def test_the_figure_asked_about_a_name_is_answered(offline_engine, question: str) -> None:
    assert offline_engine.answer(question).status == "answered"


def test_summary_bullets_each_cite_their_slide(offline_engine) -> None:
    answer = offline_engine.answer("「“科学とビジネスの近接化”の時代」のスライドを要約してください。")
    assert answer.status == "answered"
    assert all(c.slide == 5 for c in answer.citations)
    for term in ("リニアモデル", "エコシステム", "フロンティア"):
        assert normalize_for_match(term) in normalize_for_match(answer.answer)


def test_sections_and_summarize_interface(offline_engine) -> None:
    sections = offline_engine.sections()
    titles = [s.title for s in sections]
    assert "我が国の研究開発インセンティブの現状と課題" in titles
    incentive = next(s for s in sections if s.title == "我が国の研究開発インセンティブの現状と課題")
    assert incentive.slides[0] == 24 and 27 in incentive.slides
    summary = offline_engine.summarize(incentive.key)
    assert summary is not None and {b.slide for b in summary.bullets} >= {24, 27}
    assert offline_engine.summarize("27").section.slides == [27]
    assert offline_engine.summarize("サッカーワールドカップの日程") is None


def test_bare_follow_up_uses_the_previous_question(offline_engine) -> None:
    history = ["GII 2024の科学技術クラスターランキングで名古屋は何位ですか。", "名古屋（15位）"]
    answer = offline_engine.answer("大阪は？", history=history)
    assert answer.status == "answered"
    assert "大阪‐神戸‐京都（7位）" in answer.answer
    refused = offline_engine.answer("ミュンヘンは？", history=history)
    assert refused.status == "not_in_deck"


def test_follow_up_rule_leaves_full_questions_alone() -> None:
    from retrieval.engines.offline import resolve_follow_up

    history = ["GII 2024で名古屋は何位？", "15位"]
    assert resolve_follow_up("ユニコーン企業は何社ですか。", history) == "ユニコーン企業は何社ですか。"
    assert resolve_follow_up("大阪は？", []) == "大阪は？"
    assert resolve_follow_up("And Boston?", history) == "And Boston?"  # different language


def test_a_follow_up_that_points_back_with_a_pronoun_is_about_the_earlier_thing() -> None:
    from retrieval.engines.offline import resolve_follow_up

    history = ["how did TBM use JETRO's GAH?", "It used GAH to enter Indonesia."]
    assert (
        resolve_follow_up("what valuation did it get?", history)
        == f"{history[0]}\nwhat valuation did it get?"
    )
    assert (
        resolve_follow_up("what valuation did Sakana AI get?", history) == "what valuation did Sakana AI get?"
    )
    assert resolve_follow_up("what is the innovation box?", history) == "what is the innovation box?"
    assert (
        resolve_follow_up("is there a cap?", history) == "is there a cap?"
    )  # existential "there" points nowhere


def test_the_follow_ups_own_words_pick_the_quote_and_the_case_study_heading_scopes_it(offline_engine) -> None:
    # the valuation line names no company: it stands under the TBM case study's heading
    history = ["how did TBM use JETRO's GAH?"]
    first = offline_engine.answer(history[0])
    answer = offline_engine.answer(
        "what valuation did it get, and where did that rank?", history=[*history, first.answer]
    )
    assert answer.status == "answered", answer.answer
    assert "136.1 billion" in answer.answer and "6th" in answer.answer
    # the same slide's other case study is given no valuation
    refused = offline_engine.answer("what's Glasp valued at?")
    assert refused.status == "not_in_deck", refused.answer


def test_an_english_ordinal_designator_is_checked_like_a_japanese_one():
    from retrieval.designators import missing_designator, under_other_designator, without_designators

    assert missing_designator("what did the 7th plan add?", "第5期 … 第6期") == {
        "asked": "#7",
        "given": ["第5期", "第6期"],
    }
    assert missing_designator("the 6th mid- to long-term goals?", "第６期中長期目標") is None
    assert (
        missing_designator("the 2nd largest city?", "第1次 第2次") is None
    )  # an ordinal of size, no designator
    assert under_other_designator("the 6th plan's aims?", ["第5期", "a", "第6期", "b"]) == [
        True,
        True,
        False,
        False,
    ]
    assert "6" not in without_designators("the 6th term plan")


def test_the_heading_of_the_designator_asked_is_quoted_with_its_period(offline_engine):
    answer = offline_engine.answer("what period does AIST's 6th mid- to long-term plan cover?")
    assert answer.status == "answered", answer.answer
    assert "2032" in answer.answer
