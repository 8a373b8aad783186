"""Invariants of the R&D credit (hypothesis): rate bounds, monotonicity, caps, truncation."""

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tools.rd_credit import (
    RdCreditInput,
    compute_rd_credit,
    general_rate_before_truncation,
    general_rate_curve,
    sme_rate_before_truncation,
    sme_rate_curve,
)
from tools.rd_credit_rules import truncate_rate

ratios = st.fractions(min_value=Fraction(-1), max_value=Fraction(3), max_denominator=10**6)
intensities = st.none() | st.fractions(min_value=Fraction(0), max_value=Fraction(2), max_denominator=10**6)
yen = st.integers(min_value=0, max_value=10**13)
positive_yen = st.integers(min_value=1, max_value=10**13)


@given(ratios, intensities)
def test_general_rate_stays_in_1_to_14_percent(x, s):
    assert Fraction(1, 100) <= general_rate_curve(x, s) <= Fraction(14, 100)


@given(ratios, intensities)
def test_sme_rate_stays_in_12_to_17_percent(x, s):
    assert Fraction(12, 100) <= sme_rate_curve(x, s) <= Fraction(17, 100)


@given(ratios, ratios, intensities)
def test_rate_never_decreases_as_increase_grows(a, b, s):
    low, high = min(a, b), max(a, b)
    assert general_rate_curve(low, s) <= general_rate_curve(high, s)
    assert sme_rate_curve(low, s) <= sme_rate_curve(high, s)


@given(ratios, intensities)
def test_truncation_never_raises_the_rate(x, s):
    for before in (general_rate_before_truncation(x, s), sme_rate_before_truncation(x, s)):
        truncated = truncate_rate(before)
        assert truncated <= before
        assert before - truncated < Fraction(1, 1000)
        assert (truncated * 1000).denominator == 1


@settings(max_examples=300)
@given(
    rd=yen,
    prior=st.lists(yen, min_size=1, max_size=3),
    sales=st.lists(yen, min_size=1, max_size=4).filter(lambda values: sum(values) > 0),
    tax=yen,
    company=st.sampled_from(["large", "sme"]),
    venture=st.booleans(),
)
def test_credit_never_exceeds_cap_or_rate_times_rd(rd, prior, sales, tax, company, venture):
    result = compute_rd_credit(
        RdCreditInput(rd=rd, prior_rd=prior, sales=sales, tax=tax, company=company, venture=venture)
    )
    applied = result.applied
    assert 0 <= applied.credit <= applied.credit_limit
    assert applied.credit <= applied.cap_amount
    assert applied.credit_limit <= rd * applied.rate.value
    assert applied.cap_amount <= tax * applied.cap_pct.value
    assert result.total_credit == applied.credit
    low_cap = Fraction(20, 100) if company == "large" else Fraction(25, 100)
    high_cap = Fraction(50, 100) if company == "large" else Fraction(35, 100)
    assert low_cap <= applied.cap_pct.value <= high_cap


@settings(max_examples=200)
@given(
    rd=positive_yen,
    prior=st.lists(yen, min_size=1, max_size=3),
    university=st.integers(min_value=0, max_value=10**9),
    startup=st.integers(min_value=0, max_value=10**9),
    other=st.integers(min_value=0, max_value=10**9),
    tax=yen,
)
def test_oi_amounts_are_not_double_counted(rd, prior, university, startup, other, tax):
    total_oi = university + startup + other
    assume(0 < total_oi <= rd)
    result = compute_rd_credit(
        RdCreditInput(
            rd=rd,
            prior_rd=prior,
            sales=[rd * 10],
            tax=tax,
            oi={"university": university, "startup": startup, "other": other},
        )
    )
    assert result.general.credit_base_rd == rd - total_oi
    assert result.oi.credit <= tax // 10
    assert result.total_credit == result.general.credit + result.oi.credit
