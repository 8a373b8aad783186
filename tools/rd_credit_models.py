"""R&D tax credit (研究開発税制): the input and result models, and raw-input validation. Pure.

The computation is in tools/rd_credit_compute.py, the lines of the working in tools/rd_credit_working.py;
tools/rd_credit.py re-exports the public names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from tools.amounts import parse_amount
from tools.errors import ToolInputError, tool_error_from_validation
from tools.rd_credit_rules import Ratio
from tools.spec import Cli


def _to_yen(value: Any) -> int:
    return parse_amount(value, field="input")


Yen = Annotated[int, BeforeValidator(_to_yen), Cli(metavar="AMOUNT")]
"""An amount in whole yen; accepts ints and strings such as ``"12億"`` or ``"1,200,000,000"``."""

OptionalZeroYen = Annotated[
    int, BeforeValidator(lambda value: 0 if value in (None, "") else _to_yen(value)), Cli(metavar="AMOUNT")
]
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
    prior_rd: Annotated[list[Yen], Cli(names=("--prior",))] = Field(
        default_factory=list, description="試験研究費 of the prior fiscal years (1-3 values, any order), 円"
    )
    sales: list[Yen] | None = Field(
        None, description="売上金額, current year first then up to 3 prior years, 円; None = intensity ≤ 10%"
    )
    tax: Yen | None = Field(None, description="調整前法人税額, 円; None = do not apply the cap")
    company: Annotated[Literal["large", "sme"], Cli(flags={"--sme": "sme"})] = Field(
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
    heading: str | None = Field(None, description="slide subtitle, as the deck prints it")
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
