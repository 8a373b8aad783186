"""International comparison (研究開発税制国際比較) for R&D = 100,000,000 units, prior average 90,000,000."""

import re
from fractions import Fraction

import pytest

from tools.amounts import parse_amount
from tools.errors import ToolInputError
from tools.tax_compare import compare_countries, parse_tax_compare_input
from corpus.bundle import default_bundle
from tools.tax_compare_rules import COUNTRIES, ITEMS, LIMITS, RATES, comparison_cells, normal

TABLES = default_bundle().tables  # the extracted tables, as the bot loads them
CELLS = comparison_cells(TABLES)


def by_country(result):
    return {country.country: country for country in result.countries}


def test_spec_section_8_illustration_scaled():
    result = compare_countries(TABLES, parse_tax_compare_input({"rd": 100_000_000, "prior_rd": [90_000_000] * 3}))
    countries = by_country(result)
    # Japan: x = +11.11% -> 11.2778% -> 11.2%
    assert countries["japan"].credit_jpy == 11_200_000
    us = countries["us"]
    assert [m.credit_local for m in us.methods] == ["10000000", "7700000"]  # 10%; (100m − 45m) × 14%
    assert countries["uk"].credit_local == "20000000"
    assert countries["france"].credit_local == "30000000"
    assert countries["germany"].credit_local == "2500000"  # 25m capped at €2.5m
    korea = countries["korea"]
    assert [m.credit_local for m in korea.methods] == ["2000000", "2500000"]  # 2% max; 10m increase × 25%
    assert korea.credit_local == "2500000"
    assert {fig.slide for fig in result.steps} == {"international"}  # a rule key the bundle resolves


def test_france_5_percent_above_100m_and_germany_sme():
    result = compare_countries(TABLES, parse_tax_compare_input({"rd": 200_000_000, "size": "sme"}))
    countries = by_country(result)
    assert countries["france"].credit_local == "35000000"  # 100m × 30% + 100m × 5%
    assert countries["germany"].credit_local == "3500000"  # SME: 35%, capped at €3.5m
    assert countries["korea"].credit_local == "50000000"  # SME 25%


def test_fx_conversion_back_to_yen():
    result = compare_countries(
        TABLES,
        parse_tax_compare_input(
            {
                "rd": "15億",
                "fx_rates": {"USD": "150", "EUR": "160", "GBP": "190", "KRW": "0.11"},
                "fx_date": "2025-04-01",
            }
        )
    )
    countries = by_country(result)
    assert countries["us"].rd_local == "10000000"  # 1,500,000,000 / 150
    assert countries["us"].credit_jpy == 150_000_000  # $1,000,000 × 150
    assert countries["germany"].credit_local == "2343750"  # 9,375,000 € × 25%
    assert countries["germany"].credit_jpy == 375_000_000


def test_uk_cap_with_payroll():
    result = compare_countries(TABLES, parse_tax_compare_input({"rd": 1_000_000, "uk_payroll_taxes": 10_000}))
    assert by_country(result)["uk"].credit_local == "50000"  # min(200,000, 20,000 + 3 × 10,000)


def test_bad_fx_rate():
    with pytest.raises(ToolInputError) as caught:
        parse_tax_compare_input({"rd": 1, "fx_rates": {"USD": "-1"}})
    assert caught.value.field == "fx_rates"


def test_the_cells_are_read_from_the_extracted_table():
    table = TABLES.get("rd_tax_international_comparison")
    extracted = {row.cells["item"]: row.cells for row in table.rows}
    assert set(extracted) == set(ITEMS)
    for country in COUNTRIES:
        for item in ITEMS:
            assert CELLS[country][item] == extracted[item][country] != "", (country, item)


def test_without_the_table_the_cells_show_a_dash_and_the_credit_still_computes():
    result = compare_countries(None, parse_tax_compare_input({"rd": 100_000_000}))
    uk = by_country(result)["uk"]
    assert uk.credit_local == "20000000" and uk.cap_text == "-"


def test_every_rate_and_limit_is_worded_as_its_cell_prints_it():
    for (country, key), (wording, value) in RATES.items():
        assert wording in normal(CELLS[country]["控除率"]), (country, key)
        number = re.search(r"(\d+(?:/\d+)?)(%?)(?:\(最大\))?$", wording)  # the last figure: "0~2%" -> 2%
        assert number is not None
        assert value == Fraction(number[1]) / (100 if number[2] else 1), (country, key)
    for (country, key), (item, wording, value) in LIMITS.items():
        assert wording in normal(CELLS[country][item]), (country, key)
        if "万" in wording or "億" in wording:
            amount = wording.split(":")[-1].removeprefix("上限").removesuffix("以下")
            assert parse_amount(amount.replace("ポンド", "").replace("ユーロ", ""), field=key) == value


def test_results_show_the_tables_wording():
    countries = by_country(compare_countries(TABLES, parse_tax_compare_input({"rd": 100_000_000})))
    assert countries["uk"].carry_forward == "無期限"  # the footnote mark ※2 dropped
    assert countries["us"].cap_text == "上限なしただし、他の政策減税と合算し最大で約75%"
    assert countries["france"].refundable == "○"
    assert countries["germany"].overseas_contract_rd == "△(EU圏内のみ)"


def test_fx_codes_in_any_case():
    inp = parse_tax_compare_input({"rd": 1, "fx_rates": {"usd": "150"}})
    assert inp.fx_rates == {"USD": "150"}
