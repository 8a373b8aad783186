"""The deck's international comparison (its international-comparison slide) as data.

The cells come from the document's extracted table (`comparison_cells(tables)`; the tool is given the
bundle's TableSet, it reads no files). Every rate and limit the comparison computes with is written as the
table prints it (`RATES`, `LIMITS`), and tests/tools/test_tax_compare.py checks that wording stands in the
country's cell of the extracted table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from tools.rd_credit_rules import pct

if TYPE_CHECKING:
    from tools.rankings import TableSet

COUNTRIES = ("japan", "us", "uk", "france", "germany", "korea")
ITEMS = ("控除率", "控除上限", "海外委託費", "繰越制度", "給付付き税額控除")

# The bundle's table that prints the comparison: one row per item, one column per country.
COMPARISON_TABLE = "rd_tax_international_comparison"
# country -> item -> the cell as printed
ComparisonCells = Mapping[str, Mapping[str, str]]


def comparison_cells(tables: TableSet | None) -> dict[str, dict[str, str]]:
    """The comparison table's cells by country and item; empty when the document has no such table."""
    table = tables.get(COMPARISON_TABLE) if tables is not None else None
    if table is None:
        return {}
    by_item = {row.cells.get("item", ""): row.cells for row in table.rows}
    return {country: {item: by_item.get(item, {}).get(country, "") for item in ITEMS} for country in COUNTRIES}


# (country, key) -> (the rate as the 控除率 cell prints it, after `normal`; its value). The test checks both.
RATES: dict[tuple[str, str], tuple[str, Fraction]] = {
    ("us", "regular"): ("×10%(最大)", pct("10")),
    ("us", "asc"): ("×14%", pct("14")),
    ("us", "asc_base_share"): ("×1/2", Fraction(1, 2)),
    ("uk", "rdec"): ("×20%", pct("20")),
    ("france", "cir"): ("×30%", pct("30")),
    ("france", "cir_above"): ("×5%", pct("5")),
    ("france", "cii"): ("×20%", pct("20")),
    ("germany", "large"): ("×25%", pct("25")),
    ("germany", "sme"): ("×35%", pct("35")),
    ("korea", "volume_large_max"): ("大企業0~2%", pct("2")),
    ("korea", "volume_mid"): ("中堅企業8%", pct("8")),
    ("korea", "volume_sme"): ("中小企業25%", pct("25")),
    ("korea", "increment_large"): ("大企業25%", pct("25")),
    ("korea", "increment_mid"): ("中堅企業40%", pct("40")),
    ("korea", "increment_sme"): ("中小企業50%", pct("50")),
}
# (country, key) -> (the item whose cell prints the limit, the wording after `normal`, its value in the
# country's currency).
LIMITS: dict[tuple[str, str], tuple[str, str, int]] = {
    ("uk", "cap_fixed"): ("控除上限", "2万ポンド", 20_000),
    ("uk", "cap_payroll_multiple"): ("控除上限", "+3×(", 3),
    ("france", "cir_threshold"): ("控除率", "1億ユーロ以下", 100_000_000),
    ("france", "cii_cap"): ("控除率", "上限40万ユーロ", 400_000),
    ("germany", "cap_large"): ("控除上限", "大企業:250万ユーロ", 2_500_000),
    ("germany", "cap_sme"): ("控除上限", "中小企業:350万ユーロ", 3_500_000),
}
_FOOTNOTE = re.compile(r"※\s*\d+")


def normal(text: str) -> str:
    """A cell as compared: NFKC (full-width digits, ％, ：), no spaces, no ※n footnote marks."""
    return re.sub(r"\s+", "", _FOOTNOTE.sub("", unicodedata.normalize("NFKC", text)))


def deck_cell(cells: ComparisonCells, country: str, item: str) -> str:
    """The table's cell for a country and item, as shown in a result (NFKC, footnote marks dropped); "-"
    when the table is not at hand."""
    printed = cells.get(country, {}).get(item, "")
    return _FOOTNOTE.sub("", unicodedata.normalize("NFKC", printed)).strip() or "-"


def rate(country: str, key: str) -> Fraction:
    """A rate the comparison computes with: ``rate("uk", "rdec") == Fraction(1, 5)``."""
    return RATES[(country, key)][1]


def limit(country: str, key: str) -> int:
    """A limit in the country's currency: ``limit("germany", "cap_large") == 2_500_000``."""
    return LIMITS[(country, key)][2]
