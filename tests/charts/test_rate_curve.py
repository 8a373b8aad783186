"""Rate-curve chart: the plotted data against the deck's points and the spec's worked cases (not pixels)."""

import pytest
from matplotlib.lines import Line2D

from charts.rate_curve import (
    HEIGHT_PX,
    WIDTH_PX,
    RateCurvePlot,
    build_rate_curve_plot,
    collapse_steps,
    draw_rate_curve,
    render_rate_curve,
)
from charts.style import chart_style
from tests.charts.conftest import png_size
from tools.rd_credit import RdCreditInput, compute_rd_credit

OKU = 100_000_000
BILLION = 1_000_000_000
SALES_20BN = [20 * BILLION] * 4


def case5() -> RdCreditInput:
    """Spec section 11, Case 5: general type, +5% increase, rate truncated 9.75% -> 9.7%."""
    return RdCreditInput(rd=1_050_000_000, prior_rd=[BILLION] * 3, sales=SALES_20BN, tax=BILLION)


def y_at(plot: RateCurvePlot, x_percent: float) -> float:
    """The plotted curve's rate at a sampled x (the grid is 0.01 point)."""
    index = min(range(len(plot.xs)), key=lambda i: abs(plot.xs[i] - x_percent))
    assert plot.xs[index] == pytest.approx(x_percent, abs=1e-9), f"{x_percent}% is not a sampled x"
    return plot.ys[index]


@pytest.fixture(scope="module")
def case5_plot() -> RateCurvePlot:
    return build_rate_curve_plot(compute_rd_credit(case5()))


@pytest.mark.parametrize(
    ("x_percent", "rate_percent"),
    [
        pytest.param(-40, 1.0, id="deck-below-floor"),
        pytest.param(-30, 1.0, id="deck-30pct-down-1pct"),
        pytest.param(-29.6, 1.1, id="spec-float-pitfall-1.1pct"),
        pytest.param(0, 8.5, id="deck-no-change-8.5pct"),
        pytest.param(5, 9.7, id="spec-case5-truncated"),
        pytest.param(12, 11.5, id="deck-kink-11.5pct"),
        pytest.param(18.66, 13.9, id="just-below-ceiling"),
        pytest.param(18.67, 14.0, id="deck-about-18.67pct-14pct"),
        pytest.param(30, 14.0, id="ceiling-holds"),
    ],
)
def test_general_curve_passes_through_the_decks_points(case5_plot, x_percent, rate_percent):
    assert y_at(case5_plot, x_percent) == pytest.approx(rate_percent, abs=1e-9)


def test_general_curve_spans_minus_40_to_plus_30_with_floor_and_ceiling(case5_plot):
    assert case5_plot.kind == "general"
    assert case5_plot.xs[0] == pytest.approx(-40) and case5_plot.xs[-1] == pytest.approx(30)
    assert case5_plot.floor_percent == pytest.approx(1.0)
    assert case5_plot.ceiling_percent == pytest.approx(14.0)
    assert min(case5_plot.ys) == pytest.approx(1.0) and max(case5_plot.ys) == pytest.approx(14.0)


def test_marked_points_are_the_decks_landmarks(case5_plot):
    marked = {point.role: (point.x_percent, point.y_percent) for point in case5_plot.marked_points}
    assert marked["floor"] == pytest.approx((-30.0, 1.0))
    assert marked["zero"] == pytest.approx((0.0, 8.5))
    assert marked["kink"] == pytest.approx((12.0, 11.5))
    # 12% + 2.5 / 0.375 = 18.6667% (the deck: "約18%増").
    assert marked["ceiling"] == pytest.approx((18.6667, 14.0), abs=1e-4)


def test_company_point_is_at_the_computed_ratio_and_rate(case5_plot):
    assert case5_plot.company_x_percent == pytest.approx(5.0)
    assert case5_plot.company_rate_percent == pytest.approx(9.7)
    assert case5_plot.bonus_applied is False


def test_cap_panel_figures_match_case5(case5_plot):
    assert case5_plot.cap_percent == pytest.approx(25.625)
    assert case5_plot.cap_amount == 256_250_000
    assert case5_plot.credit_limit == 101_850_000
    assert case5_plot.credit == 101_850_000
    assert case5_plot.cap_binds is False


def test_the_figure_draws_the_plot_data(case5_plot):
    with chart_style():
        figure = draw_rate_curve(case5_plot, "ja")
    curve_ax = figure.axes[0]
    lines = {line.get_gid(): line for line in curve_ax.get_lines() if isinstance(line, Line2D)}
    point = lines["company-point"]
    assert list(point.get_xdata()) == pytest.approx([5.0])
    assert list(point.get_ydata()) == pytest.approx([9.7])
    drawn = lines["rate-curve"]
    samples = set(zip(case5_plot.xs, case5_plot.ys, strict=True))
    assert all(pair in samples for pair in zip(drawn.get_xdata(), drawn.get_ydata(), strict=True))
    assert curve_ax.get_xlim() == pytest.approx((-40, 30))


def test_drawn_line_keeps_floor_and_ceiling_flat_and_uses_only_true_samples():
    xs = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    ys = [1.0, 1.0, 1.0, 1.1, 1.2, 1.2, 1.2]
    line_xs, line_ys = collapse_steps(xs, ys, long_run=0.9)
    assert (line_xs[0], line_ys[0]) == (0.0, 1.0) and (line_xs[1], line_ys[1]) == (1.0, 1.0)
    assert (line_xs[-1], line_ys[-1]) == (3.0, 1.2)
    assert set(zip(line_xs, line_ys, strict=True)) <= set(zip(xs, ys, strict=True))


def test_png_is_valid_and_of_the_stated_size():
    chart = render_rate_curve(compute_rd_credit(case5()), lang="ja")
    assert png_size(chart.png) == (WIDTH_PX, HEIGHT_PX) == (chart.width, chart.height)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_alt_text_states_the_key_figures(lang):
    chart = render_rate_curve(compute_rd_credit(case5()), lang=lang)
    yen = "101,850,000円" if lang == "ja" else "¥101,850,000"
    cap = "256,250,000円" if lang == "ja" else "¥256,250,000"
    for figure in ("+5%", "9.7%", "14%", "4.3", "25.625%", yen, cap):
        assert figure in chart.alt_text
    assert png_size(chart.png) == (chart.width, chart.height)


def test_cap_binding_case10():
    """Spec Case 10: +20%, rate 14%, cap 30% of 400,000,000 = 120,000,000 < 168,000,000."""
    result = compute_rd_credit(
        RdCreditInput(rd=1_200_000_000, prior_rd=[BILLION] * 3, sales=SALES_20BN, tax=400_000_000)
    )
    chart = render_rate_curve(result, lang="en")
    plot = chart.plot
    assert (plot.company_x_percent, plot.company_rate_percent) == pytest.approx((20.0, 14.0))
    assert plot.cap_percent == pytest.approx(30.0)
    assert (plot.credit_limit, plot.cap_amount, plot.credit) == (168_000_000, 120_000_000, 120_000_000)
    assert plot.cap_binds is True
    assert "the cap binds" in chart.alt_text and "at the 14% ceiling" in chart.alt_text


def test_sme_gets_the_sme_curve_case12():
    """Spec Case 12: SME +20% -> 12% + 8 x 0.375 = 15%, ceiling 17% reached at about +25.33%."""
    result = compute_rd_credit(
        RdCreditInput(
            rd=30_000_000, prior_rd=[25_000_000] * 3, sales=[500_000_000] * 4, tax=15_000_000, company="sme"
        )
    )
    chart = render_rate_curve(result, lang="ja")
    plot = chart.plot
    assert plot.kind == "sme"
    assert plot.ceiling_percent == pytest.approx(17.0)
    assert plot.floor_percent is None
    assert y_at(plot, -40) == pytest.approx(12.0)
    assert y_at(plot, 12) == pytest.approx(12.0)
    assert y_at(plot, 20) == pytest.approx(15.0)
    assert y_at(plot, 30) == pytest.approx(17.0)
    marked = {point.role: (point.x_percent, point.y_percent) for point in plot.marked_points}
    assert marked["kink"] == pytest.approx((12.0, 12.0))
    assert marked["ceiling"] == pytest.approx((25.3333, 17.0), abs=1e-4)
    assert (plot.company_x_percent, plot.company_rate_percent) == pytest.approx((20.0, 15.0))
    assert plot.cap_percent == pytest.approx(35.0) and plot.credit == 4_500_000
    assert "中小企業技術基盤強化税制" in chart.alt_text and "17%" in chart.alt_text


def test_intensity_bonus_draws_the_companys_own_curve_case9():
    """Spec Case 9: +7.1429%, intensity 15%: 10.2857% x 1.025 = 10.54% -> 10.5% (bonus applied)."""
    result = compute_rd_credit(
        RdCreditInput(
            rd=1_500_000_000, prior_rd=[1_400_000_000] * 3, sales=[10 * BILLION] * 4, tax=500_000_000
        )
    )
    plot = build_rate_curve_plot(result)
    assert plot.bonus_applied is True
    assert plot.intensity_percent == pytest.approx(15.0)
    assert plot.company_x_percent == pytest.approx(7.142857, abs=1e-6)
    assert plot.company_rate_percent == pytest.approx(10.5)
    assert plot.bonus_ys is not None
    index = plot.xs.index(pytest.approx(7.14))
    # At +7.14%: base 11.5 - 4.86 x 0.25 = 10.285%, x 1.025 = 10.542% -> 10.5%; the plain curve gives 10.2%.
    assert plot.bonus_ys[index] == pytest.approx(10.5)
    assert plot.ys[index] == pytest.approx(10.2)


def test_founding_year_has_no_point_but_states_the_rate():
    """Spec Case 13: founding year, fixed 8.5%."""
    result = compute_rd_credit(
        RdCreditInput(rd=50_000_000, prior_rd=[], sales=[OKU * 10], tax=30_000_000, founding_year=True)
    )
    chart = render_rate_curve(result, lang="ja")
    assert chart.plot.company_x_percent is None
    assert chart.plot.company_rate_percent == pytest.approx(8.5)
    assert "8.5%" in chart.alt_text and "4,250,000円" in chart.alt_text


def test_an_increase_past_the_default_axis_widens_it_up_to_the_widest_axis():
    result = compute_rd_credit(
        RdCreditInput(rd=1_400_000_000, prior_rd=[BILLION] * 3, sales=SALES_20BN, tax=BILLION)
    )
    plot = build_rate_curve_plot(result)
    assert plot.company_x_percent == pytest.approx(40.0)
    assert plot.xs[0] == pytest.approx(-40) and plot.xs[-1] == pytest.approx(50)
    assert not plot.company_off_scale


def test_without_tax_the_cap_panel_says_no_cap():
    result = compute_rd_credit(RdCreditInput(rd=1_050_000_000, prior_rd=[BILLION] * 3, sales=SALES_20BN))
    chart = render_rate_curve(result, lang="en")
    assert chart.plot.cap_amount is None and chart.plot.cap_percent is None
    assert "no cap applied" in chart.alt_text


@pytest.mark.parametrize(
    ("rd", "prior", "shown"),
    [
        pytest.param(10 * BILLION // 10, 1_000_000, "+99900%", id="10oku-over-1man"),
        pytest.param(10**12, 1, "+99999999999900%", id="1cho-over-1yen"),
    ],
)
def test_company_far_past_the_axis_is_drawn_at_its_edge_marked_off_scale(rd, prior, shown):
    result = compute_rd_credit(RdCreditInput(rd=rd, prior_rd=[prior] * 3, sales=[10 * BILLION] * 4, tax=5 * OKU))
    plot = build_rate_curve_plot(result)
    assert plot.company_off_scale
    assert plot.xs[-1] == pytest.approx(60.0)  # the widest axis, however large the ratio
    assert len(plot.xs) <= 16_001
    assert plot.company_rate_percent == pytest.approx(14.0)
    figure = draw_rate_curve(plot, "en")
    [label] = [t for t in figure.findobj() if getattr(t, "get_gid", lambda: None)() == "company-label"]
    assert "off the scale" in label.get_text() and shown in label.get_text()
    [point] = [line for line in figure.findobj(Line2D) if line.get_gid() == "company-point"]
    assert point.get_xdata()[0] == pytest.approx(60.0)


def test_company_within_the_axis_is_not_marked_off_scale():
    plot = build_rate_curve_plot(
        compute_rd_credit(RdCreditInput(rd=15 * OKU, prior_rd=[10 * OKU] * 3, sales=SALES_20BN, tax=BILLION))
    )
    assert plot.company_x_percent == pytest.approx(50.0)
    assert not plot.company_off_scale
    assert plot.xs[-1] == pytest.approx(60.0)
