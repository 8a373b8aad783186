"""Plain-text answers of tax_compare, innovation_box and oi_promotion (their ToolSpec renderers). Pure.

Every figure is copied from the result, so an answer built from this text passes the grounding guard.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tools.spec import Lang

_COUNTRY_EN = {
    "japan": "Japan",
    "us": "US",
    "uk": "UK",
    "france": "France",
    "germany": "Germany",
    "korea": "Korea",
}


def _number(text: str) -> str:
    value = Decimal(text)
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,}"


def _step_lines(result: Any, ja: bool) -> list[str]:
    lines = []
    for step in result.steps:
        label = step.label_ja if ja else step.label_en
        lines.append(
            f"・{label}: {step.value}（{step.working}）"
            if ja
            else f"- {label}: {step.value} ({step.working})"
        )
    return lines


def _tail_lines(result: Any, ja: bool) -> list[str]:
    """Ineligible deals, warnings, then notes (each note is written "ja / en")."""
    lines = []
    for deal in getattr(result, "deals", []):
        if not deal.eligible:
            lines.append(f"※{deal.reason_ja}" if ja else f"Note: {deal.reason_en}")
    for warning in result.warnings:
        lines.append(("注意: " + warning.text_ja) if ja else ("Warning: " + warning.text_en))
    for note in result.notes:
        ja_text, _, en_text = note.partition(" / ")
        lines.append(f"※{ja_text}" if ja else f"Note: {en_text or ja_text}")
    return lines


def tax_compare_text(result: Any, lang: Lang = "ja") -> str:
    """Each country's credit for the same spend (best method, yen when converted), then notes."""
    ja = lang == "ja"
    rd = f"{result.input.rd:,}"
    lines = [
        f"研究開発費 {rd} に対する各国の税額控除（資料の国際比較の記載どおりに単純化）:"
        if ja
        else f"R&D tax credit on an R&D spend of {rd} in each country (the deck's comparison, simplified):"
    ]
    for country in result.countries:
        name = country.name_ja if ja else _COUNTRY_EN.get(country.country, country.country)
        amount = f"{_number(country.credit_local)} {country.currency}"
        if country.credit_jpy is not None and country.currency != "JPY":
            amount += f"（{country.credit_jpy:,}円）" if ja else f" (¥{country.credit_jpy:,})"
        lines.append(
            f"・{name}: {amount}（{country.best_method}）"
            if ja
            else f"- {name}: {amount} ({country.best_method})"
        )
    return "\n".join(lines + _tail_lines(result, ja))


def _deduction_text(deduction: int, result: Any, lang: Lang) -> str:
    ja = lang == "ja"
    head = (
        f"所得控除額: {deduction:,}円（税負担軽減額 {result.tax_saving:,}円）"
        if ja
        else f"Income deduction: ¥{deduction:,} (tax saving ¥{result.tax_saving:,})"
    )
    return "\n".join([head, *_step_lines(result, ja), *_tail_lines(result, ja)])


def innovation_box_text(result: Any, lang: Lang = "ja") -> str:
    """The innovation-box deduction and tax saving, the working, then notes."""
    return _deduction_text(result.deduction, result, lang)


def oi_promotion_text(result: Any, lang: Lang = "ja") -> str:
    """The OI promotion tax deduction and tax saving, the working, ineligible deals, then notes."""
    return _deduction_text(result.total_deduction, result, lang)
