"""Japanese text must render with a real font: matplotlib's missing-glyph warning is a failure here."""

import warnings

import pytest
from matplotlib import font_manager

from charts.ranking import render_ranking
from charts.rate_curve import render_rate_curve
from charts.style import chart_style, figure_png, japanese_font_name, new_figure
from tools.rd_credit import RdCreditInput, compute_rd_credit

JAPANESE_LABELS = "研究開発税制 控除率 増減試験研究費割合 上限まで 貴社 億円 ①（）・〜 東京‐横浜"


def _render_label(text: str) -> bytes:
    with chart_style():
        figure = new_figure(600, 200)
        figure.text(0.05, 0.5, text)
        return figure_png(figure)


def test_bundled_font_is_registered_explicitly():
    name = japanese_font_name()
    assert name == "IPAexGothic"
    assert any(entry.name == name for entry in font_manager.fontManager.ttflist)


def test_japanese_labels_render_without_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # also enforced by pytest's filterwarnings=error
        png = _render_label(JAPANESE_LABELS)
    assert png.startswith(b"\x89PNG")


def test_a_font_without_japanese_glyphs_would_be_caught():
    """Control: the check above can fail. DejaVu Sans alone has no kanji, so matplotlib warns."""
    with pytest.warns(UserWarning, match="missing from font"):
        with chart_style():
            figure = new_figure(400, 100)
            figure.text(0.05, 0.5, "控除率", fontfamily="DejaVu Sans")
            figure_png(figure)


def test_full_japanese_charts_render_without_warnings(tables):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = compute_rd_credit(
            RdCreditInput(
                rd=1_050_000_000, prior_rd=[1_000_000_000] * 3, sales=[20_000_000_000] * 4, tax=10**9
            )
        )
        render_rate_curve(result, lang="ja")
        for table_id in (
            "aspi_japan_tech_ranks",
            "startup_genome_2024",
            "qs_2025_asia_oceania",
            "meti_rd_funds",
        ):
            render_ranking(tables.get(table_id), lang="ja")
