"""Amount parsing: every spelling a user may type, and friendly errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.amounts import AmountError, find_amount_spans, find_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "yen"),
    [
        ("1200000000", 1_200_000_000),
        ("1,200,000,000", 1_200_000_000),
        ("12億", 1_200_000_000),
        ("12億円", 1_200_000_000),
        ("1.2兆", 1_200_000_000_000),
        ("3,000万円", 30_000_000),
        ("１２億", 1_200_000_000),
        ("１，２００，０００，０００円", 1_200_000_000),
        ("120百万円", 120_000_000),
        ("1億2000万円", 120_000_000),
        ("1兆2,000億円", 1_200_000_000_000),
        ("3千万円", 30_000_000),
        ("¥1.2bn", 1_200_000_000),
        ("1.2 billion", 1_200_000_000),
        ("500m", 500_000_000),
        ("¥500 million", 500_000_000),
        ("JPY 1,000", 1_000),
        ("1000 yen", 1_000),
        (" 12 億 円 ", 1_200_000_000),
        (0, 0),
        (1_200_000_000, 1_200_000_000),
    ],
)
def test_parse_amount_spellings(text, yen):
    assert parse_amount(text, field="rd") == yen


@pytest.mark.parametrize(
    "text", ["-5億", "−5億", "▲3億", "abc", "", "1.5", "12億万", "1万2億", "十億", "12 oku"]
)
def test_parse_amount_errors_name_the_field(text):
    with pytest.raises(AmountError) as caught:
        parse_amount(text, field="tax")
    assert caught.value.field == "tax"
    assert "tax" in caught.value.message_ja and "tax" in caught.value.message_en
    assert isinstance(caught.value, ValueError)


def test_negative_int_rejected():
    with pytest.raises(AmountError):
        parse_amount(-1, field="rd")


def test_find_amounts_in_sample_q025():
    text = (
        "大企業（中小企業・ベンチャー特例の対象外、試験研究費割合は10%以下）で、前3事業年度の試験研究費がそれぞれ"
        "1,000,000,000円、1,000,000,000円、1,000,000,000円、当期の試験研究費が1,000,000,000円でした。"
    )
    assert find_amounts(text) == [1_000_000_000] * 4


def test_find_amounts_in_sample_q030_english():
    text = (
        "R&D spending in the three previous fiscal years was ¥3,000,000,000, ¥3,200,000,000 and "
        "¥3,400,000,000; this year it is ¥3,296,000,000. Its corporate tax before credits is ¥1,000,000,000. "
        "Use the basic cap of 25% for 2025."
    )
    assert find_amounts(text) == [3_000_000_000, 3_200_000_000, 3_400_000_000, 3_296_000_000, 1_000_000_000]


def test_find_amounts_mixed_units_and_no_false_hits():
    text = (
        "2025年度、当期12億円、売上は200億、法人税１０億円、1億2000万円と3,000万円、従業員3万人、¥1.2bn、10%"
    )
    assert find_amounts(text) == [
        1_200_000_000,
        20_000_000_000,
        1_000_000_000,
        120_000_000,
        30_000_000,
        1_200_000_000,
    ]


@given(st.integers(min_value=0, max_value=10**15))
def test_amount_spellings_agree(yen):
    full_width = str(yen).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    spellings = [str(yen), f"{yen:,}", f"{yen:,}円", f"¥{yen:,}", full_width, f"{yen} yen"]
    oku, rest = divmod(yen, 10**8)
    man, ones = divmod(rest, 10**4)
    japanese = (f"{oku}億" if oku else "") + (f"{man}万" if man else "") + (f"{ones}" if ones else "")
    spellings.append((japanese or "0") + "円")
    assert {parse_amount(text, field="rd") for text in spellings} == {yen}


@given(st.integers(min_value=0, max_value=10**6))
def test_decimal_oku_matches_integer(units):
    # units of 1万円 written as decimal 億: 12345万 = 1.2345億
    text = f"{units // 10**4}.{units % 10**4:04d}億"
    assert parse_amount(text, field="rd") == units * 10**4


def test_bare_english_units_only_when_asked():
    text = "prior three years 75m, 78m, 80m, this year 80m, tax 30m"
    assert find_amounts(text) == []  # "75m" in prose is not yen by itself
    spans = find_amount_spans(text, bare_units=True)
    assert [span.yen for span in spans] == [75 * 10**6, 78 * 10**6, 80 * 10**6, 80 * 10**6, 30 * 10**6]


def test_other_currencies_are_not_yen():
    spans = find_amount_spans("$100m, US$5m, €3m, 1億ドル, 200万ユーロ and ¥5m", bare_units=True)
    assert [span.yen for span in spans] == [5 * 10**6]
