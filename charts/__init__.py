"""PNG charts (matplotlib, headless) built from the tax tools' and table lookups' result models."""

from charts.ranking import ChartDataError, RankingChart, RankingPlot, build_ranking_plot, render_ranking
from charts.rate_curve import RateCurveChart, RateCurvePlot, build_rate_curve_plot, render_rate_curve
from charts.style import ChartImage

__all__ = [
    "ChartDataError",
    "ChartImage",
    "RankingChart",
    "RankingPlot",
    "RateCurveChart",
    "RateCurvePlot",
    "build_ranking_plot",
    "build_rate_curve_plot",
    "render_ranking",
    "render_rate_curve",
]
