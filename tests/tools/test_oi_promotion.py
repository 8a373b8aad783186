"""OI promotion tax: 25% deduction, per-deal minimums/maximums, 500億円 annual cap (deck values)."""

import pytest

from tools.errors import ToolInputError
from tools.oi_promotion import compute_oi_promotion, parse_oi_promotion_input


def compute(deals, investor="large"):
    return compute_oi_promotion(parse_oi_promotion_input({"investor": investor, "deals": deals}))


def test_new_issue_25_percent_and_50oku_per_deal_max():
    result = compute([{"price": "10億"}, {"price": "60億"}])
    assert [deal.deduction for deal in result.deals] == [250_000_000, 1_250_000_000]  # 60億 counted as 50億
    assert result.total_deduction == 1_500_000_000
    assert result.tax_saving == 446_100_000  # 1,500,000,000 × 29.74%


def test_minimums_large_sme_foreign():
    assert compute([{"price": "5,000万"}]).deals[0].eligible is False  # large: 1億円/件
    assert compute([{"price": "1億"}]).deals[0].deduction == 25_000_000  # exactly the minimum qualifies
    assert compute([{"price": "5,000万"}], investor="sme").deals[0].deduction == 12_500_000  # SME: 1千万円/件
    assert (
        compute([{"price": "3億", "foreign_startup": True}]).deals[0].eligible is False
    )  # foreign: 5億円/件


def test_ma_rules():
    assert compute([{"price": "300億", "deal_type": "ma"}]).deals[0].deduction == 5_000_000_000  # 200億 × 25%
    assert compute([{"price": "4億", "deal_type": "ma"}]).deals[0].eligible is False  # M&A: 5億円/件
    assert compute([{"price": "10億", "deal_type": "ma", "foreign_startup": True}]).deals[0].eligible is False
    assert compute([{"price": "10億", "deal_type": "ma", "majority": False}]).deals[0].eligible is False


def test_annual_cap_500oku():
    result = compute([{"price": "200億", "deal_type": "ma"}] * 3)
    assert [deal.counted_price for deal in result.deals] == [20_000_000_000, 20_000_000_000, 10_000_000_000]
    assert result.total_deduction == 12_500_000_000  # 500億 × 25% = 125億


def test_after_deadline_warns():
    result = compute([{"price": "10億", "acquisition_date": "2026-04-01"}])
    assert result.warnings[0].code == "after-deadline"


@pytest.mark.parametrize(
    ("data", "field"), [({"deals": []}, "deals"), ({"deals": [{"price": "x"}]}, "deals.price")]
)
def test_bad_input(data, field):
    with pytest.raises(ToolInputError) as caught:
        parse_oi_promotion_input(data)
    assert caught.value.field == field
