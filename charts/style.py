"""Shared chart look: the bundled Japanese font, a light Slack-friendly style, and PNG export.

Figures are built with `matplotlib.figure.Figure` + the Agg canvas directly (no pyplot), so rendering is
headless and never touches a GUI backend or pyplot's global figure list.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Literal

import matplotlib
import matplotlib_fontja
from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pydantic import BaseModel, Field

Lang = Literal["ja", "en"]

# Palette: mid-tone colours that keep contrast on the white card whichever Slack theme surrounds it.
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee4"
BORDER = "#9aa5b1"
ACCENT = "#c2410c"  # the company / Japan: warm orange, distinct from the neutral blue
NEUTRAL = "#2f6fa7"
NEUTRAL_LIGHT = "#a9c4dd"
GOOD = "#15803d"
BAD = "#b91c1c"
BACKGROUND = "#ffffff"

DEFAULT_DPI = 150

# rcParams are process-global; one lock keeps two concurrent renders (e.g. Slack handlers in threads)
# from seeing each other's temporary style.
_RENDER_LOCK = threading.Lock()


class ChartImage(BaseModel):
    """A rendered chart: PNG bytes plus what Slack and screen readers need to describe it."""

    png: bytes = Field(repr=False, description="PNG file contents.")
    width: int = Field(description="Pixel width of the PNG.")
    height: int = Field(description="Pixel height of the PNG.")
    alt_text: str = Field(description="Plain-text description stating the key figures.")
    title: str = Field(description="Short title, used as the Slack file title.")
    filename: str = Field(description="Suggested file name, e.g. rdcredit.png.")


@cache
def japanese_font_name() -> str:
    """Register matplotlib-fontja's IPAexGothic with matplotlib's font manager and return its family name.

    The font file is located through the package's public `get_font_ttf_path()` and added explicitly,
    so the charts do not depend on the package's import-time `rc('font')` side effect.
    """
    path = matplotlib_fontja.get_font_ttf_path()
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def style_rc() -> dict[str, object]:
    """Return the rcParams of the deckbot chart style (light card, bundled Japanese font)."""
    return {
        # DejaVu Sans (ships with matplotlib): per-glyph fallback for the few symbols IPAexGothic lacks.
        "font.family": [japanese_font_name(), "DejaVu Sans"],
        "font.size": 10,
        "axes.unicode_minus": True,
        "axes.edgecolor": BORDER,
        "axes.labelcolor": INK,
        "axes.titlecolor": INK,
        "axes.titlesize": 12,
        "axes.titleweight": "normal",  # IPAexGothic has no bold face; titles get a stroke instead
        "axes.labelsize": 10,
        "axes.facecolor": BACKGROUND,
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "grid.color": GRID,
        "grid.linewidth": 0.8,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "text.color": INK,
        "figure.facecolor": BACKGROUND,
        "savefig.facecolor": BACKGROUND,
        "legend.frameon": False,
        "legend.fontsize": 9,
    }


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the chart style for the duration of one render (serialised across threads)."""
    with _RENDER_LOCK, matplotlib.rc_context(style_rc()):
        yield


def bold_effect(colour: str = INK, width: float = 0.7) -> list[patheffects.AbstractPathEffect]:
    """Path effect that thickens glyphs: a stand-in for bold, which IPAexGothic does not ship."""
    return [patheffects.withStroke(linewidth=width, foreground=colour)]


def new_figure(width_px: int, height_px: int, *, dpi: int = DEFAULT_DPI) -> Figure:
    """Create a headless Agg figure of an exact pixel size, framed by a thin border.

    The border keeps the white card visible against Slack's dark theme.
    """
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    figure.patch.set_edgecolor(BORDER)
    figure.patch.set_linewidth(2.0)
    figure.get_layout_engine().set(w_pad=12 / dpi, h_pad=10 / dpi)
    return figure


def figure_png(figure: Figure) -> bytes:
    """Render a figure to PNG bytes at its own size and dpi (no tight bbox, so the size is exact)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


def render_png(draw: Callable[[], Figure]) -> bytes:
    """Draw one figure inside the chart style and return its PNG bytes.

    Args:
        draw: builds the figure, e.g. ``lambda: draw_ranking(plot, lang)``.

    Returns:
        The PNG file contents.
    """
    with chart_style():
        return figure_png(draw())


def format_percent(
    value: float, *, max_decimals: int = 3, signed: bool = False, typographic: bool = True
) -> str:
    """Format a percentage without trailing zeros: 9.7 -> '9.7%', 25.625 -> '25.625%', -40 -> '−40%'.

    Args:
        value: the percentage (5 means 5%).
        max_decimals: decimals kept before trailing zeros are dropped.
        signed: prefix '+' on positive values.
        typographic: use the true minus sign U+2212 (charts); False gives ASCII '-' (plain text).
    """
    text = f"{value:.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if signed and value > 0 and text != "0":
        text = "+" + text
    if typographic:
        text = text.replace("-", "\u2212")
    return f"{text}%"


def _drop_zero_decimals(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_yen_short(amount: int, lang: Lang) -> str:
    """Format yen compactly but exactly to 万 for labels: 157,500,000 -> '1億5,750万円' / '¥157.5M'."""
    if lang == "ja":
        sign = "−" if amount < 0 else ""
        oku, rest = divmod(abs(amount), 100_000_000)
        man, yen = divmod(rest, 10_000)
        parts = [f"{oku:,}億"] if oku else []
        if man:
            parts.append(f"{man:,}万")
        if yen or not parts:
            parts.append(f"{yen:,}")
        return sign + "".join(parts) + "円"
    if abs(amount) >= 1_000_000_000:
        return "¥" + _drop_zero_decimals(f"{amount / 1_000_000_000:,.2f}") + "bn"
    if abs(amount) >= 1_000_000:
        return "¥" + _drop_zero_decimals(f"{amount / 1_000_000:,.2f}") + "M"
    return f"¥{amount:,}"


def format_yen_exact(amount: int, lang: Lang) -> str:
    """Format yen exactly for alt text: '101,850,000円' (ja) or '¥101,850,000' (en)."""
    return f"{amount:,}円" if lang == "ja" else f"¥{amount:,}"
