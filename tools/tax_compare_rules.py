"""The deck's international comparison (its international-comparison slide) as data.

`DECK_TABLE` is the extracted table corpus/tables/rd_tax_international_comparison.csv cell for cell; tools/
reads no files, so the cells are kept here and tests/tools/test_tax_compare.py checks they equal the table's.
Every rate and limit the comparison computes with is written as the table prints it (`RATES`, `LIMITS`),
and the same test checks that wording stands in the country's cell.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from tools.rd_credit_rules import pct

COUNTRIES = ("japan", "us", "uk", "france", "germany", "korea")
ITEMS = ("控除率", "控除上限", "海外委託費", "繰越制度", "給付付き税額控除")

DECK_TABLE: dict[str, dict[str, str]] = {
    "japan": {
        "控除率": "一般型：研究開発費×１～14％（増減なしで8.5%） or "
        "中小型：研究開発費×12～17％＋ OI型：研究開発費× 20～30%",
        "控除上限": "原則25％(変動型：±5% or 上乗せ型：0～10％＋ベンチャー特例：15％）＋OI型：10％",
        "海外委託費": "○",
        "繰越制度": "×",
        "給付付き税額控除": "×",
    },
    "us": {
        "控除率": "標準税額控除法：研究開発費×10%（最大） or "
        "代替簡易税額控除法：（研究開発費－研究開発費の過去3年平均×1/2）×14%",
        "控除上限": "上限なしただし、他の政策減税と合算し最大で約75％",
        "海外委託費": "×",
        "繰越制度": "20年",
        "給付付き税額控除": "×",
    },
    "uk": {
        "控除率": "研究開発費×20%",
        "控除上限": "2万ポンド+ 3×(源泉徴収税額と社会保険料の合計支払額)",
        "海外委託費": "△（国内でできない研究開発である等の要件あり※１）",
        "繰越制度": "無期限※2",
        "給付付き税額控除": "○",
    },
    "france": {
        "控除率": "研究開発費×30%（研究開発費１億ユーロ以下）／"
        "研究開発費×5%（研究開発費１億ユーロ超過分）／"
        "＋中小企業イノベーション税額控除：イノベーション費用×20％（上限40万ユーロ）",
        "控除上限": "上限なし",
        "海外委託費": "△（EU圏内のみ）",
        "繰越制度": "３年※3",
        "給付付き税額控除": "○",
    },
    "germany": {
        "控除率": "研究開発費×25%中小企業の場合は研究開発費×35%",
        "控除上限": "大企業：250万ユーロ中小企業：350万ユーロ",
        "海外委託費": "△（EU圏内のみ）",
        "繰越制度": "×",
        "給付付き税額控除": "○",
    },
    "korea": {
        "控除率": "研究開発費×控除率（大企業０～２％、中堅企業８％、中小企業25％） or "
        "研究開発費の増加額×控除率（大企業 25％、中堅企業40％、中小企業50％）"
        "＋時限措置として重点分野（半導体等）は研究開発費×控除率"
        "（大企業20～ 40％、中堅企業20～40％、中小企業 30～50％）※4",
        "控除上限": "上限なしただし、他の政策減税と合算した最低限税率あり※5",
        "海外委託費": "○",
        "繰越制度": "10年",
        "給付付き税額控除": "×",
    },
}

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


def deck_cell(country: str, item: str) -> str:
    """The table's cell for a country and item, as shown in a result (NFKC, footnote marks dropped)."""
    return _FOOTNOTE.sub("", unicodedata.normalize("NFKC", DECK_TABLE[country][item])).strip()


def rate(country: str, key: str) -> Fraction:
    """A rate the comparison computes with: ``rate("uk", "rdec") == Fraction(1, 5)``."""
    return RATES[(country, key)][1]


def limit(country: str, key: str) -> int:
    """A limit in the country's currency: ``limit("germany", "cap_large") == 2_500_000``."""
    return LIMITS[(country, key)][2]
