"""The numeric grounding guard: normalisation of figures and what counts as grounded."""

import pytest

from retrieval.grounding import check_grounding, drop_ungrounded_sentences, extract_numbers


@pytest.mark.parametrize(
    ("answer", "evidence"),
    [
        pytest.param("控除率は８．５％", ["控除率 8.5%"], id="full-width-digits"),
        pytest.param("85,000,000円", ["credit 85000000"], id="commas-vs-plain"),
        pytest.param("3.1万人を調査", ["31000 people"], id="man-unit-scaled"),
        pytest.param("¥50.4 billion", ["504億円"], id="oku-vs-billion"),
        pytest.param("US$25 million", ["2500万ドル"], id="man-dollars-vs-million"),
        pytest.param("名古屋は15位", ["15 名古屋 日本"], id="rank-i"),
        pytest.param("Nagoya is 15th", ["15 名古屋 日本"], id="rank-th"),
        pytest.param("rate 9.2%", ['{"decimal": "0.092"}'], id="ratio-as-fraction"),
        pytest.param("課題④ と ① は番号", ["no numbers here"], id="circled-markers-ignored"),
        pytest.param("Q4 2024 と 5G", ["2024"], id="identifiers-ignored"),
    ],
)
def test_grounded_forms(answer: str, evidence: list[str]) -> None:
    assert check_grounding(answer, evidence) == (True, [])


def test_invented_number_is_reported_as_written() -> None:
    grounded, ungrounded = check_grounding("予算は504億円、文科省分は1,200億円です。", ["504億円"])
    assert grounded is False
    assert ungrounded == ["1,200億"]


def test_nearby_but_different_value_is_not_grounded() -> None:
    assert check_grounding("控除率は9.25%", ["9.2%"]) == (False, ["9.25"])


def test_extract_numbers_scales_units() -> None:
    values = {value for mention in extract_numbers("1兆円と3千") for value in mention.values}
    assert 10**12 in values and 3000 in values


def test_drop_keeps_grounded_sentences_only() -> None:
    text = "控除率は9.2%です。税額は7円です。\nThe cap is 5. The rate is 9.2%."
    clean, dropped = drop_ungrounded_sentences(text, ["0.092"])
    assert clean == "控除率は9.2%です。\nThe rate is 9.2%."
    assert dropped == ["税額は7円です。", "The cap is 5."]


def test_a_refusal_may_repeat_the_year_the_question_asked(offline_engine) -> None:
    # the deck has the 2024 ranking only; saying "2025 is not in the deck" invents no number
    answer = offline_engine.answer("whats Tokyo's place in the 2030 Startup Genome ranking?")
    assert answer.status == "not_in_deck"
    assert "2030" in answer.answer
    assert answer.grounded and answer.ungrounded_numbers == []
