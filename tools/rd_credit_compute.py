"""R&D tax credit (研究開発税制, deck regime): general / SME / OI types, caps, 90% rule. Exact arithmetic.

Rules and named assumptions live in tools/rd_credit_rules.py; each branch below that applies one cites its id.
"""

from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import Literal

from tools import rd_credit_rules as rules
from tools.rd_credit_curves import RateChain, general_cap_pct, rate_chain, sme_cap_pct
from tools.rd_credit_models import (
    Figure,
    NinetyPercentRule,
    Note,
    OiAmounts,
    OiBreakdown,
    RdCreditInput,
    RdCreditResult,
    ResultWarning,
    TypeBreakdown,
)
from tools.rd_credit_rules import ASSUMPTIONS, Ratio, exact_decimal, format_percent, format_yen
from tools.rd_credit_working import CreditContext, bare_amount, figure, rate_steps


def _suspension_applies(inp: RdCreditInput) -> bool:
    """Whether the large-company suspension test switches the credit off (the caller says it failed)."""
    return inp.credit_suspended and inp.company == "large"


def _capped_credit(limit: int, cap_amount: int | None, *, suspended: bool) -> int:
    """The credit: the limit, cut to the cap where one applies; 0 when switched off by suspension."""
    if suspended:
        return 0
    return limit if cap_amount is None else min(limit, cap_amount)


def _cap(kind: str, ctx: CreditContext, *, venture: bool) -> tuple[Fraction | None, str, str]:
    """控除上限割合 of one type with its reason (ja, en); None when no tax was given (no cap)."""
    inp = ctx.inp
    if inp.tax is None:
        return None, "調整前法人税額の入力なし: 控除上限を適用せず", "tax not given: no cap applied"
    if inp.basic_cap_only:
        pct = rules.CAP_BASE if kind == "general" else rules.SME_CAP_BASE
        return pct, "原則25%のみ（指定による）", "basic 25% only (as asked)"
    if kind == "general":
        return general_cap_pct(ctx.increase, ctx.intensity, venture=venture)
    return sme_cap_pct(ctx.increase, ctx.intensity)


def _limit_step(ctx: CreditContext, rate: Fraction, limit: int) -> list[Figure]:
    inp = ctx.inp
    base_working = f"({inp.rd:,} − OI型 {ctx.oi_claimed:,})" if ctx.oi_claimed else f"{inp.rd:,}"
    working = f"{base_working} × {format_percent(rate)} = {format_yen(limit)}"
    return [figure("credit_limit", "税額控除限度額", "credit before the cap", yen=limit, working=working)]


def _cap_steps(tax: int, cap_pct: Fraction, cap_amount: int, reason_ja: str, reason_en: str) -> list[Figure]:
    working = f"{tax:,} × {format_percent(cap_pct)} = {format_yen(cap_amount)}"
    return [
        figure(
            "cap_pct",
            "控除上限割合",
            "cap (share of corporate tax)",
            ratio=cap_pct,
            working=f"{reason_ja} / {reason_en}",
        ),
        figure("cap_amount", "控除上限額", "cap amount", yen=cap_amount, working=working),
    ]


def _credit_step(limit: int, cap_amount: int | None, credit: int, *, suspended: bool) -> list[Figure]:
    if suspended:
        working = "適用停止措置により0円 / switched off by the suspension test"
    elif cap_amount is None:
        working = "控除上限なし（調整前法人税額の入力なし） / no cap (tax not given)"
    else:
        working = f"min({bare_amount(limit)}, {bare_amount(cap_amount)}) = {format_yen(credit)}"
        working += "（上限が適用 / cap binds）" if cap_amount < limit else ""
    return [figure("credit", "税額控除額", "credit", yen=credit, working=working)]


def _type_breakdown(kind: Literal["general", "sme"], ctx: CreditContext, *, venture: bool) -> TypeBreakdown:
    inp = ctx.inp
    chain = rate_chain(kind, ctx.increase, ctx.intensity)
    credit_base = inp.rd - ctx.oi_claimed
    limit = rules.floor_yen(credit_base * chain.rate)
    steps = ctx.common_steps() + rate_steps(kind, ctx, chain) + _limit_step(ctx, chain.rate, limit)
    cap_pct, reason_ja, reason_en = _cap(kind, ctx, venture=venture)
    cap_amount: int | None = None
    if cap_pct is not None and inp.tax is not None:
        cap_amount = rules.floor_yen(inp.tax * cap_pct)
        steps += _cap_steps(inp.tax, cap_pct, cap_amount, reason_ja, reason_en)
    suspended = kind == "general" and _suspension_applies(inp)
    credit = _capped_credit(limit, cap_amount, suspended=suspended)
    steps += _credit_step(limit, cap_amount, credit, suspended=suspended)
    return TypeBreakdown(
        kind=kind,
        rd_total=inp.rd,
        oi_claimed=ctx.oi_claimed,
        credit_base_rd=credit_base,
        zero_base=ctx.zero_base,
        comparative_rd=None if ctx.comparative is None else exact_decimal(ctx.comparative),
        average_sales=None if ctx.average_sales is None else exact_decimal(ctx.average_sales),
        increase_ratio=None if ctx.increase is None else Ratio.of(ctx.increase),
        intensity=None if ctx.intensity is None else Ratio.of(ctx.intensity),
        **_rate_fields(chain),
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


def _rate_fields(chain: RateChain) -> dict[str, Ratio | None]:
    return {
        "base_rate": Ratio.of(chain.base),
        "bonus_ratio": None if chain.bonus is None else Ratio.of(chain.bonus),
        "rate_before_truncation": Ratio.of(chain.before),
        "rate_truncated": Ratio.of(chain.truncated),
        "rate": Ratio.of(chain.rate),
    }


def _oi_breakdown(inp: RdCreditInput, oi: OiAmounts) -> OiBreakdown:
    exact = (
        oi.university * rules.OI_RATE_UNIVERSITY
        + oi.startup * rules.OI_RATE_STARTUP
        + oi.other * rules.OI_RATE_OTHER
    )
    limit = rules.floor_yen(exact)
    steps = [
        figure(
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
            figure(
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
        figure(
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
    spec_fig = partial(figure, slide=rules.SPEC_SOURCE, heading=None, basis="C2")
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


def _regime_warnings(inp: RdCreditInput, ctx: CreditContext) -> tuple[bool, list[ResultWarning]]:
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


def _input_notes(ctx: CreditContext, warnings: list[ResultWarning]) -> None:
    """Note the assumptions the inputs call for (prior years, founding year, missing sales / tax, OI)."""
    inp = ctx.inp
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
    for applies, assumption in (
        (inp.sales is None, "A14-sales-not-given"),
        (inp.tax is None, "A15-tax-not-given"),
        (inp.basic_cap_only, "A16-basic-cap-only"),
        (bool(ctx.oi_claimed), "A06-oi-method-a"),
    ):
        if applies:
            ctx.note(assumption)


def _sme_type(ctx: CreditContext, warnings: list[ResultWarning]) -> tuple[TypeBreakdown, int]:
    """The SME type applied, and what the general type would have given (shown for reference)."""
    inp = ctx.inp
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
    return sme, alternative


def _general_type(ctx: CreditContext, warnings: list[ResultWarning]) -> TypeBreakdown:
    inp = ctx.inp
    general = _type_breakdown("general", ctx, venture=inp.venture)
    if ctx.zero_base:
        ctx.note("A05-zero-base-no-variable-cap")
    if inp.venture:
        ctx.note("A08-venture-stacks")
        low_intensity = not (ctx.intensity is not None and ctx.intensity > rules.INTENSITY_THRESHOLD)
        if ctx.increase is not None and ctx.increase < -rules.CAP_VARIABLE_THRESHOLD and low_intensity:
            ctx.note("A07-venture-reduction-applies")
    if inp.credit_suspended:
        warnings.append(
            ResultWarning(
                code="credit-suspended",
                text_ja="適用停止措置（措法42条の13⑤）に該当するため税額控除は0円です。",
                text_en="The suspension test (措法42条の13⑤) applies, so the credit is 0.",
            )
        )
    return general


def compute_rd_credit(inp: RdCreditInput) -> RdCreditResult:
    """Compute the R&D tax credit for one company-year under the deck's regime, with the working.

    Args:
        inp: validated input (use ``parse_rdcredit_input`` for raw data).

    Returns:
        RdCreditResult: ``total_credit`` (int 円), general or SME breakdown, OI, 90% rule, notes, warnings.
    """
    ctx = CreditContext(inp)
    in_regime, warnings = _regime_warnings(inp, ctx)
    _input_notes(ctx, warnings)
    general = sme = None
    alternative = None
    if inp.company == "sme":
        sme, alternative = _sme_type(ctx, warnings)
        main = sme
    else:
        main = general = _general_type(ctx, warnings)
    oi = None
    if inp.oi is not None and inp.oi.total > 0:
        oi = _oi_breakdown(inp, inp.oi)
        if oi.suspended:
            ctx.note("A11-suspension-covers-oi")
    rd_credits = [main.credit] + ([oi.credit] if oi else [])
    ninety = _ninety_percent(inp, rd_credits)
    if ninety.binds:
        ctx.note("A10-ninety-percent-order")
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
        total_credit=sum(rd_credits) - ninety.lost_rd_credit,
        general=general,
        sme=sme,
        oi=oi,
        ninety_percent_rule=ninety if ninety.credits_count >= 2 else None,
        alternative_general_credit=alternative,
        in_regime=in_regime,
        notes=notes,
        warnings=warnings,
    )
