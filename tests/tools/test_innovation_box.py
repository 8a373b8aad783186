"""Innovation box (イノベーション拠点税制): 30% deduction, 29.74% -> 20.818% (deck: 約20%)."""

import pytest

from tools.errors import ToolInputError
from tools.innovation_box import compute_innovation_box, parse_innovation_box_input


def test_deduction_and_saving_on_100m_of_licence_income():
    result = compute_innovation_box(
        parse_innovation_box_input({"qualifying_income": "1億", "taxable_income": "10億"})
    )
    assert result.deduction == 30_000_000  # 100,000,000 × 30%
    assert result.tax_saving == 8_922_000  # 30,000,000 × 29.74%
    assert result.effective_rate_on_income.percent == "20.818%"  # 29.74% × 70%
    assert result.steps[0].slide == "innovation_box"  # a rule key; the document bundle names the slide


def test_ratio_and_taxable_income_limit():
    result = compute_innovation_box(
        parse_innovation_box_input(
            {"qualifying_income": "2億", "self_creation_ratio": "75%", "taxable_income": "1億"}
        )
    )
    assert result.qualifying_amount == 150_000_000
    assert result.deduction_base == 100_000_000
    assert result.deduction == 30_000_000


def test_related_party_income_does_not_qualify():
    result = compute_innovation_box(
        parse_innovation_box_input({"qualifying_income": "1億", "related_party": True})
    )
    assert result.deduction == 0
    assert result.warnings[0].code == "related-party"


def test_outside_period_warns():
    result = compute_innovation_box(
        parse_innovation_box_input({"qualifying_income": "1億", "fiscal_year_start": "2024-04-01"})
    )
    assert result.deduction == 30_000_000
    assert result.warnings[0].code == "outside-period"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"qualifying_income": "-1億"}, "qualifying_income"),
        ({"qualifying_income": "1億", "self_creation_ratio": "150%"}, "self_creation_ratio"),
        ({"qualifying_income": "1億", "self_creation_ratio": "abc"}, "self_creation_ratio"),
        ({}, "qualifying_income"),
    ],
)
def test_bad_input(data, field):
    with pytest.raises(ToolInputError) as caught:
        parse_innovation_box_input(data)
    assert caught.value.field == field
