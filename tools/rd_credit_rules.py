"""The R&D tax-credit rulebook in one place: rates, caps, periods, slides, named assumptions, exact ratios.

Every number here comes from shared/specs/rdcredit.md (deck regime: FYs starting 2023-04-01..2026-03-31).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

from pydantic import BaseModel, Field


def pct(text: str) -> Fraction:
    """A percentage written as text, as an exact fraction (``pct("11.5") == Fraction(23, 200)``)."""
    return Fraction(Decimal(text)) / 100


# --- slides the figures rest on: rule keys. The document bundle names each key's slide (title and subtitle,
# bundle.yaml `rule_slides`); retrieval/rule_slides.py puts them in place of the key. Headings come with it.
SLIDE_RD_TAX = "rd_tax"
HEADING_RD_TAX: str | None = None
SLIDE_RD_INCENTIVES = "rd_incentives"
SLIDE_INTERNATIONAL = "international"
HEADING_INTERNATIONAL: str | None = None
SLIDE_INNOVATION_BOX = "innovation_box"
HEADING_INNOVATION_BOX: str | None = None
SLIDE_OI_PROMOTION = "oi_promotion"
HEADING_OI_PROMOTION: str | None = None
SLIDE_KOREA = "korea"
SPEC_SOURCE = "shared/specs/rdcredit.md"  # for rules the deck does not state (statute / secondary sources)

# --- regime ------------------------------------------------------------------------------------
REGIME_START = date(2023, 4, 1)
REGIME_END = date(2026, 3, 31)

# --- general type (一般型), spec 1.3 ---------------------------------------------------------------
GENERAL_KINK = pct(
    "12"
)  # 増減試験研究費割合 where the curve changes slope (strictly ">" for the upper branch)
GENERAL_AT_KINK = pct("11.5")
GENERAL_SLOPE_UP = Fraction(3, 8)  # 0.375
GENERAL_SLOPE_DOWN = Fraction(1, 4)  # 0.25
GENERAL_FLOOR = pct("1")
GENERAL_CEILING = pct("14")  # time-limited (本則 10%)
ZERO_BASE_RATE = pct("8.5")  # 設立事業年度 or 比較試験研究費 = 0
INTENSITY_THRESHOLD = pct("10")  # 試験研究費割合 strictly above this triggers bonus and cap add-on
BONUS_SLOPE = Fraction(1, 2)
BONUS_MAX = pct("10")
RATE_DECIMALS = 3  # 小数点以下3位未満切捨て of the fraction (0.0975 -> 0.097)

# --- general cap, spec 2 ---------------------------------------------------------------------------
CAP_BASE = pct("25")
CAP_VARIABLE_THRESHOLD = pct("4")
CAP_VARIABLE_SLOPE = Fraction(5, 8)  # 0.625
CAP_VARIABLE_MAX = pct("5")
CAP_INTENSITY_SLOPE = Fraction(2)
CAP_INTENSITY_MAX = pct("10")
CAP_VENTURE_ADD = pct("15")

# --- SME type (中小企業技術基盤強化税制), spec 3 -----------------------------------------------------
SME_BASE_RATE = pct("12")
SME_KINK = pct("12")
SME_SLOPE_UP = Fraction(3, 8)
SME_CEILING = pct("17")
SME_CAP_BASE = pct("25")
SME_CAP_INCREASE_ADD = pct("10")

# --- open-innovation type (OI型), spec 4 -----------------------------------------------------------
OI_RATE_UNIVERSITY = pct("30")
OI_RATE_STARTUP = pct("25")
OI_RATE_OTHER = pct("20")
OI_CAP = pct("10")

# --- combining, spec 5 -----------------------------------------------------------------------------
NINETY_PERCENT = pct("90")


def truncate_rate(rate: Fraction) -> Fraction:
    """Keep 3 decimals of the fraction, dropping the rest (0.0975 -> 0.097; never rounds up).

    Args:
        rate: a non-negative rate as a fraction.

    Returns:
        The truncated rate.
    """
    scale = 10**RATE_DECIMALS
    return Fraction((rate.numerator * scale) // rate.denominator, scale)


def floor_yen(amount: Fraction) -> int:
    """Whole yen, rounded down (the conservative choice; the sources do not say) [M]."""
    return amount.numerator // amount.denominator


@dataclass(frozen=True)
class Assumption:
    """A rule the spec marks [C1] or [M]: implemented with the stated default, listed in result notes."""

    id: str
    confidence: str
    text_ja: str
    text_en: str


def _assumption(id_: str, confidence: str, ja: str, en: str) -> Assumption:
    return Assumption(id_, confidence, ja, en)


ASSUMPTIONS: dict[str, Assumption] = {
    a.id: a
    for a in (
        _assumption(
            "A01-yen-floor",
            "M",
            "税額控除限度額・控除上限額は1円未満切捨て。",
            "Credit limit and cap amounts are floored to whole yen.",
        ),
        _assumption(
            "A02-prior-years-average-existing",
            "M",
            "前3事業年度がそろわない場合、存在する年度数で平均。",
            "With fewer than 3 prior years, the average is over the years given.",
        ),
        _assumption(
            "A03-twelve-month-years",
            "M",
            "各事業年度は12か月とみなし、月数按分はしない。",
            "All fiscal years are taken as 12 months (no month-count scaling).",
        ),
        _assumption(
            "A04-founding-year-sales-average",
            "M",
            "設立事業年度の平均売上金額は存在する年度（通常は当期のみ）の平均。",
            "In the founding year, average sales are over the years that exist (usually this year only).",
        ),
        _assumption(
            "A05-zero-base-no-variable-cap",
            "M",
            "設立事業年度・比較試験研究費0の場合、控除率8.5%、変動型の控除上限調整なし。",
            "Founding year / zero comparative R&D: rate 8.5%, no variable cap adjustment.",
        ),
        _assumption(
            "A06-oi-method-a",
            "M",
            "OI型で控除した特別試験研究費は一般型・中小型の控除額計算の対象から除くが、増減試験研究費割合・"
            "試験研究費割合は総額の試験研究費で計算（方式A）。",
            "OI-claimed costs are removed from the amount the general/SME rate multiplies, but the ratios "
            "use total R&D (method A).",
        ),
        _assumption(
            "A07-venture-reduction-applies",
            "M",
            "ベンチャー特例（+15%）にも変動型の減算（最大−5%）を適用（仕様の式どおり、未確認）。",
            "The variable cap reduction (down to −5 points) al"
            "so applies to a venture's 40% cap (spec formula; "
            "unconfirmed).",
        ),
        _assumption(
            "A08-venture-stacks",
            "D",
            "ベンチャー特例15%は変動型・上乗せ型（大きい方）に加算（資料のベンチャー特例の記載による）。",
            "The venture +15 points stack on the variabl"
            "e / intensity add-on (as the deck states the venture rule).",
        ),
        _assumption(
            "A09-sme-founding-year-12",
            "M",
            "中小企業技術基盤強化税制の設立事業年度・比較試験研究費0は控除率12%（増加割合の特例なし）。",
            "SME type, founding year / zero comparative R&D: rate 12% (no increase special).",
        ),
        _assumption(
            "A10-ninety-percent-order",
            "M",
            "90%ルールの超過額は繰越可能なその他の税額控除から先に充て、研究開発税制分は最後（繰越不可のため切捨て）。",
            "The 90% rule excess is taken first from the other (carry-forward) credits, R&D credits last "
            "(lost, no carry-forward).",
        ),
        _assumption(
            "A11-suspension-covers-oi",
            "C1",
            "大企業の適用停止措置（措法42条の13⑤）は一般型とOI型の両方を停止。",
            "The large-company suspension (措法42条の13⑤) switches off both the general and the OI type.",
        ),
        _assumption(
            "A12-sme-truncation",
            "C1",
            "中小企業技術基盤強化税制の控除率も小数点以下3位未満切捨て、上限17%。",
            "SME-type rate is also truncated to 3 decimals of the fraction, ceiling 17%.",
        ),
        _assumption(
            "A13-sme-qualifies",
            "M",
            "中小企業者等の要件（資本金1億円以下等、適用除外事業者でない）は入力どおり満たすものとする。",
            "The company is taken to meet the SME conditions (capital ≤ ¥100m etc., not 適用除外事業者) as "
            "declared.",
        ),
        _assumption(
            "A14-sales-not-given",
            "M",
            "売上金額の入力がないため試験研究費割合は10%以下とみなす（割増・上乗せなし）。",
            "Sales not given: R&D intensity taken as 10% or less (no bonus, no intensity cap add-on).",
        ),
        _assumption(
            "A15-tax-not-given",
            "M",
            "調整前法人税額の入力がないため控除上限を考慮しない。",
            "Corporate tax not given: the credit cap is not applied.",
        ),
        _assumption(
            "A16-basic-cap-only",
            "M",
            "指示により控除上限は原則25%のみ（変動型・上乗せ型・ベンチャー特例は考慮しない）。",
            "As asked, only the basic 25% cap is used (no variable / intensity / venture adjustment).",
        ),
        _assumption(
            "A17-fiscal-year-not-given",
            "M",
            "事業年度開始日の入力がないため、資料の制度（2023-04-01〜2026-03-31開始の事業年度）を適用。",
            "Fiscal year start not given: the deck's regime (F"
            "Ys starting 2023-04-01 to 2026-03-31) is applied.",
        ),
    )
}


class Ratio(BaseModel):
    """An exact ratio: the fraction, its decimal expansion and a display percentage.

    Example: 9.75% -> ``fraction="39/400"``, ``decimal="0.0975"``, ``percent="9.75%"``.
    """

    fraction: str = Field(description="exact value as 'numerator/denominator' (ratio, not percent)")
    decimal: str = Field(description="decimal ratio; exact if it terminates, else rounded to 12 places")
    percent: str = Field(description="display percentage, at most 6 decimals, e.g. '7.142857%'")

    @classmethod
    def of(cls, value: Fraction) -> Ratio:
        """Build from an exact fraction."""
        return cls(
            fraction=f"{value.numerator}/{value.denominator}",
            decimal=_decimal_text(value, 12),
            percent=format_percent(value),
        )

    @property
    def value(self) -> Fraction:
        """The exact fraction."""
        return Fraction(self.fraction)


def _terminates(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _decimal_text(value: Fraction, places: int) -> str:
    with localcontext() as context:
        context.prec = 80  # wide enough that terminating values are exact
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        if _terminates(value):
            text = format(quotient, "f")
        else:
            text = format(quotient.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(value: Fraction, places: int = 6) -> str:
    """A ratio as a display percentage: ``Fraction(39, 400) -> '9.75%'``, ``1/14 -> '7.142857%'``."""
    return _decimal_text(value * 100, places) + "%"


def format_yen(amount: int | Fraction) -> str:
    """``1200000000 -> '1,200,000,000円'``; a fractional average keeps up to 2 decimals."""
    if isinstance(amount, Fraction) and amount.denominator != 1:
        whole = amount.numerator // amount.denominator
        return f"{whole:,}" + _decimal_text(amount - whole, 2).removeprefix("0") + "円"
    return f"{int(amount):,}円"


def exact_decimal(value: Fraction, places: int = 6) -> str:
    """An exact amount as a plain decimal string (rounded to ``places`` only if it does not terminate)."""
    return _decimal_text(value, places)
