"""The R&D tax credit rate-curve chart: the statutory curve, the company's point, and its cap usage.

The curve is sampled from the tax tools' own curve functions, so the picture and the calculator agree.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from pydantic import BaseModel, Field

from charts.style import (
    ACCENT,
    BAD,
    GRID,
    INK,
    MUTED,
    NEUTRAL,
    NEUTRAL_LIGHT,
    ChartImage,
    Lang,
    bold_effect,
    format_percent,
    format_yen_exact,
    format_yen_short,
    new_figure,
    render_png,
)
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


def build_rate_curve_plot(result: RdCreditResult) -> RateCurvePlot:
    """Assemble the plotted data from a calculator result, sampling the tax tools' own curve functions.

    Args:
        result: what ``compute_rd_credit`` returned.

    Returns:
        The RateCurvePlot to draw.
    """
    breakdown = result.applied
    kind: Literal["general", "sme"] = breakdown.kind
    if kind == "general":
        curve, untruncated = general_rate_curve, general_rate_before_truncation
        ceiling, floor, kink = rules.GENERAL_CEILING, rules.GENERAL_FLOOR, rules.GENERAL_KINK
    else:
        curve, untruncated = sme_rate_curve, sme_rate_before_truncation
        ceiling, floor, kink = rules.SME_CEILING, None, rules.SME_KINK
    company_x = breakdown.increase_ratio.value if breakdown.increase_ratio is not None else None
    intensity = breakdown.intensity.value if breakdown.intensity is not None else None
    x_min, x_max = X_MIN, X_MAX
    if company_x is not None:
        # Keep the company on the chart with room past its point, on round 10-point ticks, within the axis.
        x_min = max(AXIS_MIN, min(x_min, Fraction(10 * ((company_x * 100 - 5) // 10), 100)))
        x_max = min(AXIS_MAX, max(x_max, Fraction(-10 * ((-company_x * 100 - 5) // 10), 100)))
    xs, ys = sample_curve(curve, x_min, x_max)
    raw_xs, raw = sample_curve(untruncated, x_min, x_max, step=CROSSING_STEP)

    marked_xs: dict[str, Fraction | None] = {}
    if floor is not None:
        marked_xs["floor"] = _crossing(raw_xs, raw, floor, rising_above=True)
    marked_xs["zero"] = Fraction(0) if kind == "general" else None
    marked_xs["kink"] = kink
    marked_xs["ceiling"] = _crossing(raw_xs, raw, ceiling, rising_above=False)
    marked = [
        MarkedPoint(x_percent=_percent(x), y_percent=_percent(curve(x, None)), role=role)  # type: ignore[arg-type]
        for role, x in marked_xs.items()
        if x is not None
    ]

    xs_percent = [_percent(x) for x in xs]
    ys_percent = [_percent(y) for y in ys]
    line_xs, line_ys = collapse_steps(xs_percent, ys_percent)
    plain_rate = curve(company_x, None) if company_x is not None else None
    bonus_applied = breakdown.bonus_ratio is not None and (
        plain_rate is None or breakdown.rate.value > plain_rate
    )
    bonus_ys = bonus_line_xs = bonus_line_ys = None
    if bonus_applied and company_x is not None:
        _, bonus_curve = sample_curve(curve, x_min, x_max, intensity)
        bonus_ys = [_percent(y) for y in bonus_curve]
        bonus_line_xs, bonus_line_ys = collapse_steps(xs_percent, bonus_ys)
    cap_pct = breakdown.cap_pct.value if breakdown.cap_pct is not None else None
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
        company_rate_percent=_percent(breakdown.rate.value),
        intensity_percent=_percent(intensity) if intensity is not None else None,
        bonus_applied=bonus_applied,
        rd=breakdown.credit_base_rd,
        credit_limit=breakdown.credit_limit,
        cap_percent=_percent(cap_pct) if cap_pct is not None else None,
        cap_amount=breakdown.cap_amount,
        credit=breakdown.credit,
        cap_binds=breakdown.cap_binds,
        suspended=breakdown.suspended,
        oi_credit=result.oi.credit if result.oi is not None else None,
        total_credit=result.total_credit,
    )


_TEXT = {
    "ja": {
        "title_general": "研究開発税制（一般型）の控除率",
        "title_sme": "研究開発税制（中小企業技術基盤強化税制）の控除率",
        "xlabel": "増減試験研究費割合（前3年平均比の増減）",
        "ylabel": "控除率",
        "ceiling": "上限 {v}",
        "floor": "下限 {v}",
        "plain": "控除率カーブ",
        "bonus_curve": "試験研究費割合 {s} の控除割増率を加算したカーブ",
        "company": "貴社 {x} → {r}",
        "company_off_scale": "貴社 {x}（目盛りの外）→ {r}",
        "company_zero_base": "貴社（比較試験研究費なし）{r}",
        "to_ceiling": "上限まで {d}pt",
        "at_ceiling": "上限に到達",
        "bonus": "控除割増率を加算",
        "cap_title": "控除上限 {c}（調整前法人税額に対する割合）",
        "cap_title_none": "控除上限: 調整前法人税額の入力がないため未適用",
        "cap_label": "控除上限額",
        "credit_label": "税額控除額",
        "limit_label": "税額控除限度額",
        "cap_binds": "上限で頭打ち: {lost} 控除できず",
        "cap_room": "上限の {u} を使用",
        "suspended": "適用停止措置により 0円",
        "oi": "＋ OI型（別枠）{oi} ＝ 合計 {total}",
    },
    "en": {
        "title_general": "R&D tax credit (general type): credit rate",
        "title_sme": "R&D tax credit (SME type): credit rate",
        "xlabel": "Change in R&D spending vs. prior 3-year average",
        "ylabel": "Credit rate",
        "ceiling": "ceiling {v}",
        "floor": "floor {v}",
        "plain": "rate curve",
        "bonus_curve": "with the intensity bonus at R&D/sales {s}",
        "company": "Your company {x} → {r}",
        "company_off_scale": "Your company {x} (off the scale) → {r}",
        "company_zero_base": "Your company (no comparative R&D) {r}",
        "to_ceiling": "{d} pt below the ceiling",
        "at_ceiling": "at the ceiling",
        "bonus": "intensity bonus added",
        "cap_title": "Credit cap: {c} of corporate tax before credits",
        "cap_title_none": "Credit cap: not applied (corporate tax not given)",
        "cap_label": "Cap amount",
        "credit_label": "Credit",
        "limit_label": "R&D × rate",
        "cap_binds": "cap binds: {lost} not creditable",
        "cap_room": "{u} of the cap used",
        "suspended": "0 (suspension test applies)",
        "oi": "+ open-innovation credit (own cap) {oi} = total {total}",
    },
}

_MARK_OFFSETS: dict[str, tuple[int, int, str]] = {
    # role -> (dx, dy, ha) in points: the floor label goes above-left, where nothing else is drawn.
    "floor": (-8, 9, "right"),
    "zero": (7, -12, "left"),
    "kink": (7, -12, "left"),
    "ceiling": (7, -12, "left"),
}


def _company_label_position(
    plot: RateCurvePlot, cx: float, rate: float
) -> tuple[tuple[float, float], str, str, str]:
    """Where the company's label box goes: (xy, coords, ha, va), chosen to land on empty plot area.

    Both curves never fall, so the area up-left of a point on a rising part and the area below a point on a
    flat part are empty. Points on the general floor (or with no ratio) get the empty upper-left corner.
    """
    span = plot.xs[-1] - plot.xs[0]
    on_floor = plot.floor_percent is not None and rate <= plot.floor_percent + 0.05
    flat_sme = plot.kind == "sme" and rate <= plot.ys[0] + 0.05
    if plot.company_x_percent is None or on_floor:
        return (0.03, 0.72), "axes fraction", "left", "top"
    if flat_sme and (cx - plot.xs[0]) / span < 0.45:
        return (0, -40), "offset points", "center", "top"
    if (cx - plot.xs[0]) / span >= 0.45 or flat_sme:
        return (-18, 14), "offset points", "right", "bottom"
    return (24, -14), "offset points", "left", "top"


def _draw_curve_panel(ax: Axes, plot: RateCurvePlot, lang: Lang) -> None:
    text = _TEXT[lang]
    ax.plot(
        plot.line_xs,
        plot.line_ys,
        color=NEUTRAL,
        linewidth=2.4,
        gid="rate-curve",
        zorder=3,
        solid_joinstyle="round",
        solid_capstyle="round",
        label=text["plain"],
    )
    if plot.bonus_line_xs is not None and plot.bonus_line_ys is not None:
        ax.plot(
            plot.bonus_line_xs,
            plot.bonus_line_ys,
            color=ACCENT,
            linewidth=1.6,
            linestyle="--",
            gid="bonus-curve",
            zorder=3,
            label=text["bonus_curve"].format(s=format_percent(plot.intensity_percent or 0, max_decimals=2)),
        )
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.08))  # under the curves: always empty
    left, right = plot.xs[0], plot.xs[-1]
    top = plot.ceiling_percent
    ax.axhline(top, color=MUTED, linestyle="--", linewidth=1.1, gid="ceiling", zorder=2)
    # Ceiling label at the left end (the curve is low there), floor label at the right end (curve is high).
    ax.text(
        left + 0.5,
        top + 0.2,
        text["ceiling"].format(v=format_percent(top)),
        color=MUTED,
        fontsize=9,
        va="bottom",
        ha="left",
    )
    if plot.floor_percent is not None:
        ax.axhline(plot.floor_percent, color=MUTED, linestyle=":", linewidth=1.1, gid="floor", zorder=2)
        ax.text(
            right,
            plot.floor_percent + 0.2,
            text["floor"].format(v=format_percent(plot.floor_percent)),
            color=MUTED,
            fontsize=9,
            va="bottom",
            ha="right",
        )
    ax.axvline(0, color=GRID, linewidth=1.2, zorder=1)

    for point in plot.marked_points:
        ax.plot(
            [point.x_percent],
            [point.y_percent],
            marker="o",
            markersize=5,
            color=NEUTRAL,
            markerfacecolor="white",
            markeredgewidth=1.5,
            linestyle="none",
            zorder=4,
            gid=f"marked-{point.role}",
        )
        if plot.company_x_percent is not None and abs(point.x_percent - plot.company_x_percent) < 3:
            continue  # the company's own label states this point; two labels would collide
        dx, dy, ha = _MARK_OFFSETS[point.role]
        x_text = format_percent(point.x_percent, max_decimals=2, signed=True)
        label = f"{x_text} → {format_percent(point.y_percent)}"
        ax.annotate(
            label,
            (point.x_percent, point.y_percent),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=8.5,
            color=MUTED,
            ha=ha,
            va="center",
            zorder=4,
        )

    rate = plot.company_rate_percent
    if plot.company_x_percent is not None:
        cx = min(max(plot.company_x_percent, left), right)  # an off-scale company sits on the axis edge
        ax.plot(
            [cx],
            [rate],
            marker=(">" if cx == right else "<") if plot.company_off_scale else "o",
            markersize=11,
            color=ACCENT,
            markeredgecolor="white",
            markeredgewidth=1.8,
            linestyle="none",
            zorder=6,
            gid="company-point",
        )
        ax.vlines(cx, 0, rate, colors=ACCENT, linestyles=":", linewidth=1.2, zorder=5)
        label = text["company_off_scale" if plot.company_off_scale else "company"].format(
            x=format_percent(plot.company_x_percent, max_decimals=2, signed=True), r=format_percent(rate)
        )
    else:
        # No comparative R&D (founding year): the rate is fixed, so show it as a level, not a point.
        cx = left
        ax.axhline(rate, color=ACCENT, linewidth=1.6, linestyle="-.", zorder=5, gid="company-rate")
        label = text["company_zero_base"].format(r=format_percent(rate))
    distance = round(plot.ceiling_percent - rate, 3)
    detail = (
        text["at_ceiling"] if distance <= 0 else text["to_ceiling"].format(d=format_percent(distance)[:-1])
    )
    if plot.bonus_applied:
        detail += " · " + text["bonus"]
    box_xy, coords, ha, va = _company_label_position(plot, cx, rate)
    ax.annotate(
        f"{label}\n{detail}",
        (cx, rate),
        xytext=box_xy,
        textcoords=coords,
        ha=ha,
        va=va,
        multialignment="left",
        fontsize=10.5,
        color=ACCENT,
        path_effects=bold_effect(ACCENT, 0.5),
        bbox={"boxstyle": "round,pad=0.45", "facecolor": "white", "edgecolor": ACCENT, "linewidth": 1.2},
        arrowprops=(
            {"arrowstyle": "-", "color": ACCENT, "linewidth": 1.2, "shrinkB": 7}
            if plot.company_x_percent is not None
            else None
        ),
        zorder=7,
        gid="company-label",
    )

    ax.set_xlim(left, right)
    ax.set_ylim(0, top * 1.2)
    ax.xaxis.set_major_formatter(lambda value, _pos: format_percent(value, max_decimals=0, signed=True))
    ax.yaxis.set_major_formatter(lambda value, _pos: format_percent(value, max_decimals=1))
    ax.set_xlabel(text["xlabel"])
    ax.set_ylabel(text["ylabel"])
    ax.set_title(
        text["title_sme" if plot.kind == "sme" else "title_general"],
        loc="left",
        fontsize=13,
        path_effects=bold_effect(),
    )


def _draw_cap_panel(ax: Axes, plot: RateCurvePlot, lang: Lang) -> None:
    text = _TEXT[lang]
    limit, credit = plot.credit_limit, plot.credit
    cap = plot.cap_amount
    cap_row, credit_row = 1, 0
    longest = max(cap or 0, limit, 1)
    pad = longest * 0.012
    if cap is not None:
        ax.barh(cap_row, cap, height=0.56, color=NEUTRAL_LIGHT, edgecolor=NEUTRAL, gid="cap-bar")
        ax.text(
            cap + pad, cap_row, format_yen_short(cap, lang), va="center", ha="left", fontsize=10, color=INK
        )
    else:
        ax.barh(cap_row, limit, height=0.56, color=NEUTRAL_LIGHT, edgecolor=NEUTRAL, gid="limit-bar")
        ax.text(
            limit + pad,
            cap_row,
            format_yen_short(limit, lang),
            va="center",
            ha="left",
            fontsize=10,
            color=INK,
        )
    if plot.cap_binds or plot.suspended:
        # The part of 試験研究費×控除率 not credited, hatched: what the cap (or suspension) takes away.
        ax.barh(
            credit_row,
            limit,
            height=0.56,
            color="white",
            edgecolor=BAD,
            hatch="///",
            linewidth=1,
            gid="lost-bar",
        )
    ax.barh(credit_row, credit, height=0.56, color=ACCENT, edgecolor=ACCENT, gid="credit-bar")
    if plot.suspended:
        note, colour = text["suspended"], BAD
        amount = ""
    elif plot.cap_binds:
        note, colour = text["cap_binds"].format(lost=format_yen_short(limit - credit, lang)), BAD
        amount = format_yen_short(credit, lang)
    elif cap:
        note = text["cap_room"].format(u=format_percent(100 * credit / cap, max_decimals=1))
        colour, amount = INK, format_yen_short(credit, lang)
    else:
        note, colour, amount = "", INK, format_yen_short(credit, lang)
    label = f"{amount}  ({note})" if amount and note else (amount or note)
    if plot.oi_credit:
        # The open-innovation credit has its own 10% cap, so it is stated beside, not inside, this bar.
        label += "\n" + text["oi"].format(
            oi=format_yen_short(plot.oi_credit, lang), total=format_yen_short(plot.total_credit, lang)
        )
    ax.text(
        max(limit if (plot.cap_binds or plot.suspended) else credit, 0) + pad,
        credit_row,
        label,
        va="center",
        ha="left",
        fontsize=10,
        color=colour,
        path_effects=bold_effect(colour, 0.4),
    )
    ax.set_yticks(
        [cap_row, credit_row],
        [text["cap_label"] if cap is not None else text["limit_label"], text["credit_label"]],
    )
    ax.set_xlim(0, longest * 1.8)
    ax.set_ylim(-0.55, 1.55)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_xticks([])
    title = (
        text["cap_title"].format(c=format_percent(plot.cap_percent))
        if plot.cap_percent is not None
        else text["cap_title_none"]
    )
    ax.set_title(title, loc="left", fontsize=11, path_effects=bold_effect(INK, 0.4))


def draw_rate_curve(plot: RateCurvePlot, lang: Lang) -> Figure:
    """Draw the two-panel rate-curve figure (call inside `chart_style()`).

    Args:
        plot: the plotted data.
        lang: label language.

    Returns:
        The matplotlib Figure (Agg canvas attached).
    """
    figure = new_figure(WIDTH_PX, HEIGHT_PX)
    curve_ax, cap_ax = figure.subplots(2, 1, height_ratios=[3.2, 1])
    _draw_curve_panel(curve_ax, plot, lang)
    _draw_cap_panel(cap_ax, plot, lang)
    return figure


# Alt-text pieces: the same sentence plan in each language (English pieces carry their own spaces).
_ALT_TEXT = {
    "ja": {
        "kind_sme": "中小企業技術基盤強化税制",
        "kind_general": "一般型",
        "where": "増減試験研究費割合 {x} で",
        "where_no_base": "比較試験研究費がないため",
        "at_ceiling": "上限 {ceiling} に到達",
        "below_ceiling": "上限 {ceiling} まで {distance}ポイント",
        "head": "研究開発税制（{kind}）の控除率カーブ。{where}控除率 {rate}（{headroom}）。",
        "bonus": "控除割増率を加算済み。",
        "limit": "税額控除限度額 {limit}、",
        "cap": "控除上限 {cap}（{amount}）、",
        "no_cap": "控除上限は未適用（調整前法人税額の入力なし）、",
        "credit": "税額控除額 {credit}（{state}）。",
        "state_suspended": "適用停止措置により0円",
        "state_binds": "控除上限で頭打ち",
        "state_within": "上限内",
        "state_no_cap": "上限なし",
        "oi": "OI型 {oi} を含む合計 {total}。",
    },
    "en": {
        "kind_sme": "SME type",
        "kind_general": "general type",
        "where": "At a {x} change in R&D spending",
        "where_no_base": "With no comparative R&D",
        "at_ceiling": "at the {ceiling} ceiling",
        "below_ceiling": "{distance} points below the {ceiling} ceiling",
        "head": "R&D tax credit rate curve ({kind}). {where} the credit rate is {rate} ({headroom}).",
        "bonus": " The intensity bonus is included.",
        "limit": " R&D × rate {limit}, ",
        "cap": "cap {cap} ({amount}), ",
        "no_cap": "no cap applied (corporate tax not given), ",
        "credit": "credit {credit} ({state}).",
        "state_suspended": "switched off by the suspension test",
        "state_binds": "the cap binds",
        "state_within": "within the cap",
        "state_no_cap": "no cap",
        "oi": " Total with the open-innovation credit {oi}: {total}.",
    },
}


def rate_curve_alt_text(plot: RateCurvePlot, lang: Lang) -> str:
    """Describe the chart's key figures in a short paragraph (Slack alt text, for readers with images off)."""
    rate = format_percent(plot.company_rate_percent, typographic=False)
    ceiling = format_percent(plot.ceiling_percent, typographic=False)
    distance = format_percent(
        max(round(plot.ceiling_percent - plot.company_rate_percent, 3), 0), typographic=False
    )[:-1]
    x = (
        format_percent(plot.company_x_percent, max_decimals=4, signed=True, typographic=False)
        if plot.company_x_percent is not None
        else None
    )
    cap = format_percent(plot.cap_percent, typographic=False) if plot.cap_percent is not None else None
    alt = _ALT_TEXT[lang]
    where = alt["where"].format(x=x) if x is not None else alt["where_no_base"]
    headroom = (alt["at_ceiling"] if distance == "0" else alt["below_ceiling"]).format(
        ceiling=ceiling, distance=distance
    )
    kind = alt["kind_sme" if plot.kind == "sme" else "kind_general"]
    parts = [alt["head"].format(kind=kind, where=where, rate=rate, headroom=headroom)]
    if plot.bonus_applied:
        parts.append(alt["bonus"])
    parts.append(alt["limit"].format(limit=format_yen_exact(plot.credit_limit, lang)))
    if cap is not None and plot.cap_amount is not None:
        parts.append(alt["cap"].format(cap=cap, amount=format_yen_exact(plot.cap_amount, lang)))
    else:
        parts.append(alt["no_cap"])
    state = (
        "state_suspended"
        if plot.suspended
        else (
            "state_binds"
            if plot.cap_binds
            else ("state_within" if plot.cap_amount is not None else "state_no_cap")
        )
    )
    parts.append(alt["credit"].format(credit=format_yen_exact(plot.credit, lang), state=alt[state]))
    if plot.oi_credit:
        parts.append(
            alt["oi"].format(
                oi=format_yen_exact(plot.oi_credit, lang), total=format_yen_exact(plot.total_credit, lang)
            )
        )
    return "".join(parts)


def render_rate_curve_plot(plot: RateCurvePlot, *, lang: Lang = "ja") -> ChartImage:
    """Render prepared plot data to a PNG ChartImage.

    Args:
        plot: the plotted data (see `build_rate_curve_plot`).
        lang: "ja" or "en" labels.

    Returns:
        The PNG with its size, title and alt text.
    """
    png = render_png(lambda: draw_rate_curve(plot, lang))
    title = _TEXT[lang]["title_sme" if plot.kind == "sme" else "title_general"]
    return ChartImage(
        png=png,
        width=WIDTH_PX,
        height=HEIGHT_PX,
        alt_text=rate_curve_alt_text(plot, lang),
        title=title,
        filename="rdcredit-rate-curve.png",
    )


class RateCurveChart(ChartImage):
    """The rate-curve PNG together with the data it plots."""

    plot: RateCurvePlot


def render_rate_curve(result: RdCreditResult, *, lang: Lang = "ja") -> RateCurveChart:
    """Render the credit-rate curve with the company's point and its cap usage.

    Args:
        result: what ``tools.rd_credit.compute_rd_credit`` returned.
        lang: "ja" or "en" labels and alt text.

    Returns:
        RateCurveChart: PNG bytes, pixel size, title, alt text stating the key figures, and ``plot``.
    """
    plot = build_rate_curve_plot(result)
    image = render_rate_curve_plot(plot, lang=lang)
    return RateCurveChart(**image.model_dump(), plot=plot)
