"""The R&D tax credit rate-curve chart's data: what is drawn, sampled from the tax tools' own curve functions.

The picture and the calculator agree because the curve is sampled from the tax tools' curve functions;
``charts.rate_curve`` draws the RateCurvePlot built here.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools import rd_credit_rules as rules
from tools.rd_credit import (
    RdCreditResult,
    general_rate_before_truncation,
    general_rate_curve,
    sme_rate_before_truncation,
    sme_rate_curve,
)

WIDTH_PX = 1200
HEIGHT_PX = 840
X_MIN = Fraction(-40, 100)
X_MAX = Fraction(30, 100)
# The widest axis ever drawn: -100% is the lowest ratio there is, and both curves are flat from +26% on,
# so a company past +60% is drawn at the edge, marked off-scale. This bounds the samples (and the memory
# and time a chart costs) whatever the input: at most 16,001 points.
AXIS_MIN = Fraction(-100, 100)
AXIS_MAX = Fraction(60, 100)
SAMPLE_STEP = Fraction(1, 10_000)  # 0.01 percentage point: the grid hits -30%, 0% and +12% exactly
# The untruncated curve is only used to find the floor/ceiling crossings (exact by interpolation on a
# linear piece), so a 0.1-point grid is enough and keeps rendering fast.
CROSSING_STEP = Fraction(1, 1_000)

CurveFunction = Callable[[Any, Any], Fraction]


class MarkedPoint(BaseModel):
    """A labelled point of the plain curve (the deck's landmarks)."""

    x_percent: float
    y_percent: float
    role: Literal["floor", "zero", "kink", "ceiling"]


class RateCurvePlot(BaseModel):
    """Exactly what the rate-curve chart draws (percent units); tests check this instead of pixels."""

    kind: Literal["general", "sme"]
    xs: list[float] = Field(description="Curve x values, 増減試験研究費割合 in %, every 0.01 point.")
    ys: list[float] = Field(
        description="Plain curve (no 控除割増率) 控除率 in %, as the tax tools compute it."
    )
    line_xs: list[float] = Field(description="The drawn line's vertices: xs with each 0.1-pt step collapsed.")
    line_ys: list[float] = Field(description="The drawn line's rates (a subset of ys).")
    bonus_ys: list[float] | None = Field(
        None, description="The company's own curve (with its 控除割増率) at xs; None when no bonus applies."
    )
    bonus_line_xs: list[float] | None = None
    bonus_line_ys: list[float] | None = None
    ceiling_percent: float
    floor_percent: float | None = Field(
        description="The rate floor (1% general); None when the curve has none."
    )
    marked_points: list[MarkedPoint]
    company_x_percent: float | None = Field(
        description="Company's 増減試験研究費割合 in %; None with no base."
    )
    company_off_scale: bool = Field(
        False, description="True when the company's ratio lies past the axis and is drawn at its edge."
    )
    company_rate_percent: float = Field(description="The 控除率 the calculator applied, in %.")
    intensity_percent: float | None = Field(description="試験研究費割合 in %, when sales were given.")
    bonus_applied: bool = Field(
        description="True when the 控除割増率 lifts the company above the plain curve."
    )
    rd: int = Field(description="試験研究費 the rate multiplies (after any OI part), yen.")
    credit_limit: int = Field(description="税額控除限度額 = 試験研究費 × 控除率, yen.")
    cap_percent: float | None = Field(description="控除上限割合 in %; None when no tax was given.")
    cap_amount: int | None = Field(description="控除上限額, yen; None when no tax was given.")
    credit: int = Field(description="税額控除額 of this type, yen.")
    cap_binds: bool
    suspended: bool = Field(description="Credit switched off by the 適用停止措置.")
    oi_credit: int | None = Field(None, description="Open-innovation credit on top, yen, if any.")
    total_credit: int = Field(description="Total R&D credit the calculator returned, yen.")


def _percent(value: Fraction) -> float:
    return float(value * 100)


def sample_curve(
    curve: CurveFunction,
    x_min: Fraction,
    x_max: Fraction,
    intensity: Fraction | None = None,
    *,
    step: Fraction = SAMPLE_STEP,
) -> tuple[list[Fraction], list[Fraction]]:
    """Evaluate a tax-tools curve exactly on a grid (0.01 point by default) from x_min to x_max (ratios).

    Args:
        curve: ``general_rate_curve`` / ``sme_rate_curve`` (or their before-truncation variants).
        x_min: lowest 増減試験研究費割合 (ratio).
        x_max: highest 増減試験研究費割合 (ratio).
        intensity: 試験研究費割合 for the 控除割増率, or None for the plain curve.
        step: grid spacing (ratio).

    Returns:
        (xs, ys) as exact fractions.
    """
    start = x_min // step
    stop = -((-x_max) // step)
    xs = [index * step for index in range(int(start), int(stop) + 1)]
    return xs, [curve(x, intensity) for x in xs]


def collapse_steps(
    xs: list[float], ys: list[float], *, long_run: float = 1.0
) -> tuple[list[float], list[float]]:
    """Thin a truncated (staircase) curve to a clean line that still passes only through true samples.

    Each flat run of equal rates becomes its midpoint; runs longer than ``long_run`` points of x (the floor,
    the ceiling) keep both ends so they stay flat. At chart size the 0.1-pt stairs otherwise look beaded.

    Args:
        xs: sampled x values (ascending).
        ys: the curve's values at xs.
        long_run: run length in x above which both ends are kept.

    Returns:
        (line_xs, line_ys), every pair taken from the input samples.
    """
    line_xs: list[float] = []
    line_ys: list[float] = []
    start = 0
    for index in range(1, len(xs) + 1):
        if index < len(xs) and ys[index] == ys[start]:
            continue
        end = index - 1
        is_edge = start == 0 or end == len(xs) - 1
        if xs[end] - xs[start] > long_run or is_edge:
            picks = [start, end] if end > start else [start]
        else:
            picks = [(start + end) // 2]
        for pick in picks:
            line_xs.append(xs[pick])
            line_ys.append(ys[pick])
        start = index
    return line_xs, line_ys


def _crossing(
    xs: list[Fraction], ys: list[Fraction], level: Fraction, *, rising_above: bool
) -> Fraction | None:
    """Exact x where a piecewise-linear sampled curve leaves (rising_above=True) or reaches ``level``.

    Interpolates inside the grid cell where it happens; exact because the tools' untruncated curve is
    linear between its kinks.
    """
    for index in range(1, len(xs)):
        before, after = ys[index - 1], ys[index]
        crossed = (before <= level < after) if rising_above else (before < level <= after)
        if crossed:
            return xs[index - 1] + (level - before) * (xs[index] - xs[index - 1]) / (after - before)
    return None


def _curve_parameters(
    kind: Literal["general", "sme"],
) -> tuple[CurveFunction, CurveFunction, Fraction, Fraction | None, Fraction]:
    """(curve, untruncated curve, ceiling, floor, kink) of the given credit type."""
    if kind == "general":
        return (
            general_rate_curve,
            general_rate_before_truncation,
            rules.GENERAL_CEILING,
            rules.GENERAL_FLOOR,
            rules.GENERAL_KINK,
        )
    return sme_rate_curve, sme_rate_before_truncation, rules.SME_CEILING, None, rules.SME_KINK


def _axis_range(company_x: Fraction | None) -> tuple[Fraction, Fraction]:
    """The x range drawn (ratios): the default, widened to keep the company on the chart."""
    x_min, x_max = X_MIN, X_MAX
    if company_x is not None:
        # Keep the company on the chart with room past its point, on round 10-point ticks, within the axis.
        x_min = max(AXIS_MIN, min(x_min, Fraction(10 * ((company_x * 100 - 5) // 10), 100)))
        x_max = min(AXIS_MAX, max(x_max, Fraction(-10 * ((-company_x * 100 - 5) // 10), 100)))
    return x_min, x_max


def _marked_points(
    kind: Literal["general", "sme"],
    curve: CurveFunction,
    untruncated: CurveFunction,
    limits: tuple[Fraction, Fraction | None, Fraction],
    x_range: tuple[Fraction, Fraction],
) -> list[MarkedPoint]:
    """The plain curve's landmarks (floor and ceiling crossings, zero, kink) that fall on the curve."""
    ceiling, floor, kink = limits
    raw_xs, raw = sample_curve(untruncated, x_range[0], x_range[1], step=CROSSING_STEP)
    marked_xs: dict[str, Fraction | None] = {}
    if floor is not None:
        marked_xs["floor"] = _crossing(raw_xs, raw, floor, rising_above=True)
    marked_xs["zero"] = Fraction(0) if kind == "general" else None
    marked_xs["kink"] = kink
    marked_xs["ceiling"] = _crossing(raw_xs, raw, ceiling, rising_above=False)
    return [
        MarkedPoint(x_percent=_percent(x), y_percent=_percent(curve(x, None)), role=role)  # type: ignore[arg-type]
        for role, x in marked_xs.items()
        if x is not None
    ]


def _bonus_curve(
    curve: CurveFunction,
    x_range: tuple[Fraction, Fraction],
    intensity: Fraction | None,
    xs_percent: list[float],
) -> tuple[list[float], list[float], list[float]]:
    """The company's own curve (with its 控除割増率): (bonus_ys, bonus_line_xs, bonus_line_ys)."""
    _, bonus_curve = sample_curve(curve, x_range[0], x_range[1], intensity)
    bonus_ys = [_percent(y) for y in bonus_curve]
    bonus_line_xs, bonus_line_ys = collapse_steps(xs_percent, bonus_ys)
    return bonus_ys, bonus_line_xs, bonus_line_ys


def _result_fields(result: RdCreditResult) -> dict[str, Any]:
    """The RateCurvePlot fields copied from the calculator's amounts (yen, cap and flags)."""
    breakdown = result.applied
    cap_pct = breakdown.cap_pct.value if breakdown.cap_pct is not None else None
    return {
        "company_rate_percent": _percent(breakdown.rate.value),
        "rd": breakdown.credit_base_rd,
        "credit_limit": breakdown.credit_limit,
        "cap_percent": _percent(cap_pct) if cap_pct is not None else None,
        "cap_amount": breakdown.cap_amount,
        "credit": breakdown.credit,
        "cap_binds": breakdown.cap_binds,
        "suspended": breakdown.suspended,
        "oi_credit": result.oi.credit if result.oi is not None else None,
        "total_credit": result.total_credit,
    }


def build_rate_curve_plot(result: RdCreditResult) -> RateCurvePlot:
    """Assemble the plotted data from a calculator result, sampling the tax tools' own curve functions.

    Args:
        result: what ``compute_rd_credit`` returned.

    Returns:
        The RateCurvePlot to draw.
    """
    breakdown = result.applied
    kind: Literal["general", "sme"] = breakdown.kind
    curve, untruncated, ceiling, floor, kink = _curve_parameters(kind)
    company_x = breakdown.increase_ratio.value if breakdown.increase_ratio is not None else None
    intensity = breakdown.intensity.value if breakdown.intensity is not None else None
    x_min, x_max = _axis_range(company_x)
    xs, ys = sample_curve(curve, x_min, x_max)
    marked = _marked_points(kind, curve, untruncated, (ceiling, floor, kink), (x_min, x_max))

    xs_percent = [_percent(x) for x in xs]
    ys_percent = [_percent(y) for y in ys]
    line_xs, line_ys = collapse_steps(xs_percent, ys_percent)
    plain_rate = curve(company_x, None) if company_x is not None else None
    bonus_applied = breakdown.bonus_ratio is not None and (
        plain_rate is None or breakdown.rate.value > plain_rate
    )
    bonus_ys = bonus_line_xs = bonus_line_ys = None
    if bonus_applied and company_x is not None:
        bonus_ys, bonus_line_xs, bonus_line_ys = _bonus_curve(curve, (x_min, x_max), intensity, xs_percent)
    return RateCurvePlot(
        kind=kind,
        xs=xs_percent,
        ys=ys_percent,
        line_xs=line_xs,
        line_ys=line_ys,
        bonus_ys=bonus_ys,
        bonus_line_xs=bonus_line_xs,
        bonus_line_ys=bonus_line_ys,
        ceiling_percent=_percent(ceiling),
        floor_percent=_percent(floor) if floor is not None else None,
        marked_points=marked,
        company_x_percent=_percent(company_x) if company_x is not None else None,
        company_off_scale=company_x is not None and not x_min <= company_x <= x_max,
        intensity_percent=_percent(intensity) if intensity is not None else None,
        bonus_applied=bonus_applied,
        **_result_fields(result),
    )
