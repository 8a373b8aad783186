"""What users read: no internal codes, bounded quotes, the years a refusal can offer instead."""

import re

import pytest

from retrieval.engines.quoting import MAX_QUOTE_CHARS, _within_quote_budget

INTERNAL_CODE = re.compile(r"\bA\d{2}-[a-z-]+")


@pytest.mark.parametrize(
    "question",
    [
        "R&D税制いくら？今期12億、前3期10億ずつ、売上200億ずつ、法人税10億",
        "how much R&D credit? this year 12bn yen, previous three years 10bn each, sales 200bn each, tax 1bn",
    ],
)
def test_tax_answers_state_their_assumptions_in_words_not_codes(offline_engine, question):
    answer = offline_engine.answer(question)
    assert answer.status == "answered"
    assert not INTERNAL_CODE.search(answer.answer)
    assert "12" in answer.answer or "1,200,000,000" in answer.answer


def test_quotes_stop_at_the_budget_but_always_keep_one_unit():
    units = ["あ" * 300, "い" * 300, "う" * 300]
    kept = _within_quote_budget(units)
    assert kept == units[:2] and sum(map(len, kept)) <= MAX_QUOTE_CHARS
    assert _within_quote_budget(["え" * 2000]) == ["え" * 2000]


def test_a_year_the_deck_does_not_give_is_refused_with_the_years_it_does(offline_engine):
    answer = offline_engine.answer("大学発スタートアップ数、2024年は何社？")
    assert answer.status == "not_in_deck"
    assert "2024" in answer.answer and "2023年" in answer.answer
