"""R&D tax credit: the rate curves and the cap percentages (exact fractions). Pure; also used by the chart."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from tools import rd_credit_rules as rules
from tools.rd_credit_rules import format_percent, truncate_rate


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


@dataclass(frozen=True)
class RateChain:
    """One type's 控除率 step by step: curve, bonus, before truncation, truncated, ceiling, applied."""

    base: Fraction
    bonus: Fraction | None
    before: Fraction
    truncated: Fraction
    ceiling: Fraction
    rate: Fraction


def rate_chain(
    kind: Literal["general", "sme"], increase: Fraction | None, intensity: Fraction | None
) -> RateChain:
    """The general or SME 控除率 for an increase ratio and intensity, with every intermediate rate."""
    base = general_base_rate(increase) if kind == "general" else sme_base_rate(increase)
    bonus = bonus_ratio(intensity)
    before = base if bonus is None else base + base * bonus
    truncated = truncate_rate(before)
    ceiling = rules.GENERAL_CEILING if kind == "general" else rules.SME_CEILING
    return RateChain(base, bonus, before, truncated, ceiling, min(truncated, ceiling))
