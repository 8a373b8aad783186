"""Japanese R&D tax credit (研究開発税制, deck regime): general / SME / OI types, caps, 90% rule, working.

Exact arithmetic (fractions.Fraction); rules and named assumptions live in tools/rd_credit_rules.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from tools import rd_credit_rules as rules
from tools.amounts import find_amount_spans, parse_amount
from tools.errors import ToolInputError, tool_error_from_validation
from tools.rd_credit_rules import ASSUMPTIONS, Ratio, exact_decimal, format_percent, format_yen, truncate_rate


def _to_yen(value: Any) -> int:
    return parse_amount(value, field="input")


Yen = Annotated[int, BeforeValidator(_to_yen)]
"""An amount in whole yen; accepts ints and strings such as ``"12億"`` or ``"1,200,000,000"``."""

OptionalZeroYen = Annotated[int, BeforeValidator(lambda value: 0 if value in (None, "") else _to_yen(value))]
"""Like Yen, but a missing value (None / "") counts as 0."""


def _to_date(value: Any) -> Any:
    """Accept 2025/04/01 and 2025.04.01 as well as ISO dates."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        parts = re.split(r"[/.\-年月日]", text)
        parts = [part for part in parts if part]
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return value


FiscalDate = Annotated[date, BeforeValidator(_to_date)]


# ------------------------------------------------------------------------------------------------
# input
# ------------------------------------------------------------------------------------------------
class OiAmounts(BaseModel):
    """特別試験研究費 claimed under the open-innovation type, by partner category (円)."""

    model_config = ConfigDict(extra="forbid")

    university: OptionalZeroYen = Field(0, description="特別研究機関・大学等との共同・委託試験研究 (30%), 円")
    startup: OptionalZeroYen = Field(0, description="スタートアップ等との共同・委託試験研究 (25%), 円")
    other: OptionalZeroYen = Field(
        0,
        description="その他の民間企業等との共同・委託, 中小企業者の知財, 技術研究組合, 高度研究人材, "
        "希少疾病用医薬品等 (20%), 円",
    )

    @property
    def total(self) -> int:
        """All OI-claimed costs (円)."""
        return self.university + self.startup + self.other


class RdCreditInput(BaseModel):
    """One company-year for the R&D credit. Amounts accept ints or strings like ``"12億"``."""

    model_config = ConfigDict(extra="forbid")

    rd: Yen = Field(description="試験研究費の額 this year (total, incl. any OI-claimed part), 円")
    prior_rd: list[Yen] = Field(
        default_factory=list, description="試験研究費 of the prior fiscal years (1-3 values, any order), 円"
    )
    sales: list[Yen] | None = Field(
        None, description="売上金額, current year first then up to 3 prior years, 円; None = intensity ≤ 10%"
    )
    tax: Yen | None = Field(None, description="調整前法人税額, 円; None = do not apply the cap")
    company: Literal["large", "sme"] = Field(
        "large", description="'large' = general type; 'sme' = 中小企業者等 using 中小企業技術基盤強化税制"
    )
    founding_year: bool = Field(False, description="this is the 設立事業年度 (no prior years)")
    venture: bool = Field(
        False, description="venture special (設立10年以内, 繰越欠損金, not a large group's sub)"
    )
    oi: OiAmounts | None = Field(None, description="costs claimed under the open-innovation type")
    fiscal_year_start: FiscalDate | None = Field(None, description="start date of the fiscal year")
    credit_suspended: bool = Field(
        False, description="large company meets the 適用停止措置 test (措法42条の13⑤)"
    )
    other_credits: Yen = Field(0, description="other special tax credits this year (for the 90% rule), 円")
    basic_cap_only: bool = Field(False, description="use only the basic 25% cap (as some questions ask)")

    @model_validator(mode="after")
    def _check_consistency(self) -> RdCreditInput:
        if not self.founding_year and not self.prior_rd:
            raise ToolInputError(
                "prior_rd",
                "前3事業年度の試験研究費（prior_rd）を1〜3年分入力して"
                "ください。設立事業年度なら founding_year を指定。",
                "Give the prior fiscal years' R&D (prior_rd, 1 to 3 values), or set founding_year for the "
                "founding year.",
            )
        if len(self.prior_rd) > 3:
            raise ToolInputError(
                "prior_rd",
                f"前事業年度の試験研究費は3年分までです（{len(self.prior_rd)}件あります）。",
                f"prior_rd takes at most 3 prior years ({len(self.prior_rd)} given).",
            )
        if self.sales is not None:
            if not 1 <= len(self.sales) <= 4:
                raise ToolInputError(
                    "sales",
                    f"売上金額は当期を先頭に1〜4年分です（{len(self.sales)}件あります）。",
                    f"sales takes 1 to 4 values, current year first ({len(self.sales)} given).",
                )
            if sum(self.sales) == 0:
                raise ToolInputError(
                    "sales",
                    "売上金額の平均が0円のため試験研究費割合を計算できません。",
                    "Average sales are 0, so the R&D intensity cannot be computed.",
                )
        if self.oi is not None and self.oi.total > self.rd:
            raise ToolInputError(
                "oi",
                f"OI型の特別試験研究費（{self.oi.total:,}円）が試験研究費の額（{self.rd:,}円）を超えています。",
                f"OI-claimed costs ({self.oi.total:,} yen) exceed total R&D ({self.rd:,} yen).",
            )
        return self


PASSTHROUGH_FIELDS = ("id", "name", "company_name", "label")
"""Batch keys that identify a line; they are ignored by the calculator and echoed back by the CLI."""


def parse_rdcredit_input(
    data: Mapping[str, Any], *, require_sales_and_tax: bool = False, ignore_unknown: bool = False
) -> RdCreditInput:
    """Validate raw input (e.g. a JSON line) into RdCreditInput, raising a friendly ToolInputError.

    Args:
        data: the raw mapping.
        require_sales_and_tax: True for the CLI/batch, where ``sales`` and ``tax`` must be given.
        ignore_unknown: drop keys that are not input fields instead of rejecting them (batch lines may carry
            their own ids); identifying keys in PASSTHROUGH_FIELDS are always dropped.

    Returns:
        The validated input.

    Raises:
        ToolInputError: naming the bad field, in Japanese and English.
    """
    if not isinstance(data, Mapping):
        raise ToolInputError(
            "input", "入力はJSONオブジェクトにしてください。", "The input must be a JSON object."
        )
    if require_sales_and_tax:
        for name, ja in (("sales", "売上金額"), ("tax", "調整前法人税額")):
            if data.get(name) is None:
                raise ToolInputError(name, f"{ja}（{name}）を入力してください。", f"'{name}' is required.")
    known = set(RdCreditInput.model_fields)
    cleaned = {
        key: value
        for key, value in data.items()
        if key not in PASSTHROUGH_FIELDS and (key in known or not ignore_unknown)
    }
    try:
        return RdCreditInput.model_validate(cleaned)
    except ValidationError as error:
        raise tool_error_from_validation(error) from None


# ------------------------------------------------------------------------------------------------
# result
# ------------------------------------------------------------------------------------------------
class Figure(BaseModel):
    """One line of the working: a figure, how it was obtained, and the slide it rests on."""

    key: str = Field(description="stable id, e.g. 'comparative_rd', 'rate', 'cap_pct'")
    label_ja: str
    label_en: str
    value: str = Field(description="display value, e.g. '1,000,000,000円' or '9.7%'")
    yen: int | None = Field(None, description="the value in whole yen, for amounts")
    exact_yen: str | None = Field(
        None, description="exact amount as a decimal string (averages may have 円 decimals)"
    )
    ratio: Ratio | None = Field(None, description="the value as an exact ratio, for rates and ratios")
    working: str = Field(
        "", description="the arithmetic with numbers, e.g. '11.5% − (12% − 5%) × 0.25 = 9.75%'"
    )
    slide: str = Field(description="deck slide title the rule rests on")
    heading: str | None = Field(None, description="slide subtitle, e.g. 研究開発税制の概要")
    basis: str = Field(
        "D", description="D = stated in the deck; C2/C1/M = spec confidence for statute detail"
    )


class Note(BaseModel):
    """A named assumption ([C1]/[M] in the spec) that this result relied on."""

    id: str
    confidence: str
    text_ja: str
    text_en: str


class ResultWarning(BaseModel):
    """Something the user must know about this result (regime, ignored flags)."""

    code: str
    text_ja: str
    text_en: str


class TypeBreakdown(BaseModel):
    """General type (一般型) or SME type (中小企業技術基盤強化税制) credit with every intermediate figure."""

    kind: Literal["general", "sme"]
    rd_total: int = Field(description="試験研究費の額 (total), 円")
    oi_claimed: int = Field(description="part claimed under the OI type, removed from the credit base, 円")
    credit_base_rd: int = Field(description="試験研究費 the rate is multiplied by (total − OI part), 円")
    zero_base: bool = Field(
        description="設立事業年度 or 比較試験研究費 = 0 (fixed base rate, no increase ratio)"
    )
    comparative_rd: str | None = Field(
        None, description="比較試験研究費 (average of prior years), exact 円 decimal"
    )
    average_sales: str | None = Field(
        None, description="平均売上金額, exact 円 decimal; None if sales not given"
    )
    increase_ratio: Ratio | None = Field(None, description="増減試験研究費割合 (signed ratio)")
    intensity: Ratio | None = Field(None, description="試験研究費割合 = 試験研究費 / 平均売上金額")
    base_rate: Ratio = Field(description="rate from the curve (after the floor), before the 控除割増率")
    bonus_ratio: Ratio | None = Field(None, description="控除割増率 (only when intensity > 10%)")
    rate_before_truncation: Ratio = Field(description="base × (1 + 控除割増率)")
    rate_truncated: Ratio = Field(description="after 小数点以下3位未満切捨て, before the ceiling")
    rate: Ratio = Field(description="控除率 applied (after the 14% / 17% ceiling)")
    credit_limit: int = Field(description="税額控除限度額 = credit base × rate, floored, 円")
    cap_pct: Ratio | None = Field(None, description="控除上限割合 of 調整前法人税額; None if tax not given")
    cap_reason_ja: str
    cap_reason_en: str
    cap_amount: int | None = Field(None, description="控除上限額 = 調整前法人税額 × cap, floored, 円")
    cap_binds: bool
    suspended: bool = Field(False, description="credit switched off by the 適用停止措置")
    credit: int = Field(description="税額控除額 of this type = min(limit, cap), 円")
    steps: list[Figure]


class OiBreakdown(BaseModel):
    """Open-innovation type (特別試験研究費の額に係る税額控除), separate 10% cap."""

    university: int
    startup: int
    other: int
    credit_limit: int = Field(description="特別研究税額控除限度額 = Σ amount × rate, floored, 円")
    cap_pct: Ratio = Field(description="10% of 調整前法人税額 (別枠)")
    cap_amount: int | None = Field(None, description="OI cap in 円; None if tax not given")
    cap_binds: bool
    suspended: bool = False
    credit: int = Field(description="OI credit, 円")
    steps: list[Figure]


class NinetyPercentRule(BaseModel):
    """措法42条の13①: with two or more credits, the total may not exceed 90% of 調整前法人税額."""

    credits_count: int
    total_before: int = Field(description="R&D credits + other credits before the rule, 円")
    limit: int | None = Field(None, description="floor(90% × 調整前法人税額), 円")
    binds: bool
    disallowed: int = Field(0, description="調整前法人税額超過額, 円")
    from_other_credits: int = Field(0, description="part taken from other (carry-forward) credits, 円")
    lost_rd_credit: int = Field(0, description="part taken from R&D credits (lost: no carry-forward), 円")
    steps: list[Figure] = Field(default_factory=list)


class RdCreditResult(BaseModel):
    """The R&D credit for one company-year, with the full working, notes and warnings."""

    input: RdCreditInput
    total_credit: int = Field(
        description="total R&D tax credit (general or SME + OI, after the 90% rule), 円"
    )
    general: TypeBreakdown | None = Field(None, description="general type, when applied")
    sme: TypeBreakdown | None = Field(None, description="SME type, when applied")
    oi: OiBreakdown | None = None
    ninety_percent_rule: NinetyPercentRule | None = None
    alternative_general_credit: int | None = Field(
        None, description="for an SME: what the general type would have given (info only), 円"
    )
    in_regime: bool = Field(description="fiscal year start inside 2023-04-01..2026-03-31 (or not given)")
    notes: list[Note] = Field(description="named assumptions this result relied on")
    warnings: list[ResultWarning]

    @property
    def applied(self) -> TypeBreakdown:
        """The general or SME breakdown that was applied."""
        breakdown = self.sme if self.sme is not None else self.general
        assert breakdown is not None
        return breakdown


# ------------------------------------------------------------------------------------------------
# curves (pure helpers, also used by the chart helper)
# ------------------------------------------------------------------------------------------------
def to_fraction(value: Fraction | int | str | float) -> Fraction:
    """An exact fraction from an int, Fraction, decimal string ("0.05", "5%") or float (via its repr)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    text = str(value).strip()
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


def bonus_ratio(intensity: Fraction | None) -> Fraction | None:
    """控除割増率 = min((試験研究費割合 − 10%) × 0.5, 10%) when intensity > 10%, else None."""
    if intensity is None or intensity <= rules.INTENSITY_THRESHOLD:
        return None
    return min((intensity - rules.INTENSITY_THRESHOLD) * rules.BONUS_SLOPE, rules.BONUS_MAX)


def general_base_rate(increase_ratio: Fraction | None) -> Fraction:
    """General-type curve before the 控除割増率: 8.5% with no ratio; floor 1%; kink at +12% (strict '>')."""
    if increase_ratio is None:
        return rules.ZERO_BASE_RATE
    if increase_ratio > rules.GENERAL_KINK:
        return rules.GENERAL_AT_KINK + (increase_ratio - rules.GENERAL_KINK) * rules.GENERAL_SLOPE_UP
    return max(
        rules.GENERAL_AT_KINK - (rules.GENERAL_KINK - increase_ratio) * rules.GENERAL_SLOPE_DOWN,
        rules.GENERAL_FLOOR,
    )


def sme_base_rate(increase_ratio: Fraction | None) -> Fraction:
    """SME-type curve before the 控除割増率: 12%, rising by 0.375 per point above +12% (strict '>')."""
    if increase_ratio is not None and increase_ratio > rules.SME_KINK:
        return rules.SME_BASE_RATE + (increase_ratio - rules.SME_KINK) * rules.SME_SLOPE_UP
    return rules.SME_BASE_RATE


def _with_bonus(base: Fraction, intensity: Fraction | None) -> Fraction:
    bonus = bonus_ratio(intensity)
    return base if bonus is None else base + base * bonus


def general_rate_before_truncation(increase_ratio: Any, intensity: Any = None) -> Fraction:
    """General-type rate before truncation and ceiling (base × (1 + 控除割増率)).

    Args:
        increase_ratio: 増減試験研究費割合 as a ratio (0.05 = +5%), or None for the founding year / zero base.
        intensity: 試験研究費割合 as a ratio, or None (taken as ≤ 10%).

    Returns:
        The exact rate as a fraction.
    """
    x = None if increase_ratio is None else to_fraction(increase_ratio)
    s = None if intensity is None else to_fraction(intensity)
    return _with_bonus(general_base_rate(x), s)


def general_rate_curve(increase_ratio: Any, intensity: Any = None) -> Fraction:
    """General-type 控除率 actually applied: truncated to 3 decimals, then at most 14%."""
    return min(
        truncate_rate(general_rate_before_truncation(increase_ratio, intensity)), rules.GENERAL_CEILING
    )


def sme_rate_before_truncation(increase_ratio: Any, intensity: Any = None) -> Fraction:
    """SME-type rate before truncation and the 17% ceiling (arguments as for the general curve)."""
    x = None if increase_ratio is None else to_fraction(increase_ratio)
    s = None if intensity is None else to_fraction(intensity)
    return _with_bonus(sme_base_rate(x), s)


def sme_rate_curve(increase_ratio: Any, intensity: Any = None) -> Fraction:
    """SME-type 控除率 actually applied: truncated to 3 decimals, then at most 17%."""
    return min(truncate_rate(sme_rate_before_truncation(increase_ratio, intensity)), rules.SME_CEILING)


def general_cap_pct(
    increase_ratio: Fraction | None, intensity: Fraction | None, *, venture: bool = False
) -> tuple[Fraction, str, str]:
    """General-type 控除上限割合 with the reason (ja, en). See spec section 2."""
    x, s = increase_ratio, intensity
    var_add = var_sub = Fraction(0)
    if x is not None and x > rules.CAP_VARIABLE_THRESHOLD:
        var_add = min((x - rules.CAP_VARIABLE_THRESHOLD) * rules.CAP_VARIABLE_SLOPE, rules.CAP_VARIABLE_MAX)
    if x is not None and x < -rules.CAP_VARIABLE_THRESHOLD:
        var_sub = min((-rules.CAP_VARIABLE_THRESHOLD - x) * rules.CAP_VARIABLE_SLOPE, rules.CAP_VARIABLE_MAX)
    cap = rules.CAP_BASE
    if s is not None and s > rules.INTENSITY_THRESHOLD:
        int_add = min((s - rules.INTENSITY_THRESHOLD) * rules.CAP_INTENSITY_SLOPE, rules.CAP_INTENSITY_MAX)
        larger = max(var_add, int_add)
        cap += larger
        which_ja = "上乗せ型" if int_add >= var_add else "変動型"
        which_en = "intensity add-on" if int_add >= var_add else "variable add-on"
        reason_ja = (
            "試験研究費割合が10%超のため控除上限の大きい措置を適用: 原則25% "
            f"+ {which_ja} {format_percent(larger)}"
            f"（変動型 +{format_percent(var_add)}、上乗せ型 +{format_percent(int_add)}）"
        )
        reason_en = (
            f"intensity > 10%, so the larger measure applies: 25% + {which_en} {format_percent(larger)} "
            f"(variable +{format_percent(var_add)}, intensity +{format_percent(int_add)})"
        )
    elif x is None:
        reason_ja = "原則25%（増減試験研究費割合がないため変動型の調整なし）"
        reason_en = "basic 25% (no increase ratio, so no variable adjustment)"
    elif var_add:
        cap += var_add
        reason_ja = (
            f"原則25% + 変動型 min((増減試験研究費割合 − 4%) × 0.625, 5%) = +{format_percent(var_add)}"
        )
        reason_en = f"basic 25% + variable min((increase − 4%) × 0.625, 5%) = +{format_percent(var_add)}"
    elif var_sub:
        cap -= var_sub
        reason_ja = (
            f"原則25% − 変動型 min((−4% − 増減試験研究費割合) × 0.625, 5%) = −{format_percent(var_sub)}"
        )
        reason_en = f"basic 25% − variable min((−4% − increase) × 0.625, 5%) = −{format_percent(var_sub)}"
    else:
        reason_ja = "原則25%（増減試験研究費割合が±4%以内のため調整なし）"
        reason_en = "basic 25% (increase ratio within ±4%, no adjustment)"
    if venture:
        cap += rules.CAP_VENTURE_ADD
        reason_ja += " + ベンチャー特例15%"
        reason_en += " + venture special 15%"
    return cap, reason_ja, reason_en


def sme_cap_pct(increase_ratio: Fraction | None, intensity: Fraction | None) -> tuple[Fraction, str, str]:
    """SME-type 控除上限割合 with the reason (ja, en). See spec section 3.3."""
    x, s = increase_ratio, intensity
    if x is not None and x > rules.SME_KINK:
        return (
            rules.SME_CAP_BASE + rules.SME_CAP_INCREASE_ADD,
            "原則25% + 増減試験研究費割合12%超の上乗せ10%",
            "basic 25% + 10 points for an increase ratio above 12%",
        )
    if s is not None and s > rules.INTENSITY_THRESHOLD:
        add = min((s - rules.INTENSITY_THRESHOLD) * rules.CAP_INTENSITY_SLOPE, rules.CAP_INTENSITY_MAX)
        return (
            rules.SME_CAP_BASE + add,
            f"原則25% + 試験研究費割合10%超の上乗せ min((割合 − 10%) × 2, 10%) = +{format_percent(add)}",
            f"basic 25% + intensity add-on min((intensity − 10%) × 2, 10%) = +{format_percent(add)}",
        )
    return rules.SME_CAP_BASE, "原則25%", "basic 25%"


# ------------------------------------------------------------------------------------------------
# computation
# ------------------------------------------------------------------------------------------------
def _fig(
    key: str,
    ja: str,
    en: str,
    *,
    yen: int | Fraction | None = None,
    ratio: Fraction | None = None,
    working: str = "",
    slide: str = rules.SLIDE_RD_TAX,
    heading: str | None = rules.HEADING_RD_TAX,
    basis: str = "D",
) -> Figure:
    whole: int | None = None
    exact: str | None = None
    exact_ratio: Ratio | None = None
    if yen is not None:
        value = format_yen(Fraction(yen))
        whole = yen.numerator // yen.denominator if isinstance(yen, Fraction) else int(yen)
        exact = exact_decimal(Fraction(yen))
    else:
        assert ratio is not None
        value = format_percent(ratio)
        exact_ratio = Ratio.of(ratio)
    return Figure(
        key=key,
        label_ja=ja,
        label_en=en,
        value=value,
        yen=whole,
        exact_yen=exact,
        ratio=exact_ratio,
        working=working,
        slide=slide,
        heading=heading,
        basis=basis,
    )


def _suspension_applies(inp: RdCreditInput) -> bool:
    """Whether the large-company suspension test switches the credit off (the caller says it failed)."""
    return inp.credit_suspended and inp.company == "large"


def _capped_credit(limit: int, cap_amount: int | None, *, suspended: bool) -> int:
    """The credit: the limit, cut to the cap where one applies; 0 when switched off by suspension."""
    if suspended:
        return 0
    return limit if cap_amount is None else min(limit, cap_amount)


def _n(amount: Fraction) -> str:
    """An amount inside a formula: digits with commas, no 円."""
    return format_yen(amount).removesuffix("円")


class _Context:
    """Shared figures of one computation (averages and ratios on total R&D, method A)."""

    def __init__(self, inp: RdCreditInput) -> None:
        self.inp = inp
        self.oi_claimed = inp.oi.total if inp.oi else 0
        self.comparative: Fraction | None = None
        if not inp.founding_year and inp.prior_rd:
            self.comparative = Fraction(sum(inp.prior_rd), len(inp.prior_rd))
        self.zero_base = inp.founding_year or not self.comparative
        self.increase: Fraction | None = None
        if not self.zero_base:
            assert self.comparative is not None
            self.increase = (inp.rd - self.comparative) / self.comparative
        self.average_sales: Fraction | None = None
        self.intensity: Fraction | None = None
        if inp.sales is not None:
            self.average_sales = Fraction(sum(inp.sales), len(inp.sales))
            self.intensity = inp.rd / self.average_sales
        self.notes: list[str] = ["A01-yen-floor"]

    def note(self, assumption_id: str) -> None:
        if assumption_id not in self.notes:
            self.notes.append(assumption_id)

    def common_steps(self) -> list[Figure]:
        inp, steps = self.inp, []
        if self.comparative is not None:
            listed = " + ".join(f"{v:,}" for v in inp.prior_rd)
            steps.append(
                _fig(
                    "comparative_rd",
                    "比較試験研究費",
                    "comparative R&D (prior-year average)",
                    yen=self.comparative,
                    working=f"({listed}) ÷ {len(inp.prior_rd)} = {format_yen(self.comparative)}",
                )
            )
        if self.average_sales is not None and inp.sales is not None:
            listed = " + ".join(f"{v:,}" for v in inp.sales)
            steps.append(
                _fig(
                    "average_sales",
                    "平均売上金額",
                    "average sales (this year + prior years)",
                    yen=self.average_sales,
                    working=f"({listed}) ÷ {len(inp.sales)} = {format_yen(self.average_sales)}",
                )
            )
            assert self.intensity is not None
            steps.append(
                _fig(
                    "intensity",
                    "試験研究費割合",
                    "R&D intensity (R&D ÷ average sales)",
                    ratio=self.intensity,
                    working=f"{inp.rd:,} ÷ {_n(self.average_sales)} = {format_percent(self.intensity)}",
                )
            )
        if self.increase is not None:
            assert self.comparative is not None
            steps.append(
                _fig(
                    "increase_ratio",
                    "増減試験研究費割合",
                    "increase ratio",
                    ratio=self.increase,
                    working=f"({inp.rd:,} − {_n(self.comparative)}) ÷ "
                    f"{_n(self.comparative)} = {format_percent(self.increase)}",
                )
            )
        return steps


def _rate_steps(
    kind: str,
    ctx: _Context,
    base: Fraction,
    bonus: Fraction | None,
    before: Fraction,
    truncated: Fraction,
    rate: Fraction,
    ceiling: Fraction,
) -> list[Figure]:
    x = ctx.increase
    steps = []
    if kind == "general":
        if x is None:
            working = "設立事業年度または比較試験研究費0: 8.5% / founding year or zero comparative R&D: 8.5%"
        elif x > rules.GENERAL_KINK:
            working = f"11.5% + ({format_percent(x)} − 12%) × 0.375 = {format_percent(base)}"
        else:
            raw = rules.GENERAL_AT_KINK - (rules.GENERAL_KINK - x) * rules.GENERAL_SLOPE_DOWN
            working = f"11.5% − (12% − {format_percent(x)}) × 0.25 = {format_percent(raw)}"
            if raw < rules.GENERAL_FLOOR:
                working += " → 下限1% / floor 1%"
    else:
        if x is not None and x > rules.SME_KINK:
            working = f"12% + ({format_percent(x)} − 12%) × 0.375 = {format_percent(base)}"
        else:
            working = "12%（増減試験研究費割合12%以下または算定なし / increase ≤ 12% or none）"
    steps.append(_fig("base_rate", "控除率（割増前）", "rate from the curve", ratio=base, working=working))
    if bonus is not None:
        assert ctx.intensity is not None
        steps.append(
            _fig(
                "bonus_ratio",
                "控除割増率",
                "rate bonus (intensity > 10%)",
                ratio=bonus,
                working=f"min(({format_percent(ctx.intensity)} − 10%) × 0.5, 10%) = {format_percent(bonus)}",
            )
        )
        before_working = f"{format_percent(base)} × (1 + {format_percent(bonus)}) = {format_percent(before)}"
    else:
        before_working = "試験研究費割合10%以下: 割増なし / intensity ≤ 10%: no bonus"
    steps.append(
        _fig(
            "rate_before_truncation",
            "控除率（切捨て前）",
            "rate before truncation",
            ratio=before,
            working=before_working,
        )
    )
    steps.append(
        _fig(
            "rate",
            "控除率",
            "credit rate",
            ratio=rate,
            basis="C2",
            working=f"小数点以下3位未満切捨て {format_percent(before)} → {format_percent(truncated)}; "
            f"上限 {format_percent(ceiling)} → {format_percent(rate)} / truncated to 3 decimals of the "
            f"ratio, ceiling {format_percent(ceiling)}",
        )
    )
    return steps


def _type_breakdown(kind: Literal["general", "sme"], ctx: _Context, *, venture: bool) -> TypeBreakdown:
    inp = ctx.inp
    x, s = ctx.increase, ctx.intensity
    base = general_base_rate(x) if kind == "general" else sme_base_rate(x)
    bonus = bonus_ratio(s)
    before = base if bonus is None else base + base * bonus
    truncated = truncate_rate(before)
    ceiling = rules.GENERAL_CEILING if kind == "general" else rules.SME_CEILING
    rate = min(truncated, ceiling)
    credit_base = inp.rd - ctx.oi_claimed
    limit = rules.floor_yen(credit_base * rate)
    steps = ctx.common_steps() + _rate_steps(kind, ctx, base, bonus, before, truncated, rate, ceiling)
    base_working = f"{inp.rd:,}"
    if ctx.oi_claimed:
        base_working = f"({inp.rd:,} − OI型 {ctx.oi_claimed:,})"
    steps.append(
        _fig(
            "credit_limit",
            "税額控除限度額",
            "credit before the cap",
            yen=limit,
            working=f"{base_working} × {format_percent(rate)} = {format_yen(limit)}",
        )
    )
    cap_pct: Fraction | None = None
    cap_amount: int | None = None
    if inp.tax is None:
        reason_ja, reason_en = "調整前法人税額の入力なし: 控除上限を適用せず", "tax not given: no cap applied"
    elif inp.basic_cap_only:
        cap_pct = rules.CAP_BASE if kind == "general" else rules.SME_CAP_BASE
        reason_ja, reason_en = "原則25%のみ（指定による）", "basic 25% only (as asked)"
    elif kind == "general":
        cap_pct, reason_ja, reason_en = general_cap_pct(x, s, venture=venture)
    else:
        cap_pct, reason_ja, reason_en = sme_cap_pct(x, s)
    if cap_pct is not None and inp.tax is not None:
        cap_amount = rules.floor_yen(inp.tax * cap_pct)
        steps.append(
            _fig(
                "cap_pct",
                "控除上限割合",
                "cap (share of corporate tax)",
                ratio=cap_pct,
                working=reason_ja + " / " + reason_en,
            )
        )
        steps.append(
            _fig(
                "cap_amount",
                "控除上限額",
                "cap amount",
                yen=cap_amount,
                working=f"{inp.tax:,} × {format_percent(cap_pct)} = {format_yen(cap_amount)}",
            )
        )
    suspended = kind == "general" and _suspension_applies(inp)
    credit = _capped_credit(limit, cap_amount, suspended=suspended)
    if suspended:
        working = "適用停止措置により0円 / switched off by the suspension test"
    elif cap_amount is None:
        working = "控除上限なし（調整前法人税額の入力なし） / no cap (tax not given)"
    else:
        working = f"min({_n(limit)}, {_n(cap_amount)}) = {format_yen(credit)}"
        working += "（上限が適用 / cap binds）" if cap_amount < limit else ""
    steps.append(_fig("credit", "税額控除額", "credit", yen=credit, working=working))
    return TypeBreakdown(
        kind=kind,
        rd_total=inp.rd,
        oi_claimed=ctx.oi_claimed,
        credit_base_rd=credit_base,
        zero_base=ctx.zero_base,
        comparative_rd=None if ctx.comparative is None else exact_decimal(ctx.comparative),
        average_sales=None if ctx.average_sales is None else exact_decimal(ctx.average_sales),
        increase_ratio=None if x is None else Ratio.of(x),
        intensity=None if s is None else Ratio.of(s),
        base_rate=Ratio.of(base),
        bonus_ratio=None if bonus is None else Ratio.of(bonus),
        rate_before_truncation=Ratio.of(before),
        rate_truncated=Ratio.of(truncated),
        rate=Ratio.of(rate),
        credit_limit=limit,
        cap_pct=None if cap_pct is None else Ratio.of(cap_pct),
        cap_reason_ja=reason_ja,
        cap_reason_en=reason_en,
        cap_amount=cap_amount,
        cap_binds=cap_amount is not None and cap_amount < limit,
        suspended=suspended,
        credit=credit,
        steps=steps,
    )


def _oi_breakdown(inp: RdCreditInput, oi: OiAmounts) -> OiBreakdown:
    exact = (
        oi.university * rules.OI_RATE_UNIVERSITY
        + oi.startup * rules.OI_RATE_STARTUP
        + oi.other * rules.OI_RATE_OTHER
    )
    limit = rules.floor_yen(exact)
    steps = [
        _fig(
            "oi_credit_limit",
            "特別研究税額控除限度額",
            "OI credit before the cap",
            yen=limit,
            working=f"{oi.university:,} × 30% + {oi.startup:,} × 2"
            f"5% + {oi.other:,} × 20% = {format_yen(limit)}",
        )
    ]
    cap_amount = None
    if inp.tax is not None:
        cap_amount = rules.floor_yen(inp.tax * rules.OI_CAP)
        steps.append(
            _fig(
                "oi_cap_amount",
                "OI型の控除上限額（一般型とは別枠）",
                "OI cap (separate from the general cap)",
                yen=cap_amount,
                working=f"{inp.tax:,} × 10% = {format_yen(cap_amount)}",
            )
        )
    suspended = _suspension_applies(inp)
    credit = _capped_credit(limit, cap_amount, suspended=suspended)
    steps.append(
        _fig(
            "oi_credit",
            "OI型の税額控除額",
            "OI credit",
            yen=credit,
            working=(
                "適用停止措置により0円 / suspended"
                if suspended
                else f"min({format_yen(limit)},"
                f" {format_yen(cap_amount) if cap_amount is not None else '上限なし'})"
            ),
        )
    )
    return OiBreakdown(
        university=oi.university,
        startup=oi.startup,
        other=oi.other,
        credit_limit=limit,
        cap_pct=Ratio.of(rules.OI_CAP),
        cap_amount=cap_amount,
        cap_binds=cap_amount is not None and cap_amount < limit,
        suspended=suspended,
        credit=credit,
        steps=steps,
    )


def _ninety_percent(inp: RdCreditInput, rd_credits: list[int]) -> NinetyPercentRule:
    credits = [c for c in rd_credits if c > 0] + ([inp.other_credits] if inp.other_credits > 0 else [])
    total = sum(credits)
    if inp.tax is None or len(credits) < 2:
        return NinetyPercentRule(credits_count=len(credits), total_before=total, binds=False)
    limit = rules.floor_yen(inp.tax * rules.NINETY_PERCENT)
    binds = total > limit
    disallowed = total - limit if binds else 0
    from_other = min(inp.other_credits, disallowed)
    lost = disallowed - from_other
    # The 90% rule is statute detail from the spec, not from a deck slide.
    spec_fig = partial(_fig, slide=rules.SPEC_SOURCE, heading=None, basis="C2")
    steps = [
        spec_fig(
            "ninety_limit",
            "90%制限（調整前法人税額×90%）",
            "90% limit",
            yen=limit,
            working=f"{inp.tax:,} × 90% = {format_yen(limit)}",
        )
    ]
    if binds:
        steps.append(
            spec_fig(
                "ninety_disallowed",
                "調整前法人税額超過額",
                "excess over 90%",
                yen=disallowed,
                working=f"{total:,} − {limit:,} = {format_yen(disallowed)}",
            )
        )
    return NinetyPercentRule(
        credits_count=len(credits),
        total_before=total,
        limit=limit,
        binds=binds,
        disallowed=disallowed,
        from_other_credits=from_other,
        lost_rd_credit=lost,
        steps=steps,
    )


def _regime_warnings(inp: RdCreditInput, ctx: _Context) -> tuple[bool, list[ResultWarning]]:
    start = inp.fiscal_year_start
    if start is None:
        ctx.note("A17-fiscal-year-not-given")
        return True, []
    if start > rules.REGIME_END:
        return False, [
            ResultWarning(
                code="regime-after-r8-reform",
                text_ja=(
                    f"事業年度開始日 {start.isoformat()} は資料の制度（"
                    "2023-04-01〜2026-03-31開始の事業年度）の対象外です。"
                    "令和8年度税制改正で、一般型の控除率カーブの見直し（最高14%に約22%増が必要、10%以上の減少で0%と"
                    "報道）、戦略技術領域型（40%/50%、別枠10%、3年繰越）の新設、中小企業技術基盤強化税制の3年繰越、"
                    "海外委託試験研究費の算入制限（70%→50%）等が行われます。この結果は資料の制度で計算した参考値です。"
                ),
                text_en=(
                    f"The fiscal year starting {start.isoformat()}"
                    " is outside the deck's regime (FYs starting "
                    "2023-04-01 to 2026-03-31). The FY2026 (令和8年度) reform changes the rules: a steeper "
                    "general-type curve (reportedly 14% needs about"
                    " +22%, a fall of 10% or more gives 0%), a new "
                    "strategic-technology type (40%/50%, separate 10% cap, 3-year carry-forward), an SME "
                    "carry-forward, and limits on overseas contract R&D (70% then 50%). This figure uses the "
                    "deck's rules and is indicative only."
                ),
            )
        ]
    if start < rules.REGIME_START:
        return False, [
            ResultWarning(
                code="regime-before-r5-reform",
                text_ja=(
                    f"事業年度開始日 {start.isoformat()} は令"
                    "和5年度改正前の制度（控除率カーブ・コロナ特例の上限上乗せ等が"
                    "異なる）の対象です。この結果は資料の制度（令和5年度改正後）で計算した参考値です。"
                ),
                text_en=(
                    f"The fiscal year starting {start.isoformat()}"
                    " falls under the pre-FY2023 rules (different "
                    "curve, COVID cap add-on). This figure uses the deck's (FY2023 reform) rules and is "
                    "indicative only."
                ),
            )
        ]
    return True, []


def compute_rd_credit(inp: RdCreditInput) -> RdCreditResult:
    """Compute the R&D tax credit for one company-year under the deck's regime, with the working.

    Args:
        inp: validated input (use ``parse_rdcredit_input`` for raw data).

    Returns:
        RdCreditResult: ``total_credit`` (int 円), general or SME breakdown, OI, 90% rule, notes, warnings.
    """
    ctx = _Context(inp)
    in_regime, warnings = _regime_warnings(inp, ctx)
    if inp.prior_rd and not inp.founding_year:
        ctx.note("A03-twelve-month-years")
        if len(inp.prior_rd) < 3:
            ctx.note("A02-prior-years-average-existing")
    if inp.founding_year:
        ctx.note("A04-founding-year-sales-average")
        if inp.prior_rd:
            warnings.append(
                ResultWarning(
                    code="founding-year-prior-ignored",
                    text_ja="設立事業年度のため前事業年度の試験研究費は使用していません。",
                    text_en="Founding year: the prior-year R&D given was not used.",
                )
            )
    if inp.sales is None:
        ctx.note("A14-sales-not-given")
    if inp.tax is None:
        ctx.note("A15-tax-not-given")
    if inp.basic_cap_only:
        ctx.note("A16-basic-cap-only")
    if ctx.oi_claimed:
        ctx.note("A06-oi-method-a")
    general = sme = None
    alternative = None
    if inp.company == "sme":
        ctx.note("A13-sme-qualifies")
        ctx.note("A12-sme-truncation")
        if ctx.zero_base:
            ctx.note("A09-sme-founding-year-12")
        sme = _type_breakdown("sme", ctx, venture=False)
        alternative = _type_breakdown("general", ctx, venture=inp.venture).credit
        if inp.venture:
            warnings.append(
                ResultWarning(
                    code="venture-not-in-sme-type",
                    text_ja="ベンチャー特例は一般型のみの措置のため、中小企業技術基盤強化税制には適用していません。",
                    text_en="The venture special belongs to the general type; it was not applied "
                    "to the SME type.",
                )
            )
        if inp.credit_suspended:
            warnings.append(
                ResultWarning(
                    code="suspension-not-for-sme",
                    text_ja="適用停止措置は中小企業者等には適用されないため無視しました。",
                    text_en="The suspension test does not apply to SMEs; it was ignored.",
                )
            )
        main = sme
    else:
        general = _type_breakdown("general", ctx, venture=inp.venture)
        main = general
        if ctx.zero_base:
            ctx.note("A05-zero-base-no-variable-cap")
        if inp.venture:
            ctx.note("A08-venture-stacks")
            if (
                ctx.increase is not None
                and ctx.increase < -rules.CAP_VARIABLE_THRESHOLD
                and not (ctx.intensity is not None and ctx.intensity > rules.INTENSITY_THRESHOLD)
            ):
                ctx.note("A07-venture-reduction-applies")
        if inp.credit_suspended:
            warnings.append(
                ResultWarning(
                    code="credit-suspended",
                    text_ja="適用停止措置（措法42条の13⑤）に該当するため税額控除は0円です。",
                    text_en="The suspension test (措法42条の13⑤) applies, so the credit is 0.",
                )
            )
    oi = None
    if inp.oi is not None and inp.oi.total > 0:
        oi = _oi_breakdown(inp, inp.oi)
        if oi.suspended:
            ctx.note("A11-suspension-covers-oi")
    rd_credits = [main.credit] + ([oi.credit] if oi else [])
    ninety = _ninety_percent(inp, rd_credits)
    if ninety.binds:
        ctx.note("A10-ninety-percent-order")
    total = sum(rd_credits) - ninety.lost_rd_credit
    if inp.tax is not None and inp.tax == 0:
        warnings.append(
            ResultWarning(
                code="no-tax",
                text_ja="調整前法人税額が0円のため控除額は0円です（繰越制度なし）。",
                text_en="Corporate tax is 0, so no credit can be taken (no carry-forward).",
            )
        )
    notes = [
        Note(id=a.id, confidence=a.confidence, text_ja=a.text_ja, text_en=a.text_en)
        for a in (ASSUMPTIONS[i] for i in ctx.notes)
    ]
    return RdCreditResult(
        input=inp,
        total_credit=total,
        general=general,
        sme=sme,
        oi=oi,
        ninety_percent_rule=ninety if ninety.credits_count >= 2 else None,
        alternative_general_credit=alternative,
        in_regime=in_regime,
        notes=notes,
        warnings=warnings,
    )


# ------------------------------------------------------------------------------------------------
# free-text questions ("前3事業年度の試験研究費がそれぞれ…、当期の試験研究費が…")
# ------------------------------------------------------------------------------------------------
_ROLE_PATTERNS: dict[str, re.Pattern[str]] = {
    "sales": re.compile(r"売上|revenue|sales|turnover", re.I),
    "tax": re.compile(r"法人税|corporate (?:income )?tax|tax (?:before|liability)|tax payable|\btax\b", re.I),
    "prior": re.compile(
        r"前\s*[3三]\s*(?:事業)?年度?|前\s*[3三]\s*年|過去\s*[3三]\s*年|前期|前々期|前年度|[1-3一二三]期前|"
        r"比較試験研究費|comparative R&D|comparison R&D|"
        r"(?:three|3|prior|previous|past|last)\s+(?:three\s+|3\s+)?(?:previous\s+|prior\s+)?"
        r"(?:fiscal\s+|financial\s+|business\s+)?years?|prior[- ]year|previous[- ]year|last year",
        re.I,
    ),
    "current": re.compile(
        r"当期|今期|本年度|当事業年度|当年度|this (?:fiscal )?year|current (?:fiscal )?year", re.I
    ),
    "rd": re.compile(r"試験研究費|研究開発費|研究開発投資|R&D|research", re.I),
    "oi": re.compile(
        r"共同研究|委託研究|共同・委託|オープンイノベーション|joint research|contract research|"
        r"open[- ]innovation|大学|universit|startup|スタートアップ",
        re.I,
    ),
}
_EACH = re.compile(r"それぞれ|各|いずれも|とも|all|each", re.I)
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)|;")


def _last_role(context: str) -> str | None:
    """The role a span's preceding words give it: sales/tax outrank period words, which outrank 'R&D'."""
    found: dict[str, int] = {}
    for role, pattern in _ROLE_PATTERNS.items():
        matches = list(pattern.finditer(context))
        if matches:
            found[role] = matches[-1].end()
    for role in ("oi", "sales", "tax"):
        if role in found and all(found[role] >= found.get(other, -1) for other in ("prior", "current")):
            return role
    for role in ("prior", "current"):
        if role in found and found[role] >= found.get("prior" if role == "current" else "current", -1):
            return role
    if "rd" in found:
        return "current"
    return None


def _negated_near(text: str, keyword: re.Pattern[str]) -> bool:
    """True when every mention of the keyword is negated nearby ("対象外", "ではない", "not an", "no ")."""
    mentions = list(keyword.finditer(text))
    if not mentions:
        return True
    for match in mentions:
        before = text[max(0, match.start() - 12) : match.start()].lower()
        after = text[match.end() : match.end() + 16]
        if re.search(r"対象外|ではな|でない|以外|除く|該当しない|非該当", after) or re.search(
            r"\bnot an?\b|\bno\b|\bnon-?|\bwithout\b", before
        ):
            continue
        return False
    return True


_SME_WORD = re.compile(
    r"中小企業(?!技術基盤)|中小法人|\bSMEs?\b|small (?:and medium|or medium|business)", re.I
)
_VENTURE_WORD = re.compile(r"ベンチャー|\bventure\b", re.I)
_FOUNDING_WORD = re.compile(
    r"設立事業年度|設立(?:初年度|1期目|一期目)|founding year|year of incorporation|"
    r"first (?:fiscal )?year",
    re.I,
)
_LARGE_WORD = re.compile(r"大企業|大法人|large (?:japanese )?(?:company|corporation|firm)", re.I)
_TAX_IGNORED = re.compile(
    r"十分(?:に)?大き|控除上限は考慮しな|上限を考慮しな|ignore the (?:credit )?cap|cap does not bind|"
    r"no cap|sufficient(?:ly)? large",
    re.I,
)
_BASIC_CAP_ONLY = re.compile(
    r"ignore the variable|変動型.{0,12}(?:考慮しな|無視)|原則25%のみ|basic (?:credit )?cap of 25%", re.I
)


_INTENSITY_STATED = re.compile(
    r"(?:試験研究費割合|売上高研究開発費比率|R&D[- ]to[- ]sales ratio|R&D intensity)[^0-9%]{0,12}"
    r"(\d+(?:\.\d+)?)\s*%(?P<after>.{0,6})",
    re.I,
)


def _stated_high_intensity(text: str) -> bool:
    """True when the question states an R&D intensity above 10% (which needs the bonus and cap add-on)."""
    for match in _INTENSITY_STATED.finditer(text):
        if re.search(r"以下|未満|or less|or lower|below|under", match.group("after"), re.I):
            continue
        if float(match.group(1)) > 10:
            return True
    return False


def parse_rdcredit_question(text: str) -> RdCreditInput | None:
    """Read an R&D-credit calculation question into RdCreditInput, or None when unsure.

    Recognises e.g. "前3事業年度の試験研究費がそれぞれ10億円、10億円、10億円、当期の試験研究費が12億円、
    売上高は各200億円、法人税額は10億円" and English equivalents ("R&D spending in the three previous fiscal
    years was ¥3.0bn, ¥3.2bn and ¥3.4bn; this year it is ¥3.296bn. Its corporate tax before credits is ...").

    Args:
        text: the user's question.

    Returns:
        The input, or None if the question is not such a calculation or any amount's role is unclear.
    """
    normalised = unicodedata.normalize("NFKC", text)
    if not _ROLE_PATTERNS["rd"].search(normalised):
        return None
    spans = find_amount_spans(normalised)
    if not spans:
        return None
    roles: dict[str, list[int]] = {"prior": [], "current": [], "sales": [], "tax": []}
    each: dict[str, bool] = {}
    previous_role: str | None = None
    previous_end = 0
    for span in spans:
        sentence_start = 0
        for boundary in _SENTENCE_END.finditer(normalised, 0, span.start):
            sentence_start = boundary.end()
        sentence_start = max(sentence_start, 0)
        context = normalised[max(previous_end, sentence_start) : span.start]
        role = _last_role(context)
        if role is None:
            if previous_end <= sentence_start or previous_role is None:
                return None
            role = previous_role  # a list continues: "10億円、11億円、12億円"
        if role == "oi":
            return None  # OI amounts are not read from free text: too ambiguous
        if role not in roles:
            return None
        roles[role].append(span.yen)
        if _EACH.search(context):
            each[role] = True
        previous_role, previous_end = role, span.end
    if _stated_high_intensity(normalised) and not roles["sales"]:
        return None  # intensity above 10% stated without sales: cannot be reproduced, so do not guess
    founding = bool(_FOUNDING_WORD.search(normalised))
    if len(roles["current"]) != 1 or len(roles["tax"]) > 1:
        return None
    if not roles["prior"] and not founding:
        return None
    prior = roles["prior"]
    if len(prior) == 1 and each.get("prior"):
        prior = prior * 3
    sales: list[int] | None = roles["sales"] or None
    if sales is not None and len(sales) == 1 and each.get("sales"):
        sales = sales * 4
    if len(prior) > 3 or (sales is not None and len(sales) > 4):
        return None
    company: Literal["large", "sme"] = "large"
    if not _LARGE_WORD.search(normalised) and not _negated_near(normalised, _SME_WORD):
        company = "sme"
    venture = not _negated_near(normalised, _VENTURE_WORD)
    tax: int | None = roles["tax"][0] if roles["tax"] else None
    if tax is not None and _TAX_IGNORED.search(normalised):
        tax = None
    try:
        return RdCreditInput(
            rd=roles["current"][0],
            prior_rd=[] if founding else prior,
            sales=sales,
            tax=tax,
            company=company,
            founding_year=founding,
            venture=venture,
            basic_cap_only=bool(_BASIC_CAP_ONLY.search(normalised)),
        )
    except ValidationError:
        return None


def summarize_rd_credit(result: RdCreditResult, lang: Literal["ja", "en"] = "ja") -> str:
    """Plain-text working of a result, one figure a line, for answers that must show the arithmetic.

    Args:
        result: a computed result.
        lang: "ja" or "en".

    Returns:
        Multi-line text ending with the total and the source slide; warnings and assumption ids follow.
    """
    ja = lang == "ja"
    applied = result.applied
    if ja:
        kind = "一般型" if applied.kind == "general" else "中小企業技術基盤強化税制"
    else:
        kind = "general type" if applied.kind == "general" else "SME type"
    lines = [f"研究開発税制（{kind}）の計算" if ja else f"R&D tax credit ({kind})"]
    steps = list(applied.steps)
    if result.oi is not None:
        steps += result.oi.steps
    for step in steps:
        label = step.label_ja if ja else step.label_en
        lines.append(f"・{label}: {step.value}" + (f"（{step.working}）" if ja else f" ({step.working})"))
    total = f"{result.total_credit:,}円" if ja else f"¥{result.total_credit:,}"
    lines.append(f"税額控除額合計: {total}" if ja else f"Total credit: {total}")
    lines.append(
        f"（根拠: {rules.SLIDE_RD_TAX}「{rules.HEADING_RD_TAX}」）"
        if ja
        else f"(source: {rules.SLIDE_RD_TAX} 「{rules.HEADING_RD_TAX}」)"
    )
    for warning in result.warnings:
        lines.append(("注意: " + warning.text_ja) if ja else ("Warning: " + warning.text_en))
    if result.notes:
        ids = ", ".join(note.id for note in result.notes)
        lines.append(f"前提: {ids}" if ja else f"Assumptions: {ids}")
    return "\n".join(lines)
