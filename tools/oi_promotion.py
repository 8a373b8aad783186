"""OI promotion tax (オープンイノベーション促進税制): 25% deduction of startup share purchases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools import rd_credit_rules as rules
from tools.errors import ToolInputError, tool_error_from_validation
from tools.innovation_box import RatioText
from tools.rd_credit_models import Figure, ResultWarning, Yen
from tools.rd_credit_rules import format_percent, format_yen
from tools.spec import Cli

DEDUCTION_RATE = rules.pct("25")
OKU = 10**8
MAX_NEW_ISSUE = 50 * OKU
MAX_MA = 200 * OKU
ANNUAL_CAP = 500 * OKU
MIN_NEW_ISSUE_LARGE = 1 * OKU
MIN_NEW_ISSUE_SME = 10**7
MIN_FOREIGN = 5 * OKU
MIN_MA = 5 * OKU
DEADLINE = date(2026, 3, 31)  # 令和7年度末


class OiDeal(BaseModel):
    """One share acquisition."""

    model_config = ConfigDict(extra="forbid")

    price: Yen = Field(description="acquisition price (取得価額), 円")
    deal_type: Annotated[Literal["new_issue", "ma"], Cli(names=("--type",))] = Field(
        "new_issue", description="新規出資型 or M&A型 (issued shares)"
    )
    foreign_startup: Annotated[bool, Cli(names=("--foreign",))] = Field(
        False, description="the startup is foreign (new-issue only; minimum 5億円)"
    )
    majority: bool | None = Field(None, description="M&A型: the purchase takes the holding above 50%")
    acquisition_date: date | None = None


class OiPromotionInput(BaseModel):
    """The investor and its deals in one year (the 500億円 annual cap is shared)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    investor: Annotated[Literal["large", "sme"], Cli(flags={"--sme": "sme"})] = Field(
        "large", description="investor size (sets the new-issue minimum)"
    )
    deals: list[OiDeal] = Field(min_length=1)
    effective_tax_rate: Annotated[RatioText, Cli(names=("--effective-rate",), metavar="RATIO")] = Field(
        "29.74%", description="法人実効税率 for the tax saving"
    )


class OiDealResult(BaseModel):
    """Outcome for one deal."""

    price: int
    eligible: bool
    reason_ja: str
    reason_en: str
    minimum: int = Field(description="per-deal minimum, 円")
    maximum: int = Field(description="per-deal maximum acquisition price counted, 円")
    counted_price: int = Field(description="price counted after the per-deal maximum and the annual cap, 円")
    deduction: int = Field(description="25% × counted price, floored, 円")


class OiPromotionResult(BaseModel):
    """Deductions for all deals, with the annual cap applied in order."""

    input: OiPromotionInput
    deals: list[OiDealResult]
    total_counted_price: int
    total_deduction: int = Field(description="所得控除額 total, 円")
    tax_saving: int = Field(description="total deduction × effective tax rate, floored, 円")
    steps: list[Figure]
    notes: list[str]
    warnings: list[ResultWarning]


def parse_oi_promotion_input(data: Mapping[str, Any]) -> OiPromotionInput:
    """Validate raw input, raising a bilingual ToolInputError naming the field."""
    try:
        return OiPromotionInput.model_validate(dict(data))
    except ValidationError as error:
        raise tool_error_from_validation(error) from None


def _limits(deal: OiDeal, investor: str) -> tuple[int, int, str | None, str | None]:
    if deal.deal_type == "ma":
        if deal.foreign_startup:
            return MIN_MA, MAX_MA, "M&A型は海外スタートアップを除く", "M&A type excludes foreign startups"
        if deal.majority is False:
            return MIN_MA, MAX_MA, "M&A型は50%超の取得時のみ", "M&A type needs the holding to exceed 50%"
        return MIN_MA, MAX_MA, None, None
    if deal.foreign_startup:
        return MIN_FOREIGN, MAX_NEW_ISSUE, None, None
    return (MIN_NEW_ISSUE_SME if investor == "sme" else MIN_NEW_ISSUE_LARGE), MAX_NEW_ISSUE, None, None


def _yen_figure(key: str, ja: str, en: str, amount: int, *, working: str, basis: str = "D") -> Figure:
    """A yen line of the working, resting on the OI promotion tax slide."""
    return Figure(
        key=key,
        label_ja=ja,
        label_en=en,
        value=format_yen(amount),
        yen=amount,
        working=working,
        slide=rules.SLIDE_OI_PROMOTION,
        heading=rules.HEADING_OI_PROMOTION,
        basis=basis,
    )


_NOTES = (
    "新規出資型: 3年経過後の譲渡等は益金算入不要 / new-issue: no recapture after 3 years",
    "M&A型: 5年以内に成長要件未達等なら一括取り戻し、5年経過後も譲渡等は益金算入 / M&A: recapture if growth "
    "requirements are not met within 5 years; disposal even after 5 years is taxed",
    "年間500億円の上限は取得価額ベースで入力順に適用 / the 50,000,000,000 yen annual cap is applied on the "
    "acquisition price, in input order",
    "実効税率29.74%は資料のイノベーション拠点税制の頁の値 [M] / 29.74% is the deck's effective rate",
)


def _deal(number: int, deal: OiDeal, investor: str, remaining: int) -> tuple[OiDealResult, Figure | None]:
    """One deal's outcome (ineligible, or counted within the per-deal maximum and what is left of the annual
    cap) and its working line when it counts."""
    minimum, maximum, bar_ja, bar_en = _limits(deal, investor)
    if bar_ja is None and deal.price < minimum:
        bar_ja = f"取得価額が下限{format_yen(minimum)}未満"
        bar_en = f"price below the per-deal minimum {minimum:,} yen"
    if bar_ja is not None:
        outcome = OiDealResult(
            price=deal.price,
            eligible=False,
            reason_ja=bar_ja,
            reason_en=bar_en or "",
            minimum=minimum,
            maximum=maximum,
            counted_price=0,
            deduction=0,
        )
        return outcome, None
    counted = min(deal.price, maximum, remaining)
    deduction = rules.floor_yen(counted * DEDUCTION_RATE)
    reason_ja, reason_en = "対象", "eligible"
    if counted < deal.price:
        reason_ja = f"上限適用（1件{format_yen(maximum)}・年間500億円）"
        reason_en = f"capped (per deal {maximum:,} yen, annual 50,000,000,000 yen)"
    outcome = OiDealResult(
        price=deal.price,
        eligible=True,
        reason_ja=reason_ja,
        reason_en=reason_en,
        minimum=minimum,
        maximum=maximum,
        counted_price=counted,
        deduction=deduction,
    )
    working = f"min({deal.price:,}, {maximum:,}, 年間残枠) = {counted:,} × 25% = {format_yen(deduction)}"
    step = _yen_figure(
        f"deal_{number}", f"案件{number}の所得控除額", f"deal {number} deduction", deduction, working=working
    )
    return outcome, step


def _late(number: int, deal: OiDeal) -> ResultWarning | None:
    if deal.acquisition_date is None or deal.acquisition_date <= DEADLINE:
        return None
    return ResultWarning(
        code="after-deadline",
        text_ja=f"案件{number}の取得日 {deal.acquisition_date.isoformat()} は"
        "資料の適用期限（令和7年度末）後です。令和8年度改正で延長・見直し（M&A型の段階取得等）が行われています。",
        text_en=f"Deal {number} ({deal.acquisition_date.isoformat()}) is after the deck's deadline "
        "(2026-03-31); the FY2026 reform extends and revises the measure.",
    )


def compute_oi_promotion(inp: OiPromotionInput) -> OiPromotionResult:
    """Compute the OI promotion tax deduction for a year's deals (per-deal min/max, 500億円 annual cap).

    Args:
        inp: validated input.

    Returns:
        Per-deal outcomes, the total deduction and the tax saving, with the working.
    """
    results: list[OiDealResult] = []
    steps: list[Figure] = []
    warnings: list[ResultWarning] = []
    remaining = ANNUAL_CAP
    for number, deal in enumerate(inp.deals, start=1):
        outcome, step = _deal(number, deal, inp.investor, remaining)
        results.append(outcome)
        if step is None:
            continue  # ineligible deals have no working line (and no deadline warning)
        remaining -= outcome.counted_price
        steps.append(step)
        if (late := _late(number, deal)) is not None:
            warnings.append(late)
    total = sum(r.deduction for r in results)
    effective = Fraction(inp.effective_tax_rate)
    saving = rules.floor_yen(total * effective)
    steps.append(
        _yen_figure(
            "total_deduction",
            "所得控除額合計",
            "total deduction",
            total,
            working=" + ".join(f"{r.deduction:,}" for r in results),
        )
    )
    steps.append(
        _yen_figure(
            "tax_saving",
            "税負担軽減額（概算）",
            "tax saving (approx.)",
            saving,
            working=f"{total:,} × {format_percent(effective)} = {format_yen(saving)}",
            basis="M",
        )
    )
    return OiPromotionResult(
        input=inp,
        deals=results,
        total_counted_price=sum(r.counted_price for r in results),
        total_deduction=total,
        tax_saving=saving,
        steps=steps,
        notes=list(_NOTES),
        warnings=warnings,
    )


__all__ = [
    "OiDeal",
    "OiDealResult",
    "OiPromotionInput",
    "OiPromotionResult",
    "ToolInputError",
    "compute_oi_promotion",
    "parse_oi_promotion_input",
]
