"""Ranking charts from the deck's tables: bars (values), dots (ranks) and slope charts (two periods).

Japanese entries (a country/economy cell of 日本) and the rows a query named are highlighted. What is drawn
is built in ``charts.ranking_plot``; this module draws it.
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from charts.ranking_plot import (
    _TEXT,
    JAPAN,
    MAX_ROWS,
    TOP_BANDS,
    WIDTH_PX,
    ChartDataError,
    ChartKind,
    RankingEntry,
    RankingPlot,
    build_ranking_plot,
)
from charts.style import (
    ACCENT,
    GOOD,
    GRID,
    INK,
    MUTED,
    NEUTRAL,
    NEUTRAL_LIGHT,
    ChartImage,
    Lang,
    bold_effect,
    new_figure,
    render_png,
)
from tools.rankings import RankingResult, Table

__all__ = [
    "JAPAN",
    "MAX_ROWS",
    "TOP_BANDS",
    "WIDTH_PX",
    "ChartDataError",
    "ChartKind",
    "RankingChart",
    "RankingEntry",
    "RankingPlot",
    "build_ranking_plot",
    "draw_ranking",
    "ranking_alt_text",
    "render_ranking",
    "spread_labels",
]


class RankingChart(ChartImage):
    """The ranking PNG together with the data it plots."""

    plot: RankingPlot


def _wrap(label: str, width: int = 22) -> str:
    """Wrap a long entity name onto at most two balanced lines (Japanese by characters, English by words)."""
    if label.isascii():
        width = int(width * 1.7)  # Latin glyphs are about half as wide as kana/kanji
        if len(label) <= width:
            return label
        lines = textwrap.wrap(label, width=max(width, (len(label) + 1) // 2 + 4))
    else:
        if len(label) <= width:
            return label
        half = -(-len(label) // 2)
        lines = [label[:half], label[half:]] if half <= width else [label[:width], label[width:]]
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    if len(lines[1]) > width + 2:
        lines[1] = lines[1][: width + 1] + "…"
    return "\n".join(lines)


# --- drawing ----------------------------------------------------------------------------------------


def _entry_colour(entry: RankingEntry) -> str:
    return ACCENT if entry.highlighted else NEUTRAL


def _footer(figure: Figure, plot: RankingPlot, lang: Lang) -> None:
    figure.text(
        0.01,
        0.006,
        _TEXT[lang]["source"].format(s=plot.source),
        fontsize=7.5,
        color=MUTED,
        ha="left",
        va="bottom",
        wrap=True,
    )


def _legend_note(ax: Axes, plot: RankingPlot, lang: Lang) -> None:
    reasons = {entry.highlight_reason for entry in plot.entries if entry.highlighted}
    names = [_TEXT[lang][reason] for reason in ("japan", "query") if reason in reasons]
    if names:
        ax.text(
            1.0,
            1.01,
            "● " + " / ".join(names),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            color=ACCENT,
            fontsize=9.5,
            path_effects=bold_effect(ACCENT, 0.4),
        )


def _colour_tick_labels(ax: Axes, plot: RankingPlot) -> None:
    for tick, entry in zip(ax.get_yticklabels(), plot.entries, strict=True):
        if entry.highlighted:
            tick.set_color(ACCENT)
            tick.set_path_effects(bold_effect(ACCENT, 0.4))


def _value_label(ax: Axes, entry: RankingEntry, position: int, *, gap: float) -> None:
    """Write the entry's value text just right of its bar end or dot (accent and bold when highlighted)."""
    colour = ACCENT if entry.highlighted else INK
    ax.text(
        (entry.value or 0) + gap,
        position,
        entry.value_text,
        va="center",
        ha="left",
        fontsize=9,
        color=colour,
        path_effects=bold_effect(colour, 0.35) if entry.highlighted else None,
    )


def _draw_bars(ax: Axes, plot: RankingPlot, lang: Lang) -> None:
    positions = list(range(len(plot.entries)))
    values = [entry.value or 0.0 for entry in plot.entries]
    colours = [ACCENT if entry.highlighted else NEUTRAL_LIGHT for entry in plot.entries]
    edges = [ACCENT if entry.highlighted else NEUTRAL for entry in plot.entries]
    ax.barh(positions, values, height=0.68, color=colours, edgecolor=edges, linewidth=0.8, gid="bars")
    longest = max(values) if values else 1.0
    for position, entry in zip(positions, plot.entries, strict=True):
        _value_label(ax, entry, position, gap=longest * 0.01)
    ax.set_yticks(positions, [_wrap(entry.label) for entry in plot.entries])
    ax.xaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
    ax.set_xlim(0, longest * 1.15)
    ax.set_ylim(len(positions) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(plot.value_label)
    _colour_tick_labels(ax, plot)


def _draw_dots(ax: Axes, plot: RankingPlot, lang: Lang) -> None:
    positions = list(range(len(plot.entries)))
    ranks = [entry.value or 0.0 for entry in plot.entries]
    worst = max(ranks) if ranks else 1.0
    for position, entry in zip(positions, plot.entries, strict=True):
        colour = _entry_colour(entry)
        ax.hlines(position, 0, entry.value or 0, colors=GRID, linewidth=1, zorder=1)
        ax.plot(
            [entry.value],
            [position],
            marker="o",
            markersize=9 if entry.highlighted else 7,
            color=colour,
            linestyle="none",
            zorder=3,
            gid="dot-highlight" if entry.highlighted else "dot",
        )
        _value_label(ax, entry, position, gap=worst * 0.015)
    ax.set_yticks(positions, [_wrap(entry.label) for entry in plot.entries])
    ax.set_xlim(0, worst * 1.1 + 1)
    ax.set_ylim(len(positions) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(plot.value_label + (" (1 = best)" if lang == "en" else "（1位が最上位）"))
    _colour_tick_labels(ax, plot)


def spread_labels(targets: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart so neighbours are at least ``gap`` apart, staying within [low, high].

    Args:
        targets: desired positions (any order).
        gap: minimum distance between labels.
        low: smallest allowed position.
        high: largest allowed position.

    Returns:
        Positions in the same order as ``targets``.
    """
    order = sorted(range(len(targets)), key=lambda i: (targets[i], i))
    placed: list[float] = []
    for i in order:
        want = max(targets[i], low)
        placed.append(want if not placed else max(want, placed[-1] + gap))
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:  # push back up from the bottom, keeping the gap
        placed[-1] = high
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    result = [0.0] * len(targets)
    for slot, i in enumerate(order):
        result[i] = placed[slot]
    return result


def _slope_colour(entry: RankingEntry, plot: RankingPlot) -> str:
    if entry.highlighted:
        return ACCENT
    if plot.top_band:
        return GOOD if (entry.after or 10**9) <= plot.top_band else NEUTRAL
    change = (entry.before or 0) - (entry.after or 0)
    return GOOD if change > 0 else NEUTRAL if change < 0 else MUTED


def _slope_legend(ax: Axes, plot: RankingPlot, lang: Lang) -> None:
    text = _TEXT[lang]
    later = plot.period_labels[1] if plot.period_labels else ""
    items: list[tuple[str, str]] = []
    if plot.top_band:
        items += [
            (GOOD, text["band_kept"].format(p=later, n=plot.top_band)),
            (NEUTRAL, text["band_lost"].format(n=plot.top_band)),
        ]
    else:
        items += [(GOOD, text["legend_up"]), (NEUTRAL, text["legend_down"]), (MUTED, text["same"])]
    reasons = [r for r in ("japan", "query") if any(e.highlight_reason == r for e in plot.entries)]
    items += [(ACCENT, text[reason]) for reason in reasons]
    handles = [Line2D([], [], color=colour, linewidth=2.2, marker="o", markersize=5) for colour, _ in items]
    ax.legend(
        handles,
        [label for _, label in items],
        loc="upper right",
        bbox_to_anchor=(1.0, 0.0),  # under the plot: the top carries the period labels
        ncols=len(items),
        fontsize=9,
        handlelength=1.6,
        columnspacing=1.2,
        borderaxespad=0.2,
    )


def _draw_top_band(ax: Axes, plot: RankingPlot, text: dict[str, str]) -> None:
    """Shade ranks 1..N, where the deck's message is about the top N."""
    if plot.top_band:
        ax.axhspan(0.5, plot.top_band + 0.5, color="#eef2f6", zorder=0, gid="top-band")
        ax.text(
            1.88,
            0.6,
            text["band"].format(n=plot.top_band),
            ha="right",
            va="top",
            fontsize=8.5,
            color=MUTED,
        )


def _draw_slope_lines(ax: Axes, plot: RankingPlot) -> None:
    # Highlighted lines last so they sit on top.
    for entry in sorted(plot.entries, key=lambda e: e.highlighted):
        ax.plot(
            [0, 1],
            [entry.before, entry.after],
            color=_slope_colour(entry, plot),
            linewidth=2.8 if entry.highlighted else 1.4,
            alpha=1.0 if entry.highlighted else 0.8,
            marker="o",
            markersize=7 if entry.highlighted else 4.5,
            zorder=4 if entry.highlighted else 3,
            gid="slope-highlight" if entry.highlighted else "slope",
        )


def _draw_slope_labels(
    ax: Axes, entries: list[RankingEntry], y_range: tuple[float, float], gap: float, both_sides: bool
) -> None:
    """Name each entry beside its later rank (and earlier rank when both sides fit), spread apart."""
    top, bottom = y_range
    sides = [(1, "after", "left", 0.035)] + ([(0, "before", "right", -0.035)] if both_sides else [])
    for x, field, ha, dx in sides:
        targets = [float(getattr(e, field)) for e in entries]
        spread = spread_labels(targets, gap, top + gap / 2, bottom - gap / 2)
        for entry, target, y in zip(entries, targets, spread, strict=True):
            rank = getattr(entry, field)
            name = f"{rank}  {entry.label}" if field == "after" else f"{entry.label}  {rank}"
            colour = ACCENT if entry.highlighted else INK
            ax.text(
                x + dx,
                y,
                name,
                ha=ha,
                va="center",
                fontsize=9,
                color=colour,
                path_effects=bold_effect(colour, 0.4) if entry.highlighted else None,
                zorder=5,
            )
            if abs(y - target) > gap * 0.3:  # leader line from the point to a moved label
                ax.plot([x, x + dx * 0.8], [target, y], color=GRID, linewidth=0.8, zorder=2)


def _style_slope_axes(
    ax: Axes, plot: RankingPlot, text: dict[str, str], y_range: tuple[float, float], both_sides: bool
) -> None:
    """Period labels on top, bare frame, the two period rails and (when unnamed) an earlier-rank axis."""
    top, bottom = y_range
    labels = plot.period_labels or ("", "")
    ax.set_xticks([0, 1], list(labels))
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, labelsize=11)
    ax.set_xlim(-0.9 if both_sides else -0.2, 1.9)
    ax.set_ylim(bottom, top)
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.vlines([0, 1], top + 0.1, bottom - 0.1, colors=GRID, linewidth=1, zorder=1)
    if not both_sides:
        # Too many rows to name on the left: show the earlier ranks as an axis instead.
        for rank in sorted({e.before for e in plot.entries if e.before is not None}):
            ax.text(
                -0.035,
                rank,
                text["rank_value"].format(v=rank),
                ha="right",
                va="center",
                fontsize=9,
                color=MUTED,
            )


def _draw_slope(ax: Axes, plot: RankingPlot, lang: Lang, height_px: int) -> None:
    text = _TEXT[lang]
    entries = plot.entries
    worst = max(max(e.before or 0, e.after or 0) for e in entries)
    top, bottom = 0.4, worst + 0.6
    both_sides = len(entries) <= 16
    _draw_top_band(ax, plot, text)
    _draw_slope_lines(ax, plot)
    # Label de-collision in data units: ~17 px per label line.
    axis_px = height_px * 0.8
    gap = 17 / axis_px * (bottom - top)
    _draw_slope_labels(ax, entries, (top, bottom), gap, both_sides)
    _style_slope_axes(ax, plot, text, (top, bottom), both_sides)
    _slope_legend(ax, plot, lang)


def _height_for(plot: RankingPlot) -> int:
    per_row = 26 if plot.kind == "slope" else 30
    return max(640, min(2000, 210 + per_row * len(plot.entries)))


def draw_ranking(plot: RankingPlot, lang: Lang) -> Figure:
    """Draw the ranking figure (call inside `chart_style()`).

    Args:
        plot: the plotted data.
        lang: label language.

    Returns:
        The matplotlib Figure (Agg canvas attached).
    """
    height = _height_for(plot)
    figure = new_figure(WIDTH_PX, height)
    ax = figure.subplots()
    if plot.kind == "bar":
        _draw_bars(ax, plot, lang)
    elif plot.kind == "dot":
        _draw_dots(ax, plot, lang)
    else:
        _draw_slope(ax, plot, lang, height)
    # A figure-level title starts at the card's left edge, so long titles are not pushed off by tick labels.
    figure.suptitle(plot.title, x=0.012, ha="left", fontsize=13, path_effects=bold_effect())
    if plot.kind != "slope":
        _legend_note(ax, plot, lang)
    _footer(figure, plot, lang)
    return figure


def _entry_summary(entry: RankingEntry, plot: RankingPlot, lang: Lang) -> str:
    text = _TEXT[lang]
    if plot.kind == "slope" and plot.period_labels:
        change = (entry.before or 0) - (entry.after or 0)
        trend = text["up" if change > 0 else "down" if change < 0 else "same"].format(n=abs(change))
        earlier, later = plot.period_labels
        if lang == "ja":
            return f"{entry.label} {earlier} {entry.before}位→{later} {entry.after}位（{trend}）"
        return f"{entry.label} #{entry.before} in {earlier} → #{entry.after} in {later} ({trend})"
    return f"{entry.label} {entry.value_text}"


def ranking_alt_text(plot: RankingPlot, lang: Lang, *, limit: int = 900) -> str:
    """Describe the chart's key figures: highlighted rows, the top rows, the top-N count (Slack alt text)."""
    text = _TEXT[lang]
    highlighted = [e for e in plot.entries if e.highlighted]
    leading = [e for e in plot.entries if not e.highlighted][:3]
    lead_name = text["top"] if plot.ranked else text["rows"]
    sep = "、" if lang == "ja" else "; "
    if lang == "ja":
        parts = [f"{plot.title}の図（{len(plot.entries)}件）。"]
        if highlighted:
            parts.append("強調: " + sep.join(_entry_summary(e, plot, lang) for e in highlighted) + "。")
        parts.append(f"{lead_name}: " + sep.join(_entry_summary(e, plot, lang) for e in leading) + "。")
    else:
        parts = [f"Chart: {plot.title} ({len(plot.entries)} rows). "]
        if highlighted:
            parts.append(
                "Highlighted: " + sep.join(_entry_summary(e, plot, lang) for e in highlighted) + ". "
            )
        parts.append(f"{lead_name}: " + sep.join(_entry_summary(e, plot, lang) for e in leading) + ".")
    if plot.top_band and plot.period_labels:
        band = plot.top_band
        before = sum(1 for e in plot.entries if (e.before or 10**9) <= band)
        after = sum(1 for e in plot.entries if (e.after or 10**9) <= band)
        earlier, later = plot.period_labels
        parts.append(
            f"上位{band}入り: {earlier} {before}件 → {later} {after}件。"
            if lang == "ja"
            else f" In the top {band}: {before} in {earlier} → {after} in {later}."
        )
    alt = "".join(parts)
    return alt if len(alt) <= limit else alt[: limit - 1] + "…"


def render_ranking(table: Table, result: RankingResult | None = None, *, lang: Lang = "ja") -> RankingChart:
    """Render a ranking table as a bar, dot or slope chart, Japanese and asked-about rows highlighted.

    Args:
        table: the deck table (e.g. ``tables.get(result.table_id)``).
        result: optional ``lookup_ranking`` result; named rows are highlighted, top-N results limit the rows.
        lang: "ja" or "en" labels and alt text.

    Returns:
        RankingChart: PNG bytes, pixel size, title, alt text stating the key figures, and ``plot``.

    Raises:
        ChartDataError: when the table has nothing to chart.
    """
    plot = build_ranking_plot(table, result, lang=lang)
    png = render_png(lambda: draw_ranking(plot, lang))
    width, height = WIDTH_PX, _height_for(plot)
    return RankingChart(
        png=png,
        width=width,
        height=height,
        alt_text=ranking_alt_text(plot, lang),
        title=plot.title,
        filename=f"{plot.table_id}.png",
        plot=plot,
    )
