"""R&D tax credit: the lines of the working (Figure builders, shared figures of one computation) and the
plain-text rendering of a result. Pure."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from tools import rd_credit_rules as rules
from tools.rd_credit_curves import RateChain
from tools.rd_credit_models import Figure, RdCreditInput, RdCreditResult
from tools.rd_credit_rules import Ratio, exact_decimal, format_percent, format_yen


def figure(
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


def bare_amount(amount: Fraction) -> str:
    """An amount inside a formula: digits with commas, no 円."""
    return format_yen(amount).removesuffix("円")


class CreditContext:
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
                figure(
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
                figure(
                    "average_sales",
                    "平均売上金額",
                    "average sales (this year + prior years)",
                    yen=self.average_sales,
                    working=f"({listed}) ÷ {len(inp.sales)} = {format_yen(self.average_sales)}",
                )
            )
            assert self.intensity is not None
            steps.append(
                figure(
                    "intensity",
                    "試験研究費割合",
                    "R&D intensity (R&D ÷ average sales)",
                    ratio=self.intensity,
                    working=f"{inp.rd:,} ÷ {bare_amount(self.average_sales)} = "
                    f"{format_percent(self.intensity)}",
                )
            )
        if self.increase is not None:
            assert self.comparative is not None
            steps.append(
                figure(
                    "increase_ratio",
                    "増減試験研究費割合",
                    "increase ratio",
                    ratio=self.increase,
                    working=f"({inp.rd:,} − {bare_amount(self.comparative)}) ÷ "
                    f"{bare_amount(self.comparative)} = {format_percent(self.increase)}",
                )
            )
        return steps


def _curve_working(kind: str, x: Fraction | None, base: Fraction) -> str:
    """How the rate was read off the curve, with the numbers."""
    if kind == "general":
        if x is None:
            return "設立事業年度または比較試験研究費0: 8.5% / founding year or zero comparative R&D: 8.5%"
        if x > rules.GENERAL_KINK:
            return f"11.5% + ({format_percent(x)} − 12%) × 0.375 = {format_percent(base)}"
        raw = rules.GENERAL_AT_KINK - (rules.GENERAL_KINK - x) * rules.GENERAL_SLOPE_DOWN
        working = f"11.5% − (12% − {format_percent(x)}) × 0.25 = {format_percent(raw)}"
        return working + (" → 下限1% / floor 1%" if raw < rules.GENERAL_FLOOR else "")
    if x is not None and x > rules.SME_KINK:
        return f"12% + ({format_percent(x)} − 12%) × 0.375 = {format_percent(base)}"
    return "12%（増減試験研究費割合12%以下または算定なし / increase ≤ 12% or none）"


def rate_steps(kind: str, ctx: CreditContext, chain: RateChain) -> list[Figure]:
    """The working from the curve to the 控除率: base rate, bonus, before truncation, applied rate."""
    steps = [
        figure(
            "base_rate",
            "控除率（割増前）",
            "rate from the curve",
            ratio=chain.base,
            working=_curve_working(kind, ctx.increase, chain.base),
        )
    ]
    base, bonus, before = chain.base, chain.bonus, chain.before
    if bonus is not None:
        assert ctx.intensity is not None
        steps.append(
            figure(
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
        figure(
            "rate_before_truncation",
            "控除率（切捨て前）",
            "rate before truncation",
            ratio=before,
            working=before_working,
        )
    )
    truncated, rate, ceiling = chain.truncated, chain.rate, chain.ceiling
    steps.append(
        figure(
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
    # the slide the figures cite (a rule key until the document bundle names it; retrieval/rule_slides.py)
    slide = steps[0].slide if steps else rules.SLIDE_RD_TAX
    heading = steps[0].heading if steps else None
    lines.append(
        (f"（根拠: {slide}「{heading}」）" if heading else f"（根拠: {slide}）")
        if ja
        else (f"(source: {slide} 「{heading}」)" if heading else f"(source: {slide})")
    )
    for warning in result.warnings:
        lines.append(("注意: " + warning.text_ja) if ja else ("Warning: " + warning.text_en))
    if result.notes:  # the assumptions in words; their ids are internal (kept in --json and the result)
        lines.append("前提:" if ja else "Assumptions:")
        lines += [f"・{note.text_ja if ja else note.text_en}" for note in result.notes]
    return "\n".join(lines)


def rd_credit_text(result: RdCreditResult, lang: Literal["ja", "en"] = "ja") -> str:
    """The R&D credit's plain-text answer: the credit and its rate first, then the whole working.

    Args:
        result: a computed result.
        lang: "ja" or "en".
    """
    rate = result.applied.rate.percent
    head = (
        f"税額控除額: {result.total_credit:,}円（控除率 {rate}）"
        if lang == "ja"
        else f"Credit: ¥{result.total_credit:,} (credit rate {rate})"
    )
    return f"{head}\n{summarize_rd_credit(result, lang)}"
