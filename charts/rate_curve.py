"""The R&D tax credit rate-curve chart: the statutory curve, the company's point, and its cap usage.

The curve is sampled from the tax tools' own curve functions, so the picture and the calculator agree
(the data model and its sampling live in ``charts.rate_curve_plot``; this module draws it).
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from charts.rate_curve_plot import (
    AXIS_MAX,
    AXIS_MIN,
    CROSSING_STEP,
    HEIGHT_PX,
    SAMPLE_STEP,
    WIDTH_PX,
    X_MAX,
    X_MIN,
    CurveFunction,
    MarkedPoint,
    RateCurvePlot,
    build_rate_curve_plot,
    collapse_steps,
    sample_curve,
)
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
from tools.rd_credit import RdCreditResult

__all__ = [
    "AXIS_MAX",
    "AXIS_MIN",
    "CROSSING_STEP",
    "HEIGHT_PX",
    "SAMPLE_STEP",
    "WIDTH_PX",
    "X_MAX",
    "X_MIN",
    "CurveFunction",
    "MarkedPoint",
    "RateCurveChart",
    "RateCurvePlot",
    "build_rate_curve_plot",
    "collapse_steps",
    "draw_rate_curve",
    "rate_curve_alt_text",
    "render_rate_curve",
    "render_rate_curve_plot",
    "sample_curve",
]

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


def _draw_curves(ax: Axes, plot: RateCurvePlot, text: dict[str, str]) -> None:
    """The plain curve and, when the 控除割増率 applies, the company's own curve with a legend."""
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


def _draw_limits(ax: Axes, plot: RateCurvePlot, text: dict[str, str]) -> None:
    """The ceiling and floor lines with their labels, and the zero line."""
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


def _draw_marks(ax: Axes, plot: RateCurvePlot) -> None:
    """The curve's landmarks, each labelled unless the company's own label already states it."""
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


def _draw_company_point(ax: Axes, plot: RateCurvePlot, text: dict[str, str]) -> tuple[float, str]:
    """The company's point (or, with no comparative R&D, its fixed rate level); returns (x drawn, label)."""
    left, right = plot.xs[0], plot.xs[-1]
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
    return cx, label


def _draw_company_label(ax: Axes, plot: RateCurvePlot, text: dict[str, str], cx: float, label: str) -> None:
    """The company's label box: its rate, the distance to the ceiling and whether the bonus applies."""
    rate = plot.company_rate_percent
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


def _set_curve_axes(ax: Axes, plot: RateCurvePlot, text: dict[str, str]) -> None:
    """The curve panel's limits, percent tick formats, axis labels and title."""
    ax.set_xlim(plot.xs[0], plot.xs[-1])
    ax.set_ylim(0, plot.ceiling_percent * 1.2)
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


def _draw_curve_panel(ax: Axes, plot: RateCurvePlot, lang: Lang) -> None:
    text = _TEXT[lang]
    _draw_curves(ax, plot, text)
    _draw_limits(ax, plot, text)
    _draw_marks(ax, plot)
    cx, label = _draw_company_point(ax, plot, text)
    _draw_company_label(ax, plot, text, cx, label)
    _set_curve_axes(ax, plot, text)


def _draw_cap_bars(ax: Axes, plot: RateCurvePlot, lang: Lang, pad: float) -> None:
    """The cap (or, with no tax, the credit limit) bar, the hatched lost part and the credit bar."""
    limit, credit = plot.credit_limit, plot.credit
    cap = plot.cap_amount
    cap_row, credit_row = 1, 0
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


def _credit_label(plot: RateCurvePlot, lang: Lang, text: dict[str, str]) -> tuple[str, str]:
    """The credit bar's label and its colour: the amount with the cap's effect, plus any OI credit."""
    limit, credit = plot.credit_limit, plot.credit
    cap = plot.cap_amount
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
    return label, colour


def _set_cap_axes(ax: Axes, plot: RateCurvePlot, text: dict[str, str], longest: float) -> None:
    """The cap panel's row labels, limits, bare frame and title."""
    cap_row, credit_row = 1, 0
    ax.set_yticks(
        [cap_row, credit_row],
        [text["cap_label"] if plot.cap_amount is not None else text["limit_label"], text["credit_label"]],
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


def _draw_cap_panel(ax: Axes, plot: RateCurvePlot, lang: Lang) -> None:
    text = _TEXT[lang]
    limit, credit = plot.credit_limit, plot.credit
    longest = max(plot.cap_amount or 0, limit, 1)
    pad = longest * 0.012
    _draw_cap_bars(ax, plot, lang, pad)
    label, colour = _credit_label(plot, lang, text)
    credit_row = 0
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
    _set_cap_axes(ax, plot, text, longest)


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
