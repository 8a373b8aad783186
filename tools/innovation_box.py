"""Innovation box (イノベーション拠点税制): 30% income deduction on qualifying IP income, with the working."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from tools import rd_credit_rules as rules
from tools.errors import ToolInputError, tool_error_from_validation
from tools.rd_credit_curves import to_fraction
from tools.rd_credit_models import Figure, ResultWarning, Yen
from tools.rd_credit_rules import Ratio, format_percent, format_yen
from tools.spec import Cli

DEDUCTION_RATE = rules.pct("30")
DEFAULT_EFFECTIVE_RATE = rules.pct("29.74")
PERIOD_START = date(2025, 4, 1)
PERIOD_END = date(2032, 3, 31)


def _ratio_text(value: Any) -> str:
    try:
        fraction = to_fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ToolInputError(
            "input",
            f"割合「{value}」を読み取れません（例: 0.8 または 80%）。",
            f"Cannot read the ratio '{value}' (e.g. 0.8 or 80%).",
        ) from None
    if not 0 <= fraction <= 1:
        raise ToolInputError(
            "input",
            f"割合「{value}」は0〜1（0%〜100%）にしてください。",
            f"The ratio '{value}' must be between 0 and 1 (0% to 100%).",
        )
    return f"{fraction.numerator}/{fraction.denominator}"


RatioText = Annotated[str, AfterValidator(_ratio_text)]
"""A ratio given as "0.8", "80%" or "4/5"; stored as an exact "n/d" string."""


class InnovationBoxInput(BaseModel):
    """Inputs for the innovation-box deduction."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    qualifying_income: Annotated[Yen, Cli(names=("--income",))] = Field(
        description="income from 特許権譲渡等取引 (transfer / licence of 特定特許権等), 円"
    )
    self_creation_ratio: Annotated[RatioText, Cli(names=("--ratio",), metavar="RATIO")] = Field(
        "1", description="自己創出比率 / 研究開発割合 (ratio 0..1, e.g. 0.8 or 80%)"
    )
    taxable_income: Yen | None = Field(
        None, description="taxable income before this deduction (the limit), 円"
    )
    effective_tax_rate: Annotated[RatioText, Cli(names=("--effective-rate",), metavar="RATIO")] = Field(
        "29.74%", description="法人実効税率 (deck: 29.74%)"
    )
    fiscal_year_start: date | None = Field(
        None, description="start of the fiscal year (period 2025-04-01..2032-03-31)"
    )
    related_party: bool = Field(False, description="the income is from a 関連者 (does not qualify)")


class InnovationBoxResult(BaseModel):
    """Innovation-box deduction with every intermediate figure."""

    input: InnovationBoxInput
    qualifying_amount: int = Field(description="qualifying income × 自己創出比率, floored, 円")
    deduction_base: int = Field(description="min(qualifying amount, taxable income), 円")
    deduction: int = Field(description="所得控除額 = 30% × base, floored, 円")
    tax_saving: int = Field(description="deduction × effective tax rate, floored, 円")
    effective_rate_on_income: Ratio = Field(
        description="effective rate on qualifying income: 29.74% × 70% = 20.818%"
    )
    steps: list[Figure]
    notes: list[str]
    warnings: list[ResultWarning]


def parse_innovation_box_input(data: Mapping[str, Any]) -> InnovationBoxInput:
    """Validate raw input, raising a bilingual ToolInputError naming the field."""
    try:
        return InnovationBoxInput.model_validate({k: v for k, v in dict(data).items() if v is not None})
    except ValidationError as error:
        raise tool_error_from_validation(error) from None


def _fig(
    key: str,
    ja: str,
    en: str,
    working: str,
    *,
    yen: int | None = None,
    ratio: Fraction | None = None,
    basis: str = "D",
) -> Figure:
    return Figure(
        key=key,
        label_ja=ja,
        label_en=en,
        yen=yen,
        value=format_yen(yen) if yen is not None else format_percent(ratio or Fraction(0)),
        ratio=Ratio.of(ratio) if ratio is not None else None,
        working=working,
        slide=rules.SLIDE_INNOVATION_BOX,
        heading=rules.HEADING_INNOVATION_BOX,
        basis=basis,
    )


_NOTES = (
    "対象知財は令和6年4月1日以後に取得・製作した特許権・AI関連プログラムの著作物（国内で自ら開発） / "
    "qualifying IP: patents and AI-related program copyrights acquired or created on or after 2024-04-01, "
    "developed in Japan by the company itself",
    "自己創出比率の詳細な算式と経過措置は未確認（入力値をそのまま使用） [C1] / the exact nexus-ratio "
    "formula and transitional rule are not confirmed; the ratio given is used as is",
    "1円未満切捨て [M] / yen amounts floored",
)


def _base_steps(inp: InnovationBoxInput, ratio: Fraction, qualifying: int) -> tuple[int, list[Figure]]:
    """The qualifying amount, then the deduction base (capped at taxable income when given)."""
    steps = [
        _fig(
            "qualifying_amount",
            "対象所得 × 自己創出比率",
            "qualifying income × self-creation ratio",
            f"{inp.qualifying_income:,} × {format_percent(ratio)} = {format_yen(qualifying)}",
            yen=qualifying,
            basis="C1",
        )
    ]
    if inp.taxable_income is None:
        return qualifying, steps
    base = min(qualifying, inp.taxable_income)
    steps.append(
        _fig(
            "deduction_base",
            "控除対象額（所得金額が上限）",
            "deduction base (capped at taxable income)",
            f"min({format_yen(qualifying)}, {format_yen(inp.taxable_income)}) = {format_yen(base)}",
            yen=base,
            basis="C1",
        )
    )
    return base, steps


def _deduction_steps(base: int, effective: Fraction) -> tuple[int, int, Fraction, list[Figure]]:
    """The 30% deduction, the tax it saves, and the effective rate left on qualifying income."""
    deduction = rules.floor_yen(base * DEDUCTION_RATE)
    saving = rules.floor_yen(deduction * effective)
    on_income = effective * (1 - DEDUCTION_RATE)
    steps = [
        _fig(
            "deduction",
            "所得控除額（30%）",
            "income deduction (30%)",
            f"{format_yen(base)} × 30% = {format_yen(deduction)}",
            yen=deduction,
        ),
        _fig(
            "tax_saving",
            "税負担軽減額",
            "tax saving",
            f"{format_yen(deduction)} × {format_percent(effective)} = {format_yen(saving)}",
            yen=saving,
        ),
        _fig(
            "effective_rate_on_income",
            "対象所得に対する実効税率",
            "effective rate on qualifying income",
            f"{format_percent(effective)} × (1 − 30%) = {format_percent(on_income)}（資料: 約20%）",
            ratio=on_income,
        ),
    ]
    return deduction, saving, on_income, steps


def _warnings(inp: InnovationBoxInput) -> list[ResultWarning]:
    warnings = []
    if inp.related_party:
        warnings.append(
            ResultWarning(
                code="related-party",
                text_ja="関連者との取引による所得は対象外です。",
                text_en="Income from related parties (関連者) does not qualify.",
            )
        )
    start = inp.fiscal_year_start
    if start is not None and not PERIOD_START <= start <= PERIOD_END:
        warnings.append(
            ResultWarning(
                code="outside-period",
                text_ja=f"事業年度開始日 {start.isoformat()} はイノベーション拠"
                "点税制の適用期間（2025-04-01〜2032-03-31開始）外です。",
                text_en=f"The fiscal year starting {start.isoformat()} is outside the innovation-box period "
                "(FYs starting 2025-04-01 to 2032-03-31).",
            )
        )
    return warnings


def compute_innovation_box(inp: InnovationBoxInput) -> InnovationBoxResult:
    """Compute the innovation-box (イノベーション拠点税制) deduction.

    Args:
        inp: validated input.

    Returns:
        The deduction, the tax saving and the effective rate on the qualifying income, with the working.
    """
    ratio, effective = Fraction(inp.self_creation_ratio), Fraction(inp.effective_tax_rate)
    qualifying = 0 if inp.related_party else rules.floor_yen(inp.qualifying_income * ratio)
    base, steps = _base_steps(inp, ratio, qualifying)
    deduction, saving, on_income, more_steps = _deduction_steps(base, effective)
    notes = list(_NOTES)
    if inp.taxable_income is None:
        notes.append(
            "所得金額の入力がないため上限を考慮せず / taxable income not given: its limit not applied"
        )
    return InnovationBoxResult(
        input=inp,
        qualifying_amount=qualifying,
        deduction_base=base,
        deduction=deduction,
        tax_saving=saving,
        effective_rate_on_income=Ratio.of(on_income),
        steps=steps + more_steps,
        notes=notes,
        warnings=_warnings(inp),
    )
