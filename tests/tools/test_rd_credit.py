"""Worked examples of shared/specs/rdcredit.md section 11 (expected values copied by hand from the spec)."""

from fractions import Fraction

import pytest

from tools.errors import ToolInputError
from tools.rd_credit import (
    RdCreditInput,
    compute_rd_credit,
    general_rate_before_truncation,
    general_rate_curve,
    parse_rdcredit_input,
    sme_rate_curve,
)

OKU = 100_000_000  # 1億円
TEN_OKU = 10 * OKU


def large(rd: int, prior: int, sales: int, tax: int, **extra) -> RdCreditInput:
    return parse_rdcredit_input(
        {"rd": rd, "prior_rd": [prior] * 3, "sales": [sales] * 4, "tax": tax, "company": "large", **extra}
    )


def test_case01_floor_minus_40_percent():
    result = compute_rd_credit(large(600_000_000, TEN_OKU, 200 * OKU, TEN_OKU))
    general = result.general
    assert general.increase_ratio.percent == "-40%"
    assert general.intensity.percent == "3%"
    assert general.rate.value == Fraction(1, 100)
    assert general.credit_limit == 6_000_000
    assert general.cap_pct.value == Fraction(20, 100)
    assert general.cap_amount == 200_000_000
    assert result.total_credit == 6_000_000


def test_case04_no_change_8_5_percent():
    result = compute_rd_credit(large(TEN_OKU, TEN_OKU, 200 * OKU, TEN_OKU))
    assert result.general.increase_ratio.percent == "0%"
    assert result.general.rate.percent == "8.5%"
    assert result.general.cap_amount == 250_000_000
    assert result.total_credit == 85_000_000


def test_case05_truncation_9_75_to_9_7():
    result = compute_rd_credit(large(1_050_000_000, TEN_OKU, 200 * OKU, TEN_OKU))
    general = result.general
    assert general.intensity.percent == "5.25%"
    assert general.rate_before_truncation.percent == "9.75%"
    assert general.rate.decimal == "0.097"
    assert general.rate.percent == "9.7%"
    assert general.credit_limit == 101_850_000
    assert general.cap_pct.percent == "25.625%"
    assert general.cap_amount == 256_250_000
    assert result.total_credit == 101_850_000


def test_case06_kink_plus_12_percent():
    result = compute_rd_credit(large(1_120_000_000, TEN_OKU, 200 * OKU, TEN_OKU))
    assert result.general.rate.percent == "11.5%"
    assert result.general.cap_pct.percent == "30%"
    assert result.general.cap_amount == 300_000_000
    assert result.total_credit == 128_800_000


def test_case07_ceiling_at_plus_18_67_percent():
    result = compute_rd_credit(large(1_186_700_000, TEN_OKU, 200 * OKU, TEN_OKU))
    general = result.general
    assert general.increase_ratio.percent == "18.67%"
    assert general.intensity.percent == "5.9335%"
    assert general.rate_before_truncation.percent == "14.00125%"
    assert general.rate.percent == "14%"
    assert result.total_credit == 166_138_000


def test_case07b_plus_18_percent_truncates_13_75_to_13_7():
    assert general_rate_before_truncation(Fraction(18, 100)) == Fraction(1375, 10000)
    assert general_rate_curve(Fraction(18, 100)) == Fraction(137, 1000)


def test_case09_intensity_15_percent_bonus_and_cap():
    result = compute_rd_credit(large(15 * OKU, 14 * OKU, 100 * OKU, 5 * OKU))
    general = result.general
    assert general.intensity.percent == "15%"
    assert general.increase_ratio.percent == "7.142857%"
    assert general.base_rate.percent == "10.285714%"
    assert general.bonus_ratio.percent == "2.5%"
    assert general.rate_before_truncation.percent == "10.542857%"
    assert general.rate.percent == "10.5%"
    assert general.credit_limit == 157_500_000
    assert general.cap_pct.percent == "35%"
    assert general.cap_amount == 175_000_000
    assert result.total_credit == 157_500_000


def test_case10_upper_cap_binds():
    result = compute_rd_credit(large(12 * OKU, TEN_OKU, 200 * OKU, 4 * OKU))
    general = result.general
    assert general.rate.percent == "14%"
    assert general.credit_limit == 168_000_000
    assert general.cap_amount == 120_000_000
    assert general.cap_binds is True
    assert result.total_credit == 120_000_000


def test_case12_sme_plus_20_percent_and_general_alternative():
    inp = parse_rdcredit_input(
        {
            "rd": 30_000_000,
            "prior_rd": [25_000_000] * 3,
            "sales": [5 * OKU] * 4,
            "tax": 15_000_000,
            "company": "sme",
        }
    )
    result = compute_rd_credit(inp)
    assert result.general is None
    assert result.sme.increase_ratio.percent == "20%"
    assert result.sme.rate.percent == "15%"
    assert result.sme.credit_limit == 4_500_000
    assert result.sme.cap_pct.percent == "35%"
    assert result.sme.cap_amount == 5_250_000
    assert result.total_credit == 4_500_000
    assert result.alternative_general_credit == 4_200_000  # "The SME type is better by 300,000 円."


def test_case13_founding_year_fixed_8_5_percent():
    inp = parse_rdcredit_input(
        {"rd": 50_000_000, "founding_year": True, "sales": [TEN_OKU], "tax": 30_000_000}
    )
    result = compute_rd_credit(inp)
    general = result.general
    assert general.increase_ratio is None
    assert general.zero_base is True
    assert general.intensity.percent == "5%"
    assert general.rate.percent == "8.5%"
    assert general.cap_pct.percent == "25%"
    assert general.cap_amount == 7_500_000
    assert result.total_credit == 4_250_000
    assert "A05-zero-base-no-variable-cap" in [note.id for note in result.notes]


def test_case14_oi_with_general_method_a_default():
    inp = parse_rdcredit_input(
        {
            "rd": 12 * OKU,
            "prior_rd": [TEN_OKU] * 3,
            "sales": [200 * OKU] * 4,
            "tax": TEN_OKU,
            "oi": {"university": OKU, "startup": 50_000_000, "other": 30_000_000},
        }
    )
    result = compute_rd_credit(inp)
    assert result.oi.credit_limit == 48_500_000
    assert result.oi.cap_amount == 100_000_000
    assert result.oi.credit == 48_500_000
    assert result.general.credit_base_rd == 1_020_000_000
    assert result.general.increase_ratio.percent == "20%"  # method A: ratio on the total R&D
    assert result.general.rate.percent == "14%"
    assert result.general.credit == 142_800_000
    assert result.total_credit == 191_300_000
    assert result.ninety_percent_rule.binds is False
    assert "A06-oi-method-a" in [note.id for note in result.notes]


def test_ninety_percent_rule_takes_excess_from_other_credits_first():
    # Case 14 plus 800,000,000 円 of other credits: 142.8m + 48.5m + 800m = 991.3m > 900m -> 91.3m disallowed.
    inp = parse_rdcredit_input(
        {
            "rd": 12 * OKU,
            "prior_rd": [TEN_OKU] * 3,
            "sales": [200 * OKU] * 4,
            "tax": TEN_OKU,
            "oi": {"university": OKU, "startup": 50_000_000, "other": 30_000_000},
            "other_credits": 8 * OKU,
        }
    )
    result = compute_rd_credit(inp)
    rule = result.ninety_percent_rule
    assert rule.credits_count == 3
    assert rule.total_before == 991_300_000
    assert rule.limit == 900_000_000
    assert rule.binds is True
    assert rule.disallowed == 91_300_000
    assert rule.from_other_credits == 91_300_000
    assert rule.lost_rd_credit == 0
    assert result.total_credit == 191_300_000
    assert "A10-ninety-percent-order" in [note.id for note in result.notes]


def test_sample_q030_basic_cap_only():
    inp = parse_rdcredit_input(
        {
            "rd": 3_296_000_000,
            "prior_rd": [3_000_000_000, 3_200_000_000, 3_400_000_000],
            "tax": TEN_OKU,
            "basic_cap_only": True,
        }
    )
    result = compute_rd_credit(inp)
    assert result.general.rate.percent == "9.2%"
    assert result.general.credit_limit == 303_232_000
    assert result.general.cap_amount == 250_000_000
    assert result.total_credit == 250_000_000


@pytest.mark.parametrize(
    ("increase", "expected"),
    [
        (Fraction(0), Fraction(85, 1000)),  # deck: 増減なし 8.5%
        (Fraction(12, 100), Fraction(115, 1000)),  # deck: 12%増 11.5%
        (Fraction(-30, 100), Fraction(10, 1000)),  # deck: 30%減 1%
        (Fraction(-296, 1000), Fraction(11, 1000)),  # spec 1.4: float gives 1.0%, exact is 1.1%
        (Fraction(56, 300), Fraction(140, 1000)),  # +18.6667%: ceiling 14%
        (Fraction(1), Fraction(140, 1000)),
    ],
)
def test_general_curve_key_points(increase, expected):
    assert general_rate_curve(increase) == expected


def test_sme_curve_key_points():
    assert sme_rate_curve(Fraction(-50, 100)) == Fraction(12, 100)
    assert sme_rate_curve(Fraction(12, 100)) == Fraction(12, 100)  # strict '>' at the kink
    assert sme_rate_curve(Fraction(76, 300)) == Fraction(17, 100)  # +25.333%: deck "約25%増 17%"


def test_truncation_of_bonus_8_925_to_8_9():
    # founding year, intensity 20%: 8.5% × (1 + 5%) = 8.925% -> 8.9% (spec 1.4)
    inp = parse_rdcredit_input({"rd": 2 * OKU, "founding_year": True, "sales": [TEN_OKU], "tax": TEN_OKU})
    general = compute_rd_credit(inp).general
    assert general.rate_before_truncation.percent == "8.925%"
    assert general.rate.percent == "8.9%"
    assert general.credit_limit == 17_800_000
    # intensity add-on: min((20% − 10%) × 2, 10%) = 10% -> cap 35%
    assert general.cap_pct.percent == "35%"


def test_venture_adds_15_points_to_variable_cap():
    result = compute_rd_credit(large(12 * OKU, TEN_OKU, 200 * OKU, 4 * OKU, venture=True))
    assert result.general.cap_pct.percent == "45%"  # 25 + 5 (variable) + 15
    assert result.general.cap_amount == 180_000_000
    assert result.total_credit == 168_000_000


def test_venture_with_decrease_keeps_reduction_by_default():
    result = compute_rd_credit(large(6 * OKU, TEN_OKU, 200 * OKU, TEN_OKU, venture=True))
    assert result.general.cap_pct.percent == "35%"  # 25 − 5 + 15 (A07)
    assert "A07-venture-reduction-applies" in [note.id for note in result.notes]


def test_venture_stacks_on_intensity_add_on():
    result = compute_rd_credit(large(15 * OKU, 14 * OKU, 100 * OKU, 5 * OKU, venture=True))
    assert result.general.cap_pct.percent == "50%"  # 25 + 10 + 15


def test_intensity_above_10_blocks_reduction():
    # x = −40%, intensity 12%: larger of (0 variable, 4 intensity) -> 29%, no −5 reduction
    result = compute_rd_credit(large(12 * OKU, 20 * OKU, 100 * OKU, TEN_OKU))
    general = result.general
    assert general.increase_ratio.percent == "-40%"
    assert general.cap_pct.percent == "29%"
    # rate: floor 1% × (1 + 1%) = 1.01% -> 1.0%
    assert general.rate_before_truncation.percent == "1.01%"
    assert general.rate.percent == "1%"


def test_sme_intensity_add_on_when_increase_not_above_12():
    inp = parse_rdcredit_input(
        {
            "rd": 12 * OKU,
            "prior_rd": [12 * OKU] * 3,
            "sales": [100 * OKU] * 4,
            "tax": TEN_OKU,
            "company": "sme",
        }
    )
    sme = compute_rd_credit(inp).sme
    assert sme.rate_before_truncation.percent == "12.12%"  # 12% × (1 + (12% − 10%) × 0.5)
    assert sme.rate.percent == "12.1%"
    assert sme.cap_pct.percent == "29%"  # 25 + (12 − 10) × 2


def test_boundaries_strictly_greater():
    # increase exactly +4%: no variable add-on; intensity exactly 10%: no bonus, no add-on
    result = compute_rd_credit(large(1_040_000_000, TEN_OKU, 104 * 100_000_000, TEN_OKU))
    general = result.general
    assert general.intensity.percent == "10%"
    assert general.bonus_ratio is None
    assert general.cap_pct.percent == "25%"
    assert general.rate.percent == "9.5%"  # 11.5% − (12% − 4%) × 0.25
    assert general.credit_limit == 98_800_000


def test_prior_years_order_does_not_matter():
    first = compute_rd_credit(
        parse_rdcredit_input(
            {"rd": "12億", "prior_rd": ["9億", "10億", "11億"], "sales": ["200億"] * 4, "tax": "10億"}
        )
    )
    second = compute_rd_credit(
        parse_rdcredit_input(
            {"rd": "12億", "prior_rd": ["11億", "9億", "10億"], "sales": ["200億"] * 4, "tax": "10億"}
        )
    )
    assert first.total_credit == second.total_credit == 168_000_000


def test_suspended_large_company_gets_nothing():
    result = compute_rd_credit(large(12 * OKU, TEN_OKU, 200 * OKU, TEN_OKU, credit_suspended=True))
    assert result.total_credit == 0
    assert [w.code for w in result.warnings] == ["credit-suspended"]


def test_outside_regime_warns_but_computes():
    after = compute_rd_credit(large(12 * OKU, TEN_OKU, 200 * OKU, TEN_OKU, fiscal_year_start="2026-04-01"))
    assert after.total_credit == 168_000_000
    assert after.in_regime is False
    assert after.warnings[0].code == "regime-after-r8-reform"
    assert "令和8年度" in after.warnings[0].text_ja
    before = compute_rd_credit(large(12 * OKU, TEN_OKU, 200 * OKU, TEN_OKU, fiscal_year_start="2022-04-01"))
    assert before.warnings[0].code == "regime-before-r5-reform"
    inside = compute_rd_credit(large(12 * OKU, TEN_OKU, 200 * OKU, TEN_OKU, fiscal_year_start="2025-03-31"))
    assert inside.in_regime is True and inside.warnings == []


def test_every_step_names_its_slide():
    result = compute_rd_credit(large(1_050_000_000, TEN_OKU, 200 * OKU, TEN_OKU))
    keys = [step.key for step in result.general.steps]
    assert keys == [
        "comparative_rd",
        "average_sales",
        "intensity",
        "increase_ratio",
        "base_rate",
        "rate_before_truncation",
        "rate",
        "credit_limit",
        "cap_pct",
        "cap_amount",
        "credit",
    ]
    assert {step.slide for step in result.general.steps} == {"rd_tax"}  # a rule key the bundle resolves
    rate_step = next(step for step in result.general.steps if step.key == "rate")
    assert "9.75%" in rate_step.working and "9.7%" in rate_step.working


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rd": "-5億", "prior_rd": ["10億"], "sales": ["1億"], "tax": "1億"}, "rd"),
        ({"rd": "abc", "prior_rd": ["10億"], "sales": ["1億"], "tax": "1億"}, "rd"),
        ({"rd": "12億", "prior_rd": [], "sales": ["1億"], "tax": "1億"}, "prior_rd"),
        ({"rd": "12億", "prior_rd": ["1億"] * 4, "sales": ["1億"], "tax": "1億"}, "prior_rd"),
        ({"rd": "12億", "prior_rd": ["10億"], "sales": [0, 0, 0, 0], "tax": "1億"}, "sales"),
        ({"rd": "12億", "prior_rd": ["10億"], "sales": [], "tax": "1億"}, "sales"),
        ({"rd": "12億", "prior_rd": ["10億", "x"], "sales": ["1億"], "tax": "1億"}, "prior_rd"),
        (
            {"rd": "1億", "prior_rd": ["1億"], "sales": ["1億"], "tax": "1億", "oi": {"university": "2億"}},
            "oi",
        ),
        ({"rd": "1億", "prior_rd": ["1億"], "sales": ["1億"]}, "tax"),
        ({"rd": "1億", "prior_rd": ["1億"], "sales": ["1億"], "tax": "1億", "company": "huge"}, "company"),
        ({"rd": "1億", "prior_rd": ["1億"], "sales": ["1億"], "tax": "1億", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_the_field_in_both_languages(data, field):
    with pytest.raises(ToolInputError) as caught:
        parse_rdcredit_input(data, require_sales_and_tax=True)
    assert caught.value.field == field
    assert caught.value.message_ja and caught.value.message_en
    assert caught.value.message_ja != caught.value.message_en


def test_lenient_dates_and_missing_oi_parts():
    inp = parse_rdcredit_input(
        {
            "rd": "12億",
            "prior_rd": ["10億"],
            "sales": ["200億"],
            "tax": "10億",
            "oi": {"university": None, "startup": "1億"},
            "fiscal_year_start": "2026/04/01",
        }
    )
    result = compute_rd_credit(inp)
    assert inp.fiscal_year_start.isoformat() == "2026-04-01"
    assert result.oi.credit == 25_000_000  # 1億 × 25%
    assert result.general.credit == 154_000_000  # (12億 − 1億) × 14%
    assert result.total_credit == 179_000_000


def test_bad_date_message_is_bilingual_and_helpful():
    with pytest.raises(ToolInputError) as caught:
        parse_rdcredit_input({"rd": 1, "prior_rd": [1], "fiscal_year_start": "someday"})
    assert caught.value.field == "fiscal_year_start"
    assert "YYYY-MM-DD" in caught.value.message_ja and "YYYY-MM-DD" in caught.value.message_en
